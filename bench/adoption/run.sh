#!/usr/bin/env bash
# Adopts an existing Ansible repository with goldenpath and checks the result, on a copy (the original is not
# touched and nothing is fetched): goldenpath init, goldenpath generate --force, then
#   1. every workflow of the repository is generated (one that is not fails the step, with init's located reason);
#   2. zizmor --offline --persona pedantic finds nothing in the generated workflows;
#   3. check-jsonschema --builtin-schema vendor.github-workflows accepts them;
#   4. make -n of each old target runs the same commands in the same order (the generated Makefile's own
#      bookkeeping lines -- the step banner, set -x, the folder it makes for a marker -- left out, and a command
#      written '{ command; } || true', which is how init carries make's '-' prefix, compared as the command);
#   5. the drift check passes with no swift on PATH;
#   6. unshare -n make setup installs the committed collections (when the repository has a setup target and
#      committed vendor/*.tar.gz; otherwise it says why it is skipped).
#      With --vendor-from DIR the copy first vendors the collections of its requirements.yml from DIR and commits
#      them: DIR is a folder of collection tarballs (copied into vendor/, then `goldenpath vendor --pin`) or an
#      unpacked release holding ansible_collections/ (the PyPI `ansible` wheel, as scripts/vendor-from-pypi.sh
#      unpacks it under .make/vendor-cache; then `goldenpath vendor --from DIR`). A collection that DIR lacks is
#      reported by name and fails the step. `collections: {}` goes into targets/project.yml, and when the repository
#      has no setup target the copy gets one that runs the generated installer (said in the output).
# Usage: bench/adoption/run.sh [--vendor-from DIR] REPOSITORY [TARGET...]
#   GOLDENPATH  the goldenpath binary (default: .build/debug/goldenpath of this package)
#   TOOLS       a folder holding zizmor and check-jsonschema (default: $GOLDENPATH_VENV/bin or .venv/bin)
#   MAKE_ENV    extra VAR=value words for every make -n and for step 6's make setup (default: VIRTUAL_ENV=<temp>/venv, which some Makefiles require)
set -uo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
usage='usage: bench/adoption/run.sh [--vendor-from DIR] REPOSITORY [TARGET...]'
vendor_from=
if [ "${1:-}" = --vendor-from ]; then
  vendor_from=$(cd "${2:?$usage}" && pwd) || { echo "--vendor-from: error: no folder ${2}" >&2; exit 2; }
  shift 2
fi
repository=${1:?$usage}
shift
goldenpath=${GOLDENPATH:-$here/.build/debug/goldenpath}
tools=${TOOLS:-${GOLDENPATH_VENV:-$here/.venv}/bin}
work=$(mktemp -d /tmp/goldenpath-adoption.XXXXXX)
trap 'rm -rf "$work"' EXIT
read -r -a make_env <<<"${MAKE_ENV:-VIRTUAL_ENV=$work/venv}"
failures=0
result() { # STATUS TEXT
  printf '%-4s %s\n' "$1" "$2"
  if [ "$1" = FAIL ]; then failures=$((failures + 1)); fi
}

cp -a "$repository/." "$work/repo"
cd "$work/repo" || exit 2
printf 'repository: %s (%s)\n' "$repository" "$(git -C "$repository" rev-parse --short HEAD 2>/dev/null || echo 'not a git checkout')"
old_workflows=$(find .github/workflows -maxdepth 1 -name '*.y*ml' 2>/dev/null | sort)

# The old Makefile's commands, before anything changes (make -n prints continuation lines as written).
normalize() { # joins backslash continuations as the shell does (make -n already dropped the tab after each), squeezes blanks, drops the generated Makefile's bookkeeping
  sed -e ':a' -e '/\\$/N; s/\\\n//; ta' \
    | sed -E 's/[[:space:]]+/ /g; s/^ //; s/ $//; s/^\{ (.*); \} \|\| true$/\1/' \
    | awk '/^\{ set \+x; \} 2>\/dev\/null$/ { marker = 1; next } marker && /^mkdir -p / { marker = 0; next } { marker = 0; print }' \
    | grep -vE "^(gp_name=|set -x$|==> \\[|<== |make(\\[[0-9]+\\])?: (Entering|Leaving) directory)" \
    | grep -vE -- "--no-print-directory [a-z0-9_-]+ GP_GOALS=" \
    | grep -vE "^make(\\[[0-9]+\\])?: Nothing to be done for" \
    | grep -v '^$'
}
# make -n DIR TARGET: in a fresh copy of DIR, since make -n still runs the recipes that remake included makefiles.
dry_run() {
  rm -rf "$work/scratch"
  cp -a "$1" "$work/scratch"
  (cd "$work/scratch" && make -n "${make_env[@]}" "$2" 2>&1) | normalize
}
"$goldenpath" init --root . >"$work/init.txt" 2>&1
init_status=$?
if [ $init_status -ne 0 ]; then cat "$work/init.txt"; result FAIL "goldenpath init (exit $init_status)"; exit 1; fi
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  # The targets init imported from the old Makefile (not those it made from the workflows' run: steps).
  mapfile -t targets < <(grep -l '^# Imported from' targets/*.yml | sed 's#^targets/##; s/\.yml$//' | sort)
fi
for target in "${targets[@]}"; do
  dry_run "$repository" "$target" >"$work/old-$target.txt"
done
result ok "goldenpath init: $(grep -cE '^[^ ].*: warning: ' "$work/init.txt") lines not carried over or changed, $(grep -cE '^[^ ].*: note: kept as written' "$work/init.txt") rules kept as written in Makefile.in (see below)"

"$goldenpath" generate --force --root . >"$work/generate.txt" 2>&1 || { cat "$work/generate.txt"; result FAIL "goldenpath generate"; exit 1; }
result ok "goldenpath generate --force: $(grep -c '^wrote' "$work/generate.txt") files written"

# 1. Every workflow generated.
for file in $old_workflows; do
  if grep -qxF "$file" .goldenpath-manifest; then result ok "generated: $file"
  else
    result FAIL "not generated (hand-written still): $file"
    grep -E "^${file//./\\.}:[0-9]+:[0-9]+: warning: not carried over: (workflow|event)" "$work/init.txt" | sed 's/^/       init: /'
  fi
done
generated=$(grep '^\.github/workflows/' .goldenpath-manifest)

# 2 and 3. The workflow linters.
if [ -x "$tools/zizmor" ]; then
  if "$tools/zizmor" --offline --persona pedantic --no-progress $generated >"$work/zizmor.txt" 2>&1; then
    result ok "zizmor --offline --persona pedantic: $(tail -n 1 "$work/zizmor.txt")"
  else cat "$work/zizmor.txt"; result FAIL "zizmor --offline --persona pedantic"; fi
else result SKIP "zizmor: not in $tools"; fi
if [ -x "$tools/check-jsonschema" ]; then
  if "$tools/check-jsonschema" --builtin-schema vendor.github-workflows $generated >"$work/schema.txt" 2>&1; then
    result ok "check-jsonschema --builtin-schema vendor.github-workflows: $(tail -n 1 "$work/schema.txt")"
  else cat "$work/schema.txt"; result FAIL "check-jsonschema"; fi
else result SKIP "check-jsonschema: not in $tools"; fi

# 4. Same commands, same order.
same=0
for target in "${targets[@]}"; do
  dry_run "$work/repo" "$target" >"$work/new-$target.txt"
  if diff -u "$work/old-$target.txt" "$work/new-$target.txt" >"$work/diff-$target.txt"; then
    same=$((same + 1))
  else
    result FAIL "make -n $target differs:"; sed 's/^/     /' "$work/diff-$target.txt" | head -n 20
  fi
done
result "$([ $same -eq ${#targets[@]} ] && echo ok || echo FAIL)" "make -n: $same of ${#targets[@]} old targets run the same commands in the same order"

# 5. The drift check without Swift.
if env -i PATH=/usr/bin:/bin HOME="$work" bash -c '! command -v swift >/dev/null && ! command -v goldenpath >/dev/null && bash .github/goldenpath-check.sh' >"$work/check.txt" 2>&1; then
  result ok "drift check with PATH=/usr/bin:/bin (no swift): $(tail -n 1 "$work/check.txt")"
else cat "$work/check.txt"; result FAIL "drift check without swift"; fi

# 6. Offline setup from committed collections (vendored first from --vendor-from DIR when given).
added_setup=
vendor_collections() { # prints what it did; returns non-zero when the collections could not all be vendored
  local names missing=0 name
  if [ ! -f requirements.yml ]; then # the installer reads requirements.yml at the top; some keep it in a folder
    local found
    found=$(find . -path ./.git -prune -o -path '*/collections/requirements.y*ml' -print | sort | head -n 1)
    [ -n "$found" ] || { echo "the repository has no requirements.yml"; return 1; }
    cp "$found" requirements.yml; echo "  requirements.yml: copied from ${found#./} (the installer reads it at the top)"
  fi
  names=$("$tools/python" -c 'import sys, yaml
doc = yaml.safe_load(open("requirements.yml")) or {}
for entry in (doc.get("collections") or []) if isinstance(doc, dict) else []:
    print(entry["name"] if isinstance(entry, dict) else entry)') || { echo "requirements.yml: cannot read it"; return 1; }
  [ -n "$names" ] || { echo "requirements.yml names no collection"; return 1; }
  local tarballs=()
  for name in $names; do
    if ls "$vendor_from" | grep -q "^${name/./-}-[0-9][^-]*\.tar\.gz$"; then
      tarballs+=("$vendor_from/${name/./-}"-*.tar.gz)
      echo "  $name: tarball $(cd "$vendor_from" && ls "${name/./-}"-*.tar.gz)"
    elif [ -d "$vendor_from/ansible_collections/${name/.//}" ]; then
      echo "  $name: $(grep -o '"version": *"[^"]*"' "$vendor_from/ansible_collections/${name/.//}/MANIFEST.json" | head -n 1 | sed 's/.*"\([^"]*\)"$/\1/') in $vendor_from"
    else
      echo "  $name: NOT in $vendor_from (not carried over: vendor it from elsewhere)"; missing=$((missing + 1))
    fi
  done
  [ $missing -eq 0 ] || { echo "$missing collection(s) not in $vendor_from: nothing vendored"; return 1; }
  if [ ${#tarballs[@]} -gt 0 ]; then
    # Every tarball of DIR: the dependencies of the named collections come along.
    mkdir -p vendor && cp "$vendor_from"/*.tar.gz vendor/
    "$goldenpath" vendor --pin --root . || return 1
  else
    "$goldenpath" vendor --from "$vendor_from" --origin "$vendor_from" --root . || return 1
  fi
  sed -i '\#^/\?vendor/\*\.tar\.gz$#d' .gitignore 2>/dev/null
  grep -q '^collections:' targets/project.yml || printf 'collections: {}\n' >>targets/project.yml
  local install='python3 scripts/install-collections.py --ansible-galaxy $(GP_ANSIBLE_GALAXY)'
  if [ ! -f targets/setup.yml ]; then
    added_setup=" (the repository has no setup target: the copy got targets/setup.yml running the generated installer)"
    printf '%s\n' 'summary: Install the committed collections offline into collections/' \
      'recipe:' "  - $install" \
      'inputs: [requirements.yml, vendor/SHA256SUMS, scripts/install-collections.py]' 'marker: .make/setup.done' \
      'outputs: [collections]' >targets/setup.yml
  elif ! grep -q 'install-collections' targets/setup.yml; then
    added_setup=" (the installer was added as the last line of the setup target's recipe)"
    awk -v line="  - $install" '
      /^recipe:/ { in_recipe = 1; print; next }
      in_recipe && !/^  - / && !/^    / { print line; in_recipe = 0; done = 1 }
      { print }
      END { if (in_recipe && !done) print line }' targets/setup.yml >targets/setup.yml.new && mv targets/setup.yml.new targets/setup.yml
  fi
  "$goldenpath" generate --root . || return 1
  if [ -d .git ]; then
    git add -A . && git -c user.name=bench -c user.email=bench@localhost commit -q -m "Vendor the collections" || return 1
    echo "  committed as $(git rev-parse --short HEAD)"
  else echo "  no .git folder of its own (not a checkout, or a worktree sharing the original's): the vendored files stay uncommitted"; fi
}
if [ -n "$vendor_from" ]; then
  if vendor_collections >"$work/vendor.txt" 2>&1; then
    result ok "vendored from $vendor_from: $(ls vendor/*.tar.gz | wc -l) tarballs"; sed 's/^/     /' "$work/vendor.txt" | grep -E '^ {7}[a-zA-Z]'
  else sed 's/^/     /' "$work/vendor.txt"; result FAIL "vendoring from $vendor_from"; fi
fi
if ! ls vendor/*.tar.gz >/dev/null 2>&1; then
  result SKIP "unshare -n make setup: the repository commits no vendor/*.tar.gz (its collections come from Galaxy; --vendor-from DIR vendors them)"
elif [ ! -f targets/setup.yml ]; then
  result SKIP "unshare -n make setup: the repository has no setup target"
elif unshare -n make setup GP_ANSIBLE_GALAXY="$tools/ansible-galaxy" PATH="$tools:$PATH" "${make_env[@]}" >"$work/setup.txt" 2>&1 \
  && { [ ! -d .git ] || [ -z "$(git status --porcelain --untracked-files=no)" ]; }; then
  result ok "unshare -n make setup: installed the committed collections with no network$added_setup: $(find collections/ansible_collections -mindepth 2 -maxdepth 2 -type d | sed 's#collections/ansible_collections/##; s#/#.#' | sort | paste -sd ' ' -)"
else tail -n 20 "$work/setup.txt"; result FAIL "unshare -n make setup"; fi

echo
echo "--- goldenpath init said:"
cat "$work/init.txt"
echo
echo "$failures failed"
[ $failures -eq 0 ]
