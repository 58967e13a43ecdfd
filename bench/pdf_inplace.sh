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
# Each run is timed twice: wall clock, and CPU time (user + system of the declass
# processes, of the Python process for PyMuPDF), which stays meaningful when other work
# shares the cores. declass is also run once for the whole list (`--out-dir`, one thread,
# as PyMuPDF runs in one process); its outputs are compared with `cmp` to the
# one-process-per-PDF outputs (they must be the same bytes).
# Needs python3 (a venv with pymupdf is made under target/) and a release build.
set -eu
cd "$(dirname "$0")/.."
VENV=target/venv
[ -x $VENV/bin/python ] || python3 -m venv $VENV
$VENV/bin/python -c 'import pymupdf' 2>/dev/null || $VENV/bin/pip install -q pymupdf
# NO_BUILD=1: use the release build as it is (while another build holds the target dir).
[ -n "${NO_BUILD:-}" ] || cargo build -q --release --bin declass
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

def run_batch():
    out = os.path.join(work, "batch")
    subprocess.run(["rm", "-rf", out], check=True)
    subprocess.run(
        ["target/release/declass", "release", *files, "--format", "pdf", "--as-of",
         "2026-01-01", "--out-dir", out, "-j", "1", "--no-sync"],
        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

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

def cpu():
    # This process (PyMuPDF) and the children it waited for (declass).
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system

times, cpus = {}, {}
runs = [("declass", run_declass), ("batch", run_batch), ("pymupdf", run_mupdf)]
if before:
    runs.append(("before", lambda: run_declass(before, "before")))
# Rounds interleave the runs, so that a burst of load elsewhere falls on all of them.
for _ in range(3):
    for label, fn in runs:
        t, c = time.perf_counter(), cpu()
        fn()
        t, c = time.perf_counter() - t, cpu() - c
        times[label] = min(times.get(label, t), t)
        cpus[label] = min(cpus.get(label, c), c)
for f in files:
    a = open(os.path.join(work, "declass", name(f) + ".pdf"), "rb").read()
    b = open(os.path.join(work, "batch", name(f) + ".pdf"), "rb").read()
    if a != b:
        sys.exit(f"{f}: the batch release differs from the single release")
print(f"{len(files)} PDFs, {pages} pages (best of 3; wall clock, and CPU time)")
def line(label, what):
    w, c = pages / times[label], pages / cpus[label]
    print(f"{what:<34}: {times[label]:6.2f} s {w:6.1f} pages/s | CPU {cpus[label]:6.2f} s {c:6.1f} pages/s")
line("declass", "declass, one process per PDF")
line("batch", "declass, one process (--out-dir)")
line("pymupdf", "PyMuPDF redaction (in-process)")
ratio = lambda a, b, t: (pages / t[a]) / (pages / t[b])
for label in ["declass", "batch"]:
    print(f"ratio {label}/PyMuPDF: wall {ratio(label, 'pymupdf', times):.2f}x, "
          f"CPU {ratio(label, 'pymupdf', cpus):.2f}x")
if before:
    line("before", f"BEFORE ({before})")
    print(f"ratio BEFORE/PyMuPDF: wall {ratio('before', 'pymupdf', times):.2f}x, "
          f"CPU {ratio('before', 'pymupdf', cpus):.2f}x; this build / BEFORE: "
          f"wall {ratio('declass', 'before', times):.2f}x, CPU {ratio('declass', 'before', cpus):.2f}x")
PY
