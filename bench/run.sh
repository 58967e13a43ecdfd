#!/usr/bin/env bash
# Side-by-side benchmark of declass against the floor (`cat`) and the peers a reviewer could use
# instead (../shared/bench/peers: plain Python, Presidio, PyMuPDF, pdf-redactor), on the same files
# in the same run. Each tool runs RUNS times, rounds interleaved (round 1 of every tool, then
# round 2…) so that noise on a shared machine spreads over all tools; the table shows medians.
#
# usage: bench/run.sh CORPUS_DIR
# env:   RUNS=3            timed runs per tool
#        VENV=bench/venv   Python venv with the peers' packages (peers needing it are skipped
#                          politely when it is missing; see bench/README.md for the set-up)
#        PEERS=../shared/bench/peers   the peer scripts
#        PDF_FILES=500     cables typeset for the PDF comparison (the first N *.txt by name,
#                          exactly the set the peers' make_pdf.py picks)
#        MARKS=C,S,TS      levels the peers withhold
#        THREADS=          passed to declass as -j N (default: declass's own, all cores)
#        KEEP=1            keep the temporary directory (outputs, raw timings)
# Outputs go to a fresh temporary directory (never inside the corpus), removed at the end.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
corpus_arg=${1:?usage: bench/run.sh CORPUS_DIR}
corpus=$(cd "$corpus_arg" && pwd)
runs=${RUNS:-3}
venv=${VENV:-$here/venv}
peers=${PEERS:-$repo/../shared/bench/peers}
pdf_files=${PDF_FILES:-500}
marks=${MARKS:-C,S,TS}
threads=${THREADS:-}
venv=$(realpath -m "$venv")
peers=$(realpath -m "$peers")
as_of=2026-01-01 # fixed, so audit and release do the same work whatever the date

work=$(mktemp -d "${TMPDIR:-/tmp}/declass-bench.XXXXXX")
case "$work/" in "$corpus"/*)
  echo "bench: temporary directory $work is inside the corpus; set TMPDIR elsewhere" >&2
  exit 2
  ;;
esac
if [ "${KEEP:-0}" = 1 ]; then
  echo "bench: keeping $work" >&2
else
  trap 'rm -rf "$work"' EXIT
fi
note() { echo "bench: $*" >&2; }

# ---- build once ---------------------------------------------------------------------------
note "cargo build --release"
(cd "$repo" && cargo build --release --quiet)
target=$(cd "$repo" && mkdir -p "${CARGO_TARGET_DIR:-target}" && cd "${CARGO_TARGET_DIR:-target}" && pwd)
bin=$target/release/declass
jflag=()
[ -n "$threads" ] && jflag=(-j "$threads")
has() { "$bin" "$1" --help >/dev/null 2>&1; }

# ---- the files ----------------------------------------------------------------------------
# The peers read the top-level *.txt of the folder (sorted by name); declass walks the folder.
find "$corpus" -maxdepth 1 -type f -name '*.txt' -printf '%f\n' | LC_ALL=C sort >"$work/names"
nfiles=$(wc -l <"$work/names")
[ "$nfiles" -gt 0 ] || { note "no *.txt files in $corpus"; exit 2; }
sed "s|^|$corpus/|" "$work/names" | tr '\n' '\0' >"$work/files0"
head -n "$pdf_files" "$work/names" | sed "s|^|$corpus/|" >"$work/pdf-files"
bytes=$(xargs -0 -a "$work/files0" stat -c %s | awk '{s += $1} END {print s}')
walked=$(find "$corpus" \( -name '.*' -o -name target \) -prune -o -type f \
  \( -name '*.txt' -o -name '*.md' -o -name '*.text' \) -print | wc -l)
if [ "$walked" != "$nfiles" ]; then
  note "warning: declass walks $walked files under $corpus, the peers read $nfiles top-level *.txt"
fi
npdf=$(wc -l <"$work/pdf-files")

# ---- what to run ----------------------------------------------------------------------------
# meta.tsv: label, group (text|pdf), kind (floor|declass|peer), note
: >"$work/meta.tsv"
: >"$work/results.tsv"
tools=()
add() { tools+=("$1"); printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "${4:-}" >>"$work/meta.tsv"; }
skip() { printf '%s\t%s\t%s\tskipped: %s\n' "$1" "$2" "$3" "$4" >>"$work/meta.tsv"; }

out=$work/out
cmd_of() { # sets the array cmd
  case "$1" in
    cat) cmd=(xargs -0 -a "$work/files0" cat) ;;
    "declass parse") cmd=("$bin" parse --stats "${jflag[@]}" "$corpus") ;;
    "declass audit") cmd=("$bin" audit "${jflag[@]}" --format json --fail-on never --as-of "$as_of" "$corpus") ;;
    "declass release text") cmd=("$bin" release "${jflag[@]}" --as-of "$as_of" --out-dir "$out/release-text" "$corpus") ;;
    "plain Python") cmd=(python3 "$peers/py_regex_dir.py" "$corpus" "$out/py" "$marks") ;;
    "Presidio") cmd=("$venv/bin/python" "$peers/presidio_dir.py" "$corpus" "$out/presidio" "$marks") ;;
    "declass release pdf") cmd=("$bin" release "${jflag[@]}" --as-of "$as_of" --format pdf --out-dir "$out/release-pdf" @PDF_FILES) ;;
    "PyMuPDF") cmd=("$venv/bin/python" "$peers/pymupdf_redact.py" "$work/corpus.pdf" "$out/pymupdf.pdf" "$marks") ;;
    "pdf-redactor") cmd=("$venv/bin/python" "$peers/pdf_redactor_run.py" "$work/corpus-u.pdf" "$out/pdf-redactor.pdf" "$marks") ;;
  esac
}

venv_ok() { [ -x "$venv/bin/python" ] && "$venv/bin/python" -c "import $1" >/dev/null 2>&1; }

add cat text floor
add "declass parse" text declass
if has audit; then add "declass audit" text declass; else skip "declass audit" text declass "no 'audit' command in this build"; fi
if has release; then add "declass release text" text declass; else skip "declass release text" text declass "no 'release' command in this build"; fi
if [ -f "$peers/py_regex_dir.py" ]; then add "plain Python" text peer; else skip "plain Python" text peer "no peer scripts at $peers"; fi
if [ ! -f "$peers/presidio_dir.py" ]; then skip Presidio text peer "no peer scripts at $peers"
elif venv_ok presidio_analyzer; then add Presidio text peer
else skip Presidio text peer "no presidio in VENV=$venv (see bench/README.md)"; fi
if has release; then add "declass release pdf" pdf declass; else skip "declass release pdf" pdf declass "no 'release' command in this build"; fi
if [ ! -f "$peers/make_pdf.py" ]; then
  skip PyMuPDF pdf peer "no peer scripts at $peers"; skip pdf-redactor pdf peer "no peer scripts at $peers"
elif ! venv_ok pymupdf; then
  skip PyMuPDF pdf peer "no pymupdf in VENV=$venv"; skip pdf-redactor pdf peer "no pymupdf in VENV=$venv (needed to typeset its input)"
else
  note "typesetting the first $pdf_files cables for the PDF peers (make_pdf.py, not timed)"
  "$venv/bin/python" "$peers/make_pdf.py" "$corpus" "$work/corpus.pdf" "$pdf_files" >"$work/make_pdf.log"
  peer_pages=$(sed -n 's/^[0-9]* documents, \([0-9]*\) pages.*/\1/p' "$work/make_pdf.log")
  add PyMuPDF pdf peer "$peer_pages pages in"
  if ! command -v qpdf >/dev/null; then skip pdf-redactor pdf peer "qpdf not installed"
  elif ! venv_ok pdf_redactor; then skip pdf-redactor pdf peer "no pdf-redactor in VENV=$venv"
  else
    qpdf --stream-data=uncompress "$work/corpus.pdf" "$work/corpus-u.pdf"
    add pdf-redactor pdf peer "$peer_pages pages in"
  fi
fi

# ---- timing -------------------------------------------------------------------------------
warm() { xargs -0 -a "$work/files0" cat >/dev/null; } # page cache: every tool reads warm files
one() {                                               # label round
  local label=$1 round=$2 cmd
  cmd_of "$label"
  if [ "${cmd[-1]}" = @PDF_FILES ]; then
    unset 'cmd[-1]'
    local pdfs
    mapfile -t pdfs <"$work/pdf-files"
    cmd+=("${pdfs[@]}")
  fi
  rm -rf "$out" && mkdir -p "$out"
  local t0 t1 rc=0
  t0=$EPOCHREALTIME
  /usr/bin/time -f '%x %M %U %S' -o "$work/time" "${cmd[@]}" >"$work/stdout" 2>"$work/stderr" || rc=$?
  t1=$EPOCHREALTIME
  local status rss user sys
  read -r status rss user sys < <(tail -n 1 "$work/time")
  [ "$rc" = 0 ] || status=$rc
  if [ "$status" != 0 ]; then
    note "$label exited with $status (round $round); stderr tail:"
    tail -n 3 "$work/stderr" | sed 's/^/  /' >&2
  fi
  # The peers also print the time they spent after start-up and imports ("… in 1.23s").
  local inproc
  inproc=$(grep -oE ' in [0-9]+\.[0-9]+s' "$work/stdout" | tail -n 1 | tr -dc '0-9.' || true)
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$round" "$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.4f", b - a}')" \
    "$rss" "$status" "${inproc:--}" "$(awk -v u="$user" -v s="$sys" 'BEGIN {printf "%.2f", u + s}')" >>"$work/results.tsv"
  if [ "$label" = "declass release pdf" ] && [ "$round" = 1 ]; then
    python3 "$here/table.py" pages "$out/release-pdf" >"$work/declass-pages"
  fi
  if [ "$label" = "declass release text" ] && [ "$round" = 1 ]; then
    find "$out/release-text" -type f | wc -l >"$work/release-text-files"
  fi
}

cd "$work" # no .declass.yaml from the caller's tree changes what audit does
warm
note "$runs rounds of ${#tools[@]} tools over $nfiles files ($((bytes / 1000000)) MB)"
for round in $(seq 1 "$runs"); do
  for label in "${tools[@]}"; do
    note "round $round/$runs: $label"
    one "$label" "$round"
  done
done

# ---- report -------------------------------------------------------------------------------
mem=$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
rev=$(git -C "$repo" describe --always --dirty 2>/dev/null || echo unknown)
python3 "$here/table.py" report \
  --results "$work/results.tsv" --meta "$work/meta.tsv" \
  --bytes "$bytes" --files "$nfiles" --pdf-files "$npdf" \
  --declass-pages "$(cat "$work/declass-pages" 2>/dev/null || echo 0)" \
  --header "corpus: $corpus_arg ($nfiles files, $(awk -v b="$bytes" 'BEGIN {printf "%.1f", b / 1e6}') MB); PDF: first $npdf files" \
  --header "machine: $(nproc) cores ($cpu), $mem RAM; declass $rev, threads: ${threads:-all cores}" \
  --header "$runs runs per tool, rounds interleaved, median wall shown; peak RSS = max over runs"
