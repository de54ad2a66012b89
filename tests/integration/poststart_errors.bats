#!/usr/bin/env bats
# crun, as the runtime spec asks, only warns when a poststart hook fails
# and keeps the container running: a poststart stage that refused by its
# exit status alone would admit under crun.  So an error after the
# container's init is identified (the libseccomp load failure among them)
# ends, as a mismatch does, with SIGKILL through the init's pidfd.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	[ "$(id -u)" = 0 ] || skip "needs root for runc"
	[ -n "${OH_NO_SECCOMP_DIR:-}" ] || skip "libseccomp is linked in (OH_STATIC_LIBS)"
	B=$BATS_TEST_TMPDIR/bundle
	ID=oh-mend3-ps-$$
}

teardown() {
	runc delete -f "$ID" >/dev/null 2>&1 || true
}

@test "crun runs on after a poststart hook exits 2, so poststart kills a container it identified but could not judge, and audit mode only logs it" {
	command -v crun >/dev/null || skip "crun is not installed"
	local d=$BATS_TEST_TMPDIR
	# crun: a failing poststart hook is a warning.
	make_bundle "$B" '.hooks = {poststart: [{path: "/bin/sh", args: ["sh", "-c", "exit 2"]}]}' sleep 30
	run unshare -m --propagation private sh -c '
		umount /sys/fs/cgroup/unified 2>/dev/null
		crun --root "$1" run -d --bundle "$2" "$3" </dev/null >/dev/null 2>&1 || exit 9
		crun --root "$1" state "$3" | jq -r .status
		crun --root "$1" delete -f "$3"' sh "$d/crun" "$B" "$ID"
	[ "$status" != 9 ] || skip "crun cannot run here"
	assert_output running

	# poststart on a running container, libseccomp not loadable.
	rm -rf "$B"
	make_bundle "$B" '.' sleep 30
	"$OCI_HARDEN" fix --in-place "$B" >/dev/null 2>&1
	runc run -d --bundle "$B" "$ID" </dev/null >/dev/null
	printf '{"audit": {"file": "%s"}}' "$d/ps.log" >"$d/ps.json"
	runc state "$ID" | jq -c '{ociVersion, id, status, pid, bundle}' >"$d/state.json"
	run env LD_LIBRARY_PATH="$OH_NO_SECCOMP_DIR" "$OCI_HARDEN" hook poststart --policy "$d/ps.json" <"$d/state.json"
	assert_failure 2
	run cat "$d/ps.log"
	assert_output --partial "stage=poststart id=$ID verdict=error action=killed mode=enforce bundle=$B detail=\"cannot load libseccomp"
	# Killed, as the line says: not running on.
	run sh -c "runc state $ID | jq -r .status"
	refute_output running

	# Audit mode kills nothing and logs the error.
	runc delete -f "$ID" >/dev/null 2>&1
	runc run -d --bundle "$B" "$ID" </dev/null >/dev/null
	printf '{"mode": "audit", "audit": {"file": "%s"}}' "$d/psa.log" >"$d/psa.json"
	runc state "$ID" | jq -c '{ociVersion, id, status, pid, bundle}' >"$d/state.json"
	run env LD_LIBRARY_PATH="$OH_NO_SECCOMP_DIR" "$OCI_HARDEN" hook poststart --policy "$d/psa.json" <"$d/state.json"
	assert_success
	run cat "$d/psa.log"
	assert_output --partial "verdict=error action=admitted mode=audit"
	run sh -c "runc state $ID | jq -r .status"
	assert_output running
}

@test "poststart kills nothing on an error before it identifies the container's init: a state naming a host process" {
	local d=$BATS_TEST_TMPDIR
	make_bundle "$B" '.' sleep 30
	"$OCI_HARDEN" fix --in-place "$B" >/dev/null 2>&1
	sleep 30 &
	local victim=$!
	printf '{"audit": {"file": "%s"}}' "$d/ps.log" >"$d/ps.json"
	printf '{"ociVersion": "1.0.2", "id": "%s", "status": "running", "pid": %d, "bundle": "%s"}' \
		"$ID" "$victim" "$B" >"$d/state.json"
	run env LD_LIBRARY_PATH="$OH_NO_SECCOMP_DIR" "$OCI_HARDEN" hook poststart --policy "$d/ps.json" <"$d/state.json"
	assert_failure 2
	run cat "$d/ps.log"
	assert_output --partial "verdict=error action=refused"
	kill -0 "$victim"
	kill "$victim"
}
