#!/usr/bin/env bats
# The kernel agrees: the static syscall probe runs under runc in a fixed
# busybox bundle, once with the installed filter and once without it, with
# the same capabilities.  Also `oci-harden profile check` and `explain`, and
# check on configs whose own profile runc could not load.

load helpers

PROFILES=$OH_SOURCE_DIR/seccomp-profiles

# What default.json answers, for podman's default capabilities as fix leaves
# them, to each call the profile refuses.  The filter answers these itself,
# so the table holds on every kernel.  (Checks the probe cannot build on
# this architecture print NOTBUILT and are left out.)
DEFAULT_REFUSES="
unshare EPERM
setns EPERM
mount EPERM
umount2 EPERM
pivot_root EPERM
fsopen EPERM
fspick EPERM
fsconfig EPERM
fsmount EPERM
open_tree EPERM
move_mount EPERM
mount_setattr EPERM
keyctl EPERM
add_key EPERM
request_key EPERM
bpf EPERM
perf_event_open EPERM
userfaultfd EPERM
io_uring_setup EPERM
io_uring_enter EPERM
io_uring_register EPERM
pidfd_getfd EPERM
kcmp EPERM
process_vm_readv EPERM
process_vm_writev EPERM
process_madvise EPERM
ptrace EPERM
kexec_load EPERM
kexec_file_load EPERM
init_module EPERM
finit_module EPERM
delete_module EPERM
swapon EPERM
swapoff EPERM
reboot EPERM
acct EPERM
settimeofday EPERM
clock_settime EPERM
syslog EPERM
open_by_handle_at EPERM
sethostname EPERM
socket_alg ENOSYS
socket_vsock ENOSYS
socket_vsock_hibits ENOSYS
socket_packet ENOSYS
socketpair_vsock ENOSYS
x32_socket_vsock ENOSYS
clone_newuser EPERM
clone_newns EPERM
clone3 ENOSYS
personality_compat_layout ENOSYS
personality_read_implies_exec ENOSYS
personality_no_randomize ENOSYS
ia32_getpid SIGNAL31
ia32_socket_vsock SIGNAL31
ia32_socketcall_vsock SIGNAL31
ia32_unshare SIGNAL31
ia32_keyctl SIGNAL31"

# Calls whose unfiltered answer comes from argument checks, not from
# capabilities: without the filter the kernel answers them differently on
# any kernel, so each proves the filter, not the kernel, refused it.
KERNEL_ANSWERS_OTHERWISE="setns umount2 keyctl kcmp ptrace process_vm_readv
clone3 personality_compat_layout personality_read_implies_exec
personality_no_randomize settimeofday clock_settime"

# Must work under every profile.
CONTROLS="read write openat getpid clock_gettime nanosleep personality_query
socket_inet socket_inet6 socket_unix socket_netlink socketpair fork
clone_thread pthread"

# probe_bundle NAME [fix options...]: a busybox bundle running the probe,
# fixed with the given options; prints its directory.
probe_bundle() {
	local dir=$BATS_FILE_TMPDIR/bundles/$1
	shift
	make_bundle "$dir" '.' /bin/syscall-probe
	"$OCI_HARDEN" fix --in-place "$@" "$dir" >/dev/null 2>"$dir.fix" || { cat "$dir.fix" >&2; return 1; }
	echo "$dir"
}

# runc_probe DIR OUT: runs the bundle, the probe's report into OUT.
runc_probe() {
	local id="oh-probe-$$-$RANDOM"
	runc run --bundle "$1" "$id" >"$2" 2>"$2.err" || { cat "$2.err" >&2; return 1; }
	runc delete -f "$id" >/dev/null 2>&1 || true
}

# Runs the probes once for the file: every test reads their reports.
setup_file() {
	[ "$(id -u)" = 0 ] && [ -x "${OH_PROBE:-}" ] || return 0
	cp "$OH_PROBE" "$(rootfs)/bin/syscall-probe"
	local d
	d=$(probe_bundle default)
	runc_probe "$d" "$BATS_FILE_TMPDIR/filtered"
	# The same config, capabilities and all, without linux.seccomp.
	jq 'del(.linux.seccomp)' "$d/config.json" >"$d/nofilter.json"
	mkdir -p "$BATS_FILE_TMPDIR/bundles/nofilter"
	mv "$d/nofilter.json" "$BATS_FILE_TMPDIR/bundles/nofilter/config.json"
	runc_probe "$BATS_FILE_TMPDIR/bundles/nofilter" "$BATS_FILE_TMPDIR/unfiltered"
	d=$(probe_bundle strict --seccomp-profile "$PROFILES/strict.json")
	runc_probe "$d" "$BATS_FILE_TMPDIR/strict"
}

setup() {
	[ "$(id -u)" = 0 ] || skip "needs root for runc"
	[ -x "${OH_PROBE:-}" ] || skip "OH_PROBE does not name the syscall probe"
	FILTERED=$BATS_FILE_TMPDIR/filtered
	UNFILTERED=$BATS_FILE_TMPDIR/unfiltered
	B=$BATS_TEST_TMPDIR/bundle
}

# answer CHECK REPORT: "0", an errno name, SIGNAL31 or NOTBUILT.
answer() {
	awk -v n="$1" '$1 == n { print ($2 == "0") ? "0" : $3 }' "$2"
}

# expect_answers TABLE REPORT: every "check answer" line of TABLE matches
# the report; prints each mismatch and fails if there is one.
expect_answers() {
	local table=$1 report=$2 bad=0 check want got
	while read -r check want; do
		[ -n "$check" ] || continue
		got=$(answer "$check" "$report")
		[ "$got" = NOTBUILT ] && continue
		if [ "$got" != "$want" ]; then
			echo "$check: got '${got}', want $want"
			bad=1
		fi
	done <<<"$table"
	return $bad
}

@test "the fixed config's filter refuses each dangerous call with the profile's errno" {
	[ "$(jq -r .linux.seccomp.defaultAction "$BATS_FILE_TMPDIR/bundles/default/config.json")" = SCMP_ACT_ERRNO ]
	# the bundle keeps only podman's default capabilities the policy allows
	[ "$(jq -c .process.capabilities.bounding "$BATS_FILE_TMPDIR/bundles/default/config.json")" = '["CAP_KILL","CAP_NET_BIND_SERVICE"]' ]
	run expect_answers "$DEFAULT_REFUSES" "$FILTERED"
	assert_success
}

@test "without the filter the kernel answers those calls itself: the filter, not the kernel, blocked them" {
	local c blocked=()
	for c in $KERNEL_ANSWERS_OTHERWISE; do
		[ "$(answer "$c" "$UNFILTERED")" != "$(answer "$c" "$FILTERED")" ] ||
			{ echo "$c: the same answer with and without the filter"; return 1; }
	done
	# Every call the filter changed, for the record; calls missing here
	# are refused by the kernel too (EPERM without the capability).
	while read -r c _; do
		[ -n "$c" ] || continue
		[ "$(answer "$c" "$UNFILTERED")" = "$(answer "$c" "$FILTERED")" ] || blocked+=("$c")
	done <<<"$DEFAULT_REFUSES"
	echo "blocked: ${blocked[*]}" >&3
	[ "${#blocked[@]}" -ge 30 ]
}

@test "the table would catch a missing filter: the unfiltered report fails it" {
	run expect_answers "$DEFAULT_REFUSES" "$UNFILTERED"
	assert_failure
	assert_output --partial "clone3: got 'EINVAL', want ENOSYS"
}

@test "read, openat, sockets, fork and threads keep working under the filter" {
	local c
	for c in $CONTROLS; do
		[ "$(answer "$c" "$FILTERED")" = 0 ] || { echo "$c: $(answer "$c" "$FILTERED") under the filter"; return 1; }
		[ "$(answer "$c" "$UNFILTERED")" = 0 ]
	done
}

@test "calls default.json allows get the kernel's own answer, filter or not" {
	local c
	for c in personality_linux32 execveat shmget semget mq_open io_setup vmsplice \
		name_to_handle_at remap_file_pages modify_ldt adjtimex clock_adjtime; do
		[ "$(answer "$c" "$FILTERED")" = "$(answer "$c" "$UNFILTERED")" ] ||
			{ echo "$c: $(answer "$c" "$FILTERED") vs $(answer "$c" "$UNFILTERED")"; return 1; }
	done
	# A read-only clock query works (chronyc tracking, ntp_gettime).
	[ "$(answer adjtimex "$FILTERED")" = 0 ]
}

@test "no refused socket family is reachable through socket, socketpair, socketcall or x32" {
	local c
	# Unfiltered, the kernel would hand out an AF_VSOCK socket through the
	# 32-bit socketcall of a 64-bit program; under the filter every path
	# is closed: the family rules, and the 32-bit ABI left out (killed).
	for c in socket_vsock socket_vsock_hibits socketpair_vsock x32_socket_vsock \
		ia32_socket_vsock ia32_socketcall_vsock; do
		case "$(answer "$c" "$FILTERED")" in
		0 | "") echo "$c: $(answer "$c" "$FILTERED") under the filter"; return 1 ;;
		esac
	done
	[ "$(answer ia32_socketcall_vsock "$FILTERED")" = SIGNAL31 ]
	[ "$(answer socketpair_vsock "$FILTERED")" = ENOSYS ]
}

@test "the policy group compat32 brings the 32-bit x86 ABI back, with the socketcall gap it documents" {
	[ "$(uname -m)" = x86_64 ] || skip "the 32-bit x86 ABI exists on x86_64 hosts only"
	echo '{"version": 1, "seccomp": {"groups": ["compat32"]}}' >"$BATS_TEST_TMPDIR/p.json"
	local d
	d=$(probe_bundle compat32 --policy "$BATS_TEST_TMPDIR/p.json")
	jq -e '.linux.seccomp.architectures | index("SCMP_ARCH_X86")' "$d/config.json"
	runc_probe "$d" "$BATS_TEST_TMPDIR/report"
	run expect_answers "
ia32_getpid 0
ia32_socket_inet 0
ia32_socket_vsock ENOSYS
ia32_unshare EPERM
ia32_keyctl EPERM
socket_vsock ENOSYS
read 0" "$BATS_TEST_TMPDIR/report"
	assert_success
	# The gap: socketcall's family is in memory.
	[ "$(answer ia32_socketcall_vsock "$BATS_TEST_TMPDIR/report")" = "$(answer ia32_socketcall_vsock "$UNFILTERED")" ]
}

@test "the policy group debug opens ptrace and process_vm_readv, and nothing else" {
	echo '{"version": 1, "seccomp": {"groups": ["debug"]}}' >"$BATS_TEST_TMPDIR/p.json"
	local d c
	d=$(probe_bundle debug --policy "$BATS_TEST_TMPDIR/p.json")
	runc_probe "$d" "$BATS_TEST_TMPDIR/report"
	for c in ptrace process_vm_readv kcmp; do
		[ "$(answer "$c" "$BATS_TEST_TMPDIR/report")" = "$(answer "$c" "$UNFILTERED")" ] ||
			{ echo "$c: $(answer "$c" "$BATS_TEST_TMPDIR/report") with debug"; return 1; }
	done
	run expect_answers "
mount EPERM
unshare EPERM
keyctl EPERM
bpf EPERM
userfaultfd EPERM
socket_vsock ENOSYS" "$BATS_TEST_TMPDIR/report"
	assert_success
}

@test "strict.json refuses AF_ALG, AF_VSOCK and AF_PACKET with EPERM and kills 32-bit x86 calls" {
	run expect_answers "
socket_alg EPERM
socket_vsock EPERM
socket_packet EPERM
execveat ENOSYS
io_setup ENOSYS
personality_linux32 ENOSYS
ia32_getpid SIGNAL31
ia32_socketcall_vsock SIGNAL31
ia32_unshare SIGNAL31
read 0
pthread 0
clone_thread 0" "$BATS_FILE_TMPDIR/strict"
	assert_success
}

@test "strict.json allows System V IPC, which PostgreSQL needs" {
	local c
	for c in shmget semget mq_open; do
		[ "$(answer "$c" "$BATS_FILE_TMPDIR/strict")" = "$(answer "$c" "$UNFILTERED")" ] ||
			{ echo "$c: $(answer "$c" "$BATS_FILE_TMPDIR/strict") under strict"; return 1; }
	done
}

# ---------------------------------------------------------- profile check

@test "profile check calls the bundled profiles valid and counts BPF instructions per architecture" {
	run "$OCI_HARDEN" profile check "$PROFILES/default.json"
	assert_success
	assert_line --regexp "default.json: SCMP_ARCH_X86_64: [0-9]+ BPF instructions without capabilities, [0-9]+ with all 16 the profile names$"
	assert_line --regexp "default.json: SCMP_ARCH_X32 \(under SCMP_ARCH_X86_64\): [0-9]+ BPF instructions"
	assert_line --regexp "default.json: SCMP_ARCH_S390X: [0-9]+ BPF instructions"
	assert_line --regexp "default.json: valid \(libseccomp [0-9.]+"
	run "$OCI_HARDEN" profile check "$PROFILES/strict.json"
	assert_success
	run "$OCI_HARDEN" profile check /usr/share/containers/seccomp.json
	assert_success
	assert_line --regexp "SCMP_ARCH_MIPS64: [0-9]+ BPF instructions"
}

@test "profile check warns about names libseccomp does not know, and --strict makes them errors" {
	jq '.syscalls[0].names += ["no_such_call"]' "$PROFILES/strict.json" >"$BATS_TEST_TMPDIR/p.json"
	run "$OCI_HARDEN" profile check "$BATS_TEST_TMPDIR/p.json"
	assert_success
	assert_output --partial 'entry 0 (_llseek, +'
	assert_output --partial 'warning: libseccomp'
	assert_output --partial '"no_such_call"'
	run "$OCI_HARDEN" profile check --strict "$BATS_TEST_TMPDIR/p.json"
	assert_failure 1
	assert_output --partial 'error: libseccomp'
	assert_output --partial "p.json: invalid"
}

@test "profile check names every invalid entry by index and name and exits 1" {
	jq '.syscalls[3].action = "SCMP_ACT_ALOW" | .syscalls[5].args = [{"index": 9, "op": "SCMP_CMP_EQ"}]' \
		"$PROFILES/default.json" >"$BATS_TEST_TMPDIR/p.json"
	run "$OCI_HARDEN" profile check "$BATS_TEST_TMPDIR/p.json"
	assert_failure 1
	assert_line --partial "entry 3 (fdatasync, +4 more): error: /syscalls/3/action: unknown seccomp action"
	assert_line --partial "entry 5 (brk, +22 more): error: /syscalls/5/args/0/index"
	assert_output --partial "p.json: invalid: 2 errors"
}

@test "profile check finds rules libseccomp refuses, naming the entry and the capability set" {
	# An EPERM family next to an allowed one collides in i386's socketcall,
	# and only when the deny entry applies: without CAP_NET_ADMIN.
	cat >"$BATS_TEST_TMPDIR/p.json" <<-'EOF'
	{"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 38,
	 "archMap": [{"architecture": "SCMP_ARCH_X86_64", "subArchitectures": ["SCMP_ARCH_X86"]}],
	 "syscalls": [
	  {"names": ["read"], "action": "SCMP_ACT_ALLOW"},
	  {"names": ["socket"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 2, "op": "SCMP_CMP_EQ"}]},
	  {"names": ["socket"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1,
	   "args": [{"index": 0, "value": 15, "op": "SCMP_CMP_EQ"}], "excludes": {"caps": ["CAP_NET_ADMIN"]}}]}
	EOF
	run "$OCI_HARDEN" profile check "$BATS_TEST_TMPDIR/p.json"
	assert_failure 1
	assert_output --regexp "entry 2 \(socket\): error: libseccomp refuses the rule for socket on SCMP_ARCH_X86: File exists.*\(with no capabilities, for SCMP_ARCH_X86\)"
	refute_output --partial "for SCMP_ARCH_X86_64)"
	refute_output --partial "with CAP_NET_ADMIN"
	assert_output --partial "p.json: invalid: 1 error"
	# An AF_KEY denial added to default.json meets entry 23's AF_KEY allow
	# only when CAP_NET_ADMIN unlocks that: a collision on every arch.
	jq '.syscalls += [{"names":["socket"],"action":"SCMP_ACT_ERRNO","errnoRet":1,
		"args":[{"index":0,"value":15,"op":"SCMP_CMP_EQ"}]}]' "$PROFILES/default.json" >"$BATS_TEST_TMPDIR/d.json"
	run "$OCI_HARDEN" profile check "$BATS_TEST_TMPDIR/d.json"
	assert_failure 1
	assert_output --regexp "entry 78 \(socket\): error: .*File exists.*\(with CAP_NET_ADMIN, for SCMP_ARCH_X86_64\)"
	assert_output --regexp "entry 78 \(socket\): error: .*\(with CAP_NET_ADMIN, for SCMP_ARCH_AARCH64\)"
	refute_output --partial "with no capabilities"
}

@test "profile check accepts an OCI-format profile and exits 2 on unreadable input" {
	"$OCI_HARDEN" fix "$FIXTURES/podman/seccomp-unconfined.json" | jq .linux.seccomp >"$BATS_TEST_TMPDIR/oci.json"
	run "$OCI_HARDEN" profile check "$BATS_TEST_TMPDIR/oci.json"
	assert_success
	assert_line --regexp "SCMP_ARCH_X32: [0-9]+ BPF instructions$"
	run "$OCI_HARDEN" profile check "$BATS_TEST_TMPDIR/missing.json"
	assert_failure 2
	printf '{"defaultAction": ' >"$BATS_TEST_TMPDIR/cut.json"
	run "$OCI_HARDEN" profile check "$BATS_TEST_TMPDIR/cut.json"
	assert_failure 2
	run "$OCI_HARDEN" profile check
	assert_failure 2
	run "$OCI_HARDEN" profile frobnicate x
	assert_failure 2
}

# --------------------------------------------------- built-in profiles

@test "profile show prints the built-in profiles as seccomp-profiles/ holds them" {
	for name in default strict; do
		run "$OCI_HARDEN" profile show "$name"
		assert_success
		diff <(jq -S . <<<"$output") <(jq -S . "$PROFILES/$name.json")
	done
	# A file is shown as the parser reads it.
	run "$OCI_HARDEN" profile show "$PROFILES/strict.json"
	assert_success
	assert_equal "$(jq -c . <<<"$output")" "$(jq -c . "$PROFILES/strict.json")"
	run "$OCI_HARDEN" profile show nonexistent
	assert_failure 2
	assert_output --partial "nonexistent: cannot open"
	run "$OCI_HARDEN" profile show
	assert_failure 2
}

@test "profile check and explain take the built-in names" {
	run "$OCI_HARDEN" profile check default
	assert_success
	assert_line --regexp "^default: SCMP_ARCH_X86_64: [0-9]+ BPF instructions"
	assert_line --regexp "^default: valid \(libseccomp [0-9.]+"
	# The same counts as the file.
	diff <("$OCI_HARDEN" profile check strict | sed 's/^strict:/X:/') \
		<("$OCI_HARDEN" profile check "$PROFILES/strict.json" | sed "s|^$PROFILES/strict.json:|X:|")
	run "$OCI_HARDEN" profile explain strict ptrace
	assert_success
	assert_line --regexp "^verdict: SCMP_ACT_ERRNO"
}

@test "the build refuses a bundled profile the hook would refuse" {
	jq '.syscalls[3].action = "SCMP_ACT_ALOW"' "$PROFILES/default.json" >"$BATS_TEST_TMPDIR/bad.json"
	run "$OH_EMBED_PROFILES" "$BATS_TEST_TMPDIR/out.c" "default=$BATS_TEST_TMPDIR/bad.json"
	assert_failure 2
	assert_output --partial "/syscalls/3/action: unknown seccomp action"
	[ ! -e "$BATS_TEST_TMPDIR/out.c" ]
	run "$OH_EMBED_PROFILES" "$BATS_TEST_TMPDIR/out.c" "default=$PROFILES/default.json"
	assert_success
	grep -q '^const struct builtin_profile oh_builtin_profiles\[\] = {$' "$BATS_TEST_TMPDIR/out.c"
	# The table entry: name, first node, node count (the default profile has over 1000).
	grep -Eq '^[[:space:]]*\{ "default", 0, [0-9]{4,} \},$' "$BATS_TEST_TMPDIR/out.c"
}

# -------------------------------------------------------- profile explain

@test "profile explain says why ptrace is refused without CAP_SYS_PTRACE and allowed with it" {
	run "$OCI_HARDEN" profile explain "$PROFILES/default.json" ptrace
	assert_success
	assert_line --partial 'entry 52 "cap CAP_SYS_PTRACE": SCMP_ACT_ALLOW: skipped (includes.caps: the container lacks CAP_SYS_PTRACE)'
	assert_line --partial 'entry 68 "deny debug": SCMP_ACT_ERRNO (EPERM): applies'
	assert_line "verdict: SCMP_ACT_ERRNO (EPERM), from entry 68"
	run "$OCI_HARDEN" profile explain --cap sys_ptrace "$PROFILES/default.json" ptrace
	assert_success
	assert_line --partial "ptrace for a container with CAP_SYS_PTRACE on"
	assert_line "verdict: SCMP_ACT_ALLOW, from entry 52"
}

@test "profile explain follows minKernel: ptrace on a 4.4 kernel falls to the default action" {
	echo '{"kernel": "4.4.0"}' >"$BATS_TEST_TMPDIR/facts.json"
	run "$OCI_HARDEN" profile explain --host-facts "$BATS_TEST_TMPDIR/facts.json" --cap CAP_SYS_PTRACE \
		"$PROFILES/default.json" ptrace
	assert_success
	assert_line --partial "skipped (includes.minKernel 4.8: the kernel 4.4.0 is older)"
	assert_line "verdict: SCMP_ACT_ERRNO (ENOSYS), the default action: no entry that applies names ptrace"
}

@test "profile explain lists the argument tests of clone and the default for the rest" {
	run "$OCI_HARDEN" profile explain "$PROFILES/default.json" clone
	assert_success
	assert_line "verdict: depends on the arguments:"
	assert_line "  SCMP_ACT_ALLOW when arg0 & 0x7e020000 == 0 (entry 24)"
	assert_line "  SCMP_ACT_ERRNO (EPERM) when arg0 & 0x10000000 == 0x10000000 (entry 28)"
	assert_line "  otherwise SCMP_ACT_ERRNO (ENOSYS), the default action"
	run "$OCI_HARDEN" profile explain --cap CAP_SYS_ADMIN "$PROFILES/default.json" clone
	assert_line "verdict: SCMP_ACT_ALLOW, from entry 51"
}

@test "profile explain knows that runc skips names libseccomp does not know, and exits 2 on bad input" {
	run "$OCI_HARDEN" profile explain "$PROFILES/default.json" no_such_call
	assert_success
	assert_line --partial 'does not know "no_such_call"'
	assert_line "  no entry names no_such_call"
	run "$OCI_HARDEN" profile explain "$BATS_TEST_TMPDIR/missing.json" read
	assert_failure 2
	run "$OCI_HARDEN" profile explain --cap CAP_NOPE "$PROFILES/default.json" read
	assert_failure 2
}

@test "profile explain agrees with the kernel on the calls the probe made" {
	# The probe's check and the call it makes, for the capabilities fix left.
	local check call want got
	while read -r check call; do
		want=$(answer "$check" "$FILTERED")
		[ "$want" != NOTBUILT ] || continue
		got=$("$OCI_HARDEN" profile explain --cap CAP_KILL --cap CAP_NET_BIND_SERVICE \
			"$PROFILES/default.json" "$call" | sed -n 's/^verdict: //p')
		# allowed: the kernel's own answer, as without the filter
		if [[ $got == SCMP_ACT_ALLOW* ]]; then
			[ "$want" = "$(answer "$check" "$UNFILTERED")" ]
		else
			[[ $got == "SCMP_ACT_ERRNO ($want)"* ]]
		fi || { echo "$call: explain says '$got', the kernel said $want"; return 1; }
	done <<-EOF
	unshare unshare
	keyctl keyctl
	ptrace ptrace
	bpf bpf
	io_uring_setup io_uring_setup
	clone3 clone3
	kexec_load kexec_load
	userfaultfd userfaultfd
	read read
	getpid getpid
	execveat execveat
	EOF
}

# ------------------------------------------- configs with their own profile

@test "check of a config whose own profile is malformed exits 2 naming the profile and the entry" {
	make_bundle "$B" '.linux.seccomp = {defaultAction: "SCMP_ACT_ERRNO", syscalls: [{names: ["read"], action: "SCMP_ACT_ALLOW"}, {names: ["write"], action: "SCMP_ACT_PERMIT"}]}'
	run "$OCI_HARDEN" check "$B"
	assert_failure 2
	assert_output --partial "invalid seccomp profile in the config"
	assert_output --partial "/linux/seccomp/syscalls/1/action: unknown seccomp action"
}

@test "check of a config whose own profile runc cannot load exits 2, and runc indeed refuses it" {
	make_bundle "$B" '.process.noNewPrivileges = true | .linux.seccomp = {defaultAction: "SCMP_ACT_ERRNO", defaultErrnoRet: 38,
		architectures: ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"], syscalls: [
		{names: ["socket"], action: "SCMP_ACT_ALLOW", args: [{index: 0, value: 2, op: "SCMP_CMP_EQ"}]},
		{names: ["socket"], action: "SCMP_ACT_ERRNO", errnoRet: 1, args: [{index: 0, value: 40, op: "SCMP_CMP_EQ"}]}]}'
	[ "$(uname -m)" = x86_64 ] || skip "the collision needs the i386 sub-architecture"
	run "$OCI_HARDEN" check "$B"
	assert_failure 2
	assert_output --partial "/linux/seccomp/syscalls/1 (socket): libseccomp refuses the rule for socket"
	assert_output --partial "File exists"
	run_bundle "$B"
	assert_failure
	assert_output --partial "file exists"
}
