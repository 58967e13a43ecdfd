#!/usr/bin/env bash
# The issue-19 ratios in one run: release CPU against parse CPU, release wall against copying the
# corpus file by file (`cp -r`, the floor of any tool that writes one file per input), on tmpfs
# and on disk with the default durability against `cp -r && sync`; then peak RSS of
# `release --manifest` at 1x/5x/20x through bench/scale.sh. Every tool runs RUNS times, rounds
# interleaved so that noise on a shared machine spreads over all of them; medians are shown.
#
# usage: bench/speed.sh [CORPUS_DIR]       (default ../shared/corpus/bulk)
# env:   RUNS=5             timed runs per row
#        THREADS=           passed to declass as -j N (default: all cores)
#        SHM=/dev/shm       tmpfs for the tmpfs rows (skipped when missing)
#        DISK=${TMPDIR:-/tmp}  where the on-disk rows write (needs about 2x the corpus free)
#        SCALE=1            also run bench/scale.sh for peak RSS at FACTORS (0 to skip)
#        FACTORS="1 5 20"   sizes for the scale part (20x of bulk is about 1 GB, kept on SHM)
#        DECLASS=           the declass binary to time (default: cargo build --release, then
#                           target/release/declass)
#        BASELINE=          another declass binary (an older build) whose parse and tmpfs
#                           release are timed in the same rounds: prints parse CPU against it
#                           (issues 15 and 16: parse speed within 10% of before) and the two
#                           releases' CPU side by side
#        CALLGRIND=         N: also count instructions (valgrind --tool=callgrind, one thread)
#                           of release --no-sync and parse --stats over the first N files by
#                           name, and of the baseline's when given: repeatable where CPU
#                           seconds on a shared machine are not (600 takes a minute or two)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
corpus=$(cd "${1:-$repo/../shared/corpus/bulk}" && pwd)
runs=${RUNS:-5}
threads=${THREADS:-}
shm=${SHM:-/dev/shm}
disk=${DISK:-${TMPDIR:-/tmp}}
as_of=2026-01-01
note() { echo "speed: $*" >&2; }

if [ -n "${DECLASS:-}" ]; then
  bin=$(cd "$(dirname "$DECLASS")" && pwd)/$(basename "$DECLASS")
else
  note "cargo build --release"
  (cd "$repo" && cargo build --release --quiet)
  target=$(cd "$repo" && mkdir -p "${CARGO_TARGET_DIR:-target}" && cd "${CARGO_TARGET_DIR:-target}" && pwd)
  bin=$target/release/declass
fi
jflag=()
[ -n "$threads" ] && jflag=(-j "$threads")

work=$(mktemp -d "$disk/declass-speed.XXXXXX")
shm_work=
[ -d "$shm" ] && shm_work=$(mktemp -d "$shm/declass-speed.XXXXXX")
trap 'rm -rf "$work" ${shm_work:+"$shm_work"}' EXIT
results=$work/results.tsv
: >"$results"

# One timed run: NAME OUTDIR CMD…; OUTDIR is removed (and the removal synced, so that one run's
# deletions are not paid by the next) before the clock starts. Commands run from $work, so no
# .declass.yaml of the caller's tree applies.
timed() {
  local name=$1 out=$2
  shift 2
  rm -rf "$out"
  sync
  local t0 t1 rc=0
  t0=$EPOCHREALTIME
  (cd "$work" && /usr/bin/time -f '%U %S %M' -o "$work/time" "$@" >/dev/null 2>"$work/stderr") || rc=$?
  t1=$EPOCHREALTIME
  if [ "$rc" != 0 ]; then
    note "$name exited with $rc:"
    tail -n 3 "$work/stderr" >&2
  fi
  read -r user sys rss < <(tail -n 1 "$work/time")
  printf '%s\t%s\t%s\t%s\n' "$name" \
    "$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.4f", b - a}')" \
    "$(awk -v u="$user" -v s="$sys" 'BEGIN {printf "%.3f", u + s}')" "$rss" >>"$results"
}

find "$corpus" -type f -print0 | xargs -0 cat >/dev/null # warm the page cache for everyone
files=$(find "$corpus" -type f -name '*.txt' | wc -l)
mb=$(du -sm --apparent-size "$corpus" | cut -f1)
for round in $(seq 1 "$runs"); do
  note "round $round of $runs"
  timed "declass parse" "$work/none" "$bin" parse "${jflag[@]}" --stats "$corpus"
  if [ -n "${BASELINE:-}" ]; then
    timed "baseline parse" "$work/none" "$BASELINE" parse "${jflag[@]}" --stats "$corpus"
  fi
  if [ -n "$shm_work" ]; then
    timed "cp -r (tmpfs)" "$shm_work/out" cp -r "$corpus" "$shm_work/out"
    timed "release --no-sync (tmpfs)" "$shm_work/out" \
      "$bin" release "${jflag[@]}" --as-of "$as_of" --no-sync --out-dir "$shm_work/out" "$corpus"
    if [ -n "${BASELINE:-}" ]; then
      timed "baseline release --no-sync (tmpfs)" "$shm_work/out" \
        "$BASELINE" release "${jflag[@]}" --as-of "$as_of" --no-sync --out-dir "$shm_work/out" "$corpus"
    fi
    timed "release (tmpfs)" "$shm_work/out" \
      "$bin" release "${jflag[@]}" --as-of "$as_of" --out-dir "$shm_work/out" "$corpus"
  fi
  timed "cp -r (disk)" "$work/out" cp -r "$corpus" "$work/out"
  timed "cp -r && sync (disk)" "$work/out" sh -c 'cp -r "$1" "$2" && sync' sh "$corpus" "$work/out"
  timed "release --no-sync (disk)" "$work/out" \
    "$bin" release "${jflag[@]}" --as-of "$as_of" --no-sync --out-dir "$work/out" "$corpus"
  timed "release (disk)" "$work/out" \
    "$bin" release "${jflag[@]}" --as-of "$as_of" --out-dir "$work/out" "$corpus"
done
rm -rf "$work/out" ${shm_work:+"$shm_work/out"}

echo "speed: $corpus ($files *.txt files, $mb MB); $(nproc) cores; threads: ${threads:-all cores}; $runs runs, medians; declass $(cd "$repo" && git rev-parse --short HEAD)"
python3 "$here/table.py" speed "$results"
if [ -n "${BASELINE:-}" ]; then
  # Medians of the CPU column, as the table computes them.
  awk -F'\t' -v base="$BASELINE" '
    { cpu[$1] = cpu[$1] " " $3 }
    function median(list,   a, n, i, j, t) {
      n = split(list, a, " ")
      for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
      return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    END {
      p = median(cpu["declass parse"]); b = median(cpu["baseline parse"])
      printf "  parse CPU / baseline parse CPU (%s)  %.2fx  %s (target <= 1.10x)\n", base, p / b, (p / b <= 1.10 ? "PASS" : "FAIL")
      if (cpu["baseline release --no-sync (tmpfs)"] != "") {
        r = median(cpu["release --no-sync (tmpfs)"]); rb = median(cpu["baseline release --no-sync (tmpfs)"])
        printf "  release CPU / baseline release CPU (tmpfs, --no-sync)  %.2fx\n", r / rb
        printf "  baseline release CPU / baseline parse CPU             %.2fx\n", rb / b
      }
    }' "$results"
fi

if [ -n "${CALLGRIND:-}" ]; then
  # Instruction counts: one thread, the first N files by name copied aside.
  sub=$work/callgrind-in
  mkdir -p "$sub"
  # `sed`, not `head`: it reads to the end, so that `sort` gets no SIGPIPE (under pipefail
  # that ended the script, exit 141, before any count was printed).
  find "$corpus" -type f -name '*.txt' | sort | sed -n "1,${CALLGRIND}p" | xargs -d '\n' cp -t "$sub"
  count() { # BINARY ARGS…: the instructions of one run
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null |
      awk '/Collected :/ {print $NF}' | tail -n 1
  }
  echo "callgrind, one thread, first $CALLGRIND files by name (instructions):"
  for b in "$bin" ${BASELINE:+"$BASELINE"}; do
    rm -rf "$work/cg-out"
    p=$(cd "$work" && count "$b" parse -j 1 --stats "$sub")
    r=$(cd "$work" && count "$b" release -j 1 --as-of "$as_of" --no-sync --out-dir "$work/cg-out" "$sub")
    awk -v b="$b" -v p="$p" -v r="$r" 'BEGIN {
      printf "  %s: parse %d, release %d: release / parse %.2fx %s (target <= 2.0x)\n", b, p, r, r / p, (r / p <= 2.0 ? "PASS" : "FAIL") }'
  done
  rm -rf "$work/cg-out"
fi

if [ "${SCALE:-1}" = 1 ]; then
  # 20x of bulk is about 1 GB: on tmpfs when there is one, so that a small disk is no limit.
  note "peak RSS of release --manifest at ${FACTORS:-1 5 20}x (bench/scale.sh)"
  TMPDIR=${shm_work:+$shm} COMMANDS="release" MANIFEST=1 "$here/scale.sh" "$corpus"
fi
