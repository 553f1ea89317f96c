#!/usr/bin/env bash
# Issue 5's targets, measured side by side on one corpus in one run:
# `wc -w` against `despin clean --format jsonl` with 1 and 2 threads
# (throughput, ratios, 1->2 thread scaling, peak memory), plus the checks
# that -j1 and -j2 write identical bytes and as many records as were read.
#
#   benches/throughput.sh [--mb N] [--spun-percent P] [--runs N] [FILE.jsonl]
#
# Without FILE, writes a corpus of N MB (default 100) of mixed spun and clean
# news with benches/corpus.py into target/bench-corpus/ (needs ../shared),
# P% of its records spun (default 50; a real dump is mostly clean).
# Each timing is the best of --runs (default 3). Needs GNU time
# (/usr/bin/time) for peak memory.
set -euo pipefail

die() {
    echo "throughput: $*" >&2
    exit 1
}

mb=100
spun=50
runs=3
file=
while [ $# -gt 0 ]; do
    case "$1" in
    --mb) mb=${2:?--mb needs a value}; shift 2 ;;
    --spun-percent) spun=${2:?--spun-percent needs a value}; shift 2 ;;
    --runs) runs=${2:?--runs needs a value}; shift 2 ;;
    -h | --help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) die "unknown option '$1'" ;;
    *) file=$1; shift ;;
    esac
done
[[ $runs =~ ^[1-9][0-9]*$ ]] || die "--runs must be a positive whole number"
[ -x /usr/bin/time ] || die "GNU time (/usr/bin/time) is needed for peak memory"

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
cargo build --release --quiet
despin=$root/target/release/despin
if [ -z "$file" ]; then
    mkdir -p target/bench-corpus
    file=target/bench-corpus/throughput-${mb}mb.jsonl
    [ "$spun" = 50 ] || file=target/bench-corpus/throughput-${mb}mb-${spun}pc-spun.jsonl
    [ -s "$file" ] || python3 benches/corpus.py "$file" --mb "$mb" --spun-percent "$spun"
fi
[ -r "$file" ] || die "cannot read $file"
bytes=$(stat -c %s "$file")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# best_of CMD...: runs CMD (stdout to $tmp/out) --runs times; prints the best
# wall time in seconds and the largest peak RSS in KB.
best_of() {
    local best= rss=0 i t m
    for ((i = 0; i < runs; i++)); do
        /usr/bin/time -f '%e %M' -o "$tmp/time" "$@" >"$tmp/out"
        read -r t m <"$tmp/time"
        if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best=$t; fi
        ((m > rss)) && rss=$m
    done
    echo "$best $rss"
}

read -r wc_s wc_kb < <(LC_ALL=C best_of wc -w "$file")
read -r j1_s j1_kb < <(best_of "$despin" clean --no-config --format jsonl -j 1 "$file")
cp "$tmp/out" "$tmp/j1.jsonl"
read -r j2_s j2_kb < <(best_of "$despin" clean --no-config --format jsonl -j 2 "$file")
cp "$tmp/out" "$tmp/j2.jsonl"

same=yes
cmp -s "$tmp/j1.jsonl" "$tmp/j2.jsonl" || same=NO
records_in=$(wc -l <"$file")
records_out=$(wc -l <"$tmp/j2.jsonl")

mbs() { awk "BEGIN{printf \"%.1f\", $bytes / 1e6 / $1}"; }
ratio() { awk "BEGIN{printf \"%.3f\", $2 / $1}"; }
echo "corpus: $file ($bytes bytes, $records_in records); best of $runs; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| command | seconds | MB/s | throughput / wc -w | peak RSS |"
echo "| --- | ---: | ---: | ---: | ---: |"
echo "| \`wc -w\` | $wc_s | $(mbs "$wc_s") | 1.000 | $((wc_kb / 1024)) MB |"
echo "| \`despin clean --format jsonl -j 1\` | $j1_s | $(mbs "$j1_s") | $(ratio "$j1_s" "$wc_s") | $((j1_kb / 1024)) MB |"
echo "| \`despin clean --format jsonl -j 2\` | $j2_s | $(mbs "$j2_s") | $(ratio "$j2_s" "$wc_s") | $((j2_kb / 1024)) MB |"
echo
echo "scaling 1 -> 2 threads: $(ratio "$j2_s" "$j1_s")x"
echo "-j 1 and -j 2 outputs identical: $same; records in $records_in, out $records_out"
