#!/usr/bin/env bats
# The wrapper adds its own createContainer hook to every config it hands
# runc, unless one that runs oci-harden's binary as `hook createContainer`
# is there already.  config-hooks admits such a hook with any policy this
# installation knows, a root-owned file beside the default among them.  A
# config that carries its own copy naming another such policy (an admin's
# audit-mode one, kept for trying rules out) makes the wrapper add nothing,
# and what the runtime mounted is then judged by a policy that admits it.
# The wrapper now adds its own hook unless that very hook (path, args with
# the wrapper's policy, env) is there.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	[ "$(id -u)" = 0 ] || skip "needs root for runc"
	command -v losetup >/dev/null || skip "no losetup"
	T=$BATS_TEST_TMPDIR/oh-ownhook
	mkdir -p "$T"
	ID=oh-ownhook-$$
	B=$T/bundle
	L=$T/l
	echo harmless >"$T/harmless"
	truncate -s 1M "$T/disk.img"
	LOOPDEV=$(losetup -f --show -r "$T/disk.img") || skip "cannot attach a loop device here"
	# A prefix in directories root alone can change (BATS_TMPDIR is in
	# the world-writable /tmp), as /usr and /etc are.
	P=/run/oh-ownhook-prefix-$$
	cmake --install "${OH_BUILD_DIR:?}" --prefix "$P" >/dev/null
	chmod -R go-w "$P"
	# The admin's audit-mode policy beside the default, root's alone.
	jq '. + {mode: "audit"}' "$P/etc/oci-harden/policy.json" >"$P/etc/oci-harden/audit.json"
	chmod 644 "$P/etc/oci-harden/audit.json"
}

teardown() {
	runc delete -f "$ID" >/dev/null 2>&1 || true
	if [ -n "${LOOPDEV:-}" ]; then losetup -d "$LOOPDEV" || true; fi
	[ -z "${P:-}" ] || rm -rf "$P"
}

@test "a config carrying its own createContainer hook with an audit-mode policy beside the default does not keep the wrapper's hook from judging a swapped bind source" {
	mkdir -p "$T/rt"
	printf '#!/bin/sh\n[ "$1" = --version ] || ln -sfn "%s" "%s"\nexec runc "$@"\n' "$LOOPDEV" "$L" >"$T/rt/runc"
	chmod +x "$T/rt/runc"
	ln -sfn "$T/harmless" "$L"
	make_bundle "$B" ".mounts += [{destination: \"/x\", type: \"bind\", source: \"$L\", options: [\"bind\", \"ro\"]}]" sh -c 'ls -l /x'
	"$P/bin/oci-harden" fix --in-place --policy "$P/etc/oci-harden/policy.json" "$B" >/dev/null 2>&1 || true
	jq --arg oh "$P/bin/oci-harden" --arg pol "$P/etc/oci-harden/audit.json" \
		'.hooks.createContainer = [{path: $oh, args: ["oci-harden", "hook", "createContainer", "--policy", $pol], env: ["PATH=/usr/sbin:/usr/bin:/sbin:/bin"]}]' \
		"$B/config.json" >"$B/c" && mv "$B/c" "$B/config.json"
	OCI_HARDEN_RUNTIME=$T/rt/runc OCI_HARDEN_POLICY=$P/etc/oci-harden/policy.json \
		run "$P/bin/oci-harden-runtime" run --bundle "$B" "$ID"
	# The safe outcome: the device never reaches the container, whether
	# the config's hook is refused or the wrapper's own hook judges too.
	refute_output --regexp "^b.* 7, +[0-9]+ .*/x$"
	assert_failure
}

@test "a config carrying its own createContainer hook without --policy does not keep the wrapper's hook, and its policy's sensitive paths, from judging a swapped bind source" {
	# The wrapper's policy names a host directory of its own as sensitive;
	# the installation's default does not.
	S=$T/secrets
	mkdir -p "$S" "$T/harmless-dir"
	echo host-secret >"$S/key"
	jq --arg s "$S" '.mounts.sensitive += [$s]' "$P/etc/oci-harden/policy.json" >"$T/wrapper-policy.json"
	mkdir -p "$T/rt"
	printf '#!/bin/sh\n[ "$1" = --version ] || ln -sfn "%s" "%s"\nexec runc "$@"\n' "$S" "$L" >"$T/rt/runc"
	chmod +x "$T/rt/runc"
	ln -sfn "$T/harmless-dir" "$L"
	make_bundle "$B" ".mounts += [{destination: \"/y\", type: \"bind\", source: \"$L\", options: [\"rbind\", \"ro\"]}]" cat /y/key
	"$P/bin/oci-harden" fix --in-place --policy "$T/wrapper-policy.json" "$B" >/dev/null 2>&1 || true
	jq --arg oh "$P/bin/oci-harden" \
		'.hooks.createContainer = [{path: $oh, args: ["oci-harden", "hook", "createContainer"], env: ["PATH=/usr/sbin:/usr/bin:/sbin:/bin"]}]' \
		"$B/config.json" >"$B/c" && mv "$B/c" "$B/config.json"
	OCI_HARDEN_RUNTIME=$T/rt/runc OCI_HARDEN_POLICY=$T/wrapper-policy.json \
		run "$P/bin/oci-harden-runtime" run --bundle "$B" "$ID"
	refute_output --partial host-secret
	assert_failure
}
