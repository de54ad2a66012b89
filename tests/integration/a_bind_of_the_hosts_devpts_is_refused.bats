#!/usr/bin/env bats
# A bind of the host's /dev/pts (a devpts of its own, not the host's /dev
# file system) is admitted by sensitive-mounts and host-devices alike: the
# config names neither /dev nor a node.  runc's default device rules let
# every container open pty slaves (c 136:*), so the container reads and
# writes the host's terminals: an administrator's shell, into which it
# can type (TIOCSTI where dev.tty.legacy_tiocsti is 1) as that user.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	[ "$(id -u)" = 0 ] || skip "needs root for runc"
	command -v python3 >/dev/null || skip "no python3"
	T=$BATS_TEST_TMPDIR/oh-review5
	mkdir -p "$T"
	ID=oh-review5-$$
	B=$T/bundle
}

teardown() {
	runc delete -f "$ID" >/dev/null 2>&1 || true
	[ -z "${PTYPID:-}" ] || kill "$PTYPID" 2>/dev/null || true
}

@test "a bind of the host's /dev/pts is refused, by the config's rules and through the wrapper" {
	PREFIX=$(install_prefix)
	# A terminal of the host's: its master reads what the container writes.
	python3 -c '
import os, pty, sys, time
m, s = pty.openpty()
print(os.ttyname(s).split("/")[-1], flush=True)
sys.stdout.close()
end = time.time() + 20
out = open(sys.argv[1], "wb", buffering=0)
os.set_blocking(m, False)
while time.time() < end:
    try:
        out.write(os.read(m, 100))
    except BlockingIOError:
        time.sleep(0.05)
' "$T/read" >"$T/n" &
	PTYPID=$!
	for _ in $(seq 50); do [ -s "$T/n" ] && break; sleep 0.1; done
	local n
	n=$(cat "$T/n")
	make_bundle "$B" '.mounts += [{destination: "/x", type: "bind", source: "/dev/pts", options: ["rbind", "rw"]}]' \
		sh -c "echo typed-into-the-host >/x/$n && echo wrote"
	"$OCI_HARDEN" fix --in-place "$B" >/dev/null 2>&1 || true
	OCI_HARDEN_RUNTIME=$(command -v runc) OCI_HARDEN_POLICY=$PREFIX/etc/oci-harden/policy.json \
		run "$PREFIX/bin/oci-harden-runtime" run --bundle "$B" "$ID"
	sleep 0.3
	run cat "$T/read"
	refute_output --partial typed-into-the-host
	run "$OCI_HARDEN" check --no-rootfs-scan "$B"
	assert_output --regexp "(sensitive-mounts|host-devices) \[deny\]"
}
