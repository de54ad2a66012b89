#!/usr/bin/env bats
# runc's cgroup mount (type cgroup at /sys/fs/cgroup) binds the
# container's own cgroup directories; without "ro" they are writable, and
# root in a hardened container lifts the limits set on it (memory, pids):
# a fork bomb or a memory hog the config meant to contain reaches the host.

load helpers
load refusals
bats_require_minimum_version 1.5.0

setup() {
	[ "$(id -u)" = 0 ] || skip "needs root for runc"
	[ -d /sys/fs/cgroup/pids ] || skip "no cgroup v1 pids hierarchy here"
	B=$BATS_TEST_TMPDIR/bundle
	PREFIX=$(install_prefix)
	RT=$PREFIX/bin/oci-harden-runtime
	export OCI_HARDEN_POLICY=$PREFIX/etc/oci-harden/policy.json
	ID="oh-cgrw-$BATS_TEST_NUMBER-$$"
}

teardown() {
	runc delete -f "$ID" >/dev/null 2>&1 || true
}

@test "a read-write cgroup mount lets a hardened container lift its own pids limit; check, both hooks and the wrapper refuse it" {
	make_bundle "$B" '.linux.resources.pids = {limit: 50}' \
		sh -c 'cat /sys/fs/cgroup/pids/pids.max; echo max >/sys/fs/cgroup/pids/pids.max && echo LIFTED; cat /sys/fs/cgroup/pids/pids.max'
	harden_then "$B" '(.mounts[] | select(.type == "cgroup") | .options) |= map(select(. != "ro")) + ["rw"]'
	run runc run --bundle "$B" "$ID"
	runc delete -f "$ID" >/dev/null 2>&1 || true
	assert_line 50
	assert_output --partial LIFTED

	refused_by_every_front_end "$B" sensitive-mounts
	[[ "$CHECKED" == *"cgroup is mounted read-write at /sys/fs/cgroup: root in the container writes the limits the host set on its own cgroup"* ]]
	run "$RT" run --bundle "$B" "$ID"
	runc delete -f "$ID" >/dev/null 2>&1 || true
	assert_failure
	refute_output --partial LIFTED
}

@test "the read-only cgroup mount of runc's own spec keeps the pids limit; check and the wrapper admit it" {
	make_bundle "$B" '.linux.resources.pids = {limit: 50}' \
		sh -c 'echo max >/sys/fs/cgroup/pids/pids.max && echo LIFTED; cat /sys/fs/cgroup/pids/pids.max'
	harden_then "$B" .
	run "$PREFIX/bin/oci-harden" check --no-rootfs-scan "$B"
	refute_output --partial "sensitive-mounts"
	run "$RT" run --bundle "$B" "$ID"
	runc delete -f "$ID" >/dev/null 2>&1 || true
	assert_success
	assert_line 50
	refute_output --partial LIFTED
}
