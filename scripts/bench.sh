#!/usr/bin/env bash
# ./catalyst bench — runs every benchmark in bench/ and prints one table of figures.
# A benchmark is bench/<name>.bench.sh or bench/<name>.bench.ts; it prints lines
#   BENCH<TAB><figure name><TAB><value><TAB><unit>
# and may use the PostgreSQL and PowerDNS started here (same variables as the tests).
# Usage: ./catalyst bench [name-filter]
set -euo pipefail
source "$(dirname "$0")/lib/toolchain.sh"
source "$(dirname "$0")/lib/pdns.sh"
source "$(dirname "$0")/lib/postgres.sh"
source "$(dirname "$0")/lib/services.sh"
cd "$CATALYST_ROOT"
toolchain_setup
dependencies_install
filter="${1:-}"

mkdir -p .data bench/results
trap services_stop EXIT INT TERM
services_start "$CATALYST_ROOT/.data/bench-run"

results="bench/results/$(date -u +%Y%m%dT%H%M%SZ).tsv"
printf 'benchmark\tfigure\tvalue\tunit\n' >"$results"
failed=0
for script in bench/*.bench.sh bench/*.bench.ts; do
  [ -e "$script" ] || continue
  name="$(basename "$script")"
  name="${name%.bench.*}"
  if [ -n "$filter" ] && [[ "$name" != *"$filter"* ]]; then continue; fi
  log "running $name"
  out="$(mktemp)"
  case "$script" in
    *.sh) runner=(bash "$script") ;;
    *.ts) runner=(node --require @backstage/cli/config/nodeTransform.cjs "$script") ;;
  esac
  if "${runner[@]}" >"$out" 2>"$out.err"; then :; else
    failed=1
    log "$name failed:"
    tail -n 20 "$out.err" >&2
  fi
  grep -P '^BENCH\t' "$out" | cut -f2- | sed "s/^/$name\t/" >>"$results" || true
  rm -f "$out" "$out.err"
done

echo
column -t -s $'\t' "$results"
echo
log "figures saved to $results"
exit "$failed"
