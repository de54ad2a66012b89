#!/bin/bash
# What the runtime wrapper costs under a real engine: `docker run --rm
# IMAGE true` with oci-harden-runtime as Docker's runtime against runc
# alone, interleaved (bench/harness.c), on a private containerd and
# dockerd (tests/integration/engines.bash); and a pass-through command
# (`list`) through the wrapper against runc, with the system calls the
# wrapper makes before it executes runc.
#
#   bench/engines.sh PREFIX     e.g. after cmake --install build --prefix /tmp/p
#
# Run as root.  OH_BENCH_RUNS=N rounds (default 100).  Markdown to stdout.
set -euo pipefail

[ $# = 1 ] || { sed -n '2,10p' "$0" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "bench/engines.sh: run as root" >&2; exit 2; }
SRC=$(cd "$(dirname "$0")/.." && pwd)
PREFIX=$(realpath "$1")
RUNS=${OH_BENCH_RUNS:-100}
W=$(mktemp -d /var/tmp/oh-bench-engines.XXXXXX)
cc -O2 -Wall -Wextra -std=c11 -D_GNU_SOURCE -o "$W/oh-bench" "$SRC/bench/harness.c"

# engines.bash's helpers outside bats
BATS_ROOT_PID=bench$$
BATS_FILE_TMPDIR=$W
skip() { echo "bench/engines.sh: $*" >&2; exit 1; }
rootfs() {
	local dir=$W/rootfs a
	if [ ! -x "$dir/bin/busybox" ]; then
		mkdir -p "$dir"/{bin,proc,sys,dev,tmp,etc,root}
		cp /bin/busybox "$dir/bin/busybox"
		for a in $(/bin/busybox --list); do [ "$a" = busybox ] || ln -sf busybox "$dir/bin/$a"; done
		echo 'root:x:0:0:root:/root:/bin/sh' >"$dir/etc/passwd"
	fi
	echo "$dir"
}
# shellcheck source=../tests/integration/engines.bash
source "$SRC/tests/integration/engines.bash"
export OCI_HARDEN_POLICY=$PREFIX/etc/oci-harden/policy.json
OCI_HARDEN_RUNTIME=$(command -v runc)
export OCI_HARDEN_RUNTIME
export ENGINES_WRAPPER=$PREFIX/bin/oci-harden-runtime
trap engines_stop EXIT
engines_start docker 3>/dev/null
engines_image
D="${DOCKER[*]}"

echo "## oci-harden-runtime under Docker 20.10 ($RUNS interleaved rounds)"
echo
"$W/oh-bench" -r "$RUNS" -w 5 \
	"docker-run-runc=$D run --rm --network none --runtime runc $IMAGE true" \
	"docker-run-wrapper=$D run --rm --network none --runtime oh-harden $IMAGE true" \
	>"$W/docker.tsv"
mkdir -p "$W/root"
"$W/oh-bench" -r $((RUNS * 10)) -w 20 \
	"list-runc=$OCI_HARDEN_RUNTIME --root $W/root list" \
	"list-wrapper=$ENGINES_WRAPPER --root $W/root list" >"$W/list.tsv"
echo "| command | median ms | p25-p75 ms | x runc | cpu ms | exit |"
echo "|---|---:|---:|---:|---:|---:|"
for f in docker list; do
	base=$(awk 'NR == 1 { print $3 }' "$W/$f.tsv")
	awk -F'\t' -v b="$base" '{ printf "| %s | %.1f | %.1f-%.1f | %.3f | %.1f | %s |\n", $1, $3, $4, $5, $3 / b, $7, $9 }' "$W/$f.tsv"
done
echo
if command -v strace >/dev/null; then
	strace -f -qq -e trace=execve,openat -o "$W/strace" "$ENGINES_WRAPPER" --root "$W/root" list >/dev/null
	n_exec=$(grep -c 'execve(' "$W/strace")
	before=$(awk '/execve\(.*runc/ { exit } { print }' "$W/strace" | grep -c 'openat(' || true)
	libs=$(awk '/execve\(.*runc/ { exit } { print }' "$W/strace" | grep 'openat(' | grep -vc '\.so' || true)
	echo "Pass-through \`list\` through the wrapper: $n_exec execve calls (the wrapper, runc);"
	echo "$before openat calls before runc starts, $libs of them not shared libraries."
fi
