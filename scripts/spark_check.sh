#!/usr/bin/env bash
# The Spark check (issue 19), run by .ci/run: releases CORPUS_DIR with the PySpark job
# examples/spark/declass_release.py in local mode (local[2], `declass release --jsonl` per
# partition), then with a direct batch (`declass release CORPUS_DIR --out-dir …
# --consistency off`, same --as-of and policy), and compares every output file byte for
# byte. Exit 0 only when the two folders are equal and the counts agree (Spark: inputs =
# released + failed; released = the batch's releases); 1 with the list of differences;
# 2 when a step could not run.
#
# usage: scripts/spark_check.sh [CORPUS_DIR]     (default: tests/fixtures/cables)
# env:   POLICY (default: the built-in policy), AS_OF (default 2026-01-01),
#        PARTITIONS (default 4), SPARK_VENV (default target/spark-venv), DECLASS (default:
#        target/release/declass, built here)
#
# Installs what it needs: PySpark, pinned, into a venv under target/ (kept there like any
# build output, so a second run needs no network; `cargo clean` removes it), and a Java
# runtime from the system packages only when `java` is missing. Everything else it writes
# goes to a temporary folder removed on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

# Spark 3.5 runs on Java 8, 11 and 17, and on this Python (3.11).
PYSPARK_VERSION=3.5.5
corpus=${1:-tests/fixtures/cables}
as_of=${AS_OF:-2026-01-01}
partitions=${PARTITIONS:-4}
venv=${SPARK_VENV:-target/spark-venv}
bin=${DECLASS:-target/release/declass}

if [ ! -d "$corpus" ]; then
  echo "spark_check: $corpus: not a directory" >&2
  exit 2
fi

if ! command -v java > /dev/null; then
  echo "== installing a Java runtime (apt-get)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless > /dev/null
fi

if ! "$venv/bin/python" -c "import pyspark, sys; sys.exit(pyspark.__version__ != '$PYSPARK_VERSION')" 2> /dev/null; then
  echo "== installing pyspark==$PYSPARK_VERSION into $venv"
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q "pyspark==$PYSPARK_VERSION"
fi

if [ -z "${DECLASS:-}" ]; then
  echo "== cargo build --release"
  cargo build --release -q
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/tmp"

policy_args=()
if [ -n "${POLICY:-}" ]; then policy_args=(--policy "$POLICY"); fi

now() { date +%s.%N; }

echo "== Spark (local[2], $partitions partitions) over $corpus"
start=$(now)
set +e
# Offline and quiet: no UI, the loopback address, Spark's scratch space in $work.
SPARK_LOCAL_IP=127.0.0.1 PYSPARK_PYTHON="$venv/bin/python" TMPDIR="$work/tmp" \
  "$venv/bin/spark-submit" --master 'local[2]' \
  --conf spark.ui.enabled=false \
  --conf spark.local.dir="$work/tmp" \
  --driver-java-options "-Djava.io.tmpdir=$work/tmp -XX:-UsePerfData" \
  examples/spark/declass_release.py "$corpus" "$work/spark" \
  --declass "$bin" --as-of "$as_of" --partitions "$partitions" \
  --results "$work/spark.results.jsonl" "${policy_args[@]}" \
  > "$work/spark.out" 2> "$work/spark.err"
spark_status=$?
set -e
spark_end=$(now)
# declass-spark's own lines (failures, the summary); the rest is Spark's log.
grep -h '^declass-spark' "$work/spark.out" "$work/spark.err" || true
if [ "$spark_status" -gt 1 ]; then
  echo "spark_check: the Spark job could not run (exit $spark_status); its log:" >&2
  grep -v " INFO " "$work/spark.err" | tail -n 40 >&2
  exit 2
fi

echo "== direct batch over $corpus"
batch_start=$(now)
set +e
# --no-sync: the Spark job's writes are atomic renames without fsync; time both alike.
"$bin" release "$corpus" --out-dir "$work/batch" --as-of "$as_of" --consistency off --no-sync \
  "${policy_args[@]}" 2> "$work/batch.err"
batch_status=$?
set -e
batch_end=$(now)
if [ "$batch_status" -gt 1 ]; then
  echo "spark_check: the batch could not run (exit $batch_status)" >&2
  cat "$work/batch.err" >&2
  exit 2
fi
mkdir -p "$work/batch"

summary=$(grep -h '^declass-spark: inputs ' "$work/spark.out")
read -r inputs released failed skipped <<< "$(sed -E 's/.*inputs ([0-9]+), released ([0-9]+), failed ([0-9]+), skipped ([0-9]+).*/\1 \2 \3 \4/' <<< "$summary")"
batch_released=$(find "$work/batch" -name '*.release.*' ! -name '*.manifest.json' | wc -l)
files=$(find "$work/batch" -type f | wc -l)

awk -v s="$start" -v m="$spark_end" -v b="$batch_start" -v e="$batch_end" -v n="$inputs" 'BEGIN {
  printf "times: Spark %.2f s wall, direct batch %.2f s wall (%.1fx) for %d inputs\n", m - s, e - b, (m - s) / (e - b), n }'

bad=0
compare_start=$(now)
if ! diff -rq "$work/batch" "$work/spark" > "$work/diff"; then
  echo "spark_check: the Spark outputs differ from the batch's:"
  sed -e "s|$work/||g" "$work/diff" | head -n 50
  bad=1
fi
if [ "$((released + failed))" -ne "$inputs" ]; then
  echo "spark_check: $inputs inputs but $released released + $failed failed"
  bad=1
fi
if [ "$released" -ne "$batch_released" ]; then
  echo "spark_check: Spark released $released documents, the batch $batch_released"
  bad=1
fi
# The documents not released are the same in both: each Spark failure (or skipped entry)
# is one of the batch's refusals, and there are as many.
"$venv/bin/python" -c '
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    r = json.loads(line)
    if r["status"] != "released":
        print(r["id"])
' "$work/spark.results.jsonl" > "$work/spark.failed"
grep -v ': warning: ' "$work/batch.err" > "$work/batch.refused" || true
while IFS= read -r id; do
  if ! grep -qF "declass: $id: " "$work/batch.refused"; then
    echo "spark_check: $id failed on Spark, not in the batch"
    bad=1
  fi
done < "$work/spark.failed"
if [ "$(wc -l < "$work/spark.failed")" -ne "$(wc -l < "$work/batch.refused")" ]; then
  echo "spark_check: Spark did not release $(wc -l < "$work/spark.failed") entries, the batch refused:"
  sed 's/^/  /' "$work/batch.refused"
  bad=1
fi
awk -v s="$compare_start" -v e="$(now)" 'BEGIN { printf "compared in %.2f s\n", e - s }'
if [ "$bad" -ne 0 ]; then exit 1; fi
echo "spark_check: equal: $files files byte for byte ($released releases and their manifests; $failed failed and $skipped skipped in both)"
