#!/usr/bin/env bash
# Foundation figures: cold dependency install (fresh clone, empty Yarn cache), warm backend start until the
# readiness endpoint answers 200, and the backend's resident memory once started.
set -euo pipefail
source "$(dirname "$0")/../scripts/lib/toolchain.sh"
source "$(dirname "$0")/../scripts/lib/portal.sh"
toolchain_setup

now() { date +%s.%N; }
elapsed() { echo "$1 $2" | awk '{printf "%.1f", $2 - $1}'; }

# Cold install: a fresh clone of the committed tree with its own empty cache, so every package is fetched.
work="$(mktemp -d)"
git clone -q "$CATALYST_ROOT" "$work/repo"
t0=$(now)
(cd "$work/repo" && YARN_ENABLE_GLOBAL_CACHE=false YARN_CACHE_FOLDER="$work/cache" yarn install --immutable >"$work/install.log" 2>&1)
t1=$(now)
printf 'BENCH\tcold install (fresh clone, empty cache)\t%s\ts\n' "$(elapsed "$t0" "$t1")"
rm -rf "$work"

# Warm start: dependencies installed, data folder fresh; time from launch to readiness 200.
data="$CATALYST_ROOT/.data/bench-portal"
rm -rf "$data"
port="$(free_port)"
t0=$(now)
portal_start "$data" "$port"
t1=$(now)
printf 'BENCH\twarm start to readiness 200\t%s\ts\n' "$(elapsed "$t0" "$t1")"
sleep 5
pid="$(ss -ltnpH "sport = :$port" | grep -o 'pid=[0-9]*' | head -n 1 | cut -d= -f2)"
rss_kb="$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")"
printf 'BENCH\tbackend RSS after start\t%s\tMiB\n' "$((rss_kb / 1024))"
portal_stop
rm -rf "$data"
