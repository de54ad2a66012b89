#!/usr/bin/env bats
# oci-harden as an OCI hook: podman's precreate rewrite and refusal, runc's
# createRuntime refusal, the poststart verifier, malformed hook input, the
# audit trail.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	[ "$(id -u)" = 0 ] || skip "needs root for runc and podman"
	PREFIX=$(install_prefix)
	HOOKS=$PREFIX/share/containers/oci/hooks.d
	B=$BATS_TEST_TMPDIR/bundle
}

teardown() {
	if [ -n "${PODMAN_NAME:-}" ]; then
		"${PODMAN[@]}" rm -f -t 0 "$PODMAN_NAME" >/dev/null 2>&1 || true
	fi
}

podman_with_hooks() {
	run "${PODMAN[@]}" --hooks-dir "$HOOKS" "${PODMAN_RUN[@]}" "$@"
}

@test "the installed hooks.d files name the installed binary and policy" {
	for f in 99-oci-harden-precreate.json 99-oci-harden-createruntime.json \
		99-oci-harden-createcontainer.json 99-oci-harden-poststart.json; do
		jq -e --arg bin "$PREFIX/bin/oci-harden" --arg pol "$PREFIX/etc/oci-harden/policy.json" \
			'.version == "1.0.0" and .hook.path == $bin and (.hook.args | index($pol)) and
			 .when.always == true and .hook.timeout > 0' "$HOOKS/$f"
	done
	[ -x "$PREFIX/bin/oci-harden" ]
	[ -f "$PREFIX/etc/oci-harden/policy.json" ]
}

@test "podman with the hooks runs a default container with NoNewPrivs 1 and Seccomp 2" {
	podman_with_hooks --rootfs "$(podman_rootfs)" sh -c "$STATUS"
	assert_success
	[ "$(field NoNewPrivs)" = 1 ]
	[ "$(field Seccomp)" = 2 ]
	# and without the hooks podman leaves no-new-privileges off
	run "${PODMAN[@]}" "${PODMAN_RUN[@]}" --rootfs "$(podman_rootfs)" sh -c "$STATUS"
	assert_success
	[ "$(field NoNewPrivs)" = 0 ]
}

@test "podman --privileged is refused and the message names cap-all" {
	# runc reports the refusal's rootfs as a missing command: status 127
	run -127 "${PODMAN[@]}" --hooks-dir "$HOOKS" "${PODMAN_RUN[@]}" --privileged --rootfs "$(podman_rootfs)" echo should-not-run
	assert_failure
	assert_output --partial "cap-all"
	refute_output --partial "should-not-run"
}

@test "podman --cap-add=all is refused naming cap-all" {
	run -127 "${PODMAN[@]}" --hooks-dir "$HOOKS" "${PODMAN_RUN[@]}" --cap-add=all --rootfs "$(podman_rootfs)" echo should-not-run
	assert_failure
	assert_output --partial "cap-all"
	refute_output --partial "should-not-run"
}

@test "podman --security-opt seccomp=unconfined runs confined by the bundled profile" {
	podman_with_hooks --security-opt seccomp=unconfined --rootfs "$(podman_rootfs)" \
		sh -c "$STATUS; unshare -U true && echo unshare-allowed || echo unshare-blocked"
	assert_success
	[ "$(field Seccomp)" = 2 ]
	assert_output --partial unshare-blocked
}

@test "podman --cap-add=sys_admin runs without CAP_SYS_ADMIN, and without the profile podman made for it" {
	podman_with_hooks --cap-add=sys_admin --rootfs "$(podman_rootfs)" \
		sh -c "$STATUS; unshare -U true && echo unshare-allowed || echo unshare-blocked"
	assert_success
	# podman's profile for CAP_SYS_ADMIN allows unshare; the hook re-applies
	# the bundled one for the capabilities that are left.
	assert_output --partial unshare-blocked
	local eff=$((16#$(field CapEff))) bnd=$((16#$(field CapBnd)))
	[ $((eff & (1 << 21))) = 0 ]
	[ $((bnd & (1 << 21))) = 0 ]
	# CAP_CHOWN (0) of the default set is still there
	[ $((eff & 1)) = 1 ]
}

# A runc bundle that calls the hook at createRuntime (and optionally poststart).
with_hooks() {
	local stages=$1
	jq --arg bin "$OCI_HARDEN" --arg pol "$OH_SOURCE_DIR/policy/default.json" --arg st "$stages" '
		.hooks = ($st | split(",") | map({(.): [{path: $bin,
			args: ["oci-harden", "hook", ., "--policy", $pol], timeout: 10}]}) | add)' \
		"$B/config.json" >"$B/c" && mv "$B/c" "$B/config.json"
}

@test "runc with a createRuntime hook refuses a bundle without no-new-privileges, naming the rule" {
	make_bundle "$B" '.process.noNewPrivileges = false' echo should-not-run
	with_hooks createRuntime
	run_bundle "$B"
	assert_failure
	assert_output --partial "no-new-privileges"
	refute_output --partial "should-not-run"
}

@test "runc with a createRuntime hook runs the fixed bundle" {
	make_bundle "$B" '.process.noNewPrivileges = false'
	with_hooks createRuntime,poststart
	run "$OCI_HARDEN" fix --in-place "$B"
	assert_success
	run_bundle "$B"
	assert_success
	[ "$(field NoNewPrivs)" = 1 ]
	[ "$(field Seccomp)" = 2 ]
}

@test "poststart kills a container whose kernel state differs from its edited config.json" {
	make_bundle "$B" '.process.noNewPrivileges = false' sh -c 'sleep 30'
	local id="oh-post-$$"
	# Created from the unsafe file; runc has read it and set up the process.
	runc create --bundle "$B" "$id" </dev/null >/dev/null 2>&1
	# Now the file is edited to look hardened; the process is not.
	"$OCI_HARDEN" fix --in-place "$B" 2>/dev/null
	"$OCI_HARDEN" check "$B" >/dev/null
	state=$(runc state "$id")
	pid=$(printf '%s' "$state" | jq .pid)
	run "$OCI_HARDEN" hook poststart --policy "$OH_SOURCE_DIR/policy/default.json" <<<"$state"
	assert_failure 1
	assert_output --partial "no-new-privileges [fix]: process $pid (runc:[2:INIT]) runs without no-new-privileges (NoNewPrivs 0)"
	assert_output --partial "seccomp-unconfined"
	assert_output --partial "killed"
	for _ in $(seq 50); do [ "$(runc state "$id" | jq -r .status)" = stopped ] && break; sleep 0.1; done
	[ "$(runc state "$id" | jq -r .status)" = stopped ]
	runc delete -f "$id"
}

@test "runc runs poststart at create and the verifier stops an unsafe container before it starts" {
	make_bundle "$B" '.process.noNewPrivileges = false' echo should-not-run
	with_hooks poststart
	run_bundle "$B"
	assert_failure
	refute_output --partial "should-not-run"
	assert_output --partial "poststart"
}

@test "poststart logs a process that already exited and admits it" {
	run "$OCI_HARDEN" hook poststart <<<'{"ociVersion":"1.0.2","id":"gone","status":"running","pid":999999999,"bundle":"/tmp"}'
	assert_failure 2
	assert_output --partial "invalid pid"
	sh -c 'exit 0' & local dead=$!
	wait $dead
	run "$OCI_HARDEN" hook poststart <<<"{\"ociVersion\":\"1.0.2\",\"id\":\"gone\",\"status\":\"running\",\"pid\":$dead,\"bundle\":\"/tmp\"}"
	assert_success
}

@test "hook input that is not what the stage expects refuses the container" {
	make_bundle "$B"
	cases=(
		"$(cat "$B/config.json")|stdin holds an OCI config, not the container state"
		"|empty input"
		'{"id":"x","bundle":"relative/bundle","pid":1}|is not absolute'
		"{\"id\":\"x\",\"bundle\":\"$BATS_TEST_TMPDIR/nowhere\",\"pid\":1}|cannot open the bundle"
		"{\"id\":\"x\",\"bundle\":\"$BATS_TEST_TMPDIR\",\"pid\":1}|config.json: cannot open"
		'{"bundle":"/tmp"}|has no id'
		'[1,2]|root must be an object'
		'{"id":"x","id":"y","bundle":"/tmp"}|duplicate key'
	)
	for c in "${cases[@]}"; do
		input=${c%|*} want=${c##*|}
		for stage in createRuntime prestart poststart; do
			run "$OCI_HARDEN" hook "$stage" <<<"$input"
			[ "$status" -ne 0 ] || { echo "$stage admitted: $input"; false; }
			assert_output --partial "refusing the container"
			assert_output --partial "$want"
		done
	done
	run "$OCI_HARDEN" hook precreate </dev/null
	assert_failure
	assert_output --partial "empty input"
	run "$OCI_HARDEN" hook precreate <<<'{"id":"x","bundle":"/tmp"}'
	assert_success   # a config with nothing in it is fixed like any other
	run "$OCI_HARDEN" hook nosuchstage </dev/null
	assert_failure 2
}

@test "a symlinked config.json in the bundle is refused at createRuntime" {
	make_bundle "$B"
	"$OCI_HARDEN" fix --in-place "$B" 2>/dev/null
	mv "$B/config.json" "$B/real.json"
	ln -s real.json "$B/config.json"
	run "$OCI_HARDEN" hook createRuntime <<<"{\"id\":\"x\",\"bundle\":\"$B\",\"pid\":1}"
	assert_failure
	assert_output --partial "symlink"
}

@test "precreate rewrites a fixable config" {
	run --separate-stderr "$OCI_HARDEN" hook precreate <"$FIXTURES/podman/default.json"
	assert_success
	printf '%s' "$output" | jq -e '.process.noNewPrivileges == true and .linux.seccomp.defaultAction == "SCMP_ACT_ERRNO"'
}

@test "precreate refuses a denied config with a config no runtime starts, its root path naming the rules" {
	run --separate-stderr "$OCI_HARDEN" hook precreate <"$FIXTURES/podman/privileged.json"
	assert_success
	run jq -r '.root.path, .process.noNewPrivileges, (.process.capabilities | length)' <<<"$output"
	assert_line --index 0 "/nonexistent/oci-harden refused this container/rules: cap-all, privileged, sensitive-mounts, host-devices/see the system log for details"
	assert_line --index 1 true
	assert_line --index 2 0
	[ ! -e /nonexistent ]
}

@test "precreate --refusal exit refuses with exit status 1, nothing on stdout and the rules on stderr" {
	run --separate-stderr "$OCI_HARDEN" hook precreate --refusal exit <"$FIXTURES/podman/privileged.json"
	assert_failure 1
	[ -z "$output" ]
	[[ "$stderr" == *"cap-all [deny]"* ]]
	[[ "$stderr" == *"refused by policy (rules: cap-all, privileged, sensitive-mounts, host-devices)"* ]]
}

@test "in audit mode the hooks admit everything unchanged and log what enforce would do" {
	printf '{"mode":"audit","audit":{"file":"%s"}}' "$BATS_TEST_TMPDIR/audit.log" >"$BATS_TEST_TMPDIR/audit.json"
	"$OCI_HARDEN" hook precreate --policy "$BATS_TEST_TMPDIR/audit.json" \
		<"$FIXTURES/podman/privileged.json" >"$BATS_TEST_TMPDIR/out.json"
	cmp "$BATS_TEST_TMPDIR/out.json" "$FIXTURES/podman/privileged.json"
	make_bundle "$B" '.process.noNewPrivileges = false'
	run "$OCI_HARDEN" hook createRuntime --policy "$BATS_TEST_TMPDIR/audit.json" <<<"{\"id\":\"aud\",\"bundle\":\"$B\",\"pid\":1}"
	assert_success
	run cat "$BATS_TEST_TMPDIR/audit.log"
	# podman's config names its container only in the cgroup path
	assert_line --partial "stage=precreate id=487eb4ba558d88d0940db645c0bc2ca45dc9a980aad2a465e08aed7f314e948d verdict=denied action=admitted mode=audit rules=no-new-privileges,cap-all"
	assert_line --partial "stage=createRuntime id=aud verdict=fixable action=admitted mode=audit"
}

@test "a libseccomp that cannot be loaded refuses the container with an audit line naming it, and audit mode admits it unchanged, in the hooks and the wrapper" {
	[ -n "${OH_NO_SECCOMP_DIR:-}" ] || skip "libseccomp is linked in (OH_STATIC_LIBS)"
	local d=$BATS_TEST_TMPDIR cfg=$FIXTURES/hostile/seccomp-unresolvable-names.json
	printf '{"audit":{"file":"%s"}}' "$d/enforce.log" >"$d/enforce.json"
	printf '{"mode":"audit","audit":{"file":"%s"}}' "$d/audit.log" >"$d/audit.json"
	# Names the built-in tables do not know are libseccomp's to resolve.
	run --separate-stderr env LD_LIBRARY_PATH="$OH_NO_SECCOMP_DIR" \
		"$OCI_HARDEN" hook precreate --policy "$d/enforce.json" <"$cfg"
	assert_failure 2
	[ -z "$output" ]
	[[ "$stderr" == *"precreate: refusing the container: cannot load libseccomp.so."*"seccomp_syscall_resolve_name"* ]]
	run cat "$d/enforce.log"
	assert_output --regexp "stage=precreate verdict=error action=refused mode=enforce detail=\"cannot load libseccomp\.so\.[0-9]+, symbol seccomp_syscall_resolve_name"
	env LD_LIBRARY_PATH="$OH_NO_SECCOMP_DIR" \
		"$OCI_HARDEN" hook precreate --policy "$d/audit.json" <"$cfg" >"$d/out.json"
	cmp "$d/out.json" "$cfg"
	run cat "$d/audit.log"
	assert_output --partial "stage=precreate verdict=error action=admitted mode=audit detail=\"cannot load libseccomp"
	# The wrapper: refused, or in audit mode handed to the runtime as asked.
	mkdir -p "$B"
	cp "$cfg" "$B/config.json"
	run env LD_LIBRARY_PATH="$OH_NO_SECCOMP_DIR" OCI_HARDEN_POLICY="$d/enforce.json" \
		OCI_HARDEN_RUNTIME="$(standin_runtime)" "$PREFIX/bin/oci-harden-runtime" create --bundle "$B" oh-hooks-nosc
	assert_failure 2
	assert_output --partial "refusing container oh-hooks-nosc: cannot load libseccomp"
	run tail -1 "$d/enforce.log"
	assert_output --partial "stage=runtime id=oh-hooks-nosc verdict=error action=refused mode=enforce bundle=$B detail=\"cannot load libseccomp"
	run env LD_LIBRARY_PATH="$OH_NO_SECCOMP_DIR" OCI_HARDEN_POLICY="$d/audit.json" \
		OCI_HARDEN_RUNTIME="$(standin_runtime)" "$PREFIX/bin/oci-harden-runtime" create --bundle "$B" oh-hooks-nosc
	assert_success
	run tail -1 "$d/audit.log"
	assert_output --partial "stage=runtime id=oh-hooks-nosc verdict=error action=admitted mode=audit bundle=$B detail=\"cannot load libseccomp"
	cmp "$B/config.json" "$cfg"
}

@test "an exemption switches off only its rules for matching containers, and its use is logged" {
	printf '{"audit": {"file": "%s"}, "exemptions": [{"annotations": {"org.example/role": "node-agent"}, "rules": ["no-new-privileges"]}]}' \
		"$BATS_TEST_TMPDIR/ex.log" >"$BATS_TEST_TMPDIR/ex.json"
	make_bundle "$B" '.process.noNewPrivileges = false | .annotations = {"org.example/role": "node-agent"}'
	"$OCI_HARDEN" fix --policy "$BATS_TEST_TMPDIR/ex.json" --in-place "$B" 2>/dev/null
	[ "$(jq .process.noNewPrivileges "$B/config.json")" = false ]
	run "$OCI_HARDEN" hook createRuntime --policy "$BATS_TEST_TMPDIR/ex.json" <<<"{\"id\":\"agent\",\"bundle\":\"$B\",\"pid\":1}"
	assert_success
	run cat "$BATS_TEST_TMPDIR/ex.log"
	assert_output --partial "id=agent verdict=compliant action=admitted mode=enforce"
	assert_output --partial "exempted=no-new-privileges exemption=0"
	jq '.annotations = {"org.example/role": "web"}' "$B/config.json" >"$B/c" && mv "$B/c" "$B/config.json"
	run "$OCI_HARDEN" hook createRuntime --policy "$BATS_TEST_TMPDIR/ex.json" <<<"{\"id\":\"web\",\"bundle\":\"$B\",\"pid\":1}"
	assert_failure 1
	assert_output --partial "no-new-privileges"
}

# Runs "$@" with a stand-in syslog daemon on /dev/log, writing to $LOGFILE.
with_syslog() {
	LOGFILE=$BATS_TEST_TMPDIR/syslog.txt
	local sock=$BATS_TEST_TMPDIR/log.sock
	"$OH_LOGSINK" "$sock" "$LOGFILE" >"$BATS_TEST_TMPDIR/sink.out" &
	local sink=$!
	for _ in $(seq 50); do grep -q ready "$BATS_TEST_TMPDIR/sink.out" 2>/dev/null && break; sleep 0.1; done
	if [ -e /dev/log ]; then
		# A private mount namespace, so the host's syslog is not disturbed.
		unshare -m sh -c 'mount --bind "$0" /dev/log && exec "$@"' "$sock" "$@" || true
	else
		ln -s "$sock" /dev/log
		"$@" || true
		rm -f /dev/log
	fi
	sleep 0.2
	kill "$sink"
}

@test "every decision writes one line to syslog with the AUTHPRIV facility" {
	make_bundle "$B" '.process.noNewPrivileges = false'
	printf '{"id":"logme","bundle":"%s","pid":1}' "$B" >"$BATS_TEST_TMPDIR/state.json"
	with_syslog sh -c "'$OCI_HARDEN' hook createRuntime <'$BATS_TEST_TMPDIR/state.json'"
	run cat "$LOGFILE"
	# <84> is facility authpriv (10) * 8 + warning (4)
	assert_line --regexp '^<84>.*oci-harden\[[0-9]+\]: stage=createRuntime id=logme verdict=fixable action=refused mode=enforce rules=no-new-privileges'
	# one line for the one decision (other programs on a shared host may
	# log through the same socket while the test holds it)
	[ "$(grep -c 'id=logme' "$LOGFILE")" = 1 ]
}

@test "a host without a syslog socket does not fail the hooks" {
	[ ! -e /dev/log ] || skip "this host has /dev/log"
	run "$OCI_HARDEN" hook precreate <"$FIXTURES/podman/default.json"
	assert_success
}

@test "a hook stage that passes the policy's deadline refuses the container" {
	# a rootfs walk of /usr takes longer than 50 ms
	mkdir -p "$BATS_TEST_TMPDIR/slow"
	jq '.root.path = "/usr"' "$FIXTURES/runc/spec.json" >"$BATS_TEST_TMPDIR/slow/config.json"
	printf '{"version": 1, "rootfs": {"scan": true}, "runtime": {"deadlineSeconds": 0.05}, "audit": {"file": "%s"}}' \
		"$BATS_TEST_TMPDIR/audit.log" >"$BATS_TEST_TMPDIR/p.json"
	run "$OCI_HARDEN" hook createRuntime --policy "$BATS_TEST_TMPDIR/p.json" \
		<<<"{\"ociVersion\":\"1.0.2\",\"id\":\"late\",\"status\":\"creating\",\"bundle\":\"$BATS_TEST_TMPDIR/slow\"}"
	assert_failure 2
	assert_output --partial "the deadline of 0.05 s passed"
	jq '.root.path = "/usr"' "$FIXTURES/podman/default.json" >"$BATS_TEST_TMPDIR/slow.json"
	run "$OCI_HARDEN" hook precreate --policy "$BATS_TEST_TMPDIR/p.json" <"$BATS_TEST_TMPDIR/slow.json"
	assert_failure 2
	assert_output --partial "deadline"
	# The refusals are in the audit trail, with the container's id where
	# the stage had learnt it.
	run cat "$BATS_TEST_TMPDIR/audit.log"
	assert_line --regexp '^time=20[0-9-]{8}T[0-9:]{8}Z stage=createRuntime id=late verdict=error action=refused mode=enforce bundle=[^ ]*/slow detail="the deadline of 0.05 s passed \(runtime.deadlineSeconds\)"$'
	assert_line --regexp '^time=[^ ]* stage=precreate verdict=error action=refused mode=enforce detail="the deadline of 0.05 s passed'
	[ "${#lines[@]}" = 2 ]
}

@test "podman with the hooks starts a container whose config holds oci-harden's own hooks, which config-hooks admits" {
	local name="oh-hooks-podman-$$"
	PODMAN_NAME=$name
	run "${PODMAN[@]}" --hooks-dir "$HOOKS" run -d --name "$name" --ulimit nofile=1024:1024 \
		--ulimit nproc=1024:1024 --rootfs "$(podman_rootfs)" sleep 60
	assert_success
	run "${PODMAN[@]}" inspect -f '{{.State.Running}}' "$name"
	assert_output true
	# The config podman handed the runtime: the registered hooks copied in.
	local cfg
	cfg=$("${PODMAN[@]}" inspect -f '{{.OCIConfigPath}}' "$name")
	run jq -r '[.hooks | to_entries[] | .key + " " + .value[].path] | .[]' "$cfg"
	assert_line "createRuntime $PREFIX/bin/oci-harden"
	assert_line "createContainer $PREFIX/bin/oci-harden"
	assert_line "poststart $PREFIX/bin/oci-harden"
	run "$PREFIX/bin/oci-harden" check --no-rootfs-scan --policy "$PREFIX/etc/oci-harden/policy.json" "$cfg"
	assert_output --partial "root-user [warn]"
	refute_output --partial "config-hooks"
	# The same config with one hook more, registered nowhere: refused.
	jq '.hooks.createRuntime += [{path: "/bin/sh", args: ["sh", "-c", "true"]}]' "$cfg" >"$BATS_TEST_TMPDIR/more.json"
	run "$PREFIX/bin/oci-harden" check --no-rootfs-scan --policy "$PREFIX/etc/oci-harden/policy.json" "$BATS_TEST_TMPDIR/more.json"
	assert_failure 1
	assert_output --partial "config-hooks [deny]: createRuntime hook /bin/sh is not on the allowlist"
	refute_output --partial "hook $PREFIX/bin/oci-harden"
}
