#!/bin/sh
# The audit's speed against `cat` on the same files, in one run (issue 21: within 1.5x),
# with `declass parse` beside it: the audit's own share is audit minus parse.
#
#   bench/audit_ratio.sh [DIR] [DECLASS]
#
# DIR defaults to ../shared/corpus/bulk, DECLASS to target/release/declass (build it with
# `cargo build --release` first; CARGO_TARGET_DIR is honoured). Five rounds, interleaved so
# that both see the same load; each round times `cat` over every file and `declass audit`
# and `declass parse --format json` over the directory (all cores, their default), as CPU
# seconds (user + sys) and wall seconds.
# Prints each round and the medians, then the ratios of the medians. Nothing is written but
# to /dev/null.
set -eu

dir=${1:-../shared/corpus/bulk}
bin=${2:-${CARGO_TARGET_DIR:-target}/release/declass}
rounds=${ROUNDS:-5}
[ -d "$dir" ] || { echo "audit_ratio: no directory $dir" >&2; exit 2; }
[ -x "$bin" ] || { echo "audit_ratio: no binary $bin (cargo build --release)" >&2; exit 2; }

out=$(mktemp)
trap 'rm -f "$out"' EXIT
r=1
while [ "$r" -le "$rounds" ]; do
    /usr/bin/time -a -o "$out" -f "cat %U %S %e" \
        sh -c "find '$dir' -type f -exec cat {} + >/dev/null"
    /usr/bin/time -a -o "$out" -f "audit %U %S %e" \
        "$bin" audit --format jsonl --fail-on never --as-of 2026-01-01 "$dir" >/dev/null
    /usr/bin/time -a -o "$out" -f "parse %U %S %e" \
        "$bin" parse --format json "$dir" >/dev/null
    r=$((r + 1))
done

awk '
    { cpu[$1, ++n[$1]] = $2 + $3; wall[$1, n[$1]] = $4
      printf "%-5s cpu %.2f s  wall %.2f s\n", $1, $2 + $3, $4 }
    function median(a, who, k,   i, j, t, v) {
        for (i = 1; i <= k; i++) v[i] = a[who, i]
        for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
        return v[int((k + 1) / 2)]
    }
    END {
        cc = median(cpu, "cat", n["cat"]); ac = median(cpu, "audit", n["audit"])
        cw = median(wall, "cat", n["cat"]); aw = median(wall, "audit", n["audit"])
        pc = median(cpu, "parse", n["parse"]); pw = median(wall, "parse", n["parse"])
        printf "median of %d: cat cpu %.2f s wall %.2f s; audit cpu %.2f s wall %.2f s; parse cpu %.2f s wall %.2f s\n", n["cat"], cc, cw, ac, aw, pc, pw
        # cat takes no measurable CPU on a small directory: no ratio then.
        if (cc > 0) printf "ratio audit/cat: cpu %.2f", ac / cc; else printf "ratio audit/cat: cpu n/a"
        if (cw > 0) printf ", wall %.2f\n", aw / cw; else printf ", wall n/a\n"
        if (cc > 0) printf "ratio parse/cat: cpu %.2f", pc / cc; else printf "ratio parse/cat: cpu n/a"
        if (cw > 0) printf ", wall %.2f\n", pw / cw; else printf ", wall n/a\n"
    }' "$out"
