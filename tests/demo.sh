#!/bin/bash
# The demo: builds oci-harden, then takes a container config as careless as
# many are (no no-new-privileges, extra capabilities, no seccomp), shows what
# the kernel gives a container started from it, checks it, fixes it and
# starts it again.  Finally a --privileged-style config is refused.
# Run as root on Debian 12: it installs packages and starts runc containers.
set -euo pipefail
cd "$(dirname "$0")/.."
SRC=$PWD

sh .ci/install-deps
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
OH=$SRC/build/oci-harden

work=$(mktemp -d /tmp/oci-harden-demo.XXXXXX)
trap 'rm -rf "$work"' EXIT
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

# A bundle over a busybox-static rootfs.
mkdir -p "$work/rootfs"/{bin,proc,sys,dev,tmp}
cp /bin/busybox "$work/rootfs/bin/"
for a in $(/bin/busybox --list); do [ "$a" = busybox ] || ln -s busybox "$work/rootfs/bin/$a"; done
B=$work/bundle
mkdir -p "$B"
(cd "$B" && runc spec)
show='echo "uid $(id -u)"; grep -E "^(NoNewPrivs|Seccomp|CapBnd|CapEff):" /proc/self/status; unshare -U true 2>/dev/null && echo "unshare: allowed" || echo "unshare: blocked"'
jq --arg root "$work/rootfs" --arg show "$show" '
	.root.path = $root | .process.terminal = false |
	.process.args = ["sh", "-c", $show] |
	.process.noNewPrivileges = false |
	.process.capabilities |= with_entries(.value += ["CAP_SYS_ADMIN", "CAP_NET_RAW"])' \
	"$B/config.json" >"$B/config.new" && mv "$B/config.new" "$B/config.json"

run() { runc run --bundle "$B" "oci-harden-demo-$$" || true; runc delete -f "oci-harden-demo-$$" >/dev/null 2>&1 || true; }

say "The kernel's view of a container started from the careless config"
run

say "oci-harden check $B"
"$OH" check "$B" || echo "(exit status $?)"

say "oci-harden fix --in-place $B"
"$OH" fix --in-place "$B" && echo "(exit status 0)"

say "oci-harden check $B, again"
"$OH" check "$B" && echo "(exit status 0)"

say "The kernel's view after the fix"
run

say "A config with --privileged's capabilities is refused, and left as it was"
jq '.process.capabilities = (input.process.capabilities)' "$B/config.json" \
	"$SRC/tests/fixtures/podman/privileged.json" >"$work/privileged.json"
sum=$(sha256sum <"$work/privileged.json")
"$OH" fix --in-place "$work/privileged.json" 2>&1 | grep -E 'cap-all|denied' || true
[ "$(sha256sum <"$work/privileged.json")" = "$sum" ] && echo "(file unchanged)"

say "podman with the oci-harden hooks (installed into a scratch prefix)"
cmake --install build --prefix "$work/prefix" >/dev/null
cp -a "$work/rootfs" "$work/podman-rootfs"
podman_run() {
	podman --cgroup-manager cgroupfs --runtime runc \
		--hooks-dir "$work/prefix/share/containers/oci/hooks.d" \
		run --rm --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 "$@" \
		--rootfs "$work/podman-rootfs" sh -c "$show"
}
echo "\$ podman run ... --cap-add=sys_admin"
podman_run --cap-add=sys_admin || true
echo "\$ podman run ... --privileged"
podman_run --privileged 2>&1 || true
