#!/usr/bin/env bats
# The man pages document every option of every command's usage string,
# every policy member and every rule's default, have EXAMPLES, and pass
# man's own warnings.

load helpers
bats_require_minimum_version 1.5.0

DOC=$OH_SOURCE_DIR/doc

# A page's text with roff's escapes for '-' and '"' undone and font changes
# dropped, lines joined, so words split across requests still match.
page_text() {
	sed -e 's/\\-/-/g' -e 's/\\(dq/"/g' -e 's/\\f[BIRP]//g' -e 's/^\.[A-Z]* *//' "$1" | tr '\n' ' '
}

@test "every option of every usage string is in oci-harden(1)" {
	# the usage[] strings of the commands, as the binary prints them
	run sh -c "sed -n '/static const char usage\[\] =/,/;/p' '$OH_SOURCE_DIR'/hook/*.c"
	assert_success
	opts=$(grep -oE -- '(^|[[ |])--?[a-z][a-z-]*' <<<"$output" | sed 's/^[[ |]//' | sort -u)
	# the walk found the options (not an empty list that passes anything)
	grep -qx -- --no-rootfs-scan <<<"$opts"
	grep -qx -- --root <<<"$opts"
	grep -qx -- -o <<<"$opts"
	text=$(page_text "$DOC/oci-harden.1")
	local o missing=""
	for o in $opts; do
		grep -qF -- "$o " <<<"$text" || missing="$missing $o"
	done
	[ -z "$missing" ] || { echo "not in oci-harden(1):$missing"; false; }
}

@test "every policy member and every rule's default is in oci-harden-policy(5)" {
	text=$(page_text "$DOC/oci-harden-policy.5")
	local m name missing=""
	for m in $("$OH_SOURCE_DIR/tests/tools/policy-members" schema "$OH_SOURCE_DIR/policy/schema.json"); do
		case $m in
		*/\**) name=\"${m##*/}\" ;;         # a member of list items: "comment"
		*) name=$(sed -e 's|^/||' -e 's|/|.|g' <<<"$m") ;;   # capabilities.allowed
		esac
		grep -qF -- "$name" <<<"$text" || missing="$missing $m"
	done
	[ -z "$missing" ] || { echo "not in oci-harden-policy(5):$missing"; false; }
	run "$OCI_HARDEN" rules --format json
	defaults=$(sed -n '/^Defaults: no-new-privileges/,/^\.[A-Z]/p' "$DOC/oci-harden-policy.5" | tr '\n' ' ')
	local id def
	while read -r id def; do
		grep -qF -- "$id $def" <<<"$defaults" || missing="$missing $id=$def"
	done < <(jq -r '.rules[] | "\(.id) \(.defaultAction)"' <<<"$output")
	[ -z "$missing" ] || { echo "defaults not in oci-harden-policy(5):$missing"; false; }
}

@test "both pages have EXAMPLES, name oci-harden-runtime and pass man's warnings" {
	grep -q '^\.SH EXAMPLES' "$DOC/oci-harden.1"
	grep -q '^\.SH EXAMPLES' "$DOC/oci-harden-policy.5"
	grep -q '^oci-harden, oci-harden-runtime \\-' "$DOC/oci-harden.1"
	command -v man >/dev/null || skip "no man to lint with"
	local p
	for p in "$DOC/oci-harden.1" "$DOC/oci-harden-policy.5"; do
		run --separate-stderr env MANWIDTH=80 man --warnings -l "$p"
		assert_success
		[ -z "$stderr" ] || { echo "$p: $stderr"; false; }
	done
}
