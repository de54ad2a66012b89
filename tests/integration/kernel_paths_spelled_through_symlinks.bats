#!/usr/bin/env bats
# kernel-paths compares readonlyPaths and maskedPaths lexically cleaned:
# "/proc/thread-self/../sys" cleans to "/proc/sys".  runc resolves the path
# in the container, where /proc/thread-self is a symlink to PID/task/TID:
# ".." after it is /proc/PID/task, there is no "sys" there, and runc skips
# a path that does not exist.  /proc/sys stays writable and root in a
# hardened container writes the host's sysctls (kernel.core_pattern among
# them).  The test writes a sysctl's own value back, changing nothing.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	[ "$(id -u)" = 0 ] || skip "needs root for runc"
	B=$BATS_TEST_TMPDIR/bundle
	PREFIX=$(install_prefix)
	RT=$PREFIX/bin/oci-harden-runtime
	export OCI_HARDEN_POLICY=$PREFIX/etc/oci-harden/policy.json
	ID="oh-kpaths-$BATS_TEST_NUMBER-$$"
	K=/proc/sys/kernel/printk_ratelimit_burst
	V=$(cat "$K")
}

teardown() {
	runc delete -f "$ID" >/dev/null 2>&1 || true
}

@test "readonlyPaths naming /proc/sys as /proc/thread-self/../sys leaves /proc/sys writable under runc; check and the wrapper refuse or fix it" {
	make_bundle "$B" . sh -c "grep NoNewPrivs /proc/self/status; echo $V >$K && echo WROTE-HOST-SYSCTL"
	"$PREFIX/bin/oci-harden" fix --in-place "$B" >/dev/null 2>&1
	jq '.linux.readonlyPaths |= map(if . == "/proc/sys" then "/proc/thread-self/../sys" else . end)' \
		"$B/config.json" >"$B/c" && mv "$B/c" "$B/config.json"
	run runc run --bundle "$B" "$ID"
	runc delete -f "$ID" >/dev/null 2>&1 || true
	assert_output --partial "NoNewPrivs:	1"
	assert_output --partial WROTE-HOST-SYSCTL

	run "$PREFIX/bin/oci-harden" check --no-rootfs-scan "$B"
	assert_failure 1
	assert_output --partial "kernel-paths"
	run "$RT" run --bundle "$B" "$ID"
	runc delete -f "$ID" >/dev/null 2>&1 || true
	refute_output --partial WROTE-HOST-SYSCTL
}
