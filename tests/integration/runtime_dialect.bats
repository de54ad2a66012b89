#!/usr/bin/env bats
# Whose command line the real runtime reads: its name must agree with what
# the binary says of itself (`--version`), remembered by the file's
# identity in a cache only root can have written.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	[ "$(id -u)" = 0 ] || skip "needs root for runc and crun"
	command -v crun >/dev/null || skip "crun is not installed"
	PREFIX=$(install_prefix)
	RT=$PREFIX/bin/oci-harden-runtime
	export OCI_HARDEN_POLICY=$PREFIX/etc/oci-harden/policy.json
	T=$BATS_TEST_TMPDIR
	export OCI_HARDEN_CACHE_DIR=$T/cache
	mkdir -p "$T/cache" "$T/bin"
	chmod 755 "$T/cache"
	# a copy, not a link: its name is all the file says of itself
	cp "$(command -v crun)" "$T/bin/runc"
	ID="oh-dialect-$$-$BATS_TEST_NUMBER"
}

teardown() {
	crun --root "$T/root" delete -f "$ID" >/dev/null 2>&1 || true
}

# crun refuses this host's hybrid cgroup layout; in a private mount
# namespace without /sys/fs/cgroup/unified it runs.
in_ns() {
	unshare -m sh -c 'umount /sys/fs/cgroup/unified 2>/dev/null; exec "$@"' sh "$@"
}

# The cache line that says the file at $1 reads dialect $2.
cache_line() {
	printf '%s %s\n' "$(stat -c '%d %i %s %.9Y %.9Z' "$1")" "$2"
}

@test "a copy of crun named runc is refused, since runc's grammar would hand crun another bundle" {
	# Read as runc reads it, -bundle=B is the bundle B; crun (argp) reads
	# -b with the value "undle=B", a directory the caller made below the
	# working directory, whose config the wrapper never judged.
	make_bundle "$T/b" '.'
	mkdir -p "$T/work/undle=$T/b"
	jq '.process.noNewPrivileges = false | del(.linux.seccomp)' "$T/b/config.json" >"$T/work/undle=$T/b/config.json"
	cd "$T/work"
	OCI_HARDEN_RUNTIME=$T/bin/runc run in_ns "$RT" --root "$T/root" run -bundle="$T/b" "$ID"
	assert_failure 2
	assert_output --partial "$T/bin/runc is named runc but says it is crun (--version)"
	assert_output --partial "set runtime.dialect in the policy"
	refute_output --partial "NoNewPrivs"
	# the policy's runtime.dialect wins: read as crun reads it, the
	# bundle is the one crun runs, and that one is hardened
	jq '. + {"runtime": {"dialect": "crun"}}' "$OCI_HARDEN_POLICY" >"$T/policy.json"
	OCI_HARDEN_POLICY=$T/policy.json OCI_HARDEN_RUNTIME=$T/bin/runc \
		run in_ns "$RT" --root "$T/root" run -bundle="$T/b" "$ID"
	[ "$status" = 0 ] || [[ "$output" != *"cgroup"* ]] || skip "crun cannot run here: $output"
	assert_success
	[ "$(field NoNewPrivs)" = 1 ]
	[ "$(field Seccomp)" = 2 ]
	[ "$(jq .process.noNewPrivileges "$T/work/undle=$T/b/config.json")" = true ]
}

@test "crun's --roo through a copy of crun named runc: refused by name and probe, taken once the policy says crun" {
	make_bundle "$T/b" '.process.noNewPrivileges = false'
	OCI_HARDEN_RUNTIME=$T/bin/runc run in_ns "$RT" --roo "$T/root" run --bundle "$T/b" "$ID"
	assert_failure 2
	assert_output --partial "says it is crun"
	jq '. + {"runtime": {"dialect": "crun"}}' "$OCI_HARDEN_POLICY" >"$T/policy.json"
	OCI_HARDEN_POLICY=$T/policy.json OCI_HARDEN_RUNTIME=$T/bin/runc \
		run in_ns "$RT" --roo "$T/root" run --bundle "$T/b" "$ID"
	[ "$status" = 0 ] || [[ "$output" != *"cgroup"* ]] || skip "crun cannot run here: $output"
	assert_success
	[ "$(field NoNewPrivs)" = 1 ]
}

@test "the probe's answer is cached by the file's identity in a root-owned file written whole" {
	OCI_HARDEN_RUNTIME=$(command -v runc) run "$RT" --version
	assert_success
	assert_output --partial "runc version"
	run cat "$T/cache/runtime-dialects"
	assert_output "$(cache_line "$(command -v runc)" runc)"
	[ "$(stat -c '%u %a' "$T/cache/runtime-dialects")" = "0 644" ]
	# a second runtime joins the first; no temporary file is left
	OCI_HARDEN_RUNTIME=$T/bin/runc run "$RT" --version
	assert_failure 2
	run cat "$T/cache/runtime-dialects"
	assert_line "$(cache_line "$T/bin/runc" crun)"
	assert_line "$(cache_line "$(command -v runc)" runc)"
	[ "$(ls -A "$T/cache")" = runtime-dialects ]
}

@test "a cache entry is taken as it stands only from a file root alone can write, and only for the same file" {
	# A forged entry saying the crun copy reads runc's grammar.  The
	# wrapper believing it shows the probe was skipped.
	cache_line "$T/bin/runc" runc >"$T/cache/runtime-dialects"
	chmod 644 "$T/cache/runtime-dialects"
	OCI_HARDEN_RUNTIME=$T/bin/runc run "$RT" --version
	assert_success
	assert_output --partial "crun version"
	# writable by the group or the world, or owned by another user: ignored
	# (probed, refused), and the file is replaced by root's own
	local how
	for how in "chmod 666" "chmod 664" "chown 1000"; do
		cache_line "$T/bin/runc" runc >"$T/cache/runtime-dialects"
		chmod 644 "$T/cache/runtime-dialects"
		$how "$T/cache/runtime-dialects"
		OCI_HARDEN_RUNTIME=$T/bin/runc run "$RT" --version
		assert_failure 2
		assert_output --partial "says it is crun"
		[ "$(stat -c '%u %a' "$T/cache/runtime-dialects")" = "0 644" ]
		run cat "$T/cache/runtime-dialects"
		assert_output "$(cache_line "$T/bin/runc" crun)"
	done
	# a directory others can write: ignored, and nothing written there
	cache_line "$T/bin/runc" runc >"$T/cache/runtime-dialects"
	chmod 644 "$T/cache/runtime-dialects"
	chmod 777 "$T/cache"
	OCI_HARDEN_RUNTIME=$T/bin/runc run "$RT" --version
	assert_failure 2
	run cat "$T/cache/runtime-dialects"
	assert_output "$(cache_line "$T/bin/runc" runc)"
	chmod 755 "$T/cache"
	# the file changed (a new mtime and ctime): the old entry no longer
	# names it, so it is probed again
	touch -d '2020-01-01' "$T/bin/runc"
	OCI_HARDEN_RUNTIME=$T/bin/runc run "$RT" --version
	assert_failure 2
	assert_output --partial "says it is crun"
}

@test "a runtime named runc whose --version says neither, or that fails, is refused naming runtime.dialect" {
	printf '#!/bin/sh\necho "something else 1.0"\n' >"$T/bin/runc"
	OCI_HARDEN_RUNTIME=$T/bin/runc run "$RT" --version
	assert_failure 2
	assert_output --partial "--version does not say \"runc version\" or \"crun version\""
	assert_output --partial "set runtime.dialect in the policy"
	# nothing is kept for an answer that was none
	[ ! -s "$T/cache/runtime-dialects" ]
	printf '#!/bin/sh\nexit 3\n' >"$T/bin/runc"
	OCI_HARDEN_RUNTIME=$T/bin/runc run "$RT" --version
	assert_failure 2
	assert_output --partial "(exit 3)"
}

@test "a runtime whose --version answers and then does not exit is given up on within the probe's time" {
	# it says the right words, closes its output and stays: the probe must
	# not wait for it for ever
	printf '#!/bin/sh\necho "runc version 1.1.5"\nexec >&-\nexec sleep 60\n' >"$T/bin/runc"
	chmod +x "$T/bin/runc"
	OCI_HARDEN_RUNTIME=$T/bin/runc run timeout 20 "$RT" --version
	[ "$status" != 124 ]
	assert_failure 2
	assert_output --partial "--version did not exit within"
	assert_output --partial "set runtime.dialect in the policy"
	[ ! -s "$T/cache/runtime-dialects" ]
}
