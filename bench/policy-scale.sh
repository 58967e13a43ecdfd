#!/usr/bin/env bash
# Policy loading against the number of rules (issue 14): writes policies of N short `text:`
# rules (each `- {when: {text: wI}, action: release}`, 20,000 of them in 829 KB, under the
# 1 MiB file limit and at the rule limit) and times `declass policy check` on each, and one
# release of the seed cable under each (loading plus deciding every portion).
#   bench/policy-scale.sh [BINARY]        default: target/release/declass
#   COUNTS="1000 5000 20000" RUNS=3 bench/policy-scale.sh
set -euo pipefail
bin=${1:-target/release/declass}
counts=${COUNTS:-"1000 2500 5000 10000 20000"}
runs=${RUNS:-3}
seed=$(dirname "$0")/../samples/07PRAGUE486.txt
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '%-7s %-8s %10s %10s %10s %10s\n' rules bytes "check s" "check cpu" "peak MB" "release s"
for n in $counts; do
  p=$tmp/p$n.yaml
  {
    printf 'name: big\ndescription: d\nversion: 1\nrules:\n'
    for ((i = 0; i < n; i++)); do printf -- '- {when: {text: w%d}, action: release}\n' "$i"; done
    printf 'default: {action: withhold, codes: [B5]}\n'
  } >"$p"
  best=""; cpu=""; rss=""; rel=""
  for ((r = 0; r < runs; r++)); do
    line=$(/usr/bin/time -f '%e %U %S %M' "$bin" policy check "$p" 2>&1 >/dev/null | tail -1)
    read -r wall user sys kb <<<"$line"
    if [[ -z $best ]] || awk "BEGIN{exit !($wall < $best)}"; then
      best=$wall; cpu=$(awk "BEGIN{print $user + $sys}"); rss=$((kb / 1024))
    fi
    line=$(/usr/bin/time -f '%e' "$bin" release --as-of 2026-01-01 --policy "$p" "$seed" 2>&1 >/dev/null | tail -1)
    if [[ -z $rel ]] || awk "BEGIN{exit !($line < $rel)}"; then rel=$line; fi
  done
  printf '%-7s %-8s %10s %10s %10s %10s\n' "$n" "$(stat -c %s "$p")" "$best" "$cpu" "$rss" "$rel"
done
