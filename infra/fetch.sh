#!/usr/bin/env bash
# Fetches Apache Kafka and S3Proxy (jars + runtime dependencies) from Maven
# Central into the cache, once. Re-running is cheap: a component whose marker
# file exists (and whose pom has not changed since) is skipped; anything else —
# including a fetch that was interrupted half way — is fetched again from scratch.
#
# Why Maven and not the release tarballs: on these machines only Maven Central
# (and npm / apt) is reachable, and both projects publish every jar there.
#
# Usage: infra/fetch.sh            (env: CLUELINE_CACHE, CLUELINE_KAFKA_VERSION, CLUELINE_S3PROXY_VERSION)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

command -v mvn >/dev/null 2>&1 || die "mvn not found on PATH (Maven 3.6+ is needed once, to fetch the jars)"
mkdir -p "$CACHE_DIR"

# Two fetches at once (e.g. two terminals running `up`) would fight over the
# same directories; the second one waits here and then finds everything done.
CLUELINE_LOCK_TIMEOUT="${CLUELINE_LOCK_TIMEOUT:-900}" take_lock "$CACHE_DIR/.fetch.lock" 9

# fetch_component <label> <version> <pom> <maven version property> <target dir>
fetch_component() {
  local label="$1" version="$2" pom="$3" prop="$4" target="$5"
  local marker="$target/.fetch-complete"
  # The marker records which pom produced the directory, so editing the pom
  # (e.g. adding a jar) invalidates the cache instead of silently keeping it stale.
  local want
  want="$(sha256sum "$pom" | cut -d' ' -f1)"
  if [[ -f "$marker" && "$(cat "$marker")" == "$want" ]]; then
    log "$label $version already in cache ($target)"
    return 0
  fi
  log "fetching $label $version from Maven Central… (into $target)"
  local started=$SECONDS
  # Download into a scratch dir and rename at the end: an interrupted fetch never
  # looks complete, and leftovers of one are simply deleted on the next attempt.
  local tmp="$target.partial"
  rm -rf "$tmp" "$target"
  mkdir -p "$tmp"
  if ! mvn -B -q -f "$pom" "-D$prop=$version" \
        dependency:copy-dependencies "-DoutputDirectory=$tmp/libs" >"$tmp/mvn.log" 2>&1; then
    tail -n 30 "$tmp/mvn.log" >&2
    die "fetching $label $version failed (full log: $tmp/mvn.log)"
  fi
  rm -f "$tmp/mvn.log"
  echo "$want" >"$tmp/.fetch-complete"
  mv "$tmp" "$target"
  log "fetched $label $version: $(ls "$target/libs" | wc -l) jars, $(du -sh "$target/libs" | cut -f1), $((SECONDS - started))s"
}

fetch_component kafka "$KAFKA_VERSION" "$INFRA_DIR/maven/kafka/pom.xml" kafka.version "$KAFKA_HOME"
fetch_component s3proxy "$S3PROXY_VERSION" "$INFRA_DIR/maven/s3proxy/pom.xml" s3proxy.version "$S3PROXY_HOME"
