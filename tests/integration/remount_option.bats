#!/usr/bin/env bats
# A mount entry with the "remount" option does not mount anything: runc
# 1.1 passes MS_REMOUNT to mount(2), which changes the mount (and, without
# "bind", the file system) already at the destination.  The mount rules
# judge such an entry by its type and source, so an entry that looks like
# a harmless tmpfs or a bind of an empty directory makes the container's
# read-only sysfs, or a read-only (rro) bind of the host's /sys, writable.
# sensitive-mounts now refuses the option on any mount.

load helpers
load refusals
bats_require_minimum_version 1.5.0

setup() {
	[ "$(id -u)" = 0 ] || skip "needs root for runc"
	B=$BATS_TEST_TMPDIR/bundle
	PREFIX=$(install_prefix)
	RT=$PREFIX/bin/oci-harden-runtime
	export OCI_HARDEN_POLICY=$PREFIX/etc/oci-harden/policy.json
	ID="oh-remount-$BATS_TEST_NUMBER-$$"
	EMPTY=$BATS_TEST_TMPDIR/empty
	mkdir -p "$EMPTY"
	KNOB=/sys/kernel/mm/transparent_hugepage/khugepaged/pages_to_scan
}

teardown() {
	runc delete -f "$ID" >/dev/null 2>&1 || true
	[ -z "${KNOB_WAS:-}" ] || echo "$KNOB_WAS" >"$KNOB"
	[ -z "${LOOPDEV:-}" ] || losetup -d "$LOOPDEV" 2>/dev/null || true
}

run_rt() {
	run --separate-stderr "$RT" run --bundle "$B" "$ID"
	runc delete -f "$ID" >/dev/null 2>&1 || true
}

@test "a tmpfs entry with remount at /sys makes the container's sysfs writable and it changes a host-wide kernel setting; check, both hooks and the wrapper refuse it" {
	[ -w "$KNOB" ] || skip "no $KNOB here"
	KNOB_WAS=$(cat "$KNOB")
	local new=$((KNOB_WAS + 1))
	make_bundle "$B" . sh -c "grep NoNewPrivs /proc/self/status; echo $new >$KNOB && echo WROTE"
	harden_then "$B" '.mounts += [{destination: "/sys", type: "tmpfs", source: "tmpfs", options: ["remount"]}]'
	# Shown under runc: hardened, and the host's setting changed.
	run runc run --bundle "$B" "$ID"
	runc delete -f "$ID" >/dev/null 2>&1 || true
	assert_output --partial "NoNewPrivs:	1"
	assert_output --partial "WROTE"
	[ "$(cat "$KNOB")" = "$new" ]
	echo "$KNOB_WAS" >"$KNOB"

	refused_by_every_front_end "$B" sensitive-mounts
	[[ "$CHECKED" == *"the mount at /sys has the option remount: runc and crun pass MS_REMOUNT"* ]]
	run_rt
	assert_failure
	[ "$(cat "$KNOB")" = "$KNOB_WAS" ]
}

@test "a bind entry with remount,rw under an rro bind of the host's /sys makes its devices hierarchy writable: the container leaves its device cgroup and reads a host disk; check, both hooks and the wrapper refuse it" {
	[ -w /sys/fs/cgroup/devices/cgroup.procs ] || skip "no cgroup v1 devices hierarchy under /sys/fs/cgroup here"
	command -v losetup >/dev/null || skip "no losetup"
	local img=$BATS_TEST_TMPDIR/disk.img root=$BATS_TEST_TMPDIR/rootfs-with-node
	truncate -s 1M "$img"
	printf 'oh-disk-marker\n' | dd of="$img" conv=notrunc 2>/dev/null
	LOOPDEV=$(losetup -f --show -r "$img") || skip "cannot attach a loop device here"
	cp -a "$(rootfs)" "$root"
	mknod "$root/oh-disk-node" b "$((0x$(stat -c %t "$LOOPDEV")))" "$((0x$(stat -c %T "$LOOPDEV")))"
	make_bundle "$B" ".root.path = \"$root\" | .mounts += [{destination: \"/hostsys\", type: \"bind\", source: \"/sys\", options: [\"rbind\", \"ro\", \"rprivate\", \"rro\"]}]" \
		sh -c "grep NoNewPrivs /proc/self/status; head -c 22 /oh-disk-node || echo DENIED; echo \$\$ >/hostsys/fs/cgroup/devices/cgroup.procs && grep devices /proc/self/cgroup; head -c 22 /oh-disk-node"
	harden_then "$B" ".mounts += [{destination: \"/hostsys/fs/cgroup/devices\", type: \"bind\", source: \"$EMPTY\", options: [\"bind\", \"remount\", \"rw\"]}]"
	run runc run --bundle "$B" "$ID"
	runc delete -f "$ID" >/dev/null 2>&1 || true
	assert_output --partial "NoNewPrivs:	1"
	assert_output --partial "DENIED"
	assert_line --regexp ':devices:/$'
	assert_output --partial "oh-disk-marker"

	refused_by_every_front_end "$B" sensitive-mounts
	[[ "$CHECKED" == *"the mount at /hostsys/fs/cgroup/devices has the option remount"* ]]
	run_rt
	assert_failure
	refute_output --partial "oh-disk-marker"
}
