#!/usr/bin/env bash
# Times the lab from a fresh clone of this repository, the way .ci/run meets it:
#   1. `make lab-up` cold: an empty LAB_CACHE, so the debootstrap base is built (and its packages fetched);
#   2. `make lab-up` from the cache, RUNS times (each after `make lab-down`): the base tarball is unpacked;
#   3. `make itest` cold, RUNS times: hosts fresh from the base (every package installed, from the warm
#      package cache on the bridge), setup already done;
#   4. `make itest` warm, RUNS times: the same lab again, nothing to change.
# Prints min/median/max of each. Root is required (the lab). The clone, its venv and the cache live in one
# temporary folder, removed at the end unless --keep is given.
#
#   sudo bench/itest/run.sh [--runs N] [--keep] [--vendor-from DIR]
#
# --vendor-from DIR copies DIR/*.tar.gz into the clone's vendor/ instead of running `make vendor` (PyPI).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
runs=3 keep=no vendor_from=""
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --keep) keep=yes; shift ;;
    --vendor-from) vendor_from=$2; shift 2 ;;
    *) echo "usage: $0 [--runs N] [--keep] [--vendor-from DIR]" >&2; exit 2 ;;
  esac
done

work=$(mktemp -d /tmp/goldenpath-itest-bench.XXXXXX)
cleanup() {
  (cd "$work/clone" 2>/dev/null && LAB_CACHE="$work/cache" make --no-print-directory lab-down >/dev/null 2>&1) || true
  if [ "$keep" = no ]; then rm -rf "$work"; else echo "kept $work"; fi
}
trap cleanup EXIT
git clone --quiet "$repo" "$work/clone"
cd "$work/clone"
export LAB_CACHE="$work/cache"

if [ -n "$vendor_from" ]; then cp "$vendor_from"/*.tar.gz vendor/; else make vendor >"$work/vendor.log" 2>&1; fi
make setup >"$work/setup.log" 2>&1

now() { date +%s.%N; }
# timed NAME COMMAND...: runs COMMAND, appends its seconds to $work/NAME.times, fails with its log on error.
timed() {
  local name=$1 started status=0; shift
  started=$(now)
  "$@" >"$work/$name.log" 2>&1 || status=$?
  if [ "$status" -ne 0 ]; then tail -n 40 "$work/$name.log"; echo "bench/itest: $name failed (exit $status)" >&2; exit 1; fi
  awk -v a="$started" -v b="$(now)" 'BEGIN { printf "%.1f\n", b - a }' >>"$work/$name.times"
}
stats() {
  sort -n "$work/$1.times" | awk -v name="$1" '{ v[NR] = $1 } END {
    median = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "  %-22s n=%d  min %.1f s  median %.1f s  max %.1f s\n", name, NR, v[1], median, v[NR] }'
}

timed lab-up-cold make --no-print-directory lab-up
for _ in $(seq "$runs"); do
  make --no-print-directory lab-down >/dev/null
  timed lab-up-cached make --no-print-directory lab-up
  timed itest-cold make --no-print-directory itest
  timed itest-warm make --no-print-directory itest
done

echo "bench/itest: $(git rev-parse --short HEAD), $(nproc) cores, runs=$runs"
for name in lab-up-cold lab-up-cached itest-cold itest-warm; do stats "$name"; done
