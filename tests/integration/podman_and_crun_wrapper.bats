#!/usr/bin/env bats
# The wrapper under podman (exec is the part hooks never see) and in front
# of crun.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	[ "$(id -u)" = 0 ] || skip "needs root for podman and crun"
	PREFIX=$(install_prefix)
	RT=$PREFIX/bin/oci-harden-runtime
	export OCI_HARDEN_POLICY=$PREFIX/etc/oci-harden/policy.json
	NAME="oh-engines-pc-$BATS_TEST_NUMBER-$$"
}

teardown() {
	podman rm -f -t 0 "$NAME" >/dev/null 2>&1 || true
}

# A detached podman container through the wrapper (in front of runc).
start_podman() {
	OCI_HARDEN_RUNTIME=$(command -v runc) podman --cgroup-manager cgroupfs --runtime "${1:-$RT}" \
		run -d --name "$NAME" --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 \
		--rootfs "$(podman_rootfs)" sleep 300 >/dev/null
}

pexec() {
	OCI_HARDEN_RUNTIME=$(command -v runc) run podman --cgroup-manager cgroupfs --runtime "$RT" exec "$@"
}

@test "podman exec through the wrapper runs with NoNewPrivs 1 and Seccomp 2" {
	start_podman
	pexec "$NAME" sh -c "$STATUS"
	assert_success
	[ "$(field NoNewPrivs)" = 1 ]
	[ "$(field Seccomp)" = 2 ]
	[ "$(field CapEff)" = "$(capmask 0 1 3 4 5 6 7 8 10 18 31)" ]
}

@test "podman with the wrapper as its runtime in containers.conf: run and exec are hardened" {
	cat >"$BATS_TEST_TMPDIR/containers.conf" <<-EOF
	[engine]
	cgroup_manager = "cgroupfs"
	runtime = "oci-harden"
	[engine.runtimes]
	oci-harden = ["$RT"]
	EOF
	export CONTAINERS_CONF=$BATS_TEST_TMPDIR/containers.conf
	podman run -d --name "$NAME" --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 \
		--rootfs "$(podman_rootfs)" sleep 300 >/dev/null
	[ "$(podman inspect "$NAME" --format '{{.OCIRuntime}}')" = oci-harden ]
	run podman exec "$NAME" sh -c "$STATUS"
	podman rm -f -t 0 "$NAME" >/dev/null
	assert_success
	[ "$(field NoNewPrivs)" = 1 ]
	[ "$(field Seccomp)" = 2 ]
}

@test "podman exec -u 1000 through the wrapper has no capabilities and NoNewPrivs 1" {
	start_podman
	pexec -u 1000 "$NAME" sh -c 'grep -E "^(Uid|NoNewPrivs|CapEff):" /proc/self/status'
	assert_success
	[ "$(field Uid)" = 1000 ]
	[ "$(field CapEff)" = 0000000000000000 ]
	[ "$(field NoNewPrivs)" = 1 ]
}

@test "podman exec --privileged through the wrapper is refused naming cap-all" {
	start_podman
	pexec --privileged "$NAME" sh -c "$STATUS"
	assert_failure
	assert_output --partial "cap-all: the exec asks for every capability"
	refute_output --partial "CapEff"
}

@test "podman exec --privileged is clamped to the container when the policy says runtime.exec clamp" {
	jq '.runtime.exec = "clamp"' "$OCI_HARDEN_POLICY" >"$BATS_TEST_TMPDIR/clamp.json"
	# podman execs with the runtime the container was created with, and
	# conmon does not pass podman's environment on: the policy is set by
	# a runtime script, as containers.conf would name it
	printf '#!/bin/sh\nOCI_HARDEN_POLICY=%s exec %s "$@"\n' "$BATS_TEST_TMPDIR/clamp.json" "$RT" \
		>"$BATS_TEST_TMPDIR/oci-harden-clamp"
	chmod +x "$BATS_TEST_TMPDIR/oci-harden-clamp"
	start_podman "$BATS_TEST_TMPDIR/oci-harden-clamp"
	run podman --cgroup-manager cgroupfs --runtime "$BATS_TEST_TMPDIR/oci-harden-clamp" \
		exec --privileged "$NAME" sh -c "$STATUS"
	assert_success
	[ "$(field NoNewPrivs)" = 1 ]
	[ "$(field CapBnd)" = "$(capmask 0 1 3 4 5 6 7 8 10 18 31)" ]
}

# crun refuses this host's hybrid cgroup layout; in a private mount
# namespace without /sys/fs/cgroup/unified it runs.
crun_ns() {
	command -v crun >/dev/null || skip "crun is not installed"
	OCI_HARDEN_RUNTIME=$(command -v crun) unshare -m sh -c \
		'umount /sys/fs/cgroup/unified 2>/dev/null; exec "$@"' sh "$@"
}

@test "crun through the wrapper runs a runc spec bundle with NoNewPrivs 1 and Seccomp 2" {
	local B=$BATS_TEST_TMPDIR/bundle R=$BATS_TEST_TMPDIR/root
	make_bundle "$B" '.process.noNewPrivileges = false | .process.capabilities.bounding += ["CAP_SYS_ADMIN"]'
	run crun_ns "$RT" --root "$R" run --bundle "$B" "$NAME"
	[ "$status" = 0 ] || [[ "$output" != *"cgroup"* ]] || skip "crun cannot run here: $output"
	assert_success
	[ "$(field NoNewPrivs)" = 1 ]
	[ "$(field Seccomp)" = 2 ]
	[ "$(field CapBnd)" = "$(capmask 5 10)" ]
}

@test "crun exec with no --root finds the container where crun keeps it: under XDG_RUNTIME_DIR when that is set, as root too" {
	local B=$BATS_TEST_TMPDIR/bundle X=$BATS_TEST_TMPDIR/xdg
	make_bundle "$B" '.' sleep 300
	jq --arg cmd "$STATUS" '.process | .args = ["sh", "-c", $cmd]' "$B/config.json" >"$BATS_TEST_TMPDIR/p.json"
	mkdir -p "$X"
	run crun_ns env XDG_RUNTIME_DIR="$X" sh -c '"$1" run -d --bundle "$2" "$3" </dev/null >/dev/null 2>&1 &&
		"$1" exec --process "$4" "$3"; echo "exec: $?"; ls "$5/crun";
		crun delete -f "$3"' sh "$RT" "$B" "$NAME" "$BATS_TEST_TMPDIR/p.json" "$X"
	[[ "$output" != *"cgroup"* ]] || skip "crun cannot run here: $output"
	# crun kept it under $X/crun; the wrapper judged the exec from there
	assert_output --partial "exec: 0"
	assert_line "$NAME"
	[ "$(field NoNewPrivs)" = 1 ]
	[ "$(field Seccomp)" = 2 ]
}

@test "crun installed as a link named runc is read in crun's grammar, from the file the link leads to" {
	command -v crun >/dev/null || skip "crun is not installed"
	local B=$BATS_TEST_TMPDIR/bundle R=$BATS_TEST_TMPDIR/root
	make_bundle "$B" '.process.noNewPrivileges = false'
	mkdir -p "$BATS_TEST_TMPDIR/bin"
	ln -s "$(command -v crun)" "$BATS_TEST_TMPDIR/bin/runc"
	# --roo is crun's (argp) abbreviation of --root; runc's grammar has no
	# abbreviations, so the wrapper reading runc's would refuse it.
	run env OCI_HARDEN_RUNTIME="$BATS_TEST_TMPDIR/bin/runc" unshare -m sh -c \
		'umount /sys/fs/cgroup/unified 2>/dev/null; exec "$@"' sh \
		"$RT" --roo "$R" run --bundle "$B" "$NAME"
	[ "$status" = 0 ] || [[ "$output" != *"cgroup"* ]] || skip "crun cannot run here: $output"
	assert_success
	[ "$(field NoNewPrivs)" = 1 ]
	[ "$(field Seccomp)" = 2 ]
}

@test "crun exec through the wrapper is clamped to the container; crun's spellings are read as crun reads them" {
	local B=$BATS_TEST_TMPDIR/bundle R=$BATS_TEST_TMPDIR/root
	make_bundle "$B" '.' sleep 300
	jq --arg cmd "$STATUS" '.process | .args = ["sh", "-c", $cmd] | .noNewPrivileges = false
		| .capabilities.effective += ["CAP_SYS_ADMIN"] | .capabilities.bounding += ["CAP_SYS_ADMIN"]' \
		"$B/config.json" >"$BATS_TEST_TMPDIR/p.json"
	run crun_ns sh -c '"$1" --root "$2" run -d --bundle "$3" "$4" </dev/null >/dev/null 2>&1 &&
		"$1" --root="$2" exec -dp "$5" "$4" && sleep 0.5;
		"$1" --roo "$2" exec --process="$5" "$4";
		"$1" --root "$2" exec -c CAP_SYS_ADMIN "$4" true; echo "flags: $?";
		crun --root "$2" delete -f "$4"' sh "$RT" "$R" "$B" "$NAME" "$BATS_TEST_TMPDIR/p.json"
	[[ "$output" != *"cgroup"* ]] || skip "crun cannot run here: $output"
	# both execs ran, clamped
	[ "$(field NoNewPrivs | wc -l)" = 2 ]
	[ "$(field NoNewPrivs | sort -u)" = 1 ]
	[ "$(field Seccomp | sort -u)" = 2 ]
	[ "$(field CapEff | sort -u)" = "$(capmask 5 10)" ]
	assert_output --partial "crun exec without --process"
	assert_output --partial "flags: 2"
}

@test "podman update through the wrapper reaches the container: the resources document is judged and handed on" {
	start_podman
	OCI_HARDEN_RUNTIME=$(command -v runc) run podman --cgroup-manager cgroupfs --runtime "$RT" \
		update --cpu-shares 777 "$NAME"
	assert_success
	pexec "$NAME" cat /sys/fs/cgroup/cpu/cpu.shares
	assert_success
	assert_output 777
}
