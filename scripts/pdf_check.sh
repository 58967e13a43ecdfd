#!/usr/bin/env bash
# One entry point to check a released PDF with independent tools.
#
# usage: scripts/pdf_check.sh FILE.pdf [WITHHELD.txt] [EXPECTED.txt]
#   WITHHELD.txt  optional; one withheld sentence (or term) per line. None may appear in the
#                 PDF: not in the page text as pdftotext reads it, not in the fully
#                 decompressed file, and not in the text shown by the page content streams
#                 once joined up (so a sentence wrapped over two rows is still found).
#                 Whitespace and case do not matter.
#   EXPECTED.txt  optional; every non-blank line must appear in `pdftotext -layout` output
#                 (runs of whitespace count as one space).
#
# It runs tests/pdf_tools.sh (qpdf --check; qpdf --qdf --object-streams=disable, metadata
# residue and a literal grep of the decompressed file; pdftotext -layout), then adds what
# that script cannot see: a wrapped-sentence check of the decompressed content streams and
# a check that the file has one revision (no incremental update keeping older text). Tools
# that are not installed are skipped with a note (apt-get install qpdf poppler-utils).
# Exit: 0 every check that ran passed, 1 a check failed, 2 usage error.
#
# Example: scripts/pdf_check.sh seed.pdf tests/fixtures/release/07PRAGUE486.withheld.txt \
#            tests/fixtures/release/07PRAGUE486.pdf-expected.txt

set -u

usage() {
    echo "usage: $0 FILE.pdf [WITHHELD.txt] [EXPECTED.txt]" >&2
    exit 2
}

[ $# -ge 1 ] && [ $# -le 3 ] || usage
pdf=$1
withheld=${2:-}
expected=${3:-}
[ -r "$pdf" ] || { echo "cannot read $pdf" >&2; exit 2; }
[ -z "$withheld" ] || [ -r "$withheld" ] || { echo "cannot read $withheld" >&2; exit 2; }
[ -z "$expected" ] || [ -r "$expected" ] || { echo "cannot read $expected" >&2; exit 2; }

here=$(cd "$(dirname "$0")" && pwd)
tools="$here/../tests/pdf_tools.sh"
[ -r "$tools" ] || { echo "cannot find $tools" >&2; exit 2; }

work=$(mktemp -d) || exit 2
trap 'rm -rf "$work"' EXIT
[ -n "$expected" ] || { : >"$work/none.txt"; expected="$work/none.txt"; }

failures=0
fail() {
    echo "FAIL: $*"
    failures=$((failures + 1))
}

# 1. The PDF author's checks.
if [ -n "$withheld" ]; then
    bash "$tools" "$pdf" "$expected" "$withheld"
else
    bash "$tools" "$pdf" "$expected"
fi
case $? in
0) ;;
1) failures=$((failures + 1)) ;;
*) exit 2 ;;
esac

# 2. One revision only: an incremental update can keep text a later revision removed.
eofs=$(LC_ALL=C grep -ac '%%EOF' "$pdf")
if [ "$eofs" -eq 1 ] && ! LC_ALL=C grep -aq '/Prev' "$pdf"; then
    echo "ok: one revision (no incremental update)"
else
    fail "incremental updates: $eofs %%EOF markers"
fi

# Words only, lower case, one space apart.
normalise() {
    LC_ALL=C tr -cs 'A-Za-z0-9' ' ' | LC_ALL=C tr 'A-Z' 'a-z'
}

# 3. Withheld sentences wrapped over rows: join every string the decompressed content streams
#    show (Tj), normalise, and search.
if [ -n "$withheld" ]; then
    if command -v qpdf >/dev/null 2>&1; then
        if qpdf --qdf --object-streams=disable "$pdf" "$work/qdf.pdf" >/dev/null 2>&1; then
            LC_ALL=C grep -aoE '\((\\.|[^\\)])*\)[[:space:]]*Tj' "$work/qdf.pdf" |
                LC_ALL=C sed -E -e 's/\)[[:space:]]*Tj$//' -e 's/^\(//' \
                    -e 's/\\([()\\])/\1/g' |
                normalise >"$work/shown.txt"
            printf ' %s ' "$(cat "$work/shown.txt")" | tr -s ' ' >"$work/shown.flat"
            found=0
            while IFS= read -r line; do
                needle=$(printf '%s' "$line" | normalise | sed -e 's/^ //' -e 's/ $//')
                [ -n "$needle" ] || continue
                if LC_ALL=C grep -qF -- " $needle " "$work/shown.flat"; then
                    fail "withheld text shown on a page (wrapped or not): $line"
                    found=$((found + 1))
                fi
            done <"$withheld"
            [ "$found" -eq 0 ] && echo "ok: no withheld sentence in the joined page text"
        else
            fail "qpdf --qdf failed on $pdf"
        fi
    else
        echo "skip: joined page text check needs qpdf (apt-get install qpdf)"
    fi
fi

if [ "$failures" -gt 0 ]; then
    echo "$pdf: $failures check(s) failed"
    exit 1
fi
echo "$pdf: all checks that ran passed"
exit 0
