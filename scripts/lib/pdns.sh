# shellcheck shell=bash
# A local PowerDNS authoritative server (gsqlite3 backend, DNSSEC on, REST API) in a folder of its own.
# Used by `./catalyst start` (persistent, in .data/) and by the test run (throw-away folder, free ports).
# DNS UPDATE (RFC 2136) is on for the per-Sovereign DNS-01 keys, with an EMPTY global allow-dnsupdate-from:
# only zones that carry both ALLOW-DNSUPDATE-FROM and TSIG-ALLOW-DNSUPDATE metadata accept updates, and only
# signed with their own key (docs/tls.md).

pdns_ensure_installed() {
  apt_ensure pdns_server pdns-server pdns-backend-sqlite3
  apt_ensure dig dnsutils
  apt_ensure sqlite3 sqlite3
  pdns_schema >/dev/null || die "the PowerDNS sqlite schema was not found; install pdns-backend-sqlite3"
}

pdns_schema() {
  local f
  for f in /usr/share/pdns-backend-sqlite3/schema/schema.sqlite3.sql /usr/share/doc/pdns-backend-sqlite3/schema.sqlite3.sql; do
    [ -f "$f" ] && { echo "$f"; return 0; }
  done
  f="$(dpkg -L pdns-backend-sqlite3 2>/dev/null | grep 'schema.sqlite3.sql$' | head -n 1)"
  [ -n "$f" ] && [ -f "$f" ] && { echo "$f"; return 0; }
  return 1
}

# pdns_start <dir> <dns-port> <api-port> <api-key>
# Starts pdns_server in the background; its pid goes to <dir>/pdns.pid. Waits until the API answers.
pdns_start() {
  local dir="$1" dns_port="$2" api_port="$3" key="$4"
  mkdir -p "$dir/run"
  chmod 700 "$dir"
  if [ ! -f "$dir/pdns.sqlite3" ]; then
    sqlite3 "$dir/pdns.sqlite3" <"$(pdns_schema)" || die "could not create the PowerDNS database"
  fi
  cat >"$dir/pdns.conf" <<CONF
launch=gsqlite3
gsqlite3-database=$dir/pdns.sqlite3
gsqlite3-dnssec=yes
local-address=127.0.0.1
local-port=$dns_port
daemon=no
guardian=no
disable-syslog=yes
socket-dir=$dir/run
api=yes
api-key=$key
webserver=yes
webserver-address=127.0.0.1
webserver-port=$api_port
webserver-allow-from=127.0.0.0/8
security-poll-suffix=
default-soa-edit-signed=INCEPTION-EPOCH
dnsupdate=yes
allow-dnsupdate-from=
loglevel=4
CONF
  chmod 600 "$dir/pdns.conf"
  pdns_server --config-dir="$dir" >"$dir/pdns.log" 2>&1 &
  echo $! >"$dir/pdns.pid"
  local i
  for i in $(seq 1 100); do
    if curl -fs -o /dev/null -H "X-API-Key: $key" "http://127.0.0.1:$api_port/api/v1/servers/localhost"; then
      return 0
    fi
    if ! kill -0 "$(cat "$dir/pdns.pid")" 2>/dev/null; then
      tail -n 20 "$dir/pdns.log" >&2
      die "PowerDNS exited during start-up (log: $dir/pdns.log)"
    fi
    sleep 0.1
  done
  die "PowerDNS did not answer on 127.0.0.1:$api_port (log: $dir/pdns.log)"
}

pdns_stop() {
  local dir="$1"
  [ -f "$dir/pdns.pid" ] || return 0
  kill "$(cat "$dir/pdns.pid")" 2>/dev/null || true
  rm -f "$dir/pdns.pid"
}
