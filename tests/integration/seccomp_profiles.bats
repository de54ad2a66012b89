#!/usr/bin/env bats
# Every profile users have: moby's current default.json shape, containers-
# common's, CRI-O's older single-name form and an OCI linux.seccomp object
# (all written for these tests in tests/fixtures/seccomp/).  profile check
# and fix --seccomp-profile accept them, and profile explain answers what
# runc's filter answers, ENOSYS from runc's stub included.

load helpers

SHAPES=$FIXTURES/seccomp

@test "profile check accepts moby's current shape, skipping SCMP_ARCH_LOONGARCH64 with a note" {
	run "$OCI_HARDEN" profile check "$SHAPES/moby-current.json"
	assert_success
	assert_line --partial "note: /archMap/7: libseccomp"
	assert_line --partial "does not know SCMP_ARCH_LOONGARCH64: the entry is skipped"
	assert_line --regexp "SCMP_ARCH_RISCV64: [0-9]+ BPF instructions"
	refute_line --regexp "LOONGARCH64: [0-9]+ BPF instructions"
	assert_line --regexp "valid \\(libseccomp [0-9.]+"
}

@test "profile check accepts containers-common's, CRI-O's and OCI-form profiles" {
	local f
	for f in containers-common crio-legacy oci-linux-seccomp; do
		run "$OCI_HARDEN" profile check "$SHAPES/$f.json"
		assert_success
		assert_line --regexp "^$SHAPES/$f.json: valid"
	done
}

@test "fix --seccomp-profile installs each shape, and the result passes check" {
	local f
	for f in moby-current containers-common crio-legacy oci-linux-seccomp; do
		run "$OCI_HARDEN" fix --seccomp-profile "$SHAPES/$f.json" -o "$BATS_TEST_TMPDIR/$f.json" \
			"$FIXTURES/podman/seccomp-unconfined.json"
		assert_success
		run jq -r '.linux.seccomp.defaultAction' "$BATS_TEST_TMPDIR/$f.json"
		assert_output SCMP_ACT_ERRNO
		run "$OCI_HARDEN" check --seccomp-profile "$SHAPES/$f.json" --no-rootfs-scan "$BATS_TEST_TMPDIR/$f.json"
		refute_output --partial "seccomp-unconfined"
	done
	# moby's archMap on this host: the native arch and its sub-architectures
	[ "$(uname -m)" != x86_64 ] ||
		[ "$(jq -c .linux.seccomp.architectures "$BATS_TEST_TMPDIR/moby-current.json")" = \
		  '["SCMP_ARCH_X86_64","SCMP_ARCH_X86","SCMP_ARCH_X32"]' ]
}

@test "a profile naming an architecture no libseccomp knows is still refused" {
	jq '.archMap[0].architecture = "SCMP_ARCH_VAX"' "$SHAPES/moby-current.json" >"$BATS_TEST_TMPDIR/vax.json"
	run "$OCI_HARDEN" profile check "$BATS_TEST_TMPDIR/vax.json"
	assert_failure 1
	assert_output --partial "/archMap/0/architecture: unknown architecture"
}

@test "profile explain answers ENOSYS where runc's stub does: calls newer than an EPERM-default profile" {
	local call
	for call in mseal statmount listmount lsm_get_self_attr; do
		run "$OCI_HARDEN" profile explain "$SHAPES/moby-current.json" "$call"
		assert_success
		assert_line --partial "does not know \"$call\": runc skips every rule naming it"
		assert_line --regexp "^verdict: SCMP_ACT_ERRNO \\(ENOSYS\\), from runc's -ENOSYS stub: $call is number [0-9]+ on"
	done
	# a profile whose default already is ENOSYS gets no stub
	run "$OCI_HARDEN" profile explain "$SHAPES/containers-common.json" mseal
	assert_line "verdict: SCMP_ACT_ERRNO (ENOSYS), the default action: no entry that applies names mseal"
	# and an old call the profile allows is allowed
	run "$OCI_HARDEN" profile explain "$SHAPES/moby-current.json" futex_requeue
	assert_line "verdict: SCMP_ACT_ALLOW, from entry 0"
}

@test "profile explain agrees with the compiled filter on arguments: clone under moby's shape" {
	run "$OCI_HARDEN" profile explain "$SHAPES/moby-current.json" clone
	assert_success
	assert_line "verdict: depends on the arguments:"
	assert_line "  SCMP_ACT_ALLOW when arg0 & 0x7e020000 == 0 (entry 5)"
	assert_line "  with every argument 0: SCMP_ACT_ALLOW"
	run "$OCI_HARDEN" profile explain --cap CAP_SYS_ADMIN "$SHAPES/moby-current.json" clone
	assert_line "verdict: SCMP_ACT_ALLOW, from entry 8"
}

@test "profile check tells a confining profile from one that only looks confining" {
	local f
	for f in default strict "$SHAPES/moby-current.json" "$SHAPES/containers-common.json"; do
		run "$OCI_HARDEN" profile check "$f"
		assert_success
		assert_line "$f: strength: confining (no must-block call allowed)"
	done
	echo '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mount"],"action":"SCMP_ACT_ERRNO"}]}' \
		>"$BATS_TEST_TMPDIR/weak.json"
	run "$OCI_HARDEN" profile check "$BATS_TEST_TMPDIR/weak.json"
	assert_success
	assert_line --regexp "strength: weak, it allows .*bpf.*kexec_load.* to a container without capabilities"
}

# rawcall_in BUNDLE NR: the kernel's answer to call NR in a runc container
# of the bundle ("NR 0" or "NR ERRNO NAME").
rawcall_in() {
	jq --arg nr "$2" '.process.args = ["/bin/rawcall", $nr]' "$1/config.json" >"$1/config.json.new"
	mv "$1/config.json.new" "$1/config.json"
	run_bundle "$1"
	[ "$status" = 0 ] || { echo "rawcall $2: $output"; return 1; }
	echo "$output"
}

@test "profile explain agrees with runc's filter on calls libseccomp does not know, under moby's EPERM default" {
	[ "$(id -u)" = 0 ] || skip "needs root for runc"
	command -v runc >/dev/null || skip "runc is not installed"
	[ -x "${OH_RAWCALL:-}" ] || skip "OH_RAWCALL does not name the rawcall helper"
	[ "$(uname -m)" = x86_64 ] || skip "the numbers below are x86_64's"
	cp "$OH_RAWCALL" "$(rootfs)/bin/rawcall"
	local b=$BATS_TEST_TMPDIR/bundle plain=$BATS_TEST_TMPDIR/plain
	make_bundle "$b" 'del(.linux.seccomp)' /bin/rawcall 39
	make_bundle "$plain" 'del(.linux.seccomp)' /bin/rawcall 39
	run "$OCI_HARDEN" fix --seccomp-profile "$SHAPES/moby-current.json" --in-place "$b"
	assert_success
	[ "$(jq -r .linux.seccomp.defaultErrnoRet "$b/config.json")" = 1 ]
	# name number: calls libseccomp 2.5 does not know, one it knows and
	# the profile allows, one the default refuses, one allowed by name
	local name nr got want verdict checked=0 pair
	local calls=(mseal:462 statmount:457 listmount:458 lsm_get_self_attr:459
		futex_requeue:456 acct:163 getppid:110)
	for pair in "${calls[@]}"; do
		name=${pair%:*} nr=${pair#*:}
		verdict=$("$OCI_HARDEN" profile explain "$SHAPES/moby-current.json" "$name" | sed -n 's/^verdict: //p')
		got=$(rawcall_in "$b" "$nr" </dev/null)
		if [[ $verdict == SCMP_ACT_ALLOW* ]]; then
			want=$(rawcall_in "$plain" "$nr" </dev/null)
		else
			[[ $verdict =~ ^SCMP_ACT_ERRNO\ \(([A-Z0-9]+)\) ]] || { echo "$name: $verdict"; return 1; }
			want="$nr * ${BASH_REMATCH[1]}"
			got=$(awk '{ print $1, "*", $3 }' <<<"$got")
		fi
		[ "$got" = "$want" ] || { echo "$name: explain says '$verdict', runc's filter gave '$got'"; return 1; }
		echo "# $name ($nr): $verdict" >&3
		checked=$((checked + 1))
	done
	[ "$checked" = 7 ]
	# and the stub is what answers: without it the filter says EPERM
	run rawcall_in "$b" 462 </dev/null
	assert_output "462 38 ENOSYS"
	run rawcall_in "$plain" 462 </dev/null
	refute_output --partial ENOSYS
}

@test "profile explain evaluates a call the host's ABI lacks for the other ABIs of the filter" {
	[ "$(uname -m)" = x86_64 ] || skip "the example is x86_64's"
	run "$OCI_HARDEN" profile explain "$SHAPES/crio-legacy.json" _llseek
	assert_success
	assert_line "verdict: none: SCMP_ARCH_X86_64 has no system call _llseek"
	# crio-legacy lists x86, and does not allow _llseek: the default
	assert_line "  for SCMP_ARCH_X86 programs (number 140, every argument 0): SCMP_ACT_ERRNO (EPERM)"
	# default leaves the 32-bit ABI out (the socketcall gap); with it back,
	# as the compat32 group does, the filter allows _llseek there
	jq '.archMap[0].subArchitectures += ["SCMP_ARCH_X86"]' "$OH_SOURCE_DIR/seccomp-profiles/default.json" \
		>"$BATS_TEST_TMPDIR/default32.json"
	run "$OCI_HARDEN" profile explain "$BATS_TEST_TMPDIR/default32.json" _llseek
	assert_line "  for SCMP_ARCH_X86 programs (number 140, every argument 0): SCMP_ACT_ALLOW"
	run "$OCI_HARDEN" profile explain "$SHAPES/oci-linux-seccomp.json" set_tls
	assert_line "  no other architecture of the filter has it"
}

@test "a profile sending the dangerous calls to SCMP_ACT_TRACE lets the container run them by tracing its own child: judged unconfined, and the fix blocks them" {
	[ "$(id -u)" = 0 ] || skip "needs root for runc"
	command -v runc >/dev/null || skip "runc is not installed"
	[ -x "${OH_RAWCALL:-}" ] || skip "OH_RAWCALL does not name the rawcall helper"
	[ "$(uname -m)" = x86_64 ] || skip "the numbers below are x86_64's"
	cp "$OH_RAWCALL" "$(rootfs)/bin/rawcall"
	local b=$BATS_TEST_TMPDIR/bundle
	# Every call the strength check requires blocked goes to TRACE.
	# userfaultfd(UFFD_USER_MODE_ONLY) needs no capability: untraced, TRACE
	# answers ENOSYS; traced by its parent, the call runs.
	make_bundle "$b" '.linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"action": "SCMP_ACT_TRACE",
		"names": ["acct", "add_key", "bpf", "delete_module", "finit_module", "init_module", "ioperm", "iopl",
			"kexec_file_load", "kexec_load", "lookup_dcookie", "open_by_handle_at", "perf_event_open",
			"quotactl", "request_key", "swapoff", "swapon", "userfaultfd"]}]}' \
		sh -c 'rawcall 323 1; rawcall -p 323 1; echo "traced: $?"'
	run_bundle "$b"
	assert_success
	assert_line "323 38 ENOSYS"
	assert_line "323 0"
	run "$OCI_HARDEN" check --no-rootfs-scan "$b"
	assert_failure 1
	assert_output --partial "seccomp-unconfined"
	assert_output --partial "userfaultfd"
	run "$OCI_HARDEN" fix --in-place "$b"
	assert_success
	# the default profile: refused traced or not (ptrace itself is too)
	run_bundle "$b"
	assert_success
	assert_line "323 1 EPERM"
	refute_line "323 0"
}
