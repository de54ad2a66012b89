#!/bin/bash
# Profile surface: how much of the kernel each profile opens, counted the
# same way for every profile from the filter a container with podman's
# default capabilities gets (the translated linux.seccomp object):
#
#   unconditional  calls allowed whatever their arguments
#   filtered       calls allowed only for some arguments (and not above)
#   EPERM          calls refused with an explicit EPERM entry
#   gated          calls the docker-format profile allows only with a
#                  capability the container does not hold
#
#   bench/profile-surface.sh BINARY     (Markdown table on stdout)
#
# Docker's default profile is built into dockerd: its row is counted from
# the config a default `docker run` got (tests/fixtures/docker/config.json),
# which has no capability-gated entries left to count.
set -euo pipefail
BIN=$(realpath "$1")
SRC=$(cd "$(dirname "$0")/.." && pwd)
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT

count() {   # OCI-SECCOMP-FILE DOCKER-PROFILE-OR-EMPTY
	jq -r --slurpfile src "${2:-/dev/null}" '
		def names(f): [.syscalls[]? | select(f) | .names[]] | unique;
		names(.action == "SCMP_ACT_ALLOW" and ((.args // []) | length) == 0) as $u |
		(names(.action == "SCMP_ACT_ALLOW" and ((.args // []) | length) > 0) - $u) as $f |
		names(.action == "SCMP_ACT_ERRNO" and .errnoRet == 1) as $e |
		(if ($src | length) > 0 then
			[$src[0].syscalls[] | select(.action == "SCMP_ACT_ALLOW" and .includes.caps != null) | .names[]?]
			| unique - $u - $f | length | tostring
		 else "n/a" end) as $g |
		"\($u | length) | \($f | length) | \($e | length) | \($g)"' "$1"
}

make_config() {   # PROFILE -> $W/out.json's linux.seccomp in $W/sc.json
	jq --slurpfile p "$SRC/tests/fixtures/podman/default.json" 'del(.linux.seccomp)
		| .process.capabilities = $p[0].process.capabilities' "$SRC/tests/fixtures/runc/spec.json" >"$W/in.json"
	"$BIN" fix --seccomp-profile "$1" -o "$W/out.json" "$W/in.json" 2>/dev/null
	jq .linux.seccomp "$W/out.json" >"$W/sc.json"
}

echo "| profile | unconditional | filtered | EPERM | gated |"
echo "|---|---:|---:|---:|---:|"
for p in default strict; do
	make_config "$p"
	echo "| oci-harden $p | $(count "$W/sc.json" "$SRC/seccomp-profiles/$p.json") |"
done
if [ -f /usr/share/containers/seccomp.json ]; then
	make_config /usr/share/containers/seccomp.json
	echo "| containers-common (podman) | $(count "$W/sc.json" /usr/share/containers/seccomp.json) |"
fi
jq .linux.seccomp "$SRC/tests/fixtures/docker/config.json" >"$W/sc.json"
echo "| Docker 20.10's default (as a default docker run got it) | $(count "$W/sc.json" "") |"
