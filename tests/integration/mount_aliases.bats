#!/usr/bin/env bats
# Sources whose host path only the kernel's mount table shows: a path
# below a bind mount of a host directory (/srv/statmount-x/ssh, with
# /srv/statmount-x a bind of the host's /etc, is /etc/ssh), and an
# overlay the engine or the host mounted, whose layers are host
# directories (podman run --rootfs /:O makes root.path an overlay whose
# lowerdir is the host's /).  Each test shows the door open under real
# runc or podman with everything else hardened, then refused by check, by
# the wrapper or the hooks, and again with statmount(2) answering ENOSYS
# (a kernel before 6.8: the mounts come from /proc/self/mountinfo).
# The test's mounts are made under /srv/statmount-* and the test's
# directory and taken down in teardown; nothing on the host is written.

load helpers
bats_require_minimum_version 1.5.0

setup_file() {
	[ "$(id -u)" = 0 ] || return 0
	export PREFIX
	PREFIX=$(install_prefix)
	export OCI_HARDEN_POLICY=$PREFIX/etc/oci-harden/policy.json
	export OCI_HARDEN_RUNTIME
	OCI_HARDEN_RUNTIME=$(command -v runc)
}

setup() {
	[ "$(id -u)" = 0 ] || skip "needs root for mounts and runc"
	B=$BATS_TEST_TMPDIR/bundle
	RT=$PREFIX/bin/oci-harden-runtime
	OFF=$BATS_TEST_TMPDIR/off.json
	X=/srv/statmount-x-$$-$BATS_TEST_NUMBER
	NAME="oh-statmount-$BATS_TEST_NUMBER-$$"
	MOUNTED=()
}

teardown() {
	local m
	for m in "${MOUNTED[@]}"; do
		umount -l "$m" 2>/dev/null || true
		rmdir "$m" 2>/dev/null || true
	done
}

# mount_at DIR ARGS...: mount ARGS... DIR, undone in teardown.
mount_at() {
	local dir=$1
	shift
	mkdir -p "$dir"
	mount "$@" "$dir"
	MOUNTED=("$dir" "${MOUNTED[@]}")
}

# A bind mount of the host's /etc at $X, as a volume driver or an admin makes one.
bind_etc() {
	mount_at "$X" --bind /etc
}

harden_but() {
	local rules='{}' r
	for r in "$@"; do rules=$(jq -c --arg r "$r" '. + {($r): "off"}' <<<"$rules"); done
	jq -n --argjson r "$rules" '{version: 1, rules: $r}' >"$OFF"
	"$OCI_HARDEN" fix --policy "$OFF" --in-place "$B"
}

run_rt() {
	local id="oh-statmount-$$-$RANDOM"
	run --separate-stderr "$RT" run --bundle "$B" "$id"
	runc delete -f "$id" >/dev/null 2>&1 || true
}

# The first line of the host's /etc/shadow: what the container must not read.
shadow_line() {
	head -1 /etc/shadow
}

# no_statmount CMD...: CMD on a kernel without statmount(2).
no_statmount() {
	"${OH_ENOSYS:?set OH_ENOSYS to the enosys tool}" 457 "$@"
}

@test "a bind of a file below a bind mount of the host's /etc reads /etc/shadow under runc; check and the wrapper refuse it, also without statmount" {
	bind_etc
	make_bundle "$B" ".mounts += [{destination: \"/hostshadow\", type: \"bind\", source: \"$X/shadow\", options: [\"bind\", \"ro\"]}]" \
		sh -c "$STATUS; head -1 /hostshadow"
	harden_but sensitive-mounts
	run_bundle "$B"
	assert_success
	[ "$(field NoNewPrivs)" = 1 ]
	[ "$(field Seccomp)" = 2 ]
	assert_output --partial "$(shadow_line)"

	run "$OCI_HARDEN" check --no-rootfs-scan "$B"
	assert_failure 1
	assert_output --partial "sensitive-mounts [deny]: /hostshadow bind-mounts the host's $X/shadow (/etc/shadow: $X is a mount of /etc) (read-only)"
	run_rt
	assert_failure
	[[ "$stderr" == *"sensitive-mounts"* ]]
	refute_output --partial "$(shadow_line)"
	run no_statmount "$OCI_HARDEN" check --no-rootfs-scan "$B"
	assert_failure 1
	assert_output --partial "/hostshadow bind-mounts the host's $X/shadow (/etc/shadow: $X is a mount of /etc)"
	run no_statmount "$RT" run --bundle "$B" "$NAME"
	runc delete -f "$NAME" >/dev/null 2>&1 || true
	assert_failure
	assert_output --partial "sensitive-mounts"
	refute_output --partial "$(shadow_line)"
	# statmount refused by a filter (EPERM): mountinfo says the same.
	run "$OH_ENOSYS" 457=1 "$OCI_HARDEN" check --no-rootfs-scan "$B"
	assert_failure 1
	assert_output --partial "(/etc/shadow: $X is a mount of /etc)"
	# A look-up that fails otherwise refuses the source, saying why.
	run "$OH_ENOSYS" 457=2 "$OCI_HARDEN" check --no-rootfs-scan "$B"
	assert_failure 1
	assert_output --regexp "sensitive-mounts \[deny\]: /hostshadow bind-mounts the host's $X/shadow \(its mount could not be looked up: the mount of $X/shadow: statmount of mount [0-9]+: No such file or directory\)"
}

@test "a bind of /srv/statmount-x/ssh, with /srv/statmount-x a bind mount of the host's /etc, hands over the host's /etc/ssh under runc; check and the wrapper refuse it" {
	[ -d /etc/ssh ] && [ -n "$(ls /etc/ssh)" ] || skip "no /etc/ssh on this host"
	local first
	first=$(ls /etc/ssh | head -1)
	bind_etc
	make_bundle "$B" ".mounts += [{destination: \"/x\", type: \"bind\", source: \"$X/ssh\", options: [\"rbind\"]}]" \
		sh -c "$STATUS; ls /x"
	harden_but sensitive-mounts
	run_bundle "$B"
	assert_success
	[ "$(field Seccomp)" = 2 ]
	assert_line "$first"

	run "$OCI_HARDEN" check --no-rootfs-scan "$B"
	assert_failure 1
	assert_output --partial "sensitive-mounts [deny]: /x bind-mounts the host's $X/ssh (/etc/ssh: $X is a mount of /etc)"
	run_rt
	assert_failure
	[[ "$stderr" == *"sensitive-mounts"* ]]
	refute_output --partial "$first"
	run no_statmount "$OCI_HARDEN" check --no-rootfs-scan "$B"
	assert_failure 1
	assert_output --partial "(/etc/ssh: $X is a mount of /etc)"
	# The mount's own root is judged as before: the host's /etc mounted there.
	jq --arg x "$X" '(.mounts[] | select(.destination == "/x") | .source) = $x' "$B/config.json" >"$B/c.json"
	mv "$B/c.json" "$B/config.json"
	run "$OCI_HARDEN" check --no-rootfs-scan "$B"
	assert_failure 1
	assert_output --partial "/x bind-mounts the host's $X (/etc mounted there)"
}

@test "a path below a bind of a directory that is not sensitive is admitted" {
	local d=$BATS_TEST_TMPDIR/plain
	mkdir -p "$d/sub"
	mount_at "$X" --bind "$d"
	make_bundle "$B" ".mounts += [{destination: \"/x\", type: \"bind\", source: \"$X/sub\", options: [\"rbind\"]}]"
	run "$OCI_HARDEN" check --no-rootfs-scan "$B"
	refute_output --partial "sensitive-mounts"
	run no_statmount "$OCI_HARDEN" check --no-rootfs-scan "$B"
	refute_output --partial "sensitive-mounts"
}

@test "a bind of a directory on an overlay over the host's /etc reads /etc/shadow under runc; check and the wrapper refuse it" {
	local ov=$BATS_TEST_TMPDIR/ov
	mkdir -p "$ov/up" "$ov/work"
	mount_at "$ov/merged" -t overlay overlay -o "lowerdir=/etc,upperdir=$ov/up,workdir=$ov/work"
	make_bundle "$B" ".mounts += [{destination: \"/ovetc\", type: \"bind\", source: \"$ov/merged\", options: [\"rbind\", \"ro\"]}, {destination: \"/ovshadow\", type: \"bind\", source: \"$ov/merged/shadow\", options: [\"bind\", \"ro\"]}]" \
		sh -c "$STATUS; head -1 /ovetc/shadow; head -1 /ovshadow"
	harden_but sensitive-mounts
	run_bundle "$B"
	assert_success
	[ "$(field Seccomp)" = 2 ]
	assert_output --partial "$(shadow_line)"

	run "$OCI_HARDEN" check --no-rootfs-scan "$B"
	assert_failure 1
	assert_output --partial "sensitive-mounts [deny]: /ovetc bind-mounts the host's $ov/merged (an overlay whose lowerdir is the host's /etc) (read-only)"
	assert_output --partial "sensitive-mounts [deny]: /ovshadow bind-mounts the host's $ov/merged/shadow (an overlay whose lowerdir is the host's /etc/shadow) (read-only)"
	run_rt
	assert_failure
	[[ "$stderr" == *"sensitive-mounts"* ]]
	refute_output --partial "$(shadow_line)"
	run no_statmount "$OCI_HARDEN" check --no-rootfs-scan "$B"
	assert_failure 1
	assert_output --partial "/ovshadow bind-mounts the host's $ov/merged/shadow (an overlay whose lowerdir is the host's /etc/shadow)"
}

@test "root.path on an overlay whose lowerdir is the host's / is the host's file system under runc; check and the wrapper refuse it, also without statmount" {
	local ov=$BATS_TEST_TMPDIR/ov
	mkdir -p "$ov/up" "$ov/work"
	mount_at "$ov/merged" -t overlay overlay -o "lowerdir=/,upperdir=$ov/up,workdir=$ov/work"
	make_bundle "$B" ".root.path = \"$ov/merged\" | .mounts |= map(select(.type != \"cgroup\"))" \
		sh -c "$STATUS; head -1 /etc/shadow"
	harden_but sensitive-mounts
	run_bundle "$B"
	assert_success
	[ "$(field NoNewPrivs)" = 1 ]
	[ "$(field Seccomp)" = 2 ]
	assert_output --partial "$(shadow_line)"

	run "$OCI_HARDEN" check --no-rootfs-scan "$B"
	assert_failure 1
	assert_output --partial "sensitive-mounts [deny]: root.path is the host's $ov/merged (an overlay whose lowerdir is the host's /): the container's root file system is the host's"
	run_rt
	assert_failure
	[[ "$stderr" == *"sensitive-mounts"* ]]
	refute_output --partial "$(shadow_line)"
	run no_statmount "$OCI_HARDEN" check --no-rootfs-scan "$B"
	assert_failure 1
	assert_output --partial "root.path is the host's $ov/merged (an overlay whose lowerdir is the host's /)"
	run "$OH_ENOSYS" 457=2 "$OCI_HARDEN" check --no-rootfs-scan "$B"
	assert_failure 1
	assert_output --partial "root.path is the host's $ov/merged (its mount could not be looked up: the mount of $ov/merged: statmount of mount"
}

@test "an overlay rootfs whose layers are the container's own is admitted" {
	local ov=$BATS_TEST_TMPDIR/ov
	mkdir -p "$ov/up" "$ov/work"
	mount_at "$ov/merged" -t overlay overlay -o "lowerdir=$(rootfs),upperdir=$ov/up,workdir=$ov/work"
	make_bundle "$B" ".root.path = \"$ov/merged\""
	run "$OCI_HARDEN" check --no-rootfs-scan "$B"
	refute_output --partial "sensitive-mounts"
	run no_statmount "$OCI_HARDEN" check --no-rootfs-scan "$B"
	refute_output --partial "sensitive-mounts"
}

@test "podman --rootfs /:O reads the host's /etc/shadow; the precreate hook refuses it, also without statmount" {
	command -v podman >/dev/null || skip "podman is not installed"
	local hooks=$PREFIX/share/containers/oci/hooks.d nohooks=$BATS_TEST_TMPDIR/hooks.d
	# The door, without oci-harden: root.path is podman's overlay over /.
	run "${PODMAN[@]}" "${PODMAN_RUN[@]}" --name "$NAME-a" --rootfs /:O head -1 /etc/shadow
	assert_success
	assert_output --partial "$(shadow_line)"

	run -127 "${PODMAN[@]}" --hooks-dir "$hooks" "${PODMAN_RUN[@]}" --name "$NAME-b" --rootfs /:O head -1 /etc/shadow
	assert_failure
	assert_output --partial "rules: sensitive-mounts"
	refute_output --partial "$(shadow_line)"

	# The same precreate hook on a kernel without statmount.
	mkdir -p "$nohooks"
	jq -n --arg e "$OH_ENOSYS" --arg b "$PREFIX/bin/oci-harden" --arg p "$OCI_HARDEN_POLICY" \
		'{version: "1.0.0", hook: {path: $e, args: ["enosys", "457", $b, "hook", "precreate", "--policy", $p]},
		  when: {always: true}, stages: ["precreate"]}' >"$nohooks/50-oh-statmount.json"
	run -127 "${PODMAN[@]}" --hooks-dir "$nohooks" "${PODMAN_RUN[@]}" --name "$NAME-c" --rootfs /:O head -1 /etc/shadow
	assert_failure
	assert_output --partial "sensitive-mounts"
	refute_output --partial "$(shadow_line)"
}

@test "an overlay's lowerdir+= is taken as written, backslash and colon included, as the kernel takes it: a symlink so named to /etc reads /etc/shadow under runc; check and the wrapper refuse it" {
	local d=$BATS_TEST_TMPDIR/ovl
	mkdir -p "$d/up" "$d/work"
	ln -s /etc "$d/x\\:y"
	make_bundle "$B" ".mounts += [{destination: \"/ovl\", type: \"overlay\", source: \"overlay\", options: [\"lowerdir+=$d/x\\\\:y\", \"upperdir=$d/up\", \"workdir=$d/work\"]}]" \
		sh -c "$STATUS; head -1 /ovl/shadow"
	harden_but sensitive-mounts
	run_bundle "$B"
	assert_success
	[ "$(field Seccomp)" = 2 ]
	assert_output --partial "$(shadow_line)"

	run "$OCI_HARDEN" check --no-rootfs-scan "$B"
	assert_failure 1
	assert_output --partial "sensitive-mounts [deny]: /ovl is an overlay whose lowerdir is the host's $d/x\\:y (/etc)"
	run_rt
	assert_failure
	[[ "$stderr" == *"sensitive-mounts"* ]]
	refute_output --partial "$(shadow_line)"
}

@test "an overlay's upperdir with a colon is one directory to the kernel: the container writes where a symlink so named leads; check refuses one leading to /etc" {
	local d=$BATS_TEST_TMPDIR/ovu
	mkdir -p "$d/lower" "$d/decoy" "$d/work"
	ln -s "$d/decoy" "$d/a:b"
	make_bundle "$B" ".mounts += [{destination: \"/ovu\", type: \"overlay\", source: \"overlay\", options: [\"lowerdir=$d/lower\", \"upperdir=$d/a:b\", \"workdir=$d/work\"]}]" \
		sh -c "echo oh-statmount-marker >/ovu/marker"
	harden_but sensitive-mounts
	run_bundle "$B"
	assert_success
	# The kernel took "a:b" whole, through the symlink: the decoy holds the write.
	[ "$(cat "$d/decoy/marker")" = oh-statmount-marker ]
	rm -f "$d/a:b"
	ln -s /etc "$d/a:b"
	run "$OCI_HARDEN" check --no-rootfs-scan "$B"
	assert_failure 1
	assert_output --partial "sensitive-mounts [deny]: /ovu is an overlay whose upperdir is the host's $d/a:b (/etc)"
}

@test "a bind of a bind mount of the host's /dev, or of a device node below one, is judged as the host's /dev: check and the wrapper refuse it" {
	local D=/srv/statmount-d-$$-$BATS_TEST_NUMBER disk
	disk=$(awk '$2 == "/" { print $1 }' /proc/self/mounts | head -1)
	mount_at "$D" --bind /dev
	make_bundle "$B" ".mounts += [{destination: \"/hostdev\", type: \"bind\", source: \"$D\", options: [\"rbind\"]}]"
	# host-devices refuses a directory of a devtmpfs too.
	harden_but sensitive-mounts host-devices
	run "$OCI_HARDEN" check --no-rootfs-scan "$B"
	assert_failure 1
	assert_output --partial "sensitive-mounts [deny]: /hostdev bind-mounts the host's $D (/dev mounted there)"
	run_rt
	assert_failure
	[[ "$stderr" == *"sensitive-mounts"* ]]
	run no_statmount "$OCI_HARDEN" check --no-rootfs-scan "$B"
	assert_failure 1
	assert_output --partial "/hostdev bind-mounts the host's $D (/dev mounted there)"
	# A block device node of the host under that other name.
	[ -b "$disk" ] || skip "no block device for / here"
	rm -rf "$B"
	make_bundle "$B" ".mounts += [{destination: \"/disk\", type: \"bind\", source: \"$D${disk#/dev}\", options: [\"bind\"]}]"
	run "$OCI_HARDEN" check --no-rootfs-scan "$B"
	assert_failure 1
	assert_output --partial "host-devices [deny]: the host's device $D${disk#/dev} ($disk) is bind-mounted into the container"
	run no_statmount "$OCI_HARDEN" check --no-rootfs-scan "$B"
	assert_output --partial "host-devices [deny]: the host's device $D${disk#/dev} ($disk)"
}

@test "an overlay option ending in a backslash joins the next under runc, whose lowerdir /etc reads /etc/shadow; check and the wrapper refuse it" {
	local d=$BATS_TEST_TMPDIR/ovj
	mkdir -p "$d/lower" "$d/a,"
	# runc joins the options with commas: "lowerdir=$d/lower:$d/a\" and
	# ":/etc" are lowerdir=$d/lower:$d/a\,:/etc to the kernel.
	make_bundle "$B" ".mounts += [{destination: \"/ovj\", type: \"overlay\", source: \"overlay\", options: [\"lowerdir=$d/lower:$d/a\\\\\", \":/etc\"]}]" \
		sh -c "$STATUS; head -1 /ovj/shadow"
	harden_but sensitive-mounts
	run_bundle "$B"
	assert_success
	[ "$(field Seccomp)" = 2 ]
	assert_output --partial "$(shadow_line)"

	run "$OCI_HARDEN" check --no-rootfs-scan "$B"
	assert_failure 1
	assert_output --partial "sensitive-mounts [deny]: /ovj is an overlay whose directories cannot be judged: an overlay option ends with a backslash, which joins it with the next"
	run_rt
	assert_failure
	[[ "$stderr" == *"sensitive-mounts"* ]]
	refute_output --partial "$(shadow_line)"
}

@test "an overlay's options longer than a page are cut by the kernel under runc, to a lowerdir /etc that reads /etc/shadow; check and the wrapper refuse them" {
	local d=$BATS_TEST_TMPDIR/ovp opt page
	page=$(getconf PAGESIZE)
	mkdir -p "$d/lower"
	# lowerdir=$d/lower/././...:/etc-not, cut after /etc: mount(2) reads
	# page - 1 bytes of its data.
	opt="lowerdir=$d/lower"
	while [ $((${#opt} + 2 + 5)) -le $((page - 1)) ]; do opt="$opt/."; done
	while [ $((${#opt} + 5)) -lt $((page - 1)) ]; do opt="$opt/"; done
	opt="$opt:/etc"
	[ ${#opt} -eq $((page - 1)) ]
	make_bundle "$B" ".mounts += [{destination: \"/ovp\", type: \"overlay\", source: \"overlay\", options: [\"$opt-not-etc\"]}]" \
		sh -c "$STATUS; head -1 /ovp/shadow"
	harden_but sensitive-mounts
	run_bundle "$B"
	assert_success
	[ "$(field Seccomp)" = 2 ]
	assert_output --partial "$(shadow_line)"

	run "$OCI_HARDEN" check --no-rootfs-scan "$B"
	assert_failure 1
	assert_output --partial "sensitive-mounts [deny]: /ovp is an overlay whose options ($((${#opt} + 8)) bytes) are longer than the kernel reads of mount(2)'s data ($((page - 1)))"
	run_rt
	assert_failure
	[[ "$stderr" == *"sensitive-mounts"* ]]
	refute_output --partial "$(shadow_line)"
}

# in_own_mounts SCRIPT: runs SCRIPT with bash in a mount namespace of the
# test's own, where mounts over the host's paths are seen by nothing else
# and go with it.
in_own_mounts() {
	unshare -m --propagation private bash -euc "$1"
}

@test "a bind of a disk's second mount, at a path shorter than its mount at /var/lib/containers, hands over /var/lib/containers under runc; check and the wrapper refuse it" {
	command -v mkfs.ext4 >/dev/null && command -v unshare >/dev/null ||
		skip "needs mkfs.ext4 and unshare"
	[ -d /var/lib/containers ] || skip "no /var/lib/containers to mount a disk over"
	# Shorter than /var/lib/containers: the bind is not the main mount.
	export K=/tmp/ohk$$ IMG=$BATS_TEST_TMPDIR/disk.img B RT
	mkdir -p "$K"
	MOUNTED=("$K")
	truncate -s 16M "$IMG"
	mkfs.ext4 -q -F "$IMG"
	make_bundle "$B" ".mounts += [{destination: \"/x\", type: \"bind\", source: \"$K\", options: [\"rbind\"]}]" \
		sh -c "$STATUS; cat /x/oh-marker"
	harden_but sensitive-mounts
	run --separate-stderr in_own_mounts '
		mount -o loop "$IMG" /var/lib/containers
		echo oh-statmount-disk >/var/lib/containers/oh-marker
		mount --bind /var/lib/containers "$K"
		runc run --bundle "$B" oh-statmount-$$-a || true
		runc delete -f oh-statmount-$$-a >/dev/null 2>&1 || true
		echo "== check"
		"$OCI_HARDEN" check --no-rootfs-scan "$B" || true
		echo "== wrapper"
		"$RT" run --bundle "$B" oh-statmount-$$-b 2>&1 || echo "refused: $?"
		runc delete -f oh-statmount-$$-b >/dev/null 2>&1 || true'
	assert_success
	# The door: the container reads the disk mounted at /var/lib/containers.
	assert_line "oh-statmount-disk"
	assert_output --partial "Seccomp:	2"
	assert_output --partial "sensitive-mounts [deny]: /x bind-mounts the host's $K (/var/lib/containers mounted there)"
	# The wrapper refuses: after "== wrapper" no marker.
	[[ "${output#*== wrapper}" != *oh-statmount-disk* ]]
	[[ "${output#*== wrapper}" == *sensitive-mounts* ]]
	[[ "${output#*== wrapper}" == *"refused: "* ]]
}

@test "a bind of a proc mounted elsewhere opens the host's core_pattern for writing under runc; check and the wrapper refuse it, as they refuse another mount of cgroup2" {
	command -v unshare >/dev/null || skip "needs unshare"
	export P=$BATS_TEST_TMPDIR/p CG=$BATS_TEST_TMPDIR/cg B RT
	mkdir -p "$P" "$CG"
	# Opened for appending, nothing written: the host's sysctls are
	# writable through /x, not through the container's own /proc.
	make_bundle "$B" ".mounts += [{destination: \"/x\", type: \"bind\", source: \"$P\", options: [\"rbind\"]}]" \
		sh -c "$STATUS; true >>/proc/sys/kernel/core_pattern || echo own-proc-read-only; true >>/x/sys/kernel/core_pattern && echo host-core-pattern-writable"
	harden_but sensitive-mounts
	run --separate-stderr in_own_mounts '
		mount -t proc proc "$P"
		runc run --bundle "$B" oh-statmount-$$-a || true
		runc delete -f oh-statmount-$$-a >/dev/null 2>&1 || true
		echo "== check"
		"$OCI_HARDEN" check --no-rootfs-scan "$B" || true
		echo "== wrapper"
		"$RT" run --bundle "$B" oh-statmount-$$-b 2>&1 || echo "refused: $?"
		runc delete -f oh-statmount-$$-b >/dev/null 2>&1 || true
		echo "== cgroup2"
		if awk '\''$9 == "cgroup2" { f = 1 } END { exit !f }'\'' /proc/self/mountinfo &&
		   mount -t cgroup2 none "$CG"; then
			jq --arg s "$CG" '\''(.mounts[] | select(.destination == "/x") | .source) = $s'\'' "$B/config.json" >"$B/c.json"
			mv "$B/c.json" "$B/config.json"
			"$OCI_HARDEN" check --no-rootfs-scan "$B" || true
		fi'
	assert_success
	assert_line "own-proc-read-only"
	assert_line "host-core-pattern-writable"
	assert_output --partial "Seccomp:	2"
	assert_output --partial "sensitive-mounts [deny]: /x bind-mounts the host's $P (/proc mounted there)"
	local w=${output#*== wrapper}
	w=${w%%== cgroup2*}
	[[ "$w" != *host-core-pattern-writable* ]]
	[[ "$w" == *sensitive-mounts* ]]
	[[ "$w" == *"refused: "* ]]
	local cg=${output#*== cgroup2}
	[ -z "${cg//[[:space:]]/}" ] || [[ "$cg" == *"sensitive-mounts [deny]: /x bind-mounts the host's $CG (/sys/fs/cgroup"* ]]
}

@test "a block device below a bind of /dev is refused by host-devices whatever the bind's name, and with sensitive-mounts off" {
	local D=/srv/statmount-devnodes-$$-$BATS_TEST_NUMBER disk pol=$BATS_TEST_TMPDIR/pol.json
	disk=$(awk '$2 == "/" { print $1 }' /proc/self/mounts | head -1)
	[ -b "$disk" ] || skip "no block device for / here"
	mount_at "$D" --bind /dev
	make_bundle "$B" ".mounts += [{destination: \"/disk\", type: \"bind\", source: \"$D${disk#/dev}\", options: [\"bind\"]}]"
	run "$OCI_HARDEN" check --no-rootfs-scan "$B"
	assert_failure 1
	assert_output --partial "host-devices [deny]: the host's device $D${disk#/dev} ($disk) is bind-mounted into the container"
	jq -n '{version: 1, rules: {"sensitive-mounts": "off"}}' >"$pol"
	run "$OCI_HARDEN" check --policy "$pol" --no-rootfs-scan "$B"
	assert_failure 1
	assert_output --partial "host-devices [deny]: the host's device $D${disk#/dev} ($disk) is bind-mounted into the container"
	run no_statmount "$OCI_HARDEN" check --policy "$pol" --no-rootfs-scan "$B"
	assert_output --partial "host-devices [deny]: the host's device $D${disk#/dev} ($disk)"
}
