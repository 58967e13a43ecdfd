#!/usr/bin/env bash
# Byte comparison of two declass builds' releases (issue 15: a refactor must not change
# what is released). Releases, in text and JSON with their manifests, the seed and the
# fixture cables and every file of CORPUS (default ../shared/corpus/bulk), and in PDF the
# seed and fixture cables, with each binary, then `diff -r`s the two trees.
#
#   bash bench/compare_releases.sh [--log] OLD_BIN NEW_BIN [CORPUS]
#
# With --log every release also writes its exemption log (`--log`, CSV for the text runs,
# JSON for the JSON runs) into the tree compared, so that the log rows, made only when
# asked, are compared too.
#
# Prints each run's exit code and the files that differ; exits 0 when all are equal.
set -u
cd "$(dirname "$0")/.."
LOG=
if [ "${1:-}" = "--log" ]; then LOG=1; shift; fi
OLD=$1; NEW=$2; CORPUS=${3:-../shared/corpus/bulk}
WORK=$(mktemp -d); trap 'rm -rf "$WORK"' EXIT
SMALL="samples/07PRAGUE486.txt tests/fixtures/cables"
run() { # BIN OUT
  local bin=$1 out=$2 fmt
  mkdir -p "$out"
  for fmt in text json; do
    local ext=csv; [ $fmt = json ] && ext=json
    log() { [ -n "$LOG" ] && echo "--log $out/$1-log.$ext"; }
    # shellcheck disable=SC2046 # `log` is empty or two words
    "$bin" release --as-of 2026-01-01 --no-sync --format $fmt --out-dir "$out/$fmt-small" $(log $fmt-small) $SMALL >/dev/null 2>&1
    echo "$fmt small: exit $?"
    [ -d "$CORPUS" ] || continue
    # shellcheck disable=SC2046
    "$bin" release --as-of 2026-01-01 --no-sync --format $fmt --out-dir "$out/$fmt-corpus" $(log $fmt-corpus) "$CORPUS" >/dev/null 2>&1
    echo "$fmt corpus: exit $?"
  done
  "$bin" release --as-of 2026-01-01 --no-sync --format pdf --out-dir "$out/pdf-small" $SMALL >/dev/null 2>&1
  echo "pdf small: exit $?"
}
echo "== $OLD"; run "$OLD" "$WORK/old" | tee "$WORK/old.exits"
echo "== $NEW"; run "$NEW" "$WORK/new" | tee "$WORK/new.exits"
echo "== differences"
diff -rq "$WORK/old" "$WORK/new" | sed "s|$WORK/||g"
n=$(diff -rq "$WORK/old" "$WORK/new" | wc -l)
files=$(find "$WORK/new" -type f | wc -l)
echo "$n of $files output files differ"
[ "$n" -eq 0 ] && cmp -s "$WORK/old.exits" "$WORK/new.exits"
