#!/usr/bin/env bats
# With a user namespace in linux.namespaces, runc 1.1.5 does not mknod
# linux.devices: it bind-mounts each entry's *path* from the host onto the
# same path in the rootfs (libcontainer createDevices).  The path is not required to be under
# /dev nor to be a device: {"path": "/etc/shadow", "type": "c", "major":
# 1, "minor": 3} binds the host's /etc/shadow, while host-devices judges
# the entry by its type and numbers (1:3, /dev/null) and finds nothing.
# A user namespace mapping container root to host root is only a warning,
# so the container read and wrote the host's files.  host-devices now
# refuses a device path with "..", and, in a user namespace, one not below
# /dev or whose host object is not the device the entry names.

load helpers
load refusals
bats_require_minimum_version 1.5.0

setup() {
	[ "$(id -u)" = 0 ] || skip "needs root for runc"
	B=$BATS_TEST_TMPDIR/bundle
	PREFIX=$(install_prefix)
	RT=$PREFIX/bin/oci-harden-runtime
	export OCI_HARDEN_POLICY=$PREFIX/etc/oci-harden/policy.json
	ID="oh-userns-$BATS_TEST_NUMBER-$$"
	HOSTFILE=$BATS_TEST_TMPDIR/host-file
	echo "host-original $$" >"$HOSTFILE"
	chmod 600 "$HOSTFILE"
}

teardown() {
	runc delete -f "$ID" >/dev/null 2>&1 || true
}

# device_bundle PATH: a hardened bundle in a user namespace mapping root
# to root, with a "device" whose path is PATH and whose numbers are /dev/null's.
device_bundle() {
	make_bundle "$B" . sh -c "grep NoNewPrivs /proc/self/status; cat $1; echo written-by-container >$1"
	harden_then "$B" '.linux.namespaces += [{type: "user"}]
		| .linux.uidMappings = [{containerID: 0, hostID: 0, size: 65536}]
		| .linux.gidMappings = [{containerID: 0, hostID: 0, size: 65536}]
		| .linux.devices = [{path: "'"$1"'", type: "c", major: 1, minor: 3}]'
}

@test "a linux.devices entry whose path is a host file binds that file into a container with a user namespace under runc; check, both hooks and the wrapper refuse it" {
	device_bundle "$HOSTFILE"
	run runc run --bundle "$B" "$ID"
	runc delete -f "$ID" >/dev/null 2>&1 || true
	assert_output --partial "NoNewPrivs:	1"
	assert_output --partial "host-original $$"
	[ "$(cat "$HOSTFILE")" = written-by-container ]
	echo "host-original $$" >"$HOSTFILE"

	refused_by_every_front_end "$B" host-devices
	[[ "$CHECKED" == *"device path $HOSTFILE is not a path below /dev: with a user namespace runc bind-mounts"* ]]
	run "$RT" run --bundle "$B" "$ID"
	runc delete -f "$ID" >/dev/null 2>&1 || true
	refute_output --partial "host-original $$"
	[ "$(cat "$HOSTFILE")" = "host-original $$" ]
}

@test "a linux.devices path with .. below /dev binds the host's /etc/shadow into a container with a user namespace; check, both hooks and the wrapper refuse it" {
	device_bundle /dev/../etc/shadow
	jq '.process.args = ["sh", "-c", "head -1 /etc/shadow"]' "$B/config.json" >"$B/c" && mv "$B/c" "$B/config.json"
	run runc run --bundle "$B" "$ID"
	runc delete -f "$ID" >/dev/null 2>&1 || true
	assert_output --partial "$(head -1 /etc/shadow)"

	refused_by_every_front_end "$B" host-devices
	[[ "$CHECKED" == *"device path /dev/../etc/shadow has a .. component"* ]]
	run "$RT" run --bundle "$B" "$ID"
	runc delete -f "$ID" >/dev/null 2>&1 || true
	assert_failure
	refute_output --partial "$(head -1 /etc/shadow)"
}

@test "a linux.devices path below /dev that is not the device the entry names (a symlink to a host file, which runc binds) is refused in a user namespace; check admits /dev/null as itself" {
	local link=/dev/oh-userns-link-$$
	ln -s "$HOSTFILE" "$link"
	device_bundle "$link"
	run runc run --bundle "$B" "$ID"
	runc delete -f "$ID" >/dev/null 2>&1 || true
	assert_output --partial "host-original $$"
	echo "host-original $$" >"$HOSTFILE"
	run "$PREFIX/bin/oci-harden" check --no-rootfs-scan "$B"
	rm -f "$link"
	assert_failure 1
	assert_output --partial "host-devices [deny]: device path $link is a regular file on the host, not the device the entry names"

	rm -rf "$B"
	device_bundle /dev/null
	run "$PREFIX/bin/oci-harden" check --no-rootfs-scan "$B"
	refute_output --partial "host-devices"
}
