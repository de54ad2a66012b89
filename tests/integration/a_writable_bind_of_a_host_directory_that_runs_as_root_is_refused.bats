#!/usr/bin/env bats
# sensitive-mounts names /etc, but only as itself (and as a path above
# /etc/ssh, /etc/shadow, ...): a writable bind of a directory below it
# whose files the host runs as root (/etc/cron.d, /etc/systemd/system) is
# admitted by the config's rule, by the wrapper and by the createContainer
# hook alike, and a file the container writes there runs as host root.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	[ "$(id -u)" = 0 ] || skip "needs root for runc"
	T=$BATS_TEST_TMPDIR/oh-review5
	mkdir -p "$T"
	B=$T/bundle
}

@test "a writable bind of the host's /etc/cron.d or /etc/systemd/system is refused under sensitive-mounts" {
	local d
	for d in /etc/cron.d /etc/systemd/system; do
		[ -d "$d" ] || continue
		rm -rf "$B"
		make_bundle "$B" ".mounts += [{destination: \"/x\", type: \"bind\", source: \"$d\", options: [\"rbind\", \"rw\"]}]" true
		"$OCI_HARDEN" fix --in-place "$B" >/dev/null 2>&1 || true
		run jq -c '.mounts[-1].options' "$B/config.json"
		run "$OCI_HARDEN" check --no-rootfs-scan "$B"
		assert_output --partial "sensitive-mounts [deny]"
	done
}
