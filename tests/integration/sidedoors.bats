#!/usr/bin/env bats
# The side doors: configs with no-new-privileges, only allowed capabilities
# and a seccomp filter that still hand the host over.  Each test shows the
# escape under real runc on the raw config (what the kernel shows), then
# oci-harden refusing or fixing it, and the escape failing after that.
# Every host-side change is made in a temporary place and undone.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	[ "$(id -u)" = 0 ] || skip "needs root for runc"
	B=$BATS_TEST_TMPDIR/bundle
	PREFIX=$(install_prefix)
	RT=$PREFIX/bin/oci-harden-runtime
	export OCI_HARDEN_POLICY=$PREFIX/etc/oci-harden/policy.json
	# Everything but the door under test hardened, as an attacker would
	# present it: NoNewPrivs 1, Seccomp 2, only allowed capabilities.
	OFF=$BATS_TEST_TMPDIR/off.json
}

teardown() {
	if [ -n "${SYSCTL_SAVED:-}" ]; then
		echo "$SYSCTL_SAVED" >/proc/sys/kernel/printk_ratelimit_burst
	fi
	if [ -n "${LOOPDEV:-}" ]; then
		losetup -d "$LOOPDEV" || true
	fi
	if [ -n "${HOLDER:-}" ]; then
		kill "$HOLDER" 2>/dev/null || true
	fi
}

# harden_but RULE: fixes the bundle with RULE (and what the door needs) off.
harden_but() {
	local rules='{}' r
	for r in "$@"; do rules=$(jq -c --arg r "$r" '. + {($r): "off"}' <<<"$rules"); done
	jq -n --argjson r "$rules" '{version: 1, rules: $r}' >"$OFF"
	"$OCI_HARDEN" fix --policy "$OFF" --in-place "$B"
}

# run_rt: runs the bundle through oci-harden-runtime (the default policy).
run_rt() {
	local id="oh-sidedoors-$$-$RANDOM"
	run --separate-stderr "$RT" run --bundle "$B" "$id"
	runc delete -f "$id" >/dev/null 2>&1 || true
}

@test "with readonlyPaths emptied root in the container writes a host-wide sysctl; fix restores the read-only paths" {
	SYSCTL_SAVED=$(cat /proc/sys/kernel/printk_ratelimit_burst)
	local want=$((SYSCTL_SAVED + 7))
	make_bundle "$B" '.linux.readonlyPaths = []' sh -c \
		"$STATUS; echo $want >/proc/sys/kernel/printk_ratelimit_burst; cat /proc/sys/kernel/printk_ratelimit_burst"
	harden_but kernel-paths
	run_bundle "$B"
	assert_success
	[ "$(field NoNewPrivs)" = 1 ]
	[ "$(field Seccomp)" = 2 ]
	# The kernel's view: the host's value changed.
	[ "$(cat /proc/sys/kernel/printk_ratelimit_burst)" = "$want" ]
	echo "$SYSCTL_SAVED" >/proc/sys/kernel/printk_ratelimit_burst

	run "$OCI_HARDEN" check "$B"
	assert_failure 1
	assert_output --partial "kernel-paths [fix]: not read-only: /proc/bus, /proc/fs, /proc/irq, /proc/sys, /proc/sysrq-trigger; root in the container can write host-wide kernel settings"
	assert_output --partial "$B: fixable"
	run "$OCI_HARDEN" fix --in-place "$B"
	assert_success
	jq -e '.linux.readonlyPaths | index("/proc/sys")' "$B/config.json"
	run_bundle "$B"
	assert_output --partial "Read-only file system"
	[ "$(cat /proc/sys/kernel/printk_ratelimit_burst)" = "$SYSCTL_SAVED" ]
}

@test "oci-harden-runtime restores the read-only paths before runc starts the container" {
	SYSCTL_SAVED=$(cat /proc/sys/kernel/printk_ratelimit_burst)
	make_bundle "$B" '.linux.readonlyPaths = []' sh -c \
		"echo $((SYSCTL_SAVED + 5)) >/proc/sys/kernel/printk_ratelimit_burst"
	run_rt
	[[ "$stderr" == *"Read-only file system"* || "$output" == *"Read-only file system"* ]]
	[ "$(cat /proc/sys/kernel/printk_ratelimit_burst)" = "$SYSCTL_SAVED" ]
	jq -e '.linux.readonlyPaths | index("/proc/sys")' "$B/config.json"
}

@test "a bind mount of the host's / reads a host file; check and the wrapper refuse it" {
	local dir secret
	dir=$(mktemp -d /tmp/oh-sidedoors-host.XXXXXX)
	secret="oh-sidedoors-$RANDOM$RANDOM"
	echo "$secret" >"$dir/secret"
	make_bundle "$B" ".mounts += [{destination: \"/host\", type: \"bind\", source: \"/\", options: [\"rbind\", \"ro\"]}]" \
		sh -c "$STATUS; cat /host$dir/secret"
	# host-devices refuses an rbind that carries /dev too.
	harden_but sensitive-mounts host-devices
	run_bundle "$B"
	assert_success
	[ "$(field Seccomp)" = 2 ]
	assert_output --partial "$secret"

	run "$OCI_HARDEN" check "$B"
	assert_failure 1
	assert_output --partial "sensitive-mounts [deny]: /host bind-mounts the host's / (read-only)"
	assert_output --partial "$B: denied"
	run "$OCI_HARDEN" fix -o "$BATS_TEST_TMPDIR/out.json" "$B"
	assert_failure 1
	[ ! -e "$BATS_TEST_TMPDIR/out.json" ]
	run_rt
	assert_failure
	[[ "$stderr" == *"sensitive-mounts"* ]]
	refute_output --partial "$secret"
	rm -rf "$dir"
}

@test "a symlink to / on the host is judged where it leads" {
	local link=$BATS_TEST_TMPDIR/oh-sidedoors-root-link
	ln -s / "$link"
	make_bundle "$B" ".mounts += [{destination: \"/host\", type: \"bind\", source: \"$link\", options: [\"rbind\"]}]"
	run "$OCI_HARDEN" check "$B"
	assert_failure 1
	assert_output --partial "sensitive-mounts [deny]: /host bind-mounts the host's $link (/)"
}

@test "sysfs mounted read-write and shared propagation are refused" {
	make_bundle "$B" '(.mounts[] | select(.type == "sysfs") | .options) |= map(select(. != "ro")) | .linux.rootfsPropagation = "rshared"'
	run "$OCI_HARDEN" check "$B"
	assert_failure 1
	assert_output --partial "sensitive-mounts [deny]: sysfs is mounted read-write at /sys"
	assert_output --partial "sensitive-mounts [deny]: linux.rootfsPropagation is rshared"
}

@test "a host block device in linux.devices is read in the container; check and the wrapper refuse it" {
	command -v losetup >/dev/null || skip "no losetup"
	local img=$BATS_TEST_TMPDIR/disk.img
	printf 'oh-sidedoors-disk-marker\n' >"$img"
	truncate -s 1M "$img"
	LOOPDEV=$(losetup -f --show -r "$img") || skip "cannot attach a loop device here"
	local maj min
	maj=$((0x$(stat -c %t "$LOOPDEV")))
	min=$((0x$(stat -c %T "$LOOPDEV")))
	make_bundle "$B" ".linux.devices = [{path: \"/dev/oh-disk\", type: \"b\", major: $maj, minor: $min, fileMode: 24832, uid: 0, gid: 0}] | .linux.resources.devices += [{allow: true, type: \"b\", major: $maj, minor: $min, access: \"r\"}]" \
		sh -c "$STATUS; dd if=/dev/oh-disk bs=512 count=1 2>/dev/null | head -1"
	harden_but host-devices
	run_bundle "$B"
	assert_success
	[ "$(field Seccomp)" = 2 ]
	# The host's disk, read through the node.
	assert_output --partial "oh-sidedoors-disk-marker"

	run "$OCI_HARDEN" check "$B"
	assert_failure 1
	assert_output --partial "host-devices [deny]: block device /dev/oh-disk ($maj:$min) is created in the container"
	assert_output --partial "host-devices [deny]: the device cgroup allows reading and writing block devices"
	run_rt
	assert_failure
	[[ "$stderr" == *"host-devices"* ]]
	refute_output --partial "oh-sidedoors-disk-marker"
}

@test "a bind mount of a symlink to a host block device reads the disk under runc; check and the wrapper refuse it as a device" {
	command -v losetup >/dev/null || skip "no losetup"
	local img=$BATS_TEST_TMPDIR/disk.img link=$BATS_TEST_TMPDIR/oh-sidedoors-disk-link
	printf 'oh-sidedoors-disk-marker\n' >"$img"
	truncate -s 1M "$img"
	LOOPDEV=$(losetup -f --show -r "$img") || skip "cannot attach a loop device here"
	ln -s "$LOOPDEV" "$link"
	local maj min
	maj=$((0x$(stat -c %t "$LOOPDEV")))
	min=$((0x$(stat -c %T "$LOOPDEV")))
	# The device cgroup opened for it (refused on its own), host-devices
	# off: the bind is the door under test.
	make_bundle "$B" ".mounts += [{destination: \"/disk\", type: \"bind\", source: \"$link\", options: [\"bind\"]}] | .linux.resources.devices += [{allow: true, type: \"b\", major: $maj, minor: $min, access: \"r\"}]" \
		sh -c "$STATUS; head -1 /disk"
	harden_but host-devices
	run_bundle "$B"
	assert_success
	[ "$(field Seccomp)" = 2 ]
	assert_output --partial "oh-sidedoors-disk-marker"

	run "$OCI_HARDEN" check --no-rootfs-scan "$B"
	assert_failure 1
	assert_output --partial "host-devices [deny]: the host's device $link ($LOOPDEV) is bind-mounted into the container"
	# Without the cgroup rule the bind alone is judged, also with
	# sensitive-mounts off, and through a ".." the kernel reads after
	# the symlink (dir/../loopN is /dev/loopN when dir leads to a
	# directory in /dev; the lexical path is a harmless file).
	jq 'del(.linux.resources.devices[-1])' "$B/config.json" >"$B/c" && mv "$B/c" "$B/config.json"
	jq -n '{version: 1, rules: {"sensitive-mounts": "off"}}' >"$OFF"
	run "$OCI_HARDEN" check --no-rootfs-scan --policy "$OFF" "$B"
	assert_failure 1
	assert_output --partial "host-devices [deny]: the host's device $link ($LOOPDEV) is bind-mounted into the container"
	local d=$BATS_TEST_TMPDIR/dots sub
	sub=$(find /dev -mindepth 1 -maxdepth 1 -type d | head -1)
	[ -n "$sub" ] || skip "no directory in /dev"
	mkdir -p "$d"
	ln -s "$sub" "$d/dir"
	echo harmless >"$d/${LOOPDEV#/dev/}"
	jq --arg s "$d/dir/../${LOOPDEV#/dev/}" '.mounts[-1].source = $s' "$B/config.json" >"$B/c" && mv "$B/c" "$B/config.json"
	run "$OCI_HARDEN" check --no-rootfs-scan --policy "$OFF" "$B"
	assert_failure 1
	assert_output --partial "host-devices [deny]: the host's device $d/dir/../${LOOPDEV#/dev/} ($LOOPDEV) is bind-mounted into the container"
	run_rt
	assert_failure
	[[ "$stderr" == *"host-devices"* ]]
	refute_output --partial "oh-sidedoors-disk-marker"
}

@test "a bind source whose mount cannot be looked up is refused by host-devices, also with sensitive-mounts off" {
	[ -n "${OH_ENOSYS:-}" ] || skip "no enosys tool"
	make_bundle "$B" '.mounts += [{destination: "/n", type: "bind", source: "/dev/null", options: ["bind"]}]'
	jq -n '{version: 1, rules: {"sensitive-mounts": "off"}}' >"$OFF"
	run "$OCI_HARDEN" check --no-rootfs-scan --policy "$OFF" "$B"
	refute_output --partial "host-devices"
	# statmount(2) failing otherwise than ENOSYS or EPERM: not judged.
	run "$OH_ENOSYS" 457=2 "$OCI_HARDEN" check --no-rootfs-scan --policy "$OFF" "$B"
	assert_failure 1
	assert_output --regexp "host-devices \[deny\]: /dev/null cannot be judged as a device: its mount could not be looked up \(the mount of /dev/null: statmount of mount [0-9]+: No such file or directory\)"
}
@test "a createRuntime hook in config.json runs /bin/sh as host root; the default policy refuses it, a warn policy only reports it" {
	local marker=$BATS_TEST_TMPDIR/oh-sidedoors-hook-marker
	make_bundle "$B" ".hooks.createRuntime = [{path: \"/bin/sh\", args: [\"sh\", \"-c\", \"id -u >$marker; grep -E ^CapEff /proc/self/status >>$marker; readlink /proc/self/ns/mnt >>$marker\"]}]" true
	harden_but config-hooks
	run_bundle "$B"
	assert_success
	# On the host: uid 0, every capability, the host's mount namespace.
	run cat "$marker"
	assert_line --index 0 0
	assert_line --index 1 --regexp '^CapEff:[[:space:]]+0*1?f*feffffff$'
	assert_line --index 2 "$(readlink /proc/self/ns/mnt)"
	rm -f "$marker"

	run "$OCI_HARDEN" check "$B"
	assert_failure 1
	assert_output --partial "config-hooks [deny]: createRuntime hook /bin/sh is not on the allowlist"
	run_rt
	assert_failure
	[[ "$stderr" == *"config-hooks"* ]]
	[ ! -e "$marker" ]

	# "config-hooks": "warn" (the default before) reports it and admits it.
	jq '. + {rules: {"config-hooks": "warn"}}' "$OCI_HARDEN_POLICY" >"$BATS_TEST_TMPDIR/warn.json"
	run "$OCI_HARDEN" check --policy "$BATS_TEST_TMPDIR/warn.json" "$B"
	assert_success
	assert_output --partial "config-hooks [warn]: createRuntime hook /bin/sh is not on the allowlist"
	OCI_HARDEN_POLICY=$BATS_TEST_TMPDIR/warn.json run_rt
	assert_success
	run cat "$marker"
	assert_line --index 0 0
}

@test "a hook naming /proc/PID/exe of a host shell is refused, although it runs that shell as host root" {
	local marker=$BATS_TEST_TMPDIR/oh-sidedoors-procexe-marker
	# A shell of the host that keeps running: /proc/PID/exe is /bin/sh's binary.
	/bin/sh -c 'while :; do sleep 1; done' &
	HOLDER=$!
	local sh_pid=$HOLDER
	make_bundle "$B" ".hooks.prestart = [{path: \"/proc/$sh_pid/exe\", args: [\"sh\", \"-c\", \"id -u >$marker\"]}]" true
	harden_but config-hooks
	run_bundle "$B"
	assert_success
	[ "$(cat "$marker")" = 0 ]
	rm -f "$marker"
	run "$OCI_HARDEN" check "$B"
	assert_failure 1
	assert_output --partial "config-hooks [deny]: prestart hook /proc/$sh_pid/exe is not on the allowlist (nor Docker's libnetwork-setkey hook of a running dockerd)"
	run_rt
	assert_failure
	[[ "$stderr" == *"config-hooks"* ]]
	[ ! -e "$marker" ]
}

@test "oci-harden's own hook needs no allowlist entry" {
	make_bundle "$B" ".hooks.createRuntime = [{path: \"$PREFIX/bin/oci-harden\", args: [\"oci-harden\", \"hook\", \"createRuntime\"]}]"
	# The installed binary, whose hooks.d files name it.
	run "$PREFIX/bin/oci-harden" check --policy "$OCI_HARDEN_POLICY" "$B"
	refute_output --partial "config-hooks"
	run "$OCI_HARDEN" check "$B"
	refute_output --partial "hook $OH_BUILD_DIR/oci-harden"
}

@test "a hook registered in a hooks.d directory is allowed, as podman copies those into the config" {
	local dir=$BATS_TEST_TMPDIR/hooks.d
	mkdir -p "$dir"
	printf '{"version": "1.0.0", "hook": {"path": "/usr/local/bin/oh-sidedoors-site-hook"}, "when": {"always": true}, "stages": ["prestart"]}' >"$dir/50-site.json"
	echo 'not json' >"$dir/60-broken.json"
	make_bundle "$B" '.hooks.prestart = [{path: "/usr/local/bin/oh-sidedoors-site-hook"}, {path: "/usr/local/bin/oh-sidedoors-other"}]'
	jq -n --arg d "$dir" '{version: 1, hooks: {dirs: [$d]}}' >"$BATS_TEST_TMPDIR/p.json"
	run "$OCI_HARDEN" check --policy "$BATS_TEST_TMPDIR/p.json" "$B"
	refute_output --partial "hook /usr/local/bin/oh-sidedoors-site-hook"
	assert_output --partial "config-hooks [deny]: prestart hook /usr/local/bin/oh-sidedoors-other is not on the allowlist"
}

@test "a createContainer hook without env inherits LD_PRELOAD from process.env; check refuses it" {
	local marker=$BATS_TEST_TMPDIR/oh-sidedoors-env-marker
	make_bundle "$B" ".process.env += [\"LD_PRELOAD=/oh-sidedoors-evil.so\"] | .hooks.createContainer = [{path: \"/bin/sh\", args: [\"sh\", \"-c\", \"env >$marker\"]}]" true
	harden_but hook-loader-env config-hooks
	# config-hooks only reports here: hook-loader-env alone refuses.
	jq '. + {rules: {"config-hooks": "warn"}}' "$OCI_HARDEN_POLICY" >"$BATS_TEST_TMPDIR/warn.json"
	export OCI_HARDEN_POLICY=$BATS_TEST_TMPDIR/warn.json
	run_bundle "$B"
	assert_success
	# The hook, run as host root, got the container's loader variable.
	run grep '^LD_PRELOAD=' "$marker"
	assert_output "LD_PRELOAD=/oh-sidedoors-evil.so"
	rm -f "$marker"

	run "$OCI_HARDEN" check "$B"
	assert_failure 1
	assert_output --partial "hook-loader-env [deny]: createContainer hook /bin/sh has no env of its own, so it inherits the container's LD_PRELOAD"
	run_rt
	assert_failure
	[[ "$stderr" == *"hook-loader-env"* ]]
	[ ! -e "$marker" ]

	# With an env of its own the hook gets only that.
	jq '.hooks.createContainer[0].env = ["PATH=/bin"]' "$B/config.json" >"$B/c" && mv "$B/c" "$B/config.json"
	run "$OCI_HARDEN" check "$B"
	refute_output --partial "hook-loader-env"
	run_bundle "$B"
	run grep -c '^LD_PRELOAD=' "$marker"
	assert_output 0
}

@test "process.cwd under /proc/self/fd (CVE-2024-21626): runc here refuses it, and so does check" {
	make_bundle "$B" '.process.cwd = "/proc/self/fd/7"' sh -c 'pwd; ls ../../..'
	run_bundle "$B"
	# runc 1.1.12 and Debian's 1.1.5+ds1-1+deb12u1 close the leaked
	# descriptors before the chdir: the directory is not there.
	if [ "$status" = 0 ]; then
		fail "runc $(runc --version | head -1) started a container in /proc/self/fd/7: it lacks the CVE-2024-21626 fix"
	fi
	assert_output --partial "/proc/self/fd/7"
	run "$OCI_HARDEN" check "$B"
	assert_failure 1
	assert_output --partial "cwd-fd [deny]: process.cwd /proc/self/fd/7 leads through a process's descriptors"
	for cwd in /proc/thread-self/fd/8 /proc/1/fd/3 //proc/./self/fd/9/..; do
		jq --arg c "$cwd" '.process.cwd = $c' "$B/config.json" >"$B/c" && mv "$B/c" "$B/config.json"
		run "$OCI_HARDEN" check "$B"
		assert_output --partial "cwd-fd [deny]"
	done
}

@test "an exec process spec with cwd under /proc/self/fd is refused by the wrapper" {
	make_bundle "$B" '.' sleep 30
	"$OCI_HARDEN" fix --in-place "$B"
	local id="oh-sidedoors-exec-$$"
	"$RT" run -d --bundle "$B" "$id" </dev/null >/dev/null 2>&1
	jq '.process | .args = ["pwd"] | .cwd = "/proc/self/fd/7"' "$B/config.json" >"$BATS_TEST_TMPDIR/process.json"
	run --separate-stderr "$RT" exec --process "$BATS_TEST_TMPDIR/process.json" "$id"
	runc delete -f "$id" >/dev/null 2>&1 || true
	assert_failure
	# cwd-fd judges CTX_EXEC; the wrapper of this tree still judges exec
	# with its own list of four process rules.
	grep -q 'process_rules\[\]' "$OH_SOURCE_DIR/hook/runtime.c" &&
		skip "hook/runtime.c judges exec with a fixed rule list, not the rules' CTX_EXEC checks"
	[[ "$stderr" == *"cwd-fd"* ]]
}

@test "crun's run.oci.seccomp_bpf_data replaces the config's filter; fix removes it" {
	command -v crun >/dev/null || skip "no crun"
	# One BPF instruction, "return ALLOW", in base64.
	local allow_all='BgAAAAAA/38='
	make_bundle "$B" '.' true
	local probe="oh-sidedoors-crun-$$"
	crun run --bundle "$B" "$probe" >/dev/null 2>"$BATS_TEST_TMPDIR/crun.err" ||
		skip "crun cannot run containers on this host: $(tail -1 "$BATS_TEST_TMPDIR/crun.err")"
	crun delete -f "$probe" >/dev/null 2>&1 || true
	make_bundle "$B" ".annotations[\"run.oci.seccomp_bpf_data\"] = \"$allow_all\"" sh -c 'mkdir /tmp/x && echo made'
	jq '.root.readonly = false' "$B/config.json" >"$B/c" && mv "$B/c" "$B/config.json"
	harden_but unsafe-annotations
	jq '.linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW", syscalls: [{names: ["mkdir", "mkdirat"], action: "SCMP_ACT_ERRNO"}]}' "$B/config.json" >"$B/c" && mv "$B/c" "$B/config.json"
	run crun run --bundle "$B" "$probe"
	crun delete -f "$probe" >/dev/null 2>&1 || true
	assert_output --partial made
	jq '{version: 1, rules: {"unsafe-annotations": "fix"}}' -n >"$BATS_TEST_TMPDIR/fix.json"
	run "$OCI_HARDEN" fix --policy "$BATS_TEST_TMPDIR/fix.json" --in-place "$B"
	assert_success
	run crun run --bundle "$B" "$probe"
	crun delete -f "$probe" >/dev/null 2>&1 || true
	refute_output --partial made
}

@test "annotations that override the config are refused; fix removes only the seccomp one" {
	make_bundle "$B" '.annotations = {"run.oci.seccomp_bpf_data": "BgAAAAAA/38=", "org.systemd.property.ExecStartPre": "/bin/sh", "app": "web"}'
	run "$OCI_HARDEN" check "$B"
	assert_failure 1
	assert_output --partial "unsafe-annotations [deny]: annotation run.oci.seccomp_bpf_data replaces the config's seccomp filter"
	assert_output --partial "unsafe-annotations [deny]: annotation org.systemd.property.ExecStartPre"
	jq -n '{version: 1, rules: {"unsafe-annotations": "fix"}}' >"$BATS_TEST_TMPDIR/fix.json"
	run "$OCI_HARDEN" check --policy "$BATS_TEST_TMPDIR/fix.json" "$B"
	assert_output --partial "unsafe-annotations [fix]: annotation run.oci.seccomp_bpf_data"
	assert_output --partial "unsafe-annotations [deny]: annotation org.systemd.property.ExecStartPre"
	jq 'del(.annotations["org.systemd.property.ExecStartPre"])' "$B/config.json" >"$B/c" && mv "$B/c" "$B/config.json"
	run "$OCI_HARDEN" fix --policy "$BATS_TEST_TMPDIR/fix.json" --in-place "$B"
	assert_success
	jq -e '.annotations == {"app": "web"}' "$B/config.json"
}

@test "a host-wide sysctl in linux.sysctl: runc refuses it, check refuses it before any runtime sees it" {
	SYSCTL_SAVED=$(cat /proc/sys/kernel/printk_ratelimit_burst)
	make_bundle "$B" ".linux.sysctl = {\"kernel.printk_ratelimit_burst\": \"$((SYSCTL_SAVED + 3))\"}" true
	run_bundle "$B"
	assert_failure
	assert_output --partial "not in a separate kernel namespace"
	[ "$(cat /proc/sys/kernel/printk_ratelimit_burst)" = "$SYSCTL_SAVED" ]
	run "$OCI_HARDEN" check "$B"
	assert_failure 1
	assert_output --partial "sysctl-host [deny]: sysctl kernel.printk_ratelimit_burst would be set for the whole host: the kernel does not namespace it"
	assert_output --partial "sysctl-unsafe [warn]"
}

@test "net.* sysctls in the host's network namespace are host-wide; namespaced unsafe ones warn" {
	make_bundle "$B" '.linux.sysctl = {"net.core.somaxconn": "1024", "net.ipv4.ping_group_range": "0 0"}' true
	run "$OCI_HARDEN" check "$B"
	assert_output --partial "sysctl-unsafe [warn]: sysctl net.core.somaxconn is not in Kubernetes' safe set"
	refute_output --partial "ping_group_range"
	refute_output --partial "sysctl-host"
	jq '.linux.namespaces |= map(select(.type != "network"))' "$B/config.json" >"$B/c" && mv "$B/c" "$B/config.json"
	run "$OCI_HARDEN" check "$B"
	assert_output --partial "sysctl-host [deny]: sysctl net.core.somaxconn would be set for the whole host: the container shares the host's network namespace"
}

@test "a namespace path naming another host process's namespace is the host's, judged by inode" {
	sleep 60 &
	HOLDER=$!
	make_bundle "$B" "(.linux.namespaces[] | select(.type == \"network\")) += {path: \"/proc/$HOLDER/ns/net\"}" \
		sh -c 'readlink /proc/self/ns/net'
	run_bundle "$B"
	assert_success
	# The kernel's view: the container is in the host's network namespace.
	assert_output "$(readlink /proc/self/ns/net)"
	run "$OCI_HARDEN" check "$B"
	assert_output --partial "host-namespaces [warn]: the network namespace joins the host's (/proc/$HOLDER/ns/net)"
	jq '{version: 1, rules: {"host-namespaces": "deny"}}' -n >"$BATS_TEST_TMPDIR/deny.json"
	run "$OCI_HARDEN" check --policy "$BATS_TEST_TMPDIR/deny.json" "$B"
	assert_failure 1
}

@test "a user namespace mapping container root to host root is a warning" {
	make_bundle "$B" '.linux.namespaces += [{type: "user"}] | .linux.uidMappings = [{containerID: 0, hostID: 0, size: 1}] | .linux.gidMappings = [{containerID: 0, hostID: 0, size: 1}]' \
		sh -c 'cat /proc/self/uid_map'
	run_bundle "$B"
	if [ "$status" = 0 ]; then
		# The kernel's view: uid 0 inside is uid 0 outside.
		assert_output --regexp '^ +0 +0 +1$'
	fi
	run "$OCI_HARDEN" check "$B"
	assert_output --partial "host-namespaces [warn]: the user namespace maps container root to host root"
}

@test "engines' default configs get no side-door findings; podman --privileged gets them" {
	local f
	for f in podman/default.json podman/no-new-privileges.json podman/cap-drop-all.json runc/spec.json runc/spec-rootless.json; do
		run "$OCI_HARDEN" check "$FIXTURES/$f"
		refute_output --regexp '(kernel-paths|sensitive-mounts|host-devices|config-hooks|hook-loader-env|cwd-fd|unsafe-annotations|sysctl-unsafe|sysctl-host)'
	done
	run "$OCI_HARDEN" check "$FIXTURES/podman/privileged.json"
	assert_output --partial "sensitive-mounts [deny]: sysfs is mounted read-write"
	assert_output --partial "host-devices [deny]"
	assert_output --partial "kernel-paths [fix]"
}
