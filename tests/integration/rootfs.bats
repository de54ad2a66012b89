#!/usr/bin/env bats
# check walks a bundle's rootfs: setuid files, tools that phone home,
# package managers and compilers, within bounds it reports.

load helpers

setup() {
	B=$BATS_TEST_TMPDIR/bundle
	R=$BATS_TEST_TMPDIR/rootfs
}

# bundle_over ROOTFS [JQ-FILTER]: a runc spec bundle whose root.path is ROOTFS.
bundle_over() {
	mkdir -p "$B"
	(cd "$B" && rm -f config.json && runc spec)
	jq --arg r "$1" ".root.path = \$r | ${2:-.}" "$B/config.json" >"$B/c"
	mv "$B/c" "$B/config.json"
}

@test "check names a SUID binary and busybox's wget in a busybox rootfs" {
	cp -a "$(rootfs)" "$R"
	cp /bin/true "$R/bin/pinger"
	chmod 4755 "$R/bin/pinger"
	bundle_over "$R" '.process.noNewPrivileges = false'
	run "$OCI_HARDEN" check "$B"
	assert_failure 1
	assert_output --regexp "$B: rootfs $R: [0-9]+ files in [0-9.]+ s \(limits 200000 files, 5 s\)"
	assert_output --partial "$B: suid-files [warn]: 1 file with the setuid or setgid bit: /bin/pinger (setuid root); without no-new-privileges"
	assert_output --partial "phone-home-tools [warn]: "
	assert_output --partial "/bin/wget -> busybox"
	assert_output --partial "/bin/nc -> busybox"
	assert_output --partial "/bin/busybox (applets nc, wget)"
	# Debian's busybox also carries dpkg and rpm applets
	assert_output --partial "package-manager [warn]: "
	refute_output --partial "compiler ["

	run "$OCI_HARDEN" check --format json "$B"
	printf '%s' "$output" | jq -e '.results[0].rootfs | .scanned and .complete and .files > 100 and .maxFiles == 200000'
	printf '%s' "$output" | jq -e '.results[0].findings | map(select(.rule == "suid-files" or .rule == "phone-home-tools"))
		| length == 2 and all(.action == "warn" and .pointer == "/root/path")'
	run "$OCI_HARDEN" check --format sarif "$B"
	printf '%s' "$output" | jq -e '.runs[0].invocations[0].properties.rootfsScans[0].scanned'
	printf '%s' "$output" | jq -e '[.runs[0].results[].ruleId] | index("suid-files") != null'
}

@test "with no-new-privileges the SUID finding says the bit cannot elevate" {
	cp -a "$(rootfs)" "$R"
	chmod 4755 "$R/bin/busybox"
	bundle_over "$R" '.process.noNewPrivileges = true'
	run "$OCI_HARDEN" check "$B"
	assert_output --partial "suid-files [warn]: 1 file with the setuid or setgid bit: /bin/busybox (setuid root); the config sets no-new-privileges, so a setuid or setgid file cannot raise privileges"
}

@test "a distroless-like rootfs (one static binary) has none of these findings" {
	mkdir -p "$R/etc"
	printf 'int main(void) { return 0; }\n' >"$BATS_TEST_TMPDIR/app.c"
	cc -static -o "$R/app" "$BATS_TEST_TMPDIR/app.c" 2>/dev/null || skip "no static libc to build a static binary"
	echo 'nonroot:x:65532:65532::/home/nonroot:/sbin/nologin' >"$R/etc/passwd"
	bundle_over "$R" '.process.noNewPrivileges = true'
	run "$OCI_HARDEN" check --format json "$B"
	printf '%s' "$output" | jq -e '.results[0].rootfs | .scanned and .complete and .files == 3'
	printf '%s' "$output" | jq -e '.results[0].findings | map(.rule) |
		(index("suid-files"), index("phone-home-tools"), index("package-manager"), index("compiler")) == null'
}

@test "the walk never follows a symlink out of the rootfs" {
	[ -x /usr/bin/gcc ] && [ -x /usr/bin/make ] || skip "the host has no gcc and make to be found"
	mkdir -p "$R"
	ln -s /usr/bin "$R/bin"
	ln -s / "$R/host"
	ln -s ../../../.. "$R/up"
	bundle_over "$R"
	run "$OCI_HARDEN" check --format json "$B"
	printf '%s' "$output" | jq -e '.results[0].rootfs.files == 3'
	printf '%s' "$output" | jq -e '.results[0].findings | map(.rule) | index("compiler") == null'
}

@test "a bound stops the walk and the report says so" {
	cp -a "$(rootfs)" "$R"
	bundle_over "$R"
	echo '{"rootfs": {"maxFiles": 10}}' >"$BATS_TEST_TMPDIR/p.json"
	run "$OCI_HARDEN" check --policy "$BATS_TEST_TMPDIR/p.json" "$B"
	assert_output --partial "rootfs $R: stopped at the file-count limit after 10 files"
	assert_output --partial "findings may be incomplete"
	run "$OCI_HARDEN" check --policy "$BATS_TEST_TMPDIR/p.json" --format json "$B"
	printf '%s' "$output" | jq -e '.results[0].rootfs | .complete == false and .stoppedBy == "files" and .files == 10'
}

@test "--no-rootfs-scan, config files and missing rootfs directories are not walked" {
	cp -a "$(rootfs)" "$R"
	bundle_over "$R"
	run "$OCI_HARDEN" check --no-rootfs-scan "$B"
	refute_output --partial "rootfs"
	refute_output --partial "phone-home-tools"
	run "$OCI_HARDEN" check "$B/config.json"
	refute_output --partial "phone-home-tools"
	bundle_over "$BATS_TEST_TMPDIR/missing"
	run "$OCI_HARDEN" check "$B"
	assert_failure 1
	assert_output --partial "rootfs $BATS_TEST_TMPDIR/missing: not scanned: root.path $BATS_TEST_TMPDIR/missing: No such file or directory"
	assert_output --partial "$B: fixable"
}

@test "the policy can make a rootfs rule deny" {
	cp -a "$(rootfs)" "$R"
	bundle_over "$R" '.process.noNewPrivileges = true | .linux.seccomp = {defaultAction: "SCMP_ACT_ERRNO"} | .process.capabilities = {}'
	run "$OCI_HARDEN" check "$B"
	assert_success
	echo '{"rules": {"phone-home-tools": "deny"}}' >"$BATS_TEST_TMPDIR/p.json"
	run "$OCI_HARDEN" check --policy "$BATS_TEST_TMPDIR/p.json" "$B"
	assert_failure 1
	assert_output --partial "phone-home-tools [deny]"
	assert_output --partial "$B: denied"
}

@test "a Debian rootfs: package managers and setuid files, within the bounds" {
	[ -d /var/tmp/oh-bookworm/usr/bin ] || skip "no /var/tmp/oh-bookworm"
	bundle_over /var/tmp/oh-bookworm
	run "$OCI_HARDEN" check --format json "$B"
	printf '%s' "$output" | jq -e '.results[0].rootfs | .complete and .files > 1000 and .seconds < 5'
	printf '%s' "$output" | jq -e '.results[0].findings | map(select(.rule == "package-manager"))[0].message
		| contains("/usr/bin/apt") and contains("/usr/bin/dpkg")'
	printf '%s' "$output" | jq -e '.results[0].findings | map(select(.rule == "suid-files"))[0].message
		| contains("/usr/bin/su (setuid root)")'
}
