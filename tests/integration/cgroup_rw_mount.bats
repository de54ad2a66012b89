#!/usr/bin/env bats
# runc's cgroup mount (type cgroup at /sys/fs/cgroup) binds the
# container's own cgroup directories; without "ro" they are writable, and
# root in a hardened container lifts the limits set on it (memory, pids):
# a fork bomb or a memory hog the config meant to contain reaches the host.

load helpers
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

@test "a read-write cgroup mount lets a hardened container lift its own pids limit; check and the wrapper refuse or fix it" {
	make_bundle "$B" '.linux.resources.pids = {limit: 50}
		| (.mounts[] | select(.type == "cgroup") | .options) |= map(select(. != "ro")) + ["rw"]' \
		sh -c 'cat /sys/fs/cgroup/pids/pids.max; echo max >/sys/fs/cgroup/pids/pids.max && echo LIFTED; cat /sys/fs/cgroup/pids/pids.max'
	"$PREFIX/bin/oci-harden" fix --in-place "$B" >/dev/null 2>&1
	run runc run --bundle "$B" "$ID"
	runc delete -f "$ID" >/dev/null 2>&1 || true
	assert_line 50
	assert_output --partial LIFTED

	run "$RT" run --bundle "$B" "$ID"
	runc delete -f "$ID" >/dev/null 2>&1 || true
	refute_output --partial LIFTED
}
