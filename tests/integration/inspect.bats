#!/usr/bin/env bats
# inspect on real runc (and podman) containers: the kernel's view of what a
# running container holds and where it listens, judged with check's rules.

load helpers

setup() {
	[ "$(id -u)" = 0 ] || skip "needs root for runc"
	B=$BATS_TEST_TMPDIR/bundle
	ID="oh-inspect-$$-$BATS_TEST_NUMBER"
	IDS=("$ID")
}

teardown() {
	local id
	for id in "${IDS[@]}"; do
		runc delete -f "$id" >/dev/null 2>&1 || true
	done
	[ ! -e "$BATS_TEST_TMPDIR/injected" ] || kill -9 "$(cat "$BATS_TEST_TMPDIR/injected")" 2>/dev/null || true
}

# start ID BUNDLE: runs the bundle detached; stdio are not a terminal.
start() {
	runc run -d --bundle "$2" "$1" </dev/null >/dev/null 2>&1
}

# The init pid runc recorded for a container.
init_pid() {
	jq -r .init_process_pid "/run/runc/$1/state.json"
}

# wait_listen PID PORT: until the process's network namespace has a TCP
# listener on PORT (nc needs a moment after exec to call listen()).
wait_listen() {
	local hex i
	hex=$(printf ':%04X' "$2")
	for i in $(seq 50); do
		if awk -v p="$hex" 'substr($2, length($2) - 4) == p && $4 == "0A"' \
			"/proc/$1/net/tcp" "/proc/$1/net/tcp6" |
			grep -q .; then
			return 0
		fi
		sleep 0.1
	done
	echo "nothing listens on port $2 in the namespace of $1" >&2
	return 1
}

# An nc container listening on 8080; the jq filter edits its config.
nc_container() {
	make_bundle "$B" "${1:-.}" nc -l -p 8080
	start "$ID" "$B"
	wait_listen "$(init_pid "$ID")" 8080
}

@test "inspect shows a busybox nc listener with its port, protocol and process" {
	nc_container
	pid=$(init_pid "$ID")
	run "$OCI_HARDEN" inspect --format json "$ID"
	assert_failure 1
	printf '%s' "$output" | jq -e --arg id "$ID" --argjson pid "$pid" \
		'.containers[0] | .id == $id and .pid == $pid and .status == "running"'
	# busybox binds the IPv6 wildcard (dual-stack); tcp on 0.0.0.0 without IPv6
	printf '%s' "$output" | jq -e --argjson pid "$pid" \
		'.containers[0].listening | map(select(.port == 8080)) | length == 1 and
		 (.[0] | (.proto == "tcp6" or .proto == "tcp") and (.address == "::" or .address == "0.0.0.0")
		         and .process == "nc" and .pid == $pid)'
	printf '%s' "$output" | jq -e '.containers[0].findings | map(select(.rule == "listening-all-interfaces"))[0]
		| .action == "warn" and (.message | contains(":8080 (nc, pid"))'
	run "$OCI_HARDEN" inspect "$ID"
	assert_failure 1
	assert_output --regexp "$ID: listening tcp6? +(\[::\]|0\.0\.0\.0):8080 $pid/nc"
}

@test "the kernel's capabilities are what the config granted" {
	nc_container '.process.capabilities.bounding += ["CAP_SYS_ADMIN"] | .process.capabilities.effective += ["CAP_SYS_ADMIN"] | .process.capabilities.permitted += ["CAP_SYS_ADMIN"]'
	run "$OCI_HARDEN" inspect --format json "$ID"
	assert_failure 1
	local set
	for set in bounding effective permitted; do
		diff <(jq -r --arg s "$set" '.process.capabilities[$s] | sort[]' "$B/config.json") \
		     <(printf '%s' "$output" | jq -r --arg s "$set" '.containers[0].capabilities[$s] | sort[]')
	done
	printf '%s' "$output" | jq -e '.containers[0].capabilities.inheritable == []'
	# CAP_AUDIT_WRITE (runc spec's) and CAP_SYS_ADMIN are outside the default allowlist
	printf '%s' "$output" | jq -e '.containers[0].findings | map(select(.rule == "cap-not-allowed"))[0]
		| .action == "fix" and (.message | contains("CAP_SYS_ADMIN")) and (.message | contains("CAP_AUDIT_WRITE"))'
	printf '%s' "$output" | jq -e '.containers[0].findings | map(select(.rule == "cap-all")) == []'
}

@test "a container without no-new-privileges gets that finding, one with it does not" {
	nc_container '.process.noNewPrivileges = false'
	run "$OCI_HARDEN" inspect "$ID"
	assert_failure 1
	assert_output --partial "$ID: no-new-privileges [fix]: process $(init_pid "$ID") (nc) runs without no-new-privileges (NoNewPrivs 0)"
	assert_output --partial "$ID: seccomp-unconfined [fix]"
	assert_output --partial "$ID: fixable"

	local other="$ID-nnp"
	IDS+=("$other")
	make_bundle "$BATS_TEST_TMPDIR/nnp" '.process.noNewPrivileges = true' sleep 60
	start "$other" "$BATS_TEST_TMPDIR/nnp"
	run "$OCI_HARDEN" inspect --format json "$other"
	printf '%s' "$output" | jq -e '.containers[0] | .noNewPrivileges == true and
		(.findings | map(.rule) | index("no-new-privileges") == null)'
}

@test "a hardened container passes: fix, then the kernel's view is compliant" {
	make_bundle "$B" '.process.noNewPrivileges = false | .process.user = {uid: 1000, gid: 1000}' sleep 60
	run "$OCI_HARDEN" fix --in-place "$B"
	assert_success
	start "$ID" "$B"
	run "$OCI_HARDEN" inspect --format json "$ID"
	assert_success
	printf '%s' "$output" | jq -e '.containers[0] | .verdict == "compliant" and .noNewPrivileges
		and .seccomp == "filter" and .seccompFilters >= 1 and .uid == 1000 and .findings == []'
}

@test "inspect by PID gives the view inspect by id gives" {
	nc_container
	pid=$(init_pid "$ID")
	run "$OCI_HARDEN" inspect --format json "$ID"
	by_id=$(printf '%s' "$output" | jq -S '.containers[0] | {capabilities, noNewPrivileges, seccomp, listening, findings}')
	run "$OCI_HARDEN" inspect --format json "$pid"
	assert_failure 1
	printf '%s' "$output" | jq -e --argjson pid "$pid" '.containers[0] | .id == null and .pid == $pid'
	by_pid=$(printf '%s' "$output" | jq -S '.containers[0] | {capabilities, noNewPrivileges, seccomp, listening, findings}')
	[ "$by_id" = "$by_pid" ]
}

@test "processes started with runc exec are part of the container's view" {
	nc_container '.process.noNewPrivileges = true'
	runc exec -d --cap CAP_NET_RAW "$ID" sleep 60 </dev/null >/dev/null 2>&1
	runc exec -d "$ID" httpd -f -p 127.0.0.1:9090 </dev/null >/dev/null 2>&1
	wait_listen "$(init_pid "$ID")" 9090
	run "$OCI_HARDEN" inspect --format json "$ID"
	assert_failure 1
	printf '%s' "$output" | jq -e '.containers[0].processes | map(.name) | sort == ["httpd", "nc", "sleep"]'
	# and inspect names them: the exec'd ones, not init
	printf '%s' "$output" | jq -e '.containers[0].processes | map(select(.exec) | .name) | sort == ["httpd", "sleep"]'
	printf '%s' "$output" | jq -e '.containers[0].processes[0] | .name == "nc" and .exec == false'
	# the exec'd process holds a capability init does not
	printf '%s' "$output" | jq -e '.containers[0].capabilities.effective | index("CAP_NET_RAW") == null'
	printf '%s' "$output" | jq -e '.containers[0].findings | map(select(.rule == "cap-not-allowed"))[0].message | contains("CAP_NET_RAW")'
	# a loopback listener is reported but not flagged
	printf '%s' "$output" | jq -e '.containers[0].listening | map(select(.port == 9090))[0] | .address == "127.0.0.1" and .process == "httpd"'
	printf '%s' "$output" | jq -e '.containers[0].findings | map(select(.rule == "listening-all-interfaces"))[0].message | contains("9090") | not'
	run "$OCI_HARDEN" inspect "$ID"
	assert_output --regexp "process [0-9]+ sleep \(entered by exec\)"
	refute_output --regexp "process [0-9]+ nc \(entered by exec\)"
}

@test "a process whose main thread exited is part of the container's view by its live thread" {
	command -v cc >/dev/null || skip "needs a C compiler for the test's process"
	local t=$BATS_TEST_TMPDIR p pid i d
	cc -O2 -pthread -o "$t/tasks" "$OH_SOURCE_DIR/tests/fixtures/restore/tasks.c"
	make_bundle "$B" '.process.noNewPrivileges = true' sleep 600
	start "$ID" "$B"
	pid=$(init_pid "$ID")
	# a host process (every capability) joins the container's cgroups,
	# then its main thread exits: the leader shows Z, its thread runs on
	mkfifo "$t/go"
	"$t/tasks" lone-thread <"$t/go" >/dev/null 2>&1 &
	p=$!
	disown "$p"
	echo "$p" >"$t/injected"
	for d in $(awk -F: '$3 != "/" { c = $2; sub(/^name=/, "", c); if (c == "") c = "unified"
		print "/sys/fs/cgroup/" c $3 }' "/proc/$pid/cgroup"); do
		echo "$p" >"$d/cgroup.procs"
	done
	echo go >"$t/go"
	for i in $(seq 50); do
		[ "$(awk '{print $3}' "/proc/$p/stat")" != Z ] || break
		sleep 0.1
	done
	[ "$(awk '{print $3}' "/proc/$p/stat")" = Z ]
	run "$OCI_HARDEN" inspect --format json "$ID"
	assert_failure 1
	printf '%s' "$output" | jq -e '.containers[0].processes | map(.name) | index("tasks") != null'
	printf '%s' "$output" | jq -e '.containers[0].findings | map(select(.rule == "cap-all")) | length > 0'
}

@test "an annotation exempts a container from a rule as in check" {
	nc_container '.process.noNewPrivileges = false | .annotations = {"team": "infra"}'
	echo '{"exemptions": [{"annotations": {"team": "infra"}, "rules": ["no-new-privileges"]}]}' >"$BATS_TEST_TMPDIR/p.json"
	run "$OCI_HARDEN" inspect --policy "$BATS_TEST_TMPDIR/p.json" "$ID"
	refute_output --partial "no-new-privileges ["
	assert_output --partial "seccomp-unconfined [fix]"
}

@test "--all lists every container of the root, --root reads another runc root" {
	local root=$BATS_TEST_TMPDIR/runc-root
	make_bundle "$B" '.' sleep 60
	runc --root "$root" run -d --bundle "$B" "$ID" </dev/null >/dev/null 2>&1
	runc --root "$root" run -d --bundle "$B" "$ID-2" </dev/null >/dev/null 2>&1
	# runc run -d returns before init has exec'd the workload
	local c p
	for c in "$ID" "$ID-2"; do
		p=$(runc --root "$root" state "$c" | jq .pid)
		for _ in $(seq 50); do [ "$(cat "/proc/$p/comm")" = sleep ] && break; sleep 0.1; done
	done
	run "$OCI_HARDEN" inspect --root "$root" --all --format json
	runc --root "$root" delete -f "$ID" >/dev/null 2>&1
	runc --root "$root" delete -f "$ID-2" >/dev/null 2>&1
	assert_failure 1
	printf '%s' "$output" | jq -e --arg a "$ID" --arg b "$ID-2" '[.containers[].id] == [$a, $b]'
	printf '%s' "$output" | jq -e '[.containers[].processes[0].name] == ["sleep", "sleep"]'
	# the default root does not hold them
	run "$OCI_HARDEN" inspect "$ID"
	assert_failure 2
	assert_output --partial "no container \"$ID\" in /run/runc"
	mkdir -p "$BATS_TEST_TMPDIR/empty"
	run "$OCI_HARDEN" inspect --root "$BATS_TEST_TMPDIR/empty" --all --format json
	assert_success
	printf '%s' "$output" | jq -e '.containers == []'
}

@test "a stopped container, an unknown id and a gone PID cannot be read: exit 2" {
	make_bundle "$B" '.' true
	start "$ID" "$B"
	for i in $(seq 50); do
		[ "$(runc state "$ID" | jq -r .status)" = stopped ] && break
		sleep 0.1
	done
	run "$OCI_HARDEN" inspect "$ID"
	assert_failure 2
	assert_output --partial "is not running"
	run "$OCI_HARDEN" inspect --all --format json
	printf '%s' "$output" | jq -e --arg id "$ID" '.containers | map(select(.id == $id))[0].status == "stopped"'
	run "$OCI_HARDEN" inspect no-such-container
	assert_failure 2
	run "$OCI_HARDEN" inspect 2147483646
	assert_failure 2
	assert_output --partial "No such process"
	run "$OCI_HARDEN" inspect --all "$ID"
	assert_failure 2
	run "$OCI_HARDEN" inspect
	assert_failure 2
}

@test "podman's runc containers are found in runc's default root" {
	command -v podman >/dev/null || skip "no podman"
	local name="oh-inspect-podman-$$"
	run "${PODMAN[@]}" run -d --rm --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 \
		--name "$name" --rootfs "$(podman_rootfs)" nc -l -p 8080
	assert_success
	local id=$output
	wait_listen "$(init_pid "$id")" 8080
	run "$OCI_HARDEN" inspect --format json "$id"
	"${PODMAN[@]}" rm -f "$name" >/dev/null 2>&1
	assert_failure 1
	# podman's default capabilities are the default allowlist; it sets no
	# no-new-privileges unless asked
	printf '%s' "$output" | jq -e '.containers[0] | (.capabilities.bounding | length) == 11 and
		(.findings | map(.rule) | (index("cap-not-allowed") == null and index("no-new-privileges") != null))'
	printf '%s' "$output" | jq -e '.containers[0].listening | map(select(.port == 8080 and .process == "nc")) | length == 1'
}
