#!/usr/bin/env bash
# pdns-ctl.sh start <dir> <dns-port> <api-port> <api-key> | stop <dir>
# The one way tests, benchmarks and the portal start a local PowerDNS.
set -euo pipefail
# shellcheck source=lib/toolchain.sh
source "$(dirname "$0")/lib/toolchain.sh"
# shellcheck source=lib/pdns.sh
source "$(dirname "$0")/lib/pdns.sh"
case "${1:-}" in
  start) pdns_start "$2" "$3" "$4" "$5" ;;
  stop) pdns_stop "$2" ;;
  *) die "usage: pdns-ctl.sh start <dir> <dns-port> <api-port> <api-key> | stop <dir>" ;;
esac
