#!/usr/bin/env bats
# A filter that sends the must-block calls to SCMP_ACT_NOTIFY hands them to
# a listener, which can answer "continue": the call runs.  Read from the
# kernel, where nothing tells whose listener it is, such a filter confines
# nothing (inspect, the wrapper's exec, restore verify).

load helpers
bats_require_minimum_version 1.5.0

setup() {
	[ "$(id -u)" = 0 ] || skip "needs root for runc"
	command -v runc >/dev/null || skip "runc is not installed"
	[ -x "${OH_RAWCALL:-}" ] || skip "OH_RAWCALL does not name the rawcall helper"
	[ -x "${OH_NOTIFY_CONTINUE:-}" ] || skip "OH_NOTIFY_CONTINUE does not name the listener"
	[ "$(uname -m)" = x86_64 ] || skip "the numbers below are x86_64's"
	PREFIX=$(install_prefix)
	RT=$PREFIX/bin/oci-harden-runtime
	export OCI_HARDEN_POLICY=$PREFIX/etc/oci-harden/policy.json
	cp "$OH_RAWCALL" "$(rootfs)/bin/rawcall"
	B=$BATS_TEST_TMPDIR/bundle
	ID="oh-notify-$$-$BATS_TEST_NUMBER"
	SOCK=$BATS_TEST_TMPDIR/notify.sock
}

teardown() {
	runc delete -f "$ID" >/dev/null 2>&1 || true
	[ ! -e "$BATS_TEST_TMPDIR/listener.pid" ] || kill "$(cat "$BATS_TEST_TMPDIR/listener.pid")" 2>/dev/null || true
}

# The listener on $SOCK, answering every notification with FLAG_CONTINUE.
start_listener() {
	"$OH_NOTIFY_CONTINUE" "$SOCK" >"$BATS_TEST_TMPDIR/listener.log" 2>&1 &
	echo $! >"$BATS_TEST_TMPDIR/listener.pid"
	local i
	for i in $(seq 50); do
		[ -S "$SOCK" ] && return 0
		sleep 0.1
	done
	return 1
}

# The bundled profile (what fix installs), with the must-block calls
# userfaultfd, add_key, request_key, bpf and kexec_load taken out of its
# rules and sent to SCMP_ACT_NOTIFY, the listener at $SOCK.
notify_bundle() {
	make_bundle "$B" '.' sleep 60
	"$OCI_HARDEN" fix --policy "$OCI_HARDEN_POLICY" -o "$BATS_TEST_TMPDIR/hardened.json" "$B" 2>/dev/null
	jq --arg l "$SOCK" '["userfaultfd", "add_key", "request_key", "bpf", "kexec_load"] as $nb
		| .linux.seccomp.listenerPath = $l
		| .linux.seccomp.syscalls |= (map(.names -= $nb) | map(select(.names | length > 0)))
		| .linux.seccomp.syscalls += [{"names": $nb, "action": "SCMP_ACT_NOTIFY"}]' \
		"$BATS_TEST_TMPDIR/hardened.json" >"$B/config.json"
}

@test "a filter sending userfaultfd to SCMP_ACT_NOTIFY lets it run when the listener answers continue" {
	notify_bundle
	start_listener
	runc run -d --bundle "$B" "$ID" </dev/null >/dev/null 2>&1
	# userfaultfd(UFFD_USER_MODE_ONLY) needs no capability
	run runc exec "$ID" rawcall 323 1
	assert_output "323 0"
	run cat "$BATS_TEST_TMPDIR/listener.log"
	assert_line "notified 323"
	# the same container under the bundled profile: refused
	runc delete -f "$ID"
	cp "$BATS_TEST_TMPDIR/hardened.json" "$B/config.json"
	runc run -d --bundle "$B" "$ID" </dev/null >/dev/null 2>&1
	run runc exec "$ID" rawcall 323 1
	assert_output "323 1 EPERM"
}

@test "inspect reads the filters and judges one that notifies a listener it does not know as unconfined" {
	notify_bundle
	start_listener
	runc run -d --bundle "$B" "$ID" </dev/null >/dev/null 2>&1
	run "$OCI_HARDEN" inspect "$ID"
	assert_failure 1
	assert_output --partial "seccomp-unconfined [fix]"
	assert_output --partial "they let through add_key, bpf, kexec_load, request_key, userfaultfd"
	assert_output --partial "SCMP_ACT_NOTIFY for add_key, bpf, kexec_load, request_key, userfaultfd: a listener oci-harden knows nothing of decides"
	# the same calls at ERRNO: the filters confine
	runc delete -f "$ID"
	cp "$BATS_TEST_TMPDIR/hardened.json" "$B/config.json"
	runc run -d --bundle "$B" "$ID" </dev/null >/dev/null 2>&1
	run "$OCI_HARDEN" inspect "$ID"
	refute_output --partial "seccomp-unconfined"
}

@test "the wrapper refuses an exec into a container started outside it whose filter notifies an unknown listener" {
	notify_bundle
	start_listener
	runc run -d --bundle "$B" "$ID" </dev/null >/dev/null 2>&1
	run "$RT" exec "$ID" rawcall 323 1
	assert_failure 1
	assert_output --partial "seccomp-unconfined [deny]: the container runs under seccomp filters that only look confining"
	assert_output --partial "SCMP_ACT_NOTIFY for add_key"
	refute_output --partial "323 0"
	# nothing reached the listener from the refused exec
	run ! grep -qx "notified 323" "$BATS_TEST_TMPDIR/listener.log"
	# an exec into the container under the bundled profile passes
	runc delete -f "$ID"
	cp "$BATS_TEST_TMPDIR/hardened.json" "$B/config.json"
	runc run -d --bundle "$B" "$ID" </dev/null >/dev/null 2>&1
	run "$RT" exec "$ID" rawcall 323 1
	assert_success
	assert_output "323 1 EPERM"
}

@test "the poststart verifier reads the filters and stops a container whose filter notifies an unknown listener" {
	notify_bundle
	start_listener
	# runc 1.1 runs poststart during create, with the filter loaded and
	# the listener handed its fd; the workload would make the call.
	jq --arg bin "$OCI_HARDEN" --arg pol "$OCI_HARDEN_POLICY" '.process.args = ["rawcall", "323", "1"]
		| .hooks = {poststart: [{path: $bin, args: ["oci-harden", "hook", "poststart", "--policy", $pol], timeout: 10}]}' \
		"$B/config.json" >"$B/c" && mv "$B/c" "$B/config.json"
	run runc run --bundle "$B" "$ID"
	assert_failure
	assert_output --partial "seccomp-unconfined"
	assert_output --partial "SCMP_ACT_NOTIFY for add_key"
	refute_output --partial "323 0"
	# the same hook admits the container under the bundled profile
	runc delete -f "$ID" >/dev/null 2>&1 || true
	jq --arg bin "$OCI_HARDEN" --arg pol "$OCI_HARDEN_POLICY" '.process.args = ["rawcall", "323", "1"]
		| .hooks = {poststart: [{path: $bin, args: ["oci-harden", "hook", "poststart", "--policy", $pol], timeout: 10}]}' \
		"$BATS_TEST_TMPDIR/hardened.json" >"$B/config.json"
	run runc run --bundle "$B" "$ID"
	assert_success
	assert_output "323 1 EPERM"
}

@test "the wrapper refuses an exec into a container whose workload stacked a stricter filter on its own" {
	[ -x "${OH_SC_TIGHTEN:-}" ] || skip "OH_SC_TIGHTEN does not name the tightening helper"
	notify_bundle
	start_listener
	cp "$OH_SC_TIGHTEN" "$(rootfs)/bin/sc-tighten"
	# init's own filter answers EPERM to the notified calls; an exec gets
	# only the config's filter, which hands them to the listener
	jq '.process.args = ["/bin/sc-tighten", "/bin/sleep", "60"]' "$B/config.json" >"$B/c" &&
		mv "$B/c" "$B/config.json"
	runc run -d --bundle "$B" "$ID" </dev/null >/dev/null 2>&1
	run "$RT" exec "$ID" rawcall 323 1
	refute_output "323 0"
	assert_failure 1
	assert_output --partial "seccomp-unconfined [deny]"
	assert_output --partial "SCMP_ACT_NOTIFY"
}

@test "the wrapper refuses an exec into a crun container whose workload stacked a stricter filter on its own" {
	[ -x "${OH_SC_TIGHTEN:-}" ] || skip "OH_SC_TIGHTEN does not name the tightening helper"
	command -v crun >/dev/null || skip "crun is not installed"
	notify_bundle
	start_listener
	cp "$OH_SC_TIGHTEN" "$(rootfs)/bin/sc-tighten"
	jq '.process.args = ["/bin/sc-tighten", "/bin/sleep", "60"]' "$B/config.json" >"$B/c" &&
		mv "$B/c" "$B/config.json"
	local R=$BATS_TEST_TMPDIR/crun-root P=$BATS_TEST_TMPDIR/process.json
	jq '.process | .args = ["rawcall", "323", "1"]' "$B/config.json" >"$P"
	# crun refuses this host's hybrid cgroup layout; in a private mount
	# namespace without /sys/fs/cgroup/unified it runs.
	run unshare -m sh -c 'umount /sys/fs/cgroup/unified 2>/dev/null
		crun --root "$1" run -d --bundle "$2" "$3" </dev/null >/dev/null 2>&1 || exit 9
		OCI_HARDEN_RUNTIME=$(command -v crun) "$4" --root "$1" exec --process "$5" "$3"
		rc=$?; crun --root "$1" delete -f "$3" >/dev/null 2>&1; exit $rc' sh "$R" "$B" "$ID" "$RT" "$P"
	[ "$status" != 9 ] || skip "crun cannot run here"
	refute_output "323 0"
	assert_failure 1
	assert_output --partial "seccomp-unconfined [deny]"
	assert_output --partial "SCMP_ACT_NOTIFY for add_key"
}

@test "the wrapper refuses an exec into a container whose config allows must-block calls while its workload stacked a stricter filter on its own" {
	[ -x "${OH_SC_TIGHTEN:-}" ] || skip "OH_SC_TIGHTEN does not name the tightening helper"
	make_bundle "$B" '.' sleep 60
	"$OCI_HARDEN" fix --policy "$OCI_HARDEN_POLICY" -o "$BATS_TEST_TMPDIR/hardened.json" "$B" 2>/dev/null
	cp "$OH_SC_TIGHTEN" "$(rootfs)/bin/sc-tighten"
	jq '["userfaultfd", "add_key", "request_key", "bpf", "kexec_load"] as $nb
		| .process.args = ["/bin/sc-tighten", "/bin/sleep", "60"]
		| .linux.seccomp.syscalls |= (map(.names -= $nb) | map(select(.names | length > 0)))
		| .linux.seccomp.syscalls += [{"names": $nb, "action": "SCMP_ACT_ALLOW"}]' \
		"$BATS_TEST_TMPDIR/hardened.json" >"$B/config.json"
	runc run -d --bundle "$B" "$ID" </dev/null >/dev/null 2>&1
	# the door: an exec runs under the config's filter alone
	run runc exec "$ID" rawcall 323 1
	assert_output "323 0"
	run "$RT" exec "$ID" rawcall 323 1
	refute_output "323 0"
	assert_failure 1
	assert_output --partial "seccomp-unconfined [deny]"
	assert_output --partial "allowed by the config runc keeps for the container"
}
