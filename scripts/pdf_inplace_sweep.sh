#!/bin/sh
# In-place release of every PDF under a directory, one line per file (name, exit code, the
# last line declass printed), then a tally and `qpdf --check` on every release written.
#   scripts/pdf_inplace_sweep.sh [PDF_DIR] > sweep.tsv
# PDF_DIR defaults to ../shared/corpus/modern/pdf; $DECLASS to target/release/declass;
# releases go to $OUT (default target/pdf-sweep).
set -u
dir=${1:-../shared/corpus/modern/pdf}
bin=${DECLASS:-target/release/declass}
out=${OUT:-target/pdf-sweep}
mkdir -p "$out"
released=0; refused=0; clean=0
for f in "$dir"/*.pdf; do
  b=$(basename "$f" .pdf)
  "$bin" release "$f" --format pdf --as-of 2026-01-01 -o "$out/$b.pdf" \
    2>"$out/$b.err" >/dev/null
  rc=$?
  printf '%s\t%s\t%s\n' "$b" "$rc" "$(tail -1 "$out/$b.err")"
  if [ $rc -eq 0 ]; then
    released=$((released + 1))
    qpdf --check "$out/$b.pdf" >/dev/null 2>&1 && clean=$((clean + 1))
  else
    refused=$((refused + 1))
  fi
done
echo "released $released (qpdf --check clean $clean), refused $refused" >&2
