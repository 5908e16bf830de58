# shellcheck shell=bash
# Starts the real services the tests and benchmarks need — PostgreSQL and PowerDNS — in folders of their own
# on free ports, and exports where they are. `services_stop` stops what `services_start` started.

services_start() {
  local dir="$1"
  rm -rf "$dir"
  mkdir -p "$dir"
  chmod 755 "$dir"
  pg_ensure_installed
  pdns_ensure_installed

  local pg_port dns_port api_port key
  pg_port="$(free_port)"
  log "starting PostgreSQL on 127.0.0.1:$pg_port"
  BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING="$(pg_start "$dir/postgres" "$pg_port")"
  export BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING
  # Database suites fail instead of silently running on SQLite only.
  export CATALYST_TEST_REQUIRE_POSTGRES=1

  dns_port="$(free_port)"
  api_port="$(free_port)"
  key="$(node -e 'console.log(require("crypto").randomBytes(16).toString("hex"))')"
  log "starting PowerDNS (DNS 127.0.0.1:$dns_port, API 127.0.0.1:$api_port)"
  pdns_start "$dir/pdns" "$dns_port" "$api_port" "$key"
  export CATALYST_TEST_PDNS_URL="http://127.0.0.1:$api_port"
  export CATALYST_TEST_PDNS_API_KEY="$key"
  export CATALYST_TEST_PDNS_DNS_PORT="$dns_port"
  CATALYST_SERVICES_DIR="$dir"
}

services_stop() {
  [ -n "${CATALYST_SERVICES_DIR:-}" ] || return 0
  pdns_stop "$CATALYST_SERVICES_DIR/pdns"
  pg_stop "$CATALYST_SERVICES_DIR/postgres"
}
