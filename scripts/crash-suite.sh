#!/usr/bin/env bash
# The journal's crash and corruption suite: SIGKILLs of 4 concurrent writers, a cut at every byte of
# the last records, random corruption, and a full disk (a 256 kB tmpfs when run as root, and a
# file-size limit). Short by default (100 kills, 100 corruptions; .ci/run runs it through the
# tests); --long runs 1,000 kills and 2,000 corruptions. Results: docs/RELIABILITY.md.
# usage: scripts/crash-suite.sh [--long] [DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
long=""
dir=${TMPDIR:-/tmp}
for a in "$@"; do if [ "$a" = "--long" ]; then long="--long"; else dir=$a; fi; done
swift build -c release --product qdeck-bench >&2
"$(swift build -c release --product qdeck-bench --show-bin-path)/qdeck-bench" crash-suite "$dir" $long
