#!/usr/bin/env bats
# oci-harden's own binary as a config hook is judged by all of what runs,
# not by its path: run as argv[0] "oci-harden-runtime" with
# OCI_HARDEN_RUNTIME in the hook's env, the binary becomes the wrapper and
# execs that "runtime": here a script in the container's image that says
# "runc version" when asked --version.  runc runs the createRuntime hook
# as host root with every capability.  Each test shows the escape under
# plain runc, then check, the wrapper and the hooks refusing it.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	[ "$(id -u)" = 0 ] || skip "needs root for runc"
	B=$BATS_TEST_TMPDIR/bundle
	PREFIX=$(install_prefix)
	RT=$PREFIX/bin/oci-harden-runtime
	export OCI_HARDEN_POLICY=$PREFIX/etc/oci-harden/policy.json
	ID="oh-mend5-hookself-$BATS_TEST_NUMBER-$$"
	PWNED=$BATS_TEST_TMPDIR/host-pwned
	RFS=$BATS_TEST_TMPDIR/rootfs
	cp -a "$(rootfs)" "$RFS"
	# The image's "runtime": runs on the host as root.
	printf '#!/bin/sh\nif [ "$1" = --version ]; then echo "runc version 1.1.5"; exit 0; fi\ngrep CapEff /proc/self/status >%s\nexit 0\n' \
		"$PWNED" >"$RFS/runc"
	chmod +x "$RFS/runc"
	make_bundle "$B"
}

teardown() {
	runc delete -f "$ID" >/dev/null 2>&1 || true
}

evil_hook() {
	jq --arg rfs "$RFS" --arg oh "$PREFIX/bin/oci-harden" \
		'.root.path = $rfs | .hooks = {createRuntime: [{path: $oh,
		  args: ["oci-harden-runtime", "state", "x"],
		  env: ["OCI_HARDEN_RUNTIME=" + $rfs + "/runc", "PATH=/usr/bin:/bin"]}]}' \
		"$B/config.json" >"$B/c" && mv "$B/c" "$B/config.json"
}

@test "a config hook running oci-harden's own binary as the wrapper with the image's runtime runs image code as host root; check and the wrapper refuse it" {
	"$PREFIX/bin/oci-harden" fix --in-place "$B" >/dev/null 2>&1
	evil_hook
	# Shown under plain runc: the image's script ran on the host with
	# every capability.
	run runc run --bundle "$B" "$ID"
	runc delete -f "$ID" >/dev/null 2>&1 || true
	[ -f "$PWNED" ]
	run cat "$PWNED"
	assert_output --partial "CapEff:	000001ff"
	rm -f "$PWNED"

	# The safe behaviour: the hook is not oci-harden's own hook stage.
	run "$PREFIX/bin/oci-harden" check --no-rootfs-scan "$B"
	assert_failure 1
	assert_output --partial "config-hooks [deny]: createRuntime hook $PREFIX/bin/oci-harden: arguments oci-harden-runtime state x are not a form oci-harden registers"
	assert_output --partial "its env sets OCI_HARDEN_RUNTIME (read by oci-harden)"
	run "$RT" run --bundle "$B" "$ID"
	runc delete -f "$ID" >/dev/null 2>&1 || true
	[ ! -e "$PWNED" ]
	assert_failure
}

@test "the precreate hook does not hand podman a config with oci-harden's binary run as another command" {
	"$PREFIX/bin/oci-harden" fix --in-place "$B" >/dev/null 2>&1
	evil_hook
	run sh -c '"$0" hook precreate --refusal exit <"$1" >/dev/null' "$PREFIX/bin/oci-harden" "$B/config.json"
	assert_failure
}

@test "the createRuntime hook refuses a config hook running oci-harden's binary as another command" {
	"$PREFIX/bin/oci-harden" fix --in-place "$B" >/dev/null 2>&1
	evil_hook
	run "$PREFIX/bin/oci-harden" hook createRuntime <<<"{\"ociVersion\":\"1.0.2\",\"id\":\"$ID\",\"status\":\"creating\",\"pid\":$$,\"bundle\":\"$B\"}"
	assert_failure
	assert_output --partial "config-hooks"
}

@test "oci-harden's own createRuntime hook with LD_PRELOAD in its env loads the image's library as host root; check and the wrapper refuse it" {
	command -v cc >/dev/null || skip "no C compiler to build the library"
	printf '%s\n' '#include <stdio.h>' \
		'__attribute__((constructor)) static void m(void) { FILE *f = fopen("'"$PWNED"'", "w"); if (f) { fputs("loaded\n", f); fclose(f); } }' \
		>"$BATS_TEST_TMPDIR/m.c"
	cc -shared -fPIC -o "$RFS/m.so" "$BATS_TEST_TMPDIR/m.c"
	"$PREFIX/bin/oci-harden" fix --in-place "$B" >/dev/null 2>&1
	jq --arg rfs "$RFS" --arg oh "$PREFIX/bin/oci-harden" \
		'.root.path = $rfs | .hooks = {createRuntime: [{path: $oh,
		  args: ["oci-harden", "hook", "createRuntime"],
		  env: ["LD_PRELOAD=" + $rfs + "/m.so"]}]}' \
		"$B/config.json" >"$B/c" && mv "$B/c" "$B/config.json"
	run runc run --bundle "$B" "$ID"
	runc delete -f "$ID" >/dev/null 2>&1 || true
	# A sanitizer build's runtime refuses to start behind a preloaded
	# library, so only a plain build shows the library loaded.
	grep -qa __asan_init "$PREFIX/bin/oci-harden" || [ -f "$PWNED" ]
	rm -f "$PWNED"

	run "$PREFIX/bin/oci-harden" check --no-rootfs-scan "$B"
	assert_failure 1
	assert_output --partial "config-hooks"
	assert_output --partial "its env sets LD_PRELOAD (read by the dynamic loader)"
	run "$RT" run --bundle "$B" "$ID"
	runc delete -f "$ID" >/dev/null 2>&1 || true
	assert_failure
	[ ! -e "$PWNED" ]
}

@test "a createContainer hook of oci-harden's binary without env inherits OCI_HARDEN_RUNTIME from process.env and runs the image's runtime as host root; check and the wrapper refuse it" {
	"$PREFIX/bin/oci-harden" fix --in-place "$B" >/dev/null 2>&1
	jq --arg rfs "$RFS" --arg oh "$PREFIX/bin/oci-harden" \
		'.root.path = $rfs | .process.env += ["OCI_HARDEN_RUNTIME=" + $rfs + "/runc"]
		 | .hooks = {createContainer: [{path: $oh, args: ["oci-harden-runtime", "state", "x"]}]}' \
		"$B/config.json" >"$B/c" && mv "$B/c" "$B/config.json"
	run runc run --bundle "$B" "$ID"
	runc delete -f "$ID" >/dev/null 2>&1 || true
	[ -f "$PWNED" ]
	rm -f "$PWNED"

	run "$PREFIX/bin/oci-harden" check --no-rootfs-scan "$B"
	assert_failure 1
	assert_output --partial "createContainer hook $PREFIX/bin/oci-harden has no env of its own, so it inherits process.env's OCI_HARDEN_RUNTIME"
	run "$RT" run --bundle "$B" "$ID"
	runc delete -f "$ID" >/dev/null 2>&1 || true
	[ ! -e "$PWNED" ]
}

@test "a config hook running 'oci-harden host' with OCI_HARDEN_PYTHON naming the image's program runs it as host root; check refuses it" {
	"$PREFIX/bin/oci-harden" fix --in-place "$B" >/dev/null 2>&1
	jq --arg rfs "$RFS" --arg oh "$PREFIX/bin/oci-harden" \
		'.root.path = $rfs | .hooks = {createRuntime: [{path: $oh, args: ["oci-harden", "host"],
		  env: ["OCI_HARDEN_PYTHON=" + $rfs + "/runc"]}]}' \
		"$B/config.json" >"$B/c" && mv "$B/c" "$B/config.json"
	run runc run --bundle "$B" "$ID"
	runc delete -f "$ID" >/dev/null 2>&1 || true
	[ -f "$PWNED" ] || skip "oci-harden host read no TOML file here, so it ran no parser"
	rm -f "$PWNED"

	run "$PREFIX/bin/oci-harden" check --no-rootfs-scan "$B"
	assert_failure 1
	assert_output --partial "config-hooks"
}

@test "oci-harden's own hook with --policy naming a policy in the image appends its audit line to any host file as root; check and the wrapper refuse it" {
	local target=$BATS_TEST_TMPDIR/host-file-written-by-root
	"$PREFIX/bin/oci-harden" fix --in-place "$B" >/dev/null 2>&1
	# The image's policy: admit everything, append the trail to a host file.
	jq -n --arg f "$target" '{version: 1, mode: "audit", audit: {file: $f}}' >"$RFS/p.json"
	jq --arg rfs "$RFS" --arg oh "$PREFIX/bin/oci-harden" \
		'.root.path = $rfs | .hooks = {createRuntime: [{path: $oh,
		  args: ["oci-harden", "hook", "createRuntime", "--policy", $rfs + "/p.json"]}]}' \
		"$B/config.json" >"$B/c" && mv "$B/c" "$B/config.json"
	run runc run --bundle "$B" "$ID"
	runc delete -f "$ID" >/dev/null 2>&1 || true
	[ -f "$target" ]
	[ "$(stat -c %u "$target")" = 0 ]
	rm -f "$target"

	run "$PREFIX/bin/oci-harden" check --no-rootfs-scan "$B"
	assert_failure 1
	assert_output --partial "config-hooks"
	assert_output --partial "--policy $RFS/p.json is not a policy this installation knows"
	run "$RT" run --bundle "$B" "$ID"
	runc delete -f "$ID" >/dev/null 2>&1 || true
	assert_failure
	[ ! -e "$target" ]
}

@test "oci-harden's own hooks in the forms it registers are admitted, and runc runs them" {
	"$PREFIX/bin/oci-harden" fix --in-place "$B" >/dev/null 2>&1
	jq --arg oh "$PREFIX/bin/oci-harden" --arg pol "$OCI_HARDEN_POLICY" \
		'.hooks = {createRuntime: [{path: $oh, args: ["oci-harden", "hook", "createRuntime", "--policy", $pol], timeout: 10}],
		  poststart: [{path: $oh, args: ["oci-harden", "hook", "poststart"], env: ["PATH=/usr/bin:/bin"]}]}
		 | .process.args = ["true"]' \
		"$B/config.json" >"$B/c" && mv "$B/c" "$B/config.json"
	run "$PREFIX/bin/oci-harden" check --no-rootfs-scan "$B"
	refute_output --partial "config-hooks"
	run "$RT" run --bundle "$B" "$ID"
	assert_success
}

@test "a config hook with a hooks.d file's path but other arguments is not the registered hook" {
	local dir=$BATS_TEST_TMPDIR/hooks.d
	mkdir -p "$dir"
	printf '{"version": "1.0.0", "hook": {"path": "/bin/sh", "args": ["sh", "-c", "true"]}, "when": {"always": true}, "stages": ["createRuntime"]}' >"$dir/50-site.json"
	jq -n --arg d "$dir" '{version: 1, hooks: {dirs: [$d]}}' >"$BATS_TEST_TMPDIR/p.json"
	"$PREFIX/bin/oci-harden" fix --in-place "$B" >/dev/null 2>&1
	jq '.hooks = {createRuntime: [{path: "/bin/sh", args: ["sh", "-c", "true"]}]}' "$B/config.json" >"$B/c" && mv "$B/c" "$B/config.json"
	run "$PREFIX/bin/oci-harden" check --no-rootfs-scan --policy "$BATS_TEST_TMPDIR/p.json" "$B"
	refute_output --partial "config-hooks"
	# The same path as a root shell running whatever the config says.
	jq --arg p "$PWNED" '.hooks = {createRuntime: [{path: "/bin/sh", args: ["sh", "-c", "id -u >" + $p]}]}' "$B/config.json" >"$B/c" && mv "$B/c" "$B/config.json"
	run runc run --bundle "$B" "$ID"
	runc delete -f "$ID" >/dev/null 2>&1 || true
	[ "$(cat "$PWNED")" = 0 ]
	rm -f "$PWNED"
	run "$PREFIX/bin/oci-harden" check --no-rootfs-scan --policy "$BATS_TEST_TMPDIR/p.json" "$B"
	assert_failure 1
	assert_output --partial "config-hooks [deny]: createRuntime hook /bin/sh is not the hook hooks.d registers for that path"
}
