#!/usr/bin/env bash
# Fuzzes one target with libFuzzer: journal, filter, email, queue-log, snapshot, chat, team-file or address.
# usage: scripts/fuzz.sh TARGET [SECONDS] [JOBS]
# Builds qdeck-fuzz with -sanitize=fuzzer,address in .build-fuzz, starts from the committed seeds in
# Tests/Fuzz/seeds/TARGET and keeps what it learns in .build-fuzz/corpus/TARGET. A crash or hang
# leaves its input in .build-fuzz/findings/TARGET; copy it into Tests/Fuzz/regressions/TARGET with
# the fix (the tests replay every committed input).
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?target: journal, filter, email, queue-log, snapshot, chat, team-file or address}
seconds=${2:-600}
swift build --scratch-path .build-fuzz --product qdeck-fuzz \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING -Xswiftc -use-ld=lld >&2
bin=$(swift build --scratch-path .build-fuzz --product qdeck-fuzz --show-bin-path -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING -Xswiftc -use-ld=lld)/qdeck-fuzz
mkdir -p ".build-fuzz/corpus/$target" ".build-fuzz/findings/$target"
QDECK_FUZZ_TARGET=$target "$bin" \
  -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -max_len=65536 -print_final_stats=1 \
  -artifact_prefix=".build-fuzz/findings/$target/" \
  ".build-fuzz/corpus/$target" "Tests/Fuzz/seeds/$target"
