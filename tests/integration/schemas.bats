#!/usr/bin/env bats
# The policy's members have one definition: the loader (hook/policy.c) and
# policy/schema.json accept the same members and refuse the same mistakes,
# and the policy in oci-harden-policy(5) is one both accept.  The JSON
# reports validate against doc/report.schema.json.

load helpers
bats_require_minimum_version 1.5.0

SCHEMA=$OH_SOURCE_DIR/policy/schema.json
MEMBERS=$OH_SOURCE_DIR/tests/tools/policy-members
VALIDATE=$OH_SOURCE_DIR/tests/tools/validate-json

setup() {
	/usr/bin/python3 -c 'import jsonschema' 2>/dev/null || skip "no python3-jsonschema (.ci/install-deps installs it)"
}

# both_accept JSON: the schema and the loader accept the policy.
both_accept() {
	printf '%s' "$1" >"$BATS_TEST_TMPDIR/p.json"
	"$VALIDATE" "$SCHEMA" "$BATS_TEST_TMPDIR/p.json" || { echo "the schema refuses $1"; return 1; }
	"$OCI_HARDEN" rules --policy "$BATS_TEST_TMPDIR/p.json" >/dev/null ||
		{ echo "the loader refuses $1"; return 1; }
}

# both_refuse JSON: the schema and the loader refuse the policy.
both_refuse() {
	printf '%s' "$1" >"$BATS_TEST_TMPDIR/p.json"
	if "$VALIDATE" "$SCHEMA" "$BATS_TEST_TMPDIR/p.json" 2>/dev/null; then
		echo "the schema accepts $1"
		return 1
	fi
	local rc=0
	"$OCI_HARDEN" rules --policy "$BATS_TEST_TMPDIR/p.json" >/dev/null 2>&1 || rc=$?
	[ "$rc" = 2 ] || { echo "the loader gives $rc for $1"; return 1; }
}

@test "every member the loader reads is in the schema, and every member of the schema is read" {
	run "$MEMBERS" loader "$OH_SOURCE_DIR/hook/policy.c"
	assert_success
	loader=$output
	# the walk finds the nested members, not only the top level
	assert_line /audit/file
	assert_line /exemptions/*/annotations
	assert_line /rootfs/maxSeconds
	run "$MEMBERS" schema "$SCHEMA"
	assert_success
	diff <(echo "$loader") <(echo "$output")
}

@test "the schema's rule ids and fix permissions are the rule catalogue's" {
	run "$OCI_HARDEN" rules --format json
	assert_success
	catalogue=$(jq -c '[.rules[] | {id, fixable}] | sort_by(.id)' <<<"$output")
	schema=$(jq -c '.properties.rules.properties | to_entries
		| map({id: .key, fixable: (.value."$ref" == "#/definitions/action")}) | sort_by(.id)' "$SCHEMA")
	[ "$catalogue" = "$schema" ]
	[ "$(jq -c '.definitions.ruleId.enum | sort' "$SCHEMA")" = "$(jq -c 'map(.id) | sort' <<<"$catalogue")" ]
}

@test "the shipped policy and the example of oci-harden-policy(5) pass the schema and the loader" {
	both_accept "$(cat "$OH_SOURCE_DIR/policy/default.json")"
	# the example between the marks of the man page, roff escapes undone
	sed -n '/example-policy begin/,/example-policy end/p' "$OH_SOURCE_DIR/doc/oci-harden-policy.5" |
		grep -v '^\.' | sed -e 's/\\-/-/g' -e 's/\\(dq/"/g' -e 's/\\e/\\/g' >"$BATS_TEST_TMPDIR/example.json"
	jq -e '.exemptions | length == 1' "$BATS_TEST_TMPDIR/example.json"
	both_accept "$(cat "$BATS_TEST_TMPDIR/example.json")"
}

@test "members the schema documents are accepted by both, the audit member among them" {
	both_accept '{"version":1,"audit":{"file":"/var/log/x.log"}}'
	both_accept '{"version":1,"mode":"audit"}'
	both_accept '{"$schema":"x","comment":"c","runtime":{"path":"/usr/bin/crun"}}'
	both_accept '{"runtime":{"path":"/usr/local/bin/oci","dialect":"crun"}}'
	both_accept '{"rootfs":{"scan":true,"maxFiles":1,"maxSeconds":0.5}}'
	both_accept '{"seccomp":{"profile":"strict"},"apparmor":{"profile":"p"},"capabilities":{"allowed":[]}}'
	both_accept '{"exemptions":[{"comment":"c","annotations":{"a":"b.*"},"rules":["root-user"]}]}'
	both_accept '{"rules":{"privileged":"warn","compiler":"off","writable-rootfs":"fix"}}'
}

@test "seccomp.workloads and seccomp.logDenials: the schema and the loader agree" {
	both_accept '{"seccomp":{"logDenials":true,"workloads":[{"annotation":{"org.example/workload":"web"},"profile":"learned/web.json"},{"image":"docker.io/library/nginx:*","profile":"strict"}]}}'
	both_refuse '{"seccomp":{"logDenials":"yes"}}'
	both_refuse '{"seccomp":{"workloads":[{"profile":"strict"}]}}'
	both_refuse '{"seccomp":{"workloads":[{"annotation":{"a":"b"}}]}}'
	both_refuse '{"seccomp":{"workloads":[{"annotation":{"a":"b"},"image":"x","profile":"strict"}]}}'
	both_refuse '{"seccomp":{"workloads":[{"annotation":{"a":"b","c":"d"},"profile":"strict"}]}}'
	both_refuse '{"seccomp":{"workloads":[{"annotation":{"a":1},"profile":"strict"}]}}'
	both_refuse '{"seccomp":{"workloads":[{"image":"","profile":"strict"}]}}'
	both_refuse '{"seccomp":{"workloads":[{"image":"x","profile":""}]}}'
	both_refuse '{"seccomp":{"workloads":{"image":"x","profile":"strict"}}}'
}

@test "what the loader refuses, the schema refuses" {
	both_refuse '{"version":1.0}'
	both_refuse '{"version":2}'
	both_refuse '{"version":"1"}'
	both_refuse '{"mode":"permissive"}'
	both_refuse '{"unknown":1}'
	both_refuse '{"audit":{"file":"relative.log"}}'
	both_refuse '{"audit":{"path":"/x"}}'
	both_refuse '{"runtime":{"path":"runc"}}'
	both_refuse '{"runtime":{"dialect":"youki"}}'
	both_refuse '{"rules":{"no-such-rule":"warn"}}'
	both_refuse '{"rules":{"privileged":"fix"}}'
	both_refuse '{"rules":{"cap-all":"block"}}'
	both_refuse '{"capabilities":{"allowed":["chown"]}}'
	both_refuse '{"capabilities":{"allowed":"CAP_CHOWN"}}'
	both_refuse '{"capabilities":{"denied":[]}}'
	both_refuse '{"seccomp":{"profile":""}}'
	both_refuse '{"apparmor":{"profile":"unconfined"}}'
	both_refuse '{"rootfs":{"maxFiles":0}}'
	both_refuse '{"rootfs":{"maxSeconds":0}}'
	both_refuse '{"rootfs":{"scan":"yes"}}'
	both_refuse '{"exemptions":[{"annotations":{},"rules":["root-user"]}]}'
	both_refuse '{"exemptions":[{"annotations":{"a":"b"},"rules":[]}]}'
	both_refuse '{"exemptions":[{"annotations":{"a":"b"}}]}'
}

REPORT=$OH_SOURCE_DIR/doc/report.schema.json

@test "check --format json of every fixture, a bundle and an error validate against doc/report.schema.json" {
	local f
	for f in "$FIXTURES"/podman/*.json "$FIXTURES"/runc/*.json "$FIXTURES"/hostile/*.json \
		"$FIXTURES"/policy-cases/*/config.json; do
		run --separate-stderr "$OCI_HARDEN" check --format json "$f"
		[ "$status" -le 2 ]
		printf '%s' "$output" >"$BATS_TEST_TMPDIR/r.json"
		"$VALIDATE" "$REPORT" "$BATS_TEST_TMPDIR/r.json" || { echo "fails: $f"; false; }
	done
	# a bundle over a busybox rootfs: the rootfs member; an unreadable input:
	# the error member; both in one report
	mkdir -p "$BATS_TEST_TMPDIR/b"
	jq --arg r "$(rootfs)" '.root.path = $r' "$FIXTURES/podman/default.json" >"$BATS_TEST_TMPDIR/b/config.json"
	printf '{"a":1,"a":2}' >"$BATS_TEST_TMPDIR/dup.json"
	run --separate-stderr "$OCI_HARDEN" check --format json "$BATS_TEST_TMPDIR/b" "$BATS_TEST_TMPDIR/dup.json"
	assert_failure 2
	printf '%s' "$output" >"$BATS_TEST_TMPDIR/r.json"
	"$VALIDATE" "$REPORT" "$BATS_TEST_TMPDIR/r.json"
	jq -e '.results[0].rootfs.scanned == true and .results[1].verdict == "error" and (.results[1].error | test("duplicate"))' "$BATS_TEST_TMPDIR/r.json"
	# a walk stopped by its limit says by which
	echo '{"rootfs":{"maxFiles":3}}' >"$BATS_TEST_TMPDIR/small.json"
	run --separate-stderr "$OCI_HARDEN" check --policy "$BATS_TEST_TMPDIR/small.json" --format json "$BATS_TEST_TMPDIR/b"
	printf '%s' "$output" >"$BATS_TEST_TMPDIR/r.json"
	"$VALIDATE" "$REPORT" "$BATS_TEST_TMPDIR/r.json"
	jq -e '.results[0].rootfs | .complete == false and .stoppedBy == "files"' "$BATS_TEST_TMPDIR/r.json"
}

@test "the JSON reports carry the format version and the tool's version" {
	version=$("$OCI_HARDEN" --version | awk '{ print $NF }')
	run "$OCI_HARDEN" rules --format json
	printf '%s' "$output" >"$BATS_TEST_TMPDIR/rules.json"
	"$VALIDATE" "$REPORT" "$BATS_TEST_TMPDIR/rules.json"
	jq -e --arg v "$version" '.formatVersion == 1 and .tool == {name: "oci-harden", version: $v}' "$BATS_TEST_TMPDIR/rules.json"
	run --separate-stderr "$OCI_HARDEN" check --format json "$FIXTURES/podman/default.json"
	jq -e --arg v "$version" '.formatVersion == 1 and .tool.version == $v' <<<"$output"
	# the schema is not vacuous: a report without its version fails
	jq 'del(.formatVersion)' "$BATS_TEST_TMPDIR/rules.json" >"$BATS_TEST_TMPDIR/bad.json"
	run "$VALIDATE" "$REPORT" "$BATS_TEST_TMPDIR/bad.json"
	assert_failure 1
}
