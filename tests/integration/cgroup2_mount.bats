#!/usr/bin/env bats
# A mount entry of type cgroup2 is a fresh mount of the cgroup v2
# hierarchy.  On this cgroup v1 hybrid host runc 1.1.5 mounts it like any
# file system (its cgroup handling is for type "cgroup"), and without a
# cgroup namespace of its own the container gets the hierarchy's root,
# read-write: every cgroup of the host, with cgroup.kill.  Root in a
# hardened container kills the processes of any host cgroup (a service's,
# init.scope's) without naming a pid.  The test kills a sleep of its own.

load helpers
load refusals
bats_require_minimum_version 1.5.0

setup() {
	[ "$(id -u)" = 0 ] || skip "needs root for runc"
	V2=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/self/mounts)
	[ -n "$V2" ] || skip "no cgroup v2 hierarchy mounted here"
	B=$BATS_TEST_TMPDIR/bundle
	PREFIX=$(install_prefix)
	RT=$PREFIX/bin/oci-harden-runtime
	export OCI_HARDEN_POLICY=$PREFIX/etc/oci-harden/policy.json
	ID="oh-cg2-$BATS_TEST_NUMBER-$$"
	VICTIM_CG=$V2/oh-victim-$$
}

teardown() {
	runc delete -f "$ID" >/dev/null 2>&1 || true
	[ -z "${VICTIM:-}" ] || kill "$VICTIM" 2>/dev/null || true
	rmdir "$VICTIM_CG" 2>/dev/null || true
}

start_victim() {
	mkdir -p "$VICTIM_CG"
	[ -e "$VICTIM_CG/cgroup.kill" ] || skip "no cgroup.kill in this kernel's cgroup v2"
	sleep 1000 &
	VICTIM=$!
	echo "$VICTIM" >"$VICTIM_CG/cgroup.procs"
}

@test "a cgroup2 mount entry gives a hardened container the host's cgroup v2 root, and it kills a host process through cgroup.kill; check, both hooks and the wrapper refuse it" {
	make_bundle "$B" . sh -c "grep NoNewPrivs /proc/self/status; echo 1 >/mnt/${VICTIM_CG##*/}/cgroup.kill && echo KILLED"
	harden_then "$B" '.mounts += [{destination: "/mnt", type: "cgroup2", source: "cgroup2", options: ["nosuid", "noexec", "nodev"]}]'
	start_victim
	run runc run --bundle "$B" "$ID"
	runc delete -f "$ID" >/dev/null 2>&1 || true
	assert_output --partial "NoNewPrivs:	1"
	assert_output --partial KILLED
	wait "$VICTIM" 2>/dev/null || true
	run cat "$VICTIM_CG/cgroup.procs"
	assert_output ""
	VICTIM=

	refused_by_every_front_end "$B" sensitive-mounts
	[[ "$CHECKED" == *"cgroup2 is mounted read-write at /mnt"* ]]
	start_victim
	run "$RT" run --bundle "$B" "$ID"
	runc delete -f "$ID" >/dev/null 2>&1 || true
	refute_output --partial KILLED
	kill -0 "$VICTIM"
}

@test "a read-only cgroup2 mount entry gives the container no cgroup.kill to write; check admits it" {
	make_bundle "$B" . sh -c "echo 1 >/mnt/${VICTIM_CG##*/}/cgroup.kill && echo KILLED"
	harden_then "$B" '.mounts += [{destination: "/mnt", type: "cgroup2", source: "cgroup2", options: ["nosuid", "noexec", "nodev", "ro"]}]'
	run "$PREFIX/bin/oci-harden" check --no-rootfs-scan "$B"
	refute_output --partial "sensitive-mounts"
	start_victim
	run runc run --bundle "$B" "$ID"
	runc delete -f "$ID" >/dev/null 2>&1 || true
	assert_output --partial "Read-only file system"
	refute_output --partial KILLED
	kill -0 "$VICTIM"
}

@test "a read-write cgroup2 mount in a cgroup namespace of the container's own is rooted at its cgroup but writes the limits the host set there; check, both hooks and the wrapper refuse it" {
	grep -qw nsdelegate /proc/self/mounts && skip "the host's cgroup2 has nsdelegate: the namespace's root is not writable from inside"
	make_bundle "$B" '.linux.namespaces += [{type: "cgroup"}]' \
		sh -c 'ls -d /mnt/*/ 2>/dev/null | wc -l; echo 5 >/mnt/cgroup.max.descendants && echo WROTE-LIMIT; cat /mnt/cgroup.max.descendants'
	harden_then "$B" '.mounts += [{destination: "/mnt", type: "cgroup2", source: "cgroup2", options: ["nosuid", "noexec", "nodev", "rw"]}]'
	run runc run --bundle "$B" "$ID"
	runc delete -f "$ID" >/dev/null 2>&1 || true
	# Its own cgroup only, no other below it, and the host's limit on it
	# written from inside.
	assert_line 0
	assert_output --partial WROTE-LIMIT
	assert_line 5

	refused_by_every_front_end "$B" sensitive-mounts
	run "$RT" run --bundle "$B" "$ID"
	runc delete -f "$ID" >/dev/null 2>&1 || true
	assert_failure
	refute_output --partial WROTE-LIMIT
}
