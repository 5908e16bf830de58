# shellcheck shell=bash
# A throw-away PostgreSQL cluster in a folder of its own, for the database tests.
# PostgreSQL refuses to run as root, so as root the cluster belongs to an unprivileged user.

pg_bin() {
  local d
  for d in /usr/lib/postgresql/*/bin; do
    [ -x "$d/pg_ctl" ] && { echo "$d"; return 0; }
  done
  command -v pg_ctl >/dev/null && { dirname "$(command -v pg_ctl)"; return 0; }
  return 1
}

pg_ensure_installed() {
  pg_bin >/dev/null || apt_ensure /usr/lib/postgresql postgresql
  pg_bin >/dev/null || die "PostgreSQL server binaries (pg_ctl, initdb) are missing: apt-get install postgresql"
}

pg_run_as() {
  if is_root; then
    local user=postgres
    id "$user" >/dev/null 2>&1 || user=nobody
    runuser -u "$user" -- "$@"
  else
    "$@"
  fi
}

# pg_start <dir> <port>: prints the connection string on stdout.
pg_start() {
  local dir="$1" port="$2" bin
  bin="$(pg_bin)"
  mkdir -p "$dir"
  if is_root; then
    local user=postgres
    id "$user" >/dev/null 2>&1 || user=nobody
    chown "$user" "$dir"
  fi
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    pg_run_as "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 >"$dir/initdb.log" 2>&1 ||
      { cat "$dir/initdb.log" >&2; die "initdb failed"; }
  fi
  pg_run_as "$bin/pg_ctl" -D "$dir/data" -l "$dir/data/postgres.log" -w -t 60 \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c full_page_writes=off" \
    start >/dev/null || { tail -n 30 "$dir/data/postgres.log" >&2; die "PostgreSQL did not start"; }
  echo "postgresql://postgres@127.0.0.1:$port/postgres"
}

pg_stop() {
  local dir="$1" bin
  bin="$(pg_bin)" || return 0
  [ -f "$dir/data/postmaster.pid" ] || return 0
  pg_run_as "$bin/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1 || true
}
