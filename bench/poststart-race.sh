#!/bin/bash
# How often does the workload of a container that poststart kills get to
# run first?  A bundle without no-new-privileges (which the verifier
# refuses) runs a workload that leaves a mark in a bind-mounted host
# directory; oci-harden's poststart hook kills it.  Counted over N runs
# under runc and crun.
#
#   bench/poststart-race.sh BINARY [N]      as root
#
# crun refuses this host's hybrid cgroup layout, so it runs in a private
# mount namespace with /sys/fs/cgroup/unified unmounted.
set -euo pipefail
[ "$(id -u)" = 0 ] || { echo "run as root" >&2; exit 2; }
BIN=$(realpath "$1")
N=${2:-20}
SRC=$(cd "$(dirname "$0")/.." && pwd)
W=$(mktemp -d /var/tmp/oh-race.XXXXXX)
trap 'rm -rf "$W"' EXIT

mkdir -p "$W/rootfs/bin" "$W/rootfs/proc" "$W/rootfs/dev" "$W/rootfs/sys" "$W/rootfs/mark" "$W/mark"
cp /bin/busybox "$W/rootfs/bin/busybox"
for a in sh touch sleep; do ln -s busybox "$W/rootfs/bin/$a"; done
(cd "$W" && runc spec)
jq --arg bin "$BIN" --arg pol "$SRC/policy/default.json" --arg mark "$W/mark" '
	.root.path = "rootfs" | .process.terminal = false | .process.noNewPrivileges = false
	| .process.args = ["sh", "-c", "touch /mark/ran-$$; sleep 1"]
	| .mounts += [{"destination": "/mark", "type": "bind", "source": $mark, "options": ["rbind", "rw"]}]
	| .hooks = {"poststart": [{"path": $bin, "args": ["oci-harden", "hook", "poststart", "--policy", $pol]}]}' \
	"$W/config.json" >"$W/c" && mv "$W/c" "$W/config.json"

count() {   # RUNTIME-COMMAND...
	local ran=0 i
	for i in $(seq "$N"); do
		rm -f "$W/mark/"*
		"$@" run --bundle "$W" "oh-race-$$-$i" >/dev/null 2>&1 </dev/null || true
		"$@" delete -f "oh-race-$$-$i" >/dev/null 2>&1 || true
		ls "$W/mark" | grep -q ran && ran=$((ran + 1))
	done
	echo "$ran"
}

runc_ran=$(count runc)
crun_ran=n/a
if command -v crun >/dev/null; then
	crun_ran=$(unshare -m bash -c "umount /sys/fs/cgroup/unified 2>/dev/null || true; $(declare -f count); W=$W N=$N count crun")
fi
echo "| runtime | runs | workload ran before the kill |"
echo "|---|---:|---:|"
echo "| runc $(runc --version | sed -n 's/^runc version //p') | $N | $runc_ran |"
echo "| crun $(crun --version 2>/dev/null | sed -n 's/^crun version //p') | $N | $crun_ran |"
