#!/usr/bin/env bash
# The journal's crash and corruption suite: SIGKILLs of 4 concurrent writers, a cut at every byte of
# the last records, random corruption, and a full disk (a 256 kB tmpfs when run as root, and a
# file-size limit). Short by default (100 kills, 100 corruptions; .ci/run runs it through the
# tests); --long runs 1,000 kills and 2,000 corruptions. Results: docs/RELIABILITY.md.
# --postgres runs the SIGKILL part against PostgreSQL instead: a throwaway cluster
# (scripts/pg-cluster.sh, as root), its schema and roster made with qdeck db, writers as anna.
# usage: scripts/crash-suite.sh [--long] [--postgres] [DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
long=""
pg=""
dir=${TMPDIR:-/tmp}
for a in "$@"; do
  case $a in
  --long) long="--long" ;;
  --postgres) pg=1 ;;
  *) dir=$a ;;
  esac
done
swift build -c release --product qdeck-bench >&2
swift build -c release --product qdeck >&2
bin="$(swift build -c release --show-bin-path)"
if [ -z "$pg" ]; then
  exec "$bin/qdeck-bench" crash-suite "$dir" $long
fi
cluster=$(mktemp -d /tmp/qdeck-crash-pg.XXXXXX)
chmod 755 "$cluster"
trap 'bash scripts/pg-cluster.sh stop "$cluster/c" immediate 2>/dev/null; rm -rf "$cluster"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
uri=$(bash scripts/pg-cluster.sh start "$cluster/c" "$port")
QDECK_AGENT= "$bin/qdeck" --journal "$uri" db init >&2
"$bin/qdeck" config defaults >"$cluster/team.yaml"   # the built-in roster: anna writes
QDECK_AGENT= "$bin/qdeck" --journal "$uri" --config "$cluster/team.yaml" db sync-roster >&2
"$bin/qdeck-bench" crash-suite "$dir" $long --postgres "${uri%user=postgres}user=anna"
