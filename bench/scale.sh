#!/usr/bin/env bash
# Scale test: does declass stream? Copies the corpus's top-level *.txt files FACTORS times into
# numbered folders under a temporary directory (about 1 GB for the 49 MB bulk corpus at 20x), then
# runs `declass audit` and `declass release` (text) over 1x, 5x and 20x of it and reports MB/s and
# peak RSS for each. Throughput should stay flat and peak RSS should not grow with the corpus.
#
# usage: bench/scale.sh [CORPUS_DIR]     (default ../shared/corpus/bulk)
# env:   FACTORS="1 5 20"  sizes to run (the largest decides how much is copied)
#        RUNS=1            runs per size, median wall and max RSS reported (20x release: ~7 min)
#        COMMANDS="audit release"  which commands to run
#        AUDIT_FORMAT=json audit's --format (json as in run.sh; human and jsonl stream)
#        THREADS=          passed to declass as -j N (default: all cores)
#        MANIFEST=1        release also writes one batch manifest (--manifest FILE), the mode whose
#                          memory used to grow with the corpus
#        LINK=1            hard-link instead of copying (fast set-up, but then every replica shares
#                          the same page-cache pages, which flatters the larger sizes)
#        KEEP=1            keep the temporary directory
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
corpus=$(cd "${1:-$repo/../shared/corpus/bulk}" && pwd)
factors=${FACTORS:-1 5 20}
runs=${RUNS:-1}
threads=${THREADS:-}
as_of=2026-01-01
audit_format=${AUDIT_FORMAT:-json}
note() { echo "scale: $*" >&2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/declass-scale.XXXXXX")
if [ "${KEEP:-0}" = 1 ]; then note "keeping $work"; else trap 'rm -rf "$work"' EXIT; fi

note "cargo build --release"
(cd "$repo" && cargo build --release --quiet)
target=$(cd "$repo" && mkdir -p "${CARGO_TARGET_DIR:-target}" && cd "${CARGO_TARGET_DIR:-target}" && pwd)
bin=$target/release/declass
jflag=()
[ -n "$threads" ] && jflag=(-j "$threads")
tools=()
for cmd in ${COMMANDS:-audit release}; do
  if "$bin" "$cmd" --help >/dev/null 2>&1; then tools+=("$cmd"); else note "this build has no 'declass $cmd': skipped"; fi
done
[ "${#tools[@]}" -gt 0 ] || exit 2

# data/rNN holds replica NN; xF/ holds symlinks to the first F replicas, so every size reads the
# same files and release mirrors them into distinct output folders (xF/rNN/NAME.txt).
max=0
for f in $factors; do [ "$f" -gt "$max" ] && max=$f; done
mkdir -p "$work/data"
note "replicating $corpus ${max}x under $work/data ($([ "${LINK:-0}" = 1 ] && echo hard links || echo copies))"
for i in $(seq -w 0 $((max - 1)) | sed 's/^/r/'); do
  mkdir "$work/data/$i"
  if [ "${LINK:-0}" = 1 ]; then
    find "$corpus" -maxdepth 1 -type f -name '*.txt' -exec ln -t "$work/data/$i" {} +
  else
    find "$corpus" -maxdepth 1 -type f -name '*.txt' -exec cp -t "$work/data/$i" {} +
  fi
done
replicas=$(ls "$work/data")
for f in $factors; do
  mkdir "$work/x$f"
  for i in $(echo "$replicas" | head -n "$f"); do ln -s "../data/$i" "$work/x$f/$i"; done
done

cd "$work"
: >"$work/results.tsv"
for f in $factors; do
  files=$(find -L "$work/x$f" -type f -name '*.txt' | wc -l)
  nbytes=$(find -L "$work/x$f" -type f -name '*.txt' -printf '%s\n' | awk '{s += $1} END {print s}')
  find -L "$work/x$f" -type f -name '*.txt' -print0 | xargs -0 cat >/dev/null # warm, as for any run
  for round in $(seq 1 "$runs"); do
    for tool in "${tools[@]}"; do
      rm -rf "$work/out" "$work/manifest.json"
      case $tool in
        audit) cmd=("$bin" audit "${jflag[@]}" --format "$audit_format" --fail-on never --as-of "$as_of" "$work/x$f") ;;
        release)
          cmd=("$bin" release "${jflag[@]}" --as-of "$as_of" --out-dir "$work/out" "$work/x$f")
          if [ "${MANIFEST:-0}" = 1 ]; then cmd+=(--manifest "$work/manifest.json"); fi
          ;;
      esac
      note "${f}x ($((nbytes / 1000000)) MB) round $round: declass $tool"
      rc=0
      t0=$EPOCHREALTIME
      /usr/bin/time -f '%x %M' -o "$work/time" "${cmd[@]}" >/dev/null 2>"$work/stderr" || rc=$?
      t1=$EPOCHREALTIME
      read -r status rss < <(tail -n 1 "$work/time")
      [ "$rc" = 0 ] || status=$rc
      [ "$status" = 0 ] || { note "declass $tool exited with $status:"; tail -n 3 "$work/stderr" >&2; }
      printf 'declass %s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$tool" "$f" "$files" "$nbytes" \
        "$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.4f", b - a}')" "$rss" "$status" >>"$work/results.tsv"
    done
  done
done
rm -rf "$work/out"

echo "scale test: $corpus replicated (${factors// /x, }x); $(nproc) cores; threads: ${threads:-all cores}; audit --format $audit_format; $runs runs, median wall, max peak RSS"
python3 "$here/table.py" scale "$work/results.tsv"
