#!/usr/bin/env bash
# Times `make itest` from a fresh clone of this repository, the way a newcomer or the self-hosted runner
# meets it: a new clone (no .venv, no .make markers, no collections), and by default a machine without the
# stack: the Debian packages purged and apt's download cache emptied, so the deploy installs from scratch.
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
started=$(date +%s.%N)
status=0
make itest "$@" > "$work/itest.log" 2>&1 || status=$?
finished=$(date +%s.%N)

tail -n 30 "$work/itest.log"
printf '\nbench/itest (%s): make itest exit %s in %.1f s; full log: %s\n' \
  "$mode" "$status" "$(awk -v a="$started" -v b="$finished" 'BEGIN { print b - a }')" "$work/itest.log"
exit "$status"
