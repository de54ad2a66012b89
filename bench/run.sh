#!/bin/bash
# The hook's cost per container start, side by side with the floor (cat:
# one process reading the input) and with the jq rewrite admins write
# instead; runc start overhead; scaling to 50 MiB configs; the rootfs scan.
#
#   bench/run.sh BINARY [BASELINE]        e.g. bench/run.sh build/oci-harden
#
# Run as root (it installs packages and starts runc containers), after
# building (cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo && cmake
# --build build).  BASELINE, an older oci-harden binary, is timed
# interleaved with BINARY where it matters, for before/after numbers.
# A binary in a build tree reads the source tree's policy; the bundled
# profiles are built into the binary.
#
# Timings come from bench/harness.c: every round runs each command once,
# in a new random order, so load from other work lands on all of them
# alike; medians are reported.  precreate runs with the binary's default
# policy (a build tree's is policy/default.json), createRuntime and the
# hook in the runc bundle with --policy policy/default.json.  Instruction counts (callgrind) do not depend on
# load at all.  Markdown goes to stdout and to $OH_BENCH_OUT.
#
#   OH_BENCH_RUNS=N    rounds for the small-input group (default 400)
#   OH_BENCH_QUICK=1   a tenth of the rounds everywhere (a smoke test)
#   OH_BENCH_DIR=DIR   work directory (default: a new one under /var/tmp)
#   OH_BENCH_OUT=FILE  where the markdown goes too (default: DIR/results.md)
set -euo pipefail

[ $# -ge 1 ] && [ $# -le 2 ] || { sed -n '2,9p' "$0" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "bench/run.sh: run as root (runc, apt-get)" >&2; exit 2; }
SRC=$(cd "$(dirname "$0")/.." && pwd)
BIN=$(realpath "$1")
BASE=${2:+$(realpath "$2")}
W=${OH_BENCH_DIR:-$(mktemp -d /var/tmp/oh-bench.XXXXXX)}
mkdir -p "$W"
OUT=${OH_BENCH_OUT:-$W/results.md}
RUNS=${OH_BENCH_RUNS:-400}
SCALE=1
[ "${OH_BENCH_QUICK:-0}" = 1 ] && SCALE=10
runs() { local n=$(($1 / SCALE)); echo $((n < 3 ? 3 : n)); }

# ------------------------------------------------------------ dependencies
need=()
for dep in hyperfine:hyperfine jq:jq /usr/bin/time:time valgrind:valgrind \
	runc:runc /bin/busybox:busybox-static cc:gcc; do
	cmd=${dep%%:*}
	command -v "$cmd" >/dev/null 2>&1 || [ -x "$cmd" ] || need+=("${dep#*:}")
done
if [ ${#need[@]} -gt 0 ]; then
	apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
cc -O2 -Wall -Wextra -std=c11 -D_GNU_SOURCE -o "$W/oh-bench" "$SRC/bench/harness.c"

exec > >(tee "$OUT")

POLICY=$SRC/policy/default.json
PROFILE=$SRC/seccomp-profiles/default.json
DEFAULT=$SRC/tests/fixtures/podman/default.json
UNCONFINED=$SRC/tests/fixtures/podman/seccomp-unconfined.json
JQ="jq -c --slurpfile profile $PROFILE -f $SRC/bench/rewrite.jq"

# --------------------------------------------------------------- helpers

# table REF: the harness's lines on stdin as a markdown table, with each
# median as a ratio to the median of the command named REF.
table() {
	awk -F'\t' -v ref="$1" '
	{ line[NR] = $0; name[NR] = $1; med[NR] = $3; if ($1 == ref) r = $3 }
	END {
		print "| command | median ms | p25-p75 ms | x " ref " | cpu ms | peak RSS KiB | exit |"
		print "|---|---:|---:|---:|---:|---:|---:|"
		for (i = 1; i <= NR; i++) {
			split(line[i], f, "\t")
			printf "| %s | %.3f | %.3f-%.3f | %.2f | %.3f | %d | %d |\n",
				f[1], f[3], f[4], f[5], r ? f[3] / r : 0, f[7], f[8], f[9]
		}
	}'
}

# median NAME: the median of NAME in the harness output file $2.
median() { awk -F'\t' -v n="$1" '$1 == n { print $3 }' "$2"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

# instructions CMD... <INPUT: instructions executed (callgrind, whole process).
instructions() {
	valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null |
		awk '/Collected :/ { print $NF }'
}

# A bundle over a busybox rootfs running `true`, fixed to pass the policy.
make_bundle() {
	local dir=$1 rootfs=$2
	mkdir -p "$dir"
	rm -f "$dir/config.json"
	(cd "$dir" && runc spec)
	jq --arg root "$rootfs" '.root.path = $root | .process.terminal = false
		| .process.args = ["true"]' "$dir/config.json" >"$dir/config.json.new"
	mv "$dir/config.json.new" "$dir/config.json"
	"$BIN" fix --policy "$POLICY" --in-place "$dir" >/dev/null
}

state() { # state BUNDLE: what a runtime passes a createRuntime hook
	jq -nc --arg b "$1" '{ociVersion: "1.0.2", id: "oh-bench", status: "creating",
		pid: 1, bundle: $b}'
}

# ------------------------------------------------------------------ setup
R=$W/rootfs
if [ ! -x "$R/bin/busybox" ]; then
	mkdir -p "$R"/{bin,proc,sys,dev,tmp,etc,root}
	cp /bin/busybox "$R/bin/busybox"
	for a in $(/bin/busybox --list); do
		[ "$a" = busybox ] || ln -sf busybox "$R/bin/$a"
	done
fi
make_bundle "$W/plain" "$R"
make_bundle "$W/hooked" "$R"
jq --arg bin "$BIN" --arg pol "$POLICY" '.hooks.createRuntime = [{path: $bin,
	args: ["oci-harden", "hook", "createRuntime", "--policy", $pol]}]' \
	"$W/hooked/config.json" >"$W/hooked/config.json.new"
mv "$W/hooked/config.json.new" "$W/hooked/config.json"
mkdir -p "$W/true-hook"
jq '.hooks.createRuntime = [{path: "/bin/true", args: ["true"]}]' "$W/plain/config.json" \
	>"$W/true-hook/config.json"
# createRuntime on the podman config: its bundle holds the config as the
# precreate hook leaves it (so it is admitted).
mkdir -p "$W/podman"
"$BIN" fix --policy "$POLICY" -o "$W/podman/config.json" "$DEFAULT" >/dev/null || true
state "$W/podman" >"$W/state-podman.json"
state "$W/plain" >"$W/state-busybox.json"
jq '.rootfs.scan = true' "$POLICY" >"$W/policy-scan.json"
BOOKWORM=/var/tmp/oh-bookworm
if [ -x "$BOOKWORM/bin/sh" ]; then
	mkdir -p "$W/bookworm"
	jq --arg r "$BOOKWORM" '.root.path = $r' "$W/plain/config.json" >"$W/bookworm/config.json"
	state "$W/bookworm" >"$W/state-bookworm.json"
fi

cpu=$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)
echo "# oci-harden benchmark"
echo
echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "- machine: $cpu, $(nproc) CPUs, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), Linux $(uname -r)"
echo "- load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- source: $(git -C "$SRC" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$SRC" diff --quiet 2>/dev/null || echo ' + local changes')"
echo "- binary: $BIN ($(ldd "$BIN" 2>/dev/null | grep -c '=>') shared libraries)${BASE:+; baseline: $BASE}"
echo "- $(runc --version | head -1), $(jq --version), $(hyperfine --version)"
echo "- configs: podman 4.3 default ($(wc -c <"$DEFAULT") B, keeps podman's own seccomp profile; the hook sets no-new-privileges), podman 4.3 --security-opt seccomp=unconfined ($(wc -c <"$UNCONFINED") B; the hook also installs the bundled profile, translated)"
echo

# ------------------------------------------- 1. small inputs, interleaved
echo "## Per container start: precreate, createRuntime ($(runs "$RUNS") rounds)"
echo
cmds=(
	"cat-default=cat <$DEFAULT"
	"precreate-default=$BIN hook precreate <$DEFAULT"
	"cat-unconfined=cat <$UNCONFINED"
	"precreate-unconfined=$BIN hook precreate <$UNCONFINED"
	"createRuntime-default=$BIN hook createRuntime --policy $POLICY <$W/state-podman.json"
)
if [ -n "$BASE" ]; then
	cmds+=("baseline-precreate-default=$BASE hook precreate <$DEFAULT"
	       "baseline-precreate-unconfined=$BASE hook precreate <$UNCONFINED"
	       "baseline-createRuntime-default=$BASE hook createRuntime --policy $POLICY <$W/state-podman.json")
fi
"$W/oh-bench" -r "$(runs "$RUNS")" -w 20 "${cmds[@]}" >"$W/small.tsv"
table cat-default <"$W/small.tsv"
echo
# The slow commands apart, so they do not disturb the fast ones.
n=$(runs 100)
echo "### The jq rewrite and check ($n rounds)"
echo
"$W/oh-bench" -r "$n" -w 3 "precreate-default=$BIN hook precreate <$DEFAULT" \
	"precreate-unconfined=$BIN hook precreate <$UNCONFINED" \
	"jq-rewrite-default=$JQ <$DEFAULT" "jq-rewrite-unconfined=$JQ <$UNCONFINED" \
	"check-default=$BIN check $DEFAULT" >"$W/slow.tsv"
table precreate-default <"$W/slow.tsv"
m() { median "$1" "$W/small.tsv"; }
s() { median "$1" "$W/slow.tsv"; }
echo
echo "| ratio | value | target |"
echo "|---|---:|---:|"
echo "| precreate / cat, podman default | $(ratio "$(m precreate-default)" "$(m cat-default)") | <= 1.3 |"
echo "| precreate / cat, seccomp=unconfined | $(ratio "$(m precreate-unconfined)" "$(m cat-unconfined)") | <= 1.3 |"
echo "| precreate / jq rewrite, podman default | $(ratio "$(s precreate-default)" "$(s jq-rewrite-default)") | <= 0.1 |"
echo "| precreate / jq rewrite, seccomp=unconfined | $(ratio "$(s precreate-unconfined)" "$(s jq-rewrite-unconfined)") | <= 0.1 |"
echo "| createRuntime / cat | $(ratio "$(m createRuntime-default)" "$(m cat-default)") | |"
if [ -n "$BASE" ]; then
	for c in precreate-default precreate-unconfined createRuntime-default; do
		echo "| $c: this / baseline | $(ratio "$(m "$c")" "$(m "baseline-$c")") | |"
	done
fi
echo

# -------------------------------------------------- 2. instruction counts
echo "## Instructions executed (callgrind, whole process; independent of load)"
echo
echo "| command | instructions |"
echo "|---|---:|"
echo "| cat <default | $(instructions cat <"$DEFAULT") |"
echo "| precreate <default | $(instructions "$BIN" hook precreate <"$DEFAULT") |"
echo "| precreate <unconfined | $(instructions "$BIN" hook precreate <"$UNCONFINED") |"
echo "| createRuntime (default) | $(instructions "$BIN" hook createRuntime --policy "$POLICY" <"$W/state-podman.json") |"
echo "| check default | $(instructions "$BIN" check "$DEFAULT") |"
if [ -n "$BASE" ]; then
	echo "| baseline: precreate <default | $(instructions "$BASE" hook precreate <"$DEFAULT") |"
	echo "| baseline: precreate <unconfined | $(instructions "$BASE" hook precreate <"$UNCONFINED") |"
	echo "| baseline: createRuntime (default) | $(instructions "$BASE" hook createRuntime --policy "$POLICY" <"$W/state-podman.json") |"
fi
echo

# ------------------------------------------------------------- 3. runc
n=$(runs 300)
echo "## runc run of a \`true\` container, with and without the createRuntime hook ($n rounds)"
echo
echo "runc-true-hook registers /bin/true as the hook: what running any hook costs"
echo "runc.  runc-wrapper starts the container through oci-harden-runtime"
echo "(which judges the bundle, then execs runc) instead of a hook."
echo
for id in plain hooked true-hook wrapper; do
	runc delete -f "oh-bench-$id" >/dev/null 2>&1 || true
done
ln -sf "$BIN" "$W/oci-harden-runtime"
"$W/oh-bench" -r "$n" -w 5 "runc-plain=runc run --bundle $W/plain oh-bench-plain" \
	"runc-hooked=runc run --bundle $W/hooked oh-bench-hooked" \
	"runc-true-hook=runc run --bundle $W/true-hook oh-bench-true-hook" \
	"runc-wrapper=$W/oci-harden-runtime run --bundle $W/plain oh-bench-wrapper" \
	>"$W/runc.tsv"
table runc-plain <"$W/runc.tsv"
echo
hyperfine -N -w 5 -r "$n" --export-json "$W/runc-hyperfine.json" \
	"runc run --bundle $W/plain oh-bench-plain" \
	"runc run --bundle $W/hooked oh-bench-hooked" >/dev/null
read -r hp hh < <(jq -r '[.results[].median * 1000] | map(tostring) | join(" ")' "$W/runc-hyperfine.json")
echo "| ratio | value | target |"
echo "|---|---:|---:|"
echo "| runc with hook / without (harness, medians) | $(ratio "$(median runc-hooked "$W/runc.tsv")" "$(median runc-plain "$W/runc.tsv")") | <= 1.05 |"
echo "| runc with hook / without (hyperfine -N, not interleaved: $(printf '%.1f' "$hh") / $(printf '%.1f' "$hp") ms) | $(ratio "$hh" "$hp") | <= 1.05 |"
echo "| runc with /bin/true as the hook / without | $(ratio "$(median runc-true-hook "$W/runc.tsv")" "$(median runc-plain "$W/runc.tsv")") | |"
echo "| runc with oci-harden as the hook / with /bin/true | $(ratio "$(median runc-hooked "$W/runc.tsv")" "$(median runc-true-hook "$W/runc.tsv")") | |"
echo "| oci-harden-runtime run / runc run | $(ratio "$(median runc-wrapper "$W/runc.tsv")" "$(median runc-plain "$W/runc.tsv")") | |"
echo

# ------------------------------------------------------ 4. rootfs scan
n=$(runs 50)
echo "## createRuntime with and without the rootfs scan ($n rounds)"
echo
cmds=("createRuntime-busybox=$BIN hook createRuntime --policy $POLICY <$W/state-busybox.json"
      "createRuntime-busybox-scan=$BIN hook createRuntime --policy $W/policy-scan.json <$W/state-busybox.json")
files="busybox: $(find "$R" | wc -l) entries"
if [ -f "$W/state-bookworm.json" ]; then
	cmds+=("createRuntime-bookworm=$BIN hook createRuntime --policy $POLICY <$W/state-bookworm.json"
	       "createRuntime-bookworm-scan=$BIN hook createRuntime --policy $W/policy-scan.json <$W/state-bookworm.json")
	files="$files; bookworm minbase: $(find "$BOOKWORM" -xdev | wc -l) entries"
else
	files="$files; no $BOOKWORM (debootstrap --variant=minbase bookworm $BOOKWORM to add it)"
fi
"$W/oh-bench" -r "$n" -w 3 "${cmds[@]}" >"$W/scan.tsv"
echo "Rootfs sizes: $files."
echo
table createRuntime-busybox <"$W/scan.tsv"
echo

# ------------------------------------------------------------ 5. scaling
echo "## Scaling: precreate on large configs (env, mounts, annotations)"
echo
echo "| config | bytes | cat ms | precreate ms | MB/s | peak RSS KiB (file) | peak RSS KiB (pipe) | RSS / input | rounds |${BASE:+ baseline ms | baseline MB/s |}"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|${BASE:+---:|---:|}"
for spec in 10K:10240:200 1M:1048576:60 10M:10485760:20 50M:52428800:10; do
	IFS=: read -r label size n <<<"$spec"
	n=$(runs "$n")
	f=$W/config-$label.json
	[ -s "$f" ] || "$SRC/bench/gen-config.sh" "$DEFAULT" "$size" "$f"
	bytes=$(wc -c <"$f")
	"$W/oh-bench" -r "$n" -w 1 "cat=cat <$f" "precreate=$BIN hook precreate <$f" \
		${BASE:+"baseline=$BASE hook precreate <$f"} >"$W/scale-$label.tsv"
	tc=$(median cat "$W/scale-$label.tsv")
	tp=$(median precreate "$W/scale-$label.tsv")
	tb=$(median baseline "$W/scale-$label.tsv")
	rss_file=$( { /usr/bin/time -v "$BIN" hook precreate <"$f" >/dev/null; } 2>&1 |
		awk -F': ' '/Maximum resident/ { print $2 }')
	# podman hands the config over a pipe, read without knowing its size.
	rss_pipe=$( { cat "$f" | /usr/bin/time -v "$BIN" hook precreate >/dev/null; } 2>&1 |
		awk -F': ' '/Maximum resident/ { print $2 }')
	awk -v l="$label" -v b="$bytes" -v tc="$tc" -v tp="$tp" -v rf="$rss_file" \
		-v rp="$rss_pipe" -v n="$n" -v tb="$tb" 'BEGIN {
		m = rf > rp ? rf : rp
		printf "| %s | %d | %.2f | %.2f | %.0f | %d | %d | %.2f | %d |", l, b, tc, tp,
			b / (tp / 1000) / 1e6, rf, rp, m * 1024 / b, n
		if (tb != "")
			printf " %.2f | %.0f |", tb, b / (tb / 1000) / 1e6
		printf "\n" }'
done
echo
echo "MB/s is input bytes / median precreate time (10^6 B).  RSS / input is the"
echo "larger peak RSS over the input size; it includes the process's fixed ~2 MiB."
echo
echo "- load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- work directory: $W"
