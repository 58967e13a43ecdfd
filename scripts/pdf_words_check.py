#!/usr/bin/env python3
"""Checks in-place releases with poppler's pdftotext, which shares no code with declass.

    scripts/pdf_words_check.py [DECLASS] PDF...

For each source PDF, declass releases it in place (with a manifest) and parses it; then
`pdftotext -layout` of the output must contain the first three words of every released
portion (each word, wherever pdftotext's reading order puts it), and none of the withheld
portions' words that the text release of the same PDF (`--format text`: released portions,
header lines kept word for word, banners, stamps) does not show (words of 6 letters or
more). The page count (`pdfinfo`) must be the
source's. Prints one line per PDF and a tally; exit 1 if any check failed. Needs
poppler-utils (pdftotext, pdfinfo).
"""
import json
import os
import re
import subprocess
import sys
import tempfile

WORD = re.compile(r"[A-Za-z]{6,}")


def norm(text):
    return " ".join(text.lower().split())


def pages(path):
    out = subprocess.run(["pdfinfo", path], capture_output=True, text=True).stdout
    m = re.search(r"^Pages:\s+(\d+)", out, re.M)
    return int(m.group(1)) if m else -1


def check(declass, src, work):
    base = os.path.splitext(os.path.basename(src))[0]
    out, manifest = os.path.join(work, base + ".pdf"), os.path.join(work, base + ".json")
    r = subprocess.run([declass, "release", src, "--format", "pdf", "--as-of", "2026-01-01",
                        "-o", out, "--manifest", manifest], capture_output=True)
    if r.returncode != 0:
        return None
    doc = json.loads(subprocess.run([declass, "parse", src, "--format", "json"],
                                    capture_output=True).stdout)
    decided = json.load(open(manifest))["paragraphs"]
    paragraphs = doc["paragraphs"]
    if len(decided) != len(paragraphs):
        return [f"manifest has {len(decided)} portions, parse {len(paragraphs)}"]
    text = subprocess.run(["pdftotext", "-layout", out, "-"], capture_output=True,
                          text=True).stdout
    shown = set(norm(text).split())
    shown_words = set(w.lower() for w in WORD.findall(text))
    as_text = subprocess.run([declass, "release", src, "--format", "text", "--as-of",
                              "2026-01-01"], capture_output=True, text=True).stdout
    released_words = set(w.lower() for w in WORD.findall(as_text))
    problems = []
    for p, d in zip(paragraphs, decided):
        if d["action"] == "release":
            first = norm(" ".join(p["text"].split()[:3])).split()
            if any(w not in shown for w in first):
                problems.append(f"released portion at line {p['lines'][0]}: first words missing")
    leaked = set()
    for p, d in zip(paragraphs, decided):
        if d["action"] != "release":
            for w in WORD.findall(p["text"]):
                w = w.lower()
                if w in shown_words and w not in released_words:
                    leaked.add(w)
    # Never print the words themselves: only how many.
    if leaked:
        problems.append(f"{len(leaked)} withheld-only words in pdftotext output")
    if pages(out) != pages(src):
        problems.append(f"page count {pages(out)} != {pages(src)}")
    return problems


def main():
    args = sys.argv[1:]
    declass = "target/release/declass"
    if args and not args[0].endswith(".pdf"):
        declass, args = args[0], args[1:]
    released = failed = refused = 0
    with tempfile.TemporaryDirectory() as work:
        for src in args:
            problems = check(declass, src, work)
            name = os.path.basename(src)
            if problems is None:
                refused += 1
                print(f"{name}\trefused")
            elif problems:
                released += 1
                failed += 1
                print(f"{name}\tFAIL\t" + "; ".join(problems[:3]))
            else:
                released += 1
                print(f"{name}\tok")
    print(f"released {released}, failed checks {failed}, refused {refused}", file=sys.stderr)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
