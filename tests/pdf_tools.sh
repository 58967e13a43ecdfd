#!/usr/bin/env bash
# Cross-check a released PDF with independent tools (qpdf, poppler's pdftotext).
#
# Place in the pipeline: release model -> render::pdf -> bytes -> (this script). The crate's own
# `extract` reads our PDFs back with the same assumptions that wrote them; this script asks
# third-party readers instead, so a structural error or a text-encoding slip that our reader
# would forgive still shows up.
#
# Usage: tests/pdf_tools.sh FILE.pdf EXPECTED_LINES.txt [FORBIDDEN_STRINGS.txt]
#   EXPECTED_LINES.txt   every non-blank line must appear in `pdftotext -layout` output
#                        (runs of whitespace count as one space on both sides).
#   FORBIDDEN_STRINGS.txt optional; no non-blank line may appear in the extracted text or in
#                        the fully decompressed file (e.g. the withheld text, for a leak check).
#                        The file check compares raw bytes, so it sees ASCII text; the
#                        pdftotext check also catches non-ASCII text.
# Each tool that is not installed is skipped with a note. Exit status: 0 all checks that ran
# passed, 1 a check failed, 2 usage error.

set -u

usage() {
    echo "usage: $0 FILE.pdf EXPECTED_LINES.txt [FORBIDDEN_STRINGS.txt]" >&2
    exit 2
}

[ $# -ge 2 ] && [ $# -le 3 ] || usage
pdf=$1
expected=$2
forbidden=${3:-}
[ -r "$pdf" ] || { echo "cannot read $pdf" >&2; exit 2; }
[ -r "$expected" ] || { echo "cannot read $expected" >&2; exit 2; }
[ -z "$forbidden" ] || [ -r "$forbidden" ] || { echo "cannot read $forbidden" >&2; exit 2; }

work=$(mktemp -d) || exit 2
trap 'rm -rf "$work"' EXIT

failures=0
ran=0
fail() {
    echo "FAIL: $*"
    failures=$((failures + 1))
}
pass() {
    echo "ok: $*"
}

# Collapse runs of blanks and trim, so layout spacing does not matter when comparing.
squeeze() {
    tr -s ' \t' '  ' | sed -e 's/^ //' -e 's/ $//'
}

# Print the non-blank lines of a file, squeezed.
nonblank_lines() {
    squeeze <"$1" | grep -v '^$' || true
}

if command -v qpdf >/dev/null 2>&1; then
    ran=$((ran + 1))
    if qpdf --check "$pdf" >"$work/check.txt" 2>&1; then
        pass "qpdf --check"
    else
        fail "qpdf --check reported problems:"
        sed 's/^/    /' "$work/check.txt"
    fi

    # QDF mode rewrites the file with every stream decompressed, so text hidden in compressed
    # streams becomes visible to grep.
    if qpdf --qdf --object-streams=disable "$pdf" "$work/qdf.pdf" >"$work/qdf.txt" 2>&1; then
        pass "qpdf --qdf --object-streams=disable"
        # Residue a release must not carry: dates, authorship, XMP.
        for key in /CreationDate /ModDate /Author /Creator /Title /Subject /Keywords /Metadata xmpmeta; do
            if grep -aqF -- "$key" "$work/qdf.pdf"; then
                fail "metadata residue: $key present"
            fi
        done
        if [ -n "$forbidden" ]; then
            while IFS= read -r needle; do
                if grep -aqF -- "$needle" "$work/qdf.pdf"; then
                    fail "forbidden string in decompressed file: $needle"
                fi
            done < <(nonblank_lines "$forbidden")
        fi
    else
        fail "qpdf --qdf failed:"
        sed 's/^/    /' "$work/qdf.txt"
    fi
else
    echo "skip: qpdf not installed (apt-get install qpdf)"
fi

if command -v pdftotext >/dev/null 2>&1; then
    ran=$((ran + 1))
    if pdftotext -layout -enc UTF-8 "$pdf" "$work/text.txt" 2>"$work/pdftotext.err"; then
        pass "pdftotext -layout"
        squeeze <"$work/text.txt" >"$work/text.squeezed"
        missing=0
        while IFS= read -r line; do
            if ! grep -qF -- "$line" "$work/text.squeezed"; then
                fail "expected line not found: $line"
                missing=$((missing + 1))
            fi
        done < <(nonblank_lines "$expected")
        [ "$missing" -eq 0 ] && pass "all expected lines present"
        if [ -n "$forbidden" ]; then
            # Compare with all whitespace collapsed too, so a phrase broken across rows is found.
            tr -s ' \t\n\f' '    ' <"$work/text.txt" >"$work/text.flat"
            while IFS= read -r needle; do
                if grep -qF -- "$needle" "$work/text.flat"; then
                    fail "forbidden string in page text: $needle"
                fi
            done < <(nonblank_lines "$forbidden")
        fi
    else
        fail "pdftotext failed:"
        sed 's/^/    /' "$work/pdftotext.err"
    fi
else
    echo "skip: pdftotext not installed (apt-get install poppler-utils)"
fi

if [ "$ran" -eq 0 ]; then
    echo "nothing checked: neither qpdf nor pdftotext is installed"
fi
if [ "$failures" -gt 0 ]; then
    echo "$failures check(s) failed"
    exit 1
fi
exit 0
