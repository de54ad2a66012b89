#!/usr/bin/env bats
# Where a bind source is read: each test first shows the door open under
# real runc (or crun), then that oci-harden refuses the config.
#
# runc mounts in the order of config.mounts, in the container's mount
# namespace, before pivot_root, with the host's root as "/".  A bind
# source below root.path and below an earlier mount's destination is read
# by runc through that earlier mount; the host, where the check runs,
# sees no such mount (an empty directory, or nothing at all).  Such
# sources, ".." in a source, relative sources without the bundle, and
# directories full of the host's device nodes are refused.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	[ "$(id -u)" = 0 ] || skip "needs root for runc"
	B=$BATS_TEST_TMPDIR/bundle
	PREFIX=$(install_prefix)
	RT=$PREFIX/bin/oci-harden-runtime
	export OCI_HARDEN_POLICY=$PREFIX/etc/oci-harden/policy.json
	# A rootfs of this test's own: the trick adds a directory to it.
	R=$BATS_TEST_TMPDIR/rootfs
	cp -a "$(rootfs)" "$R"
	SIDE=$BATS_TEST_TMPDIR/side
	mkdir -p "$SIDE" "$R/a/root"
	OFF=$BATS_TEST_TMPDIR/off.json
}

teardown() {
	if [ -n "${LOOPDEV:-}" ]; then
		losetup -d "$LOOPDEV" || true
	fi
	runc delete -f "oh-mend2-$$" >/dev/null 2>&1 || true
}

# order_bundle TARGET DEST OPTS ARGS...: a hardened bundle whose first
# extra mount binds $SIDE (holding "root", a symlink to TARGET) on /a, and
# whose second binds $R/a/root (in the host's view an empty directory)
# on DEST.
order_bundle() {
	local target=$1 dest=$2 opts=$3
	shift 3
	ln -sfn "$target" "$SIDE/root"
	make_bundle "$B" '.' "$@"
	jq --arg r "$R" --arg side "$SIDE" --arg dest "$dest" --argjson o "$opts" '
		.root.path = $r |
		.mounts += [{destination: "/a", type: "bind", source: $side,
			     options: ["rbind", "ro", "nosuid", "nodev"]},
			    {destination: $dest, type: "bind", source: ($r + "/a/root"),
			     options: $o}]' "$B/config.json" >"$B/c"
	mv "$B/c" "$B/config.json"
	# Hardened in every other respect: fixed with the two rules off.
	jq -n '{version: 1, rules: {"sensitive-mounts": "off", "host-devices": "off"}}' >"$BATS_TEST_TMPDIR/neither.json"
	"$OCI_HARDEN" fix --policy "$BATS_TEST_TMPDIR/neither.json" --in-place "$B" >/dev/null
}

@test "a bind source in the rootfs, below an earlier mount's destination, hands the host's / over read-write under runc; check and the wrapper refuse it" {
	local marker=$BATS_TEST_TMPDIR/oh-mend2-escape
	order_bundle / /host '["rbind", "rw", "nosuid", "nodev"]' \
		sh -c "cat /host/etc/hostname >/dev/null && echo escaped >/host$marker"
	# The escape under plain runc: a host file written from the container.
	run_bundle "$B"
	assert_success
	[ "$(cat "$marker")" = escaped ]
	rm -f "$marker"

	run "$OCI_HARDEN" check --no-rootfs-scan "$B"
	assert_failure 1
	assert_output --partial "sensitive-mounts [deny]: /host bind-mounts $R/a/root, a path in or through the container's root file system: the runtime reads it after the container's own mounts, which the host cannot see"
	run --separate-stderr "$RT" run --bundle "$B" "oh-mend2-$$"
	assert_failure
	[[ "$stderr" == *sensitive-mounts* ]]
	[ ! -e "$marker" ]
}

@test "a bind source that leads into the rootfs through a host symlink, or through it and out again, is refused like one in it; runc hands the host's / over through either" {
	local marker=$BATS_TEST_TMPDIR/oh-mend2-escape
	order_bundle / /host '["rbind", "rw", "nosuid", "nodev"]' \
		sh -c "echo escaped >/host$marker"
	# A symlink outside to the rootfs's /a, and the path missing on the host.
	rmdir "$R/a/root"
	ln -sfn "$R/a" "$BATS_TEST_TMPDIR/into"
	jq --arg s "$BATS_TEST_TMPDIR/into/root" '.mounts[-1].source = $s' "$B/config.json" >"$B/c"
	mv "$B/c" "$B/config.json"
	run_bundle "$B"
	assert_success
	[ "$(cat "$marker")" = escaped ]
	rm -f "$marker"
	run "$OCI_HARDEN" check --no-rootfs-scan "$B"
	assert_failure 1
	assert_output --partial "sensitive-mounts [deny]: /host bind-mounts $BATS_TEST_TMPDIR/into/root, a path in or through the container's root file system"
	# Through the rootfs and out again: on the host $R/a/s leads to a
	# harmless directory, under runc through the first mount to /.
	mkdir "$BATS_TEST_TMPDIR/harmless"
	ln -sfn "$BATS_TEST_TMPDIR/harmless" "$R/a/s"
	ln -sfn / "$SIDE/s"
	ln -sfn "$R/a/s" "$BATS_TEST_TMPDIR/through"
	jq --arg s "$BATS_TEST_TMPDIR/through" '.mounts[-1].source = $s' "$B/config.json" >"$B/c"
	mv "$B/c" "$B/config.json"
	run_bundle "$B"
	assert_success
	[ "$(cat "$marker")" = escaped ]
	rm -f "$marker"
	run "$OCI_HARDEN" check --no-rootfs-scan "$B"
	assert_failure 1
	assert_output --partial "sensitive-mounts [deny]: /host bind-mounts $BATS_TEST_TMPDIR/through, a path in or through the container's root file system"
	run --separate-stderr "$RT" run --bundle "$B" "oh-mend2-$$"
	assert_failure
	[ ! -e "$marker" ]
}

@test "a bind source in the rootfs, below an earlier mount's destination, reaches a host block device under runc; host-devices refuses it with sensitive-mounts off" {
	command -v losetup >/dev/null || skip "no losetup"
	local img=$BATS_TEST_TMPDIR/oh-mend2-disk.img
	printf 'oh-mend2-disk-marker\n' >"$img"
	truncate -s 1M "$img"
	LOOPDEV=$(losetup -f --show -r "$img") || skip "cannot attach a loop device here"
	order_bundle "$LOOPDEV" /disk '["bind", "ro", "nosuid"]' sh -c 'ls -l /disk'
	# runc binds the host's disk node (the device cgroup alone keeps
	# the container from reading it; without one, crun
	# --cgroup-manager=disabled, it reads the disk).
	run_bundle "$B"
	assert_success
	assert_output --regexp "^b.* $((0x$(stat -c %t "$LOOPDEV"))), +$((0x$(stat -c %T "$LOOPDEV"))) .*/disk"
	jq -n '{version: 1, rules: {"sensitive-mounts": "off"}}' >"$OFF"
	run "$OCI_HARDEN" check --no-rootfs-scan --policy "$OFF" "$B"
	assert_failure 1
	assert_output --partial "host-devices [deny]: $R/a/root cannot be judged as a device: a path in or through the container's root file system"
}

@test "hook precreate, which has no bundle, refuses a relative bind source, which runc reads in the bundle (here through a symlink to the host's /)" {
	local marker=$BATS_TEST_TMPDIR/oh-mend2-precreate
	make_bundle "$B" '.' sh -c "echo escaped >/host$marker"
	cp -a "$R" "$B/rootfs"
	ln -sfn / "$B/rootfs/hostroot"
	jq '.root.path = "rootfs" | .mounts += [{destination: "/host", type: "bind",
		source: "rootfs/hostroot", options: ["rbind", "rw"]}]' "$B/config.json" >"$B/c"
	mv "$B/c" "$B/config.json"
	jq -n '{version: 1, rules: {"sensitive-mounts": "off", "host-devices": "off"}}' >"$OFF"
	"$OCI_HARDEN" fix --policy "$OFF" --in-place "$B" >/dev/null
	# runc finds the source in the bundle: the host's /, read-write.
	run_bundle "$B"
	assert_success
	[ "$(cat "$marker")" = escaped ]
	# With the bundle known it is refused as the host's /...
	run "$OCI_HARDEN" check --no-rootfs-scan "$B"
	assert_failure 1
	assert_output --partial "sensitive-mounts [deny]: /host bind-mounts the host's rootfs/hostroot"
	# ...and on standard input, as precreate reads it, where it leads is
	# not known: refused as such.
	run --separate-stderr "$OCI_HARDEN" hook precreate --refusal exit --policy "$OCI_HARDEN_POLICY" <"$B/config.json"
	assert_failure 1
	[ -z "$output" ]
	[[ "$stderr" == *"sensitive-mounts [deny]: /host bind-mounts rootfs/hostroot, a path relative to the bundle, which is not known here"* ]]
	# By default the refusal is a config no runtime starts.
	run --separate-stderr "$OCI_HARDEN" hook precreate --policy "$OCI_HARDEN_POLICY" <"$B/config.json"
	assert_success
	[[ "$(jq -r .root.path <<<"$output")" == /nonexistent/oci-harden* ]]
}

@test "with sensitive-mounts off, host-devices refuses a bind of a directory full of the host's device nodes: /dev, a devtmpfs mounted elsewhere, a process's root/dev, an rbind of a process's root, a device's directory in sysfs" {
	make_bundle "$B" '.mounts += [{destination: "/hostdev", type: "bind", source: "/dev", options: ["rbind", "ro", "nosuid"]}]' \
		sh -c 'ls -l /hostdev | grep -c "^b"'
	jq -n '{version: 1, rules: {"sensitive-mounts": "off", "host-devices": "off"}}' >"$OFF"
	"$OCI_HARDEN" fix --policy "$OFF" --in-place "$B" >/dev/null
	# Under runc the host's block device nodes are in the container.
	run_bundle "$B"
	assert_success
	[ "$output" -gt 0 ]
	jq -n '{version: 1, rules: {"sensitive-mounts": "off"}}' >"$OFF"
	run "$OCI_HARDEN" check --no-rootfs-scan --policy "$OFF" "$B"
	assert_failure 1
	assert_output --partial "host-devices [deny]: /dev is bind-mounted into the container: a directory of the host's devtmpfs, every device node in it"
	local dt=$BATS_TEST_TMPDIR/oh-mend2-devtmpfs src
	mkdir -p "$dt"
	if mount -t devtmpfs devtmpfs "$dt" 2>/dev/null; then
		jq --arg s "$dt" '.mounts[-1].source = $s' "$B/config.json" >"$B/c"
		mv "$B/c" "$B/config.json"
		run "$OCI_HARDEN" check --no-rootfs-scan --policy "$OFF" "$B"
		umount "$dt"
		assert_failure 1
		assert_output --partial "host-devices [deny]: $dt is bind-mounted into the container: a directory of the host's devtmpfs"
	fi
	# A process's root (pid 1's may not be open to this one: refused as
	# not judged then).
	for src in /proc/1/root/dev /proc/$$/root/dev /proc/$$/root; do
		jq --arg s "$src" '.mounts[-1].source = $s' "$B/config.json" >"$B/c"
		mv "$B/c" "$B/config.json"
		run "$OCI_HARDEN" check --no-rootfs-scan --policy "$OFF" "$B"
		assert_failure 1
		assert_output --regexp "host-devices \[deny\]: $src (\(|cannot be judged)"
	done
	assert_output --partial "host-devices [deny]: /proc/$$/root (/) is bind-mounted into the container: it holds the host's /dev, which the rbind carries"
	src=$(find /sys/dev/block -mindepth 1 -maxdepth 1 | head -1)
	if [ -n "$src" ]; then
		jq --arg s "$src" '.mounts[-1].source = $s' "$B/config.json" >"$B/c"
		mv "$B/c" "$B/config.json"
		run "$OCI_HARDEN" check --no-rootfs-scan --policy "$OFF" "$B"
		assert_failure 1
		assert_output --partial "a directory of the host's devices in sysfs"
	fi
	# A device node that is no door, and a plain directory, stay fine.
	jq '.mounts[-1].source = "/dev/null" | .mounts[-1].options = ["bind", "ro"]' "$B/config.json" >"$B/c"
	mv "$B/c" "$B/config.json"
	run "$OCI_HARDEN" check --no-rootfs-scan --policy "$OFF" "$B"
	refute_output --partial "host-devices"
}

@test "crun reads a relative bind source with .. after the symlink before it, not lexically as runc does, and reaches a host block device; a source with .. is refused" {
	command -v crun >/dev/null || skip "crun is not installed"
	command -v losetup >/dev/null || skip "no losetup"
	local img=$BATS_TEST_TMPDIR/oh-mend2-disk.img sub
	printf 'oh-mend2-disk-marker\n' >"$img"
	truncate -s 1M "$img"
	LOOPDEV=$(losetup -f --show -r "$img") || skip "cannot attach a loop device here"
	sub=$(find /dev -mindepth 1 -maxdepth 1 -type d | head -1)
	[ -n "$sub" ] || skip "no directory in /dev"
	mkdir -p "$B"
	cp -a "$R" "$B/rootfs"
	ln -sfn "$sub" "$B/rootfs/l"
	echo harmless >"$B/rootfs/${LOOPDEV#/dev/}"
	make_bundle "$B" '.' sh -c 'ls -l /disk'
	jq --arg s "rootfs/l/../${LOOPDEV#/dev/}" '.root.path = "rootfs" |
		.mounts += [{destination: "/disk", type: "bind", source: $s, options: ["bind", "ro", "nosuid"]}]' \
		"$B/config.json" >"$B/c"
	mv "$B/c" "$B/config.json"
	jq -n '{version: 1, rules: {"sensitive-mounts": "off", "host-devices": "off"}}' >"$OFF"
	"$OCI_HARDEN" fix --policy "$OFF" --in-place "$B" >/dev/null
	run unshare -m --propagation private sh -c '
		umount /sys/fs/cgroup/unified 2>/dev/null
		crun --root "$1" run --bundle "$2" "$3" </dev/null 2>&1 || echo "crun failed: $?"
		crun --root "$1" delete -f "$3" >/dev/null 2>&1' sh "$BATS_TEST_TMPDIR/crun" "$B" "oh-mend2-$$"
	[[ "$output" != *"crun failed"* ]] || skip "crun cannot run here: $output"
	assert_output --regexp "^b.* /disk"
	run "$OCI_HARDEN" check --no-rootfs-scan "$B"
	assert_failure 1
	assert_output --partial "host-devices [deny]: rootfs/l/../${LOOPDEV#/dev/} cannot be judged as a device: a path with \"..\", which runc folds lexically and crun reads after the symlinks before it"
}

@test "a bind source that cannot be opened for a reason other than its absence (a symlink loop) is refused as not judged, not admitted as missing" {
	make_bundle "$B" '.' true
	ln -sfn "$BATS_TEST_TMPDIR/oh-mend2-loop" "$BATS_TEST_TMPDIR/oh-mend2-loop"
	jq --arg s "$BATS_TEST_TMPDIR/oh-mend2-loop" '.mounts += [{destination: "/x", type: "bind",
		source: $s, options: ["rbind", "ro"]}]' "$B/config.json" >"$B/c"
	mv "$B/c" "$B/config.json"
	"$OCI_HARDEN" fix --in-place "$B" >/dev/null 2>&1 || true
	run "$OCI_HARDEN" check --no-rootfs-scan "$B"
	assert_failure 1
	assert_output --partial "sensitive-mounts [deny]: /x bind-mounts the host's $BATS_TEST_TMPDIR/oh-mend2-loop (it cannot be judged: open(2) of it failed: Too many levels of symbolic links)"
	jq -n '{version: 1, rules: {"sensitive-mounts": "off"}}' >"$OFF"
	run "$OCI_HARDEN" check --no-rootfs-scan --policy "$OFF" "$B"
	assert_failure 1
	assert_output --partial "host-devices [deny]: $BATS_TEST_TMPDIR/oh-mend2-loop cannot be judged as a device: open(2) of it failed"
}

@test "a bind source through a host symlink that dangles on the host, into a rootfs directory only an earlier mount makes, is refused; runc hands the host's / over through it" {
	local marker=$BATS_TEST_TMPDIR/oh-mend2-escape
	order_bundle / /host '["rbind", "rw", "nosuid", "nodev"]' \
		sh -c "echo escaped >/host$marker"
	# $R/a does not exist on the host: runc makes it for the first mount.
	rm -rf "$R/a"
	ln -sfn "$R/a" "$BATS_TEST_TMPDIR/dangling"
	jq --arg s "$BATS_TEST_TMPDIR/dangling/root" '.mounts[-1].source = $s' "$B/config.json" >"$B/c"
	mv "$B/c" "$B/config.json"
	run_bundle "$B"
	assert_success
	[ "$(cat "$marker")" = escaped ]
	rm -f "$marker"
	rm -rf "$R/a"
	run "$OCI_HARDEN" check --no-rootfs-scan "$B"
	assert_failure 1
	assert_output --partial "sensitive-mounts [deny]: /host bind-mounts $BATS_TEST_TMPDIR/dangling/root, a path in or through the container's root file system"
}
