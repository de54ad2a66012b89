#!/usr/bin/env bats
# runc and crun bind a source with "rbind" together with every mount below
# it: a directory laid out like a build chroot (proc at DIR/proc, a bind of
# /dev at DIR/dev) hands over the host's /proc and /dev through a bind
# whose source alone is harmless.  Each host mount below an rbind's source
# is judged: its type, and its mount point as a bind source of its own.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	[ "$(id -u)" = 0 ] || skip "needs root for runc"
	B=$BATS_TEST_TMPDIR/bundle
	C=$BATS_TEST_TMPDIR/oh-mend3-chroot
	ID=oh-mend3-$$
	OFF=$BATS_TEST_TMPDIR/off.json
	jq -n '{version: 1, rules: {"sensitive-mounts": "off"}}' >"$OFF"
	mkdir -p "$C/proc" "$C/dev" "$C/etc"
	: >"$C/disk"
}

teardown() {
	runc delete -f "$ID" >/dev/null 2>&1 || true
	local m
	for m in proc dev etc disk; do
		if mountpoint -q "$C/$m" 2>/dev/null; then umount "$C/$m"; fi
	done
	if [ -n "${LOOPDEV:-}" ]; then losetup -d "$LOOPDEV" || true; fi
}

# rbind_bundle OPTS ARGS...: a hardened bundle binding $C on /c.
rbind_bundle() {
	local opts=$1
	shift
	rm -rf "$B"
	make_bundle "$B" ".mounts += [{destination: \"/c\", type: \"bind\", source: \"$C\", options: $opts}]" "$@"
	"$OCI_HARDEN" fix --in-place "$B" >/dev/null 2>&1 || true
}

@test "an rbind of a chroot-like directory with the host's /proc and /dev mounted below it hands both over, and check refuses it under sensitive-mounts and host-devices" {
	mount -t proc proc "$C/proc" || skip "cannot mount proc here"
	mount --bind /dev "$C/dev"
	rbind_bundle '["rbind", "rw", "nosuid"]' \
		sh -c 'ls -l /c/dev/null && : >>/c/proc/sys/kernel/core_pattern && echo core_pattern-writable'
	# The host's kernel settings, writable from the container (opened
	# for appending, nothing written), and the host's device nodes.
	run runc run --bundle "$B" "$ID"
	runc delete -f "$ID" >/dev/null 2>&1 || true
	assert_success
	assert_line --regexp "^c.* 1, +3 .*/c/dev/null$"
	assert_output --partial core_pattern-writable

	run "$OCI_HARDEN" check --no-rootfs-scan "$B"
	assert_failure 1
	assert_output --partial "sensitive-mounts [deny]: /c bind-mounts the host's $C, whose rbind carries the host's $C/dev (/dev mounted there) (and 1 more mount below it)"
	assert_output --partial "host-devices [deny]: /c rbind-mounts $C, and with it devtmpfs at $C/dev (every host device)"
	umount "$C/dev"
	run "$OCI_HARDEN" check --no-rootfs-scan "$B"
	assert_failure 1
	assert_output --partial "sensitive-mounts [deny]: /c bind-mounts the host's $C, whose rbind carries proc at $C/proc (the host's processes and kernel settings): the container"
	mount --bind /dev "$C/dev"
	run "$OCI_HARDEN" check --no-rootfs-scan --policy "$OFF" "$B"
	assert_failure 1
	assert_output --partial "host-devices [deny]"
	# The hooks judge as check does.
	run "$OCI_HARDEN" hook createRuntime <<<"{\"id\": \"$ID\", \"bundle\": \"$B\", \"pid\": 1}"
	assert_failure 1
}

@test "an rbind carries a bind of /etc and of a host disk's node mounted below its source: sensitive-mounts names /etc, host-devices the disk" {
	command -v losetup >/dev/null || skip "no losetup"
	local img=$BATS_TEST_TMPDIR/disk.img
	truncate -s 1M "$img"
	LOOPDEV=$(losetup -f --show -r "$img") || skip "cannot attach a loop device here"
	mount --bind /etc "$C/etc"
	mount --bind "$LOOPDEV" "$C/disk"
	rbind_bundle '["rbind", "ro", "nosuid"]' sh -c 'cat /c/etc/hostname; ls -l /c/disk'
	run runc run --bundle "$B" "$ID"
	runc delete -f "$ID" >/dev/null 2>&1 || true
	assert_success
	assert_line "$(cat /etc/hostname)"
	assert_line --regexp "^b.* /c/disk$"

	run "$OCI_HARDEN" check --no-rootfs-scan "$B"
	assert_failure 1
	assert_output --partial "whose rbind carries the host's $C/etc (/etc mounted there)"
	run "$OCI_HARDEN" check --no-rootfs-scan --policy "$OFF" "$B"
	assert_failure 1
	assert_output --partial "host-devices [deny]: the host's device $C/disk ($LOOPDEV) is bind-mounted into the container"
}

@test "a plain bind of a directory with proc mounted below it carries nothing below, and an rbind of a directory with nothing mounted below is compliant" {
	mount -t proc proc "$C/proc" || skip "cannot mount proc here"
	rbind_bundle '["bind", "rw", "nosuid"]' sh -c 'ls /c/proc | wc -l'
	run runc run --bundle "$B" "$ID"
	runc delete -f "$ID" >/dev/null 2>&1 || true
	assert_success
	assert_output 0
	run "$OCI_HARDEN" check --no-rootfs-scan "$B"
	refute_output --partial "sensitive-mounts"
	refute_output --partial "host-devices"
	umount "$C/proc"
	rbind_bundle '["rbind", "rw", "nosuid"]' true
	run "$OCI_HARDEN" check --no-rootfs-scan "$B"
	refute_output --partial "sensitive-mounts"
	refute_output --partial "host-devices"
}

@test "a read-only throughout rbind of /sys carries only what every container has: sensitive-mounts admits it" {
	make_bundle "$B" '.mounts += [{destination: "/hostsys", type: "bind", source: "/sys", options: ["rbind", "rro", "nosuid"]}]' true
	"$OCI_HARDEN" fix --in-place "$B" >/dev/null 2>&1 || true
	run "$OCI_HARDEN" check --no-rootfs-scan "$B"
	refute_output --partial "sensitive-mounts"
}

@test "a bind with rprivate, rslave or runbindable is recursive under crun, so the mounts below its source are judged as for an rbind" {
	mount -t proc proc "$C/proc" || skip "cannot mount proc here"
	local prop
	for prop in rprivate rslave runbindable; do
		rbind_bundle "[\"bind\", \"$prop\", \"rw\", \"nosuid\"]" true
		run "$OCI_HARDEN" check --no-rootfs-scan "$B"
		assert_failure 1
		assert_output --partial "sensitive-mounts [deny]: /c bind-mounts the host's $C, whose rbind carries proc at $C/proc"
	done
	# "private" alone has no MS_REC: crun binds only the source.
	rbind_bundle '["bind", "private", "rw", "nosuid"]' true
	run "$OCI_HARDEN" check --no-rootfs-scan "$B"
	refute_output --partial "sensitive-mounts"
}

@test "a read-only rbind of /sys that carries the host's tracefs is refused: read-only, the kernel's tracing is still the host's" {
	make_bundle "$B" '.mounts += [{destination: "/hostsys", type: "bind", source: "/sys", options: ["rbind", "rro", "nosuid"]}]' true
	"$OCI_HARDEN" fix --in-place "$B" >/dev/null 2>&1 || true
	run unshare -m sh -c 'mount --make-rprivate / && { mountpoint -q /sys/kernel/tracing || mount -t tracefs nodev /sys/kernel/tracing; } || exit 99; "$0" check --no-rootfs-scan "$1"' "$OCI_HARDEN" "$B"
	[ "$status" != 99 ] || skip "cannot mount tracefs here"
	assert_failure 1
	assert_output --partial "sensitive-mounts [deny]: /hostsys bind-mounts the host's /sys, whose rbind carries tracefs at /sys/kernel/tracing"
}
