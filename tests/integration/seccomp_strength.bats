#!/usr/bin/env bats
# Profile strength under real runc: a profile that denies by default but
# allows every call by name looks confining (the kernel shows Seccomp 2)
# and lets the container create user namespaces and reach bpf, kexec_load,
# init_module, open_by_handle_at, ... as if there were no filter.
# oci-harden calls such a profile weak, names the calls it lets through,
# refuses it at createRuntime and replaces it on fix; the escape then fails.

load helpers

setup() {
	[ "$(id -u)" = 0 ] || skip "needs root for runc"
	command -v runc >/dev/null || skip "runc is not installed"
	[ "$(uname -m)" = x86_64 ] || skip "the profile lists x86_64's calls"
	[ "$(cat /proc/sys/user/max_user_namespaces 2>/dev/null || echo 0)" -gt 0 ] ||
		skip "this kernel gives no user namespaces, so there is no escape to show"
}

# allow_everything FILE: deny by default, one ALLOW rule naming every
# x86_64 system call libseccomp knows.
allow_everything() {
	python3 - "$1" <<-'PY'
	import ctypes, json, sys
	lib = ctypes.CDLL("libseccomp.so.2")
	lib.seccomp_syscall_resolve_num_arch.restype = ctypes.c_char_p
	lib.seccomp_arch_resolve_name.restype = ctypes.c_uint32
	arch = lib.seccomp_arch_resolve_name(b"x86_64")
	names = [n.decode() for n in (lib.seccomp_syscall_resolve_num_arch(arch, nr) for nr in range(1024)) if n]
	json.dump({"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_X86_64"],
		   "syscalls": [{"names": names, "action": "SCMP_ACT_ALLOW"}]}, open(sys.argv[1], "w"))
	PY
}

# The escape: a new user namespace (root with every capability in it, the
# door to mount, keyrings and the rest of the kernel's namespaced surface),
# and the must-block calls the probe makes, answered as without a filter.
MUST_BLOCK_CHECKS="bpf perf_event_open userfaultfd open_by_handle_at kexec_load kexec_file_load init_module finit_module delete_module add_key request_key swapon swapoff acct"
ESCAPE='unshare -U sh -c "echo ESCAPE-userns"; grep ^Seccomp: /proc/self/status'

bundle_with_profile() {
	local dir=$1
	make_bundle "$dir" . sh -c "$ESCAPE"
	jq --slurpfile p "$BATS_TEST_TMPDIR/profile.json" '.linux.seccomp = $p[0]' \
		"$dir/config.json" >"$dir/config.json.new"
	mv "$dir/config.json.new" "$dir/config.json"
}

# probe_run DIR: the probe's answers for the must-block checks under the
# bundle's config (its process replaced), in $output.
probe_run() {
	local dir=$1
	jq --arg checks "$MUST_BLOCK_CHECKS" '.process.args = (["/bin/syscall-probe"] + ($checks | split(" ")))' \
		"$dir/config.json" >"$dir/probe.json"
	mkdir -p "$dir.probe"
	cp "$dir/probe.json" "$dir.probe/config.json"
	run_bundle "$dir.probe"
}

@test "a profile allowing every call by name lets runc's container create user namespaces; oci-harden calls it weak and fix closes it" {
	[ -x "${OH_PROBE:-}" ] || skip "OH_PROBE does not name the syscall probe"
	cp "$OH_PROBE" "$(rootfs)/bin/syscall-probe"
	allow_everything "$BATS_TEST_TMPDIR/profile.json"
	[ "$(jq '.syscalls[0].names | length' "$BATS_TEST_TMPDIR/profile.json")" -gt 300 ]
	local b=$BATS_TEST_TMPDIR/bundle
	bundle_with_profile "$b"

	# The kernel's answers without any filter, for comparison.
	make_bundle "$BATS_TEST_TMPDIR/nofilter" 'del(.linux.seccomp)' true
	probe_run "$BATS_TEST_TMPDIR/nofilter"
	assert_success
	local unfiltered=$output

	# The escape under the raw config: a filter is loaded, and yet.
	run_bundle "$b"
	assert_line "ESCAPE-userns"
	assert_line --regexp "^Seccomp:[[:space:]]+2$"
	probe_run "$b"
	assert_equal "$output" "$unfiltered"
	printf '# without a filter: %s\n' "$(tr '\n' ' ' <<<"$unfiltered")" >&3

	# check names the calls the filter lets through
	run "$OCI_HARDEN" check --no-rootfs-scan "$b"
	assert_failure 1
	assert_output --partial "seccomp-unconfined [fix]: the seccomp profile only looks confining: it allows"
	assert_output --partial "bpf"
	assert_output --partial "kexec_load"
	assert_output --partial "open_by_handle_at"

	# the createRuntime hook refuses the container before it runs
	mkdir -p "$BATS_TEST_TMPDIR/hooked"
	jq --arg bin "$OCI_HARDEN" '.hooks = {createRuntime: [{path: $bin, args: ["oci-harden", "hook", "createRuntime"]}]}' \
		"$b/config.json" >"$BATS_TEST_TMPDIR/hooked/config.json"
	run_bundle "$BATS_TEST_TMPDIR/hooked"
	assert_failure
	refute_output --partial "ESCAPE-userns"

	# fix replaces the profile, and the same container no longer escapes
	run "$OCI_HARDEN" fix --in-place "$b"
	assert_success
	run "$OCI_HARDEN" check --no-rootfs-scan "$b"
	refute_output --partial "seccomp-unconfined"
	run_bundle "$b"
	refute_output --partial "ESCAPE-userns"
	assert_line --regexp "^Seccomp:[[:space:]]+2$"
	probe_run "$b"
	# every must-block call now gets the filter's answer, not the kernel's
	local line want
	while read -r line; do
		want=$(grep "^${line%% *} " <<<"$unfiltered")
		[[ $line == *" EPERM" || $line == *" ENOSYS" ]] ||
			{ echo "after fix: $line (without a filter: $want)"; return 1; }
	done <<<"$output"
}

@test "a profile whose only deny rule names socketcall blocks nothing on x86_64" {
	echo '{"defaultAction":"SCMP_ACT_ALLOW","architectures":["SCMP_ARCH_X86_64"],"syscalls":[{"names":["socketcall"],"action":"SCMP_ACT_KILL_PROCESS"}]}' \
		>"$BATS_TEST_TMPDIR/profile.json"
	local b=$BATS_TEST_TMPDIR/bundle
	bundle_with_profile "$b"
	run_bundle "$b"
	assert_line "ESCAPE-userns"
	run "$OCI_HARDEN" check --no-rootfs-scan "$b"
	assert_failure 1
	assert_output --partial "seccomp-unconfined [fix]: the seccomp profile blocks nothing"
}

@test "the engines' own defaults are confining: podman's captured default config and the bundled profiles" {
	run "$OCI_HARDEN" check --no-rootfs-scan "$FIXTURES/podman/default.json"
	refute_output --partial "seccomp-unconfined"
	local p
	for p in default strict; do
		run "$OCI_HARDEN" fix --seccomp-profile "$p" -o "$BATS_TEST_TMPDIR/$p.json" "$FIXTURES/podman/seccomp-unconfined.json"
		assert_success
		run "$OCI_HARDEN" check --no-rootfs-scan "$BATS_TEST_TMPDIR/$p.json"
		refute_output --partial "seccomp-unconfined"
	done
}

@test "fix refuses a policy profile that only looks confining, and writes nothing" {
	allow_everything "$BATS_TEST_TMPDIR/profile.json"
	# the same as a docker-format profile for --seccomp-profile
	run "$OCI_HARDEN" fix --seccomp-profile "$BATS_TEST_TMPDIR/profile.json" \
		-o "$BATS_TEST_TMPDIR/out.json" "$FIXTURES/podman/seccomp-unconfined.json"
	assert_failure 2
	assert_output --partial "calls every engine's default refuses; it cannot confine a container"
	assert_output --partial "allows acct, add_key, bpf"
	[ ! -e "$BATS_TEST_TMPDIR/out.json" ]
}
