# Shared by the tests of a door shown open under runc: every front end
# must refuse the bundle that opened it, each by the same rule.

# harden_then BUNDLE JQ-FILTER: fixes the bundle as oci-harden would
# (no-new-privileges, the bundled seccomp profile, the capability
# allowlist, the masks), then applies the filter, which adds the door:
# fix writes nothing for a config it refuses.
harden_then() {
	"$(install_prefix)/bin/oci-harden" fix --in-place "$1" >/dev/null 2>&1
	jq "$2" "$1/config.json" >"$1/config.json.new" && mv "$1/config.json.new" "$1/config.json"
}

# refused_by_every_front_end BUNDLE RULE: check, hook precreate (the config
# on standard input), hook createRuntime (the state on standard input)
# and the wrapper's create (over a stand-in runtime) refuse the bundle,
# naming RULE; check's report is left in $CHECKED.  The tests run the wrapper over runc themselves too, to
# show the door stays shut.
refused_by_every_front_end() {
	local b=$1 rule=$2 oh
	oh=$(install_prefix)/bin/oci-harden
	run "$oh" check --no-rootfs-scan "$b"
	assert_failure 1
	assert_output --partial "$rule ["
	CHECKED=$output
	run --separate-stderr "$oh" hook precreate --refusal exit --policy "$OCI_HARDEN_POLICY" <"$b/config.json"
	assert_failure
	[[ "$stderr" == *"$rule"* ]] || { echo "precreate: $stderr"; return 1; }
	run --separate-stderr "$oh" hook createRuntime --policy "$OCI_HARDEN_POLICY" \
		<<<"{\"ociVersion\":\"1.0.2\",\"id\":\"oh-refused-$$\",\"status\":\"creating\",\"bundle\":\"$b\"}"
	assert_failure
	[[ "$stderr" == *"$rule"* ]] || { echo "createRuntime: $stderr"; return 1; }
	rm -rf "$BATS_TEST_TMPDIR/wrapped" && cp -a "$b" "$BATS_TEST_TMPDIR/wrapped"
	OCI_HARDEN_RUNTIME=$(standin_runtime) run --separate-stderr \
		"${oh%/*}/oci-harden-runtime" create --bundle "$BATS_TEST_TMPDIR/wrapped" "oh-refused-$$"
	assert_failure
	[[ "$stderr" == *"$rule"* ]] || { echo "wrapper: $stderr"; return 1; }
}
