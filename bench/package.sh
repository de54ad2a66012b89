#!/bin/bash
# The packaged binary's cost per container start: `hook precreate` of the
# binary the .deb installs, against `cat` of the same config, next to the
# same tree packaged without the hardening flags and with the libraries
# linked statically.
#
#   bench/package.sh [ROUNDS]          (default 400; as root, about 3 minutes)
#
# Builds three packages with cpack in a work directory (the default build,
# -DOH_HARDEN=OFF, -DOH_STATIC_LIBS=ON), extracts each with dpkg-deb -x, and
# times `oci-harden hook precreate --policy policy/default.json <CONFIG`
# interleaved with `cat <CONFIG` (bench/harness.c), on the podman default
# and seccomp=unconfined configs; then counts instructions (callgrind) and
# the dynamic loader's relocations (LD_DEBUG=statistics).  Markdown goes to
# stdout.
set -euo pipefail

SRC=$(cd "$(dirname "$0")/.." && pwd)
ROUNDS=${1:-400}
W=${OH_BENCH_DIR:-$(mktemp -d /var/tmp/oh-bench-pkg.XXXXXX)}
POLICY=$SRC/policy/default.json
DEFAULT=$SRC/tests/fixtures/podman/default.json
UNCONFINED=$SRC/tests/fixtures/podman/seccomp-unconfined.json

cc -O2 -Wall -Wextra -std=c11 -D_GNU_SOURCE -o "$W/oh-bench" "$SRC/bench/harness.c"

# package NAME CMAKE-ARGS...: builds and extracts a package; prints its binary.
package() {
	local name=$1
	shift
	cmake -S "$SRC" -B "$W/$name" -DCMAKE_INSTALL_PREFIX=/usr -DOH_TESTS=OFF "$@" >/dev/null
	cmake --build "$W/$name" -j"$(nproc)" >/dev/null
	(cd "$W/$name" && rm -f ./*.deb && cpack -G DEB >/dev/null 2>&1)
	rm -rf "$W/$name/root"
	dpkg-deb -x "$W/$name"/oci-harden_*.deb "$W/$name/root"
	echo "$W/$name/root/usr/bin/oci-harden"
}

HARD=$(package hardened)
PLAIN=$(package plain -DOH_HARDEN=OFF)
STATIC=$(package static -DOH_STATIC_LIBS=ON)

echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- source: $(git -C "$SRC" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$SRC" diff --quiet 2>/dev/null || echo ' + local changes')"
echo "- $ROUNDS interleaved rounds, 20 warm-up"
echo
cmds=()
for c in default:$DEFAULT unconfined:$UNCONFINED; do
	n=${c%%:*}
	f=${c#*:}
	cmds+=("cat-$n=cat <$f"
	       "hardened-$n=$HARD hook precreate --policy $POLICY <$f"
	       "plain-$n=$PLAIN hook precreate --policy $POLICY <$f"
	       "static-$n=$STATIC hook precreate --policy $POLICY <$f")
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
echo "| binary | instructions, default | instructions, unconfined | relocations at start | loader cycles |"
echo "|---|---:|---:|---:|---:|"
for b in hardened:$HARD plain:$PLAIN static:$STATIC; do
	n=${b%%:*}
	bin=${b#*:}
	i1=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" hook precreate --policy "$POLICY" <"$DEFAULT" 2>&1 >/dev/null | awk '/Collected :/ { print $NF }')
	i2=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" hook precreate --policy "$POLICY" <"$UNCONFINED" 2>&1 >/dev/null | awk '/Collected :/ { print $NF }')
	stats=$(LD_DEBUG=statistics "$bin" hook precreate --policy "$POLICY" <"$DEFAULT" 2>&1 >/dev/null)
	rel=$(awk -F': *' '/final number of relocations:/ { print $NF; exit }' <<<"$stats")
	cyc=$(awk '/total startup time in dynamic loader/ { print $(NF-1); exit }' <<<"$stats")
	echo "| $n | $i1 | $i2 | $rel | $cyc |"
done
echo
echo "- load average at end: $(cut -d' ' -f1-3 /proc/loadavg); work directory: $W"
