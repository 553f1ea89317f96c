#!/usr/bin/env bash
# despin against its peers (FlashText, a Python regex, wc -w) on the same
# JSON Lines corpus; prints a Markdown table.
#
#   benches/peers/run.sh [--mb N] [--runs N]
#
# --mb: corpus size in MB (default 100); --runs: best of N runs (default 3).
# Installs flashtext once into target/peers-venv (from PyPI: the only
# download, and only on the first run), builds despin in release mode,
# writes the corpus with benches/corpus.py into target/bench-corpus/ if it
# is not there yet (it needs ../shared), then times the tools.
set -euo pipefail

die() {
    echo "peers: $*" >&2
    exit 1
}

usage() {
    sed -n '5,11p' "$0" | sed 's/^# \{0,1\}//'
}

mb=100
runs=3
while [ $# -gt 0 ]; do
    case "$1" in
    --mb)
        [ $# -ge 2 ] || die "--mb needs a value"
        mb=$2
        shift 2
        ;;
    --runs)
        [ $# -ge 2 ] || die "--runs needs a value"
        runs=$2
        shift 2
        ;;
    -h | --help)
        usage
        exit 0
        ;;
    *) die "unknown argument '$1' (usage: benches/peers/run.sh [--mb N] [--runs N])" ;;
    esac
done
[[ $mb =~ ^[0-9]+([.][0-9]+)?$ ]] && [[ ! $mb =~ ^0+([.]0*)?$ ]] || die "--mb must be a positive number, not '$mb'"
[[ $runs =~ ^[1-9][0-9]*$ ]] || die "--runs must be a positive whole number, not '$runs'"

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
for tool in python3 cargo wc; do
    command -v "$tool" >/dev/null || die "$tool is not on PATH"
done

# (a) flashtext in a venv of its own; kept between runs.
venv=$root/target/peers-venv
if ! "$venv/bin/python" -c 'import flashtext' 2>/dev/null; then
    echo "peers: installing flashtext into $venv" >&2
    python3 -m venv --clear "$venv" ||
        die "could not create a venv with 'python3 -m venv' (on Debian: apt-get install python3-venv)"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check 'flashtext==2.7' ||
        die "could not install flashtext from PyPI into $venv"
fi

# (b) despin, release build.
echo "peers: cargo build --release" >&2
(cd "$root" && cargo build --release --quiet) || die "cargo build --release failed"
despin=${CARGO_TARGET_DIR:-$root/target}/release/despin
[ -x "$despin" ] || die "no despin binary at $despin"

# (c) the corpus, made again when corpus.py is newer than it.
corpus_dir=$root/target/bench-corpus
corpus=$corpus_dir/news-${mb}mb.jsonl
if [ ! -s "$corpus" ] || [ "$root/benches/corpus.py" -nt "$corpus" ]; then
    mkdir -p "$corpus_dir"
    echo "peers: writing $corpus" >&2
    python3 "$root/benches/corpus.py" "$corpus" --mb "$mb" ||
        die "benches/corpus.py failed (it needs ../shared/data/dev beside the repository)"
fi

# (d), (e) time the tools and print the table.
"$venv/bin/python" "$here/peers.py" bench --corpus "$corpus" --despin "$despin" \
    --dict "$root/dictionaries/news.tsv" --runs "$runs" --work "$corpus_dir"
