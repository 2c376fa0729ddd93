#!/usr/bin/env bash
# Stops the local Kafka and/or S3Proxy started by infra/up.sh. Idempotent:
# stopping something that is not running is fine.
#
# Usage: infra/down.sh [--wipe] [--started | kafka | s3proxy ...]
#   (no component)  stop both
#   kafka s3proxy   stop only the named components
#   --started       stop only what the record of `up.sh` lists (.data/infra.started,
#                   or $CLUELINE_INFRA_STARTED_FILE, the caller's own), so a test
#                   harness never stops infra a developer or `npm start` started
#   --wipe          also delete the stopped components' data (topics, objects)
#
# Each process gets SIGTERM (Kafka then shuts down cleanly, which makes the next
# start fast) and SIGKILL if it is still alive after CLUELINE_STOP_TIMEOUT (30 s).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

WIPE=0
COMPONENTS=()
for arg in "$@"; do
  case "$arg" in
    --wipe) WIPE=1 ;;
    --started)
      if [[ -f "$INFRA_STARTED_FILE" ]]; then
        while IFS= read -r c; do [[ -n "$c" ]] && COMPONENTS+=("$c"); done <"$INFRA_STARTED_FILE"
      fi
      # nothing recorded -> nothing to stop (never fall through to "stop all")
      ((${#COMPONENTS[@]})) || { log "${INFRA_STARTED_FILE#"$REPO_ROOT"/} lists nothing; nothing to stop"; exit 0; }
      ;;
    kafka | s3proxy) COMPONENTS+=("$arg") ;;
    -h | --help) sed -n '2,14p' "$0"; exit 0 ;;
    *) die "unknown argument: $arg (see --help)" ;;
  esac
done
((${#COMPONENTS[@]})) || COMPONENTS=(kafka s3proxy)

[[ -d "$DATA_DIR" ]] || exit 0
take_lock "$DATA_DIR/.infra-scripts.lock" 8

TIMEOUT="${CLUELINE_STOP_TIMEOUT:-30}"

stop_component() {
  local name="$1" pid
  pid="$(running_pid "$name")"
  if [[ -z "$pid" ]]; then
    log "$name is not running"
  else
    log "stopping $name (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    local deadline=$((SECONDS + TIMEOUT))
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
    if kill -0 "$pid" 2>/dev/null; then
      log "$name did not stop within ${TIMEOUT}s: sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
    fi
    log "$name stopped"
  fi
  rm -f "$(pid_file "$name")"
}

for c in "${COMPONENTS[@]}"; do
  stop_component "$c"
  if ((WIPE)); then
    case "$c" in
      kafka) rm -rf "$KAFKA_DATA" ;;
      s3proxy) rm -rf "$S3PROXY_DATA" ;;
    esac
    log "wiped $c data"
  fi
done

# infra.env must not advertise what is no longer running; rewrite it without
# the stopped components (delete it when nothing is left).
if [[ -f "$INFRA_ENV_FILE" ]]; then
  keep=()
  [[ -n "$(running_pid kafka)" ]] && keep+=('^KAFKA_')
  [[ -n "$(running_pid s3proxy)" ]] && keep+=('^S3_')
  if ((${#keep[@]})); then
    pattern="$(IFS='|'; echo "^#|${keep[*]}")"
    grep -E "$pattern" "$INFRA_ENV_FILE" >"$INFRA_ENV_FILE.tmp" || true
    mv "$INFRA_ENV_FILE.tmp" "$INFRA_ENV_FILE"
  else
    rm -f "$INFRA_ENV_FILE"
  fi
fi
# Take what has now been stopped off the record.
record_remove "$INFRA_STARTED_FILE" "${COMPONENTS[@]}"
