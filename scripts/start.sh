#!/usr/bin/env bash
# ./catalyst start — set up everything a newcomer needs and start the portal with embedded defaults:
# SQLite in .data/local/sqlite, a local PowerDNS with its REST API, a local bare git repository as the GitOps
# remote, and the offline infrastructure module (infra/sandbox). Ctrl-C stops everything this script started;
# a second start reuses the data.
set -euo pipefail
source "$(dirname "$0")/lib/toolchain.sh"
source "$(dirname "$0")/lib/pdns.sh"
cd "$CATALYST_ROOT"

toolchain_setup
command -v curl >/dev/null || apt_ensure curl curl
if is_root; then apt_ensure /usr/include/libsecret-1/libsecret/secret.h libsecret-1-dev; fi
dependencies_install
pdns_ensure_installed
command -v git >/dev/null || apt_ensure git git
command -v terraform >/dev/null || command -v tofu >/dev/null ||
  die "neither 'terraform' nor 'tofu' is on PATH: install OpenTofu (or Terraform) for the infrastructure module"

export CATALYST_DATA_DIR="${CATALYST_DATA_DIR:-$CATALYST_ROOT/.data/local}"
mkdir -p "$CATALYST_DATA_DIR"/{sqlite,scaffolder,tofu}
chmod 700 "$CATALYST_DATA_DIR"

# PowerDNS: the API key is generated once and kept (0600) with the rest of the local data.
pdns_dir="$CATALYST_DATA_DIR/pdns"
mkdir -p "$pdns_dir"
if [ ! -s "$pdns_dir/api-key" ]; then
  (umask 077 && node -e 'console.log(require("crypto").randomBytes(24).toString("hex"))' >"$pdns_dir/api-key")
fi
PDNS_DNS_PORT="${CATALYST_PDNS_DNS_PORT:-5354}"
PDNS_API_PORT="${CATALYST_PDNS_API_PORT:-8081}"
for port in "$PDNS_DNS_PORT" "$PDNS_API_PORT" "${CATALYST_HETZNER_SANDBOX_PORT:-8082}" "${CATALYST_CLUSTER_STANDIN_PORT:-8083}" 7007 3000; do
  if node -e 'const s=require("net").createServer();s.once("error",()=>process.exit(1));s.listen(+process.argv[1],"127.0.0.1",()=>s.close())' "$port"; then :; else
    die "port $port on 127.0.0.1 is in use: stop what uses it (or set CATALYST_PDNS_DNS_PORT / CATALYST_PDNS_API_PORT / CATALYST_HETZNER_SANDBOX_PORT / CATALYST_CLUSTER_STANDIN_PORT)"
  fi
done
export PDNS_API_KEY="$(cat "$pdns_dir/api-key")"
# The key voucher codes are hashed with: generated once; changing it would make issued codes unusable.
if [ ! -s "$CATALYST_DATA_DIR/voucher-code-key" ]; then
  (umask 077 && node -e 'console.log(require("crypto").randomBytes(32).toString("hex"))' >"$CATALYST_DATA_DIR/voucher-code-key")
fi
export CATALYST_VOUCHER_CODE_KEY="$(cat "$CATALYST_DATA_DIR/voucher-code-key")"
# The secret handed-back kubeconfigs are encrypted under (docs/phase1.md): generated once, like the voucher key.
if [ ! -s "$CATALYST_DATA_DIR/kubeconfig-key" ]; then
  (umask 077 && node -e 'console.log(require("crypto").randomBytes(32).toString("hex"))' >"$CATALYST_DATA_DIR/kubeconfig-key")
fi
export CATALYST_KUBECONFIG_KEY="$(cat "$CATALYST_DATA_DIR/kubeconfig-key")"
export PDNS_API_URL="http://127.0.0.1:$PDNS_API_PORT"
export PDNS_DNS_PORT

# The GitOps remote: a bare repository with a main branch.
gitops="$CATALYST_DATA_DIR/gitops.git"
if [ ! -d "$gitops" ]; then
  log "creating the local GitOps repository $gitops"
  git init -q --bare -b main "$gitops"
  seed="$(mktemp -d)"
  git -C "$seed" init -q -b main
  printf '# Sovereign GitOps overlays\n\nFlux reads `clusters/<fqdn>/` of each Sovereign from this repository.\n' >"$seed/README.md"
  git -C "$seed" add README.md
  git -C "$seed" -c user.name=Catalyst -c user.email=catalyst@localhost commit -q -m "Start the GitOps repository"
  git -C "$seed" push -q "$gitops" main
  rm -rf "$seed"
fi
export CATALYST_GITOPS_REPO_URL="file://$gitops"

# The Hetzner Cloud API the wizard's token check talks to: a local sandbox, since the embedded default
# provisions with the offline infra/sandbox module and needs no Hetzner account.
HETZNER_SANDBOX_PORT="${CATALYST_HETZNER_SANDBOX_PORT:-8082}"
export CATALYST_HETZNER_API_URL="http://127.0.0.1:$HETZNER_SANDBOX_PORT/v1"
sandbox_token="$(node -e 'const a="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";console.log(Array.from(require("crypto").randomBytes(64),b=>a[b%62]).join(""))')"

# The new clusters: no machine boots offline, so a local stand-in for their Kubernetes API plays each one. The
# sandbox module's first boot asks it to come up from the committed overlay and hand its kubeconfig back;
# Catalyst then watches its HelmReleases become ready, exactly as it watches a real cluster.
CLUSTER_STANDIN_PORT="${CATALYST_CLUSTER_STANDIN_PORT:-8083}"
export CATALYST_SANDBOX_CLUSTER_URL="http://127.0.0.1:$CLUSTER_STANDIN_PORT"

cleanup() {
  trap - EXIT INT TERM
  log "stopping PowerDNS, the Hetzner sandbox API and the cluster stand-in"
  pdns_stop "$pdns_dir"
  [ -n "${hetzner_pid:-}" ] && kill "$hetzner_pid" 2>/dev/null || true
  [ -n "${standin_pid:-}" ] && kill "$standin_pid" 2>/dev/null || true
}
trap cleanup EXIT INT TERM

log "starting PowerDNS (DNS 127.0.0.1:$PDNS_DNS_PORT, API $PDNS_API_URL)"
pdns_start "$pdns_dir" "$PDNS_DNS_PORT" "$PDNS_API_PORT" "$PDNS_API_KEY"

node scripts/hetzner-sandbox-api.js --port "$HETZNER_SANDBOX_PORT" --any-token >"$CATALYST_DATA_DIR/hetzner-sandbox.log" 2>&1 &
hetzner_pid=$!
node scripts/cluster-standin.js --port "$CLUSTER_STANDIN_PORT" --step-ms "${CATALYST_CLUSTER_STANDIN_STEP_MS:-1500}" \
  >"$CATALYST_DATA_DIR/cluster-standin.log" 2>&1 &
standin_pid=$!

log "starting the portal: open http://localhost:3000 and sign in as guest (Ctrl-C stops everything)"
log "the wizard's Hetzner token check uses a local sandbox API: any 64-letter/digit token passes, e.g."
log "  $sandbox_token"
yarn start "$@"
