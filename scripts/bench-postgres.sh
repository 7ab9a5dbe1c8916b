#!/usr/bin/env bash
# Issue 16's figures (docs/PERFORMANCE.md): a durable append on PostgreSQL beside a bare INSERT,
# propagation to 3 followers by LISTEN/NOTIFY, a full replay and a start-up from a snapshot of a
# 1,000,000-event desk beside the file's. Starts a throwaway cluster (scripts/pg-cluster.sh; as
# root), fsync and synchronous_commit on, on this machine's disk.
# usage: scripts/bench-postgres.sh [EVENTS]
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product qdeck-bench >&2
swift build -c release --product qdeck >&2
bin="$(swift build -c release --show-bin-path)"
cluster=$(mktemp -d /tmp/qdeck-bench-pg.XXXXXX)
chmod 755 "$cluster"
trap 'bash scripts/pg-cluster.sh stop "$cluster/c" fast 2>/dev/null; rm -rf "$cluster"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
uri=$(bash scripts/pg-cluster.sh start "$cluster/c" "$port")
"$bin/qdeck-bench" postgres "$uri" "${1:-1000000}"
