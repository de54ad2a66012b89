#!/usr/bin/env bats
# Doors the runtimes open beside the config's usual members: a mount
# namespace missing or joined by path, a resources document given to a
# running container (update), an exec into a cgroup outside its
# container's, --no-pivot.  Each test shows the door open under the real
# runtime on a config hardened in everything else, then oci-harden
# refusing it.  Everything a test changes on the host is its own and is
# undone: the mount namespaces it breaks are private ones it made.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	[ "$(id -u)" = 0 ] || skip "needs root for runc and crun"
	B=$BATS_TEST_TMPDIR/bundle
	PREFIX=$(install_prefix)
	RT=$PREFIX/bin/oci-harden-runtime
	export OCI_HARDEN_POLICY=$PREFIX/etc/oci-harden/policy.json
		ID="oh-doors-$BATS_TEST_NUMBER-$$"
	R=$BATS_TEST_TMPDIR/state
	MARK=$BATS_TEST_TMPDIR/host-marker
	echo "host file $$" >"$MARK"
}

teardown() {
	local p
	for p in ${HOLDERS:-}; do kill "$p" 2>/dev/null || true; done
	runc delete -f "$ID" >/dev/null 2>&1 || true
	runc --root "$R" delete -f "$ID" >/dev/null 2>&1 || true
	[ -z "${SIBLING:-}" ] || rmdir "$SIBLING" 2>/dev/null || true
}

# open_door FILTER: hardens the bundle with the default policy, then
# applies FILTER to it: the door is the only thing not hardened.
open_door() {
	"$OCI_HARDEN" fix --in-place "$B" >/dev/null
	jq "$1" "$B/config.json" >"$B/c" && mv "$B/c" "$B/config.json"
}

# in_crun_ns CMD...: crun refuses this host's hybrid cgroup layout; in a
# private mount namespace without /sys/fs/cgroup/unified it runs.
in_crun_ns() {
	unshare -m --propagation private sh -c \
		'umount /sys/fs/cgroup/unified 2>/dev/null; exec "$@"' sh "$@"
}

# A bundle whose process walks out of a chroot, then prints the marker.
walk_bundle() {
	cp "${OH_CHROOT_WALK:?}" "$(rootfs)/bin/chroot-walk"
	make_bundle "$B" '.process.capabilities |= with_entries(.value += ["CAP_SYS_CHROOT"])' \
		/bin/chroot-walk /.oh-walk /bin/cat "$MARK"
}

@test "without a mount namespace crun chroots the container into the host's file system, and root walks out to a host file; check and the wrapper refuse it" {
	command -v crun >/dev/null || skip "crun is not installed"
	walk_bundle
	# Hardened in everything else: no-new-privileges, the bundled seccomp
	# profile, only allowed capabilities (CAP_SYS_CHROOT is one), masks.
	open_door '.linux.namespaces |= map(select(.type != "mount"))'
	run jq -c '[.process.noNewPrivileges, (.linux.seccomp.defaultAction != null), .process.capabilities.bounding]' "$B/config.json"
	assert_output '[true,true,["CAP_KILL","CAP_NET_BIND_SERVICE","CAP_SYS_CHROOT"]]'
	run in_crun_ns sh -c 'crun --root "$1" run --bundle "$2" "$3"; crun --root "$1" delete -f "$3" 2>/dev/null' \
		sh "$R" "$B" "$ID"
	[[ "$output" != *"cgroup"* ]] || skip "crun cannot run here: $output"
	# The container printed a file of the host, outside its rootfs.
	assert_output --partial "host file $$"
	# runc refuses such a config itself (masks need a mount namespace).
	run runc --root "$R" run --bundle "$B" "$ID"
	assert_output --partial "unable to restrict sys entries without a private MNT namespace"

	run "$OCI_HARDEN" check "$B"
	assert_failure 1
	assert_output --partial "mount-namespace [deny]: the container has no mount namespace of its own"
	run in_crun_ns env OCI_HARDEN_RUNTIME="$(command -v crun)" "$RT" --root "$R" run --bundle "$B" "$ID"
	assert_failure 1
	refute_output --partial "host file $$"
	assert_output --partial "mount-namespace"
}

@test "a mount namespace joined by path makes runc pivot every process there into the container's rootfs; check and the wrapper refuse it" {
	# A namespace standing for the host's: a process in a private copy.
	unshare -m --propagation private sleep 120 &
	HOLDER=$!
	HOLDERS=$HOLDER
	local i
	for i in $(seq 50); do
		[ "$(readlink /proc/$HOLDER/ns/mnt)" != "$(readlink /proc/self/ns/mnt)" ] && break
		sleep 0.1
	done
	touch "$(rootfs)/.oh-container-root"
	make_bundle "$B" '.' true
	open_door "(.linux.namespaces[] | select(.type == \"mount\")) += {path: \"/proc/$HOLDER/ns/mnt\"}"
	# Before: the holder sees its own (the host's) files.
	[ -e "/proc/$HOLDER/root$MARK" ]
	run runc run --bundle "$B" "$ID"
	# After runc set the container up there, whether or not it then
	# started: the holder's root is the container's rootfs.
	[ -e "/proc/$HOLDER/root/.oh-container-root" ]
	[ ! -e "/proc/$HOLDER/root$MARK" ]
	runc delete -f "$ID" >/dev/null 2>&1 || true

	run "$OCI_HARDEN" check "$B"
	assert_failure 1
	assert_output --partial "mount-namespace [deny]: the container joins the mount namespace /proc/$HOLDER/ns/mnt"
	# The wrapper refuses it before runc touches a fresh namespace.
	unshare -m --propagation private sleep 120 &
	HOLDER=$!
	HOLDERS="$HOLDERS $HOLDER"
	for i in $(seq 50); do
		[ "$(readlink /proc/$HOLDER/ns/mnt)" != "$(readlink /proc/self/ns/mnt)" ] && break
		sleep 0.1
	done
	jq --arg p "/proc/$HOLDER/ns/mnt" '(.linux.namespaces[] | select(.type == "mount")).path = $p' \
		"$B/config.json" >"$B/c" && mv "$B/c" "$B/config.json"
	run "$RT" run --bundle "$B" "$ID"
	assert_failure 1
	assert_output --partial "mount-namespace"
	[ -e "/proc/$HOLDER/root$MARK" ]
	[ ! -e "/proc/$HOLDER/root/.oh-container-root" ]
	# Judged from inside the joined namespace, where runc 1.1 runs a
	# createRuntime hook, it is not called the host's: only pid 1's is.
	run nsenter -t "$HOLDER" -m "$OCI_HARDEN" check "$B"
	assert_failure 1
	assert_output --partial "joins the mount namespace /proc/$HOLDER/ns/mnt: the runtime"
	refute_output --partial "(the host's)"
}

@test "crun update with a device rule hands a running container the host's kernel log; the wrapper refuses the update, runc ignores the rule" {
	command -v crun >/dev/null || skip "crun is not installed"
	mknod "$(rootfs)/kmsg" c 1 11 2>/dev/null || [ -c "$(rootfs)/kmsg" ]
	make_bundle "$B" '.root.readonly = true' sleep 60
	"$OCI_HARDEN" fix --in-place "$B"
	echo '{"devices": [{"allow": true, "access": "rwm"}]}' >"$BATS_TEST_TMPDIR/all.json"
	echo '{"pids": {"limit": 99}}' >"$BATS_TEST_TMPDIR/pids.json"
	cat >"$BATS_TEST_TMPDIR/p.json" <<-EOF
	{"args": ["/bin/sh", "-c", "echo '<oh-doors $$ from a container>' >/kmsg && echo wrote"],
	 "cwd": "/", "user": {"uid": 0, "gid": 0}, "noNewPrivileges": true}
	EOF
	run in_crun_ns sh -c '
		crun --root "$1" run -d --bundle "$2" "$3" </dev/null >/dev/null 2>&1 || exit 9
		echo "before: $(crun --root "$1" exec --process "$4" "$3" 2>&1)"
		OCI_HARDEN_RUNTIME=$(command -v crun) "$6" --root "$1" update -r - "$3" <"$5/pids.json"
		echo "wrapper pids: $?"
		OCI_HARDEN_RUNTIME=$(command -v crun) "$6" --root "$1" update -r - "$3" <"$5/all.json"
		echo "wrapper devices: $?"
		echo "after the wrapper: $(crun --root "$1" exec --process "$4" "$3" 2>&1)"
		pid=$(crun --root "$1" state "$3" | jq .pid)
		echo "pids.max $(cat /sys/fs/cgroup/pids$(grep :pids: /proc/$pid/cgroup | cut -d: -f3)/pids.max)"
		crun --root "$1" update -r "$5/all.json" "$3"
		echo "after crun: $(crun --root "$1" exec --process "$4" "$3" 2>&1)"
		crun --root "$1" delete -f "$3"' sh "$R" "$B" "$ID" "$BATS_TEST_TMPDIR/p.json" "$BATS_TEST_TMPDIR" "$RT"
	[ "$status" != 9 ] || skip "crun cannot run here: $output"
	assert_line --partial "before: /bin/sh: can't create /kmsg: Operation not permitted"
	# What the wrapper let through reached the container; what it refused did not.
	assert_line "wrapper pids: 0"
	assert_line "pids.max 99"
	assert_line "wrapper devices: 1"
	assert_output --partial "host-devices: the device cgroup allows reading and writing every device"
	assert_line --partial "after the wrapper: /bin/sh: can't create /kmsg: Operation not permitted"
	# crun itself applies the rule: the container writes the host's kernel log.
	assert_line "after crun: wrote"

	# runc 1.1 takes the document and leaves the device cgroup as it was.
	runc run -d --bundle "$B" "$ID" </dev/null >/dev/null
	runc update -r "$BATS_TEST_TMPDIR/all.json" "$ID"
	run runc exec --process "$BATS_TEST_TMPDIR/p.json" "$ID"
	assert_output --partial "Operation not permitted"
	run "$RT" update --resources "$BATS_TEST_TMPDIR/all.json" "$ID"
	assert_failure 1
	assert_output --partial "host-devices"
}

@test "linux.resources.unified devices.allow opens no device under crun or runc on cgroup v1: crun refuses it or, beside a cpu block, ignores it; oci-harden leaves the keys to the runtime" {
	command -v crun >/dev/null || skip "crun is not installed"
	[ -d /sys/fs/cgroup/devices ] || skip "no cgroup v1 devices hierarchy here"
	mknod "$(rootfs)/kmsg" c 1 11 2>/dev/null || [ -c "$(rootfs)/kmsg" ]
	make_bundle "$B" '.root.readonly = true' sleep 60
	"$OCI_HARDEN" fix --in-place "$B"
	local u='{"devices.allow": "c 1:11 rw"}' d=$BATS_TEST_TMPDIR
	echo "{\"unified\": $u}" >"$d/u.json"
	echo "{\"cpu\": {\"shares\": 512}, \"unified\": $u}" >"$d/cpu-u.json"
	cat >"$d/p.json" <<-EOF
	{"args": ["/bin/sh", "-c", "echo '<oh-doors $$ from a container>' >/kmsg && echo wrote"],
	 "cwd": "/", "user": {"uid": 0, "gid": 0}, "noNewPrivileges": true}
	EOF
	# The key in a config: judged like any unified limit.
	jq --argjson u "$u" '.linux.resources.unified = $u' "$B/config.json" >"$d/u-config.json"
	run "$OCI_HARDEN" check --no-rootfs-scan "$d/u-config.json"
	refute_output --partial "host-devices"
	refute_output --partial "cgroup-shared"
	run in_crun_ns sh -c '
		crun --root "$1" run -d --bundle "$2" "$3" </dev/null >/dev/null 2>&1 || exit 9
		OCI_HARDEN_RUNTIME=$(command -v crun) "$5" --root "$1" update -r "$4/u.json" "$3"
		echo "wrapper unified: $?"
		echo "after: $(crun --root "$1" exec --process "$4/p.json" "$3" 2>&1)"
		OCI_HARDEN_RUNTIME=$(command -v crun) "$5" --root "$1" update -r "$4/cpu-u.json" "$3"
		echo "wrapper cpu and unified: $?"
		echo "after cpu: $(crun --root "$1" exec --process "$4/p.json" "$3" 2>&1)"
		pid=$(crun --root "$1" state "$3" | jq .pid)
		echo "devices.list: $(tr "\n" " " </sys/fs/cgroup/devices$(grep :devices: /proc/$pid/cgroup | cut -d: -f3)/devices.list)"
		crun --root "$1" delete -f "$3"' sh "$R" "$B" "$ID" "$d" "$RT"
	[ "$status" != 9 ] || skip "crun cannot run here: $output"
	# The wrapper passes both on; crun refuses the first (cgroup v1 has
	# no unified files) and takes the second without writing the key.
	assert_output --partial "cannot use unified on cgroup v1"
	assert_line "wrapper unified: 1"
	assert_line --partial "after: /bin/sh: can't create /kmsg: Operation not permitted"
	assert_line "wrapper cpu and unified: 0"
	assert_line --partial "after cpu: /bin/sh: can't create /kmsg: Operation not permitted"
	refute_output --partial "c 1:11"
	# At create, crun and runc refuse the key.
	cp "$d/u-config.json" "$B/config.json"
	run in_crun_ns crun --root "$R" run --bundle "$B" "$ID"
	assert_failure
	assert_output --partial "cannot use unified on cgroup v1"
	run runc run --bundle "$B" "$ID"
	assert_failure
	assert_output --partial "cannot use unified on cgroup v1"
}

@test "in audit mode an update on standard input that cannot be judged reaches runc as it was sent, as the audit line says" {
	make_bundle "$B" '.' sleep 60
	"$OCI_HARDEN" fix --in-place "$B" >/dev/null 2>&1
	local d=$BATS_TEST_TMPDIR
	printf '{"mode": "audit", "audit": {"file": "%s"}}' "$d/audit.log" >"$d/audit.json"
	# runc takes the last of duplicate keys; oci-harden refuses the
	# ambiguity, which audit only logs.
	printf '{"pids": {"limit": 55}, "pids": {"limit": 66}}' >"$d/dup.json"
	runc run -d --bundle "$B" "$ID" </dev/null >/dev/null
	local pid
	pid=$(runc state "$ID" | jq .pid)
	run env OCI_HARDEN_POLICY="$d/audit.json" OCI_HARDEN_RUNTIME="$(command -v runc)" \
		"$RT" update -r - "$ID" <"$d/dup.json"
	assert_success
	run cat "/sys/fs/cgroup/pids$(grep :pids: "/proc/$pid/cgroup" | cut -d: -f3)/pids.max"
	assert_output 66
	run cat "$d/audit.log"
	assert_output --partial "stage=runtime-update id=$ID verdict=error action=admitted mode=audit"
	assert_output --partial 'duplicate key \"pids\"'
	# Enforcing, the same update is refused and runc never sees it.
	printf '{"pids": {"limit": 77}, "pids": {"limit": 88}}' >"$d/dup.json"
	run env OCI_HARDEN_RUNTIME="$(command -v runc)" "$RT" update -r - "$ID" <"$d/dup.json"
	assert_failure
	assert_output --partial 'duplicate key "pids"'
	run cat "/sys/fs/cgroup/pids$(grep :pids: "/proc/$pid/cgroup" | cut -d: -f3)/pids.max"
	assert_output 66
	# Standard input larger than the wrapper reads cannot be handed on:
	# refused, audit or not, and the line says so.
	run env OCI_HARDEN_POLICY="$d/audit.json" OCI_HARDEN_RUNTIME="$(command -v runc)" \
		sh -c 'head -c 70000000 /dev/zero | tr "\0" " " | "$0" update -r - "$1"' "$RT" "$ID"
	assert_failure
	assert_output --partial "cannot be handed to the runtime"
	run tail -1 "$d/audit.log"
	assert_output --partial "verdict=error action=refused mode=audit"
}

@test "runc exec --cgroup ../SIBLING lands in another cgroup whose name starts with the container's; the wrapper refuses a --cgroup with .." {
	make_bundle "$B" '.' sleep 60
	"$RT" run -d --bundle "$B" "$ID" </dev/null >/dev/null
	# The cgroup of another container named like this one, with more.
	SIBLING=/sys/fs/cgroup/pids$(grep :pids: /proc/$(runc state "$ID" | jq .pid)/cgroup | cut -d: -f3)-x
	mkdir "$SIBLING"
	run runc exec --cgroup "pids:../$(basename "$SIBLING")" "$ID" cat /proc/self/cgroup
	assert_success
	assert_output --partial ":pids:${SIBLING#/sys/fs/cgroup/pids}"
	run runc exec --cgroup "pids:../.." "$ID" cat /proc/self/cgroup
	assert_output --partial "is not a sub cgroup path"

	run "$RT" exec --cgroup "pids:../$(basename "$SIBLING")" "$ID" cat /proc/self/cgroup
	assert_failure 2
	refute_output --partial ":pids:${SIBLING#/sys/fs/cgroup/pids}"
	assert_output --partial "climbs out of the container's cgroup"
	# A sub-cgroup of the container's own is passed on.
	run "$RT" exec --cgroup pids:/ "$ID" cat /proc/self/cgroup
	assert_success
}

@test "the wrapper refuses --no-pivot, which containerd's NoPivotRoot and Docker's DOCKER_RAMDISK pass" {
	make_bundle "$B" '.' true
	run "$RT" run --no-pivot --bundle "$B" "$ID"
	assert_failure 2
	assert_output --partial "--no-pivot leaves the host's root file system mounted below the container's"
	run "$RT" create "$ID" --bundle "$B" -no-pivot=true
	assert_failure 2
	# Without it the same bundle runs.
	run "$RT" run --bundle "$B" "$ID"
	assert_success
}

@test "a device number above 32 bits makes runc create /dev/kmsg's node 1:11; check, fix and the wrapper refuse it" {
	make_bundle "$B" '.' sh -c 'ls -l /dev/oh-dev'
	open_door '.linux.devices = [{path: "/dev/oh-dev", type: "c", major: 4294967297, minor: 11, fileMode: 438, uid: 0, gid: 0}]'
	run runc run --bundle "$B" "$ID"
	# runc keeps the low 32 bits: the node is the host's kernel log.
	assert_output --regexp '^c[rw-]+ +1 +[a-z0-9]+ +[a-z0-9]+ +1, +11 .* /dev/oh-dev$'
	runc delete -f "$ID" >/dev/null 2>&1 || true

	run "$OCI_HARDEN" check "$B"
	assert_failure 1
	assert_output --partial "host-devices [deny]: device major 4294967297 is outside 0..4294967295: runc and crun keep its low 32 bits (1)"
	run "$RT" run --bundle "$B" "$ID"
	assert_failure 1
	refute_output --partial "/dev/oh-dev"
	# The same number in a device-cgroup rule, where cgroup v2's filter
	# compares 32 bits.
	jq 'del(.linux.devices) | .linux.resources.devices += [{allow: true, type: "c", major: -4294967295, minor: 11, access: "rw"}]' \
		"$B/config.json" >"$B/c" && mv "$B/c" "$B/config.json"
	run "$OCI_HARDEN" check "$B"
	assert_failure 1
	assert_output --partial "host-devices [deny]: device major -4294967295 is outside 0..4294967295"
}

@test "a namespace listed twice, the host's first: crun joins the host's network namespace, which check would read as the container's own; it is refused as ambiguous" {
	command -v crun >/dev/null || skip "crun is not installed"
	sleep 120 &
	HOLDERS=$!
	make_bundle "$B" '.' readlink /proc/self/ns/net
	open_door "(.linux.namespaces |= [{type: \"network\", path: \"/proc/$HOLDERS/ns/net\"}] + .)"
	run in_crun_ns sh -c 'crun --root "$1" run --bundle "$2" "$3"; crun --root "$1" delete -f "$3" 2>/dev/null' \
		sh "$R" "$B" "$ID"
	[[ "$output" != *"cgroup"* ]] || skip "crun cannot run here: $output"
	# crun acted on the first entry: the host's network namespace.
	assert_output "$(readlink /proc/self/ns/net)"
	run runc run --bundle "$B" "$ID"
	assert_output --partial "duplicated ns"

	# Under a policy denying host namespaces (the PSS presets do).
	jq -n '{version: 1, rules: {"host-namespaces": "deny"}}' >"$BATS_TEST_TMPDIR/deny.json"
	run "$OCI_HARDEN" check --policy "$BATS_TEST_TMPDIR/deny.json" "$B"
	assert_failure 2
	assert_output --partial "a second network namespace"
	run in_crun_ns env OCI_HARDEN_RUNTIME="$(command -v crun)" "$RT" --root "$R" run --bundle "$B" "$ID"
	assert_failure 2
	refute_output "$(readlink /proc/self/ns/net)"
}

@test "linux.CgroupsPath, another spelling of cgroupsPath, puts a container in another's cgroup under runc; check and the wrapper refuse the spelling" {
	sleep 120 &
	HOLDERS=$!
	local cg=oh-doors-holder-$$
	SIBLING=/sys/fs/cgroup/pids/$cg
	mkdir "$SIBLING"
	echo "$HOLDERS" >"$SIBLING/cgroup.procs"
	make_bundle "$B" '.' cat /proc/self/cgroup
	open_door ".linux.CgroupsPath = \"/$cg\""
	run runc run --bundle "$B" "$ID"
	# Go matched the key: runc put the container in the cgroup that
	# holds the process (kill --all, pause and delete reach it there).
	assert_line --regexp "^[0-9]+:pids:/$cg\$"
	runc delete -f "$ID" >/dev/null 2>&1 || true
	for d in /sys/fs/cgroup/*/"$cg"; do [ "$d" = "$SIBLING" ] || rmdir "$d" 2>/dev/null || true; done

	run "$OCI_HARDEN" check "$B"
	assert_failure 2
	assert_output --partial "/linux/CgroupsPath: key \"CgroupsPath\" must be spelled \"cgroupsPath\""
	run "$RT" run -d --bundle "$B" "$ID"
	assert_failure 2
	assert_output --partial "must be spelled \"cgroupsPath\""
}

# crun_update_doors OPTS...: in crun's namespace, runs a hardened
# container that tries to write /kmsg (the host's kernel log, 1:11), then
# the wrapper's `update OPTS... ID` and the same through crun itself,
# printing what the container could do after each.
crun_update_doors() {
	mknod "$(rootfs)/kmsg" c 1 11 2>/dev/null || [ -c "$(rootfs)/kmsg" ]
	make_bundle "$B" '.root.readonly = true' sleep 60
	"$OCI_HARDEN" fix --in-place "$B" >/dev/null
	cat >"$BATS_TEST_TMPDIR/p.json" <<-EOF2
	{"args": ["/bin/sh", "-c", "echo '<oh-doors $$ from a container>' >/kmsg && echo wrote"],
	 "cwd": "/", "user": {"uid": 0, "gid": 0}, "noNewPrivileges": true}
	EOF2
	run in_crun_ns sh -c '
		R=$1 B=$2 ID=$3 P=$4 RT=$5; shift 5
		crun --root "$R" run -d --bundle "$B" "$ID" </dev/null >/dev/null 2>&1 || exit 9
		echo "before: $(crun --root "$R" exec --process "$P" "$ID" 2>&1)"
		OCI_HARDEN_RUNTIME=$(command -v crun) "$RT" --root "$R" update "$@" "$ID"
		echo "wrapper: $?"
		echo "after the wrapper: $(crun --root "$R" exec --process "$P" "$ID" 2>&1)"
		crun --root "$R" update "$@" "$ID"
		echo "after crun: $(crun --root "$R" exec --process "$P" "$ID" 2>&1)"
		crun --root "$R" delete -f "$ID"' sh "$R" "$B" "$ID" "$BATS_TEST_TMPDIR/p.json" "$RT" "$@"
	[ "$status" != 9 ] || skip "crun cannot run here: $output"
	assert_line --partial "before: /bin/sh: can't create /kmsg: Operation not permitted"
}

@test "crun writes a device rule's type of more than one letter as it reads it: an update allowing type \"all\" hands the container the host's kernel log; the wrapper refuses it" {
	command -v crun >/dev/null || skip "crun is not installed"
	echo '{"devices": [{"allow": true, "type": "all", "access": "rwm"}]}' >"$BATS_TEST_TMPDIR/all.json"
	crun_update_doors -r "$BATS_TEST_TMPDIR/all.json"
	assert_line "wrapper: 1"
	assert_output --partial "host-devices: the device cgroup allows reading and writing devices the kernel reads from the rule's type"
	assert_line --partial "after the wrapper: /bin/sh: can't create /kmsg: Operation not permitted"
	# crun wrote "a" to devices.allow: every device.
	assert_line "after crun: wrote"
}

@test "crun writes a device rule's type into devices.allow as given: a newline in it adds a rule for the host's kernel log; the wrapper refuses it" {
	command -v crun >/dev/null || skip "crun is not installed"
	# 5:0 is /dev/tty, in every engine's allowlist; the type holds 1:11.
	printf '%s' '{"devices": [{"allow": true, "type": "c 1:11 rw\n", "major": 5, "minor": 0, "access": "rw"}]}' \
		>"$BATS_TEST_TMPDIR/nl.json"
	crun_update_doors -r "$BATS_TEST_TMPDIR/nl.json"
	assert_line "wrapper: 1"
	assert_output --partial "not one letter"
	assert_line --partial "after the wrapper: /bin/sh: can't create /kmsg: Operation not permitted"
	# The kernel read "c 1:11 rw" and stopped at the newline.
	assert_line "after crun: wrote"
}

@test "crun writes update's numeric flags unquoted into the resources it applies: --pids-limit with JSON in it adds a device rule and hands over the host's kernel log; the wrapper takes only integers there" {
	command -v crun >/dev/null || skip "crun is not installed"
	crun_update_doors --pids-limit '1000},"devices":[{"allow":true,"access":"rwm"}],"x":{"y":1'
	assert_line "wrapper: 2"
	assert_output --partial "--pids-limit 1000},\"devices\""
	assert_output --partial "is not an integer"
	assert_line --partial "after the wrapper: /bin/sh: can't create /kmsg: Operation not permitted"
	# crun parsed the document it wrote: a rule allowing every device.
	assert_line "after crun: wrote"
}

@test "crun update with integer flags passes through the wrapper and reaches the container" {
	command -v crun >/dev/null || skip "crun is not installed"
	make_bundle "$B" '.' sleep 60
	"$OCI_HARDEN" fix --in-place "$B" >/dev/null 2>&1
	run in_crun_ns sh -c '
		crun --root "$1" run -d --bundle "$2" "$3" </dev/null >/dev/null 2>&1 || exit 9
		OCI_HARDEN_RUNTIME=$(command -v crun) "$4" --root "$1" update --pids-limit=77 --memory-swap -1 "$3"
		echo "wrapper: $?"
		pid=$(crun --root "$1" state "$3" | jq .pid)
		echo "pids.max $(cat /sys/fs/cgroup/pids$(grep :pids: /proc/$pid/cgroup | cut -d: -f3)/pids.max)"
		crun --root "$1" delete -f "$3"' sh "$R" "$B" "$ID" "$RT"
	[ "$status" != 9 ] || skip "crun cannot run here: $output"
	assert_line "wrapper: 0"
	assert_line "pids.max 77"
}

@test "an update writing unified cgroup.procs moves a host process into the container's cgroup, where kill --all takes it down under runc on cgroup v2; check and the wrapper refuse it" {
	sleep 120 &
	HOLDERS=$!
	make_bundle "$B" '.' sleep 60
	"$OCI_HARDEN" fix --in-place "$B" >/dev/null 2>&1
	echo "{\"unified\": {\"cgroup.procs\": \"$HOLDERS\"}}" >"$BATS_TEST_TMPDIR/procs.json"
	# cgroup v2 as runc sees it in a private mount namespace where the
	# host's v2 hierarchy is mounted at /sys/fs/cgroup.
	run unshare -m --propagation private sh -c '
		mount -t cgroup2 none /sys/fs/cgroup 2>/dev/null || exit 9
		runc --root "$1" run -d --bundle "$2" "$3" </dev/null >/dev/null 2>&1 || exit 9
		OCI_HARDEN_RUNTIME=$(command -v runc) "$5" --root "$1" update -r "$6" "$3"
		echo "wrapper: $?"
		echo "after the wrapper: $(grep ^0:: /proc/$4/cgroup)"
		runc --root "$1" update -r "$6" "$3"
		echo "after runc: $(grep ^0:: /proc/$4/cgroup)"
		runc --root "$1" kill --all "$3" KILL
		sleep 0.5
		runc --root "$1" delete -f "$3" 2>/dev/null
		rmdir "/sys/fs/cgroup/$3" 2>/dev/null
		true' sh "$R" "$B" "$ID" "$HOLDERS" "$RT" "$BATS_TEST_TMPDIR/procs.json"
	[ "$status" != 9 ] || skip "runc cannot run on a cgroup v2 view here: $output"
	assert_line "wrapper: 1"
	assert_output --partial "cgroup-shared: linux.resources.unified writes cgroup.procs"
	assert_line "after the wrapper: 0::/"
	# runc wrote the pid there: the host process joined the container's
	# cgroup, and the container's kill --all reached it.
	assert_line "after runc: 0::/$ID"
	! kill -0 "$HOLDERS" 2>/dev/null

	# The same in a config: runc writes unified files at create.
	jq '.linux.resources.unified = {"cgroup.procs": "1"}' "$B/config.json" >"$B/c" && mv "$B/c" "$B/config.json"
	run "$OCI_HARDEN" check "$B"
	assert_failure 1
	assert_output --partial "cgroup-shared [deny]: linux.resources.unified writes cgroup.procs"
}
