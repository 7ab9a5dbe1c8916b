#!/usr/bin/env bash
# Starts a private Dovecot IMAP server on 127.0.0.1:PORT for QueueDeck's end-to-end test: its own
# configuration, folders and process under DIR (the machine's Dovecot is left alone), one user
# `support` with password `secret` whose mail is DIR/home/support/Maildir, owned by nobody.
# Run as root (CI). Stop it with: kill "$(cat DIR/run/master.pid)".
# usage: dovecot-loopback.sh DIR PORT
set -euo pipefail
dir=$1 port=$2
if (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null; then
  echo "127.0.0.1:$port is taken by another program; choose another port" >&2
  exit 1
fi
mkdir -p "$dir/run" "$dir/state" "$dir/home/support"
chown nobody:nogroup "$dir/home/support"
printf 'support:{PLAIN}secret::::::\n' > "$dir/passwd"
cat > "$dir/dovecot.conf" <<CONF
base_dir = $dir/run
state_dir = $dir/state
log_path = $dir/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = 1
passdb {
  driver = passwd-file
  args = scheme=PLAIN $dir/passwd
}
userdb {
  driver = static
  args = uid=nobody gid=nogroup home=$dir/home/%u
}
mail_location = maildir:~/Maildir
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $port
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
service imap-login {
  chroot =
}
CONF
# Its daemons must not hold the caller's output open (a test reads it to the end): no descriptor
# but the three standard ones, and those to /dev/null.
for fd in $(ls /proc/$$/fd); do
  if [ "$fd" -gt 2 ]; then eval "exec $fd>&-" 2>/dev/null || true; fi
done
/usr/sbin/dovecot -c "$dir/dovecot.conf" </dev/null >/dev/null 2>&1
for _ in $(seq 1 300); do
  if [ -s "$dir/run/master.pid" ] && (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null; then exit 0; fi
  sleep 0.1
done
echo "dovecot did not start listening on 127.0.0.1:$port" >&2
cat "$dir/dovecot.log" >&2 || true
exit 1
