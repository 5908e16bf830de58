#!/usr/bin/env bash
# Foundation figures: cold dependency install (fresh clone, empty Yarn cache), then warm backend start until the
# readiness endpoint answers 200 and the backend's resident memory once started, each for the two ways the
# backend runs:
#   development runner  `backstage-cli package start` (what `./catalyst start` and the browser tests use:
#                       TypeScript transpiled as it loads, source maps kept, config schemas compiled from .d.ts)
#   built backend       `yarn tsc` + `yarn workspace backend build`, run as the Docker image runs it
#                       (`node packages/backend`, NODE_ENV=production; scripts/lib/portal.sh portal_build_backend)
# Both serve the built frontend, with every plugin of packages/backend/src/index.ts, on SQLite in a fresh data
# folder. Start time is measured from launching the backend process; each runner is started
# STARTUP_BENCH_RUNS times (default 3) and the median is printed. STARTUP_BENCH_SKIP_COLD_INSTALL=1 skips the
# cold install.
set -euo pipefail
source "$(dirname "$0")/../scripts/lib/toolchain.sh"
source "$(dirname "$0")/../scripts/lib/portal.sh"
toolchain_setup

now() { date +%s.%N; }
elapsed() { echo "$1 $2" | awk '{printf "%.1f", $2 - $1}'; }
median() { sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
runs="${STARTUP_BENCH_RUNS:-3}"

# Cold install: a fresh clone of the committed tree with its own empty cache, so every package is fetched.
if [ "${STARTUP_BENCH_SKIP_COLD_INSTALL:-}" != 1 ]; then
  work="$(mktemp -d)"
  git clone -q "$CATALYST_ROOT" "$work/repo"
  t0=$(now)
  (cd "$work/repo" && YARN_ENABLE_GLOBAL_CACHE=false YARN_CACHE_FOLDER="$work/cache" yarn install --immutable >"$work/install.log" 2>&1)
  t1=$(now)
  printf 'BENCH\tcold install (fresh clone, empty cache)\t%s\ts\n' "$(elapsed "$t0" "$t1")"
  rm -rf "$work"
fi

# The built backend (and with it the frontend both runners serve).
portal_build_backend

data="$CATALYST_ROOT/.data/bench-portal"
trap 'portal_stop; rm -rf "$data"' EXIT
for runner in dev built; do
  starts=() cpus=() rss=()
  for _ in $(seq 1 "$runs"); do
    # Warm start: dependencies installed and built, data folder fresh; launch to readiness 200.
    rm -rf "$data"
    port="$(free_port)"
    portal_start "$data" "$port" "$runner"
    t1=$(now)
    starts+=("$(elapsed "$CATALYST_PORTAL_LAUNCHED_AT" "$t1")")
    pid="$(ss -ltnpH "sport = :$port" | grep -o 'pid=[0-9]*' | head -n 1 | cut -d= -f2)"
    # CPU time the backend process spent until readiness (user + system): unlike the wall time, it does not
    # grow when other work shares the machine's cores.
    cpus+=("$(sed 's/^.*) //' "/proc/$pid/stat" | awk -v hz="$(getconf CLK_TCK)" '{printf "%.1f", ($12 + $13) / hz}')")
    # An error logged while starting fails the benchmark (both log formats: development text, production JSON).
    if sed 's/\x1b\[[0-9;]*m//g' "$data/backend.log" | grep -E '^\S+ \S+ error |"level":"error"' >&2; then
      die "the $runner backend logged errors while starting (log: $data/backend.log)"
    fi
    sleep 5
    rss_kb="$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")"
    rss+=("$((rss_kb / 1024))")
    portal_stop
  done
  log "$runner backend: starts ${starts[*]} s, CPU ${cpus[*]} s, RSS ${rss[*]} MiB"
  case "$runner" in
    dev) label='development runner' ;;
    built) label='built backend, NODE_ENV=production' ;;
  esac
  printf 'BENCH\twarm start to readiness 200, %s (target 15 s)\t%s\ts\n' "$label" \
    "$(printf '%s\n' "${starts[@]}" | median)"
  printf 'BENCH\tCPU time to readiness, %s\t%s\ts\n' "$label" "$(printf '%s\n' "${cpus[@]}" | median)"
  printf 'BENCH\tbackend RSS after start, %s (target 600 MiB)\t%s\tMiB\n' "$label" \
    "$(printf '%s\n' "${rss[@]}" | median)"
done
