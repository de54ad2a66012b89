#!/usr/bin/env bats
# Policies, the rule catalogue, reports and the policy test harness, as a CI
# pipeline uses them.

load helpers
bats_require_minimum_version 1.5.0

CASES=$OH_SOURCE_DIR/tests/fixtures/policy-cases

@test "oci-harden test passes the example cases and says so" {
	run "$OCI_HARDEN" test "$CASES"
	assert_success
	assert_output "9 passed, 0 failed"
}

@test "oci-harden test names what differed in a failing case" {
	cp -r "$CASES" "$BATS_TEST_TMPDIR/cases"
	echo '{"verdict": "compliant", "rules": ["seccomp-unconfined"]}' >"$BATS_TEST_TMPDIR/cases/podman-default/expect.json"
	run "$OCI_HARDEN" test "$BATS_TEST_TMPDIR/cases"
	assert_failure 1
	assert_line "podman-default: verdict fixable, expected compliant (rules fired: no-new-privileges, root-user, writable-rootfs)"
	assert_line "podman-default: rule seccomp-unconfined did not fire (rules fired: no-new-privileges, root-user, writable-rootfs)"
	assert_line "8 passed, 1 failed"
}

@test "oci-harden test exits 2 on a malformed case and still runs the others" {
	cp -r "$CASES" "$BATS_TEST_TMPDIR/cases"
	echo '{"verdict": "great"}' >"$BATS_TEST_TMPDIR/cases/podman-default/expect.json"
	rm "$BATS_TEST_TMPDIR/cases/podman-privileged/config.json"
	echo '{"verdict": "denied", "rules": ["no-such-rule"]}' >"$BATS_TEST_TMPDIR/cases/podman-cap-add-all/expect.json"
	run "$OCI_HARDEN" test "$BATS_TEST_TMPDIR/cases"
	assert_failure 2
	assert_line --partial "podman-default: malformed: "
	assert_line --partial "/verdict: must be one of"
	assert_line --partial "podman-privileged: malformed: "
	assert_line --partial "podman-cap-add-all: malformed: "
	assert_line "6 passed, 3 failed"
}

@test "oci-harden test --policy applies to cases without their own policy" {
	echo '{"rules": {"no-new-privileges": "off"}}' >"$BATS_TEST_TMPDIR/p.json"
	run "$OCI_HARDEN" test --policy "$BATS_TEST_TMPDIR/p.json" "$CASES"
	assert_failure 1
	assert_line "podman-default: verdict compliant, expected fixable (rules fired: root-user, writable-rootfs)"
	run "$OCI_HARDEN" test "$BATS_TEST_TMPDIR/empty-dir"
	assert_failure 2
}

@test "an invalid policy is exit 2 naming the file and the JSON pointer, for every command" {
	echo '{"rules": {"cap-all": "block"}}' >"$BATS_TEST_TMPDIR/bad.json"
	for cmd in "check $FIXTURES/podman/default.json" "fix $FIXTURES/podman/default.json" "rules" "test $CASES"; do
		run "$OCI_HARDEN" $cmd --policy "$BATS_TEST_TMPDIR/bad.json"
		assert_failure 2
		assert_output --partial "$BATS_TEST_TMPDIR/bad.json: /rules/cap-all: must be one of"
	done
	run "$OCI_HARDEN" hook precreate --policy "$BATS_TEST_TMPDIR/bad.json" <"$FIXTURES/podman/default.json"
	assert_failure 2
	assert_output --partial "/rules/cap-all"
}

@test "a policy can deny what the default fixes, and mode audit still reports in check" {
	echo '{"mode": "audit", "rules": {"no-new-privileges": "deny"}}' >"$BATS_TEST_TMPDIR/p.json"
	run "$OCI_HARDEN" check --policy "$BATS_TEST_TMPDIR/p.json" "$FIXTURES/podman/default.json"
	assert_failure 1
	assert_output --partial "no-new-privileges [deny]"
	assert_output --partial ": denied"
}

@test "oci-harden rules lists every rule with its action, description and references" {
	run "$OCI_HARDEN" rules --format json
	assert_success
	printf '%s' "$output" | jq -e '.rules | length >= 11'
	printf '%s' "$output" | jq -e 'all(.rules[]; (.id | length) > 0 and (.description | length) > 20 and (.references.cis | length) > 0 and (.references.owasp | test("D04")))'
	printf '%s' "$output" | jq -e '.rules[] | select(.id == "no-new-privileges") | .references.cis == "5.26" and .action == "fix"'
	echo '{"rules": {"cap-not-allowed": "deny"}}' >"$BATS_TEST_TMPDIR/p.json"
	run "$OCI_HARDEN" rules --policy "$BATS_TEST_TMPDIR/p.json"
	assert_success
	assert_output --partial "cap-not-allowed
  action:      deny (default fix), fixable"
}

@test "check --format sarif is SARIF 2.1.0 with the rule catalogue, levels from actions and locations" {
	run "$OCI_HARDEN" check --format sarif "$FIXTURES/podman/privileged.json" "$FIXTURES/podman/default.json"
	assert_failure 1
	sarif=$output
	jq -e '.version == "2.1.0" and (."$schema" | test("sarif-2.1.0"))' <<<"$sarif"
	jq -e '.runs | length == 1' <<<"$sarif"
	jq -e '.runs[0].tool.driver | .name == "oci-harden" and (.version | length) > 0' <<<"$sarif"
	jq -e 'all(.runs[0].tool.driver.rules[]; (.id | length) > 0 and (.shortDescription.text | length) > 0 and (.help.text | test("OWASP Docker Top 10 D04")) and (.help.text | test("CIS Docker Benchmark")))' <<<"$sarif"
	# every result points into the rule table and has a message and a location
	jq -e '.runs[0] as $r | all($r.results[]; $r.tool.driver.rules[.ruleIndex].id == .ruleId and (.message.text | length) > 0 and (.locations[0].physicalLocation.artifactLocation.uri | length) > 0 and (.locations[0].logicalLocations[0].fullyQualifiedName | startswith("/")))' <<<"$sarif"
	jq -e '[.runs[0].results[] | select(.ruleId == "cap-all")][0].level == "error"' <<<"$sarif"
	jq -e '[.runs[0].results[] | select(.ruleId == "no-new-privileges")][0].level == "warning"' <<<"$sarif"
	jq -e '[.runs[0].results[] | select(.ruleId == "root-user")][0].level == "note"' <<<"$sarif"
	jq -e '.runs[0].invocations[0].executionSuccessful == true' <<<"$sarif"
	# every result has a region (code-scanning dashboards place results by it)
	jq -e 'all(.runs[0].results[]; .locations[0].physicalLocation.region.startLine >= 1 and .locations[0].physicalLocation.region.startColumn >= 1)' <<<"$sarif"
	# and the region is where the pointer leads: a fixed file, pretty-printed
	echo '{"rules":{"seccomp-unconfined":"off"}}' >"$BATS_TEST_TMPDIR/noseccomp.json"
	"$OCI_HARDEN" fix --policy "$BATS_TEST_TMPDIR/noseccomp.json" -o "$BATS_TEST_TMPDIR/pretty.json" "$FIXTURES/podman/seccomp-unconfined.json" 2>/dev/null
	jq '.process.noNewPrivileges = false' "$BATS_TEST_TMPDIR/pretty.json" >"$BATS_TEST_TMPDIR/p2.json"
	run "$OCI_HARDEN" check --format sarif "$BATS_TEST_TMPDIR/p2.json"
	line=$(jq '[.runs[0].results[] | select(.ruleId == "no-new-privileges")][0].locations[0].physicalLocation.region.startLine' <<<"$output")
	sed -n "${line}p" "$BATS_TEST_TMPDIR/p2.json" | grep -q '"noNewPrivileges"'
}

@test "SARIF reports an input that cannot be judged as a failed invocation" {
	printf '{"a":1,"a":2}' >"$BATS_TEST_TMPDIR/dup.json"
	run --separate-stderr "$OCI_HARDEN" check --format sarif "$BATS_TEST_TMPDIR/dup.json"
	assert_failure 2
	jq -e '.runs[0].invocations[0].executionSuccessful == false' <<<"$output"
	jq -e '.runs[0].invocations[0].toolExecutionNotifications[0].message.text | test("duplicate key")' <<<"$output"
}

@test "the Pod Security Standards presets pass their oci-harden test cases" {
	run "$OCI_HARDEN" test "$OH_SOURCE_DIR/policy/tests/baseline"
	assert_success
	assert_output "11 passed, 0 failed"
	run "$OCI_HARDEN" test "$OH_SOURCE_DIR/policy/tests/restricted"
	assert_success
	assert_output "13 passed, 0 failed"
}

@test "the restricted preset refuses what baseline admits: root, and hooks off the allowlist" {
	run "$OCI_HARDEN" check --policy "$OH_SOURCE_DIR/policy/baseline.json" "$FIXTURES/podman/default.json"
	assert_success
	run "$OCI_HARDEN" check --policy "$OH_SOURCE_DIR/policy/restricted.json" "$FIXTURES/podman/default.json"
	assert_failure 1
	assert_output --partial "root-user [deny]"
}
