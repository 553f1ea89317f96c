#!/usr/bin/env python3
"""Regenerates dictionaries/science.tsv from the raw PPS exports.

Usage (from the crate root):

    python3 dictionaries/build_science.py [../shared/data/tortured]

The tortured phrases come from the Problematic Paper Screener (PPS) by
Guillaume Cabanac, Cyril Labbé and Alexander Magazinov, CC BY 4.0, in two
public exports: pps-tortured-phrases.json (preferred) and
pps-tortured-phrases-with-counts.csv (pairs not in the JSON are added).

Cleaning, in order:

* CSV query strings (`"surface region" AND "surface area"`): the first
  quoted phrase is the tortured one. Proximity queries (`"a b"~10`) are
  not phrases and are dropped; queries with `NOT` exclusions or `AND` terms
  other than the expected phrase need context, so they become report-only.
* Expected phrases lose notes: `(roi)`-style parentheticals the tortured
  phrase does not share, `[neural network]`, `, see https://...`, quotes.
  A trailing parenthetical shared by both sides (`(ai)`) is cut from both.
* Uncertain or unclear expected phrases (a `?`, alternatives written with
  `/`, ` and `-joined lists from the CSV's `AND`, leftover brackets) become
  report-only; those with nothing left (`???`) or that are instructions
  (`Search and replace ...`) are dropped.
* Keys are lower-cased; pairs whose two sides are equal, or whose tortured
  side is a single ordinary English word (`bosom` for `breast`), are dropped.
* One line per tortured phrase: originals of duplicates become
  alternatives (`a|b`), JSON first.
* No chains: an entry whose tortured phrase is another entry's expected
  phrase (or a spun form of the news dictionary: `dictionaries/news.tsv`)
  is made report-only, so a repair never produces a form that is repaired
  again.
"""

import csv
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "..", "shared", "data", "tortured")
OUT = os.path.join(HERE, "science.tsv")
NEWS = os.path.join(HERE, "news.tsv")
THESAURUS = os.path.join(HERE, "..", "models", "thesaurus.tsv")

TOKEN = re.compile(r"[^\W_]+(?:['\u2019\-\u2011][^\W_]+)*|[^\w\s]|_")


def key(s):
    """Approximates despin's match_key: lower-case tokens joined by spaces."""
    return " ".join(t.lower().replace("\u2019", "'") for t in TOKEN.findall(s))


def squash(s):
    return re.sub(r"\s+", " ", s.replace("\t", " ")).strip()


def common_words():
    """Ordinary English words: those the inverse thesaurus offers as
    originals (the frequent words of the Moby thesaurus)."""
    words = set()
    with open(THESAURUS, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or "\t" not in line:
                continue
            for w in line.rstrip("\n").split("\t")[1].split("|"):
                words.add(w.lower())
    return words


def clean_pair(tortured, expected):
    """Returns (tortured, expected, report) or None to drop, with a reason."""
    t = squash(tortured.replace('\\"', "").replace('"', "")).lower()
    e = squash(expected.replace('\\"', "").replace('"', ""))
    report = False
    if not t or not e:
        return None, "empty"
    if re.search(r"search and replace|->|https?:", e, re.I) and not re.search(r", see https?:", e, re.I):
        return None, "instruction, not a phrase"
    e = re.sub(r",?\s*see https?://\S*", "", e, flags=re.I).strip()
    if "?" in e:
        report = "uncertain (?)"
        e = squash(e.replace("(?)", " ").replace("?", " "))
    e = squash(re.sub(r"\[[^\]]*\]", " ", e))
    # A trailing parenthetical both sides share: cut from both.
    m_t = re.search(r"\s*(\([^()]*\))$", t)
    m_e = re.search(r"\s*(\([^()]*\))$", e)
    if m_t and m_e and m_t.group(1).lower() == m_e.group(1).lower():
        t, e = t[: m_t.start()].strip(), e[: m_e.start()].strip()
    elif m_t and not m_e:
        t = t[: m_t.start()].strip()
    # Notes in the expected phrase the tortured one does not hold.
    def note(m):
        return m.group(0) if m.group(0).lower() in t else " "

    prev = None
    while prev != e:
        prev, e = e, squash(re.sub(r"\([^()]*\)", note, e))
    e = squash(re.sub(r"\s+([,.;:])", r"\1", e))
    if not e or not re.search(r"\w", e) or not re.search(r"\w", t):
        return None, "nothing left"
    if not report and re.search(r"[()\[\]/;]| AND |\.\.\.|…", e):
        report = "unclear expected phrase (/, brackets, lists)"
    if "|" in e or "|" in t or "#" in t[:1]:
        return None, "unusable characters"
    if key(t) == key(e):
        return None, "equal sides"
    return (t, e, report), None


def main():
    common = common_words()
    with open(os.path.join(SRC, "pps-tortured-phrases.json"), encoding="utf-8") as f:
        data = json.load(f)
    raw = [(p["tortured"], p["correct"], False, "json") for p in data["phrases"]]
    with open(os.path.join(SRC, "pps-tortured-phrases-with-counts.csv"), encoding="utf-8") as f:
        for row in csv.DictReader(f):
            q = row["tortured_phrase"].strip()
            m = re.match(r'"([^"]*)"(.*)$', q, re.S)
            if not m:
                raw.append((None, None, None, "csv: unquoted query"))
                continue
            phrase, rest = m.group(1), m.group(2).strip()
            if re.match(r"~\d", rest):
                raw.append((None, None, None, "csv: proximity query"))
                continue
            needs_context = False
            if "NOT" in rest:
                needs_context = True
            for term in re.findall(r'AND\s+"?([^"]+?)"?(?=\s+AND|\s+NOT|$)', rest):
                if key(term) not in (key(row["expected_phrase"]), key(re.sub(r"\([^)]*\)", "", row["expected_phrase"]))):
                    needs_context = True
            raw.append((phrase, row["expected_phrase"], needs_context, "csv"))

    dropped = {}
    entries = {}  # key -> [spun, [originals], report]
    order = []
    for t, e, ctx, origin in raw:
        if t is None:
            dropped[origin] = dropped.get(origin, 0) + 1
            continue
        pair, why = clean_pair(t, e)
        if pair is None:
            dropped[why] = dropped.get(why, 0) + 1
            continue
        t, e, report = pair
        if not report and ctx:
            report = "csv query needs context (NOT, other AND terms)"
        k = key(t)
        if len(k.split()) == 1 and "-" not in k and k in common:
            dropped["single ordinary word"] = dropped.get("single ordinary word", 0) + 1
            continue
        if k in entries:
            ent = entries[k]
            if origin == "csv" and ent[3] == "json":
                # The JSON is preferred; the CSV only adds pairs.
                dropped["csv duplicate of json"] = dropped.get("csv duplicate of json", 0) + 1
                continue
            if key(e) not in {key(o) for o in ent[1]}:
                ent[1].append(e)
            ent[2] = ent[2] and report
            dropped["duplicate merged"] = dropped.get("duplicate merged", 0) + 1
            continue
        entries[k] = [t, [e], report, origin]
        order.append(k)

    # No chains: a tortured phrase that is some repair's result (another
    # entry's expected phrase, or a news spun form) is report-only.
    originals = {key(o) for ent in entries.values() for o in ent[1]}
    news = set()
    with open(NEWS, encoding="utf-8") as f:
        for line in f:
            if line.strip() and not line.lstrip().startswith("#") and "\t" in line:
                news.add(key(line.split("\t")[0]))
    chained = 0
    for k, ent in entries.items():
        if not ent[2] and k in originals:
            ent[2] = True
            chained += 1
    # And no original may be a news spun form (the packs are used together).
    news_chain = 0
    for k, ent in list(entries.items()):
        kept = [o for o in ent[1] if key(o) not in news]
        if not kept:
            if not ent[2]:
                ent[2] = True
                news_chain += 1
        else:
            ent[1] = kept

    # A longer entry that only adds the same words on both sides of a shorter
    # one ("area under the roc bend" beside "roc bend") can never repair
    # differently: drop it (`despin dict lint` calls it redundant).
    active = {k: {key(o) for o in ent[1]} for k, ent in entries.items() if not ent[2]}

    def covered(spun, orig):
        words = spun.split()
        for i in range(1, len(words)):
            head, tail = " ".join(words[:i]), " ".join(words[i:])
            if head in active and orig.endswith(" " + tail) and orig[:-len(tail) - 1] in active[head]:
                return True
            if tail in active and orig.startswith(head + " ") and orig[len(head) + 1:] in active[tail]:
                return True
        return False

    redundant = [k for k, ent in entries.items()
                 if not ent[2] and all(covered(k, key(o)) for o in ent[1])]
    for k in redundant:
        del entries[k]
    dropped["redundant beside a shorter entry"] = len(redundant)

    lines = sorted(entries.values(), key=lambda ent: (ent[0].lower(), ent[0]))
    reasons = {}
    for ent in lines:
        if isinstance(ent[2], str):
            reasons[ent[2]] = reasons.get(ent[2], 0) + 1
    report_n = sum(1 for ent in lines if ent[2])
    with open(OUT, "w", encoding="utf-8", newline="\n") as f:
        f.write(
            "# Tortured phrases in scientific writing: tortured<TAB>expected.\n"
            "# Source: Problematic Paper Screener (PPS) by Guillaume Cabanac, Cyril Labbé\n"
            "# and Alexander Magazinov, CC BY 4.0\n"
            "# (https://dbrech.irit.fr/pls/apex/f?p=9999:5:::NO:::), via the exports in\n"
            "# giladfeldman/torturedcheck and hahuyhoang411/tortured-phrase.\n"
            "# Generated by dictionaries/build_science.py; do not edit by hand.\n"
            "# Entries marked `report` are uncertain or need context: reported, never\n"
            "# repaired.\n"
        )
        for t, origs, report, _ in lines:
            f.write(f"{t}\t{'|'.join(origs)}" + ("\treport" if report else "") + "\n")
    print(f"{len(lines)} entries ({report_n} report-only; {chained} made report-only as chains, "
          f"{news_chain} for news spun forms) -> {OUT}", file=sys.stderr)
    for why, n in sorted(reasons.items(), key=lambda x: -x[1]):
        print(f"  {n:5}  report-only: {why}", file=sys.stderr)
    for why, n in sorted(dropped.items(), key=lambda x: -x[1]):
        print(f"  {n:5}  dropped: {why}", file=sys.stderr)


if __name__ == "__main__":
    main()
