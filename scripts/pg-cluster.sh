#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for QueueDeck's tests and for trying the PostgreSQL journal by
# hand: initdb into DIR as the postgres user (initdb refuses root), a private socket folder
# DIR/socket, a port of your choosing, no systemd. The machine's own clusters are left alone.
#   pg-cluster.sh start DIR PORT [--tcp ADDRESS]   initdb if DIR is new, then start; prints the URI
#   pg-cluster.sh stop DIR [fast|immediate]         immediate: as a crash would (the WAL recovers)
#   pg-cluster.sh restart DIR [fast|immediate]
# Local connections are trusted (peer-style tests name their role); TCP uses scram-sha-256, from
# this host and from the networks the server is directly on (samenet).
# Durability as in production: fsync and synchronous_commit stay on.
set -euo pipefail
# A server started with signals blocked or ignored (a test runner's threads block most) never
# finishes starting, and one that inherits its starter's other descriptors keeps them open for as
# long as it runs (a caller waiting for them to close waits for ever): run with the default mask
# and dispositions and nothing open but 0, 1 and 2, whoever started us.
if [ -z "${QDECK_PG_SIGNALS_RESET:-}" ] && command -v python3 >/dev/null 2>&1; then
  export QDECK_PG_SIGNALS_RESET=1
  exec python3 -c 'import os, signal, sys
signal.pthread_sigmask(signal.SIG_SETMASK, [])
for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT, signal.SIGHUP, signal.SIGPIPE, signal.SIGCHLD, signal.SIGUSR1, signal.SIGUSR2):
    signal.signal(s, signal.SIG_DFL)
os.closerange(3, 65536)
os.execvp("bash", ["bash"] + sys.argv[1:])' "$0" "$@"
fi
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$bin" ] || { echo "PostgreSQL is not installed (scripts/setup.sh installs it)" >&2; exit 1; }
as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cmd=${1:-} dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { sed -n '2,10p' "$0" >&2; exit 64; }
case $cmd in
start)
  port=${3:?a port}
  tcp=""
  [ "${4:-}" = "--tcp" ] && tcp=${5:?an address}
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    mkdir -p "$dir/data" "$dir/socket"
    [ "$(id -u)" -eq 0 ] && chown -R postgres:postgres "$dir"
    chmod 700 "$dir/data"
    as_postgres "$bin/initdb" -D "$dir/data" -E UTF8 --locale=C --data-checksums --auth-local=trust \
      --auth-host=scram-sha-256 -U postgres >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    # Logins from the networks the server is on (a test's veth pair), with a password.
    echo "host all all samenet scram-sha-256" >>"$dir/data/pg_hba.conf"
  fi
  listen="''"
  [ -n "$tcp" ] && listen="'$tcp'"
  as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
    -o "-k $dir/socket -p $port -c listen_addresses=$listen -c fsync=on -c synchronous_commit=on" start >/dev/null \
    || { tail -20 "$dir/server.log" >&2; exit 1; }
  echo "postgresql:///postgres?host=$dir/socket&port=$port&user=postgres"
  ;;
stop)
  as_postgres "$bin/pg_ctl" -D "$dir/data" -m "${3:-fast}" -w stop >/dev/null
  ;;
restart)
  as_postgres "$bin/pg_ctl" -D "$dir/data" -m "${3:-fast}" -w restart >/dev/null
  ;;
*)
  sed -n '2,10p' "$0" >&2; exit 64
  ;;
esac
