#!/usr/bin/env bash
# Configures this machine's Postfix for QueueDeck's end-to-end test and (re)starts it: loopback
# only, local domain desk.test, an alias that pipes to a command, and every other domain relayed
# to an SMTP sink on 127.0.0.1:SINK_PORT. Run as root on a test machine (CI); it rewrites
# /etc/postfix/main.cf settings and /etc/aliases.
# usage: postfix-loopback.sh SINK_PORT ALIAS 'COMMAND ARGS...'
set -euo pipefail
port=$1 alias=$2 command=$3
postconf -e \
  "inet_interfaces = loopback-only" "inet_protocols = ipv4" \
  "myhostname = desk.test" "mydomain = desk.test" "myorigin = desk.test" \
  "mydestination = desk.test, localhost" \
  "relayhost = [127.0.0.1]:$port" "smtp_tls_security_level = none" \
  "maillog_file = /var/log/postfix-qdeck.log" \
  "alias_maps = hash:/etc/aliases" "alias_database = hash:/etc/aliases" \
  "default_privs = nobody" "biff = no" "disable_dns_lookups = yes" "smtp_host_lookup = native"
touch /etc/aliases
grep -v "^$alias:" /etc/aliases > /etc/aliases.qdeck-tmp || true
printf '%s: "|%s"\n' "$alias" "$command" >> /etc/aliases.qdeck-tmp
mv /etc/aliases.qdeck-tmp /etc/aliases
newaliases
# Mail left queued by earlier runs (replies that had nowhere to go) would reach this run's sink.
postsuper -d ALL >/dev/null 2>&1 || true
if postfix status >/dev/null 2>&1; then postfix reload >/dev/null 2>&1; else postfix start >/dev/null 2>&1; fi
# Wait until it accepts connections on port 25.
for _ in $(seq 1 100); do
  if (exec 3<>/dev/tcp/127.0.0.1/25) 2>/dev/null; then exit 0; fi
  sleep 0.1
done
echo "postfix did not start listening on 127.0.0.1:25" >&2
exit 1
