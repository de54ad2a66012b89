#!/usr/bin/env bats
# Docker and containerd with oci-harden-runtime as their runc: the engines
# from Debian, started privately for this file (engines.bash), a busybox
# image built offline, and the kernel's view of every process asserted.

load helpers
load engines
bats_require_minimum_version 1.5.0

# The default allowlist (podman's default set) as /proc shows it.
ALLOWED_CAPS="0 1 3 4 5 6 7 8 10 18 31"

setup_file() {
	[ "$(id -u)" = 0 ] || skip "needs root for dockerd and containerd"
	PREFIX=$(install_prefix)
	export OCI_HARDEN_POLICY=$PREFIX/etc/oci-harden/policy.json
	export OCI_HARDEN_RUNTIME
	OCI_HARDEN_RUNTIME=$(command -v runc)
	export ENGINES_WRAPPER=$PREFIX/bin/oci-harden-runtime
	engines_start docker
	engines_image
}

teardown_file() {
	engines_stop
}

setup() {
	[ -S "$(engines_dir)/docker.sock" ] || skip "the engines did not start (see setup_file)"
	engines_clients
	RT=$ENGINES_WRAPPER
	NAME="oh-engines-$BATS_TEST_NUMBER-$$"
}

teardown() {
	"${DOCKER[@]}" rm -f "$NAME" >/dev/null 2>&1 || true
	"${CTR[@]}" task kill -s KILL "$NAME" >/dev/null 2>&1 || true
	"${CTR[@]}" task rm -f "$NAME" >/dev/null 2>&1 || true
	"${CTR[@]}" container rm "$NAME" >/dev/null 2>&1 || true
}

@test "docker run through the wrapper (Docker's default-runtime) runs with NoNewPrivs 1, Seccomp 2 and only allowed capabilities" {
	run "${DOCKER[@]}" run --rm "$IMAGE" sh -c "$STATUS"
	assert_success
	[ "$(field NoNewPrivs)" = 1 ]
	[ "$(field Seccomp)" = 2 ]
	[ "$(field CapBnd)" = "$(capmask $ALLOWED_CAPS)" ]
	[ "$(field CapEff)" = "$(capmask $ALLOWED_CAPS)" ]
	# runc alone, for contrast: Docker's defaults
	run "${DOCKER[@]}" run --rm --runtime runc "$IMAGE" sh -c "$STATUS"
	assert_success
	[ "$(field NoNewPrivs)" = 0 ]
}

@test "docker exec into a hardened container runs with NoNewPrivs 1, Seccomp 2 and the container's capabilities" {
	"${DOCKER[@]}" run -d --name "$NAME" --runtime oh-harden "$IMAGE" sleep 300
	run "${DOCKER[@]}" exec "$NAME" sh -c "$STATUS"
	assert_success
	[ "$(field NoNewPrivs)" = 1 ]
	[ "$(field Seccomp)" = 2 ]
	[ "$(field CapEff)" = "$(capmask $ALLOWED_CAPS)" ]
	[ "$(field CapBnd)" = "$(capmask $ALLOWED_CAPS)" ]
}

@test "docker exec -t (a console socket passed on) runs with NoNewPrivs 1" {
	"${DOCKER[@]}" run -d --name "$NAME" --runtime oh-harden "$IMAGE" sleep 300
	run "${DOCKER[@]}" exec -t "$NAME" sh -c "$STATUS"
	assert_success
	output=$(tr -d '\r' <<<"$output")
	[ "$(field NoNewPrivs)" = 1 ]
	[ "$(field Seccomp)" = 2 ]
}

@test "docker exec -u 1000 runs as uid 1000 with no capabilities and NoNewPrivs 1" {
	"${DOCKER[@]}" run -d --name "$NAME" --runtime oh-harden "$IMAGE" sleep 300
	run "${DOCKER[@]}" exec -u 1000 "$NAME" sh -c 'grep -E "^(Uid|NoNewPrivs|Seccomp|CapEff):" /proc/self/status'
	assert_success
	[ "$(field Uid)" = 1000 ]
	[ "$(field CapEff)" = 0000000000000000 ]
	[ "$(field NoNewPrivs)" = 1 ]
	[ "$(field Seccomp)" = 2 ]
}

@test "docker exec --privileged is refused with cap-all in Docker's error, not as a missing command" {
	"${DOCKER[@]}" run -d --name "$NAME" --runtime oh-harden "$IMAGE" sleep 300
	run "${DOCKER[@]}" exec --privileged "$NAME" sh -c "$STATUS"
	assert_failure
	[ "$status" != 127 ]
	assert_output --partial "cap-all: the exec asks for every capability"
	refute_output --partial "unable to retrieve OCI runtime error"
	refute_output --partial "CapEff"
}

@test "docker run --privileged through the wrapper is refused naming cap-all and privileged" {
	run "${DOCKER[@]}" run --rm --privileged --runtime oh-harden "$IMAGE" echo should-not-run
	assert_failure
	[ "$status" != 127 ]
	assert_output --partial "cap-all:"
	assert_output --partial "privileged:"
	refute_output --partial "should-not-run"
	refute_output --partial "unable to retrieve OCI runtime error"
}

@test "ctr run --runc-binary WRAPPER runs with NoNewPrivs 1, Seccomp 2 and only allowed capabilities" {
	run "${CTR[@]}" run --rm --runc-binary "$RT" "docker.io/$IMAGE" "$NAME" sh -c "$STATUS"
	assert_success
	[ "$(field NoNewPrivs)" = 1 ]
	[ "$(field Seccomp)" = 2 ]
	[ "$(field CapBnd)" = "$(capmask $ALLOWED_CAPS)" ]
}

@test "ctr task exec into a hardened container runs with NoNewPrivs 1 and Seccomp 2" {
	"${CTR[@]}" run -d --runc-binary "$RT" "docker.io/$IMAGE" "$NAME" sleep 300
	run "${CTR[@]}" task exec --exec-id "e-$$" "$NAME" sh -c "$STATUS"
	assert_success
	[ "$(field NoNewPrivs)" = 1 ]
	[ "$(field Seccomp)" = 2 ]
	[ "$(field CapEff)" = "$(capmask $ALLOWED_CAPS)" ]
}

@test "ctr run --privileged through the wrapper is refused with the rule ids in ctr's error" {
	run "${CTR[@]}" run --rm --privileged --runc-binary "$RT" "docker.io/$IMAGE" "$NAME" echo should-not-run
	assert_failure
	assert_output --partial "cap-all:"
	refute_output --partial "should-not-run"
	refute_output --partial "unable to retrieve OCI runtime error"
}

# The config containerd handed the wrapper for Docker's container $1.
docker_config() {
	local id
	id=$("${DOCKER[@]}" inspect -f '{{.Id}}' "$1")
	echo "$(engines_dir)/containerd/state/io.containerd.runtime.v2.task/moby/$id/config.json"
}

@test "docker run through the wrapper starts although config-hooks denies: Docker's libnetwork-setkey hook is recognised" {
	local T dpid cfg
	T=$(engines_dir)
	dpid=$(cat "$T/dockerd.pid")
	# A network namespace of its own that dockerd sets up: --network none
	# here (these daemons have no bridge), any bridge network likewise.
	run "${DOCKER[@]}" run -d --name "$NAME" --network none "$IMAGE" sleep 300
	assert_success
	local id=$output
	run "${DOCKER[@]}" inspect -f '{{.State.Running}}' "$NAME"
	assert_output true
	cfg=$(docker_config "$NAME")
	# Exactly what moby 20.10 writes (daemon/oci_linux.go, WithLibnetwork).
	local ctl
	ctl=$(jq -r '.hooks.prestart[0].args[3]' "$cfg")
	[[ "$ctl" =~ ^[0-9a-f]{12}$ ]]
	# (and the wrapper's createContainer hook after it, which judges
	# what runc mounted)
	run jq -c '.hooks | del(.createContainer)' "$cfg"
	assert_output "{\"prestart\":[{\"path\":\"/proc/$dpid/exe\",\"args\":[\"libnetwork-setkey\",\"-exec-root=$T/docker-exec\",\"$id\",\"$ctl\"]}]}"
	run jq -r '.hooks.createContainer | map(.args[2]) | join(" ")' "$cfg"
	assert_output createContainer
	[ "$(readlink "/proc/$dpid/exe")" = "$(command -v dockerd)" ]
	# Checked by the installed binary, the wrapper's, whose own
	# createContainer hook (last in the config) its allowlist holds.
	mkdir -p "$BATS_TEST_TMPDIR/b"
	cp "$cfg" "$BATS_TEST_TMPDIR/b/config.json"
	run "${ENGINES_WRAPPER%-runtime}" check --no-rootfs-scan --policy "$OCI_HARDEN_POLICY" "$BATS_TEST_TMPDIR/b"
	assert_output --partial "root-user [warn]"
	refute_output --partial "config-hooks"
}

@test "a forged libnetwork-setkey hook is refused: another pid, a dead pid, other arguments, env, another path, a dockerd outside root's directories" {
	local T dpid cfg b=$BATS_TEST_TMPDIR/b
	T=$(engines_dir)
	dpid=$(cat "$T/dockerd.pid")
	"${DOCKER[@]}" run -d --name "$NAME" --network none "$IMAGE" sleep 300
	cfg=$(docker_config "$NAME")
	jq -e '.hooks.prestart[0].args[0] == "libnetwork-setkey"' "$cfg"
	mkdir -p "$b"
	true &
	local dead=$!
	wait "$dead" || true
	# A root-owned program named dockerd, running, in a directory under /tmp.
	mkdir -p "$BATS_TEST_TMPDIR/bin"
	cp /bin/sleep "$BATS_TEST_TMPDIR/bin/dockerd"
	"$BATS_TEST_TMPDIR/bin/dockerd" 300 &
	local fake=$!
	local forged
	for forged in \
		".path = \"/proc/$$/exe\"" \
		".path = \"/proc/$dead/exe\"" \
		".path = \"/proc/$fake/exe\"" \
		".path = \"/proc/0$dpid/exe\"" \
		".path = \"/proc/$dpid/root$(command -v dockerd)\"" \
		".path = \"$(command -v dockerd)\"" \
		".args += [\"extra\"]" \
		".args[0] = \"docker-untar\"" \
		".args[0] = \"/proc/$dpid/exe\"" \
		".args[1] = \"--debug\"" \
		".args[2] = \"-exec-root=/tmp\"" \
		".args[3] = \"0123\"" \
		".env = [\"LD_PRELOAD=/tmp/oh-evil.so\"]" \
		".timeout = 5"; do
		jq ".hooks.prestart[0] |= ($forged)" "$cfg" >"$b/config.json"
		run "${ENGINES_WRAPPER%-runtime}" check --no-rootfs-scan --policy "$OCI_HARDEN_POLICY" "$b"
		assert_failure 1
		assert_output --partial "config-hooks [deny]: prestart hook "
	done
	# As a poststop hook the same entry is not Docker's either.
	jq '.hooks = {poststop: .hooks.prestart}' "$cfg" >"$b/config.json"
	run "${ENGINES_WRAPPER%-runtime}" check --no-rootfs-scan --policy "$OCI_HARDEN_POLICY" "$b"
	assert_failure 1
	assert_output --partial "config-hooks [deny]: poststop hook /proc/$dpid/exe"
	kill "$fake"
	# The unchanged entry passes, so each refusal above is the change's.
	cp "$cfg" "$b/config.json"
	run "${ENGINES_WRAPPER%-runtime}" check --no-rootfs-scan --policy "$OCI_HARDEN_POLICY" "$b"
	refute_output --partial "config-hooks"
}

@test "ctr run --config with a createRuntime hook runs a host-root shell under runc; through the wrapper it is refused naming config-hooks" {
	local marker=$BATS_TEST_TMPDIR/oh-engines-hook-marker cfg=$BATS_TEST_TMPDIR/spec.json
	# With --config ctr takes the whole spec, root.path included.
	"${CTR[@]}" oci spec | jq --arg m "$marker" --arg root "$(rootfs)" \
		'.process.args = ["/bin/true"] | .process.terminal = false | .root = {path: $root, readonly: true} |
		 .hooks.createRuntime = [{path: "/bin/sh", args: ["sh", "-c", "id -u >\($m); grep -E ^CapEff /proc/self/status >>\($m)"]}]' >"$cfg"
	# runc alone: the hook ran on the host as root with every capability.
	run "${CTR[@]}" run --rm --config "$cfg" "$NAME"
	assert_success
	run cat "$marker"
	assert_line --index 0 0
	assert_line --index 1 --regexp '^CapEff:[[:space:]]+0*1?f*feffffff$'
	rm -f "$marker"
	run "${CTR[@]}" run --rm --runc-binary "$RT" --config "$cfg" "$NAME-w"
	assert_failure
	assert_output --partial "config-hooks: createRuntime hook /bin/sh is not on the allowlist"
	[ ! -e "$marker" ]
	"${CTR[@]}" container rm "$NAME-w" >/dev/null 2>&1 || true
}

@test "ctr run --with-ns mount:PATH through the wrapper is refused naming mount-namespace, and the namespace is left alone" {
	# A namespace standing for the host's: runc would pivot it into the
	# image's rootfs (tests/integration/runtime_doors.bats).
	unshare -m --propagation private sleep 120 &
	local holder=$! i
	for i in $(seq 50); do
		[ "$(readlink /proc/$holder/ns/mnt)" != "$(readlink /proc/self/ns/mnt)" ] && break
		sleep 0.1
	done
	run "${CTR[@]}" run --rm --runc-binary "$RT" --with-ns "mount:/proc/$holder/ns/mnt" \
		"docker.io/$IMAGE" "$NAME" echo should-not-run
	local root_after
	root_after=$(ls /proc/$holder/root/ | tr '\n' ' ')
	kill "$holder"
	assert_failure
	assert_output --partial "mount-namespace: the container joins the mount namespace /proc/$holder/ns/mnt"
	refute_output --partial "should-not-run"
	[[ "$root_after" == *usr* ]]
}

@test "ctr run --no-pivot drops the client's --runc-binary: plain runc runs the task unhardened (README: the client's choice of runtime)" {
	# ctr sets --no-pivot as task options, which replace the container's
	# runtime options and BinaryName with them: the shim runs the runc
	# on containerd's PATH.  The wrapper refuses --no-pivot where it is
	# that runc (tests/integration/runtime_doors.bats).
	run "${CTR[@]}" run --rm --runc-binary "$RT" --no-pivot "docker.io/$IMAGE" "$NAME" sh -c "$STATUS"
	assert_success
	# containerd's default spec as it is: no filter, CAP_NET_RAW and CAP_MKNOD.
	[ "$(field Seccomp)" = 0 ]
	[ "$(field CapBnd)" != "$(capmask $ALLOWED_CAPS)" ]
}
