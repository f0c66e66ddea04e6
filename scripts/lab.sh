#!/usr/bin/env bash
# The reference lab: one small Debian host per entry of inventory/lab.yml, each in its own network, mount,
# PID, UTS and IPC namespaces, with its own root file system (an overlay on a cached debootstrap base), tini
# as PID 1 and sshd. The hosts sit on a private bridge (10.213.0.0/24 by default) that only this machine
# and the hosts use; their package mirror is an apt-cacher-ng started on the bridge address, so the hosts
# need no route out and the machine's forwarding and NAT are never touched.
#
#   scripts/lab.sh up                 bring every host up (builds the base first when it is not cached)
#   scripts/lab.sh down               stop every host and remove every namespace, mount, link and process
#   scripts/lab.sh status             one line per host; exit 1 when the lab is not fully up
#   scripts/lab.sh restart HOST       kill HOST at once (a power cut) and boot it again from its disk
#   scripts/lab.sh stop HOST          kill HOST (it stays down until `restart` or `down`)
#   scripts/lab.sh exec HOST CMD...   run CMD as root inside HOST (fault injection, inspection)
#   scripts/lab.sh base               build the cached base tarball only
#
# Needs root (namespaces, mounts, a bridge), debootstrap, apt-cacher-ng and zstd; .ci/run installs them.
# Settings (environment): LAB_DIR (state, default .lab), LAB_CACHE (the base tarball and the package cache,
# default $LAB_DIR/cache; share it between clones to skip the base build), LAB_INVENTORY (default
# inventory/lab.yml), LAB_VENV (the venv whose ansible-inventory reads it, default .venv), LAB_MIRROR (the
# Debian mirror the cache fetches from; default: the host of the first `.../debian` source this machine's apt uses).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

LAB_DIR=${LAB_DIR:-.lab}
LAB_CACHE=${LAB_CACHE:-$LAB_DIR/cache}
LAB_INVENTORY=${LAB_INVENTORY:-inventory/lab.yml}
LAB_VENV=${LAB_VENV:-.venv}
# The Debian mirror this machine's own apt uses (sources.list or deb822 .sources), host only.
# Prints nothing when there is none (grep exits 2 on a missing file, which must not stop the script).
machine_mirror() {
  local file uri
  for file in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
    [ -r "$file" ] || continue
    uri=$(grep -vE '^[[:space:]]*#' "$file" | grep -oE 'https?://[^/[:space:]]+/debian([[:space:]]|$)' | head -n 1) || true
    if [ -n "$uri" ]; then
      uri=${uri#*://}
      printf '%s\n' "${uri%%/*}"
      return
    fi
  done
}
LAB_MIRROR=${LAB_MIRROR:-$(machine_mirror)}
LAB_SUITE=bookworm
LAB_BRIDGE=gplab0
LAB_GATEWAY=10.213.0.1
LAB_PREFIX=24
LAB_CACHE_PORT=3149
# The packages every host starts with: what Ansible needs over SSH and nothing of the stack itself.
LAB_BASE_PACKAGES=openssh-server,python3,python3-apt,iproute2,tini,procps,sudo
LAB_USER=goldenpath

mkdir -p "$LAB_DIR"
LAB_DIR=$(cd "$LAB_DIR" && pwd)
mkdir -p "$LAB_CACHE"
LAB_CACHE=$(cd "$LAB_CACHE" && pwd)
BASE_TARBALL="$LAB_CACHE/base-$LAB_SUITE-$(dpkg --print-architecture)-v1.tar.zst"
BASE_DIR="$LAB_DIR/base"
HOSTS_DIR="$LAB_DIR/hosts"
KEY="$LAB_DIR/ssh/id_ed25519"

# Runs "$@" in the background with no descriptor but 0-2: a lock the caller holds (flock) must not stay
# held by the lab's long-lived processes.
detach() {
  (
    for fd in /proc/$BASHPID/fd/*; do
      fd=${fd##*/}
      if [ "$fd" -gt 2 ] 2>/dev/null; then eval "exec $fd>&-"; fi
    done
    exec "$@"
  ) &
}

say() { printf 'lab: %s\n' "$*"; }
die() { printf 'lab: error: %s\n' "$*" >&2; exit 1; }

require_root() {
  [ "$(id -u)" -eq 0 ] || die "needs root (network namespaces, mounts, a bridge): run it as root or allow sudo without a password"
  local tool
  for tool in debootstrap apt-cacher-ng zstd ip unshare nsenter ssh-keygen; do
    command -v "$tool" >/dev/null || PATH="$PATH:/usr/sbin:/sbin" command -v "$tool" >/dev/null ||
      die "$tool is missing: apt-get install debootstrap apt-cacher-ng zstd iproute2 util-linux openssh-client"
  done
  PATH="$PATH:/usr/sbin:/sbin"
}

# The lab's hosts from the inventory, one "NAME ADDRESS SSHD" line each (SSHD is yes or no: lab_sshd); only
# hosts with goldenpath_lab set belong to the lab, and an inventory with none of them is not a lab.
hosts() {
  [ -x "$LAB_VENV/bin/ansible-inventory" ] || die "$LAB_VENV/bin/ansible-inventory is missing: run make setup first"
  "$LAB_VENV/bin/ansible-inventory" -i "$LAB_INVENTORY" --list 2>/dev/null | python3 -c '
import ipaddress, json, sys
inventory, net = json.load(sys.stdin), ipaddress.ip_network(sys.argv[1], strict=False)
for name, variables in sorted(inventory.get("_meta", {}).get("hostvars", {}).items()):
    if variables.get("goldenpath_lab") not in (True, "true", "yes", "True"):
        continue
    address = variables.get("ansible_host", "")
    try:
        inside = ipaddress.ip_address(address) in net
    except ValueError:
        inside = False
    if not inside:
        sys.exit(f"{sys.argv[2]}: host {name} has ansible_host {address!r}, outside the lab network {net}")
    print(name, address, "no" if variables.get("lab_sshd") in (False, "false", "no") else "yes")
' "$LAB_GATEWAY/$LAB_PREFIX" "$LAB_INVENTORY"
}

host_field() {  # host_field NAME FIELD(2=address,3=sshd)
  hosts | awk -v name="$1" -v field="$2" '$1 == name { print $field; found = 1 } END { exit !found }' ||
    die "no host named '$1' in $LAB_INVENTORY"
}

netns_of() { printf 'gplab-%s' "$1"; }
veth_of() { printf 'gplv%s' "${1##*.}"; }
pid_of() { cat "$HOSTS_DIR/$1/pid" 2>/dev/null || true; }
alive() { local pid; pid=$(pid_of "$1"); [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; }
# The PID (on this machine) of the host's PID 1, for nsenter.
init_pid_of() { local pid; pid=$(pid_of "$1"); [ -n "$pid" ] && pgrep -P "$pid" | head -n 1; }

# ---- the package cache on the bridge ----------------------------------------------------------------

bridge_up() {
  if ! ip link show "$LAB_BRIDGE" >/dev/null 2>&1; then
    ip link add "$LAB_BRIDGE" type bridge
    ip addr add "$LAB_GATEWAY/$LAB_PREFIX" dev "$LAB_BRIDGE"
  fi
  ip link set "$LAB_BRIDGE" up
}

cache_up() {
  local pidfile="$LAB_DIR/apt-cacher-ng.pid"
  if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then return; fi
  mkdir -p "$LAB_CACHE/apt-cacher-ng" "$LAB_DIR/apt-cacher-ng-log"
  chmod 0755 "$LAB_CACHE/apt-cacher-ng"
  # Its own configuration: no remapping to Debian's mirror list (the hosts name the mirror this machine
  # reaches), the lab's address, port and folders; it runs as root and dies with the lab.
  mkdir -p "$LAB_DIR/apt-cacher-ng-conf"
  cat >"$LAB_DIR/apt-cacher-ng-conf/acng.conf" <<EOF
CacheDir: $LAB_CACHE/apt-cacher-ng
LogDir: $LAB_DIR/apt-cacher-ng-log
SupportDir: /usr/lib/apt-cacher-ng
BindAddress: $LAB_GATEWAY
Port: $LAB_CACHE_PORT
SocketPath: $LAB_DIR/apt-cacher-ng.socket
PidFile: $LAB_DIR/apt-cacher-ng.daemon-pid
ForeGround: 1
ExThreshold: 365
EOF
  detach apt-cacher-ng -c "$LAB_DIR/apt-cacher-ng-conf" >"$LAB_DIR/apt-cacher-ng.out" 2>&1
  echo $! >"$pidfile"
  local _
  for _ in $(seq 100); do
    if (exec 3<>"/dev/tcp/$LAB_GATEWAY/$LAB_CACHE_PORT") 2>/dev/null; then return; fi
    kill -0 "$(cat "$pidfile")" 2>/dev/null || break
    sleep 0.1
  done
  die "apt-cacher-ng did not start on $LAB_GATEWAY:$LAB_CACHE_PORT: $(tail -n 5 "$LAB_DIR/apt-cacher-ng.out")"
}

mirror_url() { printf 'http://%s:%s/%s/%s' "$LAB_GATEWAY" "$LAB_CACHE_PORT" "$LAB_MIRROR" "$1"; }

# ---- the base ---------------------------------------------------------------------------------------

build_base() {
  [ -f "$BASE_TARBALL" ] && return
  [ -n "$LAB_MIRROR" ] || die "no Debian source found in /etc/apt/sources.list*: set LAB_MIRROR to the Debian mirror's host name"
  bridge_up
  cache_up
  say "building the base ($LAB_SUITE minbase + $LAB_BASE_PACKAGES) into $BASE_TARBALL"
  local work
  rm -rf "$LAB_DIR"/base-build.*
  work=$(mktemp -d "$LAB_DIR/base-build.XXXXXX")
  if ! debootstrap --variant=minbase --include="$LAB_BASE_PACKAGES" "$LAB_SUITE" "$work/root" \
      "$(mirror_url debian)" >"$work/debootstrap.log" 2>&1; then
    tail -n 20 "$work/debootstrap.log" >&2
    die "debootstrap failed (log above); is $LAB_MIRROR reachable from this machine?"
  fi
  local root="$work/root"
  cat >"$root/etc/apt/sources.list" <<EOF
deb $(mirror_url debian) $LAB_SUITE main
deb $(mirror_url debian) $LAB_SUITE-updates main
deb $(mirror_url debian-security) $LAB_SUITE-security main
EOF
  # The mirror behind the cache may be a dated snapshot: accept Release files past their Valid-Until.
  printf 'Acquire::Check-Valid-Until "false";\nAcquire::Check-Date "false";\n' >"$root/etc/apt/apt.conf.d/99goldenpath-lab"
  # A pristine host: no package index (the deploy must refresh it), no host keys (made at first boot).
  rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb
  rm -f "$root"/etc/ssh/ssh_host_*
  chroot "$root" useradd --create-home --shell /bin/bash "$LAB_USER"
  printf '%s ALL=(ALL) NOPASSWD: ALL\n' "$LAB_USER" >"$root/etc/sudoers.d/goldenpath-lab"
  chmod 0440 "$root/etc/sudoers.d/goldenpath-lab"
  cat >"$root/etc/ssh/sshd_config.d/goldenpath-lab.conf" <<'EOF'
# The lab's key, written by scripts/lab.sh before each boot.
AuthorizedKeysFile .ssh/authorized_keys /etc/goldenpath-lab/authorized_keys
PasswordAuthentication no
PermitRootLogin no
UseDNS no
EOF
  cat >"$root/sbin/goldenpath-lab-boot" <<'EOF'
#!/bin/sh
# Run by tini (PID 1) at every boot of a lab host: start what the runlevel enables, as sysv-rc would
# (sshd, and whatever a deploy enabled since), then stay up until the host is killed.
ssh-keygen -A >/dev/null
for script in /etc/rc2.d/S*; do
  [ -x "$script" ] && "$script" start >/dev/null 2>&1 < /dev/null
done
echo booted > /run/goldenpath-lab-booted
exec sleep infinity
EOF
  chmod 0755 "$root/sbin/goldenpath-lab-boot"
  [ -e "$root/etc/rc2.d/S01ssh" ] || ls "$root"/etc/rc2.d/S*ssh >/dev/null 2>&1 ||
    die "the base has no /etc/rc2.d link for ssh; sshd would not start at boot"
  mkdir -p "$(dirname "$BASE_TARBALL")"
  tar --numeric-owner --xattrs -C "$root" -cf - . | zstd -q -T0 -3 -o "$work/base.tar.zst"
  mv "$work/base.tar.zst" "$BASE_TARBALL"
  rm -rf "$work"
  say "base cached: $BASE_TARBALL ($(du -h "$BASE_TARBALL" | cut -f1))"
}

unpack_base() {
  if [ -f "$BASE_DIR/.unpacked-from" ] && [ "$(cat "$BASE_DIR/.unpacked-from")" = "$(stat -c '%n %s %Y' "$BASE_TARBALL")" ]; then
    return
  fi
  rm -rf "$BASE_DIR" "$BASE_DIR.new"
  mkdir -p "$BASE_DIR.new"
  zstd -q -dc "$BASE_TARBALL" | tar --numeric-owner --xattrs -C "$BASE_DIR.new" -xf -
  stat -c '%n %s %Y' "$BASE_TARBALL" >"$BASE_DIR.new/.unpacked-from"
  mv "$BASE_DIR.new" "$BASE_DIR"
}

# ---- hosts ------------------------------------------------------------------------------------------

lab_key() {
  if [ ! -f "$KEY" ]; then
    mkdir -p "$(dirname "$KEY")"
    ssh-keygen -q -t ed25519 -N '' -C goldenpath-lab -f "$KEY"
  fi
  # Run through sudo: the key belongs to the user who runs Ansible.
  if [ -n "${SUDO_UID:-}" ]; then chown -R "$SUDO_UID:${SUDO_GID:-$SUDO_UID}" "$(dirname "$KEY")"; fi
}

etc_hosts() {
  printf '127.0.0.1 localhost\n%s lab-gateway\n' "$LAB_GATEWAY"
  hosts | awk '{ print $2, $1 }'
}

# boot NAME ADDRESS SSHD: network, disk and PID 1 of one host (its disk survives a reboot).
boot() {
  local name=$1 address=$2 sshd=$3 ns veth dir
  ns=$(netns_of "$name"); veth=$(veth_of "$address"); dir="$HOSTS_DIR/$name"
  alive "$name" && return
  mkdir -p "$dir/upper/etc/goldenpath-lab" "$dir/work" "$dir/root"
  cp "$KEY.pub" "$dir/upper/etc/goldenpath-lab/authorized_keys"
  chmod 0644 "$dir/upper/etc/goldenpath-lab/authorized_keys"
  printf '%s\n' "$name" >"$dir/upper/etc/hostname"
  etc_hosts >"$dir/upper/etc/hosts"

  ip netns list | grep -qx "$ns\( .*\)\?" || ip netns add "$ns"
  if ! ip -n "$ns" link show eth0 >/dev/null 2>&1; then
    ip link del "$veth" 2>/dev/null || true
    ip link add "$veth" type veth peer name "$veth-in"
    ip link set "$veth" master "$LAB_BRIDGE" up
    ip link set "$veth-in" netns "$ns"
    ip -n "$ns" link set "$veth-in" name eth0
    ip -n "$ns" addr add "$address/$LAB_PREFIX" dev eth0
    ip -n "$ns" link set eth0 up
    ip -n "$ns" link set lo up
  fi
  # The mounts live in the host's own mount namespace: they vanish with its last process.
  detach setsid ip netns exec "$ns" unshare --mount --pid --uts --ipc --fork --kill-child --propagation private \
    sh -c 'set -e
      root=$1
      mount -t overlay overlay -o "lowerdir=$2,upperdir=$3,workdir=$4" "$root"
      mount --rbind /dev "$root/dev"
      mount -t proc proc "$root/proc"
      mount -t sysfs sysfs "$root/sys"
      mount -t tmpfs -o mode=0755 tmpfs "$root/run"
      hostname "$5"
      exec chroot "$root" /usr/bin/tini -s -- /sbin/goldenpath-lab-boot' \
    sh "$dir/root" "$BASE_DIR" "$dir/upper" "$dir/work" "$name" \
    </dev/null >"$dir/console.log" 2>&1
  echo $! >"$dir/pid"
  printf '%s %s %s\n' "$name" "$address" "$sshd" >"$dir/host"
}

# wait_booted NAME SSHD: until its boot script ran (and sshd answers, when it should run).
wait_booted() {
  local name=$1 sshd=$2 address _
  address=$(cut -d' ' -f2 "$HOSTS_DIR/$name/host")
  for _ in $(seq 300); do
    alive "$name" || die "$name died while booting: $(tail -n 5 "$HOSTS_DIR/$name/console.log")"
    # PID 1 may not be forked yet: ask in_host (which dies on a host that is not running) only once it is.
    if [ -n "$(init_pid_of "$name")" ] && in_host "$name" test -e /run/goldenpath-lab-booted 2>/dev/null; then
      [ "$sshd" = no ] && return
      if (exec 3<>"/dev/tcp/$address/22") 2>/dev/null; then return; fi
    fi
    sleep 0.1
  done
  die "$name did not boot within 30 s: $(tail -n 5 "$HOSTS_DIR/$name/console.log")"
}

in_host() {
  local name=$1 init; shift
  init=$(init_pid_of "$name") || true
  [ -n "$init" ] || die "$name is not running"
  nsenter --target "$init" --mount --uts --ipc --net --pid --root --wd=/ "$@"
}

kill_host() {
  local name=$1 pid
  pid=$(pid_of "$name")
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    # unshare ignores SIGTERM; SIGKILL ends it, and --kill-child takes the host's PID 1 (and so the whole
    # PID namespace) with it.
    kill -KILL "$pid" 2>/dev/null || true
    local _
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
  fi
  rm -f "$HOSTS_DIR/$name/pid"
}

up() {
  local started=$SECONDS list
  list=$(hosts)
  if [ -z "$list" ]; then
    say "$LAB_INVENTORY has no lab hosts (goldenpath_lab): nothing to start"
    return
  fi
  require_root
  bridge_up
  cache_up
  build_base
  unpack_base
  lab_key
  mkdir -p "$HOSTS_DIR"
  local name address sshd booted=""
  while read -r name address sshd; do
    alive "$name" && continue
    boot "$name" "$address" "$sshd"
    booted="$booted $name:$sshd"
  done <<<"$list"
  local entry
  for entry in $booted; do
    name=${entry%:*}; sshd=${entry##*:}
    wait_booted "$name" yes
    if [ "$sshd" = no ]; then in_host "$name" /etc/init.d/ssh stop >/dev/null; fi
  done
  say "up in $((SECONDS - started)) s: $(awk '{ printf "%s%s (%s%s)", sep, $1, $2, $3 == "no" ? ", sshd stopped" : ""; sep = ", " }' <<<"$list")"
  say "ssh -i $KEY $LAB_USER@ADDRESS; inventory $LAB_INVENTORY"
}

down() {
  require_root
  local dir name
  for dir in "$HOSTS_DIR"/*/; do
    [ -d "$dir" ] || continue
    name=$(basename "$dir")
    kill_host "$name"
  done
  local ns
  for ns in $(ip netns list | awk '$1 ~ /^gplab-/ { print $1 }'); do ip netns del "$ns"; done
  local link
  for link in $(ip -o link show | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }' | grep '^gplv' || true); do
    ip link del "$link" 2>/dev/null || true
  done
  if [ -f "$LAB_DIR/apt-cacher-ng.pid" ]; then
    kill -KILL "$(cat "$LAB_DIR/apt-cacher-ng.pid")" 2>/dev/null || true
    rm -f "$LAB_DIR/apt-cacher-ng.pid" "$LAB_DIR/apt-cacher-ng.socket"
  fi
  ip link del "$LAB_BRIDGE" 2>/dev/null || true
  # The hosts' disks go too: the next `up` starts from the pristine base.
  rm -rf "$HOSTS_DIR"
  local left
  left=$(leftovers)
  [ -z "$left" ] || die "left behind: $left"
  say "down: no lab namespace, link, mount or process left"
}

# What the lab made that still exists (empty when the lab is fully down).
leftovers() {
  {
    ip netns list | awk '$1 ~ /^gplab-/ { print "netns " $1 }'
    ip -o link show | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }' | grep -E "^($LAB_BRIDGE|gplv)" | sed 's/^/link /' || true
    grep -F " $LAB_DIR/" /proc/self/mountinfo | awk '{ print "mount " $5 }' || true
    pgrep -f "apt-cacher-ng -c $LAB_DIR/apt-cacher-ng-conf" | sed 's/^/process apt-cacher-ng /' || true
    pgrep -f "/sbin/goldenpath-lab-boot" | sed 's/^/process lab host /' || true
  } | paste -sd ',' | sed 's/,/, /g'
}

status() {
  local list name address sshd ok=0
  list=$(hosts)
  while read -r name address sshd; do
    if alive "$name"; then
      printf '%-16s %-14s up%s\n' "$name" "$address" "$([ "$sshd" = no ] && echo ', sshd stopped' || true)"
    else
      printf '%-16s %-14s down\n' "$name" "$address"; ok=1
    fi
  done <<<"$list"
  return $ok
}

command=${1:-}
shift || true
# Everything but reading the inventory needs root: go through sudo when it allows this script without a password.
if [ "$(id -u)" -ne 0 ] && [ -n "$command" ] && command -v sudo >/dev/null && sudo -n -l "$0" >/dev/null 2>&1; then
  exec sudo -n --preserve-env=LAB_DIR,LAB_CACHE,LAB_INVENTORY,LAB_VENV,LAB_MIRROR "$0" "$command" "$@"
fi
case "$command" in
  up) up ;;
  down) down ;;
  status) status ;;
  leftovers) leftovers ;;
  base) require_root; build_base ;;
  stop)
    require_root; [ $# -eq 1 ] || die "usage: scripts/lab.sh stop HOST"
    host_field "$1" 2 >/dev/null; kill_host "$1"; say "$1 stopped" ;;
  restart)
    require_root; [ $# -eq 1 ] || die "usage: scripts/lab.sh restart HOST"
    address=$(host_field "$1" 2); sshd=$(host_field "$1" 3)
    kill_host "$1"
    boot "$1" "$address" "$sshd"
    wait_booted "$1" "$sshd"
    if [ "$sshd" = no ]; then in_host "$1" /etc/init.d/ssh stop >/dev/null; fi
    say "$1 restarted" ;;
  exec)
    require_root; [ $# -ge 2 ] || die "usage: scripts/lab.sh exec HOST COMMAND..."
    name=$1; shift; in_host "$name" "$@" ;;
  *) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2 ;;
esac
