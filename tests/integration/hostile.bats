#!/usr/bin/env bats
# Differential tests: crafted configs that runc 1.1 (Go's encoding/json)
# reads differently from a reader that takes the first of duplicate keys and
# matches keys exactly (crun, yajl).  Each config runs under real runc first,
# and the kernel's view of the container is recorded: every unsafe case must
# really run unsafe, or it tests nothing.  Then oci-harden judges it:
#
# - check must not exit 0 for a config that runs unsafe;
# - fix must refuse (exit 2, nothing written) or write a config that runs
#   safe under runc and passes check.
#
# "Unsafe" is what the default policy promises against: NoNewPrivs 0,
# Seccomp 0, a capability outside the allowlist in any set, or a filter that
# lets unshare(CLONE_NEWUSER) through (every config here carries either the
# bundled profile, which denies it, or a crafted one that claims to deny).
# Run with `bats --tap` to see each kernel view as a "#" line.

load helpers

# The container's report on itself.  /proc/timer_list is among the masked
# paths: a masked one reads as empty.
# One line: make_bundle passes each line of an argument as its own argument.
PROBE=$STATUS'; if unshare -U true 2>/dev/null; then echo "Unshare: allowed"; else echo "Unshare: denied"; fi; echo "TimerList: $(head -c 1 /proc/timer_list 2>/dev/null | wc -c)"'

# The default policy's allowlist: CHOWN DAC_OVERRIDE FOWNER FSETID KILL
# SETGID SETUID SETPCAP NET_BIND_SERVICE SYS_CHROOT SETFCAP.
ALLOWED=$(capmask 0 1 3 4 5 6 7 8 10 18 31)

setup() {
	[ "$(id -u)" = 0 ] || skip "needs root for runc"
	B=$BATS_TEST_TMPDIR/bundle
	BASE=$BATS_FILE_TMPDIR/base.json
	if [ ! -s "$BASE" ]; then
		# A compliant config made the supported way: runc spec, then fix.
		make_bundle "$BATS_FILE_TMPDIR/base" '.' sh -c "$PROBE"
		"$OCI_HARDEN" fix --in-place "$BATS_FILE_TMPDIR/base" 2>/dev/null
		jq -c . "$BATS_FILE_TMPDIR/base/config.json" >"$BASE"
	fi
	mkdir -p "$B"
}

diag() {
	printf '# %s\n' "$*" >&3
}

# craft FILTER [RAW]: the base config through the jq FILTER, compact, with
# the member "__RAW__":0 the filter placed replaced by the RAW text, which
# jq cannot write (duplicate keys, null after a value, other spellings).
craft() {
	local txt
	txt=$(jq -c "$1" "$BASE")
	if [ $# -gt 1 ]; then
		[[ $txt == *'"__RAW__":0'* ]] || fail "craft: the filter placed no __RAW__ member"
		txt=${txt/'"__RAW__":0'/"$2"}
	fi
	printf '%s' "$txt" >"$B/config.json"
}

# kernel_view DIR: runs the bundle under runc.  Sets VIEW (one line),
# K_<FIELD> (the fields) and UNSAFE (the reasons, empty when safe).  A
# container runc refuses to start runs nothing, so it is not unsafe.
kernel_view() {
	local f v m bad
	run_bundle "$1"
	UNSAFE=""
	if [ "$status" -ne 0 ]; then
		VIEW="runc refused to start it: ${lines[0]:-}"
		return
	fi
	for f in NoNewPrivs Seccomp CapBnd CapEff CapPrm CapAmb Unshare TimerList; do
		printf -v "K_$f" '%s' "$(field "$f")"
	done
	VIEW="NoNewPrivs $K_NoNewPrivs, Seccomp $K_Seccomp, CapBnd $K_CapBnd, CapEff $K_CapEff, unshare $K_Unshare, /proc/timer_list $( [ "$K_TimerList" = 0 ] && echo masked || echo readable)"
	[ "$K_NoNewPrivs" = 1 ] || UNSAFE+="NoNewPrivs=${K_NoNewPrivs:-?} "
	[ "$K_Seccomp" = 2 ] || UNSAFE+="Seccomp=${K_Seccomp:-?} "
	for f in CapBnd CapEff CapPrm CapAmb; do
		v=K_$f
		m=${!v}
		[ -n "$m" ] || { UNSAFE+="$f=? "; continue; }
		bad=$(( 16#$m & ~16#$ALLOWED ))
		[ "$bad" -eq 0 ] || UNSAFE+="$(printf '%s+%x ' "$f" "$bad")"
	done
	[ "$K_Unshare" = denied ] || UNSAFE+="unshare=${K_Unshare:-?} "
}

# differential RAW CHECK_STATUS MESSAGE: judges $B/config.json.
#   RAW           "unsafe" or "safe": what the crafted config must do under runc
#   CHECK_STATUS  check's expected exit status (1: a finding, 2: refused)
#   MESSAGE       a part of check's output naming the problem
# Leaves the raw view in RAW_* for case-specific assertions.
differential() {
	local expect=$1 want=$2 msg=$3 out=$BATS_TEST_TMPDIR/fixed

	kernel_view "$B"
	diag "raw under runc: $VIEW${UNSAFE:+ -> UNSAFE: $UNSAFE}"
	RAW_UNSAFE=$UNSAFE RAW_TIMERLIST=${K_TimerList:-}
	case $expect in
	unsafe) [ -n "$RAW_UNSAFE" ] || fail "the crafted config runs safe under runc: the case tests nothing" ;;
	safe) [ -z "$RAW_UNSAFE" ] || fail "expected runc to run it safe, got: $RAW_UNSAFE" ;;
	esac

	run "$OCI_HARDEN" check "$B"
	diag "check: exit $status: ${lines[0]:-}"
	[ "$status" -lt 128 ] || fail "check crashed (status $status)"
	if [ "$status" -eq 0 ] && [ -n "$RAW_UNSAFE" ]; then
		fail "check judged compliant a config that runs with $RAW_UNSAFE"
	fi
	assert_failure "$want"
	assert_output --partial "$msg"
	local fixable=0
	[[ ${lines[-1]} != *": fixable" ]] || fixable=1

	mkdir -p "$out"
	run "$OCI_HARDEN" fix -o "$out/config.json" "$B"
	diag "fix: exit $status: ${lines[0]:-}"
	[ "$status" -lt 128 ] || fail "fix crashed (status $status)"
	if [ "$status" -ne 0 ]; then
		[ "$fixable" = 0 ] || fail "check called it fixable but fix failed"
		assert_failure 2
		[ ! -e "$out/config.json" ] || fail "fix refused but wrote $out/config.json"
		return
	fi
	[ "$want" != 2 ] || fail "check refused the document (2) but fix accepted it"
	kernel_view "$out"
	diag "fixed under runc: $VIEW${UNSAFE:+ -> UNSAFE: $UNSAFE}"
	[ -z "$UNSAFE" ] || fail "fix wrote a config that runs with $UNSAFE"
	run "$OCI_HARDEN" check "$out"
	assert_success
}

@test "the base config is compliant and runs confined, so the probe can tell safe from unsafe" {
	craft .
	run "$OCI_HARDEN" check "$B"
	assert_success
	kernel_view "$B"
	diag "base under runc: $VIEW"
	[ -z "$UNSAFE" ] || fail "base runs with $UNSAFE"
	[ "$K_TimerList" = 0 ]
	# The same base with the three fields weakened plainly reads unsafe.
	craft '.process.noNewPrivileges = false | del(.linux.seccomp) | .process.capabilities.bounding += ["CAP_SYS_ADMIN"]'
	kernel_view "$B"
	[[ $UNSAFE == *NoNewPrivs=0* && $UNSAFE == *Seccomp=0* && $UNSAFE == *CapBnd+200000* && $UNSAFE == *unshare=allowed* ]] ||
		fail "the probe missed something: $UNSAFE"
}

# ---- the three cases of the issue

@test "noNewPrivileges true then NoNewPrivileges false: runc runs NoNewPrivs 0, check and fix refuse" {
	craft '.process.__RAW__ = 0' '"NoNewPrivileges":false'
	differential unsafe 2 "differ only in letter case"
	[[ $RAW_UNSAFE == *NoNewPrivs=0* ]]
}

@test "a second capabilities object spelled Capabilities: runc grants CAP_SYS_ADMIN, check and fix refuse" {
	craft '.process.__RAW__ = 0' '"Capabilities":{"bounding":["CAP_KILL","CAP_SYS_ADMIN"],"effective":["CAP_SYS_ADMIN"],"permitted":["CAP_SYS_ADMIN"]}'
	differential unsafe 2 "differ only in letter case"
	[[ $RAW_UNSAFE == *CapEff+200000* ]]
}

@test "SECCOMP null after the seccomp object: runc runs unconfined, check and fix refuse" {
	craft '.linux.__RAW__ = 0' '"SECCOMP":null'
	differential unsafe 2 "differ only in letter case"
	[[ $RAW_UNSAFE == *Seccomp=0* ]]
}

@test "a duplicate key spelled with an escape, noNewPrivileg\\u0065s false: runc takes the last, check and fix refuse" {
	craft '.process.__RAW__ = 0' '"noNewPrivileg\u0065s":false'
	differential unsafe 2 'duplicate key "noNewPrivileges"'
	[[ $RAW_UNSAFE == *NoNewPrivs=0* ]]
}

# ---- Go's Unicode folding: U+017F (long s) folds to s, U+212A (Kelvin) to k

@test "capabilitieſ spelled with a raw U+017F: runc reads it as capabilities and grants CAP_SYS_ADMIN, check and fix refuse" {
	craft 'del(.process.capabilities) | .process.__RAW__ = 0' \
		'"capabilitieſ":{"bounding":["CAP_SYS_ADMIN"],"effective":["CAP_SYS_ADMIN"],"permitted":["CAP_SYS_ADMIN"]}'
	differential unsafe 2 'must be spelled "capabilities"'
	[[ $RAW_UNSAFE == *CapEff+200000* ]]
}

@test "a \\u017f-escaped ſeccomp null after seccomp: runc drops the filter, check and fix refuse" {
	craft '.linux.__RAW__ = 0' '"\u017feccomp":null'
	differential unsafe 2 "differ only in letter case"
	[[ $RAW_UNSAFE == *Seccomp=0* ]]
}

@test "noNewPrivilegeſ false after noNewPrivileges true: runc runs NoNewPrivs 0, check and fix refuse" {
	craft '.process.__RAW__ = 0' '"noNewPrivilege\u017f":false'
	differential unsafe 2 "differ only in letter case"
	[[ $RAW_UNSAFE == *NoNewPrivs=0* ]]
}

@test "masKedPaths with a U+212A Kelvin sign after maskedPaths: runc unmasks /proc/timer_list, check and fix refuse" {
	# No security field but maskedPaths and hooks has a k; the kernel view
	# of this one is the mask, not the three fields.
	craft '.linux.__RAW__ = 0' '"mas\u212aedPaths":[]'
	differential safe 2 "differ only in letter case"
	[ "$RAW_TIMERLIST" = 1 ] || fail "runc kept /proc/timer_list masked: Go did not fold U+212A here"
}

@test "masKedPaths with a U+212A Kelvin sign as the only spelling is refused as runc-only" {
	craft 'del(.linux.maskedPaths) | .linux.__RAW__ = 0' '"mas\u212aedPaths":["/proc/kcore","/proc/keys","/proc/timer_list","/proc/sched_debug","/sys/firmware"]'
	differential safe 2 'must be spelled "maskedPaths"'
	[ "$RAW_TIMERLIST" = 0 ] || fail "runc ignored the Kelvin spelling"
}

# ---- null: resets a pointer (seccomp, capabilities), leaves a bool's default

@test "noNewPrivileges null: runc runs NoNewPrivs 0, check and fix refuse" {
	craft '.process.noNewPrivileges = null'
	differential unsafe 2 "/process/noNewPrivileges: must be a boolean, not null"
}

@test "seccomp null: runc runs unconfined, check and fix refuse" {
	craft '.linux.seccomp = null'
	differential unsafe 2 "/linux/seccomp: must be an object, not null"
}

@test "capabilities null: runc 1.1 grants none, and check and fix still refuse the null" {
	craft '.process.capabilities = null'
	differential safe 2 "/process/capabilities: must be an object, not null"
}

@test "Capabilities null after the capabilities object resets it: check and fix refuse" {
	craft '.process.__RAW__ = 0' '"Capabilities":null'
	differential safe 2 "differ only in letter case"
}

# ---- what runc never reads: data after the first document

@test "a second document after the config: runc reads only the unsafe first one, check and fix refuse" {
	craft '.process.noNewPrivileges = false'
	printf '\n{"process":{"noNewPrivileges":true}}\n' >>"$B/config.json"
	differential unsafe 2 "trailing garbage"
	[[ $RAW_UNSAFE == *NoNewPrivs=0* ]]
}

@test "garbage after a compliant-looking config: runc ignores it, check and fix refuse" {
	craft .
	printf ' ,"process":{"noNewPrivileges":false}}' >>"$B/config.json"
	differential safe 2 "trailing garbage"
}

# ---- Go decodes a repeated struct key into the same struct: it merges

@test "a second process object merges into the first: runc runs the first's command with NoNewPrivs 0, check and fix refuse" {
	craft '.__RAW__ = 0' '"process":{"noNewPrivileges":false}'
	differential unsafe 2 'duplicate key "process"'
	[[ $RAW_UNSAFE == *NoNewPrivs=0* ]]
}

@test "a second Process object in another case merges capabilities: runc grants CAP_SYS_ADMIN, check and fix refuse" {
	craft '.__RAW__ = 0' '"Process":{"capabilities":{"bounding":["CAP_SYS_ADMIN"],"effective":["CAP_SYS_ADMIN"],"permitted":["CAP_SYS_ADMIN"]}}'
	differential unsafe 2 "differ only in letter case"
	[[ $RAW_UNSAFE == *CapEff+200000* ]]
}

# ---- seccomp profiles that look confining and block nothing
# runc skips syscall names libseccomp cannot resolve, so a denying rule that
# names only such calls adds nothing to a default-allow filter: the kernel
# shows Seccomp 2 and lets everything through.

@test "seccomp ALLOW with ERRNO on UNSHARE (runc cannot resolve it): runc lets unshare through, oci-harden does not call it confined" {
	craft '.linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW", architectures: ["SCMP_ARCH_X86_64"], syscalls: [{names: ["UNSHARE", "Mount"], action: "SCMP_ACT_ERRNO"}]}'
	differential unsafe 1 "seccomp-unconfined [fix]"
	[[ $RAW_UNSAFE == *unshare=allowed* ]]
	[ "$K_Seccomp" = 2 ]
}

@test "seccomp ALLOW with KILL on a syscall no kernel has: runc loads an allow-all filter, oci-harden does not call it confined" {
	craft '.linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW", syscalls: [{names: ["no_such_syscall"], action: "SCMP_ACT_KILL_PROCESS"}]}'
	differential unsafe 1 "seccomp-unconfined [fix]"
	[[ $RAW_UNSAFE == *unshare=allowed* ]]
}

@test "seccomp LOG by default with only allowing rules blocks nothing: check says so and fix confines it" {
	craft '.linux.seccomp = {defaultAction: "SCMP_ACT_LOG", syscalls: [{names: ["unshare"], action: "SCMP_ACT_ALLOW"}]}'
	differential unsafe 1 "blocks nothing"
}
