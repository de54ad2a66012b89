#!/usr/bin/env bats
# cpack -G DEB: the package a platform installs.

load helpers
bats_require_minimum_version 1.5.0

setup_file() {
	command -v cpack >/dev/null || skip "no cpack"
	D=$BATS_FILE_TMPDIR/deb
	cmake -S "$OH_SOURCE_DIR" -B "$D" -DCMAKE_INSTALL_PREFIX=/usr -DOH_TESTS=OFF \
		-DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	cmake --build "$D" -j"$(nproc)" >/dev/null
	(cd "$D" && cpack -G DEB >/dev/null)
	dpkg-deb -x "$D"/oci-harden_*.deb "$BATS_FILE_TMPDIR/root"
}

setup() {
	D=$BATS_FILE_TMPDIR/deb
	R=$BATS_FILE_TMPDIR/root
}

@test "the .deb holds the binary, the runtime link, policy, profiles, hooks.d files and man pages" {
	for f in usr/bin/oci-harden etc/oci-harden/policy.json usr/share/oci-harden/schema.json \
		usr/share/oci-harden/seccomp/default.json usr/share/oci-harden/seccomp/strict.json \
		usr/share/containers/oci/hooks.d/99-oci-harden-precreate.json \
		usr/share/containers/oci/hooks.d/99-oci-harden-createruntime.json \
		usr/share/containers/oci/hooks.d/99-oci-harden-poststart.json \
		usr/share/man/man1/oci-harden.1 usr/share/man/man5/oci-harden-policy.5; do
		[ -f "$R/$f" ] || { echo "missing $f"; false; }
	done
	[ "$(readlink "$R/usr/bin/oci-harden-runtime")" = oci-harden ]
}

@test "the .deb's hooks.d files name /usr/bin/oci-harden and /etc/oci-harden/policy.json" {
	for f in "$R"/usr/share/containers/oci/hooks.d/*.json; do
		jq -e '.hook.path == "/usr/bin/oci-harden" and (.hook.args | index("/etc/oci-harden/policy.json"))' "$f"
	done
}

@test "the .deb depends on the libraries it links and keeps the policy as a conffile" {
	run dpkg-deb -f "$D"/oci-harden_*.deb Depends
	assert_output --partial libyajl2
	assert_output --partial libseccomp2
	assert_output --partial libcap2
	assert_output --partial libc6
	run sh -c "dpkg-deb -e '$(ls "$D"/oci-harden_*.deb)' '$BATS_TEST_TMPDIR/ctl' && cat '$BATS_TEST_TMPDIR/ctl/conffiles'"
	assert_output "/etc/oci-harden/policy.json"
}

@test "the packaged binary installs the bundled profile with no data file beside it" {
	# A prefix holding the binary alone: the profile comes from the binary.
	mkdir -p "$BATS_TEST_TMPDIR/p/bin"
	cp "$R/usr/bin/oci-harden" "$BATS_TEST_TMPDIR/p/bin/"
	run --separate-stderr "$BATS_TEST_TMPDIR/p/bin/oci-harden" fix --policy "$OH_SOURCE_DIR/policy/default.json" \
		"$FIXTURES/podman/seccomp-unconfined.json"
	assert_success
	jq -e '.linux.seccomp.defaultAction == "SCMP_ACT_ERRNO" and (.linux.seccomp.syscalls | length) > 40' <<<"$output"
	diff <(printf '%s\n' "$output") \
		<("$OCI_HARDEN" fix --policy "$OH_SOURCE_DIR/policy/default.json" "$FIXTURES/podman/seccomp-unconfined.json" 2>/dev/null)
}
