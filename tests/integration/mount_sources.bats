#!/usr/bin/env bats
# Mount sources that reach the host although the config does not spell
# them as a bind of a host path: a relative bind source (runc joins it to
# the bundle directory, folding ".." and following symlinks there), an
# overlay's lowerdir, upperdir and workdir (podman -v DIR:DEST:O), and a
# filesystem mount whose source is a block device (ctr run --mount
# type=ext4,src=/dev/...).  Each test shows the door open under real runc,
# podman or ctr with everything else hardened, then refused by check and by
# the front end the engine runs.  Nothing on the host is written.

load helpers
load engines
bats_require_minimum_version 1.5.0

setup_file() {
	[ "$(id -u)" = 0 ] || return 0
	export PREFIX
	PREFIX=$(install_prefix)
	export OCI_HARDEN_POLICY=$PREFIX/etc/oci-harden/policy.json
	export OCI_HARDEN_RUNTIME
	OCI_HARDEN_RUNTIME=$(command -v runc)
	# containerd and dockerd, with the wrapper as Docker's default runtime
	# (runc stays registered, for the doors without oci-harden); their
	# tests skip when they do not start.
	export ENGINES_WRAPPER=$PREFIX/bin/oci-harden-runtime
	(engines_start docker && engines_image) >/dev/null 2>&1 || true
}

teardown_file() {
	engines_stop >/dev/null 2>&1 || true
}

setup() {
	[ "$(id -u)" = 0 ] || skip "needs root for runc"
	B=$BATS_TEST_TMPDIR/bundle
	RT=$PREFIX/bin/oci-harden-runtime
	OFF=$BATS_TEST_TMPDIR/off.json
	NAME="oh-redteam-mnt-$BATS_TEST_NUMBER-$$"
}

teardown() {
	if [ -n "${LOOPDEV:-}" ]; then
		losetup -d "$LOOPDEV" || true
	fi
	if [ -n "${PODMAN_VOLUME:-}" ]; then
		podman volume rm -f "$PODMAN_VOLUME" >/dev/null 2>&1 || true
	fi
	if [ -S "$(engines_dir)/containerd.sock" ]; then
		engines_clients
		"${DOCKER[@]}" rm -f "$NAME" >/dev/null 2>&1 || true
		"${DOCKER[@]}" volume rm -f "$NAME-etc" "$NAME-disk" >/dev/null 2>&1 || true
		"${CTR[@]}" task kill -s KILL "$NAME" >/dev/null 2>&1 || true
		"${CTR[@]}" task rm -f "$NAME" >/dev/null 2>&1 || true
		"${CTR[@]}" container rm "$NAME" >/dev/null 2>&1 || true
	fi
}

# harden_but RULE...: fixes the bundle with RULE (and what the door needs) off.
harden_but() {
	local rules='{}' r
	for r in "$@"; do rules=$(jq -c --arg r "$r" '. + {($r): "off"}' <<<"$rules"); done
	jq -n --argjson r "$rules" '{version: 1, rules: $r}' >"$OFF"
	"$OCI_HARDEN" fix --policy "$OFF" --in-place "$B"
}

# run_rt: runs the bundle through oci-harden-runtime (the default policy).
run_rt() {
	local id="oh-redteam-mnt-$$-$RANDOM"
	run --separate-stderr "$RT" run --bundle "$B" "$id"
	runc delete -f "$id" >/dev/null 2>&1 || true
}

# The first line of the host's /etc/shadow: what the container must not read.
shadow_line() {
	head -1 /etc/shadow
}

# ext4_loop: a loop device holding an ext4 file system with a marker file,
# in LOOPDEV: a host disk that is nobody's but the test's.
ext4_loop() {
	command -v mkfs.ext4 >/dev/null && command -v losetup >/dev/null || skip "no mkfs.ext4 or losetup"
	local img=$BATS_TEST_TMPDIR/disk.img
	truncate -s 8M "$img"
	mkfs.ext4 -q -F -d "$(marker_dir)" "$img" >/dev/null 2>&1 || skip "mkfs.ext4 -d does not work here"
	LOOPDEV=$(losetup -f --show -r "$img") || skip "cannot attach a loop device here"
}

marker_dir() {
	local d=$BATS_TEST_TMPDIR/disk-content
	mkdir -p "$d"
	echo "oh-redteam-disk-marker" >"$d/marker"
	echo "$d"
}

@test "a relative bind source climbing out of the bundle reads a host file under runc; check and the wrapper refuse it" {
	local up
	mkdir -p "$B"
	up=$(realpath --relative-to="$B" /)
	make_bundle "$B" ".mounts += [{destination: \"/host\", type: \"bind\", source: \"$up/etc\", options: [\"rbind\", \"ro\"]}]" \
		sh -c "$STATUS; head -1 /host/shadow"
	# host-devices refuses a source with ".." too.
	harden_but sensitive-mounts host-devices
	run_bundle "$B"
	assert_success
	[ "$(field NoNewPrivs)" = 1 ]
	[ "$(field Seccomp)" = 2 ]
	# runc joined the source to the bundle directory: the host's /etc.
	assert_output --partial "$(shadow_line)"

	run "$OCI_HARDEN" check "$B"
	assert_failure 1
	assert_output --partial "sensitive-mounts [deny]: /host bind-mounts the host's $up/etc (/etc) (read-only)"
	run_rt
	assert_failure
	[[ "$stderr" == *"sensitive-mounts"* ]]
	refute_output --partial "$(shadow_line)"
	# Without a bundle to read it against (a config on standard input), a
	# relative source that leaves it is refused all the same.
	run "$OCI_HARDEN" check --no-rootfs-scan - <"$B/config.json"
	assert_failure 1
	assert_output --partial "bind-mounts the host's $up/etc (a path outside the bundle)"
}

@test "a relative bind source through a symlink in the bundle is judged where the symlink leads" {
	make_bundle "$B" '.mounts += [{destination: "/host", type: "bind", source: "etc-link", options: ["rbind", "ro"]}]' \
		sh -c "$STATUS; head -1 /host/shadow"
	ln -s /etc "$B/etc-link"
	harden_but sensitive-mounts
	run_bundle "$B"
	assert_success
	[ "$(field Seccomp)" = 2 ]
	assert_output --partial "$(shadow_line)"

	run "$OCI_HARDEN" check "$B"
	assert_failure 1
	assert_output --partial "sensitive-mounts [deny]: /host bind-mounts the host's etc-link (/etc) (read-only)"
	run_rt
	assert_failure
	[[ "$stderr" == *"sensitive-mounts"* ]]
	# A relative source that stays in the bundle and is no symlink is fine.
	rm -rf "$B"
	make_bundle "$B" '.mounts += [{destination: "/data", type: "bind", source: "data", options: ["rbind", "ro"]}]'
	mkdir -p "$B/data"
	run "$OCI_HARDEN" check --no-rootfs-scan "$B"
	refute_output --partial "sensitive-mounts"
}

@test "an overlay whose lowerdir is the host's /etc reads /etc/shadow under runc; check and the wrapper refuse it" {
	local up=$BATS_TEST_TMPDIR/upper wk=$BATS_TEST_TMPDIR/work
	mkdir -p "$up" "$wk"
	make_bundle "$B" ".mounts += [{destination: \"/host\", type: \"overlay\", source: \"overlay\", options: [\"lowerdir=/etc\", \"upperdir=$up\", \"workdir=$wk\"]}]" \
		sh -c "$STATUS; head -1 /host/shadow"
	harden_but sensitive-mounts
	run_bundle "$B"
	assert_success
	[ "$(field NoNewPrivs)" = 1 ]
	[ "$(field Seccomp)" = 2 ]
	assert_output --partial "$(shadow_line)"

	run "$OCI_HARDEN" check "$B"
	assert_failure 1
	assert_output --partial "sensitive-mounts [deny]: /host is an overlay whose lowerdir is the host's /etc"
	run_rt
	assert_failure
	[[ "$stderr" == *"sensitive-mounts"* ]]
	refute_output --partial "$(shadow_line)"
	# Every directory of the list is judged, escaped colons included, and
	# upperdir too (the container writes there).
	rm -rf "$B"
	make_bundle "$B" ".mounts += [{destination: \"/x\", type: \"overlay\", source: \"overlay\", options: [\"lowerdir=$BATS_TEST_TMPDIR/a\\\\:b:/root\", \"upperdir=/var/lib/kubelet\", \"workdir=$wk\"]}]"
	run "$OCI_HARDEN" check --no-rootfs-scan "$B"
	assert_failure 1
	assert_output --partial "overlay whose lowerdir is the host's /root"
	assert_output --partial "overlay whose upperdir is the host's /var/lib/kubelet"
	refute_output --partial "a\\:b"
}

@test "an overlay's lowerdir hidden after a comma in one option, or given as lowerdir+=, is judged as the kernel splits it" {
	local up=$BATS_TEST_TMPDIR/upper wk=$BATS_TEST_TMPDIR/work o
	mkdir -p "$up" "$wk"
	# runc joins the options it does not know with commas: the kernel reads
	# "index=off,lowerdir=/etc" as two options
	for o in "index=off,lowerdir=/etc" "lowerdir+=/etc"; do
		rm -rf "$B" "$up" "$wk" && mkdir -p "$up" "$wk"
		make_bundle "$B" ".mounts += [{destination: \"/host\", type: \"overlay\", source: \"overlay\", options: [\"$o\", \"upperdir=$up\", \"workdir=$wk\"]}]" \
			sh -c "head -1 /host/shadow"
		harden_but sensitive-mounts
		run_bundle "$B"
		if [ "$o" = "index=off,lowerdir=/etc" ]; then
			assert_output --partial "$(shadow_line)"
		fi
		run "$OCI_HARDEN" check --no-rootfs-scan "$B"
		assert_failure 1
		assert_output --partial "sensitive-mounts [deny]: /host is an overlay whose lowerdir is the host's /etc"
	done
	# an escaped comma is no split
	rm -rf "$B"
	make_bundle "$B" ".mounts += [{destination: \"/x\", type: \"overlay\", source: \"overlay\", options: [\"lowerdir=$BATS_TEST_TMPDIR/a\\\\,lowerdir=/etc\", \"upperdir=$up\", \"workdir=$wk\"]}]"
	run "$OCI_HARDEN" check --no-rootfs-scan "$B"
	refute_output --partial "host's /etc"
}

@test "\"..\" after a symlink in a source leaves the symlink's target, and a relative overlay directory or device is found from the root file system, as the kernel finds them" {
	local up=$BATS_TEST_TMPDIR/upper wk=$BATS_TEST_TMPDIR/work
	mkdir -p "$up" "$wk"
	# /etc/ssl/.. is /etc to the kernel; lexically the source is $T
	ln -s /etc/ssl "$BATS_TEST_TMPDIR/ssl"
	make_bundle "$B" ".mounts += [{destination: \"/x\", type: \"bind\", source: \"$BATS_TEST_TMPDIR/ssl/..\", options: [\"rbind\", \"ro\"]}]" \
		sh -c "head -1 /x/shadow"
	harden_but sensitive-mounts host-devices
	run_bundle "$B"
	assert_output --partial "$(shadow_line)"
	run "$OCI_HARDEN" check --no-rootfs-scan "$B"
	assert_failure 1
	assert_output --partial "sensitive-mounts [deny]: /x bind-mounts the host's $BATS_TEST_TMPDIR/ssl/.. (/etc)"
	# runc's init works in the root file system: "../L" is a sibling of
	# the rootfs, not of the bundle
	local root L=oh-redteam-etc-$$-$BATS_TEST_NUMBER
	root=$(rootfs)
	ln -s /etc "$(dirname "$root")/$L"
	rm -rf "$B" "$up" "$wk" && mkdir -p "$up" "$wk"
	make_bundle "$B" ".mounts += [{destination: \"/host\", type: \"overlay\", source: \"overlay\", options: [\"lowerdir=../$L\", \"upperdir=$up\", \"workdir=$wk\"]}]" \
		sh -c "head -1 /host/shadow"
	harden_but sensitive-mounts
	run_bundle "$B"
	assert_output --partial "$(shadow_line)"
	run "$OCI_HARDEN" check --no-rootfs-scan "$B"
	rm -f "$(dirname "$root")/$L"
	assert_failure 1
	assert_output --partial "sensitive-mounts [deny]: /host is an overlay whose lowerdir is the host's"
}

@test "a relative block device source is found from the root file system, as the kernel finds it" {
	ext4_loop
	local root D=oh-redteam-disk-$$-$BATS_TEST_NUMBER
	root=$(rootfs)
	ln -s "$LOOPDEV" "$(dirname "$root")/$D"
	make_bundle "$B" ".mounts += [{destination: \"/disk\", type: \"ext4\", source: \"../$D\", options: [\"ro\"]}]" \
		sh -c "cat /disk/marker"
	harden_but host-devices
	run_bundle "$B"
	assert_output --partial "oh-redteam-disk-marker"
	run "$OCI_HARDEN" check --no-rootfs-scan "$B"
	rm -f "$(dirname "$root")/$D"
	assert_failure 1
	assert_output --partial "host-devices [deny]: the host's block device ../$D"
}

@test "podman -v /etc:DEST:O reads the host's /etc/shadow through an overlay; the precreate hook refuses it" {
	command -v podman >/dev/null || skip "podman is not installed"
	local hooks=$PREFIX/share/containers/oci/hooks.d
	# The door, without oci-harden: podman makes an overlay whose lowerdir
	# is the host's /etc.
	run "${PODMAN[@]}" "${PODMAN_RUN[@]}" --name "$NAME-a" -v /etc:/hostetc:O \
		--rootfs "$(podman_rootfs)" head -1 /hostetc/shadow
	assert_success
	assert_output --partial "$(shadow_line)"

	run -127 "${PODMAN[@]}" --hooks-dir "$hooks" "${PODMAN_RUN[@]}" --name "$NAME-b" -v /etc:/hostetc:O \
		--rootfs "$(podman_rootfs)" head -1 /hostetc/shadow
	assert_failure
	assert_output --partial "rules: sensitive-mounts"
	refute_output --partial "$(shadow_line)"
}

@test "a file system on a host block device is mounted by runc; check and the wrapper refuse it, through a symlink too" {
	ext4_loop
	make_bundle "$B" ".mounts += [{destination: \"/disk\", type: \"ext4\", source: \"$LOOPDEV\", options: [\"ro\"]}]" \
		sh -c "$STATUS; cat /disk/marker"
	harden_but host-devices
	run_bundle "$B"
	assert_success
	[ "$(field NoNewPrivs)" = 1 ]
	[ "$(field Seccomp)" = 2 ]
	# The kernel opened the host's device for runc: the container has the disk.
	assert_output --partial "oh-redteam-disk-marker"

	local majmin
	majmin=$(($(stat -c 0x%t "$LOOPDEV"))):$(($(stat -c 0x%T "$LOOPDEV")))
	run "$OCI_HARDEN" check "$B"
	assert_failure 1
	assert_output --partial "host-devices [deny]: the host's block device $LOOPDEV ($majmin) is mounted as ext4"
	run_rt
	assert_failure
	[[ "$stderr" == *"host-devices"* ]]
	refute_output --partial "oh-redteam-disk-marker"

	local link=$BATS_TEST_TMPDIR/oh-redteam-disk-link
	ln -s "$LOOPDEV" "$link"
	rm -rf "$B"
	make_bundle "$B" ".mounts += [{destination: \"/disk\", type: \"ext4\", source: \"$link\", options: [\"ro\"]}]"
	run "$OCI_HARDEN" check --no-rootfs-scan "$B"
	assert_failure 1
	assert_output --partial "host-devices [deny]: the host's block device $link ($majmin) is mounted as ext4"
}

@test "ctr run --mount of a host block device or a relative source through the wrapper is refused" {
	[ -S "$(engines_dir)/containerd.sock" ] || skip "containerd did not start here"
	engines_clients
	IMAGE=oh-engines/busybox:test   # imported by setup_file
	ext4_loop
	# The door under plain runc: ctr hands the mount to the runtime as it is.
	run "${CTR[@]}" run --rm --mount "type=ext4,src=$LOOPDEV,dst=/disk,options=ro" \
		"docker.io/$IMAGE" "$NAME" cat /disk/marker
	assert_success
	assert_output --partial "oh-redteam-disk-marker"

	run "${CTR[@]}" run --rm --runc-binary "$RT" --mount "type=ext4,src=$LOOPDEV,dst=/disk,options=ro" \
		"docker.io/$IMAGE" "$NAME" cat /disk/marker
	assert_failure
	assert_output --partial "host-devices:"
	refute_output --partial "oh-redteam-disk-marker"

	# containerd's bundle is a few directories below /: enough ".." reach /.
	local up=../../../../../../../../../..
	run "${CTR[@]}" run --rm --mount "type=bind,src=$up/etc,dst=/host,options=rbind:ro" \
		"docker.io/$IMAGE" "$NAME" head -1 /host/shadow
	assert_success
	assert_output --partial "$(shadow_line)"
	run "${CTR[@]}" run --rm --runc-binary "$RT" --mount "type=bind,src=$up/etc,dst=/host,options=rbind:ro" \
		"docker.io/$IMAGE" "$NAME" head -1 /host/shadow
	assert_failure
	assert_output --partial "sensitive-mounts:"
	refute_output --partial "$(shadow_line)"
}

@test "a Docker volume the local driver binds from /etc, or mounts from the root disk, is refused by the wrapper" {
	[ -S "$(engines_dir)/docker.sock" ] || skip "dockerd did not start here"
	engines_clients
	IMAGE=oh-engines/busybox:test
	local etc="type=volume,src=$NAME-etc,dst=/x,volume-opt=type=none,volume-opt=o=bind,volume-opt=device=/etc"
	# The door under plain runc: dockerd binds the host's /etc onto the
	# volume's directory, and the config shows only a bind of that.
	run "${DOCKER[@]}" run --rm --runtime runc --mount "$etc" "$IMAGE" head -1 /x/shadow
	assert_success
	assert_output --partial "$(shadow_line)"
	run "${DOCKER[@]}" run --rm --name "$NAME" --mount "$etc" "$IMAGE" head -1 /x/shadow
	assert_failure
	assert_output --regexp "sensitive-mounts: /x bind-mounts the host's [^ ]*/volumes/$NAME-etc/_data \\(/etc mounted there\\)"
	refute_output --partial "$(shadow_line)"

	# ext4 of the host's root disk onto the volume (the same file system
	# as /, mounted a second time: read here, never written).
	local dev fstype
	read -r dev fstype < <(findmnt -no SOURCE,FSTYPE /)
	[ -b "$dev" ] || skip "the root file system is not on a block device here"
	local disk="type=volume,src=$NAME-disk,dst=/x,volume-opt=type=$fstype,volume-opt=device=$dev"
	run "${DOCKER[@]}" run --rm --runtime runc --mount "$disk" "$IMAGE" head -1 /x/etc/shadow
	assert_success
	assert_output --partial "$(shadow_line)"
	run "${DOCKER[@]}" run --rm --name "$NAME" --mount "$disk" "$IMAGE" head -1 /x/etc/shadow
	assert_failure
	assert_output --partial "_data (/ mounted there)"
	refute_output --partial "$(shadow_line)"
	# An ordinary volume still works.
	run "${DOCKER[@]}" run --rm --name "$NAME" -v "$NAME-plain:/x" "$IMAGE" sh -c 'echo ok >/x/f && cat /x/f'
	"${DOCKER[@]}" volume rm -f "$NAME-plain" >/dev/null 2>&1 || true
	assert_success
	assert_output ok
}

@test "a podman volume bound from the host's /etc is refused by the hooks" {
	command -v podman >/dev/null || skip "podman is not installed"
	local hooks=$PREFIX/share/containers/oci/hooks.d
	PODMAN_VOLUME=$NAME-etc
	podman volume create --opt type=none --opt o=bind --opt device=/etc "$PODMAN_VOLUME" >/dev/null
	run "${PODMAN[@]}" "${PODMAN_RUN[@]}" --name "$NAME-a" -v "$PODMAN_VOLUME:/x" \
		--rootfs "$(podman_rootfs)" head -1 /x/shadow
	assert_success
	assert_output --partial "$(shadow_line)"

	run -127 "${PODMAN[@]}" --hooks-dir "$hooks" "${PODMAN_RUN[@]}" --name "$NAME-b" -v "$PODMAN_VOLUME:/x" \
		--rootfs "$(podman_rootfs)" head -1 /x/shadow
	assert_failure
	assert_output --partial "rules: sensitive-mounts"
	refute_output --partial "$(shadow_line)"
}

@test "a read-only rbind of the host's /sys leaves the cgroup hierarchies below it writable: the container leaves its device cgroup and reads a host disk; check and the wrapper refuse it" {
	[ -w /sys/fs/cgroup/devices/cgroup.procs ] || skip "no cgroup v1 devices hierarchy under /sys/fs/cgroup here"
	command -v mkfs.ext4 >/dev/null && command -v losetup >/dev/null || skip "no mkfs.ext4 or losetup"
	local img=$BATS_TEST_TMPDIR/disk.img root=$BATS_TEST_TMPDIR/rootfs-with-node
	truncate -s 1M "$img"
	printf 'oh-redteam-disk-marker\n' | dd of="$img" conv=notrunc 2>/dev/null
	LOOPDEV=$(losetup -f --show -r "$img") || skip "cannot attach a loop device here"
	# A block device node in the image, as a layer may carry one: the
	# device cgroup is what keeps the container from opening it.
	cp -a "$(rootfs)" "$root"
	mknod "$root/oh-disk-node" b "$((0x$(stat -c %t "$LOOPDEV")))" "$((0x$(stat -c %T "$LOOPDEV")))"
	make_bundle "$B" ".root.path = \"$root\" | .mounts += [{destination: \"/hostsys\", type: \"bind\", source: \"/sys\", options: [\"rbind\", \"ro\", \"rprivate\"]}]" \
		sh -c "$STATUS; head -c 22 /oh-disk-node || echo DENIED; echo \$\$ >/hostsys/fs/cgroup/devices/cgroup.procs && grep devices /proc/self/cgroup; head -c 22 /oh-disk-node"
	harden_but sensitive-mounts
	run_bundle "$B"
	assert_success
	[ "$(field NoNewPrivs)" = 1 ]
	[ "$(field Seccomp)" = 2 ]
	assert_output --partial "DENIED"
	# Out of its device cgroup, into the host's root one: the disk opens.
	assert_line --regexp ':devices:/$'
	assert_output --partial "oh-redteam-disk-marker"

	run "$OCI_HARDEN" check "$B"
	assert_failure 1
	assert_output --partial "sensitive-mounts [deny]: /hostsys bind-mounts the host's /sys (read-only): the container reaches the host through it (runc makes only the top of an rbind read-only: the mounts below it stay writable unless rro)"
	run_rt
	assert_failure
	[[ "$stderr" == *"sensitive-mounts"* ]]
	refute_output --partial "oh-redteam-disk-marker"
	# rro makes the whole tree read-only (runc 1.1, mount_setattr): admitted.
	jq '(.mounts[] | select(.destination == "/hostsys") | .options) += ["rro"]' "$B/config.json" >"$B/c.json"
	mv "$B/c.json" "$B/config.json"
	run "$OCI_HARDEN" check --no-rootfs-scan "$B"
	refute_output --partial "sensitive-mounts"
	run_bundle "$B"
	assert_output --partial "Read-only file system"
	refute_output --partial "oh-redteam-disk-marker"
}

@test "root.path naming the host's / (as /etc/..) makes the host's file system the container's under runc; check and the wrapper refuse it" {
	make_bundle "$B" '.root.path = "/etc/.." | .mounts |= map(select(.type != "cgroup"))' \
		sh -c "$STATUS; head -1 /etc/shadow"
	harden_but sensitive-mounts
	run "$OCI_HARDEN" check --no-rootfs-scan --policy "$OFF" "$B"
	assert_success
	run_bundle "$B"
	assert_success
	[ "$(field NoNewPrivs)" = 1 ]
	[ "$(field Seccomp)" = 2 ]
	assert_output --partial "$(shadow_line)"

	run "$OCI_HARDEN" check --no-rootfs-scan "$B"
	assert_failure 1
	assert_output --partial "sensitive-mounts [deny]: root.path is the host's /: the container's root file system is the host's"
	run_rt
	assert_failure
	[[ "$stderr" == *"sensitive-mounts"* ]]
	refute_output --partial "$(shadow_line)"
	# A symlink in the bundle that leads there is judged where it leads.
	rm -rf "$B"
	make_bundle "$B" '.root.path = "hostroot"'
	ln -s / "$B/hostroot"
	run "$OCI_HARDEN" check --no-rootfs-scan "$B"
	assert_failure 1
	assert_output --partial "root.path is the host's hostroot (/)"
}
