#!/usr/bin/env bash
# The end-to-end test reads a unit stream with kcat to show the wire format. `npm test` runs this first (pretest):
# kcat comes from Debian's packages; without root or apt it says what to install and fails, rather than letting
# the test fail later with ENOENT.
set -euo pipefail
command -v kcat >/dev/null && exit 0
if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
  echo "[pretest] installing kcat (Debian package) for the end-to-end test"
  apt-get update -qq && apt-get install -y -qq kcat >/dev/null
  exit 0
fi
echo "[pretest] kcat is missing: install it (Debian/Ubuntu: sudo apt-get install kcat), then run npm test again" >&2
exit 1
