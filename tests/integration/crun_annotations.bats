#!/usr/bin/env bats
# crun 1.8.1 reads the annotation run.oci.systemd.force_cgroup_v1=PATH and
# replaces the mount at PATH, whatever its type, with a tmpfs holding a
# fresh mount of the cgroup v1 hierarchy name=systemd, read-write unless
# the mount entry says ro.  Without a cgroup namespace that mount is the
# hierarchy's root: the container sees every host cgroup there, moves
# itself out of its own, and writes the root's files
# (notify_on_release).  unsafe-annotations refuses the key, and any
# run.oci.* key it does not know.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	[ "$(id -u)" = 0 ] || skip "needs root for crun"
	command -v crun >/dev/null || skip "crun is not installed"
	[ -d /sys/fs/cgroup/systemd ] || skip "no name=systemd cgroup v1 hierarchy here"
	B=$BATS_TEST_TMPDIR/bundle
	PREFIX=$(install_prefix)
	ID="oh-crunann-$BATS_TEST_NUMBER-$$"
	NOR_WAS=$(cat /sys/fs/cgroup/systemd/notify_on_release)
}

teardown() {
	[ -z "${NOR_WAS:-}" ] || echo "$NOR_WAS" >/sys/fs/cgroup/systemd/notify_on_release
}

# crun refuses this host's hybrid layout unless the unified mount is gone.
in_crun_ns() {
	unshare -m --propagation private sh -c \
		'umount /sys/fs/cgroup/unified 2>/dev/null; "$@"; crun delete -f "$ID" >/dev/null 2>&1' sh "$@"
}

@test "crun's run.oci.systemd.force_cgroup_v1 annotation mounts the host's name=systemd cgroup root read-write into a hardened container; check refuses it" {
	make_bundle "$B" . \
		sh -c 'grep NoNewPrivs /proc/self/status; echo $$ >/sys/fs/cgroup/systemd/cgroup.procs && grep name=systemd /proc/self/cgroup; echo 1 >/sys/fs/cgroup/systemd/notify_on_release && echo WROTE-HOST-ROOT'
	"$PREFIX/bin/oci-harden" fix --in-place "$B" >/dev/null 2>&1
	jq '.annotations = {"run.oci.systemd.force_cgroup_v1": "/sys/fs/cgroup"}
		| (.mounts[] | select(.destination == "/sys/fs/cgroup") | .options) = ["nosuid", "noexec", "nodev"]' \
		"$B/config.json" >"$B/c" && mv "$B/c" "$B/config.json"
	export ID
	run in_crun_ns crun run --bundle "$B" "$ID"
	[[ "$output" != *"cgroup"*"unified"* ]] || skip "crun does not run on this host's cgroup layout"
	assert_output --partial "NoNewPrivs:	1"
	assert_line --regexp 'name=systemd:/$'
	assert_output --partial WROTE-HOST-ROOT
	echo "$NOR_WAS" >/sys/fs/cgroup/systemd/notify_on_release

	run "$PREFIX/bin/oci-harden" check --no-rootfs-scan "$B"
	assert_failure 1
	assert_output --partial "unsafe-annotations [deny]: annotation run.oci.systemd.force_cgroup_v1 makes crun mount"
	run "$PREFIX/bin/oci-harden" hook precreate --refusal exit <"$B/config.json"
	assert_failure 1
}

@test "a run.oci annotation crun may read in a later version is refused as not known, and the harmless ones pass" {
	make_bundle "$B" .
	"$PREFIX/bin/oci-harden" fix --in-place "$B" >/dev/null 2>&1
	jq '.annotations = {"run.oci.krun.cpus": "2"}' "$B/config.json" >"$BATS_TEST_TMPDIR/later.json"
	run "$PREFIX/bin/oci-harden" check --no-rootfs-scan "$BATS_TEST_TMPDIR/later.json"
	assert_failure 1
	assert_output --partial "annotation run.oci.krun.cpus is a crun annotation whose effect oci-harden does not know"
	jq '.annotations = {"run.oci.timens_offset": "monotonic 1 0", "run.oci.seccomp_fail_unknown_syscall": "1"}' \
		"$B/config.json" >"$BATS_TEST_TMPDIR/harmless.json"
	run "$PREFIX/bin/oci-harden" check --no-rootfs-scan "$BATS_TEST_TMPDIR/harmless.json"
	refute_output --partial "unsafe-annotations"
}
