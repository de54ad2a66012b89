#!/usr/bin/env bats
# The createContainer hook matches a config bind's object against the
# policy's sensitive paths by identity and against trees that are file
# systems of their own (/sys, /proc) by device, but never asks what file
# system the object is on: check_kernel_fs is consulted only for mounts the
# config did not ask for.  A bind source harmless at the wrapper's
# judgement and a link, at runc's mount, to a kernel file system mounted
# below /sys or /proc (a cgroup v1 hierarchy, debugfs, securityfs, bpffs,
# binfmt_misc, efivarfs: none of them sysfs's or procfs's device) hands the
# container the host's kernel interface.  Here: the host's whole cgroup v1
# pids hierarchy, writable (pids.max of every host service).

load helpers
bats_require_minimum_version 1.5.0

setup() {
	[ "$(id -u)" = 0 ] || skip "needs root for runc"
	T=$BATS_TEST_TMPDIR/oh-cckfs
	mkdir -p "$T/harmless-dir"
	ID=oh-cckfs-$$
	B=$T/bundle
	L=$T/l
	# Any kernel file system of its own mounted below /sys.
	K=
	local m
	for m in /sys/fs/cgroup/pids /sys/fs/cgroup/memory /sys/kernel/debug /sys/kernel/security /sys/fs/bpf; do
		if mountpoint -q "$m" && [ "$(stat -f -c %T "$m")" != sysfs ] && [ -n "$(ls -A "$m")" ]; then
			K=$m
			break
		fi
	done
	[ -n "$K" ] || skip "no kernel file system of its own mounted below /sys here"
}

teardown() {
	runc delete -f "$ID" >/dev/null 2>&1 || true
}

@test "a bind source that is a harmless directory at the wrapper's judgement and a kernel file system below the host's /sys at runc's mount is refused by the createContainer hook" {
	PREFIX=$(install_prefix)
	# By its path the config's rule refuses it.
	make_bundle "$B" ".mounts += [{destination: \"/x\", type: \"bind\", source: \"$K\", options: [\"rbind\", \"rw\"]}]" true
	"$OCI_HARDEN" fix --in-place "$B" >/dev/null 2>&1 || true
	run "$OCI_HARDEN" check --no-rootfs-scan --policy "$PREFIX/etc/oci-harden/policy.json" "$B"
	assert_output --partial "sensitive-mounts [deny]"
	rm -rf "$B"

	mkdir -p "$T/rt"
	printf '#!/bin/sh\n[ "$1" = --version ] || ln -sfn "%s" "%s"\nexec runc "$@"\n' "$K" "$L" >"$T/rt/runc"
	chmod +x "$T/rt/runc"
	ln -sfn "$T/harmless-dir" "$L"
	make_bundle "$B" ".mounts += [{destination: \"/x\", type: \"bind\", source: \"$L\", options: [\"rbind\", \"rw\"]}]" \
		sh -c 'ls /x | head -3; awk "\$5 == \"/x\" {print \"fstype=\" \$9}" /proc/self/mountinfo; echo host-kernel-view'
	"$OCI_HARDEN" fix --in-place "$B" >/dev/null 2>&1 || true
	OCI_HARDEN_RUNTIME=$T/rt/runc OCI_HARDEN_POLICY=$PREFIX/etc/oci-harden/policy.json \
		run "$PREFIX/bin/oci-harden-runtime" run --bundle "$B" "$ID"
	refute_output --partial host-kernel-view
	assert_failure
	assert_output --partial "what the runtime mounted: /x (a bind of $L), is a $(findmnt -n -o FSTYPE "$K") file system"
	assert_output --partial "sensitive-mounts"
}
