#!/bin/bash
# Hostile-cost benchmark: the time of `oci-harden hook precreate` and
# `oci-harden check` on inputs shaped to be slow (many keys, keys that
# collide in an unkeyed hash table, many capability names, seccomp rules,
# names and arguments, mounts, environment entries, annotations, nesting at
# the depth limit, long strings, many rootfs entries), each next to an
# ordinary config of the same size (one big environment value) and a
# typical one (the environment, annotations and bind mounts a large real
# config grows by, gen-hostile.py's "typical").  The target
# (issue 16): at most 3x the ordinary config, and under 1 s at the 64 MiB
# input cap.
#
#   bench/hostile.sh BINARY [BASELINE]     e.g. bench/hostile.sh build/oci-harden
#
# BASELINE, an older oci-harden binary, is timed next to BINARY for
# before/after numbers.  Inputs come from bench/gen-hostile.py (shapes
# listed there), the rootfs trees are made here.  Timings come from
# bench/harness.c (interleaved rounds, medians); every command runs under
# a timeout, and one that exceeds it on its first run is reported as such
# and not repeated.  Markdown goes to stdout and to $OH_BENCH_OUT.
#
#   OH_HOSTILE_SIZES="B ..."  input sizes in bytes (default 2 MiB and 64 MiB)
#   OH_HOSTILE_SHAPES="..."   shapes (default all of gen-hostile.py's)
#   OH_HOSTILE_RUNS=N         rounds (default 5)
#   OH_HOSTILE_TIMEOUT=S      seconds a command may take (default 30)
#   OH_HOSTILE_FILES=N        files of the rootfs trees (default 100000)
#   OH_HOSTILE_QUICK=1        1 MiB and 16 MiB, 3 rounds, 20000 files, 10 s
#   OH_BENCH_DIR=DIR          work directory (default: a new one under /var/tmp)
#   OH_BENCH_OUT=FILE         where the markdown goes too (default DIR/hostile.md)
set -euo pipefail

[ $# -ge 1 ] && [ $# -le 2 ] || { sed -n '2,13p' "$0" >&2; exit 2; }
SRC=$(cd "$(dirname "$0")/.." && pwd)
BIN=$(realpath "$1")
BASE=${2:+$(realpath "$2")}
W=${OH_BENCH_DIR:-$(mktemp -d /var/tmp/oh-hostile.XXXXXX)}
mkdir -p "$W"
OUT=${OH_BENCH_OUT:-$W/hostile.md}
GEN="/usr/bin/python3 $SRC/bench/gen-hostile.py"
if [ "${OH_HOSTILE_QUICK:-0}" = 1 ]; then
	SIZES=${OH_HOSTILE_SIZES:-1048576 16777216}
	RUNS=${OH_HOSTILE_RUNS:-3}
	FILES=${OH_HOSTILE_FILES:-20000}
	TMO=${OH_HOSTILE_TIMEOUT:-10}
	SECCOMP_SIZES="32768 65536 131072 262144"
else
	# 64 MiB less a little: the generator overshoots by one entry.
	SIZES=${OH_HOSTILE_SIZES:-2097152 67100000}
	RUNS=${OH_HOSTILE_RUNS:-5}
	FILES=${OH_HOSTILE_FILES:-100000}
	TMO=${OH_HOSTILE_TIMEOUT:-30}
	SECCOMP_SIZES="65536 131072 262144 524288 1048576"
fi
SHAPES=${OH_HOSTILE_SHAPES:-ordinary many-keys prefix-keys fnv-keys fold-keys annotations caps caps-known seccomp-rules seccomp-names seccomp-args mounts env env-dup nesting long-key escapes numbers typical}

cc -O2 -Wall -Wextra -std=c11 -D_GNU_SOURCE -o "$W/oh-bench" "$SRC/bench/harness.c"
exec > >(tee "$OUT")

# time_cmds NAME=CMD...: harness lines (name runs median ... exit) for the
# commands; one that times out on a first, single run gets a line with
# median -1 and exit 124 instead of rounds.
time_cmds() {
	local keep=() spec name cmd input rc
	for spec in "$@"; do
		name=${spec%%=*}
		cmd=${spec#*=}
		input=/dev/null
		case $cmd in *'<'*) input=${cmd##*<}; cmd=${cmd%<*} ;; esac
		rc=0
		# shellcheck disable=SC2086 # words are the command's, as in the harness
		timeout "$TMO" $cmd <"$input" >/dev/null 2>&1 || rc=$?
		if [ "$rc" = 124 ]; then
			printf '%s\t1\t-1\t-1\t-1\t-1\t-1\t0\t124\n' "$name"
		else
			keep+=("$spec")
		fi
	done
	[ ${#keep[@]} -eq 0 ] || "$W/oh-bench" -r "$RUNS" -w 1 "${keep[@]}"
}

# field NAME COLUMN FILE
field() { awk -F'\t' -v n="$1" -v c="$2" '$1 == n { print $c }' "$3"; }
ms() { # ms MEDIAN: "123.4", or "> N s" for a timeout
	awk -v m="$1" -v t="$TMO" 'BEGIN { if (m == "") print "-"; else if (m < 0) printf "> %d s\n", t;
		else printf "%.1f\n", m }'
}
x() { # x MEDIAN REF
	awk -v m="$1" -v r="$2" 'BEGIN { if (m == "" || r == "" || r <= 0) print "-";
		else if (m < 0) print "-"; else printf "%.2f\n", m / r }'
}
verdict() { # verdict EXIT: what the exit status means for check/precreate
	case $1 in
	0) echo ok ;; 1) echo findings ;; 2) echo refused ;; 124) echo timeout ;; *) echo "exit $1" ;;
	esac
}

cpu=$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)
echo "# oci-harden hostile-cost benchmark"
echo
echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "- machine: $cpu, $(nproc) CPUs, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), Linux $(uname -r)"
echo "- load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- source: $(git -C "$SRC" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$SRC" diff --quiet 2>/dev/null || echo ' + local changes')"
echo "- binary: $BIN${BASE:+; baseline: $BASE}"
echo "- $RUNS rounds per command, medians; timeout $TMO s per command"
echo

# ------------------------------------------------------------ configs
for size in $SIZES; do
	cmds=()
	for s in $SHAPES; do
		f=$W/$s-$size.json
		[ -s "$f" ] || $GEN "$s" "$size" "$f"
		cmds+=("p-$s=$BIN hook precreate <$f" "c-$s=$BIN check $f")
		[ -z "$BASE" ] || cmds+=("bp-$s=$BASE hook precreate <$f" "bc-$s=$BASE check $f")
	done
	time_cmds "${cmds[@]}" >"$W/hostile-$size.tsv"
	t=$W/hostile-$size.tsv
	rp=$(field p-ordinary 3 "$t")
	rc=$(field c-ordinary 3 "$t")
	tp=$(field p-typical 3 "$t")
	tc=$(field c-typical 3 "$t")
	echo "## Configs of $size bytes ($(awk -v b="$size" 'BEGIN { printf "%.1f MiB", b / 1048576 }'))"
	echo
	echo "x ordinary, x typical: the median over the ordinary (typical) config's of the same binary and command (\"-\" when that shape was not run)."
	echo
	echo "| shape | bytes | precreate | precreate ms | x ordinary | x typical | check | check ms | x ordinary | x typical |${BASE:+ baseline precreate ms | baseline check ms |}"
	echo "|---|---:|---|---:|---:|---:|---|---:|---:|---:|${BASE:+---:|---:|}"
	for s in $SHAPES; do
		f=$W/$s-$size.json
		mp=$(field "p-$s" 3 "$t") mc=$(field "c-$s" 3 "$t")
		line="| $s | $(wc -c <"$f") | $(verdict "$(field "p-$s" 9 "$t")") | $(ms "$mp") | $(x "$mp" "$rp") | $(x "$mp" "$tp") | $(verdict "$(field "c-$s" 9 "$t")") | $(ms "$mc") | $(x "$mc" "$rc") | $(x "$mc" "$tc") |"
		if [ -n "$BASE" ]; then
			line="$line $(ms "$(field "bp-$s" 3 "$t")") | $(ms "$(field "bc-$s" 3 "$t")") |"
		fi
		echo "$line"
	done
	echo
done

# ------------------------------------------------- seccomp compile growth
# check compiles a config's own seccomp profile with libseccomp, as runc
# would: libseccomp's cost per added rule grows with the rules before it.
# The growth per doubling of the input shows the order (2: linear, 4:
# quadratic).
echo "## check: growth of the seccomp compile (libseccomp) with the rules"
echo
cmds=()
for s in seccomp-rules seccomp-names seccomp-args; do
	for size in $SECCOMP_SIZES; do
		f=$W/$s-$size.json
		[ -s "$f" ] || $GEN "$s" "$size" "$f"
		cmds+=("c-$s-$size=$BIN check $f")
	done
done
time_cmds "${cmds[@]}" >"$W/seccomp.tsv"
t=$W/seccomp.tsv
printf '| shape |'; for size in $SECCOMP_SIZES; do printf ' %s B ms |' "$size"; done; echo " growth per doubling |"
printf '|---|'; for size in $SECCOMP_SIZES; do printf -- '---:|'; done; echo "---:|"
for s in seccomp-rules seccomp-names seccomp-args; do
	line="| $s |" prev="" growth=""
	for size in $SECCOMP_SIZES; do
		m=$(field "c-$s-$size" 3 "$t")
		line="$line $(ms "$m") |"
		[ -z "$prev" ] || growth="$growth $(x "$m" "$prev")"
		prev=$m
	done
	echo "$line$growth |"
done
echo

# ------------------------------------------------------------- rootfs
# Trees of $FILES entries under a bundle whose config passes: a wide tree
# (directories of 100 files), one flat directory, setuid files in a bin
# directory (each one a finding), and directory chains deeper than the
# walk's depth limit.  Made once per work directory.
mktree() { # mktree KIND DIR
	/usr/bin/python3 - "$1" "$2" "$FILES" <<'EOF'
import os, sys
kind, root, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
os.makedirs(root, exist_ok=True)
def touch(path, mode=0o644):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, mode)
    os.close(fd)
    os.chmod(path, mode)
if kind == "tree":
    for i in range(n):
        d = os.path.join(root, "usr", "share", "d%04d" % (i // 100))
        if i % 100 == 0:
            os.makedirs(d, exist_ok=True)
        touch(os.path.join(d, "f%03d" % (i % 100)))
elif kind == "flat":
    d = os.path.join(root, "data")
    os.makedirs(d, exist_ok=True)
    for i in range(n):
        touch(os.path.join(d, "f%07d" % i))
elif kind == "suid":
    d = os.path.join(root, "usr", "bin")
    os.makedirs(d, exist_ok=True)
    for i in range(n):
        touch(os.path.join(d, "s%07d" % i), 0o4755)
elif kind == "deep":
    # chains of 200 directories: the walk enters 128 levels
    for c in range(max(1, n // 200)):
        d = os.path.join(root, "c%05d" % c)
        d = os.path.join(d, *(["d"] * 199))
        os.makedirs(d, exist_ok=True)
EOF
}
echo "## Rootfs walk: check on a bundle ($FILES entries)"
echo
echo "x no scan: over \`check --no-rootfs-scan\` of the same bundle; find: \`find ROOTFS -xdev\`, a walk that judges nothing."
echo
cmds=()
for kind in tree flat suid deep; do
	b=$W/rootfs-$kind
	if [ ! -f "$b/done" ]; then
		rm -rf "$b"
		mkdir -p "$b/rootfs"
		mktree "$kind" "$b/rootfs"
		jq --arg r "$b/rootfs" '.root.path = $r | .process.noNewPrivileges = true' \
			"$SRC/tests/fixtures/podman/default.json" >"$b/config.json"
		touch "$b/done"
	fi
	cmds+=("c-$kind=$BIN check $b" "n-$kind=$BIN check --no-rootfs-scan $b"
	       "f-$kind=find $b/rootfs -xdev")
	[ -z "$BASE" ] || cmds+=("bc-$kind=$BASE check $b")
done
time_cmds "${cmds[@]}" >"$W/rootfs.tsv"
t=$W/rootfs.tsv
echo "| tree | entries | check | check ms | x no scan | find ms |${BASE:+ baseline check ms |}"
echo "|---|---:|---|---:|---:|---:|${BASE:+---:|}"
for kind in tree flat suid deep; do
	b=$W/rootfs-$kind
	mc=$(field "c-$kind" 3 "$t")
	line="| $kind | $(find "$b/rootfs" -xdev | wc -l) | $(verdict "$(field "c-$kind" 9 "$t")") | $(ms "$mc") | $(x "$mc" "$(field "n-$kind" 3 "$t")") | $(ms "$(field "f-$kind" 3 "$t")") |"
	[ -z "$BASE" ] || line="$line $(ms "$(field "bc-$kind" 3 "$t")") |"
	echo "$line"
done
echo
echo "- load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- work directory: $W"
