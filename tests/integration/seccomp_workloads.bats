#!/usr/bin/env bats
# seccomp.workloads: the policy names a learned profile per workload, by
# annotation or image name; fix, hook precreate and the wrapper's create all
# install it (rule seccomp-workload-profile, also for a config that is
# otherwise compliant), a config without the annotation keeps the policy's
# profile, a profile that cannot be used refuses, and the learned profile
# runs the workload under real runc.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	[ "$(id -u)" = 0 ] || skip "needs root for runc"
	T=$BATS_TEST_TMPDIR
	RT=$T/oci-harden-runtime
	ln -sf "$OCI_HARDEN" "$RT"
	# a stand-in real runtime that starts nothing, named runc: the wrapper
	# reads runc's or crun's command line by the runtime's name
	STANDIN=$T/standin/runc
	standin_script "$STANDIN" runc
	ANN='.annotations = {"org.example/workload": "web"}'
	SOCK=$T/learn.sock
}

# policy FILE PROFILE: a policy whose "web" workload gets PROFILE.
policy() {
	jq -n --arg p "$2" '{version: 1, seccomp: {workloads: [
		{annotation: {"org.example/workload": "web"}, profile: $p},
		{image: "docker.io/library/nginx:*", profile: $p}]}}' >"$1"
}

# learn_web OUT: learns `sh -c 'echo hello'` through the recorder into OUT.
learn_web() {
	jq -n --arg s "$SOCK" '{version: 1, seccomp: {learn: {socket: $s,
		annotation: "org.oci-harden.seccomp.learn"}}}' >"$T/learn.json"
	make_bundle "$T/l" '.annotations = {"org.oci-harden.seccomp.learn": "true"}' \
		sh -c 'echo hello; /bin/rawcall 250'
	"$OCI_HARDEN" profile learn --policy "$T/learn.json" "$1" 2>"$T/recorder.log" &
	local rec=$!
	for _ in $(seq 50); do [ -S "$SOCK" ] && break; sleep 0.1; done
	"$OCI_HARDEN" fix --in-place --policy "$T/learn.json" "$T/l" 2>/dev/null
	run_bundle "$T/l"
	wait "$rec"
	[ -s "$1" ]
}

# allowed FILE: how many calls the config's filter allows outright.
allowed() {
	jq '[.linux.seccomp.syscalls[] | select(.action == "SCMP_ACT_ALLOW" and (.args // [] | length) == 0) | .names[]] | unique | length' "$1"
}

@test "fix, hook precreate and the wrapper's create install the workload's learned profile, and runc runs the workload under it" {
	[ -x "${OH_RAWCALL:-}" ] || skip "OH_RAWCALL does not name the rawcall helper"
	cp "$OH_RAWCALL" "$(rootfs)/bin/rawcall"
	learn_web "$T/web.json"
	"$OCI_HARDEN" profile check "$T/web.json"
	policy "$T/p.json" "$T/web.json"
	make_bundle "$T/b" "$ANN" sh -c 'echo hello; /bin/rawcall 250'
	"$OCI_HARDEN" fix --policy "$T/p.json" -o "$T/fix.json" "$T/b" 2>/dev/null
	"$OCI_HARDEN" fix -o "$T/default.json" "$T/b" 2>/dev/null
	echo "learned: $(allowed "$T/fix.json") calls, default: $(allowed "$T/default.json")" >&3
	[ "$(allowed "$T/fix.json")" -lt $(($(allowed "$T/default.json") / 3)) ]
	# the same filter from every front end
	"$OCI_HARDEN" hook precreate --refusal exit --policy "$T/p.json" <"$T/b/config.json" >"$T/pre.json"
	cp -a "$T/b" "$T/w"
	OCI_HARDEN_RUNTIME=$STANDIN OCI_HARDEN_POLICY="$T/p.json" "$RT" create --bundle "$T/w" oh-wl-w
	want=$(jq -cS .linux.seccomp "$T/fix.json")
	[ "$(jq -cS .linux.seccomp "$T/pre.json")" = "$want" ]
	[ "$(jq -cS .linux.seccomp "$T/w/config.json")" = "$want" ]
	# and the check agrees it is in place
	run "$OCI_HARDEN" check --no-rootfs-scan --policy "$T/p.json" "$T/w"
	assert_success
	refute_output --partial seccomp-workload-profile
	# runc runs the workload under it; keyctl stays refused
	"$OCI_HARDEN" fix --in-place --policy "$T/p.json" "$T/b" 2>/dev/null
	run_bundle "$T/b"
	assert_success
	assert_line hello
	assert_line --regexp '^250 (1 EPERM|38 ENOSYS)$'
}

@test "a compliant config gets the workload's profile once its annotation matches; one without the annotation keeps the default" {
	policy "$T/p.json" strict
	make_bundle "$T/b" "$ANN"
	"$OCI_HARDEN" fix --in-place "$T/b" 2>/dev/null
	run "$OCI_HARDEN" check --no-rootfs-scan "$T/b"
	assert_success
	# compliant under the default policy, not under the workload's
	run "$OCI_HARDEN" check --no-rootfs-scan --policy "$T/p.json" "$T/b"
	assert_failure 1
	assert_output --partial "seccomp-workload-profile [fix]: the config is a workload of seccomp.workloads (annotation org.example/workload=web) whose profile strict is not installed"
	"$OCI_HARDEN" fix --no-rootfs-scan --policy "$T/p.json" -o "$T/strict.json" "$T/b" 2>/dev/null
	[ "$(allowed "$T/strict.json")" -lt "$(allowed "$T/b/config.json")" ]
	# without the annotation (or with another value): the policy's profile
	make_bundle "$T/c" '.annotations = {"org.example/workload": "db"}'
	"$OCI_HARDEN" fix --policy "$T/p.json" -o "$T/c.json" "$T/c" 2>/dev/null
	"$OCI_HARDEN" fix -o "$T/c-default.json" "$T/c" 2>/dev/null
	[ "$(jq -cS .linux.seccomp "$T/c.json")" = "$(jq -cS .linux.seccomp "$T/c-default.json")" ]
}

@test "the image name CRI-O and containerd record selects the workload" {
	policy "$T/p.json" strict
	local key
	for key in io.kubernetes.cri-o.ImageName io.kubernetes.cri.image-name; do
		make_bundle "$T/$key" ".annotations = {\"$key\": \"docker.io/library/nginx:1.25\"}"
		"$OCI_HARDEN" fix --in-place "$T/$key" 2>/dev/null
		run "$OCI_HARDEN" check --no-rootfs-scan --policy "$T/p.json" "$T/$key"
		assert_failure 1
		assert_output --partial "(image docker.io/library/nginx:*) whose profile strict is not installed"
	done
	make_bundle "$T/other" '.annotations = {"io.kubernetes.cri-o.ImageName": "docker.io/library/redis:7"}'
	"$OCI_HARDEN" fix --in-place "$T/other" 2>/dev/null
	run "$OCI_HARDEN" check --no-rootfs-scan --policy "$T/p.json" "$T/other"
	assert_success
}

@test "a workload's profile that is missing or does not confine refuses the container in every front end, naming the file" {
	echo '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["keyctl"], "action": "SCMP_ACT_ERRNO"}]}' >"$T/weak.json"
	local prof why
	for prof in "$T/missing.json" "$T/weak.json"; do
		case $prof in
		*missing*) why="cannot open" ;;
		*) why="it cannot confine a container" ;;
		esac
		policy "$T/p.json" "$prof"
		rm -rf "$T/b"
		make_bundle "$T/b" "$ANN"
		run "$OCI_HARDEN" check --no-rootfs-scan --policy "$T/p.json" "$T/b"
		assert_failure 2
		assert_output --partial "$prof"
		assert_output --partial "$why"
		run "$OCI_HARDEN" fix --in-place --policy "$T/p.json" "$T/b"
		assert_failure 2
		assert_output --partial "$prof"
		run "$OCI_HARDEN" hook precreate --refusal exit --policy "$T/p.json" <"$T/b/config.json"
		assert_failure
		assert_output --partial "$prof"
		cp -a "$T/b" "$T/w-$BATS_TEST_NUMBER"
		OCI_HARDEN_RUNTIME=$STANDIN OCI_HARDEN_POLICY="$T/p.json" run "$RT" create --bundle "$T/w-$BATS_TEST_NUMBER" oh-wl-x
		assert_failure
		assert_output --partial "$prof"
		rm -rf "$T/w-$BATS_TEST_NUMBER"
		# the config was not touched
		jq -e '.linux.seccomp == null' "$T/b/config.json"
	done
	# a container the workload does not select is not refused for it
	make_bundle "$T/c" '.'
	run "$OCI_HARDEN" fix -o "$T/c.json" --policy "$T/p.json" "$T/c"
	assert_success
}

@test "the policy loader refuses a workload without a profile, or with both an annotation and an image" {
	make_bundle "$T/b" '.'
	local bad
	for bad in '[{"annotation": {"a": "b"}}]' \
		'[{"annotation": {"a": "b"}, "image": "x", "profile": "strict"}]' \
		'[{"profile": "strict"}]' \
		'[{"annotation": {"a": "b", "c": "d"}, "profile": "strict"}]' \
		'[{"image": "", "profile": "strict"}]' \
		'[{"image": "x", "profile": "strict", "extra": 1}]'; do
		jq -n --argjson w "$bad" '{version: 1, seccomp: {workloads: $w}}' >"$T/p.json"
		run "$OCI_HARDEN" check --policy "$T/p.json" "$T/b"
		assert_failure 2
		assert_output --partial "/seccomp/workloads/0"
	done
}

@test "podman through the hooks runs an annotated container under its workload's profile; the createRuntime gate accepts podman's rewrite" {
	PREFIX=$(install_prefix)
	H=$T/hooks.d
	mkdir -p "$H"
	# the workload's profile: the bundled default without uname
	"$OCI_HARDEN" profile show default |
		jq '.syscalls |= map(if .names then .names -= ["uname"] else . end)' >"$T/web.json"
	policy "$T/p.json" "$T/web.json"
	local f
	for f in "$PREFIX"/share/containers/oci/hooks.d/*.json; do
		jq --arg p "$T/p.json" '.hook.args |= map(if endswith("policy.json") then $p else . end)' \
			"$f" >"$H/$(basename "$f")"
	done
	[ -x "${OH_RAWCALL:-}" ] || skip "OH_RAWCALL does not name the rawcall helper"
	cp "$OH_RAWCALL" "$(podman_rootfs)/bin/rawcall"
	# uname is number 63 on x86_64; rawcall passes it a NULL buffer, so
	# the kernel answers EFAULT where the filter lets it through
	[ "$(uname -m)" = x86_64 ] || skip "the call numbers are x86_64's"
	run "${PODMAN[@]}" --hooks-dir "$H" "${PODMAN_RUN[@]}" --annotation org.example/workload=web \
		--rootfs "$(podman_rootfs)" /bin/rawcall 63
	assert_success
	assert_output --regexp '^63 (1 EPERM|38 ENOSYS)$'
	run "${PODMAN[@]}" --hooks-dir "$H" "${PODMAN_RUN[@]}" --rootfs "$(podman_rootfs)" /bin/rawcall 63
	assert_success
	assert_output "63 14 EFAULT"
}
