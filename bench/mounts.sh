#!/bin/bash
# The cost of judging mount sources where they exist: podman's default
# config (tests/fixtures/podman/default.json) with its paths made real, as
# podman makes them: root.path an overlay mount point (lowerdir a busybox
# tree), userdata on a tmpfs (/run's), /dev/shm's source a tmpfs of its
# own; and the same config with one more bind below a bind mount of a
# directory (a volume the local driver bound).  System calls (strace -f
# -c) and instructions (callgrind, whole process) of `hook precreate`, for
# each binary given, and with statmount answering ENOSYS when the enosys
# tool is given (OH_ENOSYS, built as build/tests/enosys).
#
#   bench/mounts.sh BINARY [BINARY...]     as root; a few seconds
#
# Everything is mounted in a mount namespace of the script's own, under a
# temporary directory that is removed at the end.
set -euo pipefail

[ $# -ge 1 ] || { sed -n '2,15p' "$0" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "bench/mounts.sh: run as root (mounts)" >&2; exit 2; }
command -v strace >/dev/null && command -v valgrind >/dev/null ||
	{ echo "bench/mounts.sh: needs strace and valgrind" >&2; exit 2; }
SRC=$(cd "$(dirname "$0")/.." && pwd)
BINS=()
for b in "$@"; do BINS+=("$(realpath "$b")"); done
W=$(mktemp -d /var/tmp/oh-mounts-bench.XXXXXX)
trap '[ -n "${OH_BENCH_KEEP:-}" ] || rm -rf "$W"' EXIT
export SRC W ENOSYS=${OH_ENOSYS:-}

unshare -m --propagation private bash -euo pipefail -c '
	mkdir -p "$W"/{lower/bin,up,work,merged,run,shm,vol,plain/data}
	cp /bin/busybox "$W/lower/bin/"
	mount -t overlay overlay -o "lowerdir=$W/lower,upperdir=$W/up,workdir=$W/work" "$W/merged"
	mount -t tmpfs tmpfs "$W/run"
	mount -t tmpfs shm "$W/shm"
	mount --bind "$W/plain" "$W/vol"
	id=c66b7b6b1b112f1f36bca07630194f8ef589b7688eafb14c33321ffb9068ccd0
	u=$W/run/overlay-containers/$id/userdata
	mkdir -p "$u"
	touch "$u"/{resolv.conf,hosts,.containerenv,hostname}
	jq --arg root "$W/merged" --arg run "$W/run/" --arg shm "$W/shm" "
		.root.path = \$root |
		(.mounts[] | select(.type == \"bind\") | .source) |=
			(sub(\"^/run/containers/storage/\"; \$run) |
			 if test(\"/userdata/shm$\") then \$shm else . end)" \
		"$SRC/tests/fixtures/podman/default.json" >"$W/live.json"
	jq --arg v "$W/vol/data" ".mounts += [{destination: \"/data\", type: \"bind\", source: \$v, options: [\"rbind\"]}]" \
		"$W/live.json" >"$W/volume.json"
	cfgs=("$SRC/tests/fixtures/podman/default.json" "$W/live.json" "$W/volume.json")
	names=("fixture (paths absent)" "live (overlay rootfs, tmpfs userdata and shm)" "live + a bind below a bind mount")
	echo "| binary | config | statmount | system calls | instructions |"
	echo "|---|---|---|---:|---:|"
	for b in '"${BINS[*]@Q}"'; do
		for i in 0 1 2; do
			for mode in yes no; do
				pre=()
				if [ $mode = no ]; then
					[ -n "$ENOSYS" ] || continue
					pre=("$ENOSYS" 457 env)
				fi
				"${pre[@]}" "$b" hook precreate --policy "$SRC/policy/default.json" <"${cfgs[$i]}" >/dev/null ||
					echo "($b refused ${cfgs[$i]})" >&2
				n=$("${pre[@]}" strace -f -c -o "$W/sc" "$b" hook precreate --policy "$SRC/policy/default.json" \
					<"${cfgs[$i]}" >/dev/null 2>&1; awk "/total/ {print \$4}" "$W/sc")
				ins=$("${pre[@]}" valgrind --tool=callgrind --callgrind-out-file=/dev/null "$b" hook precreate \
					--policy "$SRC/policy/default.json" <"${cfgs[$i]}" 2>&1 >/dev/null |
					awk "/Collected/ {print \$4}")
				echo "| $b | ${names[$i]} | $mode | $n | $ins |"
			done
		done
	done
'
