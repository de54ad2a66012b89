#!/usr/bin/env bats
# valgrind (memcheck) over every command that reads a config, on every
# captured podman config: no invalid read or write, no use of uninitialised
# memory, no leak (definite, indirect or possible; memory still reachable
# at exit, such as the case-folding locale cached for the process, is not a
# leak).  The ASan build catches more, valgrind checks the binary as
# shipped, without instrumentation.

load helpers

# The commands, one per line, each run for every captured config with
#   $VG   the valgrind command line, to put in front of the binary
#   $F    the config (read only: copy it before changing it)
#   $T    a scratch directory of this run alone (runs go in parallel)
# Add new commands (hook stages) here.
VG_COMMANDS=(
	'$VG "$OCI_HARDEN" check "$F"'
	'$VG "$OCI_HARDEN" check --format json "$F" "$F"'
	'$VG "$OCI_HARDEN" check --format sarif "$F"'
	'$VG "$OCI_HARDEN" check - <"$F"'
	'$VG "$OCI_HARDEN" fix "$F"'
	'$VG "$OCI_HARDEN" fix -o "$T/out.json" "$F"'
	'cp "$F" "$T/c.json" && $VG "$OCI_HARDEN" fix --in-place "$T/c.json"'
	'mkdir "$T/b" && cp "$F" "$T/b/config.json" && $VG "$OCI_HARDEN" fix --in-place "$T/b"'
	'$VG "$OCI_HARDEN" hook precreate <"$F"'
	'$VG "$OCI_HARDEN" hook precreate --refusal exit <"$F"'
	'mkdir "$T/h" && cp "$F" "$T/h/config.json" && printf "{\"id\":\"vg\",\"bundle\":\"%s\",\"pid\":1}" "$T/h" | $VG "$OCI_HARDEN" hook createRuntime'
	'mkdir "$T/p" && cp "$F" "$T/p/config.json" && printf "{\"id\":\"vg\",\"bundle\":\"%s\",\"pid\":1}" "$T/p" | $VG "$OCI_HARDEN" hook poststart'
	'mkdir "$T/r" && cp "$F" "$T/r/config.json" && OCI_HARDEN_RUNTIME=/bin/true $VG "$OCI_HARDEN" hook prestart </dev/null'
)

# Documents each command refuses: the error paths must not leak either.
BAD_DOCS=(
	''
	'[]'
	'{"process":{"noNewPrivileges":true,"NoNewPrivileges":false}}'
	'{"process":{"capabilities":null}}'
	'{"linux":{"seccomp":{"defaultAction":"SCMP_ACT_NOPE"}}}'
	'{"process":{"args":["sh"'
	'{"a":"\ud800"}'
)

setup() {
	! grep -qa __asan_init "$OCI_HARDEN" || skip "a sanitizer build: valgrind cannot run it"
	command -v valgrind >/dev/null || fail "valgrind is missing (.ci/install-deps installs it)"
	VG_BASE="valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect,possible --errors-for-leak-kinds=definite,indirect,possible"
}

# memcheck ID COMMAND F: runs one command on config F in its own scratch
# directory; on any valgrind error (or a crash) leaves the report in ID.fail.
# The command's own status (a verdict, or 2 for a bad document) does not
# matter here.
memcheck() {
	local id=$1 cmd=$2 F=$3 T=$BATS_TEST_TMPDIR/run-$1 rc=0
	local log=$T.vg
	local VG="$VG_BASE --log-file=$log"
	mkdir -p "$T"
	eval "$cmd" >/dev/null 2>&1 || rc=$?
	# valgrind 3.19 does not know pidfd_open nor openat2 and says so: the
	# poststart stage and the look-up of bind sources (which then opens
	# them with open(2)) handle the ENOSYS they get, so that note is not
	# an error.
	if [ -s "$log" ]; then
		sed -i -E '/^--[0-9]+-- (WARNING: unhandled .* syscall: 43[47]|You may be able to write|Read the file README_MISSING|Nevertheless we consider|it at http:\/\/valgrind.org)/d' "$log"
	fi
	if [ "$rc" -eq 99 ] || [ "$rc" -ge 128 ] || [ -s "$log" ]; then
		{ echo "valgrind: exit $rc for: $cmd   (F=$F)"; cat "$log"; } >"$T.fail"
	fi
}

# memcheck_all CONFIG...: every command on every config, as many at a time
# as there are CPUs (valgrind is slow, the runs are independent).
memcheck_all() {
	local cmd F n=0 cpus
	cpus=$(nproc)
	for cmd in "${VG_COMMANDS[@]}"; do
		for F in "$@"; do
			n=$((n + 1))
			memcheck "$n" "$cmd" "$F" &
			while [ "$(jobs -rp | wc -l)" -ge "$cpus" ]; do wait -n || true; done
		done
	done
	wait
	printf '# %d runs under valgrind\n' "$n" >&3
	if compgen -G "$BATS_TEST_TMPDIR/*.fail" >/dev/null; then
		cat "$BATS_TEST_TMPDIR"/*.fail >&2
		return 1
	fi
}

@test "valgrind finds no memory error or leak in check, fix and the hook stages on the captured configs" {
	memcheck_all "$FIXTURES"/podman/*.json "$FIXTURES"/runc/spec.json
}

@test "valgrind finds no memory error or leak when check and fix refuse a document" {
	local i docs=()
	for i in "${!BAD_DOCS[@]}"; do
		printf '%s' "${BAD_DOCS[$i]}" >"$BATS_TEST_TMPDIR/bad-$i.json"
		docs+=("$BATS_TEST_TMPDIR/bad-$i.json")
	done
	memcheck_all "${docs[@]}"
}
