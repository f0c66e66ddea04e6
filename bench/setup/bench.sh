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
        "$@" > /dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }
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
# The bare install, as the installer runs it but with no checks around it. ansible-galaxy looks for installed
# collections in ANSIBLE_COLLECTIONS_PATH too (ansible.cfg names ./collections): pointed at the empty target
# folder, so that it installs instead of finding them already there ("Nothing to do") and timing a no-op.
plain=$(mktemp -d)
plain_install() {
    ANSIBLE_COLLECTIONS_PATH="$plain" unshare -n .venv/bin/ansible-galaxy collection install -r requirements.yml -p "$plain" --offline
    local name
    for name in community/general ansible/windows; do
        test -f "$plain/ansible_collections/$name/MANIFEST.json" || { echo "plain install left no $name in $plain" >&2; exit 1; }
    done
}
measure "plain ansible-galaxy collection install --offline (no checks, no verify)" "rm -rf \"\$plain\"; mkdir \"\$plain\"" \
    plain_install
rm -rf "$plain"
measure "goldenpath install-collections (debug build)" "rm -rf collections" \
    "$goldenpath" install-collections
make setup > /dev/null
