#!/bin/bash
# The cost of the mount look-ups as the mounts grow: N bind mounts of
# directories of one tmpfs (as a volume plugin or kubelet's subPaths make
# them), and a config with a bind of each: every source is below a bind
# of a directory, whose other mounts are looked up.  Wall time and peak
# memory of `check`, for each binary given, with statmount and (when
# OH_ENOSYS names the enosys tool) without.
#
#   bench/many_binds.sh N BINARY [BINARY...]     as root
#
# Everything is mounted in a mount namespace of the script's own, under a
# temporary directory that is removed at the end.
set -euo pipefail

[ $# -ge 2 ] || { sed -n '2,12p' "$0" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "bench/many_binds.sh: run as root (mounts)" >&2; exit 2; }
N=$1
shift
BINS=()
for b in "$@"; do BINS+=("$(realpath "$b")"); done
W=$(mktemp -d /var/tmp/oh-many-binds.XXXXXX)
trap 'rm -rf "$W"' EXIT
export N W ENOSYS=${OH_ENOSYS:-}

unshare -m --propagation private bash -euo pipefail -c '
	mkdir -p "$W/t" "$W/m"
	mount -t tmpfs tmpfs "$W/t"
	for i in $(seq "$N"); do
		mkdir -p "$W/t/d$i" "$W/m/$i"
		mount --bind "$W/t/d$i" "$W/m/$i"
	done
	echo "$(wc -l </proc/self/mountinfo) mounts on the host"
	jq -n --arg w "$W" --argjson n "$N" "{ociVersion: \"1.0.2\", root: {path: \"/\"},
		process: {args: [\"sh\"], cwd: \"/\", user: {uid: 0, gid: 0}},
		mounts: [range(1; \$n + 1) | {destination: \"/v\(.)\", type: \"bind\",
			 source: \"\(\$w)/m/\(.)\", options: [\"rbind\"]}]}" >"$W/config.json"
	for b in '"${BINS[*]@Q}"'; do
		/usr/bin/time -f "$b, statmount: %e s, %M KB" "$b" check --no-rootfs-scan "$W/config.json" >/dev/null 2>"$W/err" || true
		tail -1 "$W/err"
		if [ -n "$ENOSYS" ]; then
			/usr/bin/time -f "$b, mountinfo: %e s, %M KB" "$ENOSYS" 457 "$b" check --no-rootfs-scan "$W/config.json" >/dev/null 2>"$W/err" || true
			tail -1 "$W/err"
		fi
	done
'
