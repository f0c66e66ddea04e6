#!/usr/bin/env bash
# Times `make itest` from a fresh clone of this repository, the way .ci/run meets it on a new machine: a new
# clone (no .venv, no .make markers, no .build), `make vendor` first (the collection tarballs are not
# committed; timed on its own), then `make itest`. By default the machine loses the stack first: the Debian
# packages purged and apt's download cache emptied, so the deploy installs from scratch.
#
#   sudo bench/itest/run.sh               # fresh clone, stack purged first
#   sudo bench/itest/run.sh --keep-stack  # fresh clone, stack left installed (a re-deploy)
#
# Extra arguments after the option go to make (e.g. VENV=/opt/venv to reuse a venv). Root is required.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
mode=fresh
if [ "${1:-}" = "--keep-stack" ]; then mode=keep-stack; shift; fi

work=$(mktemp -d /tmp/goldenpath-itest-bench.XXXXXX)
git clone --quiet "$repo" "$work/clone"

if [ "$mode" = fresh ]; then
  service prometheus stop >/dev/null 2>&1 || true
  service prometheus-node-exporter stop >/dev/null 2>&1 || true
  DEBIAN_FRONTEND=noninteractive apt-get purge --yes --quiet --quiet prometheus prometheus-node-exporter >/dev/null
  apt-get clean
  rm -rf /var/lib/prometheus /var/lib/goldenpath /etc/prometheus
fi

cd "$work/clone"
seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
started=$(date +%s.%N)
make vendor "$@" > "$work/vendor.log" 2>&1 || { tail -n 30 "$work/vendor.log"; exit 1; }
vendored=$(date +%s.%N)
printf 'bench/itest: make vendor (swift build included) in %s s\n' "$(seconds "$started" "$vendored")"
started=$(date +%s.%N)
status=0
make itest "$@" > "$work/itest.log" 2>&1 || status=$?
finished=$(date +%s.%N)

tail -n 30 "$work/itest.log"
printf '\nbench/itest (%s): make itest exit %s in %s s; full log: %s\n' \
  "$mode" "$status" "$(seconds "$started" "$finished")" "$work/itest.log"
exit "$status"
