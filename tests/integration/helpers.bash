# Shared set-up for the integration tests: real runc (and podman) containers
# from generated bundles whose rootfs is busybox-static.

load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'

OCI_HARDEN=${OCI_HARDEN:?set OCI_HARDEN to the oci-harden binary}
OH_SOURCE_DIR=${OH_SOURCE_DIR:?set OH_SOURCE_DIR to the source tree}
FIXTURES=$OH_SOURCE_DIR/tests/fixtures

# A busybox rootfs, built once per test file.
rootfs() {
	local dir=$BATS_FILE_TMPDIR/rootfs
	if [ ! -x "$dir/bin/busybox" ]; then
		mkdir -p "$dir"/{bin,proc,sys,dev,tmp,etc,root}
		cp /bin/busybox "$dir/bin/busybox"
		local a
		for a in $(/bin/busybox --list); do
			[ "$a" = busybox ] || ln -sf busybox "$dir/bin/$a"
		done
		echo 'root:x:0:0:root:/root:/bin/sh' >"$dir/etc/passwd"
		echo 'root:x:0:' >"$dir/etc/group"
	fi
	echo "$dir"
}

# A shell command printing the kernel's view of the process: NoNewPrivs,
# Seccomp and the capability sets.
STATUS='grep -E "^(NoNewPrivs|Seccomp|Cap(Bnd|Eff|Prm|Amb)):" /proc/self/status'

# make_bundle DIR [JQ-FILTER] [ARGS...]: a `runc spec` bundle running ARGS
# (default: print the kernel's view of the process) over the busybox rootfs.
make_bundle() {
	local dir=$1 filter=${2:-.}
	shift 2 || shift $#
	local args
	if [ $# -gt 0 ]; then
		args=$(printf '%s\n' "$@" | jq -R . | jq -sc .)
	else
		args=$(jq -nc --arg cmd "$STATUS" '["sh", "-c", $cmd]')
	fi
	mkdir -p "$dir"
	(cd "$dir" && runc spec)
	jq --arg root "$(rootfs)" --argjson args "$args" \
		'.root.path = $root | .root.readonly = true | .process.terminal = false | .process.args = $args' \
		"$dir/config.json" | jq "$filter" >"$dir/config.json.new"
	mv "$dir/config.json.new" "$dir/config.json"
}

# run_bundle DIR: runs the bundle with runc; output and status in $output/$status.
run_bundle() {
	local id="oh-test-$$-$RANDOM"
	run runc run --bundle "$1" "$id"
	runc delete -f "$id" >/dev/null 2>&1 || true
}

# The value of a /proc/self/status field in $output.
field() {
	printf '%s\n' "$output" | awk -v k="$1:" '$1 == k { print $2 }'
}

# Capability mask with only the given capability numbers set, as /proc shows it.
capmask() {
	local m=0 c
	for c in "$@"; do m=$((m | (1 << c))); done
	printf '%016x\n' "$m"
}

# podman as it works on this kind of host: cgroupfs, runc, explicit ulimits,
# a rootfs directory instead of an image.
PODMAN=(podman --cgroup-manager cgroupfs --runtime runc)
PODMAN_RUN=(run --rm --ulimit nofile=1024:1024 --ulimit nproc=1024:1024)

# install_prefix: installs the build into a temporary prefix once per file
# and prints it; the hooks.d files there point at that prefix's binary.
# standin_runtime: a real runtime that runs nothing, for tests of the
# wrapper's judgement alone, named runc (the wrapper takes the dialect
# from the runtime's file name when its --version agrees).
standin_runtime() {
	local p=$BATS_FILE_TMPDIR/standin/runc
	[ -x "$p" ] || standin_script "$p" runc
	echo "$p"
}

# standin_script PATH runc|crun: a runtime that runs nothing and says
# "NAME version" (as runc and crun do) when asked --version.
standin_script() {
	mkdir -p "${1%/*}"
	printf '#!/bin/sh\n[ "$1" != --version ] || echo "%s version 0 (a stand-in)"\nexit 0\n' "$2" >"$1"
	chmod +x "$1"
}

install_prefix() {
	local p=$BATS_FILE_TMPDIR/prefix
	if [ ! -x "$p/bin/oci-harden" ]; then
		cmake --install "${OH_BUILD_DIR:?}" --prefix "$p" >/dev/null
	fi
	echo "$p"
}

# A copy of the busybox rootfs for podman, which writes into it.
podman_rootfs() {
	local dir=$BATS_FILE_TMPDIR/podman-rootfs
	[ -d "$dir" ] || cp -a "$(rootfs)" "$dir"
	echo "$dir"
}
