#!/bin/sh
# Puts oci-harden in place on the node whose root is mounted at $OH_HOST_ROOT:
# copies the binary and the policy, then runs `oci-harden setup` for the
# node's runtime.  Restarts the runtime only when OH_RESTART=true.
#
#   OH_HOST_ROOT   the node's root, mounted (default /host)
#   OH_PREFIX      where on the node (default /opt/oci-harden): the binary
#                  in PREFIX/bin, the policy in PREFIX/etc/oci-harden
#   OH_ENGINE      containerd, crio, or auto (default): found on the node
#   OH_POLICY      the policy to install (default: the ConfigMap's, else the
#                  bundled one)
#   OH_BINARY      the oci-harden to install (default /usr/bin/oci-harden)
#   OH_DRY_RUN     true: print what setup would change, change nothing
#   OH_UNDO        true: undo what setup changed (the binary stays)
#   OH_RESTART     true: restart the runtime after a change (systemctl in
#                  the node's root); default false: say what to restart
set -eu

host=${OH_HOST_ROOT:-/host}
prefix=${OH_PREFIX:-/opt/oci-harden}
engine=${OH_ENGINE:-auto}
binary=${OH_BINARY:-/usr/bin/oci-harden}
policy=${OH_POLICY:-/etc/oci-harden-config/policy.json}
[ -f "$policy" ] || policy=/usr/share/oci-harden/policy.json

say() { echo "oci-harden-node-setup: $*"; }
die() { say "$*" >&2; exit 2; }

[ -d "$host/etc" ] || die "$host does not look like the node's root (no $host/etc)"

# The node's runtime: a socket says what runs, a config what is installed.
if [ "$engine" = auto ]; then
	found=
	for s in run/containerd/containerd.sock:containerd run/crio/crio.sock:crio \
		 var/run/crio/crio.sock:crio; do
		[ -S "$host/${s%%:*}" ] && found="$found ${s##*:}"
	done
	if [ -z "$found" ]; then
		[ -f "$host/etc/containerd/config.toml" ] && found="$found containerd"
		{ [ -f "$host/etc/crio/crio.conf" ] || [ -d "$host/etc/crio/crio.conf.d" ]; } &&
			found="$found crio"
	fi
	# shellcheck disable=SC2086
	set -- $(printf '%s\n' $found | sort -u)
	[ $# -eq 1 ] || die "cannot tell the node's runtime (found: ${*:-none}); set OH_ENGINE"
	engine=$1
fi
case $engine in
containerd | crio) ;;
*) die "OH_ENGINE must be containerd, crio or auto, not $engine" ;;
esac
say "node runtime: $engine"

if [ "${OH_UNDO:-false}" = true ]; then
	exec "$binary" setup --engine "$engine" --root "$host" --undo
fi
if [ "${OH_DRY_RUN:-false}" = true ]; then
	exec "$binary" setup --engine "$engine" --root "$host" \
		--binary "$prefix/bin/oci-harden" --dry-run
fi

# A policy the binary refuses must not reach the node.
"$binary" rules --policy "$policy" >/dev/null || die "the policy $policy is invalid"

# Binary and policy replaced by rename: a container starting meanwhile
# runs the old file or the new one, never half of one.
mkdir -p "$host$prefix/bin" "$host$prefix/etc/oci-harden"
cp "$binary" "$host$prefix/bin/.oci-harden.new"
chmod 0755 "$host$prefix/bin/.oci-harden.new"
mv -f "$host$prefix/bin/.oci-harden.new" "$host$prefix/bin/oci-harden"
ln -sfn oci-harden "$host$prefix/bin/oci-harden-runtime"
# The wrapper as runc, first in containerd's PATH (setup's systemd drop-in):
# what the runc shim runs for clients outside CRI.
mkdir -p "$host$prefix/libexec/oci-harden/runc-path"
ln -sfn ../../../bin/oci-harden "$host$prefix/libexec/oci-harden/runc-path/runc"
cp "$policy" "$host$prefix/etc/oci-harden/.policy.json.new"
chmod 0644 "$host$prefix/etc/oci-harden/.policy.json.new"
mv -f "$host$prefix/etc/oci-harden/.policy.json.new" "$host$prefix/etc/oci-harden/policy.json"
say "installed $prefix/bin/oci-harden and $prefix/etc/oci-harden/policy.json"

out=$("$binary" setup --engine "$engine" --root "$host" --binary "$prefix/bin/oci-harden")
printf '%s\n' "$out"
case $out in
*"nothing to change"*) exit 0 ;;
esac
if [ "${OH_RESTART:-false}" = true ]; then
	unit=$engine
	say "restarting $unit"
	# systemctl refuses to act from a chroot unless told the chroot is the
	# host itself (the node's / bind-mounted): SYSTEMD_IGNORE_CHROOT.
	# daemon-reload first: setup may have written a unit drop-in
	# (containerd's PATH).
	chroot "$host" env SYSTEMD_IGNORE_CHROOT=1 systemctl daemon-reload
	chroot "$host" env SYSTEMD_IGNORE_CHROOT=1 systemctl restart "$unit"
else
	say "not restarting $engine (OH_RESTART=true does): new containers are hardened after a restart"
fi
