#!/usr/bin/env bash
# Paired timing of the offline collections installer: the one at git revision REV against the current
# scripts/install-collections.py, alternating runs, each inside `unshare -n` (root), collections/ removed first.
# Usage (from the repository's top folder, after make vendor and one make setup): bench/setup/compare-installer.sh REV [RUNS]
set -euo pipefail
rev=$1
runs=${2:-7}
old=$(mktemp --suffix=.py)
trap 'rm -f "$old"' EXIT
git show "$rev:scripts/install-collections.py" > "$old"

declare -a before after
once() {
    rm -rf collections
    local start end
    start=$(date +%s%N)
    unshare -n .venv/bin/python "$1" --ansible-galaxy .venv/bin/ansible-galaxy > /dev/null 2>&1
    end=$(date +%s%N)
    echo $(( (end - start) / 1000000 ))
}
for _ in $(seq "$runs"); do
    before+=("$(once "$old")")
    after+=("$(once scripts/install-collections.py)")
done
summary() {
    printf '%s\n' "$@" | sort -n | awk '{ t[NR] = $1 } END { m = (NR % 2) ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2;
        printf "%d | %d | %d", t[1], m, t[NR] }'
}
echo "| Installer | min ms | median ms | max ms |"
echo "| --- | ---: | ---: | ---: |"
echo "| $rev | $(summary "${before[@]}") |"
echo "| current | $(summary "${after[@]}") |"
# Leave collections/ installed, as it was.
once scripts/install-collections.py > /dev/null
