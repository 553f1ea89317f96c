#!/usr/bin/env python3
"""Regenerate despin's compiled tables from registry packages.

    python3 models/build.py            # writes models/lm.bin and models/thesaurus.tsv

Sources (fetched into a cache, never committed; see models/SOURCES.md):
  * Debian `pocketsphinx-en-us`: the CMU Sphinx US English trigram model
    (en-us.lm.bin), read directly from its binary trie (layout below).
  * crates.io `thesaurus-moby` 0.2.0: the Moby thesaurus (public domain).

The cache is $DESPIN_BUILD_CACHE or ~/.cache/despin-build. Needs network
access to the package registries only, Python 3, apt-get and cargo.

The Sphinx trie (sphinxbase lm_trie, KenLM-style, n-grams stored reversed):
  "Trie Language Model", u8 order, u32 counts[order], i32 quant type,
  f32 tables[3][65536] (bigram prob, bigram back-off, trigram prob; log base
  1.0001), unigrams[n1 + 1] of (f32 prob, f32 back-off, u32 next), then bit
  packed (little endian) bigrams, 70 bits each: previous word (17),
  back-off bin (16), prob bin (16), next (21): the entries under unigram w
  are the bigrams ending in w, and an entry's next range holds the trigrams
  ending in that bigram; 8 bytes of padding; trigrams, 33 bits each: the
  word two back (17), prob bin (16). Word strings, NUL-terminated, at the end.

lm.bin layout (little endian), read by src/lm.rs:
  b"DSLM\x02\x00\x00\x00"
  u32 n_words, u32 n_bigrams, u32 n_trigrams, u32 n_overflow, u32 vocab_bytes
  vocab: words sorted (byte order), each followed by b"\n"
  u8[n_words]  unigram   q = round(-log10 p * 10), capped at 255
  u8[n_words]  back-off  q = round((b + 6.35) * 20), capped to 0..254
  u32[n_words + 1] bigram offsets, by first word
  bigrams: 3 bytes each, u24 = second word id | (q << 17), q = round(-log10 p * 10) capped at 127,
           sorted by second word id within each first word
  u8[n_bigrams] bigram back-off, quantised as for unigrams
  u8[n_bigrams] trigrams under each bigram (255: see the overflow table)
  overflow: n_overflow pairs of u32 (bigram index, trigram count)
  trigrams: 3 bytes each like bigrams (third word id | q << 17), grouped by
           bigram in bigram order, sorted by third word id
"""
import io
import math
import json
import os
import re
import struct
import subprocess
import sys

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


# Trigrams whose probability differs from the back-off estimate by less than
# this (log10) are dropped: the estimate gives nearly the same answer.
TRIGRAM_MIN_GAIN = 0.3
LOG10_BASE = math.log10(1.0001)


def read_trie():
    """Unigrams, bigrams and trigrams (word strings, log10) from the trie."""
    path = os.path.join(deb("pocketsphinx-en-us"), "usr/share/pocketsphinx/model/en-us/en-us.lm.bin")
    with open(path, "rb") as f:
        b = f.read()
    assert b[:19] == b"Trie Language Model" and b[19] == 3, "not a Sphinx trigram trie"
    n1, n2, n3 = struct.unpack("<3I", b[20:32])
    tables = [struct.unpack("<65536f", b[36 + k * 262144:36 + (k + 1) * 262144]) for k in range(3)]
    bigram_prob, bigram_bo, trigram_prob = tables
    uo = 36 + 3 * 262144
    uni = [struct.unpack("<ffI", b[uo + 12 * i:uo + 12 * i + 12]) for i in range(n1 + 1)]
    base = uo + 12 * (n1 + 1)
    words = [w.decode("utf-8", "replace") for w in b.rstrip(b"\x00").split(b"\x00")[-n1:]]
    word_bits, next_bits = 17, math.ceil(math.log2(n3 + 1))
    assert n1 < (1 << word_bits)
    big_bits = word_bits + 32 + next_bits
    tri_bits = word_bits + 16
    tri_base = (base + ((n2 + 1) * big_bits + 7) // 8 + 8) * 8

    def read(bit, width):
        v = int.from_bytes(b[bit >> 3:(bit >> 3) + 9], "little")
        return (v >> (bit & 7)) & ((1 << width) - 1)

    def big(i):
        o = base * 8 + i * big_bits
        return (read(o, word_bits), read(o + word_bits, 16), read(o + word_bits + 16, 16),
                read(o + word_bits + 32, next_bits))

    unigrams = {words[i]: (uni[i][0] * LOG10_BASE, uni[i][1] * LOG10_BASE) for i in range(n1)}
    bigrams, trigrams = {}, []
    for w2 in range(n1):
        for e in range(uni[w2][2], uni[w2 + 1][2]):
            w1, boq, pq, nxt = big(e)
            bigrams[(words[w1], words[w2])] = (bigram_prob[pq] * LOG10_BASE, bigram_bo[boq] * LOG10_BASE)
            for t in range(nxt, big(e + 1)[3]):
                o = tri_base + t * tri_bits
                w0 = read(o, word_bits)
                trigrams.append((words[w0], words[w1], words[w2],
                                 trigram_prob[read(o + word_bits, 16)] * LOG10_BASE))
    assert len(bigrams) >= n2 - 8 and len(trigrams) == n3, (len(bigrams), n2, len(trigrams), n3)
    return unigrams, bigrams, trigrams


def build_lm():
    unigrams, bigrams, trigrams = read_trie()
    words = sorted(w for w in unigrams if WORD.match(w))
    ids = {w: i for i, w in enumerate(words)}

    def q_prob(lp):
        return min(127, round(-lp * 10))

    def q_bo(bo):
        return max(0, min(254, round((bo + 6.35) * 20)))

    # Bigrams by first word, sorted by second.
    by_first = [[] for _ in words]
    for (w1, w2), (lp, bo) in bigrams.items():
        if w1 in ids and w2 in ids:
            by_first[ids[w1]].append((ids[w2], lp, bo))
    for b in by_first:
        b.sort()
    big_index = {}
    for i, b in enumerate(by_first):
        for w2, _, _ in b:
            big_index[(i, w2)] = len(big_index)
    n_big = len(big_index)

    def p_bigram(w1, w2):
        hit = bigrams.get((w1, w2))
        return hit[0] if hit else unigrams[w1][1] + unigrams[w2][0]

    # Trigrams that the back-off estimate does not already give, grouped by
    # their bigram context.
    under = {}
    for w1, w2, w3, lp in trigrams:
        if not (w1 in ids and w2 in ids and w3 in ids):
            continue
        ctx = bigrams.get((w1, w2))
        estimate = (ctx[1] if ctx else 0.0) + p_bigram(w2, w3)
        if abs(lp - estimate) < TRIGRAM_MIN_GAIN:
            continue
        e = big_index.get((ids[w1], ids[w2]))
        if e is not None:
            under.setdefault(e, []).append((ids[w3], lp))
    n_tri = sum(len(v) for v in under.values())
    counts = [len(under.get(e, ())) for e in range(n_big)]
    overflow = [(e, c) for e, c in enumerate(counts) if c >= 255]

    vocab = "".join(w + "\n" for w in words).encode()
    out = io.BytesIO()
    out.write(b"DSLM\x02\x00\x00\x00")
    out.write(struct.pack("<5I", len(words), n_big, n_tri, len(overflow), len(vocab)))
    out.write(vocab)
    out.write(bytes(min(255, round(-unigrams[w][0] * 10)) for w in words))
    out.write(bytes(q_bo(unigrams[w][1]) for w in words))
    offset, offsets = 0, [0]
    for b in by_first:
        offset += len(b)
        offsets.append(offset)
    out.write(struct.pack(f"<{len(offsets)}I", *offsets))
    for b in by_first:
        for w2, lp, _ in b:
            out.write(struct.pack("<I", w2 | (q_prob(lp) << 17))[:3])
    out.write(bytes(q_bo(bo) for b in by_first for _, _, bo in b))
    out.write(bytes(min(c, 255) for c in counts))
    for e, c in overflow:
        out.write(struct.pack("<II", e, c))
    for e in range(n_big):
        for w3, lp in sorted(under.get(e, ())):
            out.write(struct.pack("<I", w3 | (q_prob(lp) << 17))[:3])
    with open(os.path.join(HERE, "lm.bin"), "wb") as f:
        f.write(out.getvalue())
    print(f"lm.bin: {len(words)} words, {n_big} bigrams, {n_tri} trigrams, {out.tell()} bytes",
          file=sys.stderr)
    return set(words), {w: lp for w, (lp, _) in unigrams.items()}


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
