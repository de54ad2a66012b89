#!/bin/bash
# Whether two oci-harden binaries decide alike: the output and exit status
# of `check --format json` and of `hook precreate` over every config and
# bundle under tests/fixtures and the INPUTs given (hostile.sh's inputs,
# say), under the source tree's default policy.  For a change meant to
# cost less and decide the same.  Timings ("seconds") are left out.
#
#   bench/same-findings.sh OLD NEW [INPUT...]
#
# Prints the inputs whose output differs (with the diff) and exits 1 if
# any does.
set -euo pipefail

[ $# -ge 2 ] || { sed -n '2,11p' "$0" >&2; exit 2; }
SRC=$(cd "$(dirname "$0")/.." && pwd)
OLD=$(realpath "$1")
NEW=$(realpath "$2")
shift 2
POL=$SRC/policy/default.json
W=$(mktemp -d /var/tmp/oh-same.XXXXXX)
trap 'rm -rf "$W"' EXIT

# run BIN DIR INPUT: both commands' output, status last.
run() {
	local key in=$3
	key=$(printf '%s' "$3" | tr '/' '_')
	[ ! -d "$in" ] || in=$in/config.json
	{ "$1" check --policy "$POL" --format json "$3" 2>&1 || echo "status $?"; } |
		grep -v '"seconds":' >"$2/$key.check" || true
	{ "$1" hook precreate --policy "$POL" <"$in" 2>&1 || echo "status $?"; } \
		>"$2/$key.precreate" || true
}

mkdir -p "$W/old" "$W/new"
n=0
while IFS= read -r f; do
	# A bundle's config is judged as the bundle (check) and as a config
	# on standard input (precreate).
	run "$OLD" "$W/old" "$f"
	run "$NEW" "$W/new" "$f"
	n=$((n + 1))
done < <(find "$SRC/tests/fixtures" -name '*.json' | sort
	 find "$SRC/tests/fixtures" -name config.json -printf '%h\n' | sort
	 for f in "$@"; do realpath "$f"; done)
if diff -r "$W/old" "$W/new"; then
	echo "$n inputs: the same"
else
	echo "$n inputs: outputs differ" >&2
	exit 1
fi
