#!/usr/bin/env bats
# linux.cgroupsPath naming a cgroup that holds other processes: runc 1.1
# joins it (with a warning that runc 1.2 will refuse), and kill --all,
# pause and delete of the newcomer reach every process there.  The test
# shows a compliant config taking another container down under real runc,
# then check, the wrapper and the createRuntime hook's view of it.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	[ "$(id -u)" = 0 ] || skip "needs root for runc"
	PREFIX=$(install_prefix)
	RT=$PREFIX/bin/oci-harden-runtime
	export OCI_HARDEN_POLICY=$PREFIX/etc/oci-harden/policy.json
	VICTIM="oh-redteam-cg-victim-$$"
	ATTACKER="oh-redteam-cg-attacker-$$"
	CG="/oh-redteam-cg-$$"
}

teardown() {
	local id
	if [ -n "${SIBLING:-}" ]; then
		kill "$SIBLING" 2>/dev/null || true
		while kill -0 "$SIBLING" 2>/dev/null; do sleep 0.1; done
		rmdir "$SIBLING_CG" 2>/dev/null || true
	fi
	for id in "$VICTIM" "$ATTACKER"; do
		runc kill "$id" KILL >/dev/null 2>&1 || true
		runc delete -f "$id" >/dev/null 2>&1 || true
	done
}

# detach BUNDLE ID: runc run -d, its output in $output and $status; the
# container's stdio is a file, not the pipe bats would wait on.
detach() {
	local log=$BATS_TEST_TMPDIR/detach.log
	run bash -c 'runc run -d --bundle "$1" "$2" </dev/null >"$3" 2>&1; rc=$?; cat "$3"; exit $rc' \
		_ "$1" "$2" "$log"
}

# bundle DIR CMD...: a hardened bundle in cgroup $CG.
bundle() {
	local dir=$1
	shift
	make_bundle "$dir" ".linux.cgroupsPath = \"$CG\"" "$@"
	"$OCI_HARDEN" fix --in-place "$dir" >/dev/null 2>&1
}

@test "a compliant container in another container's cgroup takes it down with kill --all under runc; check and the wrapper refuse it" {
	bundle "$BATS_TEST_TMPDIR/victim" sleep 300
	bundle "$BATS_TEST_TMPDIR/attacker" sleep 300
	detach "$BATS_TEST_TMPDIR/victim" "$VICTIM"
	run runc state "$VICTIM"
	assert_output --partial '"status": "running"'

	# The door: runc starts the newcomer in the victim's cgroup ...
	detach "$BATS_TEST_TMPDIR/attacker" "$ATTACKER"
	assert_success
	assert_output --partial "container's cgroup is not empty"
	# ... and kill --all of the newcomer kills the victim.
	runc kill --all "$ATTACKER" KILL
	local i
	for i in $(seq 1 50); do
		runc state "$VICTIM" | grep -q '"status": "stopped"' && break
		sleep 0.1
	done
	run runc state "$VICTIM"
	assert_output --partial '"status": "stopped"'
	runc delete -f "$ATTACKER" >/dev/null 2>&1
	runc delete -f "$VICTIM" >/dev/null 2>&1

	# With oci-harden: refused while the victim runs.
	detach "$BATS_TEST_TMPDIR/victim" "$VICTIM"
	run "$OCI_HARDEN" check --no-rootfs-scan "$BATS_TEST_TMPDIR/attacker"
	assert_failure 1
	assert_output --partial "cgroup-shared [deny]: linux.cgroupsPath $CG is a cgroup that holds other processes"
	run bash -c '"$1" run -d --bundle "$2" "$3" </dev/null >"$4" 2>&1; rc=$?; cat "$4"; exit $rc' \
		_ "$RT" "$BATS_TEST_TMPDIR/attacker" "$ATTACKER" "$BATS_TEST_TMPDIR/rt.log"
	assert_failure
	assert_output --partial "cgroup-shared"
	run runc state "$VICTIM"
	assert_output --partial '"status": "running"'
	# The host's root cgroup, however spelt, holds every host process.
	for p in / /.. "oh/../../.."; do
		jq --arg p "$p" '.linux.cgroupsPath = $p' "$BATS_TEST_TMPDIR/attacker/config.json" >"$BATS_TEST_TMPDIR/c.json"
		run "$OCI_HARDEN" check --no-rootfs-scan "$BATS_TEST_TMPDIR/c.json"
		assert_failure 1
		assert_output --partial "cgroup-shared [deny]"
	done
}

@test "a cgroup of the container's own is fine, also where runc put the container's init already (the createRuntime hook's view)" {
	bundle "$BATS_TEST_TMPDIR/own" sleep 300
	run "$OCI_HARDEN" check --no-rootfs-scan "$BATS_TEST_TMPDIR/own"
	refute_output --partial "cgroup-shared"
	# The createRuntime hook runs while runc create holds the container's
	# init in the cgroup: a sibling of the hook, not another process.
	jq --arg bin "$PREFIX/bin/oci-harden" '.hooks.createRuntime = [{path: $bin, args: ["oci-harden", "hook", "createRuntime"]}]' \
		"$BATS_TEST_TMPDIR/own/config.json" >"$BATS_TEST_TMPDIR/own/c.json"
	mv "$BATS_TEST_TMPDIR/own/c.json" "$BATS_TEST_TMPDIR/own/config.json"
	detach "$BATS_TEST_TMPDIR/own" "$VICTIM"
	assert_success
	run runc state "$VICTIM"
	assert_output --partial '"status": "running"'
}

@test "a process sharing the checker's parent is someone else's, as a sibling container under the same shim is" {
	bundle "$BATS_TEST_TMPDIR/attacker" sleep 300
	local base
	for base in /sys/fs/cgroup/pids /sys/fs/cgroup/unified /sys/fs/cgroup; do
		[ -f "$base/cgroup.procs" ] && break
	done
	SIBLING_CG=$base$CG
	mkdir "$SIBLING_CG"
	# A child of the shell that runs check, as check is: the wrapper's
	# siblings under a shim are the other containers it runs.
	run bash -c 'sleep 300 </dev/null >/dev/null 2>&1 & echo $! >"$2"; echo $! >"$3/cgroup.procs"; "$1" check --no-rootfs-scan "$4"; exit $?' \
		_ "$OCI_HARDEN" "$BATS_TEST_TMPDIR/sibling.pid" "$SIBLING_CG" "$BATS_TEST_TMPDIR/attacker"
	SIBLING=$(cat "$BATS_TEST_TMPDIR/sibling.pid")
	assert_failure 1
	assert_output --partial "cgroup-shared [deny]: linux.cgroupsPath $CG is a cgroup that holds other processes ($SIBLING_CG)"
}
