#!/bin/bash
# What telling runc from crun costs the wrapper on every call: a
# pass-through command (`list`, which the wrapper hands to runc after it
# read the policy and knows the runtime's dialect) through the wrapper,
# interleaved (bench/harness.c) against runc alone:
#
#   baseline   BASELINE's wrapper, which takes the dialect from the name
#   cached     BINARY's, the probe's answer in the cache (every start but
#              the first after an install or upgrade)
#   uncached   BINARY's with a cache it cannot trust, so `runc --version`
#              runs every time (a wrapper that is not root, or the first
#              start)
#
#   bench/dialect.sh BINARY [BASELINE]     e.g. bench/dialect.sh build/oci-harden /tmp/old/oci-harden
#
# Run as root.  OH_BENCH_RUNS=N rounds (default 400).  Markdown to stdout.
set -euo pipefail

[ $# -ge 1 ] && [ $# -le 2 ] || { sed -n '2,16p' "$0" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "bench/dialect.sh: run as root" >&2; exit 2; }
SRC=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${OH_BENCH_RUNS:-400}
W=$(mktemp -d /var/tmp/oh-bench-dialect.XXXXXX)
trap 'rm -rf "$W"' EXIT
cc -O2 -Wall -Wextra -std=c11 -D_GNU_SOURCE -o "$W/oh-bench" "$SRC/bench/harness.c"
mkdir -p "$W/new" "$W/old" "$W/root" "$W/cache" "$W/open"
ln -s "$(realpath "$1")" "$W/new/oci-harden-runtime"
[ $# = 1 ] || ln -s "$(realpath "$2")" "$W/old/oci-harden-runtime"
chmod 755 "$W/cache"
chmod 777 "$W/open"   # writable by all: never read, never written
export OCI_HARDEN_POLICY=$SRC/policy/default.json
RUNC=$(command -v runc)
export OCI_HARDEN_RUNTIME=$RUNC
# fill the cache once
OCI_HARDEN_CACHE_DIR=$W/cache "$W/new/oci-harden-runtime" --root "$W/root" list >/dev/null

cmds=("runc=/usr/bin/env OCI_HARDEN_CACHE_DIR=$W/cache $RUNC --root $W/root list")
[ $# = 1 ] || cmds+=("baseline=/usr/bin/env OCI_HARDEN_CACHE_DIR=$W/cache $W/old/oci-harden-runtime --root $W/root list")
cmds+=("cached=/usr/bin/env OCI_HARDEN_CACHE_DIR=$W/cache $W/new/oci-harden-runtime --root $W/root list"
	"uncached=/usr/bin/env OCI_HARDEN_CACHE_DIR=$W/open $W/new/oci-harden-runtime --root $W/root list")
"$W/oh-bench" -r "$RUNS" -w 20 "${cmds[@]}" >"$W/t.tsv"

echo "## The wrapper's dialect probe and its cache ($RUNS interleaved rounds, \`list\` passed through)"
echo
echo "| command | median ms | p25-p75 ms | - runc ms | cpu ms | exit |"
echo "|---|---:|---:|---:|---:|---:|"
awk -F'\t' 'NR == 1 { base = $3 }
	{ printf "| %s | %.2f | %.2f-%.2f | %+.2f | %.2f | %s |\n", $1, $3, $4, $5, $3 - base, $7, $9 }' "$W/t.tsv"
