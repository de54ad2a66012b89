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
	# precreate lives apart from CRI-O's directory (below); man pages are
	# compressed, as Debian's policy wants.
	for f in usr/bin/oci-harden etc/oci-harden/policy.json usr/share/oci-harden/schema.json \
		usr/share/oci-harden/seccomp/default.json usr/share/oci-harden/seccomp/strict.json \
		usr/share/oci-harden/hooks.d/99-oci-harden-precreate.json \
		usr/share/containers/oci/hooks.d/99-oci-harden-createruntime.json \
		usr/share/containers/oci/hooks.d/99-oci-harden-createcontainer.json \
		usr/share/containers/oci/hooks.d/99-oci-harden-poststart.json \
		usr/share/man/man1/oci-harden.1.gz usr/share/man/man5/oci-harden-policy.5.gz \
		usr/share/doc/oci-harden/copyright usr/share/doc/oci-harden/changelog.Debian.gz \
		etc/containers/containers.conf.d/50-oci-harden.conf; do
		[ -f "$R/$f" ] || { echo "missing $f"; false; }
	done
	[ "$(readlink "$R/usr/bin/oci-harden-runtime")" = oci-harden ]
	[ "$(readlink "$R/usr/share/man/man1/oci-harden-runtime.1.gz")" = oci-harden.1.gz ]
	# the wrapper as runc, for containerd's PATH (setup --engine containerd)
	[ "$(readlink "$R/usr/libexec/oci-harden/runc-path/runc")" = ../../../bin/oci-harden ]
	[ "$(ls "$R/usr/libexec/oci-harden/runc-path")" = runc ]
}

@test "the .deb's hooks.d files name /usr/bin/oci-harden and /etc/oci-harden/policy.json" {
	for f in "$R"/usr/share/containers/oci/hooks.d/*.json "$R"/usr/share/oci-harden/hooks.d/*.json; do
		jq -e '.hook.path == "/usr/bin/oci-harden" and (.hook.args | index("/etc/oci-harden/policy.json"))' "$f"
	done
}

@test "the .deb depends on the libraries it links and keeps the policy as a conffile" {
	run dpkg-deb -f "$D"/oci-harden_*.deb Depends
	assert_output --partial libyajl2
	# opened on first use (hook/scload.c), so declared by hand, versioned
	assert_output --regexp 'libseccomp2 \(>= [0-9]+\.[0-9]+'
	# libcap's names are taken at build time: the binary does not link it
	refute_output --partial libcap2
	assert_output --partial libc6
	run sh -c "dpkg-deb -e '$(ls "$D"/oci-harden_*.deb)' '$BATS_TEST_TMPDIR/ctl' && cat '$BATS_TEST_TMPDIR/ctl/conffiles'"
	assert_line "/etc/oci-harden/policy.json"
	assert_line "/etc/containers/containers.conf.d/50-oci-harden.conf"
	# every file under /etc is a conffile
	diff <(cd "$R" && find etc -type f | sed 's|^|/|' | sort) <(sort "$BATS_TEST_TMPDIR/ctl/conffiles")
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

@test "lintian passes the .deb with no errors and no warnings, pedantic tags included" {
	command -v lintian >/dev/null || skip "no lintian (.ci/install-deps installs it)"
	run lintian --pedantic --display-info --fail-on error,warning,info,pedantic \
		"$D"/oci-harden_*.deb
	echo "$output"
	assert_success
	refute_output --regexp '^[EWIP]: '
}

@test "the packaged binary is built with the distribution's hardening flags and stripped" {
	local bin=$R/usr/bin/oci-harden
	# PIE, full RELRO with BIND_NOW
	readelf -hW "$bin" | grep -q 'Type:.*DYN'
	readelf -lW "$bin" | grep -q GNU_RELRO
	readelf -dW "$bin" | grep -q 'FLAGS_1.*NOW.*PIE'
	# the stack protector and the fortified libc calls are linked in
	readelf --dyn-syms -W "$bin" | grep -q ' __stack_chk_fail'
	readelf --dyn-syms -W "$bin" | grep -q '__snprintf_chk'
	# no symbol table and no debug information in the package
	run readelf -SW "$bin"
	refute_output --partial .symtab
	refute_output --partial .debug_
}

# What CRI-O's hook loader (containers/common pkg/hooks, the 1.0.0 schema's
# Validate) accepts: the runtime-spec's stages and no extension stage, since
# CRI-O passes none; one file with another stage fails the whole directory.
# buildah (podman build) reads both directories below the same way.
CRIO_STAGES='["prestart","createRuntime","createContainer","startContainer","poststart","poststop"]'

crio_accepts_dir() {
	local f
	for f in "$1"/*.json; do
		[ -e "$f" ] || continue
		jq -e --argjson ok "$CRIO_STAGES" \
			'.version == "1.0.0" and (.stages | type == "array" and length > 0) and
			 all(.stages[]; . as $s | $ok | index($s))' "$f" >/dev/null ||
			{ echo "CRI-O refuses $1: $(basename "$f") has stages $(jq -c .stages "$f")"; return 1; }
	done
}

@test "every hooks directory CRI-O and buildah read by default holds only stages they accept" {
	# the check itself refuses a precreate file
	mkdir -p "$BATS_TEST_TMPDIR/bad"
	cp "$R/usr/share/oci-harden/hooks.d/99-oci-harden-precreate.json" "$BATS_TEST_TMPDIR/bad/"
	run crio_accepts_dir "$BATS_TEST_TMPDIR/bad"
	assert_failure
	for dir in usr/share/containers/oci/hooks.d etc/containers/oci/hooks.d; do
		crio_accepts_dir "$R/$dir"
	done
	# and CRI-O still gets the createRuntime refusal and the poststart check
	jq -e '.stages == ["createRuntime"]' "$R/usr/share/containers/oci/hooks.d/99-oci-harden-createruntime.json"
	jq -e '.stages == ["createContainer"]' "$R/usr/share/containers/oci/hooks.d/99-oci-harden-createcontainer.json"
	jq -e '.stages == ["poststart"]' "$R/usr/share/containers/oci/hooks.d/99-oci-harden-poststart.json"
}

@test "podman is pointed at the precreate hook by the package's containers.conf drop-in" {
	command -v python3 >/dev/null || skip "no python3"
	run python3 -c '
import sys, tomllib
conf = tomllib.load(open(sys.argv[1], "rb"))
print("\n".join(conf["engine"]["hooks_dir"]))' "$R/etc/containers/containers.conf.d/50-oci-harden.conf"
	[ "$status" -eq 0 ] || skip "no tomllib in this python3: $output"
	assert_line /usr/share/containers/oci/hooks.d
	assert_line /usr/share/oci-harden/hooks.d
	jq -e '.stages == ["precreate"]' "$R/usr/share/oci-harden/hooks.d/99-oci-harden-precreate.json"
}

@test "podman reads the precreate hook through the drop-in, in a private mount namespace" {
	[ "$(id -u)" = 0 ] || skip "needs root for podman and unshare"
	command -v podman >/dev/null || skip "no podman"
	# The host's /etc/containers and /usr/share/containers stay untouched: the
	# package's files are bound over copies of them in a private namespace.
	local t=$BATS_TEST_TMPDIR/ns
	mkdir -p "$t"
	cp -a /etc/containers "$t/etc"
	mkdir -p "$t/share"
	[ -d /usr/share/containers ] && cp -a /usr/share/containers/. "$t/share/"
	mkdir -p "$t/etc/containers.conf.d" "$t/share/oci/hooks.d"
	cp "$R/etc/containers/containers.conf.d/50-oci-harden.conf" "$t/etc/containers.conf.d/"
	# the hook files as packaged, pointing at this build's binary and policy
	mkdir -p "$t/podman-hooks"
	local f
	for f in "$R"/usr/share/containers/oci/hooks.d/*.json "$R"/usr/share/oci-harden/hooks.d/*.json; do
		jq --arg bin "$OCI_HARDEN" --arg pol "$OH_SOURCE_DIR/policy/default.json" \
			'.hook.path = $bin | .hook.args |= map(if . == "/etc/oci-harden/policy.json" then $pol else . end)' \
			"$f" >"$t/$(basename "$f")"
	done
	mv "$t"/99-oci-harden-createruntime.json "$t"/99-oci-harden-createcontainer.json \
		"$t"/99-oci-harden-poststart.json "$t/share/oci/hooks.d/"
	mv "$t"/99-oci-harden-precreate.json "$t/podman-hooks/"
	sed -i "s|\"/usr/share/oci-harden/hooks.d\"|\"$t/podman-hooks\"|" "$t/etc/containers.conf.d/50-oci-harden.conf"
	run unshare -m --propagation private sh -c '
		mount --bind "$1/etc" /etc/containers && mount --bind "$1/share" /usr/share/containers &&
		shift && exec "$@"' sh "$t" "${PODMAN[@]}" "${PODMAN_RUN[@]}" --name "oh-pkg-$$" \
		--rootfs "$(podman_rootfs)" sh -c "$STATUS"
	assert_success
	# precreate rewrote the config: no-new-privileges and the bundled seccomp profile
	[ "$(field NoNewPrivs)" = 1 ]
	[ "$(field Seccomp)" = 2 ]
}
