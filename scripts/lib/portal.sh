# shellcheck shell=bash
# Runs the portal the way the browser tests and benchmarks need it: the frontend built once and served by the
# backend (app-backend), the backend on a free port with the embedded defaults pointed at a throw-away data
# folder, the PowerDNS from services.sh, and a fresh local GitOps remote.

portal_prepare_data() {
  local data="$1"
  mkdir -p "$data"/{sqlite,scaffolder,tofu}
  local gitops="$data/gitops.git"
  if [ ! -d "$gitops" ]; then
    git init -q --bare -b main "$gitops"
    local seed
    seed="$(mktemp -d)"
    git -C "$seed" init -q -b main
    echo "# Sovereign GitOps overlays" >"$seed/README.md"
    git -C "$seed" add README.md
    git -C "$seed" -c user.name=Catalyst -c user.email=catalyst@localhost commit -q -m "Start the GitOps repository"
    git -C "$seed" push -q "$gitops" main
    rm -rf "$seed"
  fi
}

portal_build_app() {
  log "building the frontend (packages/app)"
  (cd "$CATALYST_ROOT" && yarn workspace app build >"$CATALYST_ROOT/.data/app-build.log" 2>&1) ||
    { tail -n 40 "$CATALYST_ROOT/.data/app-build.log" >&2; die "the frontend build failed (log: .data/app-build.log)"; }
}

# portal_build_backend: builds the backend the way it is deployed (packages/backend/Dockerfile: `yarn tsc`, then
# `yarn workspace backend build`, which also builds the frontend) and unpacks its skeleton and bundle into
# .data/backend-bundle. Where the Docker image runs `yarn workspaces focus --all --production`, the unpacked bundle
# links to the dependencies already installed here (same resolved versions); the bundle's own packages (the
# backend and the Catalyst plugins, with their published package.json: dist/ code, JSON config schemas) come
# from the bundle, not from plugins/*/src.
portal_build_backend() {
  local log_file="$CATALYST_ROOT/.data/backend-build.log"
  local bundle="$CATALYST_ROOT/.data/backend-bundle"
  mkdir -p "$CATALYST_ROOT/.data"
  log "building the backend (yarn tsc, yarn workspace backend build)"
  (cd "$CATALYST_ROOT" && yarn tsc && yarn workspace backend build) >"$log_file" 2>&1 ||
    { tail -n 40 "$log_file" >&2; die "the backend build failed (log: .data/backend-build.log)"; }
  rm -rf "$bundle"
  mkdir -p "$bundle/node_modules"
  tar xzf "$CATALYST_ROOT/packages/backend/dist/skeleton.tar.gz" -C "$bundle"
  tar xzf "$CATALYST_ROOT/packages/backend/dist/bundle.tar.gz" -C "$bundle"
  local entry name
  for entry in "$CATALYST_ROOT"/node_modules/* "$CATALYST_ROOT"/node_modules/@*/*; do
    name="${entry#"$CATALYST_ROOT/node_modules/"}"
    case "$name" in
      @catalyst/*) continue ;; # the bundle's own packages, linked below
      @*/*) ;;
      @*) continue ;; # a scope folder: its packages are linked one by one
    esac
    mkdir -p "$(dirname "$bundle/node_modules/$name")"
    ln -s "$entry" "$bundle/node_modules/$name"
  done
  local pkg
  for pkg in "$bundle"/plugins/*/package.json "$bundle"/packages/*/package.json; do
    name="$(node -p "require('$pkg').name")"
    [[ "$name" == @catalyst/* ]] || continue
    mkdir -p "$bundle/node_modules/@catalyst"
    ln -s "$(dirname "$pkg")" "$bundle/node_modules/$name"
  done
  mkdir -p "$bundle/packages/backend/node_modules"
  ln -s ../../app "$bundle/packages/backend/node_modules/app"
  # The backend runs in packages/backend, so the catalog locations of app-config.yaml (../../catalog, ../../templates)
  # resolve as in development.
  ln -s "$CATALYST_ROOT/catalog" "$bundle/catalog"
  ln -s "$CATALYST_ROOT/templates" "$bundle/templates"
}

# portal_start <data-dir> <port> [dev|built]: starts the backend serving the built app; waits for readiness.
# dev (default) runs packages/backend with the development runner (`backstage-cli package start`: TypeScript
# transpiled as it loads, source maps kept); built runs the bundle from portal_build_backend the way the Docker
# image does (`node packages/backend`, NODE_ENV=production), with the embedded defaults minus the local and guest
# sign-in, which are for development only.
portal_start() {
  local data="$1" port="$2" runner="${3:-dev}"
  portal_prepare_data "$data"
  export CATALYST_DATA_DIR="$data"
  export PDNS_API_URL="$CATALYST_TEST_PDNS_URL" PDNS_API_KEY="$CATALYST_TEST_PDNS_API_KEY" PDNS_DNS_PORT="$CATALYST_TEST_PDNS_DNS_PORT"
  export CATALYST_GITOPS_REPO_URL="file://$data/gitops.git"
  CATALYST_VOUCHER_CODE_KEY="$(node -e 'console.log(require("crypto").randomBytes(32).toString("hex"))')"
  export CATALYST_VOUCHER_CODE_KEY
  CATALYST_KUBECONFIG_KEY="$(node -e 'console.log(require("crypto").randomBytes(32).toString("hex"))')"
  export CATALYST_KUBECONFIG_KEY
  export CATALYST_PORTAL_URL="http://localhost:$port"
  # The new clusters' Kubernetes API (docs/phase1.md): the stand-in the sandbox module's first boot talks to.
  local standin_port
  standin_port="$(free_port)"
  export CATALYST_SANDBOX_CLUSTER_URL="http://127.0.0.1:$standin_port"
  node "$CATALYST_ROOT/scripts/cluster-standin.js" --port "$standin_port" --step-ms "${CATALYST_CLUSTER_STANDIN_STEP_MS:-400}" \
    >"$data/cluster-standin.log" 2>&1 &
  CATALYST_STANDIN_PID=$!
  # The Hetzner Cloud API the portal checks tokens against: a local server started by the browser tests.
  CATALYST_E2E_HETZNER_PORT="$(free_port)"
  CATALYST_E2E_HETZNER_TOKEN="$(node -e 'console.log(require("crypto").randomBytes(32).toString("hex"))')"
  export CATALYST_E2E_HETZNER_PORT CATALYST_E2E_HETZNER_TOKEN
  export CATALYST_HETZNER_API_URL="http://127.0.0.1:$CATALYST_E2E_HETZNER_PORT/v1"
  cat >"$data/app-config.portal.yaml" <<YAML
app:
  baseUrl: http://localhost:$port
backend:
  baseUrl: http://localhost:$port
  listen:
    port: $port
  cors:
    origin: http://localhost:$port
YAML
  log "starting the portal on $CATALYST_PORTAL_URL ($runner backend)"
  CATALYST_PORTAL_LAUNCHED_AT="$(date +%s.%N)"
  case "$runner" in
    dev)
      (cd "$CATALYST_ROOT/packages/backend" && exec node "$CATALYST_ROOT/node_modules/.bin/backstage-cli" package start \
        --config "$CATALYST_ROOT/app-config.yaml" --config "$data/app-config.portal.yaml") >"$data/backend.log" 2>&1 &
      ;;
    built)
      local bundle="$CATALYST_ROOT/.data/backend-bundle"
      [ -f "$bundle/packages/backend/dist/index.cjs.js" ] || die "no built backend in $bundle (portal_build_backend)"
      cat >"$data/app-config.built.yaml" <<YAML
auth:
  providers:
    local: null
    guest: null
YAML
      (cd "$bundle/packages/backend" && NODE_ENV=production exec node . \
        --config "$CATALYST_ROOT/app-config.yaml" --config "$data/app-config.portal.yaml" \
        --config "$data/app-config.built.yaml") >"$data/backend.log" 2>&1 &
      ;;
    *) die "portal_start: unknown runner '$runner' (dev or built)" ;;
  esac
  CATALYST_PORTAL_PID=$!
  local i
  for i in $(seq 1 1500); do
    if curl -fs -o /dev/null "http://localhost:$port/.backstage/health/v1/readiness"; then
      return 0
    fi
    kill -0 "$CATALYST_PORTAL_PID" 2>/dev/null || { tail -n 60 "$data/backend.log" >&2; die "the backend exited during start-up (log: $data/backend.log)"; }
    sleep 0.2
  done
  tail -n 60 "$data/backend.log" >&2
  die "the backend did not become ready on port $port (log: $data/backend.log)"
}

portal_stop() {
  if [ -n "${CATALYST_STANDIN_PID:-}" ]; then
    kill "$CATALYST_STANDIN_PID" 2>/dev/null || true
    CATALYST_STANDIN_PID=
  fi
  [ -n "${CATALYST_PORTAL_PID:-}" ] || return 0
  pkill -INT -P "$CATALYST_PORTAL_PID" 2>/dev/null || true
  kill -INT "$CATALYST_PORTAL_PID" 2>/dev/null || true
  local i
  for i in $(seq 1 40); do kill -0 "$CATALYST_PORTAL_PID" 2>/dev/null || break; sleep 0.25; done
  pkill -KILL -P "$CATALYST_PORTAL_PID" 2>/dev/null || true
  kill -KILL "$CATALYST_PORTAL_PID" 2>/dev/null || true
  CATALYST_PORTAL_PID=
}
