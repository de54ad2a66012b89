#!/usr/bin/env bats
# One judgement, whichever front end asks: a table of cases (configs,
# policies, rootfs contents, profiles) goes through check, test, fix, hook
# precreate, hook createRuntime and the wrapper's create, restore and exec, and each
# reaches the same verdict and the same rule ids.  The hook stages and the
# wrapper report through the audit file; the wrapper runs /bin/true as its
# "real runtime", so nothing starts.

load helpers
bats_require_minimum_version 1.5.0

# The exec leg runs in a real container: the wrapper clamps an exec to the
# container it enters, read from runc's state.
setup_file() {
	[ "$(id -u)" = 0 ] || return 0
	local b=$BATS_FILE_TMPDIR/host
	make_bundle "$b" '.' sleep 600
	"$OCI_HARDEN" fix --in-place --no-rootfs-scan "$b" >/dev/null 2>&1
	export HOST_ID=oh-fe-host-$$
	runc run -d --bundle "$b" "$HOST_ID" </dev/null >/dev/null 2>&1
}

teardown_file() {
	[ -z "${HOST_ID:-}" ] || runc delete -f "$HOST_ID" >/dev/null 2>&1 || true
}

setup() {
	[ "$(id -u)" = 0 ] || skip "needs root for runc"
	T=$BATS_TEST_TMPDIR
	AUDIT=$T/audit.log
	RT=$BATS_FILE_TMPDIR/oci-harden-runtime
	[ -e "$RT" ] || ln -s "$OCI_HARDEN" "$RT"
}

# The process rules: what an exec'd process is judged by.
PROCESS_RULES='["no-new-privileges","cap-all","cap-not-allowed","apparmor-unconfined","root-user","selinux-disabled"]'

# make_case NAME JQ-FILTER POLICY-JSON [setuid]: a bundle in $T/NAME whose
# config is `runc spec` through the filter, with an absolute root.path
# (podman's precreate config has one), and the policy with the audit file
# and the rootfs walk switched on.
make_case() {
	local name=$1 filter=$2 policy=$3 extra=${4:-}
	local b=$T/$name
	mkdir -p "$b"
	cp -a "$(rootfs)" "$b/rootfs"
	[ "$extra" = setuid ] && chmod 4755 "$b/rootfs/bin/busybox"
	(cd "$b" && runc spec)
	jq --arg root "$b/rootfs" ".root.path = \$root | $filter" "$b/config.json" >"$b/c"
	mv "$b/c" "$b/config.json"
	# The hook stages walk the rootfs only when the policy says so; the
	# table compares like with like.  Restores are verified, so that the
	# wrapper's restore judges the config (refused outright by default).
	jq --arg a "$AUDIT" '{"rootfs": {"scan": true}} + . + {"version": 1, "audit": {"file": $a}}
		| .runtime.restore //= "verify"' <<<"$policy" >"$b/policy.json"
}

# The reference: check's verdict and sorted rule ids (warn and above).
reference() {
	"$OCI_HARDEN" check --policy "$1/policy.json" --format json "$1" >"$T/ref.json" || true
	jq -r '.results[0] | if .error then "error" else .verdict end' "$T/ref.json"
}
reference_rules() {
	jq -c --argjson only "${2:-null}" '[.results[0].findings // [] | .[].rule
		| select($only == null or (. as $r | $only | index($r)))] | unique' "$T/ref.json"
}

# The last audit line's verdict and rules (of stage $AUDIT_STAGE when set),
# as JSON.
audited() {
	grep -E "stage=${AUDIT_STAGE:-[a-zA-Z-]+} " "$AUDIT" | tail -n1 | awk '{
		v = ""; r = "";
		for (i = 1; i <= NF; i++) {
			if ($i ~ /^verdict=/) v = substr($i, 9);
			if ($i ~ /^rules=/) r = substr($i, 7);
		}
		print v " " r }'
}
audited_rules() {
	audited | awk '{ print $2 }' | tr ',' '\n' | jq -R 'select(length > 0)' | jq -sc 'unique'
}

# Exit status each front end must give for a verdict.
status_for() {   # FRONT VERDICT
	case "$1:$2" in
	*:error) echo 2 ;;
	exec:denied) echo 1 ;;
	check:compliant | fix:* | precreate:* | create:* | gate:compliant | exec:*) echo 0 ;;
	check:* | gate:*) echo 1 ;;
	esac
}

judge_everywhere() {
	local b=$T/$1 want=$2 ref rules st
	ref=$(reference "$b")
	[ "$ref" = "$want" ] || { echo "check: $ref, expected $want"; cat "$T/ref.json"; return 1; }
	rules=$(reference_rules)

	# test: the case as a policy test expecting check's answer
	mkdir -p "$T/suite-$1"
	rm -rf "$T/suite-$1/case" && cp -a "$b" "$T/suite-$1/case"
	jq -n --arg v "$ref" --argjson r "$rules" --arg p "$b/policy.json" \
		'{verdict: $v, rules: $r, policy: $p}' >"$T/suite-$1/case/expect.json"
	run "$OCI_HARDEN" test "$T/suite-$1"
	assert_success

	# fix: writes (fixable, compliant), refuses (denied) or errors; it names
	# the same rules
	run --separate-stderr "$OCI_HARDEN" fix --policy "$b/policy.json" -o "$T/fixed.json" "$b"
	[ "$status" = "$([ "$ref" = denied ] && echo 1 || status_for fix "$ref")" ]
	if [ "$ref" != error ]; then
		got=$(printf '%s\n' "$stderr" | sed -n 's/^[^:]*: \([a-z-]*\) \[.*/\1/p' | jq -R . | jq -sc unique)
		[ "$got" = "$rules" ] || { echo "fix named $got, check $rules"; return 1; }
	fi

	# hook precreate (the config on stdin)
	: >"$AUDIT"
	run "$OCI_HARDEN" hook precreate --refusal exit --policy "$b/policy.json" <"$b/config.json"
	[ "$status" = "$([ "$ref" = denied ] && echo 1 || status_for precreate "$ref")" ]
	check_audit "$ref" "$rules"

	# hook createRuntime (the state on stdin)
	: >"$AUDIT"
	run "$OCI_HARDEN" hook createRuntime --policy "$b/policy.json" \
		<<<"{\"ociVersion\":\"1.0.2\",\"id\":\"fe-$1\",\"status\":\"creating\",\"bundle\":\"$b\"}"
	[ "$status" = "$(status_for gate "$ref")" ]
	check_audit "$ref" "$rules"

	# the wrapper's create, on a copy (it rewrites the bundle)
	rm -rf "$T/w" && cp -a "$b" "$T/w"
	: >"$AUDIT"
	OCI_HARDEN_RUNTIME=$(standin_runtime) OCI_HARDEN_POLICY="$b/policy.json" run "$RT" create --bundle "$T/w" "fe-$1"
	[ "$status" = "$([ "$ref" = denied ] && echo 1 || status_for create "$ref")" ]
	check_audit "$ref" "$rules"

	# the wrapper's restore: the config judged as create's is, before the
	# runtime runs; /bin/true then restores nothing, which the verifier
	# cannot verify and so refuses (2)
	rm -rf "$T/w" && cp -a "$b" "$T/w"
	: >"$AUDIT"
	OCI_HARDEN_RUNTIME=$(standin_runtime) OCI_HARDEN_POLICY="$b/policy.json" run "$RT" restore --detach \
		--image-path "$T/image" --bundle "$T/w" "fe-$1"
	[ "$status" = "$([ "$ref" = denied ] && echo 1 || echo 2)" ]
	AUDIT_STAGE=runtime check_audit "$ref" "$rules"
	if [ "$ref" = denied ] || [ "$ref" = error ]; then
		if grep -q "stage=runtime-restore " "$AUDIT"; then
			echo "restore ran the runtime for a config it refused"; return 1
		fi
	else
		grep -q "stage=runtime-restore .*verdict=error action=refused" "$AUDIT"
	fi

	# the wrapper's exec of the config's process: the process rules only
	jq .process "$b/config.json" >"$T/process.json"
	local erules everdict
	erules=$(reference_rules "" "$PROCESS_RULES")
	everdict=$(jq -r --argjson only "$PROCESS_RULES" '.results[0] | if .error then "error" else
		([.findings[] | select(.rule as $r | $only | index($r)) | .action]) as $a |
		if ($a | index("deny")) then "denied" elif ($a | index("fix")) then "fixable"
		else "compliant" end end' "$T/ref.json")
	[ "$ref" = error ] && return 0   # the error is the config's, not the process's
	# An exemption keys on the annotations of the container the exec
	# enters, not on the case's config: the next test covers it.
	[ "${3:-}" = no-exec ] && return 0
	: >"$AUDIT"
	# what the rules would fix the wrapper clamps; what they deny it refuses
	OCI_HARDEN_RUNTIME=$(standin_runtime) OCI_HARDEN_POLICY="$b/policy.json" run "$RT" exec --process "$T/process.json" "$HOST_ID"
	[ "$status" = "$(status_for exec "$everdict")" ]
	check_audit "$everdict" "$erules"
}

check_audit() {   # VERDICT RULES
	local v r
	v=$(audited | awk '{ print $1 }')
	r=$(audited_rules)
	[ "$v" = "$1" ] || { echo "audit verdict $v, expected $1: $(tail -n1 "$AUDIT")"; return 1; }
	[ "$1" = error ] || [ "$r" = "$2" ] || { echo "audit rules $r, expected $2"; return 1; }
}

@test "a runc spec config is fixable for every front end, naming the same rules" {
	make_case plain '.process.noNewPrivileges = false' '{}'
	judge_everywhere plain fixable
}

@test "a hardened config is compliant for every front end" {
	make_case hardened '.' '{}'
	"$OCI_HARDEN" fix --in-place --policy "$T/hardened/policy.json" "$T/hardened" 2>/dev/null
	judge_everywhere hardened compliant
}

@test "a config with every capability is denied by every front end" {
	make_case privileged '.' '{}'
	jq --slurpfile p "$FIXTURES/podman/privileged.json" '.process.capabilities = $p[0].process.capabilities' \
		"$T/privileged/config.json" >"$T/c" && mv "$T/c" "$T/privileged/config.json"
	judge_everywhere privileged denied
}

@test "a config joining a mount namespace by path is denied by every front end, naming mount-namespace" {
	make_case mountns '.' '{}'
	"$OCI_HARDEN" fix --in-place --policy "$T/mountns/policy.json" "$T/mountns" 2>/dev/null
	jq '(.linux.namespaces[] | select(.type == "mount")).path = "/proc/1/ns/mnt"' \
		"$T/mountns/config.json" >"$T/c" && mv "$T/c" "$T/mountns/config.json"
	judge_everywhere mountns denied
}

@test "a namespace type listed twice is an error for every front end" {
	make_case twons '.linux.namespaces += [{"type": "network", "path": "/proc/1/ns/net"}]' '{}'
	judge_everywhere twons error
}

@test "a setuid file under a policy denying suid-files is denied by every front end, fix included" {
	make_case suid '.' '{"rules": {"suid-files": "deny"}, "rootfs": {"scan": true}}' setuid
	judge_everywhere suid denied
	# fix wrote nothing
	[ ! -e "$T/fixed.json" ]
}

@test "a profile libseccomp refuses (errnoRet 5000) is an error for every front end, test included" {
	make_case errno '.linux.seccomp = {"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["mount"], "action": "SCMP_ACT_ERRNO", "errnoRet": 5000}]}' '{}'
	judge_everywhere errno error
	# a test case expecting compliant for it fails
	jq '.verdict = "compliant" | del(.rules)' "$T/suite-errno/case/expect.json" >"$T/e" &&
		mv "$T/e" "$T/suite-errno/case/expect.json"
	run "$OCI_HARDEN" test "$T/suite-errno"
	assert_failure 1
}

@test "an exemption keyed on the config's annotation applies in every front end" {
	make_case exempt '.process.noNewPrivileges = false | .annotations = {"io.exempt": "yes"}' \
		'{"exemptions": [{"annotations": {"io.exempt": "yes"}, "rules": ["no-new-privileges"]}]}'
	judge_everywhere exempt fixable no-exec
	[ "$(reference_rules | jq 'index("no-new-privileges")')" = null ]
	# the wrapper's exec ran last: its exemption came from the container,
	# which it cannot see, so the process's own no-new-privileges counts
	run "$OCI_HARDEN" hook createRuntime --policy "$T/exempt/policy.json" \
		<<<"{\"ociVersion\":\"1.0.2\",\"id\":\"fe-x\",\"status\":\"creating\",\"bundle\":\"$T/exempt\"}"
	grep -q "exempted=no-new-privileges" "$AUDIT"
}

@test "a compliant config that seccomp.workloads selects is fixable for every front end, naming seccomp-workload-profile" {
	make_case workload '.annotations = {"org.example/workload": "web"}' \
		'{"seccomp": {"workloads": [{"annotation": {"org.example/workload": "web"}, "profile": "strict"}]}}'
	# compliant under the default policy: only the workload's profile is missing
	"$OCI_HARDEN" fix --in-place --no-rootfs-scan "$T/workload" 2>/dev/null
	judge_everywhere workload fixable
	[ "$(reference_rules | jq 'index("seccomp-workload-profile")')" != null ]
}

@test "an unknown capability name is fixable for every front end" {
	make_case bogus '.process.capabilities.bounding += ["CAP_BOGUS"]' '{}'
	judge_everywhere bogus fixable
}

@test "exec: a process file with data after the object is refused, not judged by its tail" {
	make_case tail '.' '{"exemptions": [{"annotations": {"io.exempt": "yes"}, "rules": ["cap-not-allowed", "no-new-privileges"]}]}'
	jq -c '.process | .capabilities.bounding += ["CAP_SYS_ADMIN"] | .noNewPrivileges = false' \
		"$T/tail/config.json" >"$T/p.json"
	printf '%s, "annotations": {"io.exempt": "yes"}}\n' "$(sed 's/}$//' "$T/p.json")" >"$T/spliced.json"
	# runc reads the first JSON value of a process file: a tail must not
	# be able to smuggle in annotations, nor anything else
	printf '%s {"annotations": {"io.exempt": "yes"}}\n' "$(cat "$T/p.json")" >"$T/trailing.json"
	OCI_HARDEN_RUNTIME=$(standin_runtime) OCI_HARDEN_POLICY="$T/tail/policy.json" run "$RT" exec --process "$T/trailing.json" "$HOST_ID"
	assert_failure 2
	assert_output --partial "trailing garbage"
	# annotations inside the process object are not the container's: the
	# exemption does not apply, and the process is clamped for both rules
	: >"$AUDIT"
	OCI_HARDEN_RUNTIME=$(standin_runtime) OCI_HARDEN_POLICY="$T/tail/policy.json" run "$RT" exec --process "$T/spliced.json" "$HOST_ID"
	assert_success
	run cat "$AUDIT"
	assert_output --partial "rules=no-new-privileges,cap-not-allowed"
	refute_output --partial "exempted="
}

@test "a rootfs rule at deny makes every front end walk the rootfs, whatever rootfs.scan says" {
	make_case suid-noscan '.' '{"rules": {"suid-files": "deny"}}' setuid
	jq '.rootfs.scan = false' "$T/suid-noscan/policy.json" >"$T/p" && mv "$T/p" "$T/suid-noscan/policy.json"
	judge_everywhere suid-noscan denied
}

@test "a rootfs walk cut short by its limits is an error where a rootfs rule decides, not compliant" {
	make_case capped '.' '{"rules": {"suid-files": "deny"}, "rootfs": {"scan": true, "maxFiles": 10}}' setuid
	run "$OCI_HARDEN" check --policy "$T/capped/policy.json" "$T/capped"
	assert_failure 2
	assert_output --partial "stopped at its file-count limit"
	run "$OCI_HARDEN" hook createRuntime --policy "$T/capped/policy.json" \
		<<<"{\"ociVersion\":\"1.0.2\",\"id\":\"fe-capped\",\"status\":\"creating\",\"bundle\":\"$T/capped\"}"
	assert_failure 2
	# with the rootfs rules at warn, the same walk only says it stopped
	jq '.rules["suid-files"] = "warn"' "$T/capped/policy.json" >"$T/p"
	run "$OCI_HARDEN" check --policy "$T/p" "$T/capped"
	assert_output --partial "stopped at the file-count limit"
	refute_output --partial "error"
}

@test "an exec is exempted by the annotations of the container it enters" {
	local b=$T/annotated id=oh-fe-ann-$$
	make_bundle "$b" '.annotations = {"io.exempt": "yes"}' sleep 60
	"$OCI_HARDEN" fix --in-place --no-rootfs-scan "$b" >/dev/null 2>&1
	runc run -d --bundle "$b" "$id" </dev/null >/dev/null 2>&1
	jq -n --arg a "$AUDIT" '{version: 1, audit: {file: $a}, exemptions: [{annotations:
		{"io.exempt": "yes"}, rules: ["no-new-privileges"]}]}' >"$T/policy.json"
	jq '.process | .noNewPrivileges = false' "$b/config.json" >"$T/p.json"
	: >"$AUDIT"
	OCI_HARDEN_RUNTIME=$(standin_runtime) OCI_HARDEN_POLICY="$T/policy.json" run "$RT" exec --process "$T/p.json" "$id"
	local st=$status
	run cat "$AUDIT"
	runc delete -f "$id" >/dev/null 2>&1
	[ "$st" = 0 ]
	assert_output --partial "exempted=no-new-privileges"
	# the same process into a container without the annotation: judged
	: >"$AUDIT"
	OCI_HARDEN_RUNTIME=$(standin_runtime) OCI_HARDEN_POLICY="$T/policy.json" run "$RT" exec --process "$T/p.json" "$HOST_ID"
	run cat "$AUDIT"
	assert_output --partial "rules=no-new-privileges"
	refute_output --partial "exempted="
}
