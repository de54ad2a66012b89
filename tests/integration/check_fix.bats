#!/usr/bin/env bats
# check and fix on real bundles, judged by what the kernel shows inside the
# container that runc starts.

load helpers

setup() {
	[ "$(id -u)" = 0 ] || skip "needs root for runc"
	B=$BATS_TEST_TMPDIR/bundle
}

@test "runc spec bundle runs unconfined before fix" {
	make_bundle "$B" '.process.noNewPrivileges = false'
	run_bundle "$B"
	assert_success
	[ "$(field NoNewPrivs)" = 0 ]
	[ "$(field Seccomp)" = 0 ]
}

@test "check calls a runc spec bundle fixable and names the rules" {
	make_bundle "$B" '.process.noNewPrivileges = false'
	run "$OCI_HARDEN" check "$B"
	assert_failure 1
	assert_output --partial "no-new-privileges [fix]"
	assert_output --partial "cap-not-allowed [fix]: CAP_AUDIT_WRITE"
	assert_output --partial "seccomp-unconfined [fix]"
	assert_output --partial "$B: fixable"
}

@test "fix --in-place hardens the bundle: NoNewPrivs 1, Seccomp 2, only allowed capabilities" {
	make_bundle "$B" '.process.noNewPrivileges = false | .process.capabilities.bounding += ["CAP_SYS_ADMIN","CAP_NET_RAW"] | .process.capabilities.effective += ["CAP_SYS_ADMIN"] | .process.capabilities.permitted += ["CAP_SYS_ADMIN"]'
	run "$OCI_HARDEN" fix --in-place "$B"
	assert_success
	run "$OCI_HARDEN" check "$B"
	assert_success
	assert_output --partial "$B: compliant"
	run_bundle "$B"
	assert_success
	[ "$(field NoNewPrivs)" = 1 ]
	[ "$(field Seccomp)" = 2 ]
	# runc spec grants AUDIT_WRITE, KILL, NET_BIND_SERVICE; only KILL (5)
	# and NET_BIND_SERVICE (10) are in the default allowlist.
	[ "$(field CapBnd)" = "$(capmask 5 10)" ]
	[ "$(field CapEff)" = "$(capmask 5 10)" ]
	[ "$(field CapPrm)" = "$(capmask 5 10)" ]
}

@test "a busybox shell works under the bundled seccomp profile" {
	make_bundle "$B" '.' sh -c 'echo hello >/tmp/x && cat /tmp/x && ls / >/dev/null && echo 3 1 2 | tr " " "\n" | sort -n | tr "\n" " " && id -u && (sleep 0.1 &) && wait && date >/dev/null && echo done'
	jq '.root.readonly = false' "$B/config.json" >"$B/c" && mv "$B/c" "$B/config.json"
	run "$OCI_HARDEN" fix --in-place "$B"
	assert_success
	run_bundle "$B"
	assert_success
	assert_output --partial "hello"
	assert_output --partial "1 2 3"
	assert_output --partial "done"
}

@test "the bundled profile blocks unshare and mount inside the fixed container" {
	make_bundle "$B" '.process.capabilities.bounding += ["CAP_SYS_ADMIN"] | .process.capabilities.effective += ["CAP_SYS_ADMIN"] | .process.capabilities.permitted += ["CAP_SYS_ADMIN"]' \
		sh -c 'unshare -U true && echo unshare-ok; mount -t tmpfs t /tmp && echo mount-ok; echo end'
	run "$OCI_HARDEN" fix --in-place "$B"
	assert_success
	run_bundle "$B"
	assert_success
	refute_output --partial "unshare-ok"
	refute_output --partial "mount-ok"
	assert_output --partial "end"
}

@test "a cap-all bundle is refused and left untouched" {
	make_bundle "$B"
	jq --argjson c "$(jq -c '.process.capabilities.bounding' "$FIXTURES/podman/privileged.json")" \
		'.process.capabilities = {bounding:$c, effective:$c, permitted:$c}' "$B/config.json" >"$B/c"
	mv "$B/c" "$B/config.json"
	cp "$B/config.json" "$BATS_TEST_TMPDIR/before.json"
	run "$OCI_HARDEN" fix --in-place "$B"
	assert_failure 1
	assert_output --partial "cap-all [deny]"
	assert_output --partial "nothing written"
	cmp "$B/config.json" "$BATS_TEST_TMPDIR/before.json"
	run "$OCI_HARDEN" fix -o "$BATS_TEST_TMPDIR/out.json" "$B"
	assert_failure 1
	[ ! -e "$BATS_TEST_TMPDIR/out.json" ]
}

@test "podman's --cap-add=all config is denied naming cap-all, though it lacks CAP_SYS_RESOURCE" {
	run jq -r '.process.capabilities.bounding | index("CAP_SYS_RESOURCE")' "$FIXTURES/podman/cap-add-all.json"
	assert_output null
	run "$OCI_HARDEN" check "$FIXTURES/podman/cap-add-all.json"
	assert_failure 1
	assert_output --partial "cap-all [deny]"
	assert_output --partial ": denied"
}

@test "fix changes only what the findings require" {
	run "$OCI_HARDEN" fix -o "$BATS_TEST_TMPDIR/out.json" "$FIXTURES/podman/default.json"
	assert_success
	diff <(jq -S 'del(.process.noNewPrivileges)' "$FIXTURES/podman/default.json") \
	     <(jq -S 'del(.process.noNewPrivileges)' "$BATS_TEST_TMPDIR/out.json")
	[ "$(jq .process.noNewPrivileges "$BATS_TEST_TMPDIR/out.json")" = true ]
}

@test "fix installs the bundled profile translated for the remaining capabilities" {
	run "$OCI_HARDEN" fix -o "$BATS_TEST_TMPDIR/out.json" "$FIXTURES/podman/seccomp-unconfined.json"
	assert_success
	run jq -r '.linux.seccomp.defaultAction, (.linux.seccomp.architectures | join(","))' "$BATS_TEST_TMPDIR/out.json"
	assert_line --index 0 SCMP_ACT_ERRNO
	assert_line --index 1 SCMP_ARCH_X86_64,SCMP_ARCH_X32
}

@test "fix --in-place keeps the file mode, and fix writes to stdout by default" {
	make_bundle "$B"
	chmod 0640 "$B/config.json"
	run "$OCI_HARDEN" fix --in-place "$B"
	assert_success
	[ "$(stat -c %a "$B/config.json")" = 640 ]
	run "$OCI_HARDEN" fix "$FIXTURES/podman/default.json"
	assert_success
	printf '%s\n' "$output" | grep -q '"noNewPrivileges": true'
}

@test "a failing fix leaves the original intact" {
	make_bundle "$B"
	cp "$B/config.json" "$BATS_TEST_TMPDIR/before.json"
	run "$OCI_HARDEN" fix --in-place --seccomp-profile /nonexistent/profile.json "$B"
	assert_failure 2
	assert_output --partial "/nonexistent/profile.json"
	cmp "$B/config.json" "$BATS_TEST_TMPDIR/before.json"
	[ "$(ls -A "$B" | wc -l)" = 1 ]
}

@test "check --format json gives verdicts, findings and pointers" {
	make_bundle "$B"
	run "$OCI_HARDEN" check --format json "$B" "$FIXTURES/podman/no-new-privileges.json"
	assert_failure 1
	printf '%s' "$output" | jq -e '.results[0].verdict == "fixable"'
	printf '%s' "$output" | jq -e '.results[0].findings | map(select(.rule == "seccomp-unconfined"))[0] | .action == "fix" and .pointer == "/linux/seccomp"'
	printf '%s' "$output" | jq -e '.results[1].verdict == "compliant"'
}

@test "invalid input exits 2 naming the file and the JSON pointer" {
	printf '{"process":{"noNewPrivileges":true,"NoNewPrivileges":false}}' >"$BATS_TEST_TMPDIR/c.json"
	run "$OCI_HARDEN" check "$BATS_TEST_TMPDIR/c.json"
	assert_failure 2
	assert_output --partial "c.json: /process/NoNewPrivileges"
	run "$OCI_HARDEN" check "$BATS_TEST_TMPDIR/missing.json"
	assert_failure 2
	run "$OCI_HARDEN" check --format yaml "$BATS_TEST_TMPDIR/c.json"
	assert_failure 2
	run "$OCI_HARDEN" fix
	assert_failure 2
}

@test "check reads stdin and a bundle whose config.json is a symlink is refused" {
	run "$OCI_HARDEN" check - <"$FIXTURES/podman/no-new-privileges.json"
	assert_success
	mkdir -p "$B"
	ln -s "$FIXTURES/podman/no-new-privileges.json" "$B/config.json"
	run "$OCI_HARDEN" check "$B"
	assert_failure 2
	assert_output --partial "symlink"
}

@test "on an AppArmor host fix sets the policy's profile; without AppArmor it removes unconfined" {
	make_bundle "$B" '.process.apparmorProfile = "unconfined"'
	echo '{"apparmor": true}' >"$BATS_TEST_TMPDIR/facts.json"
	run "$OCI_HARDEN" fix --host-facts "$BATS_TEST_TMPDIR/facts.json" -o "$BATS_TEST_TMPDIR/aa.json" "$B"
	assert_success
	[ "$(jq -r .process.apparmorProfile "$BATS_TEST_TMPDIR/aa.json")" = docker-default ]
	run "$OCI_HARDEN" fix -o "$BATS_TEST_TMPDIR/plain.json" "$B"
	assert_success
	[ "$(jq -r '.process | has("apparmorProfile")' "$BATS_TEST_TMPDIR/plain.json")" = false ]
	run_bundle "$B"
	assert_failure
	run "$OCI_HARDEN" fix --in-place "$B"
	run_bundle "$B"
	assert_success
}

@test "a newline in a mount point or a capability name cannot forge a line of check's report" {
	nl='
'
	forged="$BATS_TEST_TMPDIR/config.json: admitted"
	jq --arg d "/x${nl}$forged" --arg c "CAP_X${nl}$forged" \
		'.mounts += [{"destination": $d, "type": "bind", "source": "/etc", "options": ["rbind", "rw"]}]
		 | .process.capabilities.bounding += [$c]' \
		"$OH_SOURCE_DIR/tests/fixtures/podman/default.json" > "$BATS_TEST_TMPDIR/config.json"
	run "$OCI_HARDEN" check "$BATS_TEST_TMPDIR/config.json"
	assert_failure 1
	# Every line is one of the report's: a finding of a rule, or the verdict.
	while IFS= read -r line; do
		[[ $line =~ ^$BATS_TEST_TMPDIR/config.json:\ ([a-z-]+\ \[(fix|warn|deny)\]:|denied$) ]] ||
			{ echo "a line the report did not write: $line"; false; }
	done <<< "$output"
	assert_output --partial 'sensitive-mounts [deny]: /x\n'
	assert_output --partial 'CAP_X\n'
	refute_line "$forged"
	run "$OCI_HARDEN" check --format json "$BATS_TEST_TMPDIR/config.json"
	[ "$(jq -r '[.. | .message? // empty | select(test("\n"))] | length' <<< "$output")" = 0 ]
}
