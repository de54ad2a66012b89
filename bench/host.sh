#!/bin/bash
# The cost of `oci-harden host` on a host with N running runc containers
# (default 50), each a busybox `sleep` in its own network namespace, half
# of them also listening with `nc -l` so the report has sockets to
# attribute in every second namespace.
#
#   bench/host.sh BINARY [N]        e.g. bench/host.sh build/oci-harden 50
#
# Run as root.  Containers are named oh-host-bench-$$-I and deleted at the
# end (also on failure).  The report is run OH_BENCH_RUNS times (default
# 20) in each format; min, median and max wall time go to stdout as a
# markdown table, with the counts the report saw.
set -euo pipefail

[ $# -ge 1 ] && [ $# -le 2 ] || { sed -n '2,12p' "$0" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "bench/host.sh: run as root (runc)" >&2; exit 2; }
BIN=$(realpath "$1")
N=${2:-50}
RUNS=${OH_BENCH_RUNS:-20}
W=$(mktemp -d /var/tmp/oh-host-bench.XXXXXX)
PREFIX="oh-host-bench-$$"
IDS=()

cleanup() {
	local id
	for id in "${IDS[@]}"; do
		runc delete -f "$id" >/dev/null 2>&1 || true
	done
	rm -rf "$W"
}
[ "${OH_BENCH_KEEP:-0}" = 1 ] || trap cleanup EXIT

# One busybox rootfs, read-only, shared by every container.
mkdir -p "$W/rootfs"/{bin,proc,sys,dev,tmp,etc}
cp "$(command -v busybox)" "$W/rootfs/bin/busybox"
for a in sh sleep nc; do ln -s busybox "$W/rootfs/bin/$a"; done

bundle() {
	local dir=$W/$1
	mkdir -p "$dir"
	(cd "$dir" && runc spec)
	jq --arg root "$W/rootfs" --argjson args "$2" \
		'.root.path = $root | .root.readonly = true | .process.terminal = false | .process.args = $args' \
		"$dir/config.json" >"$dir/c" && mv "$dir/c" "$dir/config.json"
}
bundle sleep '["sleep", "3600"]'
bundle listen '["nc", "-l", "-p", "8080"]'

start=$(date +%s.%N)
for i in $(seq "$N"); do
	id="$PREFIX-$i"
	b=sleep
	[ $((i % 2)) = 0 ] && b=listen
	runc run -d --bundle "$W/$b" "$id" </dev/null >/dev/null 2>&1
	IDS+=("$id")
done
started=$(date +%s.%N)
sleep 1   # nc needs a moment after exec to listen

# wall time of one run, in milliseconds
once() {
	local t0 t1
	t0=$(date +%s%N)
	"$BIN" host --format "$1" >/dev/null 2>&1 || [ $? -le 1 ]
	t1=$(date +%s%N)
	echo $(((t1 - t0) / 1000))
}

report=$("$BIN" host --format json 2>/dev/null || true)
ours=$(jq --arg p "$PREFIX-" '[.containers[] | select(.id | startswith($p))] | length' <<<"$report")
listening=$(jq --arg p "$PREFIX-" '[.listeners[] | select((.container // "") | startswith($p))] | length' <<<"$report")

printf '%d runc containers started in %.1f s; the report saw %s containers (%s of ours), %s network namespaces, %s listeners (%s in ours)\n\n' \
	"$N" "$(echo "$started - $start" | bc)" "$(jq '.containers | length' <<<"$report")" "$ours" \
	"$(jq .namespaces <<<"$report")" "$(jq '.listeners | length' <<<"$report")" "$listening"
echo "| format | runs | min ms | median ms | max ms |"
echo "|---|---|---|---|---|"
for fmt in text json sarif; do
	for r in $(seq "$RUNS"); do once "$fmt"; done | sort -n >"$W/t"
	awk -v f="$fmt" '{ v[NR] = $1 } END {
		printf "| %s | %d | %.1f | %.1f | %.1f |\n", f, NR, v[1] / 1000, v[int((NR + 1) / 2)] / 1000, v[NR] / 1000 }' "$W/t"
done
