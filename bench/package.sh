#!/bin/bash
# The packaged binary's cost per container start: `hook precreate` of the
# binary the .deb installs, against `cat` of the same config, next to the
# same tree packaged without the hardening flags and with the libraries
# linked statically, and optionally the package of another revision.
#
#   bench/package.sh [ROUNDS] [BASE-REV]   (default 400; as root, 3-6 minutes)
#
# Builds the packages with cpack in a work directory (the default build,
# -DOH_HARDEN=OFF, -DOH_STATIC_LIBS=ON, and the default build of BASE-REV,
# taken with git archive), extracts each with dpkg-deb -x, and times
# `oci-harden hook precreate --policy policy/default.json <CONFIG`
# interleaved with `cat <CONFIG` (bench/harness.c), on the podman default
# and seccomp=unconfined configs.  "floor" is a program linked like the
# package that reads the config, parses it with yajl (no tree) and writes
# it out: what any hook on shared yajl pays before judging anything.
# "libfloor" is the same program also loading libseccomp and libcap, as the
# package does: what any hook on the package's three libraries pays.  Then
# it counts instructions (callgrind) and the dynamic loader's relocations
# (LD_DEBUG=statistics), system calls (strace) and minor page faults
# (/usr/bin/time).  Markdown goes to stdout.
set -euo pipefail

SRC=$(cd "$(dirname "$0")/.." && pwd)
ROUNDS=${1:-400}
BASE=${2:-}
W=${OH_BENCH_DIR:-$(mktemp -d /var/tmp/oh-bench-pkg.XXXXXX)}
POLICY=$SRC/policy/default.json
DEFAULT=$SRC/tests/fixtures/podman/default.json
UNCONFINED=$SRC/tests/fixtures/podman/seccomp-unconfined.json

cc -O2 -Wall -Wextra -std=c11 -D_GNU_SOURCE -o "$W/oh-bench" "$SRC/bench/harness.c"
# The floor: read, parse with yajl's callbacks doing nothing, write; built
# with the package's hardening and link flags.
cat >"$W/floor.c" <<'FLOOR'
#include <unistd.h>
#include <yajl/yajl_parse.h>
static int none(void *c) { (void)c; return 1; }
static int boolean(void *c, int b) { (void)c; (void)b; return 1; }
static int text(void *c, const char *s, size_t n) { (void)c; (void)s; (void)n; return 1; }
static int str(void *c, const unsigned char *s, size_t n) { (void)c; (void)s; (void)n; return 1; }
static const yajl_callbacks cb = { none, boolean, NULL, NULL, text, str, none, str, none, none, none };
int main(void)
{
	static unsigned char buf[1 << 20];
	ssize_t n = read(0, buf, sizeof(buf));
	yajl_handle h = yajl_alloc(&cb, NULL, NULL);
	if (n <= 0 || h == NULL || yajl_parse(h, buf, (size_t)n) != yajl_status_ok ||
	    yajl_complete_parse(h) != yajl_status_ok)
		return 2;
	yajl_free(h);
	return write(1, buf, (size_t)n) == n ? 0 : 2;
}
FLOOR
cc -O2 -Wall -Wextra -std=c11 -fPIE -pie -fstack-protector-strong -fstack-clash-protection \
	-D_FORTIFY_SOURCE=2 -Wl,-z,relro -Wl,-z,now -Wl,-O1 -Wl,--as-needed \
	-o "$W/floor" "$W/floor.c" -lyajl
# libfloor: the floor with libseccomp and libcap loaded too (one call into
# each that never runs keeps --as-needed from dropping them).
sed -e 's|#include <yajl/yajl_parse.h>|&\n#include <seccomp.h>\n#include <sys/capability.h>|' \
	-e 's|^\tyajl_free(h);|&\n\tif (n == 1) { (void)seccomp_syscall_resolve_name("read"); (void)cap_to_name(0); }|' \
	"$W/floor.c" >"$W/libfloor.c"
cc -O2 -Wall -Wextra -std=c11 -fPIE -pie -fstack-protector-strong -fstack-clash-protection \
	-D_FORTIFY_SOURCE=2 -Wl,-z,relro -Wl,-z,now -Wl,-O1 -Wl,--as-needed \
	-o "$W/libfloor" "$W/libfloor.c" -lyajl -lseccomp -lcap

# package NAME SOURCE CMAKE-ARGS...: builds and extracts a package; prints
# its binary.
package() {
	local name=$1 src=$2
	shift 2
	cmake -S "$src" -B "$W/$name" -DCMAKE_INSTALL_PREFIX=/usr -DOH_TESTS=OFF "$@" >/dev/null
	cmake --build "$W/$name" -j"$(nproc)" >/dev/null
	(cd "$W/$name" && rm -f ./*.deb && cpack -G DEB >/dev/null 2>&1)
	rm -rf "$W/$name/root"
	dpkg-deb -x "$W/$name"/oci-harden_*.deb "$W/$name/root"
	echo "$W/$name/root/usr/bin/oci-harden"
}

HARD=$(package hardened "$SRC")
PLAIN=$(package plain "$SRC" -DOH_HARDEN=OFF)
STATIC=$(package static "$SRC" -DOH_STATIC_LIBS=ON)
BINS="hardened:$HARD plain:$PLAIN static:$STATIC"
if [ -n "$BASE" ]; then
	rm -rf "$W/base-src"
	mkdir -p "$W/base-src"
	git -C "$SRC" archive "$BASE" | tar -x -C "$W/base-src"
	BASEBIN=$(package base "$W/base-src")
	BINS="base:$BASEBIN $BINS"
fi

echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- source: $(git -C "$SRC" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$SRC" diff --quiet 2>/dev/null || echo ' + local changes')"
[ -z "$BASE" ] || echo "- base: $(git -C "$SRC" rev-parse --short "$BASE"), the default build"
echo "- $ROUNDS interleaved rounds, 20 warm-up"
echo
# Each binary reads the default policy of its own tree: an older binary
# refuses a newer policy (a rule it does not know) and would be timed
# failing early.
policy_of() {
	case $1 in base) echo "$W/base-src/policy/default.json" ;; *) echo "$POLICY" ;; esac
}
for b in $BINS; do
	rc=0
	"${b#*:}" hook precreate --policy "$(policy_of "${b%%:*}")" <"$DEFAULT" >/dev/null 2>&1 || rc=$?
	[ "$rc" -le 1 ] || { echo "${b%%:*}: hook precreate exits $rc" >&2; exit 2; }
done
cmds=()
for c in default:$DEFAULT unconfined:$UNCONFINED; do
	n=${c%%:*}
	f=${c#*:}
	cmds+=("cat-$n=cat <$f" "floor-$n=$W/floor <$f" "libfloor-$n=$W/libfloor <$f")
	for b in $BINS; do
		cmds+=("${b%%:*}-$n=${b#*:} hook precreate --policy $(policy_of "${b%%:*}") <$f")
	done
done
"$W/oh-bench" -r "$ROUNDS" -w 20 "${cmds[@]}" >"$W/pkg.tsv"
echo "| command | median ms | p25-p75 ms | x cat | cpu ms |"
echo "|---|---:|---:|---:|---:|"
awk -F'\t' '
	{ name[NR] = $1; med[NR] = $3; p25[NR] = $4; p75[NR] = $5; cpu[NR] = $7
	  if ($1 ~ /^cat-/) ref[substr($1, 5)] = $3 }
	END {
		for (i = 1; i <= NR; i++) {
			cfg = name[i]; sub(/^[a-z]+-/, "", cfg)
			printf "| %s | %.3f | %.3f-%.3f | %.2f | %.3f |\n", name[i], med[i],
				p25[i], p75[i], med[i] / ref[cfg], cpu[i]
		}
	}' "$W/pkg.tsv"
echo
echo "| binary | instructions, default | instructions, unconfined | relocations at start | loader cycles | system calls, default | page faults, default |"
echo "|---|---:|---:|---:|---:|---:|---:|"
# "version": the packaged binary's --version, its start alone (the loader,
# libc, the libraries it links).
for b in $BINS version:$HARD floor:$W/floor libfloor:$W/libfloor cat:cat; do
	n=${b%%:*}
	bin=${b#*:}
	args=(hook precreate --policy "$(policy_of "$n")")
	case $n in floor | libfloor | cat) args=() ;; version) args=(--version) ;; esac
	i1=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" "${args[@]}" <"$DEFAULT" 2>&1 >/dev/null | awk '/Collected :/ { print $NF }')
	i2=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" "${args[@]}" <"$UNCONFINED" 2>&1 >/dev/null | awk '/Collected :/ { print $NF }')
	stats=$(LD_DEBUG=statistics "$bin" "${args[@]}" <"$DEFAULT" 2>&1 >/dev/null)
	# "final" only when the program exits through exit(3), not cat's way.
	rel=$(awk -F': *' '/final number of relocations:/ { f = $NF }
		/[^l] number of relocations:/ && n == "" { n = $NF }
		END { print f != "" ? f : n }' <<<"$stats")
	cyc=$(awk '/total startup time in dynamic loader/ { print $(NF-1); exit }' <<<"$stats")
	# System calls of the whole process (the exit's line left out) and
	# its minor page faults.
	strace -f -qq -o "$W/strace.txt" "$bin" "${args[@]}" <"$DEFAULT" >/dev/null 2>&1 || true
	sys=$(grep -vc '+++ exited' "$W/strace.txt" || true)
	/usr/bin/time -f '%R' -o "$W/faults.txt" "$bin" "${args[@]}" <"$DEFAULT" >/dev/null 2>&1 || true
	pf=$(tail -1 "$W/faults.txt")
	echo "| $n | $i1 | $i2 | $rel | $cyc | $sys | $pf |"
done
echo
echo "- load average at end: $(cut -d' ' -f1-3 /proc/loadavg); work directory: $W"
