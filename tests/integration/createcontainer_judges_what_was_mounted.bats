#!/usr/bin/env bats
# Every judgement before the runtime's mounts reads a bind source by its
# host path; a source swapped for a symlink after that (a harmless file at
# the judgement, a link to a loop device or to / at the mount, or the
# other way round) hands the container what the judgement never saw.
# runc 1.1.5 runs createRuntime hooks after its mounts, so the swap that
# fools them goes the other way: a device at the mount, a harmless file at
# the judgement.  The createContainer hook runs in the container's mount
# namespace after the mounts and before pivot_root, and judges the objects
# the mounts became.  Each door is shown open without it, then closed.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	[ "$(id -u)" = 0 ] || skip "needs root for runc"
	command -v losetup >/dev/null || skip "no losetup"
	T=$BATS_TEST_TMPDIR/oh-mounted
	mkdir -p "$T/harmless-dir"
	B=$T/bundle
	L=$T/l
	ID=oh-mounted-$$
	echo harmless >"$T/harmless"
	truncate -s 1M "$T/disk.img"
	LOOPDEV=$(losetup -f --show -r "$T/disk.img") || skip "cannot attach a loop device here"
	# The test's own hooks, which swap the source: allowed by config-hooks.
	printf '#!/bin/sh\nln -sfn "$1" "$2"\n' >"$T/swap"
	chmod +x "$T/swap"
	POLICY=$T/policy.json
	jq -n --arg oh "$OCI_HARDEN" --arg sw "$T/swap" \
		'{version: 1, hooks: {allowed: [$oh, $sw]}}' >"$POLICY"
}

teardown() {
	runc delete -f "$ID" >/dev/null 2>&1 || true
	if mountpoint -q "$T/rootfs/p" 2>/dev/null; then umount "$T/rootfs/p"; fi
	if [ -n "${LOOPDEV:-}" ]; then losetup -d "$LOOPDEV" || true; fi
}

# swapped_bundle DEST OPTS HARMLESS ARGS...: a hardened bundle binding $L
# at DEST, with createRuntime hooks that first swap $L for HARMLESS, then
# judge (oci-harden's, which the swap fools).
swapped_bundle() {
	local dest=$1 opts=$2 harmless=$3
	shift 3
	rm -rf "$B"
	make_bundle "$B" ".mounts += [{destination: \"$dest\", type: \"bind\", source: \"$L\", options: $opts}]" "$@"
	"$OCI_HARDEN" fix --in-place "$B" >/dev/null 2>&1 || true
	jq --arg oh "$OCI_HARDEN" --arg pol "$POLICY" --arg sw "$T/swap" --arg h "$harmless" --arg l "$L" \
		'.hooks = {createRuntime: [{path: $sw, args: ["swap", $h, $l]},
			{path: $oh, args: ["oci-harden", "hook", "createRuntime", "--policy", $pol]}]}' \
		"$B/config.json" >"$B/c" && mv "$B/c" "$B/config.json"
}

with_createcontainer() {
	jq --arg oh "$OCI_HARDEN" --arg pol "$POLICY" \
		'.hooks.createContainer = [{path: $oh, args: ["oci-harden", "hook", "createContainer", "--policy", $pol]}]' \
		"$B/config.json" >"$B/c" && mv "$B/c" "$B/config.json"
}

@test "a bind source that is a loop device at runc's mount and a harmless file at the createRuntime judgement hands over the device, and the createContainer hook refuses it under host-devices" {
	swapped_bundle /x '["bind", "ro"]' "$T/harmless" sh -c 'ls -l /x'
	ln -sfn "$LOOPDEV" "$L"
	run runc run --bundle "$B" "$ID"
	runc delete -f "$ID" >/dev/null 2>&1 || true
	# The container holds the host's block device; the judgement saw a file.
	assert_success
	assert_output --regexp "^b.* 7, +[0-9]+ .*/x$"
	[ "$(readlink "$L")" = "$T/harmless" ]

	with_createcontainer
	ln -sfn "$LOOPDEV" "$L"
	run runc run --bundle "$B" "$ID"
	assert_failure
	assert_output --partial "oci-harden: createContainer: host-devices [deny]: what the runtime mounted: /x (a bind of $L), is a block device of the host (7:"
	assert_output --partial "container $ID refused by policy (rules: host-devices)"
	refute_output --regexp "^b.* 7, "
}

@test "a bind source that is the host's / at runc's mount and an empty directory at the createRuntime judgement hands over /etc/shadow, and the createContainer hook refuses it under sensitive-mounts" {
	swapped_bundle /h '["rbind", "ro"]' "$T/harmless-dir" sh -c 'head -c 5 /h/etc/shadow && echo && echo read-shadow'
	ln -sfn / "$L"
	run runc run --bundle "$B" "$ID"
	runc delete -f "$ID" >/dev/null 2>&1 || true
	assert_success
	assert_line read-shadow

	with_createcontainer
	ln -sfn / "$L"
	run runc run --bundle "$B" "$ID"
	assert_failure
	refute_output --partial read-shadow
	assert_output --partial "sensitive-mounts [deny]: what the runtime mounted: /h (a bind of $L), is the host's /;"
	# What the rbind carried with it: once, with a count of the rest.
	assert_output --regexp "host-devices \[deny\]: what the runtime mounted: /h/dev, a devtmpfs mount the config did not ask for, carried by the bind of $L at /h, is every host device \(and [0-9]+ more mounts? below it\)"
}

@test "the createContainer hook judges the object even with no other stage: a bind whose source is already the device" {
	rm -rf "$B"
	ln -sfn "$LOOPDEV" "$L"
	make_bundle "$B" ".mounts += [{destination: \"/x\", type: \"bind\", source: \"$L\", options: [\"bind\", \"ro\"]}]" true
	"$OCI_HARDEN" fix --in-place "$B" >/dev/null 2>&1 || true
	with_createcontainer
	run runc run --bundle "$B" "$ID"
	assert_failure
	assert_output --partial "host-devices [deny]: what the runtime mounted: /x (a bind of $L), is a block device of the host"
}

@test "a mount below root.path on the host, which runc's rbind of the rootfs carries, is refused by the createContainer hook" {
	cp -a "$(rootfs)" "$T/rootfs"
	mkdir -p "$T/rootfs/p"
	mount -t proc proc "$T/rootfs/p" || skip "cannot mount proc here"
	rm -rf "$B"
	make_bundle "$B" ".root.path = \"$T/rootfs\"" sh -c 'test -w /p/sys/kernel/core_pattern && echo core_pattern-writable'
	"$OCI_HARDEN" fix --in-place "$B" >/dev/null 2>&1 || true
	jq '.root.readonly = false' "$B/config.json" >"$B/c" && mv "$B/c" "$B/config.json"
	run runc run --bundle "$B" "$ID"
	runc delete -f "$ID" >/dev/null 2>&1 || true
	assert_success
	assert_output --partial core_pattern-writable
	run "$OCI_HARDEN" check --no-rootfs-scan --policy "$POLICY" "$B"
	refute_output --partial "sensitive-mounts [deny]"

	with_createcontainer
	run runc run --bundle "$B" "$ID"
	assert_failure
	refute_output --partial core_pattern-writable
	assert_output --partial "sensitive-mounts [deny]: what the runtime mounted: /p, a proc mount the config did not ask for, below root.path on the host, is the host's processes and kernel settings"
}

@test "a compliant bundle with binds of files and directories, tmpfs, proc, sysfs, mqueue, cgroup and runc's own /dev starts with the createContainer hook" {
	mkdir -p "$T/data"
	rm -rf "$B"
	make_bundle "$B" ".mounts += [
		{destination: \"/etc/hostname\", type: \"bind\", source: \"$T/harmless\", options: [\"rbind\", \"ro\"]},
		{destination: \"/data\", type: \"bind\", source: \"$T/data\", options: [\"rbind\", \"rw\"]},
		{destination: \"/null\", type: \"bind\", source: \"/dev/null\", options: [\"bind\"]},
		{destination: \"/tmp\", type: \"tmpfs\", source: \"tmpfs\", options: [\"nosuid\", \"nodev\"]}]" \
		sh -c 'cat /etc/hostname; echo started'
	"$OCI_HARDEN" fix --in-place "$B" >/dev/null 2>&1 || true
	with_createcontainer
	run jq -r '[.mounts[].type] | unique | join(" ")' "$B/config.json"
	assert_output "bind cgroup devpts mqueue proc sysfs tmpfs"
	run runc run --bundle "$B" "$ID"
	assert_success
	assert_line harmless
	assert_line started
}

@test "the createContainer hook refuses when it cannot judge: run before the mounts, or with no root, naming the problem; audit mode admits and logs" {
	rm -rf "$B"
	make_bundle "$B" '.'
	local state="{\"id\": \"$ID\", \"bundle\": \"$B\", \"pid\": 1, \"status\": \"creating\"}"
	# In the host's mount namespace nothing is mounted yet.
	run "$OCI_HARDEN" hook createContainer --policy "$POLICY" <<<"$state"
	assert_failure 2
	assert_output --partial "is not mounted: this stage judges what the runtime mounted and must run as a createContainer hook"
	jq 'del(.root)' "$B/config.json" >"$B/c" && mv "$B/c" "$B/config.json"
	run "$OCI_HARDEN" hook createContainer --policy "$POLICY" <<<"$state"
	assert_failure 2
	assert_output --partial "config.json has no root.path"
	run "$OCI_HARDEN" hook createContainer --policy "$POLICY" <<<'{"id": "x"}'
	assert_failure 2
	jq '. + {mode: "audit", audit: {file: $f}}' --arg f "$T/audit.log" "$POLICY" >"$T/audit.json"
	run "$OCI_HARDEN" hook createContainer --policy "$T/audit.json" <<<"$state"
	assert_success
	run cat "$T/audit.log"
	assert_output --partial "stage=createContainer id=$ID verdict=error"
	assert_output --partial "mode=audit"
}

@test "the wrapper hands runc its createContainer hook, which refuses a source swapped between the wrapper's judgement and runc's mount" {
	PREFIX=$(install_prefix)
	# The real runtime: runc, after swapping the source (the race, made
	# certain), not when the wrapper asks its --version.  Named runc, as
	# the wrapper takes the dialect from it.
	mkdir -p "$T/rt"
	printf '#!/bin/sh\n[ "$1" = --version ] || ln -sfn "%s" "%s"\nexec runc "$@"\n' "$LOOPDEV" "$L" >"$T/rt/runc"
	chmod +x "$T/rt/runc"
	ln -sfn "$T/harmless" "$L"
	rm -rf "$B"
	make_bundle "$B" ".mounts += [{destination: \"/x\", type: \"bind\", source: \"$L\", options: [\"bind\", \"ro\"]}]" sh -c 'ls -l /x'
	OCI_HARDEN_RUNTIME=$T/rt/runc OCI_HARDEN_POLICY=$PREFIX/etc/oci-harden/policy.json \
		run "$PREFIX/bin/oci-harden-runtime" run --bundle "$B" "$ID"
	assert_failure
	assert_output --partial "host-devices [deny]: what the runtime mounted: /x (a bind of $L), is a block device of the host"
	run jq -c '.hooks.createContainer[-1]' "$B/config.json"
	assert_output "{\"path\":\"$PREFIX/bin/oci-harden\",\"args\":[\"oci-harden\",\"hook\",\"createContainer\",\"--policy\",\"$PREFIX/etc/oci-harden/policy.json\"],\"env\":[\"PATH=/usr/sbin:/usr/bin:/sbin:/bin\"]}"
	# Without the hook the same swap hands the device over.
	jq 'del(.hooks.createContainer)' "$B/config.json" >"$B/c" && mv "$B/c" "$B/config.json"
	ln -sfn "$T/harmless" "$L"
	run "$T/rt/runc" run --bundle "$B" "$ID"
	assert_success
	assert_output --regexp "^b.* 7, +[0-9]+ .*/x$"
}

@test "podman runs the createContainer hook from a hooks directory: its default mounts start, a bind of / is refused" {
	command -v podman >/dev/null || skip "no podman"
	PREFIX=$(install_prefix)
	local hooks=$T/hooks.d name=oh-mounted-podman-$$
	mkdir -p "$hooks"
	cp "$PREFIX/share/containers/oci/hooks.d/99-oci-harden-createcontainer.json" "$hooks/"
	run "${PODMAN[@]}" --hooks-dir "$hooks" "${PODMAN_RUN[@]}" --name "$name" \
		--rootfs "$(podman_rootfs)" sh -c 'cat /etc/hostname >/dev/null && echo started'
	assert_success
	assert_line started
	run "${PODMAN[@]}" --hooks-dir "$hooks" "${PODMAN_RUN[@]}" --name "$name-2" -v /:/h:ro \
		--rootfs "$(podman_rootfs)" sh -c 'head -c 5 /h/etc/shadow; echo read-shadow'
	"${PODMAN[@]}" rm -f "$name-2" >/dev/null 2>&1 || true
	assert_failure
	refute_output --partial read-shadow
	assert_output --partial "sensitive-mounts [deny]: what the runtime mounted: /h (a bind of /), is the host's /"
}

@test "crun runs the createContainer hook at the same moment: a compliant bundle starts, a bind of / through a symlink is refused" {
	command -v crun >/dev/null || skip "crun is not installed"
	jq --arg f "$T/audit.log" '. + {audit: {file: $f}}' "$POLICY" >"$T/p" && mv "$T/p" "$POLICY"
	rm -rf "$B"
	make_bundle "$B" ".mounts += [{destination: \"/h\", type: \"bind\", source: \"$L\", options: [\"rbind\", \"ro\"]}]" \
		sh -c 'echo started; head -c 5 /h/etc/shadow && echo && echo read-shadow'
	"$OCI_HARDEN" fix --in-place "$B" >/dev/null 2>&1 || true
	with_createcontainer
	# crun 1.8 starts containers here only without the hybrid host's
	# cgroup v2 hierarchy; it passes pid 0 and runs the hook in the
	# container's mount namespace, after its mounts and readonlyPaths.
	ln -sfn "$T/harmless-dir" "$L"
	run unshare -m sh -c 'umount /sys/fs/cgroup/unified 2>/dev/null; exec crun run --bundle "$1" "$2"' sh "$B" "$ID-crun"
	crun delete -f "$ID-crun" >/dev/null 2>&1 || true
	[ "$status" = 0 ] || [[ "$output" != *"cgroup"* ]] || skip "crun cannot run here: $output"
	assert_line started
	refute_line read-shadow
	ln -sfn / "$L"
	run unshare -m sh -c 'umount /sys/fs/cgroup/unified 2>/dev/null; exec crun run --bundle "$1" "$2"' sh "$B" "$ID-crun"
	crun delete -f "$ID-crun" >/dev/null 2>&1 || true
	assert_failure
	refute_output --partial started
	# crun shows no hook's standard error: the audit line names the rule.
	run grep "stage=createContainer id=$ID-crun verdict=denied" "$T/audit.log"
	assert_output --partial "action=refused"
	assert_output --partial "rules=sensitive-mounts,host-devices"
}
