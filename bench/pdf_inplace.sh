#!/bin/sh
# In-place PDF release vs PyMuPDF's apply_redactions, same PDFs, same regions, one run.
#
#   bench/pdf_inplace.sh [PDF...]     (default: the modern corpus PDFs declass releases)
#
# For each PDF, declass (release build) releases it in place; the boxes it drew are read
# from its output with PyMuPDF (filled rectangles), and PyMuPDF then redacts the same
# rectangles of the input (add_redact_annot + apply_redactions, images under them too) and
# saves. Both are timed over all the PDFs; the script prints pages/s of each and the ratio.
# With BEFORE=path/to/declass (another build, e.g. main's), that binary is timed too, on
# the same list in the same run, and the ratio of the two builds is printed. The list is
# the PDFs this build releases; a PDF the other build refuses is timed as its refusal.
# Needs python3 (a venv with pymupdf is made under target/) and a release build.
set -eu
cd "$(dirname "$0")/.."
VENV=target/venv
[ -x $VENV/bin/python ] || python3 -m venv $VENV
$VENV/bin/python -c 'import pymupdf' 2>/dev/null || $VENV/bin/pip install -q pymupdf
cargo build -q --release --bin declass
WORK=target/bench-pdf
rm -rf $WORK && mkdir -p $WORK/declass $WORK/mupdf
if [ $# -eq 0 ]; then
  set -- /work/shared/corpus/modern/pdf/*.pdf
fi
# The PDFs declass releases in place (the others are refused, and have nothing to compare).
: > $WORK/list
for f in "$@"; do
  b=$(basename "$f" .pdf)
  if target/release/declass release "$f" --format pdf --as-of 2026-01-01 \
      -o $WORK/declass/$b.pdf >/dev/null 2>&1; then
    echo "$f" >> $WORK/list
  fi
done
BEFORE=${BEFORE:-} $VENV/bin/python - $WORK <<'PY'
import os, subprocess, sys, time
import pymupdf

work = sys.argv[1]
files = [l.strip() for l in open(os.path.join(work, "list")) if l.strip()]
name = lambda f: os.path.splitext(os.path.basename(f))[0]
pages = sum(pymupdf.open(f).page_count for f in files)

# The same regions: the black rectangles declass drew, page by page.
regions = {}
for f in files:
    out = pymupdf.open(os.path.join(work, "declass", name(f) + ".pdf"))
    regions[f] = [
        [d["rect"] for d in page.get_drawings() if d.get("fill") == (0.0, 0.0, 0.0)]
        for page in out
    ]

def run_declass(binary="target/release/declass", out="declass"):
    os.makedirs(os.path.join(work, out), exist_ok=True)
    for f in files:
        subprocess.run(
            [binary, "release", f, "--format", "pdf", "--as-of",
             "2026-01-01", "-o", os.path.join(work, out, name(f) + ".pdf")],
            check=(out == "declass"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

before = os.environ.get("BEFORE", "")

def run_mupdf():
    for f in files:
        doc = pymupdf.open(f)
        for page, rects in zip(doc, regions[f]):
            for r in rects:
                page.add_redact_annot(r, fill=(0, 0, 0))
            if rects:
                page.apply_redactions()
        doc.scrub()
        doc.save(os.path.join(work, "mupdf", name(f) + ".pdf"), garbage=3, deflate=True)

times = {}
runs = [("declass", run_declass), ("pymupdf", run_mupdf)]
if before:
    runs.append(("before", lambda: run_declass(before, "before")))
for label, fn in runs:
    best = None
    for _ in range(3):
        t = time.perf_counter()
        fn()
        t = time.perf_counter() - t
        best = t if best is None else min(best, t)
    times[label] = best
d, m = pages / times["declass"], pages / times["pymupdf"]
print(f"{len(files)} PDFs, {pages} pages (best of 3)")
print(f"declass in place : {times['declass']:.2f} s  {d:.1f} pages/s (one process per PDF)")
print(f"PyMuPDF redaction: {times['pymupdf']:.2f} s  {m:.1f} pages/s (in-process)")
print(f"ratio declass/PyMuPDF: {d / m:.2f}x")
if before:
    b = pages / times["before"]
    print(f"declass BEFORE   : {times['before']:.2f} s  {b:.1f} pages/s ({before})")
    print(f"ratio BEFORE/PyMuPDF: {b / m:.2f}x; this build / BEFORE: {d / b:.2f}x")
PY
