#!/usr/bin/env bash
# opbrief beside the peers: the same figures built by opbrief and by the
# Typst + xlsxwriter peer (../shared/peers/peer_typst.py), whole process,
# each run into a fresh output folder, runs alternating, medians with the
# spread (min–max). Prints one Markdown table with the ratio per case.
# Not part of CI (it installs Python packages and takes minutes).
#
#   bench/peers.sh                         # sample, 26x6, 5000, 50000
#   CASES="sample 5000" bench/peers.sh     # a subset
#   RUNS=9 bench/peers.sh                  # runs per case (50000: BIG_RUNS)
#   PEERS=/path/to/peers bench/peers.sh    # where the peers live
#
# The virtual environment and the generated data live outside the
# repository, under $CACHE (default ~/.cache/opbrief-bench), and are reused.
set -euo pipefail
cd "$(dirname "$0")/.."

PEERS=$(cd "${PEERS:-../shared/peers}" && pwd)
CACHE=${CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/opbrief-bench}
RUNS=${RUNS:-5}
BIG_RUNS=${BIG_RUNS:-3}
# The peer needs about a minute per 50 000-return run.
PEER_BIG_RUNS=${PEER_BIG_RUNS:-1}
CASES=${CASES:-"sample 26x6 5000 50000"}

if [ ! -x /usr/bin/time ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq time >/dev/null
fi
venv=$CACHE/venv
if [ ! -x "$venv/bin/python" ]; then
  echo "installing the peers' packages into $venv" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q -r "$PEERS/requirements.txt"
fi

cargo build --locked --release --quiet
bin=$PWD/target/release/opbrief
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The peers' data for a case (generated once), and the same figures as an
# opbrief operation (converted once).
peer_data() {
  case "$1" in
    sample) echo "$PEERS/data/jad-see-2023.toml" ;;
    *) echo "$CACHE/data/$1" ;;
  esac
}
prepare() {
  local data
  data=$(peer_data "$1")
  case "$1" in
    sample) ;;
    26x6) [ -d "$data" ] || python3 "$PEERS/gen_scale.py" --countries 26 --days 6 --out "$data" >/dev/null ;;
    5000 | 50000) [ -d "$data" ] || python3 "$PEERS/gen_scale.py" --files "$1" --out "$data" >/dev/null ;;
    *) echo "unknown case: $1" >&2; exit 2 ;;
  esac
  rm -rf "$work/op-$1"
  # From the project root: the converter reads templates/catalogue.toml.
  python3 "$PEERS/to_opbrief.py" "$data" "$work/op-$1" >/dev/null
}

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
spread() { sort -n | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%s–%s", lo, hi }'; }
seconds() { awk -v ms="$1" 'BEGIN { if (ms < 1000) printf "%.0f ms", ms; else printf "%.2f s", ms / 1000 }'; }

# One timed run: wall in ms and peak RSS in MB appended to $1.wall / $1.rss.
timed() {
  local name=$1
  shift
  local start end
  start=$(date +%s%N)
  /usr/bin/time -f '%M' -o "$work/time" "$@" >/dev/null 2>"$work/stderr" || {
    echo "failed: $*" >&2
    tail -n 5 "$work/stderr" >&2
    exit 1
  }
  end=$(date +%s%N)
  echo $(((end - start) / 1000000)) >>"$work/$name.wall"
  awk '{ printf "%.0f\n", $1 / 1024 }' "$work/time" | tail -n 1 >>"$work/$name.rss"
}

table="| case | opbrief | Typst + xlsxwriter peer | peer ÷ opbrief |"
table+=$'\n'"|---|---:|---:|---:|"
for case in $CASES; do
  prepare "$case"
  runs=$RUNS peer_runs=$RUNS
  if [ "$case" = 50000 ]; then runs=$BIG_RUNS peer_runs=$PEER_BIG_RUNS; fi
  echo "case $case: $runs runs of opbrief, $peer_runs of the peer, alternating" >&2
  rm -f "$work"/*.wall "$work"/*.rss
  for i in $(seq "$((runs > peer_runs ? runs : peer_runs))"); do
    if [ "$i" -le "$runs" ]; then
      timed opbrief "$bin" build "$work/op-$case" --out "$work/out-opbrief"
      rm -rf "$work/out-opbrief"
    fi
    if [ "$i" -le "$peer_runs" ]; then
      timed peer "$venv/bin/python" "$PEERS/peer_typst.py" "$(peer_data "$case")" --out "$work/out-peer"
      rm -rf "$work/out-peer"
    fi
  done
  ours=$(median <"$work/opbrief.wall")
  theirs=$(median <"$work/peer.wall")
  table+=$'\n'"| $case | $(seconds "$ours") ($(spread <"$work/opbrief.wall") ms), $(median <"$work/opbrief.rss") MB ($(spread <"$work/opbrief.rss"))"
  table+=" | $(seconds "$theirs") ($(spread <"$work/peer.wall") ms), $(median <"$work/peer.rss") MB ($(spread <"$work/peer.rss"))"
  table+=" | $(awk -v a="$theirs" -v b="$ours" 'BEGIN { printf "%.1f×", a / b }') |"
done

echo
echo "$table"
echo
echo "Medians of whole-process wall time and peak RSS, each with its min–max in brackets."
echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo), $(uname -sr), load average $(cut -d' ' -f1-3 /proc/loadavg)"
