#!/usr/bin/env bats
# oci-harden-runtime in front of runc: what the runc CLI and podman
# --runtime get when the engine cannot rewrite a config through a hook.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	[ "$(id -u)" = 0 ] || skip "needs root for runc and podman"
	PREFIX=$(install_prefix)
	RT=$PREFIX/bin/oci-harden-runtime
	B=$BATS_TEST_TMPDIR/bundle
	export OCI_HARDEN_POLICY=$PREFIX/etc/oci-harden/policy.json
}

run_rt() {
	local id="oh-rt-$$-$RANDOM"
	run "$RT" run --bundle "$B" "$id"
	runc delete -f "$id" >/dev/null 2>&1 || true
}

@test "oci-harden-runtime is installed as a link to oci-harden" {
	[ "$(readlink "$RT")" = oci-harden ]
}

@test "runc through the wrapper runs a runc spec bundle with NoNewPrivs 1 and Seccomp 2" {
	make_bundle "$B" '.process.noNewPrivileges = false'
	run_rt
	assert_success
	[ "$(field NoNewPrivs)" = 1 ]
	[ "$(field Seccomp)" = 2 ]
	[ "$(field CapBnd)" = "$(capmask 5 10)" ]
}

@test "the config the runtime receives is exactly what fix writes, with the wrapper's createContainer hook last" {
	make_bundle "$B" '.process.noNewPrivileges = false | .process.capabilities.bounding += ["CAP_SYS_ADMIN"]'
	"$PREFIX/bin/oci-harden" fix --policy "$OCI_HARDEN_POLICY" -o "$BATS_TEST_TMPDIR/expected.json" "$B" 2>/dev/null
	local id="oh-rt-$$"
	# The container's init holds create's stdio: give it files, not a pipe.
	"$RT" create --bundle "$B" "$id" </dev/null >"$BATS_TEST_TMPDIR/out" 2>&1
	runc delete -f "$id"
	# The hook judges what runc mounted (createcontainer_judges_what_was_mounted.bats).
	run jq -c '.hooks' "$B/config.json"
	assert_output "{\"createContainer\":[{\"path\":\"$PREFIX/bin/oci-harden\",\"args\":[\"oci-harden\",\"hook\",\"createContainer\",\"--policy\",\"$OCI_HARDEN_POLICY\"],\"env\":[\"PATH=/usr/sbin:/usr/bin:/sbin:/bin\"]}]}"
	jq --tab 'del(.hooks)' "$B/config.json" >"$BATS_TEST_TMPDIR/without-hook.json"
	jq --tab . "$BATS_TEST_TMPDIR/expected.json" >"$BATS_TEST_TMPDIR/expected-tab.json"
	cmp "$BATS_TEST_TMPDIR/without-hook.json" "$BATS_TEST_TMPDIR/expected-tab.json"
}

@test "the wrapper's createContainer hook has an environment of its own: the image's loader variables do not reach it" {
	local dbg=$BATS_TEST_TMPDIR/ld-debug
	make_bundle "$B" '.process.env += ["LD_DEBUG=files", "LD_DEBUG_OUTPUT='"$dbg"'"]' true
	"$PREFIX/bin/oci-harden" fix --in-place --policy "$OCI_HARDEN_POLICY" "$B" >/dev/null 2>&1
	# The raw config with oci-harden's hook without env: runc gives it the
	# container's process.env, and the loader of a program running as
	# host root writes the file the image names (LD_PRELOAD would load
	# the image's code the same way).
	jq --arg p "$PREFIX/bin/oci-harden" --arg pol "$OCI_HARDEN_POLICY" \
		'.hooks.createContainer = [{path: $p, args: ["oci-harden", "hook", "createContainer", "--policy", $pol]}]' \
		"$B/config.json" >"$BATS_TEST_TMPDIR/raw.json"
	mkdir -p "$BATS_TEST_TMPDIR/raw" && cp "$BATS_TEST_TMPDIR/raw.json" "$BATS_TEST_TMPDIR/raw/config.json"
	local id="oh-rt-env-$$"
	run runc run --bundle "$BATS_TEST_TMPDIR/raw" "$id"
	runc delete -f "$id" >/dev/null 2>&1 || true
	assert_success
	compgen -G "$dbg.*" >/dev/null
	rm -f "$dbg".*
	# Through the wrapper: the hook it adds has its own env; the container
	# starts and nothing reads the image's variables as host root.
	run_rt
	assert_success
	! compgen -G "$dbg.*" >/dev/null
}

@test "the bundle defaults to the working directory, and global options are passed on" {
	make_bundle "$B" '.process.noNewPrivileges = false'
	mkdir -p "$BATS_TEST_TMPDIR/root"
	local id="oh-rt-cwd-$$"
	(cd "$B" && "$RT" --root "$BATS_TEST_TMPDIR/root" create "$id" </dev/null >/dev/null 2>&1)
	# created under the given --root, from the hardened config in the cwd
	run runc --root "$BATS_TEST_TMPDIR/root" state "$id"
	assert_success
	[ "$(jq -r .status <<<"$output")" = created ]
	[ "$(jq .process.noNewPrivileges "$B/config.json")" = true ]
	runc --root "$BATS_TEST_TMPDIR/root" delete -f "$id"
}

@test "a cap-all bundle is refused naming cap-all, untouched, and runc never starts it" {
	make_bundle "$B" '.' echo should-not-run
	jq --slurpfile p "$FIXTURES/podman/privileged.json" '.process.capabilities.bounding = $p[0].process.capabilities.bounding' \
		"$B/config.json" >"$B/c" && mv "$B/c" "$B/config.json"
	cp "$B/config.json" "$BATS_TEST_TMPDIR/before.json"
	run_rt
	assert_failure 1
	assert_output --partial "cap-all [deny]"
	refute_output --partial "should-not-run"
	cmp "$B/config.json" "$BATS_TEST_TMPDIR/before.json"
}

@test "--version shows runc's version, and other commands pass straight through" {
	run "$RT" --version
	assert_success
	assert_output --partial "runc version"
	run "$RT" list
	assert_success
	assert_output --partial "ID"
	run "$RT" state no-such-container
	assert_failure
	assert_output --partial "does not exist"
}

@test "a runtime path that is the wrapper itself is refused as a loop" {
	run env OCI_HARDEN_RUNTIME="$RT" "$RT" --version
	assert_failure 2
	assert_output --partial "oci-harden-runtime itself"
	# a runtime that calls the wrapper again
	mkdir -p "$BATS_TEST_TMPDIR/again"
	printf '#!/bin/sh\nexec %s "$@"\n' "$RT" >"$BATS_TEST_TMPDIR/again/runc"
	chmod +x "$BATS_TEST_TMPDIR/again/runc"
	run env OCI_HARDEN_RUNTIME="$BATS_TEST_TMPDIR/again/runc" "$RT" --version
	assert_failure 2
	assert_output --partial "a loop"
}

@test "the policy's runtime.path picks the real runtime" {
	printf '{"runtime": {"path": "%s"}}' "$(command -v runc)" >"$BATS_TEST_TMPDIR/p.json"
	OCI_HARDEN_POLICY=$BATS_TEST_TMPDIR/p.json run "$RT" --version
	assert_success
	assert_output --partial "runc version"
	printf '{"runtime": {"path": "/nonexistent/runc"}}' >"$BATS_TEST_TMPDIR/bad.json"
	OCI_HARDEN_POLICY=$BATS_TEST_TMPDIR/bad.json run "$RT" --version
	assert_failure 2
	assert_output --partial "/nonexistent/runc is not an executable"
}

@test "podman --runtime with the wrapper runs a default container with NoNewPrivs 1 and Seccomp 2" {
	run podman --cgroup-manager cgroupfs --runtime "$RT" "${PODMAN_RUN[@]}" --rootfs "$(podman_rootfs)" sh -c "$STATUS"
	assert_success
	[ "$(field NoNewPrivs)" = 1 ]
	[ "$(field Seccomp)" = 2 ]
}

@test "podman --runtime with the wrapper refuses --privileged naming cap-all" {
	run podman --cgroup-manager cgroupfs --runtime "$RT" "${PODMAN_RUN[@]}" --privileged --rootfs "$(podman_rootfs)" echo should-not-run
	assert_failure
	assert_output --partial "cap-all"
	refute_output --partial "should-not-run"
}

# A detached, hardened container running sleep, for exec tests.
start_sleeper() {
	make_bundle "$B" '.' sleep 60
	SLEEPER="oh-rt-exec-$$"
	"$RT" run -d --bundle "$B" "$SLEEPER" </dev/null >/dev/null 2>&1
}

stop_sleeper() {
	runc delete -f "$SLEEPER" >/dev/null 2>&1 || true
}

@test "exec in a hardened container passes through, with the container's privileges" {
	start_sleeper
	run "$RT" exec "$SLEEPER" sh -c "$STATUS"
	stop_sleeper
	assert_success
	[ "$(field NoNewPrivs)" = 1 ]
	[ "$(field Seccomp)" = 2 ]
	[ "$(field CapEff)" = "$(capmask 5 10)" ]
}

@test "exec --cap with a capability outside the allowlist is refused naming cap-not-allowed" {
	start_sleeper
	run "$RT" exec --cap CAP_SYS_ADMIN "$SLEEPER" sh -c "$STATUS"
	local refused=$status out=$output
	run "$RT" exec --cap CAP_KILL "$SLEEPER" true
	local allowed=$status
	stop_sleeper
	[ "$refused" = 1 ]
	[[ "$out" == *"cap-not-allowed [deny]: exec --cap CAP_SYS_ADMIN: outside the container"* ]]
	[[ "$out" != *"CapEff"* ]]
	[ "$allowed" = 0 ]
}

@test "exec with a process spec holding every capability (docker exec --privileged) is refused naming cap-all" {
	start_sleeper
	jq --slurpfile p "$FIXTURES/podman/privileged.json" \
		'.process | .args = ["true"] | .capabilities = $p[0].process.capabilities' \
		"$B/config.json" >"$BATS_TEST_TMPDIR/process.json"
	run "$RT" exec --process "$BATS_TEST_TMPDIR/process.json" "$SLEEPER"
	local out=$output st=$status
	# the same spec with the container's own capabilities runs
	jq '.process | .args = ["true"]' "$B/config.json" >"$BATS_TEST_TMPDIR/ok.json"
	run "$RT" exec --process "$BATS_TEST_TMPDIR/ok.json" "$SLEEPER"
	stop_sleeper
	assert_success
	[ "$st" = 1 ]
	[[ "$out" == *"cap-all"* ]]
}

@test "exec with --preserve-fds in a form runc reads differently (hex, octal) is refused" {
	start_sleeper
	local v st=()
	for v in 0x100 0100 2_56; do
		OCI_HARDEN_RUNTIME=$(standin_runtime) run "$RT" exec --preserve-fds="$v" "$SLEEPER" true
		st+=("$status")
	done
	# descriptors 3 to 7 the caller's own (passed_descriptors.bats)
	OCI_HARDEN_RUNTIME=$(standin_runtime) run sh -c \
		'for fd in 3 4 5 6 7; do eval "exec $fd</dev/null"; done; exec "$@"' sh \
		"$RT" exec --preserve-fds=5 "$SLEEPER" true
	local plain=$status
	stop_sleeper
	[ "${st[*]}" = "2 2 2" ]
	[ "$plain" = 0 ]
}

@test "exec into a container whose filter allows everything is refused as unconfined" {
	make_bundle "$B" '.linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["getpid"], "action": "SCMP_ACT_LOG"}]}' sleep 60
	local id=oh-rt-allowall-$$
	runc run -d --bundle "$B" "$id" </dev/null >/dev/null 2>&1
	OCI_HARDEN_RUNTIME=$(standin_runtime) run "$RT" exec "$id" true
	runc delete -f "$id" >/dev/null 2>&1
	assert_failure 1
	assert_output --partial "seccomp-unconfined"
}
