#!/usr/bin/env bats
# A mount entry of a kernel file system (binfmt_misc, tracefs, debugfs,
# securityfs, bpf, configfs, pstore, efivarfs) is mounted by runc with
# its own privileges, before the container's capabilities are dropped:
# the container gets the host kernel's instance, read-write.  sensitive-
# mounts refused these types below an rbind only; now it refuses them as
# mount entries too, from the same table.  With binfmt_misc, root in a hardened container registers an
# interpreter (flag F: opened in the container, from its image) that the
# kernel then runs, as host root with every capability, for a host
# execve of a matching file; with the ELF magic that is every host
# program started while the container runs.  The test uses a magic of
# its own and a file it runs itself.

load helpers
load refusals
bats_require_minimum_version 1.5.0

setup() {
	[ "$(id -u)" = 0 ] || skip "needs root for runc"
	B=$BATS_TEST_TMPDIR/bundle
	PREFIX=$(install_prefix)
	RT=$PREFIX/bin/oci-harden-runtime
	export OCI_HARDEN_POLICY=$PREFIX/etc/oci-harden/policy.json
	ID="oh-kfs-$BATS_TEST_NUMBER-$$"
	PWNED=$BATS_TEST_TMPDIR/binfmt-pwned
	MAGICFILE=$BATS_TEST_TMPDIR/magicfile
	NAME=ohr4$$
}

teardown() {
	runc kill "$ID" KILL >/dev/null 2>&1 || true
	runc delete -f "$ID" >/dev/null 2>&1 || true
}

@test "a binfmt_misc mount entry lets a hardened container register an interpreter the host kernel runs as root; check, both hooks and the wrapper refuse it" {
	command -v cc >/dev/null || skip "no C compiler for the interpreter"
	local root=$BATS_TEST_TMPDIR/rootfs-interp
	cp -a "$(rootfs)" "$root"
	printf '%s\n' '#include <stdio.h>' \
		'int main(void) { FILE *f = fopen("'"$PWNED"'", "w"), *s = fopen("/proc/self/status", "r"); char l[256];' \
		'  if (!f) return 1; while (s && fgets(l, sizeof l, s)) if (l[0] == 0x43 && l[3] == 0x45) fputs(l, f); fclose(f); return 0; }' \
		>"$BATS_TEST_TMPDIR/interp.c"
	cc -static -o "$root/interp" "$BATS_TEST_TMPDIR/interp.c" 2>/dev/null || skip "no static libc to build the interpreter"
	printf 'OHR4MAGIC%s\n' "$$" >"$MAGICFILE"
	chmod 755 "$MAGICFILE"
	make_bundle "$B" ".root.path = \"$root\"" \
		sh -c "grep NoNewPrivs /proc/self/status; echo ':$NAME:M::OHR4MAGIC$$::/interp:F' >/mnt/register && echo REGISTERED; sleep 5; echo -1 >/mnt/$NAME"
	harden_then "$B" '.mounts += [{destination: "/mnt", type: "binfmt_misc", source: "binfmt_misc", options: ["nosuid", "noexec", "nodev"]}]'
	runc run -d --bundle "$B" "$ID" </dev/null >"$BATS_TEST_TMPDIR/out" 2>&1
	sleep 1
	"$MAGICFILE" 2>/dev/null || true
	[ -f "$PWNED" ]
	run cat "$PWNED"
	assert_output --partial "CapEff:	000001ff"
	runc kill "$ID" KILL >/dev/null 2>&1 || true
	runc delete -f "$ID" >/dev/null 2>&1 || true
	rm -f "$PWNED"

	refused_by_every_front_end "$B" sensitive-mounts
	[[ "$CHECKED" == *"binfmt_misc is mounted at /mnt: the host's binary formats"* ]]
	"$RT" run -d --bundle "$B" "$ID" </dev/null >/dev/null 2>&1 || true
	sleep 1
	"$MAGICFILE" 2>/dev/null || true
	[ ! -e "$PWNED" ]
}

@test "a tracefs mount entry gives a hardened container the host kernel's tracing controls read-write; check, both hooks and the wrapper refuse it, and check every kernel file system mounted as an entry" {
	make_bundle "$B" . \
		sh -c 'v=$(cat /mnt/tracing_on) && echo $v >/mnt/tracing_on && echo WROTE-HOST-TRACING'
	harden_then "$B" '.mounts += [{destination: "/mnt", type: "tracefs", source: "tracefs", options: ["nosuid", "noexec", "nodev"]}]'
	run runc run --bundle "$B" "$ID"
	runc delete -f "$ID" >/dev/null 2>&1 || true
	assert_output --partial WROTE-HOST-TRACING
	refused_by_every_front_end "$B" sensitive-mounts
	run "$RT" run --bundle "$B" "$ID"
	runc delete -f "$ID" >/dev/null 2>&1 || true
	assert_failure
	refute_output --partial WROTE-HOST-TRACING

	local t
	for t in binfmt_misc tracefs debugfs securityfs bpf configfs pstore efivarfs cpuset nfsd rpc_pipefs fusectl; do
		jq --arg t "$t" '(.mounts[] | select(.destination == "/mnt")) |= (.type = $t | .source = $t)' \
			"$B/config.json" >"$B/c" && mv "$B/c" "$B/config.json"
		run "$PREFIX/bin/oci-harden" check --no-rootfs-scan "$B"
		assert_failure 1
		assert_output --partial "sensitive-mounts"
	done
}
