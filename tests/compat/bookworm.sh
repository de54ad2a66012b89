#!/bin/bash
# Compatibility: real programs from a Debian bookworm minbase rootfs run
# under the config `oci-harden fix` writes (default policy, bundled
# default.json filter, podman's default capabilities): perl, tar and gzip, sort --parallel (threads), dpkg -l,
# getent, id, date, and glibc's pthread_create.
#
#   OCI_HARDEN=build/oci-harden tests/compat/bookworm.sh
#
# The rootfs is built once with `debootstrap --variant=minbase bookworm`
# (about a minute) and kept in $OH_BOOKWORM_ROOTFS (default
# /var/tmp/oh-bookworm); the run itself takes a few seconds.  Exit status:
# 0 passed, 1 failed, 77 skipped (not root, no runc, or no rootfs and
# debootstrap could not build one).  OH_COMPAT_PROFILE=FILE runs it under
# another docker-format profile (e.g. seccomp-profiles/strict.json).
set -euo pipefail

SKIP=77
ROOTFS=${OH_BOOKWORM_ROOTFS:-/var/tmp/oh-bookworm}
OCI_HARDEN=${OCI_HARDEN:?set OCI_HARDEN to the oci-harden binary}

skip() {
	echo "SKIP: $*"
	exit $SKIP
}

[ "$(id -u)" = 0 ] || skip "needs root for runc and debootstrap"
command -v runc >/dev/null || skip "runc is not installed"
command -v jq >/dev/null || skip "jq is not installed"

# perl-base's perl and dpkg's status file show a finished minbase rootfs.
if [ ! -x "$ROOTFS/usr/bin/perl" ] || [ ! -s "$ROOTFS/var/lib/dpkg/status" ]; then
	command -v debootstrap >/dev/null || skip "no rootfs at $ROOTFS and debootstrap is not installed"
	echo "building $ROOTFS with debootstrap (about a minute)"
	# Built aside and renamed, so a concurrent or interrupted build never
	# leaves a half-made rootfs where the next run would use it.
	tmp="$ROOTFS.tmp.$$"
	rm -rf "$tmp"
	if ! debootstrap --variant=minbase bookworm "$tmp" ${OH_DEBIAN_MIRROR:-} >"$tmp.log" 2>&1; then
		tail -5 "$tmp.log" || true
		rm -rf "$tmp" "$tmp.log"
		skip "debootstrap could not build a bookworm rootfs (no network or mirror?)"
	fi
	rm -f "$tmp.log"
	if [ -e "$ROOTFS" ]; then rm -rf "$tmp"; else mv "$tmp" "$ROOTFS"; fi
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The workload: each step checks its own result; the first that fails
# stops the run, so "all ok" means every program worked.
cat >"$work/workload.sh" <<'EOF'
cd /tmp/oh || exit 1
check() {
	if "$2"; then echo "ok $1"; else echo "FAILED $1"; exit 1; fi
}
filter() { grep -q '^Seccomp:[[:space:]]*2' /proc/self/status; }
nnp() { grep -q '^NoNewPrivs:[[:space:]]*1' /proc/self/status; }
perl_hash() { [ "$(perl -e 'my %h = map { $_ => length } qw(a bb ccc); print join(",", map { "$_=$h{$_}" } sort keys %h)')" = "a=1,bb=2,ccc=3" ]; }
perl_dir() { perl -e 'opendir(my $d, "/etc") or die; my @e = grep { !/^\./ } readdir $d; exit(@e > 10 ? 0 : 1)'; }
tar_gzip() { tar -czf etc.tgz -C / etc && gzip -t etc.tgz && [ "$(tar -tzf etc.tgz | grep -c '^etc/passwd$')" = 1 ]; }
tar_extract() { mkdir x && tar -xzf etc.tgz -C x && cmp x/etc/passwd /etc/passwd && [ "$(stat -c %G x/etc/shadow)" = shadow ]; }
sort_parallel() { [ "$(seq 1 400000 | shuf | sort -n --parallel=4 -S 16M | tail -n 1)" = 400000 ]; }
xargs_parallel() { [ "$(seq 1 64 | xargs -P 8 -n 1 sh -c 'echo $(( $0 * 2 ))' | sort -n | tail -n 1)" = 128 ]; }
dpkg_l() { [ "$(dpkg -l | grep -c '^ii')" -gt 50 ] && dpkg -l | grep -q '^ii  coreutils'; }
getent_() { [ "$(getent passwd root | cut -d: -f1,3,6)" = "root:0:/root" ] && getent group root >/dev/null; }
id_() { [ "$(id -u)" = 0 ] && id -Gn >/dev/null; }
date_() { [ "$(date -u -d @0 +%F)" = 1970-01-01 ] && [ "$(date +%Y)" -ge 2024 ]; }
sha() { sha256sum /etc/passwd | grep -q ' /etc/passwd$'; }
apt_() { apt-cache policy >/dev/null; }
threads() { [ "$(/tmp/oh/probe pthread clone_thread fork | grep -vc ' 0$')" = 0 ]; }
check seccomp-filter-active filter
check no-new-privileges nnp
check perl perl_hash
check perl-readdir perl_dir
check tar-gzip tar_gzip
check tar-extract-chown tar_extract
check sort-parallel sort_parallel
check xargs-parallel xargs_parallel
check dpkg-l dpkg_l
check getent getent_
check id id_
check date date_
check sha256sum sha
check apt-cache apt_
[ ! -x /tmp/oh/probe ] || check threads threads
echo "all ok"
EOF

mkdir -p "$work/bundle"
(cd "$work/bundle" && runc spec)
# Mounted under the /tmp tmpfs, so runc creates no mount points in the
# cached rootfs.
# podman's default capabilities, all of which the default policy allows.
CAPS='["CAP_CHOWN","CAP_DAC_OVERRIDE","CAP_FOWNER","CAP_FSETID","CAP_KILL",
"CAP_NET_BIND_SERVICE","CAP_SETFCAP","CAP_SETGID","CAP_SETPCAP","CAP_SETUID","CAP_SYS_CHROOT"]'
jq --argjson caps "$CAPS" --arg root "$ROOTFS" --arg script "$work/workload.sh" --arg probe "${OH_PROBE:-}" '
	.root = {path: $root, readonly: true}
	| .process.terminal = false
	| .process.args = ["/bin/sh", "/tmp/oh/workload.sh"]
	| .process.env += ["LC_ALL=C"]
	| .process.capabilities = ($caps | {bounding: ., effective: ., permitted: .})
	| .mounts += [
		{destination: "/tmp", type: "tmpfs", source: "tmpfs", options: ["nosuid", "nodev", "size=256m"]},
		{destination: "/tmp/oh/workload.sh", type: "bind", source: $script, options: ["bind", "ro"]}]
	| if $probe != "" then .mounts += [
		{destination: "/tmp/oh/probe", type: "bind", source: $probe, options: ["bind", "ro"]}] else . end' \
	"$work/bundle/config.json" >"$work/config.json"
mv "$work/config.json" "$work/bundle/config.json"

"$OCI_HARDEN" fix --in-place ${OH_COMPAT_PROFILE:+--seccomp-profile "$OH_COMPAT_PROFILE"} "$work/bundle" >"$work/fix.log" 2>&1 || { cat "$work/fix.log"; exit 1; }
jq -e '.linux.seccomp.defaultAction == "SCMP_ACT_ERRNO" and .process.noNewPrivileges == true' \
	"$work/bundle/config.json" >/dev/null

start=$(date +%s)
id="oh-compat-$$"
status=0
runc run --bundle "$work/bundle" "$id" >"$work/out" 2>&1 || status=$?
runc delete -f "$id" >/dev/null 2>&1 || true
cat "$work/out"
echo "workload took $(($(date +%s) - start)) s under the fixed config"
if [ "$status" != 0 ] || ! grep -qx "all ok" "$work/out"; then
	echo "FAIL: the workload did not finish under the fixed config (status $status)"
	exit 1
fi
echo "PASS"
