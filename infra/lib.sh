# shellcheck shell=bash
# Shared settings and helpers for infra/*.sh. Sourced, never executed.
#
# Everything is derived from the script location so the scripts work from any
# working directory (npm scripts, the test harness, a user's shell).

INFRA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$INFRA_DIR/.." && pwd)"

# --- versions -----------------------------------------------------------------
# Kafka 4.x from Maven Central (see README "kafkajs compatibility" before changing).
KAFKA_VERSION="${CLUELINE_KAFKA_VERSION:-4.4.0}"
# S3Proxy 4.x needs Java 17; it keeps the old jclouds-style property names.
S3PROXY_VERSION="${CLUELINE_S3PROXY_VERSION:-4.1.0}"

# --- locations ----------------------------------------------------------------
# Downloaded jars live outside the repository so a clean checkout / `git clean`
# does not throw away ~100 MB, and several checkouts can share them.
CACHE_DIR="${CLUELINE_CACHE:-$HOME/.cache/clueline}"
KAFKA_HOME="$CACHE_DIR/kafka-$KAFKA_VERSION"
S3PROXY_HOME="$CACHE_DIR/s3proxy-$S3PROXY_VERSION"

# Runtime state (data, logs, pid files) lives in the repo's gitignored .data/.
# Only the kafka/ and s3proxy/ subdirectories and the infra.* files belong to
# these scripts; other tools may keep their own state in .data/ as well.
DATA_DIR="$REPO_ROOT/.data"
KAFKA_DATA="$DATA_DIR/kafka"
S3PROXY_DATA="$DATA_DIR/s3proxy"
INFRA_ENV_FILE="$DATA_DIR/infra.env"
# The record of what `up.sh` started, for `down.sh --started`: one component per line. Each `up` adds what it
# started to the record it is given, and `down` takes off what it stopped, so nothing ever overwrites another
# caller's entries. `npm start` and the test harness each keep a record of their own under .data/infra-started/
# (CLUELINE_INFRA_STARTED_FILE), so each stops only what it started.
INFRA_STARTED_FILE="${CLUELINE_INFRA_STARTED_FILE:-$DATA_DIR/infra.started}"

# --- ports and credentials ----------------------------------------------------
KAFKA_PORT="${CLUELINE_KAFKA_PORT:-19092}"
KAFKA_CONTROLLER_PORT="${CLUELINE_KAFKA_CONTROLLER_PORT:-$((KAFKA_PORT + 1))}"
S3_PORT="${CLUELINE_S3_PORT:-19000}"
S3_ACCESS_KEY="clueline"
S3_SECRET_KEY="clueline-secret"

# How long to wait for a component to become ready before giving up.
READY_TIMEOUT="${CLUELINE_READY_TIMEOUT:-90}"

# --- helpers ------------------------------------------------------------------
log() { printf '[infra] %s\n' "$*" >&2; }
die() { printf '[infra] ERROR: %s\n' "$*" >&2; exit 1; }

require_java() {
  command -v java >/dev/null 2>&1 || die "java not found on PATH (Java 17+ is required)"
  local major
  major="$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
  [[ "${major%%.*}" -ge 17 ]] 2>/dev/null || die "Java 17+ required, found java.specification.version=$major"
}

# record_add <file> <component>…: adds the components to the record (each once, in order), keeping what it held.
record_add() {
  local file="$1"; shift
  mkdir -p "$(dirname "$file")"
  { if [[ -f "$file" ]]; then cat "$file"; fi; printf '%s\n' "$@"; } | awk 'NF && !seen[$0]++' >"$file.tmp"
  mv "$file.tmp" "$file"
}

# record_remove <file> <component>…: takes the components off the record; a missing record stays missing.
record_remove() {
  local file="$1"; shift
  [[ -f "$file" ]] || return 0
  awk -v drop="$*" 'BEGIN { n = split(drop, d, " "); for (i = 1; i <= n; i++) gone[d[i]] = 1 } NF && !($0 in gone)' \
    "$file" >"$file.tmp"
  mv "$file.tmp" "$file"
}

# Each component's JVM carries -Dclueline.infra=<name> so that a pid file can be
# trusted only if that pid still belongs to *our* process (pids get reused).
pid_file() { echo "$DATA_DIR/$1.pid"; }

# Prints the pid of a running component, or nothing (and cleans a stale pid file).
running_pid() {
  local name="$1" pf pid
  pf="$(pid_file "$name")"
  [[ -f "$pf" ]] || return 0
  pid="$(cat "$pf" 2>/dev/null || true)"
  if [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null \
     && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "-Dclueline.infra=$name "; then
    echo "$pid"
  else
    log "removing stale pid file for $name (pid ${pid:-?} is gone, or is no longer $name)"
    rm -f "$pf"
  fi
}

# True if something listens on 127.0.0.1:<port>.
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# True if node can resolve <pkg> from the repo root (i.e. `npm install` has run).
have_node_pkg() {
  command -v node >/dev/null 2>&1 &&
    (cd "$REPO_ROOT" && node -e "require.resolve('$1')") >/dev/null 2>&1
}

# Serializes up.sh/down.sh runs (e.g. two test runs starting at once). Never
# hangs forever: after CLUELINE_LOCK_TIMEOUT seconds it fails and names the
# processes holding the lock.
take_lock() {
  local lock="$1" fd="$2" timeout="${CLUELINE_LOCK_TIMEOUT:-300}"
  eval "exec $fd>\"\$lock\""
  flock -n "$fd" && return 0
  log "waiting for another infra script holding $lock…"
  flock -w "$timeout" "$fd" && return 0
  local holders
  holders="$(find /proc/[0-9]*/fd -lname "$lock" 2>/dev/null | cut -d/ -f3 | sort -u | tr '\n' ' ')"
  die "gave up after ${timeout}s waiting for $lock (held by pid(s): ${holders:-unknown})"
}

# Starts a detached JVM in its own session (so Ctrl-C in the calling terminal or
# the end of a test run does not take it down) and records its pid. The inner
# bash writes its own pid and then execs java, so the pid file is the JVM's pid.
start_detached() {
  local name="$1" logfile="$2"; shift 2
  # 8>&- 9>&-: the JVM must not inherit the lock file descriptors of up.sh /
  # fetch.sh, or it would hold the locks for as long as it runs.
  setsid bash -c 'echo $$ >"$1"; shift; exec "$@"' _ "$(pid_file "$name")" "$@" \
    >>"$logfile" 2>&1 </dev/null 8>&- 9>&- &
  disown || true
  # give the wrapper a moment to write the pid file
  local i
  for i in 1 2 3 4 5 6 7 8 9 10; do [[ -s "$(pid_file "$name")" ]] && return 0; sleep 0.1; done
  die "could not start $name"
}
