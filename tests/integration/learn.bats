#!/usr/bin/env bats
# Learning a workload's seccomp profile through the kernel's seccomp user
# notification, with real runc: the recorder records, the learned profile
# runs the workload, allows far fewer calls than the bundled default, and
# still refuses the dangerous calls.

load helpers

setup() {
	[ "$(id -u)" = 0 ] || skip "needs root for runc"
	T=$BATS_TEST_TMPDIR
	SOCK=$T/learn.sock
	jq -n --arg s "$SOCK" '{version: 1, seccomp: {learn: {socket: $s,
		annotation: "org.oci-harden.seccomp.learn"}}}' >"$T/policy.json"
	ANN='.annotations = {"org.oci-harden.seccomp.learn": "true"}'
}

# learn BUNDLE OUT: records one run of the bundle into OUT.
learn() {
	"$OCI_HARDEN" profile learn --policy "$T/policy.json" "$2" 2>"$T/recorder.log" &
	local rec=$!
	for _ in $(seq 50); do [ -S "$SOCK" ] && break; sleep 0.1; done
	"$OCI_HARDEN" fix --in-place --policy "$T/policy.json" "$1" 2>/dev/null
	run_bundle "$1"
	wait "$rec"
}

@test "a container the policy lets learn gets the recording filter, and only then" {
	make_bundle "$T/b" "$ANN"
	"$OCI_HARDEN" fix --policy "$T/policy.json" "$T/b" 2>/dev/null >"$T/fixed.json"
	jq -e --arg s "$SOCK" '.linux.seccomp.listenerPath == $s' "$T/fixed.json"
	jq -e '[.linux.seccomp.syscalls[] | select(.action == "SCMP_ACT_NOTIFY")] | length > 10' "$T/fixed.json"
	# write stays allowed (runc refuses to notify it); denials stay denials
	jq -e '[.linux.seccomp.syscalls[] | select(.action == "SCMP_ACT_NOTIFY") | .names[]] | index("write") == null' "$T/fixed.json"
	jq -e '[.linux.seccomp.syscalls[] | select(.action == "SCMP_ACT_ERRNO") | .names[]] | index("mount") != null' "$T/fixed.json"
	# without the annotation, or under a policy without learn: the profile
	make_bundle "$T/c" '.'
	"$OCI_HARDEN" fix --policy "$T/policy.json" "$T/c" 2>/dev/null | jq -e '.linux.seccomp.listenerPath == null'
	"$OCI_HARDEN" fix "$T/b" 2>/dev/null | jq -e '.linux.seccomp.listenerPath == null'
	# the check agrees: compliant once the recording filter is in place
	"$OCI_HARDEN" fix --in-place --policy "$T/policy.json" "$T/b" 2>/dev/null
	run "$OCI_HARDEN" check --no-rootfs-scan --policy "$T/policy.json" "$T/b"
	assert_success
}

@test "a notification listener the policy does not name is refused: it could let any call through" {
	make_bundle "$T/b" '.'
	"$OCI_HARDEN" fix --in-place "$T/b" 2>/dev/null
	jq '.linux.seccomp.listenerPath = "/run/agent.sock" |
		.linux.seccomp.syscalls += [{"names": ["mount"], "action": "SCMP_ACT_NOTIFY"}]' \
		"$T/b/config.json" >"$T/c" && mv "$T/c" "$T/b/config.json"
	run "$OCI_HARDEN" check --no-rootfs-scan "$T/b"
	assert_failure 1
	assert_output --partial "hands system calls to an agent at /run/agent.sock"
	"$OCI_HARDEN" fix "$T/b" 2>/dev/null | jq -e '.linux.seccomp.listenerPath == null'
}

@test "runc hands the recorder the notifications; the learned profile runs the workload and blocks the dangerous calls" {
	cp "$OH_PROBE" "$(rootfs)/bin/syscall-probe"
	make_bundle "$T/b" "$ANN" sh -c 'echo hello; ls / >/dev/null; /bin/syscall-probe read getpid socket_inet'
	learn "$T/b" "$T/learned.json"
	assert_success
	assert_output --partial hello
	grep -q "recording container" "$T/recorder.log"
	"$OCI_HARDEN" profile check "$T/learned.json"
	# far fewer calls than the bundled default
	local learned default
	learned=$(jq '[.syscalls[] | select(.action == "SCMP_ACT_ALLOW") | .names[]] | unique | length' "$T/learned.json")
	default=$(jq '[.syscalls[] | select(.action == "SCMP_ACT_ALLOW") | .names[]] | unique | length' "$OH_SOURCE_DIR/seccomp-profiles/default.json")
	echo "learned $learned calls, default $default" >&3
	[ "$learned" -lt $((default / 3)) ]
	# the workload runs under it, socket(AF_INET) included
	make_bundle "$T/r" '.' sh -c 'echo hello; ls / >/dev/null; /bin/syscall-probe read getpid socket_inet mount keyctl unshare bpf socket_vsock'
	"$OCI_HARDEN" fix --in-place --seccomp-profile "$T/learned.json" "$T/r" 2>/dev/null
	run_bundle "$T/r"
	assert_success
	assert_line "read 0"
	assert_line "socket_inet 0"
	assert_line "mount 1 EPERM"
	assert_line "keyctl 1 EPERM"
	assert_line "unshare 1 EPERM"
	assert_line "bpf 1 EPERM"
	refute_line "socket_vsock 0"
}

@test "learned profiles from several runs merge" {
	make_bundle "$T/b" "$ANN" sh -c 'echo one'
	learn "$T/b" "$T/learned.json"
	jq -e '.syscalls[0].names | index("kill") == null' "$T/learned.json"
	make_bundle "$T/b2" "$ANN" sh -c 'kill -0 $$ && echo two'
	learn "$T/b2" "$T/learned.json"
	assert_output --partial two
	jq -e '.syscalls[0].names | index("kill") != null' "$T/learned.json"
	jq -e '.syscalls[0].names | index("execve") != null' "$T/learned.json"
}

@test "a recorder that is not listening fails the container's start: it never runs unconfined" {
	make_bundle "$T/b" "$ANN"
	"$OCI_HARDEN" fix --in-place --policy "$T/policy.json" "$T/b" 2>/dev/null
	run_bundle "$T/b"
	assert_failure
	refute_output --partial "Seccomp:"
}

@test "podman run through the hooks learns a profile when the annotation asks and the policy allows" {
	command -v podman >/dev/null || skip "podman is not installed"
	local p
	p=$(install_prefix)
	cp "$p/etc/oci-harden/policy.json" "$T/saved-policy.json"
	cp "$T/policy.json" "$p/etc/oci-harden/policy.json"
	"$OCI_HARDEN" profile learn --policy "$T/policy.json" "$T/podman.json" 2>"$T/recorder.log" &
	local rec=$!
	for _ in $(seq 50); do [ -S "$SOCK" ] && break; sleep 0.1; done
	run "${PODMAN[@]}" --hooks-dir "$p/share/containers/oci/hooks.d" "${PODMAN_RUN[@]}" \
		--annotation org.oci-harden.seccomp.learn=true --rootfs "$(podman_rootfs)" \
		sh -c 'echo from-podman; grep Seccomp: /proc/self/status'
	wait "$rec"
	cp "$T/saved-policy.json" "$p/etc/oci-harden/policy.json"
	assert_success
	assert_output --partial from-podman
	grep -q "recording container" "$T/recorder.log"
	"$OCI_HARDEN" profile check "$T/podman.json"
}
