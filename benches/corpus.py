#!/usr/bin/env python3
"""Writes a deterministic JSON Lines benchmark corpus of spun and clean news.

Usage: python3 benches/corpus.py OUT.jsonl [--mb 100] [--spun-percent 50]
                                 [--text-dir DIR] [--shared DIR]

Each line is {"id": N, "source": "...", "text": "..."}. The records cycle
through the development articles of ../shared/data/dev, each spun article
followed by its original, then the spun seed articles each followed by its
reference (with "{a|b}" alternatives resolved to "a"), until the file holds
at least --mb megabytes (10^6 bytes). The same options always give the same
bytes: files are taken in name order and nothing is random.

--spun-percent P makes P% of the records spun articles (default 50: spun
and original alternate). A real dump is mostly clean, and a spun document
costs despin about three times a clean one, so the share decides the
throughput; spun and clean records are spread evenly through the file,
each kind cycling through its articles in the order above.

--text-dir DIR also writes every record's text as DIR/NNNNNNN.txt (by id),
for tools that read plain files. Needs Python 3's standard library and
../shared (or --shared) only.
"""

import argparse
import json
import math
import os
import re
import sys
from pathlib import Path

ALTERNATIVES = re.compile(r"\{([^{}|]*)\|[^{}]*\}")


def default_shared():
    return Path(__file__).resolve().parent.parent.parent / "shared"


def documents(shared):
    """(source, text) in corpus order: spun, clean, spun, clean, ..."""
    dev = shared / "data" / "dev"
    spun_dir, original_dir = dev / "spun", dev / "original"
    if not spun_dir.is_dir() or not original_dir.is_dir():
        sys.exit(f"corpus.py: {spun_dir} and {original_dir} are needed (the dev data of ../shared)")
    docs = []
    names = sorted(p.name for p in spun_dir.glob("*.txt"))
    if not names:
        sys.exit(f"corpus.py: no .txt files in {spun_dir}")
    for name in names:
        original = original_dir / name
        if not original.is_file():
            sys.exit(f"corpus.py: {original} is missing (every spun article needs its original)")
        docs.append((f"data/dev/spun/{name}", (spun_dir / name).read_text(encoding="utf-8")))
        docs.append((f"data/dev/original/{name}", original.read_text(encoding="utf-8")))
    seeds = shared / "seeds"
    for spun in sorted(seeds.glob("*.txt")):
        if spun.name.endswith(".reference.txt"):
            continue
        reference = spun.with_name(spun.name[: -len(".txt")] + ".reference.txt")
        if not reference.is_file():
            continue
        docs.append((f"seeds/{spun.name}", spun.read_text(encoding="utf-8")))
        text = ALTERNATIVES.sub(r"\1", reference.read_text(encoding="utf-8"))
        docs.append((f"seeds/{reference.name}", text))
    return docs


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", help="the JSON Lines file to write")
    ap.add_argument("--mb", type=float, default=100, help="size in MB of 10^6 bytes (default 100)")
    ap.add_argument("--spun-percent", type=float, default=50,
                    help="share of records that are spun articles, 0 to 100 (default 50)")
    ap.add_argument("--text-dir", help="also write each record's text as DIR/NNNNNNN.txt")
    ap.add_argument("--shared", type=Path, default=default_shared(),
                    help="the shared data folder (default: ../shared beside the repository)")
    args = ap.parse_args()
    if args.mb <= 0:
        sys.exit("corpus.py: --mb must be positive")
    if not 0 <= args.spun_percent <= 100:
        sys.exit("corpus.py: --spun-percent must be between 0 and 100")

    docs = documents(args.shared)
    spun, clean = docs[0::2], docs[1::2]
    share = args.spun_percent / 100
    target = int(args.mb * 1_000_000)
    text_dir = Path(args.text_dir) if args.text_dir else None
    if text_dir:
        text_dir.mkdir(parents=True, exist_ok=True)
    # Written under a temporary name and renamed at the end, so that an
    # interrupted run never leaves a short corpus that looks finished.
    out = Path(args.out)
    tmp = out.with_name(out.name + ".tmp")
    written = 0
    n = 0
    with open(tmp, "wb") as f:
        while written < target:
            # Record n is spun when the count of spun records owed so far,
            # rounded up, grows: 50% gives spun, clean, spun, clean, ...
            owed = math.ceil(round((n + 1) * share, 9))
            if owed > math.ceil(round(n * share, 9)):
                source, text = spun[(owed - 1) % len(spun)]
            else:
                source, text = clean[(n - owed) % len(clean)]
            line = json.dumps({"id": n, "source": source, "text": text}, ensure_ascii=False)
            data = (line + "\n").encode("utf-8")
            f.write(data)
            written += len(data)
            if text_dir:
                (text_dir / f"{n:07d}.txt").write_text(text, encoding="utf-8")
            n += 1
    os.replace(tmp, out)
    print(f"{out}: {n} records, {written} bytes ({len(docs)} distinct documents)", file=sys.stderr)


if __name__ == "__main__":
    main()
