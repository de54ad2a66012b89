#!/usr/bin/env bats
# check --format sarif as code scanning reads it: valid against what SARIF
# 2.1.0 and GitHub require (tests/schemas/sarif-2.1.0-subset.schema.json),
# placed on the file actually read, ranked, and fingerprinted stably.

load helpers
bats_require_minimum_version 1.5.0

SCHEMA=$OH_SOURCE_DIR/tests/schemas/sarif-2.1.0-subset.schema.json
VALIDATE=$OH_SOURCE_DIR/tests/tools/validate-json

setup() {
	/usr/bin/python3 -c 'import jsonschema' 2>/dev/null || skip "no python3-jsonschema (.ci/install-deps installs it)"
}

# The text of FILE at LINE and COLUMN (code points), LENGTH characters.
text_at() {
	/usr/bin/python3 -c '
import sys
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
line, col, n = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
print(lines[line - 1][col - 1:col - 1 + n])' "$@"
}

@test "the SARIF of every fixture passes the SARIF 2.1.0 and code-scanning schema" {
	local n=0 f
	for f in "$FIXTURES"/podman/*.json "$FIXTURES"/runc/*.json "$FIXTURES"/hostile/*.json \
		"$FIXTURES"/policy-cases/*/config.json; do
		run --separate-stderr "$OCI_HARDEN" check --no-rootfs-scan --format sarif "$f"
		[ "$status" -le 2 ]
		printf '%s' "$output" >"$BATS_TEST_TMPDIR/out.sarif"
		"$VALIDATE" "$SCHEMA" "$BATS_TEST_TMPDIR/out.sarif" || { echo "fails: $f"; false; }
		# SARIF 3.30: a region ends after it starts
		jq -e 'all(.runs[0].results[].locations[0].physicalLocation.region;
			.endLine > .startLine or (.endLine == .startLine and .endColumn > .startColumn))' \
			"$BATS_TEST_TMPDIR/out.sarif" >/dev/null
		n=$((n + 1))
	done
	[ "$n" -ge 15 ]
	# the schema is not vacuous: a result without region and fingerprints fails
	jq '.runs[0].results[0] |= (del(.partialFingerprints) | del(.locations[0].physicalLocation.region))' \
		"$BATS_TEST_TMPDIR/out.sarif" >"$BATS_TEST_TMPDIR/bad.sarif"
	run "$VALIDATE" "$SCHEMA" "$BATS_TEST_TMPDIR/bad.sarif"
	assert_failure 1
	assert_output --partial "'partialFingerprints' is a required property"
	assert_output --partial "'region' is a required property"
}

@test "a bundle's results name BUNDLE/config.json, relative as given or a file URI when absolute" {
	mkdir -p "$BATS_TEST_TMPDIR/work/my bundle"
	cp "$FIXTURES/podman/privileged.json" "$BATS_TEST_TMPDIR/work/my bundle/config.json"
	cd "$BATS_TEST_TMPDIR/work"
	run --separate-stderr "$OCI_HARDEN" check --no-rootfs-scan --format sarif "my bundle"
	jq -e '[.runs[0].results[].locations[0].physicalLocation.artifactLocation.uri] | unique == ["my%20bundle/config.json"]' <<<"$output"
	run --separate-stderr "$OCI_HARDEN" check --no-rootfs-scan --format sarif "$BATS_TEST_TMPDIR/work/my bundle/"
	jq -e --arg u "file://${BATS_TEST_TMPDIR// /%20}/work/my%20bundle/config.json" \
		'[.runs[0].results[].locations[0].physicalLocation.artifactLocation.uri] | unique == [$u]' <<<"$output"
	# a config file is its own artifact
	run --separate-stderr "$OCI_HARDEN" check --format sarif "my bundle/config.json"
	jq -e '.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri == "my%20bundle/config.json"' <<<"$output"
}

@test "regions lead to the member in code points, past multibyte text before it" {
	# é (2 bytes), 😀 (4 bytes, 2 UTF-16 units) on the same line before the key
	jq -c '{annotations: {"note": "é😀é😀"}, process: .process, root: .root, linux: .linux, ociVersion: .ociVersion}
		| .process.noNewPrivileges = false' "$FIXTURES/podman/default.json" |
		sed 's/,"process":/, "process":/' >"$BATS_TEST_TMPDIR/c.json"
	run --separate-stderr "$OCI_HARDEN" check --format sarif "$BATS_TEST_TMPDIR/c.json"
	jq -e '.runs[0].columnKind == "unicodeCodePoints"' <<<"$output"
	read -r l c el ec < <(jq -r '[.runs[0].results[] | select(.ruleId == "no-new-privileges")][0]
		.locations[0].physicalLocation.region | "\(.startLine) \(.startColumn) \(.endLine) \(.endColumn)"' <<<"$output")
	[ "$(text_at "$BATS_TEST_TMPDIR/c.json" "$l" "$c" 17)" = '"noNewPrivileges"' ]
	# and the region ends right after the value
	[ "$el" = "$l" ]
	[ "$(text_at "$BATS_TEST_TMPDIR/c.json" "$l" $((ec - 5)) 5)" = false ]
	# a pretty-printed file: a capability in the bounding set, on its own line
	jq '.process.capabilities.bounding += ["CAP_SYS_ADMIN"]' "$FIXTURES/podman/default.json" >"$BATS_TEST_TMPDIR/p.json"
	run --separate-stderr "$OCI_HARDEN" check --format sarif "$BATS_TEST_TMPDIR/p.json"
	read -r l c el ec < <(jq -r '[.runs[0].results[] | select(.ruleId == "cap-not-allowed")][0]
		.locations[0].physicalLocation.region | "\(.startLine) \(.startColumn) \(.endLine) \(.endColumn)"' <<<"$output")
	[ "$el" = "$l" ]
	[ "$(text_at "$BATS_TEST_TMPDIR/p.json" "$l" "$c" $((ec - c)))" = '"CAP_SYS_ADMIN"' ]
}

@test "fingerprints are the same on every run, from any directory, and differ between findings" {
	mkdir -p "$BATS_TEST_TMPDIR/a/x" "$BATS_TEST_TMPDIR/b/deeper/y"
	cp "$FIXTURES/podman/cap-add-sys-admin.json" "$BATS_TEST_TMPDIR/a/x/config.json"
	# the same findings in a file laid out differently (lines move)
	jq . "$FIXTURES/podman/cap-add-sys-admin.json" >"$BATS_TEST_TMPDIR/b/deeper/y/config.json"
	fp() { jq -c '[.runs[0].results[] | [.ruleId, .partialFingerprints."ociHardenFinding/v1", .partialFingerprints.primaryLocationLineHash]] | sort'; }
	one=$(cd "$BATS_TEST_TMPDIR/a" && "$OCI_HARDEN" check --no-rootfs-scan --format sarif x 2>/dev/null | fp)
	two=$(cd "$BATS_TEST_TMPDIR/b/deeper" && "$OCI_HARDEN" check --no-rootfs-scan --format sarif "$BATS_TEST_TMPDIR/b/deeper/y" 2>/dev/null | fp)
	again=$(cd "$BATS_TEST_TMPDIR/a" && "$OCI_HARDEN" check --no-rootfs-scan --format sarif x 2>/dev/null | fp)
	[ "$one" = "$two" ]
	[ "$one" = "$again" ]
	jq -e 'length >= 3 and (map(.[1]) | unique | length) == length and all(.[1] == .[2] and (.[1] | test("^[0-9a-f]{16}$")))' <<<"$one"
}

@test "the driver names the tool's version and home, and ranks every rule" {
	run --separate-stderr "$OCI_HARDEN" check --format sarif "$FIXTURES/podman/default.json"
	sarif=$output
	version=$("$OCI_HARDEN" --version | awk '{ print $NF }')
	jq -e --arg v "$version" '.runs[0].tool.driver | .version == $v and .semanticVersion == $v
		and (.informationUri | startswith("https://")) and (.informationUri | test("owasp") | not)' <<<"$sarif"
	run "$OCI_HARDEN" rules --format json
	ids=$(jq -c '[.. | objects | select(has("id") and has("action")) | .id] | sort' <<<"$output")
	[ "$(jq -c '[.runs[0].tool.driver.rules[].id] | sort' <<<"$sarif")" = "$ids" ]
	# deny rules rank critical, as GitHub reads security-severity
	jq -e '.runs[0].tool.driver.rules[] | select(.id == "cap-all" or .id == "privileged")
		| .properties."security-severity" | tonumber >= 9.0' <<<"$sarif"
	jq -e 'all(.runs[0].tool.driver.rules[]; .help.markdown | test("\\*\\*To fix:\\*\\*"))' <<<"$sarif"
}
