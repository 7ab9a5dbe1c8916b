#!/usr/bin/env bash
# Installs the system packages QueueDeck's build and tests need, if they are missing.
# Debian/Ubuntu; run as root (or with sudo available). Safe to run again.
set -euo pipefail
needed=()
command -v tmux >/dev/null 2>&1 || needed+=(tmux)
# The console's editor tests drive a real editor.
command -v vim >/dev/null 2>&1 || needed+=(vim)
command -v mount >/dev/null 2>&1 || needed+=(mount)
[ -f /usr/include/ncursesw/curses.h ] || needed+=(libncurses-dev)
command -v pkg-config >/dev/null 2>&1 || needed+=(pkg-config)
# Intake tests: a real Postfix on loopback, and Python's own email test corpus.
[ -x /usr/sbin/postfix ] || needed+=(postfix)
[ -d /usr/lib/python3.11/test/test_email/data ] || needed+=(libpython3.11-testsuite)
# Hosted mailboxes: a real Dovecot IMAP server on loopback, and mbsync (isync) pulling from it.
[ -x /usr/sbin/dovecot ] || needed+=(dovecot-imapd)
command -v mbsync >/dev/null 2>&1 || needed+=(isync)
# The PostgreSQL journal: Debian's server and psql, run by the tests as throwaway clusters
# (scripts/pg-cluster.sh), never as the machine's service.
ls -d /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || needed+=(postgresql)
command -v psql >/dev/null 2>&1 || needed+=(postgresql-client)
if [ ${#needed[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${needed[@]}"
fi
# The SMTP sink the Postfix test relays replies to (PyPI).
python3 -c "import aiosmtpd" >/dev/null 2>&1 || python3 -m pip install -q aiosmtpd
