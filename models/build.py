#!/usr/bin/env python3
"""Regenerate despin's compiled tables from registry packages.

    python3 models/build.py            # writes models/lm.bin and models/thesaurus.tsv

Sources (fetched into a cache, never committed; see models/SOURCES.md):
  * Debian `pocketsphinx-en-us`: the CMU Sphinx US English language model
    (en-us.lm.bin, a trie). PyPI `pocketsphinx` converts it to ARPA text;
    its writer crashes before the trigram section, so despin keeps the
    unigrams and bigrams (a bigram model with Katz back-off weights).
  * crates.io `thesaurus-moby` 0.2.0: the Moby thesaurus (public domain).

The cache is $DESPIN_BUILD_CACHE or ~/.cache/despin-build. Needs network
access to the package registries only, Python 3, pip, apt-get and cargo.

lm.bin layout (little endian), read by src/lm.rs:
  b"DSLM\\x01\\x00\\x00\\x00"
  u32 n_words, u32 n_bigrams, u32 vocab_bytes
  vocab: words sorted (byte order), each followed by b"\\n"
  u8[n_words]  unigram   q = round(-log10 p * 10), capped at 255
  u8[n_words]  back-off  q = round((b + 6.35) * 20), capped to 0..254
  u32[n_words + 1] bigram offsets, by first word
  bigrams: 3 bytes each, u24 = second word id | (q << 17), q = round(-log10 p * 10) capped at 127,
           sorted by second word id within each first word
"""
import io
import json
import os
import re
import struct
import subprocess
import sys
import tarfile
import venv

HERE = os.path.dirname(os.path.abspath(__file__))
CACHE = os.environ.get("DESPIN_BUILD_CACHE", os.path.expanduser("~/.cache/despin-build"))
WORD = re.compile(r"^[a-z0-9]+(?:['\-][a-z0-9]+)*$|^<s>$|^</s>$")


def run(*cmd, cwd=None):
    print("+", " ".join(cmd), file=sys.stderr)
    subprocess.run(cmd, check=True, cwd=cwd)


def deb(package):
    """Download and unpack a Debian package; return its root folder."""
    root = os.path.join(CACHE, package)
    if not os.path.isdir(root):
        os.makedirs(CACHE, exist_ok=True)
        run("apt-get", "download", package, cwd=CACHE)
        debs = [f for f in os.listdir(CACHE) if f.startswith(package + "_") and f.endswith(".deb")]
        run("dpkg-deb", "-x", os.path.join(CACHE, sorted(debs)[-1]), root)
    return root


def arpa():
    """The Sphinx model as ARPA text (unigrams and bigrams)."""
    out = os.path.join(CACHE, "en-us.arpa")
    if os.path.exists(out):
        return out
    lm = os.path.join(deb("pocketsphinx-en-us"), "usr/share/pocketsphinx/model/en-us/en-us.lm.bin")
    env = os.path.join(CACHE, "venv")
    if not os.path.isdir(env):
        venv.create(env, with_pip=True)
        run(os.path.join(env, "bin/pip"), "install", "-q", "pocketsphinx==5.1.1")
    code = ("from pocketsphinx import NGramModel\n"
            f"m = NGramModel.readfile({lm!r})\n"
            f"m.write({out + '.part'!r}, NGramModel.str_to_type('arpa'))\n")
    # The writer segfaults after the bigrams; what it wrote is checked below.
    subprocess.run([os.path.join(env, "bin/python"), "-c", code])
    os.rename(out + ".part", out)
    return out


def read_arpa(path):
    uni, bo, big = {}, {}, []
    header = {}
    section = None
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            m = re.match(r"^ngram (\d)=(\d+)$", line)
            if m:
                header[int(m.group(1))] = int(m.group(2))
            if line.startswith("\\1-grams"):
                section = 1
                continue
            if line.startswith("\\2-grams"):
                section = 2
                continue
            if line.startswith("\\3-grams") or line.startswith("\\end"):
                section = None
                continue
            if not line or section is None:
                continue
            parts = line.split("\t")
            try:
                if section == 1:
                    uni[parts[1]] = float(parts[0])
                    bo[parts[1]] = float(parts[2]) if len(parts) > 2 else 0.0
                elif len(parts) >= 3:
                    big.append((parts[1], parts[2], float(parts[0])))
            except (IndexError, ValueError):
                pass  # the line the crash cut short
    assert len(uni) == header[1], (len(uni), header[1])
    # The crash costs at most a handful of the last bigrams.
    assert len(big) >= 0.999 * header[2], (len(big), header[2])
    return uni, bo, big


def build_lm():
    uni, bo, big = read_arpa(arpa())
    words = sorted(w for w in uni if WORD.match(w))
    assert len(words) < (1 << 17)
    ids = {w: i for i, w in enumerate(words)}
    by_first = [[] for _ in words]
    for w1, w2, lp in big:
        if w1 in ids and w2 in ids:
            by_first[ids[w1]].append((ids[w2], min(127, round(-lp * 10))))
    n_big = sum(len(b) for b in by_first)
    vocab = "".join(w + "\n" for w in words).encode()
    out = io.BytesIO()
    out.write(b"DSLM\x01\x00\x00\x00")
    out.write(struct.pack("<III", len(words), n_big, len(vocab)))
    out.write(vocab)
    out.write(bytes(min(255, round(-uni[w] * 10)) for w in words))
    out.write(bytes(max(0, min(254, round((bo[w] + 6.35) * 20))) for w in words))
    offset = 0
    offsets = [0]
    for b in by_first:
        offset += len(b)
        offsets.append(offset)
    out.write(struct.pack(f"<{len(offsets)}I", *offsets))
    for b in by_first:
        for w2, q in sorted(b):
            out.write(struct.pack("<I", w2 | (q << 17))[:3])
    with open(os.path.join(HERE, "lm.bin"), "wb") as f:
        f.write(out.getvalue())
    print(f"lm.bin: {len(words)} words, {n_big} bigrams, {out.tell()} bytes", file=sys.stderr)
    return set(words), uni


def moby():
    """The Moby thesaurus text from the thesaurus-moby crate."""
    proj = os.path.join(CACHE, "moby-fetch")
    if not os.path.isdir(proj):
        os.makedirs(os.path.join(proj, "src"))
        with open(os.path.join(proj, "Cargo.toml"), "w") as f:
            f.write('[package]\nname = "moby-fetch"\nversion = "0.0.0"\nedition = "2021"\n'
                    '[dependencies]\nthesaurus-moby = "=0.2.0"\n')
        with open(os.path.join(proj, "src/lib.rs"), "w") as f:
            f.write("")
    meta = subprocess.run(["cargo", "metadata", "--format-version", "1"], cwd=proj,
                          check=True, capture_output=True, text=True).stdout
    for p in json.loads(meta)["packages"]:
        if p["name"] == "thesaurus-moby":
            return os.path.join(os.path.dirname(p["manifest_path"]), "src/moby.txt")
    raise SystemExit("thesaurus-moby not found")


# An original must be at least this common (log10 unigram), and each spun
# word keeps at most this many originals, most frequent first: spinners swap
# common words for rarer synonyms.
MIN_ORIGINAL_LOG10 = -5.5
MIN_SPUN_LOG10 = -7.0
MAX_ORIGINALS = 12


def build_thesaurus(uni):
    """Inverse Moby: for each word, the head words whose synonym lists hold
    it and that are more frequent than it."""
    word = re.compile(r"^[a-z]+$")
    inverse = {}
    with open(moby(), encoding="utf-8", errors="replace") as f:
        for line in f:
            parts = line.rstrip("\n").split(",")
            root = parts[0]
            if not word.match(root) or uni.get(root, -99) < MIN_ORIGINAL_LOG10:
                continue
            for syn in parts[1:]:
                if (word.match(syn) and syn != root and uni.get(syn, -99) >= MIN_SPUN_LOG10
                        and uni[root] > uni[syn]):
                    inverse.setdefault(syn, set()).add(root)
    lines = []
    for syn in sorted(inverse):
        originals = sorted(inverse[syn], key=lambda r: (-uni[r], r))[:MAX_ORIGINALS]
        lines.append(syn + "\t" + "|".join(originals) + "\n")
    header = ("# Inverse Moby thesaurus: spun word<TAB>originals it may stand for, most\n"
              "# frequent first. Generated by models/build.py; do not edit.\n")
    with open(os.path.join(HERE, "thesaurus.tsv"), "w", encoding="utf-8") as f:
        f.write(header + "".join(lines))
    print(f"thesaurus.tsv: {len(lines)} words", file=sys.stderr)


def main():
    _, uni = build_lm()
    build_thesaurus(uni)


if __name__ == "__main__":
    main()
