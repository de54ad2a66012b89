#!/usr/bin/env bats
# Our translation of docker-format profiles equals podman's own, rule for
# rule.  A precreate hook captures the config podman hands the runtime (its
# translation for the container's capabilities); `oci-harden fix` then
# translates the same profile for the same bounding set into that config
# with its seccomp removed, and the two linux.seccomp objects must be equal.
#
# podman 4.3 (containers/common 0.50.1) ignores minKernel; we honour it as
# moby does.  The profiles here only use minKernel 4.8, which every kernel
# that runs these tests has, so the two cannot differ on it.

load helpers

PROFILES=$OH_SOURCE_DIR/seccomp-profiles

# --cap-add/--cap-drop sets, one per line ("" is podman's default set).
CAP_SETS=(
	""
	"--cap-add=CAP_SYS_ADMIN"
	"--cap-add=CAP_SYS_PTRACE,CAP_SYS_BOOT,CAP_NET_RAW,CAP_SYS_TIME,CAP_SYSLOG"
	"--cap-drop=all"
	"--cap-add=all"
)

setup_file() {
	local dir=$BATS_FILE_TMPDIR
	mkdir -p "$dir/hooks"
	# podman runs hooks with an empty environment: absolute paths only.
	cat >"$dir/capture.sh" <<-EOF
	#!/bin/sh
	exec /usr/bin/tee "$dir/captured.json"
	EOF
	chmod +x "$dir/capture.sh"
	printf '{"version":"1.0.0","hook":{"path":"%s"},"when":{"always":true},"stages":["precreate"]}\n' \
		"$dir/capture.sh" >"$dir/hooks/capture.json"
}

setup() {
	[ "$(id -u)" = 0 ] || skip "needs root for podman"
	command -v podman >/dev/null || skip "podman is not installed"
	CAPTURED=$BATS_FILE_TMPDIR/captured.json
}

# podman_translation PROFILE CAPS: podman's linux.seccomp for the profile,
# and the captured config, in $CAPTURED.  The container itself may fail
# (runc 1.1 refuses seccomp flags); the hook ran before the runtime did.
podman_translation() {
	local caps=()
	[ -z "$2" ] || caps=("$2")
	rm -f "$CAPTURED"
	"${PODMAN[@]}" --hooks-dir "$BATS_FILE_TMPDIR/hooks" "${PODMAN_RUN[@]}" \
		--security-opt seccomp="$1" "${caps[@]}" --rootfs "$(podman_rootfs)" true \
		>/dev/null 2>&1 || true
	[ -s "$CAPTURED" ] || { echo "the precreate hook captured nothing for $1 $2"; return 1; }
}

# same_as_podman PROFILE: for every capability set, fix translates the
# profile into podman's config (seccomp removed, every capability allowed
# so fix keeps the bounding set) and the result must equal podman's.
same_as_podman() {
	local profile=$1 caps t=$BATS_TEST_TMPDIR n
	for caps in "${CAP_SETS[@]}"; do
		podman_translation "$profile" "$caps"
		jq -c '{version: 1, rules: {"cap-all": "off", "privileged": "off"},
			capabilities: {allowed: (.process.capabilities.bounding // [])}}' "$CAPTURED" >"$t/policy.json"
		jq 'del(.linux.seccomp)' "$CAPTURED" >"$t/in.json"
		"$OCI_HARDEN" fix --policy "$t/policy.json" --seccomp-profile "$profile" \
			-o "$t/ours.json" "$t/in.json" >/dev/null 2>"$t/fix.err" ||
			{ cat "$t/fix.err"; return 1; }
		# fix kept the bounding set podman chose
		diff <(jq -c '.process.capabilities.bounding' "$CAPTURED") \
		     <(jq -c '.process.capabilities.bounding' "$t/ours.json")
		# equal rule for rule: same rules in the same order, keys sorted
		if ! diff <(jq -S .linux.seccomp "$CAPTURED") <(jq -S .linux.seccomp "$t/ours.json") >"$t/diff"; then
			echo "differs from podman for ${caps:-the default capabilities}:"
			head -40 "$t/diff"
			return 1
		fi
		n=$(jq '.linux.seccomp.syscalls | length' "$t/ours.json")
		echo "${profile##*/} ${caps:-default}: $n rules, equal" >&3
	done
}

@test "podman's own default profile translates as podman translates it, for five capability sets" {
	same_as_podman /usr/share/containers/seccomp.json
}

@test "default.json translates as podman translates it, for five capability sets" {
	same_as_podman "$PROFILES/default.json"
}

@test "strict.json translates as podman translates it, for five capability sets" {
	same_as_podman "$PROFILES/strict.json"
}

@test "moby's current default.json shape translates as podman translates it (null lists, SCMP_ARCH_LOONGARCH64)" {
	same_as_podman "$FIXTURES/seccomp/moby-current.json"
}

@test "containers-common's and CRI-O's profile shapes translate as podman translates them" {
	same_as_podman "$FIXTURES/seccomp/containers-common.json"
	same_as_podman "$FIXTURES/seccomp/crio-legacy.json"
}

@test "a profile using every translated field translates as podman translates it" {
	# errno names over errnoRet, defaultErrno over defaultErrnoRet, flags,
	# "name", valueTwo 0 (omitted) and not, includes/excludes by caps (all
	# vs any), by arches (native and foreign), minKernel, non-ERRNO actions.
	cat >"$BATS_TEST_TMPDIR/features.json" <<-'EOF'
	{"defaultAction": "SCMP_ACT_ERRNO", "defaultErrno": "ENOSYS", "defaultErrnoRet": 1,
	 "flags": ["SECCOMP_FILTER_FLAG_SPEC_ALLOW"],
	 "archMap": [{"architecture": "SCMP_ARCH_X86_64", "subArchitectures": ["SCMP_ARCH_X86", "SCMP_ARCH_X32"]},
	             {"architecture": "SCMP_ARCH_AARCH64", "subArchitectures": ["SCMP_ARCH_ARM"]}],
	 "syscalls": [
	  {"names": ["read", "write", "exit_group"], "action": "SCMP_ACT_ALLOW", "comment": "dropped from the output"},
	  {"name": "getpgrp", "action": "SCMP_ACT_ALLOW"},
	  {"names": ["kill"], "action": "SCMP_ACT_ERRNO", "errno": "EACCES", "errnoRet": 99},
	  {"names": ["tkill"], "action": "SCMP_ACT_ERRNO", "errnoRet": 11},
	  {"names": ["ptrace"], "action": "SCMP_ACT_ALLOW", "includes": {"caps": ["CAP_SYS_PTRACE", "CAP_SYS_ADMIN"]}},
	  {"names": ["reboot"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1, "excludes": {"caps": ["CAP_SYS_BOOT", "CAP_SYS_ADMIN"]}},
	  {"names": ["modify_ldt"], "action": "SCMP_ACT_ALLOW", "includes": {"arches": ["amd64", "x32"]}},
	  {"names": ["set_tls"], "action": "SCMP_ACT_ALLOW", "includes": {"arches": ["arm64", "arm"]}},
	  {"names": ["iopl"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1, "excludes": {"arches": ["amd64"]}},
	  {"names": ["socket"], "action": "SCMP_ACT_ALLOW", "args": [
	    {"index": 0, "value": 2, "valueTwo": 0, "op": "SCMP_CMP_EQ"},
	    {"index": 1, "value": 255, "valueTwo": 1, "op": "SCMP_CMP_MASKED_EQ"}]},
	  {"names": ["setns"], "action": "SCMP_ACT_ALLOW", "args": [
	    {"index": 1, "value": 1073741824, "op": "SCMP_CMP_GE"}, {"index": 2, "value": 3, "op": "SCMP_CMP_LT"}],
	   "includes": {"minKernel": "4.8", "caps": ["CAP_SYS_ADMIN"]}},
	  {"names": ["syslog"], "action": "SCMP_ACT_KILL_PROCESS", "excludes": {"caps": ["CAP_SYSLOG"]}},
	  {"names": ["acct"], "action": "SCMP_ACT_TRAP"},
	  {"names": ["sethostname"], "action": "SCMP_ACT_LOG", "includes": {"caps": ["CAP_SYS_ADMIN"]}}]}
	EOF
	same_as_podman "$BATS_TEST_TMPDIR/features.json"
	# and the capture is a real translation, not an empty one
	podman_translation "$BATS_TEST_TMPDIR/features.json" ""
	[ "$(jq -c '.linux.seccomp.syscalls[] | select(.names == ["kill"]) | .errnoRet' "$CAPTURED")" = 13 ]
	[ "$(jq -c '.linux.seccomp.defaultErrnoRet' "$CAPTURED")" = 38 ]
}

@test "the comparison catches a difference: a config translated for other capabilities is not podman's" {
	podman_translation "$PROFILES/default.json" "--cap-add=CAP_SYS_ADMIN"
	jq -c '{version: 1, capabilities: {allowed: ["CAP_KILL"]}}' "$CAPTURED" >"$BATS_TEST_TMPDIR/policy.json"
	jq 'del(.linux.seccomp)' "$CAPTURED" >"$BATS_TEST_TMPDIR/in.json"
	run "$OCI_HARDEN" fix --policy "$BATS_TEST_TMPDIR/policy.json" --seccomp-profile "$PROFILES/default.json" \
		-o "$BATS_TEST_TMPDIR/ours.json" "$BATS_TEST_TMPDIR/in.json"
	assert_success
	run diff <(jq -S .linux.seccomp "$CAPTURED") <(jq -S .linux.seccomp "$BATS_TEST_TMPDIR/ours.json")
	assert_failure
}
