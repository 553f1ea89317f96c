#!/usr/bin/env python3
"""despin against its peers on one JSON Lines corpus (run through run.sh).

    peers.py bench --corpus C --despin BIN --dict TSV [--runs 3] [--work DIR]
    peers.py flashtext CORPUS TSV      # one pass, JSON Lines on stdout
    peers.py regex CORPUS TSV          # one pass, JSON Lines on stdout

`bench` times every tool as a separate process, end to end on the whole
file (start-up, loading the dictionary, reading, replacing, writing), keeps
the best of --runs, checks the output of the last run (one line out per
line in, how many spun and clean records changed) and prints a Markdown
table. The peers get the same dictionary as despin, without its options:
each spun form (case-insensitive) becomes its first original, everywhere.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path


def load_dictionary(path):
    """Lower-cased spun form -> first original, for every entry of a
    despin TSV dictionary (`spun<TAB>original[<TAB>options]`; `#` comments,
    `>` and `=` examples skipped). Options are ignored. A spun form listed
    twice (differing only in case) keeps its first entry."""
    mapping = {}
    with open(path, encoding="utf-8-sig") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\r\n")
            if not line.strip() or line.lstrip()[0] in "#>=":
                continue
            cols = line.split("\t")
            if len(cols) < 2 or not cols[0].strip() or not cols[1].strip():
                sys.exit(f"{path}:{n}: expected spun<TAB>original[<TAB>options]")
            mapping.setdefault(cols[0].strip().lower(), cols[1].split("|")[0].strip())
    if not mapping:
        sys.exit(f"{path}: no entries")
    return mapping


def flashtext_replacer(mapping):
    from flashtext import KeywordProcessor

    kp = KeywordProcessor(case_sensitive=False)
    for spun, original in mapping.items():
        kp.add_keyword(spun, original)
    return kp.replace_keywords


def regex_replacer(mapping):
    # Longest first, so that "a number of different" wins over "a number of".
    alternation = "|".join(re.escape(k) for k in sorted(mapping, key=len, reverse=True))
    pattern = re.compile(rf"\b(?:{alternation})\b", re.IGNORECASE)

    def repl(m):
        return mapping.get(m.group(0).lower(), m.group(0))

    return lambda text: pattern.sub(repl, text)


def replace_jsonl(replace, corpus):
    """Reads JSON Lines, replaces in each record's "text", writes to stdout."""
    out = open(sys.stdout.fileno(), "w", encoding="utf-8", closefd=False, buffering=1 << 20)
    with open(corpus, encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            record["text"] = replace(record["text"])
            out.write(json.dumps(record, ensure_ascii=False))
            out.write("\n")
    out.flush()


def best_time(name, cmd, out_path, runs, env=None):
    """Best wall time of `runs` runs of `cmd`, stdout to `out_path`."""
    times = []
    for i in range(runs):
        with open(out_path, "wb") as out:
            t0 = time.perf_counter()
            proc = subprocess.run(cmd, stdout=out, stderr=subprocess.PIPE, env=env)
            elapsed = time.perf_counter() - t0
        if proc.returncode != 0:
            sys.exit(
                f"peers: {name} failed (exit {proc.returncode}): {' '.join(map(str, cmd))}\n"
                + proc.stderr.decode("utf-8", "replace")[-2000:]
            )
        times.append(elapsed)
        print(f"  {name}: run {i + 1}/{runs}: {elapsed:.2f} s", file=sys.stderr)
    return min(times)


def is_clean_source(source):
    """Whether a corpus record (by its "source") is an original article."""
    return "/original/" in source or source.endswith(".reference.txt")


def changed_records(corpus, out_path):
    """(spun records changed, clean records changed), checking that the
    output has one line per input line."""
    spun = clean = 0
    with open(corpus, "rb") as a, open(out_path, "rb") as b:
        for n, (x, y) in enumerate(zip(a, b), 1):
            if x != y:
                if is_clean_source(json.loads(x)["source"]):
                    clean += 1
                else:
                    spun += 1
        rest_a, rest_b = a.read(1), b.read(1)
    if rest_a or rest_b:
        sys.exit(f"peers: {out_path}: not one output line per input line")
    return spun, clean


def bench(args):
    corpus = Path(args.corpus)
    size = corpus.stat().st_size
    records = clean_records = 0
    with open(corpus, "rb") as f:
        for line in f:
            records += 1
            clean_records += is_clean_source(json.loads(line)["source"])
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    out_path = work / "peers-out.tmp"
    me = [sys.executable, os.path.abspath(__file__)]
    despin = [args.despin, "clean", "--no-config", "--format", "jsonl"]
    c_locale = dict(os.environ, LC_ALL="C")
    tools = [
        # (name, command, environment, writes JSON Lines)
        ("wc -w", ["wc", "-w", str(corpus)], c_locale, False),
        ("FlashText", me + ["flashtext", str(corpus), args.dict], None, True),
        ("Python re", me + ["regex", str(corpus), args.dict], None, True),
        ("despin -j 1", despin + ["-j", "1", str(corpus)], None, True),
        ("despin -j 2", despin + ["-j", "2", str(corpus)], None, True),
    ]
    print(f"corpus: {corpus} ({size / 1e6:.1f} MB, {records} records, "
          f"{records - clean_records} spun); best of {args.runs} runs", file=sys.stderr)
    rows = []
    for name, cmd, env, jsonl in tools:
        seconds = best_time(name, cmd, out_path, args.runs, env)
        if jsonl:
            spun, clean = changed_records(corpus, out_path)
            changed = f"{spun:,} / {clean:,}"
        else:
            words = out_path.read_text().split()[0]
            changed = f"({int(words):,} words)"
        rows.append((name, seconds, changed))
    out_path.unlink()

    base = dict((name, s) for name, s, _ in rows)
    print()
    print(f"Corpus: {size / 1e6:.1f} MB of JSON Lines, {records:,} records "
          f"({records - clean_records:,} spun, {clean_records:,} clean); "
          f"best of {args.runs} runs, wall time of the whole process.")
    print()
    print("| tool | seconds | MB/s | time ÷ wc -w | time ÷ FlashText | records changed (spun / clean) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name, s, changed in rows:
        print(f"| {name} | {s:.2f} | {size / 1e6 / s:.1f} | {s / base['wc -w']:.1f} "
              f"| {s / base['FlashText']:.2f} | {changed} |")
    print()
    print("FlashText and Python re replace every spun form of the dictionary everywhere, "
          "ignoring its options: no context checking, no spin score, no case transfer. "
          "wc -w runs with LC_ALL=C.")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="command", required=True)
    b = sub.add_parser("bench", help="time every tool and print the table")
    b.add_argument("--corpus", required=True)
    b.add_argument("--despin", required=True, help="the despin binary")
    b.add_argument("--dict", required=True, help="the TSV dictionary (dictionaries/news.tsv)")
    b.add_argument("--runs", type=int, default=3)
    b.add_argument("--work", default=".", help="folder for the temporary output")
    for name in ("flashtext", "regex"):
        p = sub.add_parser(name, help=f"one pass of the {name} peer, JSON Lines on stdout")
        p.add_argument("corpus")
        p.add_argument("dict")
    args = ap.parse_args()
    if args.command == "bench":
        if args.runs < 1:
            sys.exit("peers: --runs must be at least 1")
        bench(args)
    else:
        mapping = load_dictionary(args.dict)
        make = flashtext_replacer if args.command == "flashtext" else regex_replacer
        replace_jsonl(make(mapping), args.corpus)


if __name__ == "__main__":
    main()
