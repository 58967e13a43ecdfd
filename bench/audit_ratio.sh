#!/bin/sh
# The audit's speed against `cat` and against the parse it starts with, in one run
# (issue 21: "audit speed stays within 1.5x cat on bulk, ratio in one run").
#
#   bench/audit_ratio.sh [DIR] [DECLASS ...]
#
# DIR defaults to ../shared/corpus/bulk, DECLASS to target/release/declass (build it with
# `cargo build --release` first; CARGO_TARGET_DIR is honoured). Several binaries (say a
# main build and a branch build) are timed in the same run, numbered 1, 2, … in the order
# given. ROUNDS rounds (5), interleaved so that every command sees the same load; each
# round times, in this order:
#   cat      `find DIR -type f -exec cat {} +` (the floor: read every byte once)
#   then for each binary N:
#   parseN   `declass parse --stats DIR` (the parse the audit starts with, no output)
#   jsonN    `declass audit --format json --fail-on never --as-of 2026-01-01 DIR`
#   humanN   `declass audit --format human …` (the default format)
# all with the default threads (all cores; THREADS=N passes `-j N` to declass), as CPU
# seconds (user + sys) and wall seconds. Outputs go to /dev/null.
# Prints each round, the medians, then audit/cat and audit/parse for CPU and wall for
# each binary: the audit's own share (view, rules, report) is what audit/parse says
# above 1.
set -eu

dir=${1:-../shared/corpus/bulk}
[ "$#" -gt 0 ] && shift
[ "$#" -gt 0 ] || set -- "${CARGO_TARGET_DIR:-target}/release/declass"
rounds=${ROUNDS:-5}
jobs=${THREADS:+-j $THREADS}
[ -d "$dir" ] || { echo "audit_ratio: no directory $dir" >&2; exit 2; }
n=0
for bin in "$@"; do
    n=$((n + 1))
    [ -x "$bin" ] || { echo "audit_ratio: no binary $bin (cargo build --release)" >&2; exit 2; }
    echo "binary $n: $bin"
done

out=$(mktemp)
trap 'rm -f "$out"' EXIT
# One untimed pass so that the first round does not pay for the page cache.
find "$dir" -type f -exec cat {} + >/dev/null
r=1
while [ "$r" -le "$rounds" ]; do
    /usr/bin/time -a -o "$out" -f "cat %U %S %e" \
        sh -c "find '$dir' -type f -exec cat {} + >/dev/null"
    k=0
    for bin in "$@"; do
        k=$((k + 1))
        # shellcheck disable=SC2086
        /usr/bin/time -a -o "$out" -f "parse$k %U %S %e" \
            "$bin" parse --stats $jobs "$dir" >/dev/null
        # shellcheck disable=SC2086
        /usr/bin/time -a -o "$out" -f "json$k %U %S %e" \
            "$bin" audit --format json --fail-on never --as-of 2026-01-01 $jobs "$dir" >/dev/null
        # shellcheck disable=SC2086
        /usr/bin/time -a -o "$out" -f "human$k %U %S %e" \
            "$bin" audit --format human --fail-on never --as-of 2026-01-01 $jobs "$dir" >/dev/null
    done
    r=$((r + 1))
done

awk -v bins="$n" '
    { n[$1]++; cpu[$1, n[$1]] = $2 + $3; wall[$1, n[$1]] = $4
      printf "%-7s cpu %6.2f s  wall %6.2f s\n", $1, $2 + $3, $4 }
    function median(a, who, k,   i, j, t, v) {
        for (i = 1; i <= k; i++) v[i] = a[who, i]
        for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
        return v[int((k + 1) / 2)]
    }
    function ratio(a, b) { return b > 0 ? sprintf("%.2f", a / b) : "n/a" }
    END {
        k = n["cat"]
        printf "median of %d rounds:\n", k
        c["cat"] = median(cpu, "cat", k); w["cat"] = median(wall, "cat", k)
        printf "  %-7s cpu %6.2f s  wall %6.2f s\n", "cat", c["cat"], w["cat"]
        for (b = 1; b <= bins; b++) {
            split("parse json human", what, " ")
            for (i = 1; i <= 3; i++) {
                x = what[i] b
                c[x] = median(cpu, x, k); w[x] = median(wall, x, k)
                printf "  %-7s cpu %6.2f s  wall %6.2f s\n", x, c[x], w[x]
            }
        }
        # cat takes no measurable CPU on a small directory: no ratio then.
        for (b = 1; b <= bins; b++) {
            for (i = 1; i <= 3; i++) {
                x = what[i] b
                printf "ratio %s/cat: cpu %s, wall %s\n", x, ratio(c[x], c["cat"]), ratio(w[x], w["cat"])
            }
            for (i = 2; i <= 3; i++) {
                x = what[i] b
                printf "ratio %s/parse%d: cpu %s, wall %s\n", x, b, ratio(c[x], c["parse" b]), ratio(w[x], w["parse" b])
            }
        }
    }' "$out"
