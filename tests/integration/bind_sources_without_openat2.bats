#!/usr/bin/env bats
# A bind source is looked up with openat2(2) and RESOLVE_NO_SYMLINKS first
# (a path with no symlink on its way needs no readlink of /proc/self/fd,
# nor a walk of its missing ancestors' way), with open(2) where that
# refuses (a symlink: ELOOP) or is not there (ENOSYS: a kernel before 5.6,
# EPERM: a seccomp filter).  Either way the findings are the same.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	[ "$(id -u)" = 0 ] || skip "needs root to read the host's mounts"
	: "${OH_ENOSYS:?set OH_ENOSYS to the enosys tool}"
	B=$BATS_TEST_TMPDIR/bundle
	T=$BATS_TEST_TMPDIR
	OFF=$T/off.json
}

# sources_bundle: a bundle binding sources of every kind the look-up tells
# apart, each read-only, rbind and plain bind.
sources_bundle() {
	make_bundle "$B" '.' true
	local r
	r=$(jq -r .root.path "$B/config.json")
	mkdir -p "$T/dir/sub" "$r/a"
	touch "$T/file"
	ln -sfn /etc "$T/to-etc"
	ln -sfn "$T/nowhere" "$T/dangling"
	ln -sfn "$r/nothere" "$T/dangling-root"
	ln -sfn "$r" "$T/to-root"
	ln -sfn /dev/null "$T/to-null"
	ln -sfn "$T/loop" "$T/loop"
	# A block device the host has, through a symlink.
	local blk
	blk=$(find /dev -maxdepth 1 -type b | head -1)
	[ -z "$blk" ] || ln -sfn "$blk" "$T/to-blk"
	local s
	local -a srcs=(/etc /dev /dev/null /dev/kmsg "$T/dir" "$T/dir/sub" "$T/file"
		"$T/file/x" "$T/missing" "$T/missing/a/b" "$T/missing/a/c" "$T/to-etc"
		"$T/to-etc/ssh" "$T/dangling" "$T/dangling/x" "$T/dangling-root/x" "$T/to-root" "$T/to-root/a"
		"$T/to-null" "$T/to-blk" "$T/loop" "$r/a" /sys/dev/block "$T//dir" "$T/dir/")
	local m='[]'
	for s in "${srcs[@]}"; do
		m=$(jq -c --arg s "$s" '. + [{destination: ("/m" + ($s | gsub("/"; "_"))),
			type: "bind", source: $s, options: ["rbind", "ro"]},
			{destination: ("/b" + ($s | gsub("/"; "_"))), type: "bind", source: $s,
			options: ["bind"]}]' <<<"$m")
	done
	jq --argjson m "$m" '.mounts += $m' "$B/config.json" >"$B/c"
	mv "$B/c" "$B/config.json"
	jq -n '{version: 1, rules: {"sensitive-mounts": "off"}}' >"$OFF"
}

@test "bind sources of every kind (missing, through symlinks, dangling, to devices, in the rootfs) get the same findings with openat2 as without it (ENOSYS, EPERM)" {
	sources_bundle
	local want with
	run "$OCI_HARDEN" check --no-rootfs-scan "$B"
	assert_failure 1
	want=$output
	# What the look-ups found: not a config that passes by accident.
	assert_output --partial "bind-mounts the host's /etc"
	assert_output --partial "$T/to-root, a path in or through the container's root file system"
	assert_output --partial "$T/dangling-root/x, a path in or through the container's root file system"
	assert_output --partial "(it cannot be judged: open(2) of it failed: Too many levels of symbolic links)"
	for e in 437 437=1; do
		run "$OH_ENOSYS" "$e" "$OCI_HARDEN" check --no-rootfs-scan "$B"
		assert_failure 1
		[ "$output" = "$want" ] || fail "findings without openat2 ($e) differ: $output"
	done
	# host-devices alone, which reads the same records.
	run "$OCI_HARDEN" check --no-rootfs-scan --policy "$OFF" "$B"
	assert_failure 1
	with=$output
	assert_output --partial "the host's device /dev/kmsg is bind-mounted into the container"
	assert_output --partial "$T/loop cannot be judged as a device: open(2) of it failed"
	run "$OH_ENOSYS" 437 "$OCI_HARDEN" check --no-rootfs-scan --policy "$OFF" "$B"
	assert_failure 1
	[ "$output" = "$with" ] || fail "host-devices without openat2 differs: $output"
}

@test "hook precreate judges bind sources the same with openat2 as without it" {
	sources_bundle
	run "$OCI_HARDEN" hook precreate <"$B/config.json"
	local want=$output st=$status
	assert_output --partial "container refused by policy (rules: sensitive-mounts, host-devices)"
	run "$OH_ENOSYS" 437 "$OCI_HARDEN" hook precreate <"$B/config.json"
	[ "$status" -eq "$st" ]
	[ "$output" = "$want" ] || fail "precreate without openat2 differs: $output"
}
