#!/usr/bin/env bats
# A restore through oci-harden-runtime: CRIU brings a checkpoint's processes
# back with the credentials and seccomp filters they were dumped with, not
# with the config the wrapper hardened.  The wrapper verifies what the
# runtime restored, through the kernel checks of the rule table, and kills,
# deletes and refuses a container that came back unhardened.
#
# CRIU cannot run on every host (Debian 12's criu 3.17.1 stops at its vDSO
# check on Linux 6.13 and later, which split the vvar area in two).  Where
# it cannot, a stand-in runtime "restores" the checkpointed container by
# starting its old config under real runc: the wrapper then meets a real
# container whose kernel view differs from the hardened config, as it
# would after CRIU.  The last test runs real runc checkpoint and restore
# where `criu check` passes.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	[ "$(id -u)" = 0 ] || skip "needs root for runc"
	PREFIX=$(install_prefix)
	RT=$PREFIX/bin/oci-harden-runtime
	T=$BATS_TEST_TMPDIR
	# restores are refused by default; these tests are of verify
	jq '.runtime.restore = "verify"' "$PREFIX/etc/oci-harden/policy.json" >"$T/verify.json"
	export OCI_HARDEN_POLICY=$T/verify.json
	B=$T/bundle
	R=$T/root
	L=$T/log.json
	ID=oh-restore-$$-$RANDOM
	mkdir -p "$R"
	make_bundle "$B" '.process.noNewPrivileges = false' sleep 600
	# What the checkpoint holds: a container started by plain runc with
	# every capability, no seccomp filter and no no-new-privileges.
	jq --slurpfile p "$FIXTURES/podman/privileged.json" \
		'.process.capabilities = ($p[0].process.capabilities.bounding as $all
			| {bounding: $all, effective: $all, permitted: $all})
		 | .process.noNewPrivileges = false | del(.linux.seccomp)' \
		"$B/config.json" >"$T/privileged.json"
	write_standin
}

teardown() {
	local p
	runc --root "$R" delete -f "$ID" >/dev/null 2>&1 || true
	runc --root "$T/elsewhere" delete -f "$ID" >/dev/null 2>&1 || true
	for p in $(cat "$T/injected" 2>/dev/null); do kill -9 "$p" 2>/dev/null || true; done
}

# The stand-in for runc restore: starts $CHECKPOINTED (the config the
# checkpointed container ran with) in the bundle under real runc, waits
# until the workload runs its own code (as CRIU returns once the restored
# processes run on), and puts the hardened config back.  It records that
# it ran; everything else goes to runc.
write_standin() {
	mkdir -p "$T/standin"
	cat >"$T/standin/runc" <<-'EOF'
	#!/bin/sh
	printf '%s\n' "$*" >>"$STANDIN_CALLS"
	case " $* " in
	*" restore "*)
		: >"$STANDIN_RAN"
		for id; do :; done
		cp "$STANDIN_BUNDLE/config.json" "$STANDIN_BUNDLE/hardened.json"
		cp "$CHECKPOINTED" "$STANDIN_BUNDLE/config.json"
		if [ -n "${STANDIN_CREATE:-}" ]; then
			runc --root "$STANDIN_ROOT" create --bundle "$STANDIN_BUNDLE" "$id" </dev/null >/dev/null 2>&1
		else
			runc --root "$STANDIN_ROOT" run -d --bundle "$STANDIN_BUNDLE" "$id" </dev/null >/dev/null 2>&1
		fi
		rc=$?
		mv "$STANDIN_BUNDLE/hardened.json" "$STANDIN_BUNDLE/config.json"
		[ $rc = 0 ] || exit $rc
		[ -z "${STANDIN_CREATE:-}" ] || exit 0
		pid=$(runc --root "$STANDIN_ROOT" state "$id" | jq .pid)
		i=0
		while [ "$(cat /proc/$pid/comm 2>/dev/null)" != sleep ] && [ $i -lt 100 ]; do
			sleep 0.05; i=$((i + 1))
		done
		[ -z "${STANDIN_AFTER:-}" ] || "$STANDIN_AFTER" "$pid" || exit 1
		exit 0 ;;
	esac
	exec runc "$@"
	EOF
	chmod +x "$T/standin/runc"
	export STANDIN_BUNDLE=$B STANDIN_ROOT=$R STANDIN_RAN=$T/standin-ran \
		STANDIN_CALLS=$T/standin-calls
}

# A process of tests/fixtures/restore/tasks.c put into the restored
# container's cgroup, as a checkpoint image could bring it back: host
# credentials (every capability, no filter).  inject_after MODE
# [CGROUP-BELOW-THE-CONTAINER'S [CGROUP-BELOW-FOR-THE-INIT]] makes the
# stand-in do it after the restore; the pids go to $T/injected.
inject_after() {
	command -v cc >/dev/null || skip "needs a C compiler for the test's processes"
	[ -x "$BATS_FILE_TMPDIR/tasks" ] ||
		cc -O2 -pthread -o "$BATS_FILE_TMPDIR/tasks" "$OH_SOURCE_DIR/tests/fixtures/restore/tasks.c"
	cat >"$T/inject" <<-EOF
	#!/bin/sh
	set -e
	dirs=\$(awk -F: '\$3 != "/" { c = \$2; sub(/^name=/, "", c); if (c == "") c = "unified"
		print "/sys/fs/cgroup/" c \$3 }' /proc/\$1/cgroup)
	into() {
		for d in \$dirs; do
			mkdir -p "\$d\$1"
			# a new cpuset has no cpus nor mems to run on
			[ ! -e "\$d\$1/cpuset.cpus" ] || cat "\$d/cpuset.cpus" >"\$d\$1/cpuset.cpus"
			[ ! -e "\$d\$1/cpuset.mems" ] || cat "\$d/cpuset.mems" >"\$d\$1/cpuset.mems"
			echo "\$2" >"\$d\$1/cgroup.procs"
		done
	}
	[ -z "$3" ] || into "$3" "\$1"
	rm -f "$T/go"; mkfifo "$T/go"
	"$BATS_FILE_TMPDIR/tasks" $1 <"$T/go" >/dev/null 2>&1 &
	p=\$!
	echo \$p >>"$T/injected"
	into "$2" \$p
	echo go >"$T/go"
	sleep 0.3
	EOF
	chmod +x "$T/inject"
	export STANDIN_AFTER=$T/inject
}

# restore_through_wrapper CHECKPOINTED-CONFIG [POLICY]: the engine's call,
# with the stand-in as the real runtime.
restore_through_wrapper() {
	export CHECKPOINTED=$1
	OCI_HARDEN_RUNTIME=$T/standin/runc OCI_HARDEN_POLICY=${2:-$OCI_HARDEN_POLICY} \
		run "$RT" --root "$R" --log "$L" --log-format json restore --detach \
		--image-path "$T/image" --work-path "$T/work" --bundle "$B" "$ID"
}

# The kernel's view of the restored container's init, into $output.
restored_status() {
	local pid
	pid=$(runc --root "$R" state "$ID" | jq .pid)
	output=$(grep -E '^(NoNewPrivs|Seccomp|Cap(Bnd|Eff|Prm|Amb)):' "/proc/$pid/status")
}

@test "under an audit policy a restored checkpoint of a privileged container runs with every capability, no seccomp and no no-new-privileges" {
	# What comes back when nothing verifies it (audit mode admits and
	# logs): the checkpoint's credentials, whatever the config says.
	jq --arg a "$T/audit.log" '.mode = "audit" | .audit.file = $a' "$OCI_HARDEN_POLICY" >"$T/audit.json"
	restore_through_wrapper "$T/privileged.json" "$T/audit.json"
	assert_success
	[ -e "$STANDIN_RAN" ]
	restored_status
	[ "$(field NoNewPrivs)" = 0 ]
	[ "$(field Seccomp)" = 0 ]
	[ "$(field CapEff)" = "$(field CapBnd)" ]
	[ "$(printf '%d' "0x$(field CapBnd)")" -gt "$(printf '%d' "0x$(capmask 5 10)")" ]
	# the audit trail says what came back
	grep -q 'stage=runtime-restore .*verdict=mismatch action=admitted' "$T/audit.log"
	grep 'stage=runtime-restore' "$T/audit.log" | grep -q 'cap-all'
}

@test "a restored container whose processes came back unhardened is killed, deleted and refused naming the rules" {
	restore_through_wrapper "$T/privileged.json"
	assert_failure 1
	[ -e "$STANDIN_RAN" ]
	# The config the runtime read was hardened; the processes were not.
	[ "$(jq .process.noNewPrivileges "$B/config.json")" = true ]
	[ "$(jq -c .process.capabilities.bounding "$B/config.json")" = '["CAP_KILL","CAP_NET_BIND_SERVICE"]' ]
	[ "$(jq -r .linux.seccomp.defaultAction "$B/config.json")" = SCMP_ACT_ERRNO ]
	assert_output --partial "restored container $ID refused by oci-harden policy"
	assert_output --partial "the kernel shows capability sets bounding, effective, permitted holding all"
	assert_output --partial "without no-new-privileges (NoNewPrivs 0)"
	assert_output --partial "without seccomp (Seccomp 0)"
	assert_output --partial "killed and deleted it"
	local r
	for r in cap-all cap-not-allowed no-new-privileges seccomp-unconfined; do
		assert_output --partial "$r ["
	done
	assert_output --partial "which the container's config does not grant"
	# gone: no process, no state
	run runc --root "$R" state "$ID"
	assert_failure
	# the engine reads the reason from runc's --log, every rule in one line
	[ "$(jq -r .level "$L")" = error ]
	local msg
	msg=$(jq -r .msg "$L")
	for r in cap-all cap-not-allowed no-new-privileges seccomp-unconfined; do
		[[ "$msg" == *"$r:"* ]]
	done
}

@test "a restored container that holds what its hardened config gives runs on" {
	# A checkpoint of a container hardened by the wrapper: the same
	# config, as the wrapper writes it.
	"$PREFIX/bin/oci-harden" fix --policy "$OCI_HARDEN_POLICY" -o "$T/hardened.json" "$B" 2>/dev/null
	restore_through_wrapper "$T/hardened.json"
	assert_success
	run runc --root "$R" state "$ID"
	assert_success
	[ "$(jq -r .status <<<"$output")" = running ]
	restored_status
	[ "$(field NoNewPrivs)" = 1 ]
	[ "$(field Seccomp)" = 2 ]
	[ "$(field CapBnd)" = "$(capmask 5 10)" ]
	# the verifier's ptrace stop left it as it was
	local pid
	pid=$(runc --root "$R" state "$ID" | jq .pid)
	[ "$(cat "/proc/$pid/comm")" = sleep ]
	[ "$(awk '{print $3}' "/proc/$pid/stat")" = S ]
}

@test "a restored filter that only looks confining is caught by reading the filter the kernel holds" {
	# Seccomp 2 in /proc, but the filter refuses only mkdir: it lets
	# through bpf, kexec_load, init_module and the rest every engine's
	# default refuses.  Credentials are the hardened ones.
	"$PREFIX/bin/oci-harden" fix --policy "$OCI_HARDEN_POLICY" -o "$T/hardened.json" "$B" 2>/dev/null
	jq '.linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW", architectures: ["SCMP_ARCH_X86_64"],
		syscalls: [{names: ["mkdir"], action: "SCMP_ACT_ERRNO"}]}' "$T/hardened.json" >"$T/weak.json"
	restore_through_wrapper "$T/weak.json"
	assert_failure 1
	assert_output --partial "seccomp-unconfined [fix]"
	assert_output --partial "only look confining: they let through"
	assert_output --partial "kexec_load"
	refute_output --partial "cap-all ["
	refute_output --partial "no-new-privileges ["
	run runc --root "$R" state "$ID"
	assert_failure
}

@test "a restored capability the hardened config does not grant is refused, even one the allowlist has" {
	"$PREFIX/bin/oci-harden" fix --policy "$OCI_HARDEN_POLICY" -o "$T/hardened.json" "$B" 2>/dev/null
	# CAP_CHOWN is in the default allowlist, but the config gives only
	# CAP_KILL and CAP_NET_BIND_SERVICE.
	jq '.process.capabilities |= with_entries(.value += ["CAP_CHOWN"])' "$T/hardened.json" >"$T/chown.json"
	restore_through_wrapper "$T/chown.json"
	assert_failure 1
	assert_output --partial "cap-not-allowed [fix]: the kernel shows CAP_CHOWN (in"
	assert_output --partial "which the container's config does not grant"
	refute_output --partial "not in the allowlist"
	run runc --root "$R" state "$ID"
	assert_failure
}

@test "a restored thread holding other credentials than its process's main thread is caught" {
	# Credentials and filters are per thread.  runc's init, created and
	# not started, is such a process: its main thread holds the hardened
	# credentials and filter, the Go runtime's other threads still hold
	# runc's own (every capability, no filter).
	"$PREFIX/bin/oci-harden" fix --policy "$OCI_HARDEN_POLICY" -o "$T/hardened.json" "$B" 2>/dev/null
	STANDIN_CREATE=1 restore_through_wrapper "$T/hardened.json"
	assert_failure 1
	[ -e "$STANDIN_RAN" ]
	assert_output --partial "cap-all ["
	# the main thread has NoNewPrivs 1: only the other threads lack it
	assert_output --regexp "no-new-privileges \[fix\]: processes? [0-9]+ \(runc:\[2:INIT\]\)"
	run runc --root "$R" state "$ID"
	assert_failure
}

@test "a restore without --detach is refused before the runtime runs" {
	export CHECKPOINTED=$T/privileged.json
	OCI_HARDEN_RUNTIME=$T/standin/runc run "$RT" --root "$R" --log "$L" --log-format json \
		restore --image-path "$T/image" --bundle "$B" "$ID"
	assert_failure 2
	assert_output --partial "without --detach"
	[ ! -e "$STANDIN_RAN" ]
	[[ "$(jq -r .msg "$L")" == *"without --detach"* ]]
	# --detach=false is no detach either, as runc reads it
	OCI_HARDEN_RUNTIME=$T/standin/runc run "$RT" --root "$R" restore -d --detach=false \
		--image-path "$T/image" --bundle "$B" "$ID"
	assert_failure 2
	[ ! -e "$STANDIN_RAN" ]
}

@test "runtime.restore refuse refuses every restore before the runtime runs" {
	jq '.runtime.restore = "refuse"' "$OCI_HARDEN_POLICY" >"$T/refuse.json"
	"$PREFIX/bin/oci-harden" fix --policy "$OCI_HARDEN_POLICY" -o "$T/hardened.json" "$B" 2>/dev/null
	restore_through_wrapper "$T/hardened.json" "$T/refuse.json"
	assert_failure 1
	assert_output --partial 'runtime.restore "refuse"'
	[ ! -e "$STANDIN_RAN" ]
	[[ "$(jq -r .msg "$L")" == *'runtime.restore \"refuse\"'* || "$(jq -r .msg "$L")" == *'runtime.restore "refuse"'* ]]
}

@test "a runtime that says it restored a container it did not is refused: nothing to verify" {
	OCI_HARDEN_RUNTIME=$(standin_runtime) run "$RT" --root "$R" restore -d --image-path "$T/image" \
		--bundle "$B" "$ID"
	assert_failure 2
	assert_output --partial "cannot be verified"
	assert_output --partial "no container \"$ID\""
}

@test "a restore runc cannot do fails with runc's status, and leaves no container" {
	run "$RT" --root "$R" restore -d --image-path "$T/no-image" --bundle "$B" "$ID"
	assert_failure 1
	run runc --root "$R" state "$ID"
	assert_failure
}

@test "a real checkpoint of a privileged container started by plain runc comes back through the wrapper killed" {
	local why
	why=$(criu check 2>&1) || skip "criu cannot run here: $(printf '%s\n' "$why" | grep -m1 Error)"
	# started by plain runc, unhardened
	cp "$B/config.json" "$T/plain.json"
	cp "$T/privileged.json" "$B/config.json"
	runc --root "$R" run -d --bundle "$B" "$ID" </dev/null >/dev/null 2>&1
	runc --root "$R" checkpoint --image-path "$T/image" --work-path "$T/work" "$ID"
	run runc --root "$R" state "$ID"
	assert_failure
	# the bundle's config as an engine would hand it on
	cp "$T/plain.json" "$B/config.json"
	run "$RT" --root "$R" --log "$L" --log-format json restore --detach \
		--image-path "$T/image" --work-path "$T/work" --bundle "$B" "$ID"
	assert_failure 1
	assert_output --partial "cap-all ["
	assert_output --partial "killed and deleted it"
	run runc --root "$R" state "$ID"
	assert_failure
}

@test "a restore whose init pid went to another process leaves that process alone" {
	command -v unshare >/dev/null || skip "needs unshare for a pid namespace of the test's own"
	# In a pid namespace of the test's own (ns_last_pid is per namespace),
	# the restored init dies and an unrelated process gets its pid before
	# the wrapper reads the state: the wrapper must not signal it.
	cat >"$T/reuse-standin" <<-'EOF2'
	#!/bin/sh
	case " $* " in
	*" restore "*)
		for id; do :; done
		runc --root "$STANDIN_ROOT" run -d --bundle "$STANDIN_BUNDLE" "$id" </dev/null >/dev/null 2>&1 || exit 1
		p=$(jq .init_process_pid "$STANDIN_ROOT/$id/state.json")
		kill -9 "$p"
		i=0; while [ -e "/proc/$p" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
		echo $((p - 1)) >/proc/sys/kernel/ns_last_pid
		sleep 600 </dev/null >/dev/null 2>&1 &
		echo "$!" >"$STANDIN_RAN"
		[ "$!" != "$p" ] || echo "pid reused" >&2
		exit 0 ;;
	esac
	exec runc "$@"
	EOF2
	mkdir -p "$T/reuse"
	mv "$T/reuse-standin" "$T/reuse/runc"
	chmod +x "$T/reuse/runc"
	cat >"$T/in-ns" <<-EOF2
	#!/bin/sh
	OCI_HARDEN_RUNTIME=$T/reuse/runc "$RT" --root "$R" restore --detach --image-path "$T/image" \
		--bundle "$B" "$ID" 2>&1
	echo "wrapper exit \$?"
	v=\$(cat "$STANDIN_RAN")
	sleep 0.2
	[ -e "/proc/\$v" ] && [ "\$(cat /proc/\$v/comm)" = sleep ] && echo "unrelated process alive"
	runc --root "$R" delete -f "$ID" >/dev/null 2>&1
	true
	EOF2
	chmod +x "$T/in-ns"
	run unshare --pid --fork --mount-proc "$T/in-ns"
	[[ "$output" == *"pid reused"* ]] || skip "the pid was not reused: $output"
	assert_output --partial "wrapper exit 2"
	assert_output --partial "is not running"
	assert_output --partial "unrelated process alive"
}

@test "a restore under the id of a running container is refused and leaves that container running" {
	make_bundle "$T/victim" . sleep 600
	runc --root "$R" run -d --bundle "$T/victim" "$ID" </dev/null >/dev/null 2>&1
	local before
	before=$(runc --root "$R" state "$ID" | jq .pid)
	run "$RT" --root "$R" --log "$L" --log-format json restore --detach \
		--image-path "$T/no-image" --bundle "$B" "$ID"
	assert_failure
	assert_output --partial "already exists"
	refute_output --partial "killed and deleted"
	run runc --root "$R" state "$ID"
	assert_success
	[ "$(jq -r .status <<<"$output")" = running ]
	[ "$(jq .pid <<<"$output")" = "$before" ]
}

@test "a restore with an empty --root is refused before the runtime runs" {
	cd "$T"
	export CHECKPOINTED=$T/privileged.json
	OCI_HARDEN_RUNTIME=$T/standin/runc run "$RT" --root= restore --detach \
		--image-path "$T/image" --bundle "$B" "$ID"
	assert_failure 2
	assert_output --partial "--root"
	[ ! -e "$STANDIN_RAN" ]
}

@test "a restored container the wrapper cannot find is deleted through the runtime" {
	# The stand-in keeps the container in another root than the one the
	# wrapper reads: the wrapper cannot verify it and asks the runtime to
	# delete it, with the restore's global options.
	mkdir -p "$T/elsewhere"
	STANDIN_ROOT=$T/elsewhere restore_through_wrapper "$T/privileged.json"
	assert_failure 2
	assert_output --partial "cannot be verified"
	grep -qx -- "--root $R --log $L --log-format json delete --force $ID" "$STANDIN_CALLS"
}

@test "a restored process whose main thread exited is judged by its live threads" {
	"$PREFIX/bin/oci-harden" fix --policy "$OCI_HARDEN_POLICY" -o "$T/hardened.json" "$B" 2>/dev/null
	inject_after lone-thread
	restore_through_wrapper "$T/hardened.json"
	assert_failure 1
	assert_output --partial "cap-all ["
	assert_output --partial "killed and deleted it"
	run runc --root "$R" state "$ID"
	assert_failure
}

@test "a restored task that can reach no ptrace stop is refused within seconds, not waited on" {
	"$PREFIX/bin/oci-harden" fix --policy "$OCI_HARDEN_POLICY" -o "$T/hardened.json" "$B" 2>/dev/null
	inject_after vfork
	export CHECKPOINTED=$T/hardened.json
	OCI_HARDEN_RUNTIME=$T/standin/runc run timeout 30 "$RT" --root "$R" restore --detach \
		--image-path "$T/image" --bundle "$B" "$ID"
	assert_failure 2
	assert_output --partial "no ptrace stop"
	assert_output --partial "killed and deleted it"
	run runc --root "$R" state "$ID"
	assert_failure
}

@test "a restored process in a sibling cgroup below the container's is judged too" {
	"$PREFIX/bin/oci-harden" fix --policy "$OCI_HARDEN_POLICY" -o "$T/hardened.json" "$B" 2>/dev/null
	# the init goes to SUB/a, the other process to SUB/b
	inject_after sleep /b /a
	restore_through_wrapper "$T/hardened.json"
	assert_failure 1
	assert_output --partial "cap-all ["
	run runc --root "$R" state "$ID"
	assert_failure
}

@test "the restored container is paused while its processes are listed, and resumed" {
	"$PREFIX/bin/oci-harden" fix --policy "$OCI_HARDEN_POLICY" -o "$T/hardened.json" "$B" 2>/dev/null
	restore_through_wrapper "$T/hardened.json"
	assert_success
	# the runtime's own pause and resume, with the restore's global options
	local pause resume
	pause=$(grep -nx -- "--root $R --log $L --log-format json pause $ID" "$STANDIN_CALLS" | cut -d: -f1)
	resume=$(grep -nx -- "--root $R --log $L --log-format json resume $ID" "$STANDIN_CALLS" | cut -d: -f1)
	[ -n "$pause" ]
	[ -n "$resume" ]
	[ "$pause" -lt "$resume" ]
	run runc --root "$R" state "$ID"
	[ "$(jq -r .status <<<"$output")" = running ]
}

@test "a restored process that forks a new generation and exits its parent is still found" {
	"$PREFIX/bin/oci-harden" fix --policy "$OCI_HARDEN_POLICY" -o "$T/hardened.json" "$B" 2>/dev/null
	inject_after forker
	restore_through_wrapper "$T/hardened.json"
	assert_failure 1
	assert_output --partial "cap-all ["
	run runc --root "$R" state "$ID"
	assert_failure
}
