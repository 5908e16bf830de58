#!/usr/bin/env bash
# ./catalyst test — every test, exits non-zero on any failure:
#   1. toolchain, system packages and dependencies (the same set-up a fresh machine needs)
#   2. static gates: one copy of each @backstage package, tsc, backstage-cli repo lint, prettier --check
#   3. unit and integration tests (Jest) against a real PostgreSQL and a real PowerDNS started here
#   4. browser tests (Playwright driving Debian's Chromium) against a running portal
#   5. the chaos suite: two backend replicas on one PostgreSQL, SIGKILLed at every step of a batch of provisions
#      (scripts/chaos.js, docs/recovery.md); prints `chaos: N kills, N provisions, 0 orphans`.
# Options (for quick local runs; CI always runs everything): --no-browser skips step 4, --no-chaos (or
# CATALYST_TEST_CHAOS=0) skips step 5.
# `./catalyst test chaos` runs only step 5 (with the services it needs).
set -euo pipefail
source "$(dirname "$0")/lib/toolchain.sh"
source "$(dirname "$0")/lib/pdns.sh"
source "$(dirname "$0")/lib/postgres.sh"
source "$(dirname "$0")/lib/services.sh"
source "$(dirname "$0")/lib/portal.sh"
cd "$CATALYST_ROOT"

browser=1
only_chaos=0
with_chaos="${CATALYST_TEST_CHAOS:-1}"
for arg in "$@"; do
  case "$arg" in
    --no-browser) browser=0 ;;
    chaos) only_chaos=1 ;;
    --chaos) with_chaos=1 ;;
    --no-chaos) with_chaos=0 ;;
    *) die "unknown option $arg" ;;
  esac
done

started=$(date +%s)
step() { log "── $* ($(($(date +%s) - started)) s)"; }

# The chaos suite needs the same real services: PostgreSQL, PowerDNS, git and terraform (or tofu).
run_chaos() {
  node scripts/chaos.js --data "$CATALYST_ROOT/.data/chaos" 2> >(tee .data/chaos.log >&2) | tee .data/chaos-summary.txt
  chaos_summary="$(tail -n 1 .data/chaos-summary.txt)"
}

if [ "$only_chaos" = 1 ]; then
  step "toolchain"
  toolchain_setup
  command -v terraform >/dev/null || command -v tofu >/dev/null || die "terraform or tofu is needed for the chaos suite"
  dependencies_install
  mkdir -p .data
  trap services_stop EXIT INT TERM
  step "services: PostgreSQL and PowerDNS"
  services_start "$CATALYST_ROOT/.data/test-run"
  step "chaos suite"
  run_chaos
  step "chaos suite passed"
  exit 0
fi

step "toolchain and system packages"
toolchain_setup
command -v curl >/dev/null || apt_ensure curl curl
if is_root; then
  apt_ensure /usr/include/libsecret-1/libsecret/secret.h libsecret-1-dev
  apt_ensure cloud-init cloud-init
  apt_ensure /usr/bin/chromium chromium
  apt_ensure delv dnsutils
  # A local ACME server and a real ACME client (rfc2136 DNS-01) for the TLS integration tests.
  apt_ensure pebble pebble
  apt_ensure lego lego
fi
command -v terraform >/dev/null || command -v tofu >/dev/null || die "terraform or tofu is needed for the infrastructure tests"
command -v kubectl >/dev/null || die "kubectl is needed to render overlays (kubectl kustomize)"
command -v cloud-init >/dev/null || die "cloud-init is needed to validate the rendered user-data: apt-get install cloud-init"
command -v pebble >/dev/null && command -v lego >/dev/null && command -v nsupdate >/dev/null ||
  die "pebble, lego and nsupdate are needed for the DNS-01 tests: apt-get install pebble lego dnsutils"
[ -x /usr/bin/chromium ] || die "Chromium is needed for the browser tests: apt-get install chromium"
dependencies_install

step "static checks"
node scripts/check-single-copies.js
node scripts/check-single-contracts.js
node scripts/check-package-boundaries.js
yarn tsc
yarn backstage-cli repo lint
yarn prettier --check .

mkdir -p .data
services_dir="$CATALYST_ROOT/.data/test-run"
portal_data="$CATALYST_ROOT/.data/test-portal"
cleanup() {
  portal_stop
  services_stop
}
trap cleanup EXIT INT TERM

step "services: PostgreSQL and PowerDNS"
services_start "$services_dir"

step "unit and integration tests"
CI=true yarn backstage-cli repo test --maxWorkers=2 2>&1 | tee .data/jest.log
unit_passed="$(grep -a -oE '^Tests: +([0-9]+ skipped, )?[0-9]+ passed' .data/jest.log | grep -oE '[0-9]+ passed' | grep -oE '[0-9]+' | tail -n 1)"

if [ "$browser" = 1 ]; then
  step "browser tests"
  portal_build_app
  rm -rf "$portal_data"
  portal_start "$portal_data" "$(free_port)"
  PLAYWRIGHT_URL="$CATALYST_PORTAL_URL" yarn playwright test 2>&1 | tee .data/playwright.log
  browser_passed="$(grep -a -oE '^ +[0-9]+ passed' .data/playwright.log | grep -oE '[0-9]+' | tail -n 1)"
fi

if [ "$with_chaos" = 1 ]; then
  step "chaos suite"
  portal_stop
  run_chaos
fi

step "all tests passed"
echo "${unit_passed:-0} unit and integration tests, ${browser_passed:-0} browser tests"
[ -z "${chaos_summary:-}" ] || echo "$chaos_summary"
echo "$(( ${unit_passed:-0} + ${browser_passed:-0} )) passed, 0 failed"
