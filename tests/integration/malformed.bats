#!/usr/bin/env bats
# Malformed and oversized input: every case is read by check from a file
# and from a pipe, and by fix.  Each must end with the expected exit status
# and a message naming the problem, never a crash (status >= 128) or a
# sanitizer report, in memory bounded by the input: peak RSS at most four
# times the input plus the process's fixed footprint (measured here by fix
# on a captured config, plus 2 MiB for run-to-run noise).  The 50 MB valid
# config must get its verdict, in at most four times its size with no
# allowance.
#
# Under a sanitizer build the memory bounds are skipped (shadow memory and
# the allocator's quarantine dominate the peak) but everything else holds.

load helpers

setup_file() {
	# The fixed footprint: libc, the policy, the bundled profile fix loads.
	/usr/bin/time -f %M -o "$BATS_FILE_TMPDIR/base.rss" \
		"$OCI_HARDEN" fix "$FIXTURES/podman/seccomp-unconfined.json" >/dev/null 2>&1 || true
	export BASE_KB=$(( $(tail -n 1 "$BATS_FILE_TMPDIR/base.rss") + 2048 ))
	export SANITIZED=0
	! grep -qa __asan_init "$OCI_HARDEN" || SANITIZED=1
}

setup() {
	IN=$BATS_TEST_TMPDIR/input.json
	OUT=$BATS_TEST_TMPDIR/out.json
}

diag() {
	printf '# %s\n' "$*" >&3
}

# measure STDIN_FILE CMD...: runs CMD (stdin from STDIN_FILE, or /dev/null
# for "-") under /usr/bin/time; sets status, output (stdout and stderr) and
# PEAK_KB.
measure() {
	local in=$1 t=$BATS_TEST_TMPDIR/rss
	shift
	[ "$in" != - ] || in=/dev/null
	status=0
	output=$(/usr/bin/time -f %M -o "$t" "$@" <"$in" 2>&1) || status=$?
	PEAK_KB=$(tail -n 1 "$t")
}

# judged HOW STATUS MESSAGE: checks one run made by measure.
judged() {
	local how=$1 want=$2 msg=$3 size kb
	size=$(stat -c %s "$IN")
	[ "$status" -lt 128 ] || fail "$how crashed: status $status: $output"
	if grep -qE 'Sanitizer|runtime error:' <<<"$output"; then
		fail "$how: sanitizer report: $output"
	fi
	[ "$status" -eq "$want" ] || fail "$how: exit $status, expected $want: $output"
	grep -qiE -- "$msg" <<<"$output" || fail "$how: no message matching /$msg/ in: $output"
	[ "$SANITIZED" = 0 ] || return 0
	kb=$(( 4 * size / 1024 + BASE_KB ))
	[ "$PEAK_KB" -le "$kb" ] ||
		fail "$how: peak RSS ${PEAK_KB} KiB for $size bytes of input (limit $kb KiB)"
}

# malformed MESSAGE: the input in $IN is refused with exit 2 by check (file
# and pipe) and by fix, which writes nothing.
malformed() {
	local msg=$1
	measure - "$OCI_HARDEN" check "$IN"
	judged "check FILE" 2 "$msg"
	diag "check: ${output%%$'\n'*} (peak ${PEAK_KB} KiB)"
	measure "$IN" "$OCI_HARDEN" check -
	judged "check - (pipe)" 2 "$msg"
	measure - "$OCI_HARDEN" fix -o "$OUT" "$IN"
	judged "fix" 2 "$msg"
	[ ! -e "$OUT" ] || fail "fix refused but wrote $OUT"
}

# nest N OPEN CLOSE: N levels of OPEN ... CLOSE inside {"a": ...}.
nest() {
	awk -v n="$1" -v o="$2" -v c="$3" 'BEGIN {
		printf "{\"a\":"
		for (i = 0; i < n; i++) printf "%s", o
		printf "1"
		for (i = 0; i < n; i++) printf "%s", c
		printf "}"
	}' >"$IN"
}

# ---- empty and non-object input

@test "empty input is refused: empty input, expected a JSON object" {
	: >"$IN"
	malformed "empty input, expected a JSON object"
}

@test "blank input is refused as empty" {
	printf ' \n\t\r\n' >"$IN"
	malformed "empty input"
}

@test "a non-object root is refused, whatever its type" {
	local root
	for root in '[]' '[{"process":{}}]' '"config"' '42' 'null' 'true'; do
		printf '%s' "$root" >"$IN"
		malformed "the document root must be an object, not (an array|a string|a number|null|a boolean)"
	done
}

# ---- truncated documents

@test "truncated documents are refused as ending early, wherever they are cut" {
	local size cut
	size=$(stat -c %s "$FIXTURES/podman/default.json")
	for cut in 1 2 7 100 $((size / 2)) $((size - 2)) $((size - 1)); do
		head -c "$cut" "$FIXTURES/podman/default.json" >"$IN"
		malformed "truncated JSON: the document ends early"
	done
	printf '{"process":{"args":["sh' >"$IN"
	malformed "truncated"
}

# ---- invalid UTF-8 and NUL bytes

@test "invalid UTF-8 is refused in keys and values" {
	local bad
	# a stray continuation byte, 0xFF, an overlong "/", an encoded
	# surrogate, a code point above U+10FFFF, a sequence cut short
	for bad in '\x80' '\xff' '\xc0\xaf' '\xed\xa0\x80' '\xf4\x90\x80\x80' '\xe2\x82'; do
		printf "{\"process\":{\"env\":[\"A=$bad\"]}}" >"$IN"
		malformed "invalid (bytes in )?UTF-?8"
		printf "{\"annotations\":{\"k$bad\":\"v\"}}" >"$IN"
		malformed "invalid (bytes in )?UTF-?8"
	done
}

@test "raw NUL bytes are refused, naming the byte, inside strings and between tokens" {
	printf '{"process":{"args":["sh\0-c"]}}' >"$IN"
	malformed "invalid JSON: a NUL byte at byte 23; JSON text cannot hold one"
	printf '{\0"process":{}}' >"$IN"
	malformed "a NUL byte at byte 1"
	printf '{"process":{}}\0' >"$IN"
	malformed "a NUL byte at byte 14"
	head -c 4096 /dev/zero >"$IN"
	malformed "a NUL byte at byte 0"
}

# ---- nesting and size limits

@test "200,000 levels of nested arrays are refused at the depth limit" {
	nest 200000 '[' ']'
	malformed "nesting deeper than the limit of 64 levels"
}

@test "200,000 levels of nested objects are refused at the depth limit" {
	nest 200000 '{"a":' '}'
	malformed "nesting deeper than the limit of 64 levels"
}

@test "200,000 unclosed brackets are refused without reading past the limit" {
	awk 'BEGIN { printf "{\"a\":"; for (i = 0; i < 200000; i++) printf "[" }' >"$IN"
	malformed "nesting deeper than the limit of 64 levels"
}

@test "input over the 64 MiB limit is refused before it is parsed" {
	# Valid JSON: blanks after a small object.
	{ printf '{}'; head -c $((64 * 1024 * 1024)) /dev/zero | tr '\0' ' '; } >"$IN"
	malformed "larger than the limit of 67108864 bytes"
}

@test "a document of millions of tiny values is refused at the memory budget" {
	# 2 bytes of input per value would cost 20 times the input as a tree.
	awk 'BEGIN { printf "{\"a\":["; for (i = 0; i < 5000000; i++) printf "%s0", (i ? "," : ""); printf "]}" }' >"$IN"
	malformed "too many values for its size"
	awk 'BEGIN { printf "{\"a\":["; for (i = 0; i < 3000000; i++) printf "%s[]", (i ? "," : ""); printf "]}" }' >"$IN"
	malformed "too many values for its size"
}

# ---- a large valid config

# big_config N: a podman config carrying N environment entries and N
# annotations of about 120 bytes each.
big_config() {
	local txt pre rest mid post
	txt=$(jq -c '.process.env += ["@ENV@"] | .annotations = {"@ANN@": ""}' \
		"$FIXTURES/podman/default.json")
	pre=${txt%%'"@ENV@"'*}
	rest=${txt#*'"@ENV@"'}
	mid=${rest%%'"@ANN@":""'*}
	post=${rest#*'"@ANN@":""'}
	{
		printf '%s' "$pre"
		awk -v n="$1" 'BEGIN { pad = sprintf("%0100d", 0)
			for (i = 0; i < n; i++) printf "%s\"BIG_%07d=%s\"", (i ? "," : ""), i, pad }'
		printf '%s' "$mid"
		awk -v n="$1" 'BEGIN { pad = sprintf("%0100d", 0)
			for (i = 0; i < n; i++) printf "%s\"io.example.big/k%07d\":\"%s\"", (i ? "," : ""), i, pad }'
		printf '%s' "$post"
	} >"$IN"
}

@test "a 50 MB valid config gets its verdict, and its fix, in at most four times its size" {
	local size
	big_config 215000
	size=$(stat -c %s "$IN")
	[ "$size" -ge 50000000 ] || fail "generated only $size bytes"

	measure - "$OCI_HARDEN" check "$IN"
	judged "check FILE" 1 "input.json: fixable"
	diag "check: $size bytes, peak ${PEAK_KB} KiB, ratio $(awk -v p="$PEAK_KB" -v s="$size" 'BEGIN { printf "%.2f", p * 1024 / s }')"
	[ "$SANITIZED" = 1 ] || [ "$PEAK_KB" -le $(( 4 * size / 1024 )) ]

	measure "$IN" "$OCI_HARDEN" check -
	judged "check - (pipe)" 1 "fixable"
	diag "check -: peak ${PEAK_KB} KiB, ratio $(awk -v p="$PEAK_KB" -v s="$size" 'BEGIN { printf "%.2f", p * 1024 / s }')"
	[ "$SANITIZED" = 1 ] || [ "$PEAK_KB" -le $(( 4 * size / 1024 )) ]

	measure - "$OCI_HARDEN" fix -o "$OUT" "$IN"
	judged "fix" 0 "no-new-privileges \[fixed\]"
	diag "fix: peak ${PEAK_KB} KiB, ratio $(awk -v p="$PEAK_KB" -v s="$size" 'BEGIN { printf "%.2f", p * 1024 / s }')"
	[ "$SANITIZED" = 1 ] || [ "$PEAK_KB" -le $(( 4 * size / 1024 )) ]

	# Everything the fix did not need to touch is still there.
	run "$OCI_HARDEN" check "$OUT"
	assert_success
	[ "$(grep -o '"BIG_[0-9]*=' "$OUT" | wc -l)" = 215000 ]
	[ "$(grep -o '"io.example.big/k[0-9]*"' "$OUT" | wc -l)" = 215000 ]
}

# ---- inputs the fuzzer found (tests/fixtures/hostile/, also fuzzing seeds)

@test "an empty capability name after an unknown one is reported, not looped on" {
	# check and fix used to spin forever building the message.
	run timeout 20 "$OCI_HARDEN" check "$FIXTURES/hostile/empty-capability-name.json"
	assert_failure 1
	assert_output --partial 'not capability names as runc reads them: CAP_BOGUS, ""'
	# The fixture has no namespaces at all, which mount-namespace denies.
	jq -n '{version: 1, rules: {"mount-namespace": "off"}}' >"$BATS_TEST_TMPDIR/p.json"
	run timeout 20 "$OCI_HARDEN" fix --policy "$BATS_TEST_TMPDIR/p.json" -o "$BATS_TEST_TMPDIR/out.json" "$FIXTURES/hostile/empty-capability-name.json"
	assert_success
	run jq -c '.process.capabilities' "$BATS_TEST_TMPDIR/out.json"
	assert_output '{"bounding":["CAP_KILL"],"effective":["CAP_KILL"]}'
}
