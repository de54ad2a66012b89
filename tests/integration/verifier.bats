#!/usr/bin/env bats
# The poststart verifier cannot be aimed at a process outside the
# container: a forged state naming a host process, or another container's,
# is refused and nothing is killed.  And the audit trail's container id
# cannot be chosen by whoever creates the container.

load helpers

setup() {
	[ "$(id -u)" = 0 ] || skip "needs root for runc"
	T=$BATS_TEST_TMPDIR
	POLICY=$OH_SOURCE_DIR/policy/default.json
	VICTIMS=()
}

teardown() {
	local p
	for p in "${VICTIMS[@]}"; do kill "$p" 2>/dev/null || true; done
	[ -z "${CID:-}" ] || runc delete -f "$CID" >/dev/null 2>&1 || true
}

# A bundle at $T/NAME whose root.path is ROOT.
forged_bundle() {
	mkdir -p "$T/$1"
	jq -n --arg root "$2" '{ociVersion: "1.0.2", root: {path: $root},
		process: {args: ["sleep", "60"], cwd: "/", user: {uid: 0, gid: 0}},
		linux: {namespaces: [{type: "pid"}, {type: "mount"}]}}' >"$T/$1/config.json"
}

state() {   # ID BUNDLE PID
	printf '{"ociVersion":"1.0.2","id":"%s","status":"running","bundle":"%s","pid":%s}' "$@"
}

alive() {
	kill -0 "$1" 2>/dev/null
}

@test "poststart refuses a state naming a host process with a bundle whose rootfs is /" {
	sleep 60 &
	VICTIMS+=($!)
	forged_bundle slash /
	run "$OCI_HARDEN" hook poststart --policy "$POLICY" <<<"$(state forged "$T/slash" "$!")"
	assert_failure 2
	assert_output --partial "host's pid namespace"
	alive "$!"
}

@test "poststart refuses a host process whose root is the container's rootfs but whose pid namespace is the host's" {
	local r
	r=$(rootfs)
	chroot "$r" /bin/sleep 60 &
	VICTIMS+=($!)
	forged_bundle chrooted "$r"
	run "$OCI_HARDEN" hook poststart --policy "$POLICY" <<<"$(state forged "$T/chrooted" "$!")"
	assert_failure 2
	assert_output --partial "pid namespace"
	alive "$!"
}

@test "poststart refuses a host process for a bundle whose rootfs is a shared directory" {
	sleep 60 &
	VICTIMS+=($!)
	forged_bundle shared "$(rootfs)"
	run "$OCI_HARDEN" hook poststart --policy "$POLICY" <<<"$(state forged "$T/shared" "$!")"
	assert_failure 2
	alive "$!"
}

@test "poststart refuses another container's process for a bundle sharing its rootfs" {
	local b=$T/victim pid
	make_bundle "$b" '.' sleep 60
	CID=oh-verify-$$-$RANDOM
	runc run -d --bundle "$b" "$CID" </dev/null >/dev/null 2>&1
	pid=$(runc state "$CID" | jq .pid)
	# The forged bundle names the victim's rootfs, and runc's default
	# cgroup for its own id.
	forged_bundle other "$(jq -r .root.path "$b/config.json")"
	run "$OCI_HARDEN" hook poststart --policy "$POLICY" <<<"$(state forged-other "$T/other" "$pid")"
	assert_failure 2
	assert_output --partial "cgroup"
	alive "$pid"
	[ "$(runc state "$CID" | jq -r .status)" = running ]
}

@test "poststart kills nothing when the forged pid is this very container's under another id" {
	# The victim's own bundle, with a different container id in the state:
	# the cgroup is the victim's, not the one runc gives that id.
	local b=$T/victim2 pid
	make_bundle "$b" '.' sleep 60
	CID=oh-verify-$$-$RANDOM
	runc run -d --bundle "$b" "$CID" </dev/null >/dev/null 2>&1
	pid=$(runc state "$CID" | jq .pid)
	run "$OCI_HARDEN" hook poststart --policy "$POLICY" <<<"$(state someone-else "$b" "$pid")"
	assert_failure 2
	alive "$pid"
}

@test "the audit trail's id in precreate cannot be set by an annotation" {
	local log=$T/audit.log
	jq --arg a "$log" '. + {"audit": {"file": $a}}' "$POLICY" >"$T/policy.json"
	jq '.annotations["io.kubernetes.cri-o.ContainerID"] = "forged-id" | del(.linux.cgroupsPath)' \
		"$FIXTURES/podman/default.json" >"$T/config.json"
	run "$OCI_HARDEN" hook precreate --policy "$T/policy.json" <"$T/config.json"
	assert_success
	run cat "$log"
	refute_output --partial "forged-id"
	# podman's own id comes from the cgroup path podman writes
	jq '.annotations["io.kubernetes.cri-o.ContainerID"] = "forged-id" |
		.linux.cgroupsPath = "/libpod_parent/libpod-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"' \
		"$FIXTURES/podman/default.json" >"$T/config.json"
	: >"$log"
	run "$OCI_HARDEN" hook precreate --policy "$T/policy.json" <"$T/config.json"
	assert_success
	run cat "$log"
	assert_output --partial "id=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	refute_output --partial "forged-id"
}

@test "poststart refuses a forged state naming a real container's id and pid with a bundle of its own" {
	local b=$T/victim3 pid
	make_bundle "$b" '.' sleep 60
	CID=oh-verify-$$-$RANDOM
	runc run -d --bundle "$b" "$CID" </dev/null >/dev/null 2>&1
	pid=$(runc state "$CID" | jq .pid)
	# The forger copies the victim's rootfs path and uses its id, so the
	# root and the default cgroup match; runc's record names another bundle.
	forged_bundle forged3 "$(jq -r .root.path "$b/config.json")"
	run "$OCI_HARDEN" hook poststart --policy "$POLICY" <<<"$(state "$CID" "$T/forged3" "$pid")"
	assert_failure 2
	assert_output --partial "as the runtime recorded it"
	alive "$pid"
	[ "$(runc state "$CID" | jq -r .status)" = running ]
}

@test "poststart judges a container in the host's pid namespace by the runtime's record" {
	local b=$T/hostpid pid
	make_bundle "$b" 'del(.linux.namespaces[] | select(.type == "pid")) | .process.noNewPrivileges = false' sleep 60
	CID=oh-verify-$$-$RANDOM
	runc create --bundle "$b" "$CID" </dev/null >/dev/null 2>&1
	pid=$(runc state "$CID" | jq .pid)
	# Its own state: the runtime's record vouches for the pid, the
	# verifier judges it (and kills it: no no-new-privileges).
	run "$OCI_HARDEN" hook poststart --policy "$POLICY" <<<"$(runc state "$CID")"
	assert_failure 1
	assert_output --partial "no-new-privileges [fix]"
	# The same bundle with a host process: no record names it.
	sleep 60 &
	VICTIMS+=($!)
	run "$OCI_HARDEN" hook poststart --policy "$POLICY" <<<"$(state nobody "$b" "$!")"
	assert_failure 2
	alive "$!"
}

@test "a bundle path that is not a directory is refused with exit 2, not a crash" {
	local stage
	for stage in createRuntime prestart poststart; do
		run "$OCI_HARDEN" hook "$stage" --policy "$POLICY" \
			<<<'{"ociVersion":"1.0.2","id":"oh-verify-x","status":"creating","bundle":"/etc/passwd","pid":1}'
		[ "$status" = 2 ] || { echo "$stage: $status $output"; return 1; }
	done
	ln -sf "$OCI_HARDEN" "$T/oci-harden-runtime"
	OCI_HARDEN_RUNTIME=$(standin_runtime) run "$T/oci-harden-runtime" run --bundle /nonexistent oh-verify-x
	assert_failure 2
}
