#!/usr/bin/env bash
# Corpus-wide sweep, run by .ci/run when the shared corpus is present:
#  1. parse every document under CORPUS: no panic, no lost line (exit 1 otherwise), and a
#     summary (files, paragraphs, share with a recognized marking, diagnostics by code);
#  2. release CORPUS/bulk with the built-in policy into a temporary directory, then run
#     `declass verify` on every release against its source. Files the release refuses
#     (the leak check or the gate) are listed; verify must pass on every file written.
# usage: scripts/sweep.sh CORPUS_DIR
set -euo pipefail
corpus=${1:?usage: scripts/sweep.sh CORPUS_DIR}
bin=${DECLASS:-target/release/declass}
as_of=2026-01-01

echo "-- parse $corpus"
"$bin" parse --stats "$corpus"

bulk="$corpus/bulk"
[ -d "$bulk" ] || { echo "no $bulk: release sweep skipped"; exit 0; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo "-- release $bulk (built-in policy, --as-of $as_of)"
start=$(date +%s.%N)
set +e
"$bin" release "$bulk" --out-dir "$out" --as-of "$as_of" 2> "$out/errors.log"
status=$?
set -e
end=$(date +%s.%N)
mb=$(du -sbL "$bulk" | awk '{print $1/1e6}')
written=$(find "$out" -name '*.release.txt' | wc -l)
refused=$(grep -c . "$out/errors.log" || true)
awk -v s="$start" -v e="$end" -v mb="$mb" -v w="$written" -v r="$refused" 'BEGIN {
  printf "released %d files, refused %d, %.1f MB in %.2f s (%.1f MB/s)\n", w, r, mb, e - s, mb / (e - s) }'
if [ "$refused" -gt 0 ]; then sed 's/^/  /' "$out/errors.log"; fi
if [ "$status" -gt 1 ]; then echo "release failed with exit $status"; exit 1; fi

echo "-- verify every release against its source"
find "$out" -name '*.release.txt' -print0 |
  xargs -0 -P "$(nproc)" -n 1 sh -c '
    src="'"$bulk"'/$(basename "$1" .release.txt).txt"
    "'"$bin"'" verify "$1" --source "$src" --as-of '"$as_of"' > /dev/null || { echo "LEAK in $1"; exit 255; }
  ' sh
echo "verify passed on $written releases"
