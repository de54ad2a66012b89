#!/usr/bin/env bats
# profile denials: a container calling a blocked call on purpose, under real
# runc and crun, is reported with its id, the call and the entry that
# denied it; records of host processes and malformed lines are reported as
# such, never dropped silently and never a crash.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	[ "$(id -u)" = 0 ] || skip "needs root for runc and /dev/kmsg"
	[ -x "${OH_RAWCALL:-}" ] || skip "OH_RAWCALL does not name the rawcall helper"
	T=$BATS_TEST_TMPDIR
	cp "$OH_RAWCALL" "$(rootfs)/bin/rawcall"
	ID="oh-denials-$BATS_TEST_NUMBER-$$"
}

teardown() {
	runc --root "$T/runc" delete -f "$ID" >/dev/null 2>&1 || true
	if [ -d "$T/crun" ]; then
		crun_ns crun --root "$T/crun" delete -f "$ID" >/dev/null 2>&1 || true
	fi
}

# crun refuses this host's hybrid cgroup layout; in a private mount
# namespace without /sys/fs/cgroup/unified it runs.
crun_ns() {
	unshare -m sh -c 'umount /sys/fs/cgroup/unified 2>/dev/null; exec "$@"' sh "$@"
}

# wait_output FILE TEXT: until the container's output shows TEXT.
wait_output() {
	for _ in $(seq 50); do
		grep -q "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	echo "no \"$2\" in $1: $(cat "$1" 2>/dev/null)"
	return 1
}

# denial_row ID CALL [CMD...]: sets $row to what profile denials --format
# json gives for the container's call.  The kernel rate-limits the audit records it
# prints (printk's 10 per 5 s; "kauditd_printk_skb: N callbacks
# suppressed"), and other tests on the machine may spend that budget: when
# the record is missing, CMD makes the call again (in the same container),
# up to eight times over about 16 s.  Still missing with the kernel saying
# it suppressed records: skip, since nothing was logged to report.
denial_row() {
	local id=$1 c=$2 i
	shift 2
	for i in $(seq 8); do
		"$OCI_HARDEN" profile denials --format json --root "$T/runc" --crun-root "$T/crun" \
			>"$T/denials.json"
		jq -e --arg id "$id" --arg c "$c" \
			'[.denials[] | select(.container == $id and .syscall == $c)] | length > 0' \
			"$T/denials.json" >/dev/null && break
		[ $# -gt 0 ] || { sleep 0.2; continue; }
		sleep 2
		"$@" </dev/null >/dev/null 2>&1 || true
		sleep 0.2
	done
	if ! jq -e --arg id "$id" --arg c "$c" \
		'[.denials[] | select(.container == $id and .syscall == $c)] | length > 0' "$T/denials.json" >/dev/null &&
		dmesg | tail -n 200 | grep -q "callbacks suppressed"; then
		skip "the kernel suppressed the audit records (printk rate limit): nothing to report"
	fi
	row=$(jq -c --arg id "$id" --arg c "$c" \
		'[.denials[] | select(.container == $id and .syscall == $c)][0]' "$T/denials.json")
}

@test "profile denials names the runc container, the call and the entry that killed it" {
	grep -qw kill_thread /proc/sys/kernel/seccomp/actions_logged ||
		skip "the kernel does not log kill_thread (kernel.seccomp.actions_logged)"
	# runc 1.1 refuses SECCOMP_FILTER_FLAG_LOG, so only KILL and LOG
	# actions reach the log: the bundled profile with keyctl killed, and
	# the call made in a thread, so that the process stays to be found.
	make_bundle "$T/b" '.' /bin/rawcall -w -t 250
	"$OCI_HARDEN" fix --in-place "$T/b" 2>/dev/null
	jq '.linux.seccomp.syscalls = [{"names": ["keyctl"], "action": "SCMP_ACT_KILL_THREAD"}] + .linux.seccomp.syscalls' \
		"$T/b/config.json" >"$T/c" && mv "$T/c" "$T/b/config.json"
	runc --root "$T/runc" run -d --bundle "$T/b" "$ID" </dev/null >"$T/out" 2>&1
	wait_output "$T/out" "250 killed"
	denial_row "$ID" keyctl runc --root "$T/runc" exec -d "$ID" /bin/rawcall -w -t 250
	echo "$row"
	[ "$(jq -r .runtime <<<"$row")" = runc ]
	[ "$(jq -r .action <<<"$row")" = SCMP_ACT_KILL_THREAD ]
	[ "$(jq -r .entryIndex <<<"$row")" = 0 ]
	[ "$(jq -r .bundle <<<"$row")" = "$T/b" ]
	[ "$(jq -r .comm <<<"$row")" = rawcall ]
	# the text says the same
	run "$OCI_HARDEN" profile denials --root "$T/runc" --crun-root "$T/crun"
	assert_success
	assert_output --partial "container $ID (runc, bundle $T/b):"
	assert_output --partial "denied by: linux.seccomp.syscalls[0] (keyctl): SCMP_ACT_KILL_THREAD"
}

@test "under crun, logDenials makes the kernel log an ERRNO denial, reported with the profile's entry" {
	command -v crun >/dev/null || skip "crun is not installed"
	grep -qw errno /proc/sys/kernel/seccomp/actions_logged ||
		skip "the kernel does not log errno (kernel.seccomp.actions_logged)"
	echo '{"version": 1, "seccomp": {"logDenials": true}}' >"$T/p.json"
	make_bundle "$T/b" '.' /bin/rawcall -w 250
	"$OCI_HARDEN" fix --in-place --policy "$T/p.json" "$T/b" 2>/dev/null
	jq -e '.linux.seccomp.flags == ["SECCOMP_FILTER_FLAG_LOG"]' "$T/b/config.json"
	mkdir -p "$T/crun"
	crun_ns sh -c 'exec crun --root "$1" run -d --bundle "$2" "$3" </dev/null >"$4" 2>&1' \
		sh "$T/crun" "$T/b" "$ID" "$T/out" || true
	! grep -q cgroup "$T/out" || skip "crun cannot run here: $(cat "$T/out")"
	wait_output "$T/out" "250 1 EPERM"
	denial_row "$ID" keyctl crun_ns crun --root "$T/crun" exec -d "$ID" /bin/rawcall -w 250
	echo "$row"
	[ "$(jq -r .runtime <<<"$row")" = crun ]
	[ "$(jq -r .action <<<"$row")" = SCMP_ACT_ERRNO ]
	[ "$(jq -r .denied <<<"$row")" = true ]
	# the OCI entry, and the bundled profile's entry it came from
	jq -e '.entry | test("^linux.seccomp.syscalls\\[[0-9]+\\] .*SCMP_ACT_ERRNO, from entry [0-9]+ \"deny keyring\" of default$")' <<<"$row"
	jq -e '.change | test("remove keyctl from linux.seccomp.syscalls")' <<<"$row"
}

@test "runc 1.1 refuses a profile with SECCOMP_FILTER_FLAG_LOG: logDenials fails closed there" {
	runc --version | grep -q '^runc version 1\.1\.' || skip "runc is not 1.1: $(runc --version | head -1)"
	echo '{"version": 1, "seccomp": {"logDenials": true}}' >"$T/p.json"
	make_bundle "$T/b" '.' /bin/rawcall 250
	"$OCI_HARDEN" fix --in-place --policy "$T/p.json" "$T/b" 2>/dev/null
	run runc --root "$T/runc" run --bundle "$T/b" "$ID"
	assert_failure
	assert_output --partial "seccomp flags are not yet supported by runc"
	refute_output --partial "250 "
}

@test "a record of a host process is reported as no container's; one of an exited process as such" {
	sleep 300 &
	host=$!
	dead=$( (sh -c 'echo $$') )
	{
		printf 'type=SECCOMP msg=audit(%s.000:1): pid=%s comm="sleep" exe="/bin/sleep" sig=0 arch=c000003e syscall=250 compat=0 ip=0x1 code=0x50000\n' "$(date +%s)" "$host"
		printf 'type=SECCOMP msg=audit(%s.000:2): pid=%s comm="sh" exe="/bin/sh" sig=0 arch=c000003e syscall=165 compat=0 ip=0x1 code=0x50000\n' "$(date +%s)" "$dead"
	} >"$T/audit.log"
	run "$OCI_HARDEN" profile denials --audit-log "$T/audit.log" --root "$T/runc" --format json
	kill "$host"
	assert_success
	jq -e --argjson p "$host" '.denials[] | select(.pid == $p) |
		.container == null and .syscall == "keyctl" and (.attribution | test("is a host process"))' <<<"$output"
	jq -e --argjson p "$dead" '.denials[] | select(.pid == $p) |
		.container == null and .syscall == "mount" and (.attribution | test("has exited"))' <<<"$output"
	run "$OCI_HARDEN" profile denials --audit-log "$T/audit.log" --root "$T/runc"
	assert_success
	assert_output --partial "not attributed to a container:"
	assert_output --partial "keyctl (number 250, SCMP_ARCH_X86_64): SCMP_ACT_ERRNO, 1 time, process $host (sleep, /bin/sleep)"
}

@test "malformed and hostile lines are skipped with a count, never a crash" {
	{
		echo 'type=SECCOMP msg=audit(1.000:1): pid=1 pid=2 arch=c000003e syscall=1 code=0'
		echo 'type=SECCOMP msg=audit(1.000:1): pid=1 comm="unterminated arch=c000003e'
		echo 'type=1326 pid=99999999999999999999 arch=c000003e syscall=1 code=0'
		printf 'type=1326 %*s\n' 20000 x
		echo 'ordinary text'
		# a forged kmsg record: facility user, as userspace writes to kmsg
		echo '12,1,1,-;audit: type=1326 audit(1.000:1): pid=1 arch=c000003e syscall=1 code=0'
		head -c 2000000 /dev/urandom | base64 -w 300
		printf 'type=SECCOMP pid=1 arch=c000003e syscall=999999 code=0x50000'
	} >"$T/bad.log"
	run "$OCI_HARDEN" profile denials --audit-log "$T/bad.log" --root "$T/runc" --format json
	assert_success
	[ "$(jq .counts.malformed <<<"$output")" = 4 ]
	[ "$(jq .counts.records <<<"$output")" = 1 ]
	# a call libseccomp does not know is reported with its number
	jq -e '.denials[0] | .nr == 999999 and .syscall == null' <<<"$output"
	# an unreadable source is exit 2 with a message
	run "$OCI_HARDEN" profile denials --audit-log "$T/missing.log"
	assert_failure 2
	assert_output --partial "missing.log"
	run "$OCI_HARDEN" profile denials --format yaml
	assert_failure 2
}

@test "logDenials adds the flag to a confining profile of the config's own and keeps its calls" {
	echo '{"version": 1, "seccomp": {"logDenials": true}}' >"$T/p.json"
	make_bundle "$T/b" '.'
	"$OCI_HARDEN" fix --in-place "$T/b" 2>/dev/null
	jq -c '.linux.seccomp.syscalls' "$T/b/config.json" >"$T/before"
	run "$OCI_HARDEN" check --no-rootfs-scan --policy "$T/p.json" "$T/b"
	assert_failure 1
	assert_output --partial "lacks SECCOMP_FILTER_FLAG_LOG"
	"$OCI_HARDEN" fix --in-place --policy "$T/p.json" "$T/b" 2>/dev/null
	jq -e '.linux.seccomp.flags == ["SECCOMP_FILTER_FLAG_LOG"]' "$T/b/config.json"
	[ "$(jq -c '.linux.seccomp.syscalls' "$T/b/config.json")" = "$(cat "$T/before")" ]
	run "$OCI_HARDEN" check --no-rootfs-scan --policy "$T/p.json" "$T/b"
	assert_success
	# the loader takes a boolean only
	echo '{"version": 1, "seccomp": {"logDenials": "yes"}}' >"$T/bad.json"
	run "$OCI_HARDEN" check --policy "$T/bad.json" "$T/b"
	assert_failure 2
	assert_output --partial "/seccomp/logDenials: must be true or false"
}

@test "each denial of a container's process gets the smallest change: a group, a capability, the entry, or none for a must-block call" {
	# Records as auditd writes them, for the live process of a real runc
	# container under the bundled profile: no dependence on the kernel's
	# rate limit, the same attribution and evaluation.
	make_bundle "$T/b" '.' /bin/rawcall -w 39
	"$OCI_HARDEN" fix --in-place "$T/b" 2>/dev/null
	runc --root "$T/runc" run -d --bundle "$T/b" "$ID" </dev/null >"$T/out" 2>&1
	wait_output "$T/out" "39 0"
	pid=$(runc --root "$T/runc" state "$ID" | jq .pid)
	now=$(date +%s)
	for nr in 101 272 250 321 1; do
		printf 'type=SECCOMP msg=audit(%s.000:1): pid=%s comm="rawcall" exe="/bin/rawcall" sig=0 arch=c000003e syscall=%s compat=0 ip=0x1 code=0x50000\n' "$now" "$pid" "$nr"
	done >"$T/audit.log"
	run "$OCI_HARDEN" profile denials --audit-log "$T/audit.log" --root "$T/runc" --format json
	assert_success
	change() { jq -r --arg id "$ID" --arg c "$1" '.denials[] | select(.container == $id and .syscall == $c) | .change' <<<"$output"; }
	[[ "$(change ptrace)" == 'enable seccomp.groups "debug"'* ]]
	[[ "$(change unshare)" == "grant CAP_SYS_ADMIN: entry "*" of default allows unshare"* ]]
	[[ "$(change keyctl)" == "remove keyctl from linux.seccomp.syscalls["* ]]
	[[ "$(change bpf)" == "the call is in the must-block set ("*"): do not allow it" ]]
	[[ "$(change write)" == "none: the container's profile allows write now" ]]
	jq -e --arg id "$ID" '[.denials[] | select(.container == $id)] | length == 5' <<<"$output"
	jq -e --arg id "$ID" '.denials[] | select(.container == $id and .syscall == "unshare") |
		.entry | test("from entry [0-9]+ \"deny mount-and-namespace\" of default$")' <<<"$output"
}

@test "the wrapper in front of runc 1.1 refuses logDenials with its own message; in front of crun it installs the flag" {
	runc --version | grep -q '^runc version 1\.1\.' || skip "runc is not 1.1: $(runc --version | head -1)"
	echo '{"version": 1, "seccomp": {"logDenials": true}}' >"$T/p.json"
	ln -sf "$OCI_HARDEN" "$T/oci-harden-runtime"
	make_bundle "$T/b" '.'
	cp -a "$T/b" "$T/c"
	OCI_HARDEN_RUNTIME=$(command -v runc) OCI_HARDEN_POLICY="$T/p.json" \
		run "$T/oci-harden-runtime" --root "$T/runc" create --bundle "$T/b" "$ID"
	assert_failure 2
	assert_output --partial "seccomp.logDenials: runc 1.1 refuses any linux.seccomp.flags"
	# nothing written, nothing created
	jq -e '.linux.seccomp == null' "$T/b/config.json"
	run runc --root "$T/runc" state "$ID"
	assert_failure
	# crun takes the flag: the wrapper writes it (a stand-in crun that
	# starts nothing; the wrapper knows crun by its name)
	standin_script "$T/standin/crun" crun
	OCI_HARDEN_RUNTIME=$T/standin/crun OCI_HARDEN_POLICY="$T/p.json" \
		run "$T/oci-harden-runtime" create --bundle "$T/c" "$ID"
	assert_success
	jq -e '.linux.seccomp.flags == ["SECCOMP_FILTER_FLAG_LOG"]' "$T/c/config.json"
}

@test "records beyond the report's bound of distinct records are counted, not kept" {
	awk 'BEGIN { for (i = 0; i < 70000; i++)
		printf "type=SECCOMP msg=audit(1.000:%d): pid=4000000 comm=\"x\" exe=\"/x\" sig=0 arch=c000003e syscall=%d compat=0 ip=0x1 code=0x50000\n", i, i + 1000 }' >"$T/many.log"
	# and the same record again counts once more, not as a new one
	tail -n 1 "$T/many.log" >>"$T/many.log"
	run "$OCI_HARDEN" profile denials --audit-log "$T/many.log" --root "$T/runc" --format json
	assert_success
	[ "$(jq .counts.records <<<"$output")" = 70001 ]
	[ "$(jq .counts.dropped <<<"$output")" = $((70000 - 65536 + 1)) ]
	[ "$(jq '.denials | length' <<<"$output")" = 65536 ]
}
