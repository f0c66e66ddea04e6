#!/usr/bin/env bash
# Times a green `make verify` of the deployed lab (the compiled playbook, run the way make runs it) side by side
# with testinfra running the same checks on the same host (bench/verify/test_same_checks.py), paired runs,
# min/median/max. With --red, stops Prometheus first (root; hold the lab lock) and times the red run too,
# then starts it again. With --dead, times only a red run against the lab as it is (nothing deployed).
#
#   bench/verify/run.sh [--runs N] [--red | --dead] [--ansible-playbook PATH]
#
# Needs the lab deployed (`make itest` or `make deploy`) and the repository's venv (`make setup`), or
# GOLDENPATH_VENV=/path/to/venv with ansible-core and pytest-testinfra.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"
runs=5
red=false
dead=false
venv=${GOLDENPATH_VENV:-$repo/.venv}
playbook_bin=$venv/bin/ansible-playbook
while [ $# -gt 0 ]; do
  case $1 in
    --runs) runs=$2; shift 2 ;;
    --red) red=true; shift ;;
    --dead) dead=true; shift ;;
    --ansible-playbook) playbook_bin=$2; shift 2 ;;
    *) echo "usage: $0 [--runs N] [--red] [--ansible-playbook PATH]" >&2; exit 2 ;;
  esac
done
work=$(mktemp -d /tmp/goldenpath-verify-bench.XXXXXX)
export ANSIBLE_CONFIG=ansible.cfg ANSIBLE_NOCOLOR=1

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
stats() { sort -n | awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2;
  printf "min %.2f s  median %.2f s  max %.2f s  (%d runs)", v[1], m, v[NR], NR }'; }

verify() {  # $1: log file; prints seconds, returns the playbook's status
  local started status=0
  started=$(now)
  "$playbook_bin" -i inventory/lab.yml playbooks/tests/verify_observability.yml \
    -e verify_artifacts_dir="$work/itest" > "$1" 2>&1 || status=$?
  elapsed "$started" "$(now)"
  return $status
}

testinfra() {  # $1: log file
  local started status=0
  started=$(now)
  "$venv/bin/python" -m pytest -q -p no:cacheprovider --hosts=local:// bench/verify/test_same_checks.py > "$1" 2>&1 || status=$?
  elapsed "$started" "$(now)"
  return $status
}

largest_budget() { grep -o 'within: [0-9]*' playbooks/tests/verify_observability.yml | awk '{ print $2 }' | sort -n | tail -n 1; }

echo "bench/verify: $("$playbook_bin" --version | head -n 1), logs in $work"
if $dead; then
  status=0
  r=$(verify "$work/verify-dead.log") || status=$?
  [ "$status" -ne 0 ] || { echo "the verify passed: is the stack deployed? see $work/verify-dead.log" >&2; exit 1; }
  printf 'red verify (nothing deployed): %s s (largest budget %s s; exit %s)\n' "$r" "$(largest_budget)" "$status"
  exit 0
fi
echo "$runs paired runs"
: > "$work/verify.times"; : > "$work/testinfra.times"
for run in $(seq "$runs"); do
  v=$(verify "$work/verify-$run.log") || { echo "make verify's playbook failed (run $run): see $work/verify-$run.log" >&2; exit 1; }
  t=$(testinfra "$work/testinfra-$run.log") || { echo "testinfra failed (run $run): see $work/testinfra-$run.log" >&2; exit 1; }
  echo "$v" >> "$work/verify.times"; echo "$t" >> "$work/testinfra.times"
  printf '  run %d: verify %s s, testinfra %s s\n' "$run" "$v" "$t"
done
printf 'green verify (playbook):  %s\n' "$(stats < "$work/verify.times")"
printf 'green testinfra (pytest): %s\n' "$(stats < "$work/testinfra.times")"

if $red; then
  service prometheus stop >/dev/null
  trap 'service prometheus start >/dev/null' EXIT
  status=0
  r=$(verify "$work/verify-red.log") || status=$?
  [ "$status" -ne 0 ] || { echo "the verify passed with Prometheus stopped: see $work/verify-red.log" >&2; exit 1; }
  printf 'red verify (Prometheus stopped): %s s (largest budget %s s; exit %s)\n' "$r" "$(largest_budget)" "$status"
fi
