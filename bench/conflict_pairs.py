#!/usr/bin/env python3
"""The conflicting pairs two declass builds report on one batch, compared, each pair that
appears or disappears judged by the exact Jaccard similarity of the two paragraphs' 8-word
shingle sets (what the consistency pass estimates; 0.7 is its threshold).

    python3 bench/conflict_pairs.py DECLASS OLD_STDERR NEW_STDERR

OLD_STDERR and NEW_STDERR are the standard error of `declass release --consistency
report …` (or strict) of the same inputs, run from the same directory as this script is;
DECLASS is the binary whose `parse --format json` reads the paragraphs back.
"""
import json
import re
import subprocess
import sys

LINE = re.compile(
    r"^declass: consistency: (\S+) (¶\d+|paragraph \d+) (\w+).*? and (\S+) (¶\d+|paragraph \d+)"
    r" (\w+): the same text \(similarity ([\d.]+)\)"
)
SHINGLE = 8


def pairs(path):
    out = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = LINE.match(line)
            if m:
                out[(m[1], m[2], m[4], m[5])] = (m[3], m[6], float(m[7]))
    return out


_docs = {}


def paragraphs(declass, path):
    """label -> [text] of one document, as the consistency pass labels them."""
    if path not in _docs:
        doc = json.loads(subprocess.run([declass, "parse", "--format", "json", path],
                                        capture_output=True, text=True).stdout.splitlines()[0])
        labels = {}
        for i, p in enumerate(doc["paragraphs"]):
            label = f"¶{p['number']}" if p.get("number") is not None else f"paragraph {i + 1}"
            labels.setdefault(label, []).append(p["text"])
        _docs[path] = labels
    return _docs[path]


def shingles(text):
    words = re.findall(r"[^\W_]+", text.lower())
    return {tuple(words[i:i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


def jaccard(declass, a, la, b, lb):
    best = None
    for ta in paragraphs(declass, a).get(la, []):
        for tb in paragraphs(declass, b).get(lb, []):
            sa, sb = shingles(ta), shingles(tb)
            if sa | sb:
                j = len(sa & sb) / len(sa | sb)
                best = j if best is None else max(best, j)
    return best


def main():
    declass, old_path, new_path = sys.argv[1:4]
    old, new = pairs(old_path), pairs(new_path)
    print(f"pairs: old {len(old)}, new {len(new)}, both {len(old.keys() & new.keys())}")
    for what, only, other in (("disappears", old, new), ("appears", new, old)):
        for key in sorted(only.keys() - other.keys()):
            a, la, b, lb = key
            j = jaccard(declass, a, la, b, lb)
            fates = f"{only[key][0]}/{only[key][1]}"
            shown = "?" if j is None else f"{j:.3f}"
            verdict = "" if j is None else ("  (exact >= 0.7)" if j >= 0.7 else "  (exact < 0.7)")
            print(f"{what}: {a} {la} / {b} {lb} [{fates}] estimate {only[key][2]:.2f}, "
                  f"exact Jaccard {shown}{verdict}")


if __name__ == "__main__":
    main()
