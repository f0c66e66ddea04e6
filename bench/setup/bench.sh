#!/usr/bin/env bash
# Times make setup and the offline collections install; figures go to docs/performance.md ("Setup").
# Usage (from the repository's top folder, after make vendor and one make setup): bench/setup/bench.sh [RUNS]
# Cold = the venv exists (excluded), collections/ and the marker are removed, so the checksums, the offline
# install, the verification and the tool versions all run. Warm = everything up to date.
set -euo pipefail
runs=${1:-5}
goldenpath=${GOLDENPATH:-.build/debug/goldenpath}

# Runs "$@" RUNS times after `prepare`, prints median and min in ms.
measure() {
    local label=$1 prepare=$2; shift 2
    local times=()
    for _ in $(seq "$runs"); do
        eval "$prepare"
        local start end
        start=$(date +%s%N)
        "$@" > /dev/null 2>&1
        end=$(date +%s%N)
        times+=($(( (end - start) / 1000 )))
    done
    printf '%s\n' "${times[@]}" | sort -n | awk -v label="$label" '
        { t[NR] = $1 } END { m = (NR % 2) ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2;
        printf "| %s | %.1f | %.1f |\n", label, m / 1000, t[1] / 1000 }'
}

reset_collections='rm -rf collections .make/setup.done'
echo "| Step | median ms | min ms |"
echo "| --- | ---: | ---: |"
measure "cold make setup (venv present; checksums, offline install, verify, tool versions)" "$reset_collections" make setup
measure "warm make setup (up to date)" ":" make setup
measure "collections install alone, offline (unshare -n scripts/install-collections.py)" "rm -rf collections" \
    unshare -n .venv/bin/python scripts/install-collections.py --ansible-galaxy .venv/bin/ansible-galaxy
measure "plain ansible-galaxy collection install --offline (no checks, no verify)" "rm -rf /tmp/bench-collections" \
    unshare -n .venv/bin/ansible-galaxy collection install -r requirements.yml -p /tmp/bench-collections --offline
measure "goldenpath install-collections (debug build)" "rm -rf collections" \
    "$goldenpath" install-collections
make setup > /dev/null
