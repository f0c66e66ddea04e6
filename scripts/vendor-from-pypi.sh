#!/usr/bin/env bash
# make vendor: download the `ansible` wheel pinned (with its hash) in requirements-vendor.txt, unpack it
# once under .make/vendor-cache, and let `goldenpath vendor --from` pack the collections of requirements.yml.
# Usage: scripts/vendor-from-pypi.sh PYTHON GOLDENPATH
set -euo pipefail
python=$1
goldenpath=$2
cache=.make/vendor-cache
pin=$(grep -Eo '^ansible==[^ ]+' requirements-vendor.txt) || {
    echo "requirements-vendor.txt: error: no 'ansible==VERSION' line" >&2
    echo "    fix: pin the release to pack from, e.g. ansible==12.3.0 --hash=sha256:..." >&2
    exit 1
}
version=${pin#ansible==}
mkdir -p "$cache"
"$python" -m pip download --quiet --disable-pip-version-check --no-deps --require-hashes \
    --dest "$cache" --requirement requirements-vendor.txt
tree=$cache/ansible-$version
if [ ! -d "$tree/ansible_collections" ]; then
    rm -rf "$tree.partial"
    "$python" -m zipfile -e "$cache/ansible-$version-py3-none-any.whl" "$tree.partial"
    mv "$tree.partial" "$tree"
fi
"$goldenpath" vendor --from "$tree" --origin "PyPI $pin"
