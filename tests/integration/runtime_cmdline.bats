#!/usr/bin/env bats
# oci-harden-runtime reads runc's command line as runc does: for every
# spelling runc accepts, the bundle and id the wrapper hardens are the ones
# runc itself uses, and what the wrapper cannot read is refused.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	[ "$(id -u)" = 0 ] || skip "needs root for runc"
	PREFIX=$(install_prefix)
	RT=$PREFIX/bin/oci-harden-runtime
	export OCI_HARDEN_POLICY=$PREFIX/etc/oci-harden/policy.json
	B=$BATS_TEST_TMPDIR/bundle
	R=$BATS_TEST_TMPDIR/root
	L=$BATS_TEST_TMPDIR/log.json
	ID="oh-engines-cl-$$-$RANDOM"
	mkdir -p "$R"
	make_bundle "$B" '.process.noNewPrivileges = false'
	# A decoy in the working directory: a wrapper that missed the bundle
	# would harden (or skip) this one instead.
	make_bundle "$BATS_TEST_TMPDIR/decoy" '.process.noNewPrivileges = false'
	cd "$BATS_TEST_TMPDIR/decoy"
}

teardown() {
	runc --root "$R" delete -f "$ID" >/dev/null 2>&1 || true
}

# spelling ARGS...: runs the wrapper with ARGS (B, R, L, ID substituted),
# the container kept after it exits so that runc can be asked about it.
spelling() {
	local args=() a
	for a in "$@"; do
		a=${a//@B/$B}; a=${a//@R/$R}; a=${a//@L/$L}; a=${a//@ID/$ID}
		args+=("$a")
	done
	run "$RT" "${args[@]}"
}

# The container ran hardened from the bundle runc itself recorded.
assert_ran_hardened_from_bundle() {
	assert_success
	[ "$(field NoNewPrivs)" = 1 ]
	[ "$(field Seccomp)" = 2 ]
	run runc --root "$R" state "$ID"
	assert_success
	[ "$(jq -r .bundle <<<"$output")" = "$B" ]
	[ "$(jq .process.noNewPrivileges "$B/config.json")" = true ]
	[ "$(jq .process.noNewPrivileges "$BATS_TEST_TMPDIR/decoy/config.json")" = false ]
}

@test "runc -root R run --keep -bundle B ID: hardened, from the bundle runc used" {
	spelling -root @R run --keep -bundle @B @ID
	assert_ran_hardened_from_bundle
}

@test "runc --root=R run --keep --b B ID: hardened, from the bundle runc used" {
	spelling --root=@R run --keep --b @B @ID
	assert_ran_hardened_from_bundle
}

@test "runc -root=R -log L run --keep --bundle=B ID: hardened, from the bundle runc used" {
	spelling -root=@R -log @L run --keep --bundle=@B @ID
	assert_ran_hardened_from_bundle
}

@test "runc --root R --debug=false run -b=B --keep ID: hardened, from the bundle runc used" {
	spelling --root @R --debug=false run -b=@B --keep @ID
	assert_ran_hardened_from_bundle
}

@test "runc --root R run ID --keep --bundle B (flags after the id): hardened, from the bundle runc used" {
	spelling --root @R run @ID --keep --bundle @B
	assert_ran_hardened_from_bundle
}

@test "runc --root R -- run --keep -b B ID: hardened, from the bundle runc used" {
	spelling --root @R -- run --keep -b @B @ID
	assert_ran_hardened_from_bundle
}

@test "runc --root R run ID --keep --pid-file -- -b=B (\"--\" as a flag's value, as urfave 1.22.6+ reads it): hardened, from the bundle runc used" {
	# runc 1.1.5 takes "--" for the pid file and -b=B for the bundle; the
	# older reading (every "--" ends the flags) judged the working
	# directory's bundle while runc ran B's.
	spelling --root @R run @ID --keep --pid-file -- -b=@B
	assert_ran_hardened_from_bundle
}

@test "runc update ID --memory - -r --memory: runc reads the resources from the file named --memory, and so does the wrapper, which judges it" {
	jq '.process.args = ["sleep", "60"]' "$B/config.json" >"$B/c" && mv "$B/c" "$B/config.json"
	runc --root "$R" run -d --bundle "$B" "$ID" </dev/null >/dev/null
	cd "$BATS_TEST_TMPDIR"
	echo '{"pids": {"limit": 42}}' >./--memory
	# runc itself: "-" is --memory's value, "--memory" -r's.
	run runc --root "$R" update "$ID" --memory - -r --memory
	assert_success
	local pid
	pid=$(runc --root "$R" state "$ID" | jq .pid)
	[ "$(cat "/sys/fs/cgroup/pids$(grep :pids: "/proc/$pid/cgroup" | cut -d: -f3)/pids.max")" = 42 ]
	# The wrapper reads the same file, and judges it.
	echo '{"devices": [{"allow": true, "access": "rwm"}]}' >./--memory
	spelling --root @R update @ID --memory - -r --memory
	assert_failure 1
	assert_output --partial "host-devices"
}

@test "runc --root R run --keep ID with the bundle in the working directory: the working directory is hardened" {
	cd "$B"
	spelling --root @R run --keep @ID
	assert_success
	[ "$(field NoNewPrivs)" = 1 ]
	run runc --root "$R" state "$ID"
	[ "$(jq -r .bundle <<<"$output")" = "$B" ]
}

@test "spellings runc refuses are refused by the wrapper, naming the argument, before runc runs" {
	local bad
	for bad in "run --bundel @B @ID" "run ---bundle @B @ID" "run -b @B --bundle @B @ID" \
		"run --no-pivot @ID --bundle @B" "--bogus run -b @B @ID" "run --detach=maybe -b @B @ID"; do
		# shellcheck disable=SC2086
		spelling --root @R $bad
		[ "$status" = 2 ] || { echo "$bad: status $status"; return 1; }
		[[ "$output" == *"refusing the command line"* ]] || { echo "$bad: $output"; return 1; }
		# and runc agrees that these are not command lines it runs
		local real=${bad//@B/$B}
		real=${real//@ID/$ID}
		# shellcheck disable=SC2086
		run runc --root "$R" $real
		[ "$status" != 0 ] || { echo "runc ran: $bad"; return 1; }
	done
	[ "$(jq .process.noNewPrivileges "$B/config.json")" = false ]
}

# A detached, hardened container running sleep, for the exec spellings.
start_sleeper() {
	rm -f "$B/config.json"
	make_bundle "$B" "${1:-.}" sleep 60
	"$RT" --root "$R" run -d --bundle "$B" "$ID" </dev/null >/dev/null 2>&1
}

@test "a runtime whose name says neither runc nor crun is refused until runtime.dialect names its grammar" {
	mkdir -p "$BATS_TEST_TMPDIR/bin"
	ln -s "$(command -v runc)" "$BATS_TEST_TMPDIR/bin/oci-rt"
	export OCI_HARDEN_RUNTIME=$BATS_TEST_TMPDIR/bin/oci-rt
	# the link leads to runc: its file name says
	spelling --root @R run --keep --bundle @B @ID
	assert_ran_hardened_from_bundle
	runc --root "$R" delete -f "$ID"
	# a copy under another name: nothing says whose grammar it reads
	cp "$(command -v runc)" "$BATS_TEST_TMPDIR/bin/oci-rt-copy"
	export OCI_HARDEN_RUNTIME=$BATS_TEST_TMPDIR/bin/oci-rt-copy
	spelling --root @R run --keep --bundle @B @ID
	assert_failure 2
	assert_output --partial "set runtime.dialect in the policy"
	run runc --root "$R" state "$ID"
	assert_failure
	jq '. + {"runtime": {"dialect": "runc"}}' "$OCI_HARDEN_POLICY" >"$BATS_TEST_TMPDIR/policy.json"
	export OCI_HARDEN_POLICY=$BATS_TEST_TMPDIR/policy.json
	spelling --root @R run --keep --bundle @B @ID
	assert_ran_hardened_from_bundle
}

@test "runc exec -cap, --c, -c=: a capability of the container is added, one outside it refused" {
	# CAP_CHOWN in the container's bounding set, not in its effective set
	start_sleeper '.process.capabilities.bounding += ["CAP_CHOWN"]'
	spelling --root @R exec -cap CAP_CHOWN @ID sh -c "$STATUS"
	assert_success
	[ "$(field CapEff)" = "$(capmask 0 5 10)" ]
	[ "$(field NoNewPrivs)" = 1 ]
	spelling --root @R exec --c CAP_CHOWN @ID sh -c "$STATUS"
	assert_success
	[ "$(field CapEff)" = "$(capmask 0 5 10)" ]
	spelling -root @R exec -c=CAP_SYS_ADMIN @ID sh -c "$STATUS"
	assert_failure 1
	assert_output --partial "cap-not-allowed: exec --cap CAP_SYS_ADMIN"
	refute_output --partial "CapEff"
}

@test "runc exec -user 1000 and --u 1000:1000 run as uid 1000 with NoNewPrivs 1" {
	start_sleeper
	spelling --root @R exec -user 1000 @ID sh -c 'grep -E "^(Uid|NoNewPrivs|CapEff):" /proc/self/status'
	assert_success
	[ "$(field Uid)" = 1000 ]
	[ "$(field NoNewPrivs)" = 1 ]
	[ "$(field CapEff)" = 0000000000000000 ]
	spelling --root @R exec --u 1000:1000 @ID sh -c 'grep -E "^(Gid|NoNewPrivs):" /proc/self/status'
	assert_success
	[ "$(field Gid)" = 1000 ]
}

@test "runc exec -process P and --p=P: the engine's process is clamped to the container" {
	start_sleeper
	# An engine's exec spec: its own capabilities and no noNewPrivileges.
	jq --arg cmd "$STATUS" '.process | .args = ["sh", "-c", $cmd] | .noNewPrivileges = false
		| .capabilities = {bounding: ["CAP_CHOWN","CAP_KILL","CAP_MKNOD","CAP_NET_RAW","CAP_AUDIT_WRITE"],
		   effective: ["CAP_CHOWN","CAP_KILL","CAP_MKNOD","CAP_NET_RAW","CAP_AUDIT_WRITE"],
		   permitted: ["CAP_CHOWN","CAP_KILL","CAP_MKNOD","CAP_NET_RAW","CAP_AUDIT_WRITE"]}' \
		"$B/config.json" >"$BATS_TEST_TMPDIR/p.json"
	cp "$BATS_TEST_TMPDIR/p.json" "$BATS_TEST_TMPDIR/before.json"
	spelling --root @R exec -process "$BATS_TEST_TMPDIR/p.json" @ID
	assert_success
	[ "$(field NoNewPrivs)" = 1 ]
	[ "$(field Seccomp)" = 2 ]
	[ "$(field CapEff)" = "$(capmask 5)" ]
	[ "$(field CapBnd)" = "$(capmask 5)" ]
	spelling --root @R exec --p="$BATS_TEST_TMPDIR/p.json" @ID
	assert_success
	[ "$(field CapEff)" = "$(capmask 5)" ]
	# the engine's file is left as it was
	cmp "$BATS_TEST_TMPDIR/p.json" "$BATS_TEST_TMPDIR/before.json"
}

@test "a process file with anything after its object is refused" {
	start_sleeper
	{ jq -c '.process | .args = ["true"]' "$B/config.json"; echo '{"args":["sh"]}'; } >"$BATS_TEST_TMPDIR/p.json"
	spelling --root @R exec --process "$BATS_TEST_TMPDIR/p.json" @ID
	assert_failure 2
	assert_output --partial "refusing exec in container"
}

@test "a refusal reaches the --log file as runc's JSON line, and runc never starts the container" {
	jq --slurpfile p "$FIXTURES/podman/privileged.json" \
		'.process.capabilities.bounding = $p[0].process.capabilities.bounding' \
		"$B/config.json" >"$B/c" && mv "$B/c" "$B/config.json"
	spelling --root @R --log @L --log-format json run --bundle @B @ID
	assert_failure 1
	assert_output --partial "cap-all [deny]"
	[ "$(wc -l <"$L")" = 1 ]
	[ "$(jq -r .level "$L")" = error ]
	[[ "$(jq -r .msg "$L")" == *"cap-all:"* ]]
	[[ "$(jq -r .time "$L")" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$ ]]
	run runc --root "$R" state "$ID"
	assert_failure
}

@test "restore is refused by default, and judged like create where the policy verifies restores" {
	spelling --root @R restore -d --image-path "$BATS_TEST_TMPDIR/none" -bundle @B @ID
	assert_failure 1
	assert_output --partial 'runtime.restore "refuse"'
	[ "$(jq .process.noNewPrivileges "$B/config.json")" = false ]
	jq '.runtime.restore = "verify"' "$OCI_HARDEN_POLICY" >"$BATS_TEST_TMPDIR/verify.json"
	export OCI_HARDEN_POLICY=$BATS_TEST_TMPDIR/verify.json
	jq --slurpfile p "$FIXTURES/podman/privileged.json" \
		'.process.capabilities.bounding = $p[0].process.capabilities.bounding' \
		"$B/config.json" >"$BATS_TEST_TMPDIR/all.json"
	cp "$B/config.json" "$BATS_TEST_TMPDIR/fixable.json"
	cp "$BATS_TEST_TMPDIR/all.json" "$B/config.json"
	spelling --root @R restore -d --image-path "$BATS_TEST_TMPDIR/none" -bundle @B @ID
	assert_failure 1
	assert_output --partial "cap-all [deny]"
	cmp "$B/config.json" "$BATS_TEST_TMPDIR/all.json"
	cp "$BATS_TEST_TMPDIR/fixable.json" "$B/config.json"
	# runc then fails for want of an image (or of criu); the config it read was fixed
	spelling --root @R restore --detach --image-path "$BATS_TEST_TMPDIR/none" --b @B @ID
	[ "$(jq .process.noNewPrivileges "$B/config.json")" = true ]
	spelling --root @R restore --lsm-profile apparmor:unconfined -d -b @B @ID
	assert_failure 2
	assert_output --partial "--lsm-profile"
}

@test "the wrapper refuses when its deadline passes, in the log file and the audit trail too, and runc never runs" {
	# A rootfs walk of the host's /usr takes seconds; the deadline is 0.1 s.
	jq '.root.path = "/usr"' "$B/config.json" >"$B/c" && mv "$B/c" "$B/config.json"
	cp "$B/config.json" "$BATS_TEST_TMPDIR/before.json"
	jq --arg a "$BATS_TEST_TMPDIR/audit.log" '.rootfs = {"scan": true, "maxFiles": 100000000, "maxSeconds": 3600}
		| .runtime.deadlineSeconds = 0.1 | .audit.file = $a' "$OCI_HARDEN_POLICY" >"$BATS_TEST_TMPDIR/p.json"
	OCI_HARDEN_POLICY=$BATS_TEST_TMPDIR/p.json spelling --root @R --log @L --log-format json create --bundle @B @ID
	assert_failure 2
	assert_output --partial "deadline of 0.1 s passed"
	[[ "$(jq -r .msg "$L")" == *"deadline of 0.1 s passed"* ]]
	run cat "$BATS_TEST_TMPDIR/audit.log"
	assert_line --regexp "^time=[^ ]* stage=runtime id=$ID verdict=error action=refused mode=enforce bundle=$B detail=\"refusing create of container $ID: the wrapper's deadline of 0.1 s passed"
	cmp "$B/config.json" "$BATS_TEST_TMPDIR/before.json"
	run runc --root "$R" state "$ID"
	assert_failure
}
