#!/usr/bin/env bats
# `--preserve-fds N` makes runc hand descriptors 3 .. 3+N-1 of its own
# process to the container's process.  When the caller has none open
# there, runc 1.1.5's own descriptors take those numbers: fd 3 is runc's
# O_PATH descriptor of the host's /sys/fs/cgroup, and
# /proc/self/fd/3/../../.. is the host's root.  The wrapper passes the
# flag through for run, create and exec: a hardened container (or exec)
# read and wrote the host's files.  Now it refuses unless every one of
# those descriptors is the caller's.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	[ "$(id -u)" = 0 ] || skip "needs root for runc"
	B=$BATS_TEST_TMPDIR/bundle
	PREFIX=$(install_prefix)
	RT=$PREFIX/bin/oci-harden-runtime
	export OCI_HARDEN_POLICY=$PREFIX/etc/oci-harden/policy.json
	ID="oh-fds-$BATS_TEST_NUMBER-$$"
	MARK=$BATS_TEST_TMPDIR/host-marker
	echo "oh-fds host file $$" >"$MARK"
	READ="grep -E '^(NoNewPrivs|Seccomp):' /proc/self/status; cat /proc/self/fd/3/../../..$MARK"
}

teardown() {
	runc kill "$ID" KILL >/dev/null 2>&1 || true
	runc delete -f "$ID" >/dev/null 2>&1 || true
}

# no_fds CMD...: runs CMD with no descriptor above 2 open, as an engine
# that preserves nothing of its own would.
no_fds() {
	sh -c 'for fd in 3 4 5 6 7 8 9; do eval "exec $fd>&-"; done; exec "$@"' sh "$@"
}

@test "run --preserve-fds 1 with no descriptor 3: plain runc hands the container its descriptor of the host's /sys/fs/cgroup, the wrapper refuses" {
	make_bundle "$B" . sh -c "$READ"
	"$PREFIX/bin/oci-harden" fix --in-place "$B" >/dev/null 2>&1
	# Plain runc: the host file is read through fd 3.
	run no_fds runc run --preserve-fds 1 --bundle "$B" "$ID"
	runc delete -f "$ID" >/dev/null 2>&1 || true
	assert_output --partial "NoNewPrivs:	1"
	assert_output --partial "oh-fds host file $$"

	run no_fds "$RT" run --preserve-fds 1 --bundle "$B" "$ID"
	assert_failure 2
	refute_output --partial "oh-fds host file $$"
	assert_output --partial "descriptor 3 is not one the caller passed (--preserve-fds, LISTEN_FDS)"
	run runc state "$ID"
	assert_failure
}

@test "run --preserve-fds 1 with the caller's descriptor 3 open hands the container that one" {
	make_bundle "$B" . sh -c "grep -E '^(NoNewPrivs):' /proc/self/status; cat /proc/self/fd/3"
	"$PREFIX/bin/oci-harden" fix --in-place "$B" >/dev/null 2>&1
	echo "the caller's file" >"$BATS_TEST_TMPDIR/passed"
	run no_fds sh -c 'exec 3<"$0"; exec "$@"' "$BATS_TEST_TMPDIR/passed" "$RT" run --preserve-fds 1 --bundle "$B" "$ID"
	assert_success
	assert_output --partial "NoNewPrivs:	1"
	assert_output --partial "the caller's file"
}

@test "exec --preserve-fds 1 with no descriptor 3: plain runc gives the exec the host's file system, the wrapper refuses" {
	make_bundle "$B" . sh -c "sleep 600"
	"$PREFIX/bin/oci-harden" fix --in-place "$B" >/dev/null 2>&1
	no_fds "$RT" run -d --bundle "$B" "$ID" </dev/null >/dev/null 2>&1
	run no_fds runc exec --preserve-fds 1 "$ID" sh -c "$READ"
	assert_output --partial "NoNewPrivs:	1"
	assert_output --partial "oh-fds host file $$"

	run no_fds "$RT" exec --preserve-fds 1 "$ID" sh -c "$READ"
	assert_failure 2
	refute_output --partial "oh-fds host file $$"
	assert_output --partial "descriptor 3 is not one the caller passed"
}

@test "LISTEN_FDS=1 with no descriptor 3: plain runc hands the container its descriptor of the host's /sys/fs/cgroup, the wrapper refuses" {
	make_bundle "$B" . sh -c "$READ"
	"$PREFIX/bin/oci-harden" fix --in-place "$B" >/dev/null 2>&1
	# runc takes descriptors 3.. as systemd's socket activation ones when
	# LISTEN_PID is its pid (the wrapper execs it, keeping the pid).
	run no_fds sh -c 'LISTEN_PID=$$ LISTEN_FDS=1 exec "$@"' sh runc run --bundle "$B" "$ID"
	runc delete -f "$ID" >/dev/null 2>&1 || true
	assert_output --partial "oh-fds host file $$"

	run no_fds sh -c 'LISTEN_PID=$$ LISTEN_FDS=1 exec "$@"' sh "$RT" run --bundle "$B" "$ID"
	assert_failure 2
	refute_output --partial "oh-fds host file $$"
	assert_output --partial "descriptor 3 is not one the caller passed"
}
