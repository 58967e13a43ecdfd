#!/usr/bin/env python3
"""Checks in-place releases with poppler's pdftotext, which shares no code with declass.

    scripts/pdf_words_check.py [DECLASS] PDF...

For each source PDF, declass releases it in place (with a manifest) and parses it; then
`pdftotext -layout` of the output must contain the first three words of every released
portion, and none of the withheld portions' words that the text release of the same PDF
(`--format text`: released portions, header lines kept word for word, banners, stamps) does
not show (words of 6 letters or more). The page count (`pdfinfo`) must be the source's.
Prints one line per PDF and a tally; exit 1 if any check failed. Needs poppler-utils
(pdftotext, pdfinfo).

How the first words are found. The words come from declass's reading of the source and
the output is read by poppler, which shares no code with it; where the two readers split
the same glyphs differently the words are still there, so a portion's first words count as
shown when, lower-cased:
- each is a word of pdftotext's output (wherever its reading order puts it); or
- the words written without spaces occur in the output written without spaces: OCR layers
  place each word or glyph on its own and the readers' gap rules differ at the margin
  (`LIN KA GE` / `LINKAGE`, `D iscussion` / `Discussion`); or
- the same characters, in another order, make a stretch of the output written without
  spaces: a run that draws its glyphs out of left-to-right order reads in drawing order
  in declass (`Environm(eGntCE)`) and sorted by x in pdftotext (`Environment(GCE)`).
None of the three accepts a word whose characters are not in the output, together.

The withheld words are compared the same way: a word of a withheld portion that
pdftotext finds in the output counts only when the text release shows it neither as a
word nor written without spaces (a released line `Com puter Network Defense` in
declass's reading of an OCR layer is `Computer Network Defense` in pdftotext's, and a
withheld portion's `computer` is then no leak).

A portion the manifest releases but whose lines hold a guard finding (`guard` in the
manifest: a mark above the target inside the portion) is withheld whole by the guard in
every output, so it counts as withheld here: its first words are not looked for and its
words enter the leak check.
"""
import json
import os
import re
import subprocess
import sys
import tempfile
from collections import Counter

WORD = re.compile(r"[A-Za-z]{6,}")


def norm(text):
    return " ".join(text.lower().split())


def squash(text):
    return "".join(text.lower().split())


def anagram_in(word, hay):
    """Whether some stretch of `hay` as long as `word` holds the same characters."""
    n = len(word)
    if n == 0 or n > len(hay):
        return n == 0
    want, have = Counter(word), Counter(hay[:n])
    if have == want:
        return True
    for i in range(n, len(hay)):
        have[hay[i]] += 1
        out = hay[i - n]
        have[out] -= 1
        if have[out] == 0:
            del have[out]
        if have == want:
            return True
    return False


def first_words_shown(first, shown, flat):
    if all(w in shown for w in first):
        return True
    joined = "".join(first)
    return joined in flat or anagram_in(joined, flat)


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
    manifest = json.load(open(manifest))
    decided = manifest["paragraphs"]
    guarded = [g["line"] for g in manifest.get("guard", [])]
    paragraphs = doc["paragraphs"]
    if len(decided) != len(paragraphs):
        return [f"manifest has {len(decided)} portions, parse {len(paragraphs)}"]
    text = subprocess.run(["pdftotext", "-layout", out, "-"], capture_output=True,
                          text=True).stdout
    shown = set(norm(text).split())
    flat = squash(text)
    shown_words = set(w.lower() for w in WORD.findall(text))
    as_text = subprocess.run([declass, "release", src, "--format", "text", "--as-of",
                              "2026-01-01"], capture_output=True, text=True).stdout
    released_words = set(w.lower() for w in WORD.findall(as_text))
    released_flat = squash(as_text)
    def released(p, d):
        first, last = p["lines"][0], p["lines"][-1]
        return d["action"] == "release" and not any(first <= g <= last for g in guarded)

    problems = []
    for p, d in zip(paragraphs, decided):
        if released(p, d):
            first = norm(" ".join(p["text"].split()[:3])).split()
            if not first_words_shown(first, shown, flat):
                problems.append(f"released portion at line {p['lines'][0]}: first words missing")
    leaked = set()
    for p, d in zip(paragraphs, decided):
        if not released(p, d):
            for w in WORD.findall(p["text"]):
                w = w.lower()
                if w in shown_words and w not in released_words and w not in released_flat:
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
                print(f"{name}\tFAIL\t" + "; ".join(problems))
            else:
                released += 1
                print(f"{name}\tok")
    print(f"released {released}, failed checks {failed}, refused {refused}", file=sys.stderr)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
