#!/usr/bin/env bats
# poststart acts only on a container's init, pid 1 of its pid namespace:
# another process of a sandbox with the forged bundle's root and cgroup is
# refused and not killed.  And a live init whose main thread has exited,
# so that /proc shows it as gone, is not taken as exited.

load helpers

setup() {
	[ "$(id -u)" = 0 ] || skip "needs root for runc and cgroups"
	T=$BATS_TEST_TMPDIR
	POLICY=$OH_SOURCE_DIR/policy/default.json
	CG=
	CID=
	LEADER=
}

teardown() {
	local p
	if [ -n "$CG" ] && [ -f "$CG/cgroup.procs" ]; then
		for p in $(cat "$CG/cgroup.procs"); do kill -9 "$p" 2>/dev/null || true; done
		for _ in 1 2 3 4 5 6 7 8 9 10; do rmdir "$CG" 2>/dev/null && break; sleep 0.2; done
	fi
	# runc takes the zombie main thread for a stopped container and
	# kills nothing: the process is killed here, then runc removes it.
	if [ -n "$LEADER" ]; then
		kill -9 "$LEADER" 2>/dev/null || true
		for _ in $(seq 50); do [ -d "/proc/$LEADER" ] || break; sleep 0.1; done
	fi
	[ -z "$CID" ] || runc delete -f "$CID" >/dev/null 2>&1 || true
}

state() {   # ID BUNDLE PID
	printf '{"ociVersion":"1.0.2","id":"%s","status":"running","bundle":"%s","pid":%s}' "$@"
}

# The pid in cgroup $CG whose command line is ARGS (NUL-separated).
pid_running() {
	local p want
	want=$(printf '%s\\0' "$@")
	for p in $(cat "$CG/cgroup.procs"); do
		[ "$(sed 's/\x0/\\0/g' "/proc/$p/cmdline" 2>/dev/null)" = "$want" ] && { echo "$p"; return 0; }
	done
	return 1
}

@test "poststart refuses, and kills nothing of, a child in a pid-namespace sandbox with the forged bundle's root and cgroup" {
	local unified=/sys/fs/cgroup/unified r id child one
	[ -f /sys/fs/cgroup/cgroup.procs ] && unified=/sys/fs/cgroup
	[ -f "$unified/cgroup.procs" ] || skip "no cgroup v2 hierarchy to make a cgroup in"
	id=oh-poststart-sandbox-$$-$RANDOM
	CG=$unified/$id
	mkdir "$CG"
	r=$(rootfs)
	# The sandbox's pid 1 is sh; its child sleep 3017 is pid 2 there.
	sh -c 'echo $$ >"$1/cgroup.procs" && exec unshare --pid --fork chroot "$2" /bin/sh -c "sleep 3017; :"' \
		sandbox "$CG" "$r" </dev/null >/dev/null 2>&1 &
	for _ in $(seq 50); do child=$(pid_running sleep 3017) && break; sleep 0.1; done
	[ -n "$child" ]
	[ "$(awk '/^NSpid:/ { print $NF }' "/proc/$child/status")" != 1 ]
	mkdir "$T/forged"
	jq -n --arg root "$r" '{ociVersion: "1.0.2", root: {path: $root},
		process: {args: ["sleep", "60"], cwd: "/", user: {uid: 0, gid: 0}},
		linux: {namespaces: [{type: "pid"}, {type: "mount"}]}}' >"$T/forged/config.json"
	run "$OCI_HARDEN" hook poststart --policy "$POLICY" <<<"$(state "$id" "$T/forged" "$child")"
	assert_failure 2
	assert_output --partial "not pid 1 of its pid namespace"
	kill -0 "$child"
	# The sandbox's own pid 1 passes this check (it has the forged root,
	# cgroup and a pid namespace of its own) and is judged: what the
	# check adds is that no other process of it can be aimed at.
	one=$(pid_running /bin/sh -c "sleep 3017; :")
	[ "$(awk '/^NSpid:/ { print $NF }' "/proc/$one/status")" = 1 ]
}

@test "poststart still identifies a runc container's init, pid 1 of its namespace, and kills it on a mismatch" {
	local b=$T/nnp pid
	make_bundle "$b" '.process.noNewPrivileges = false' sleep 60
	CID=oh-poststart-$$-$RANDOM
	runc run -d --bundle "$b" "$CID" </dev/null >/dev/null 2>&1
	pid=$(runc state "$CID" | jq .pid)
	run "$OCI_HARDEN" hook poststart --policy "$POLICY" <<<"$(runc state "$CID")"
	assert_failure 1
	assert_output --partial "no-new-privileges [fix]"
	assert_output --partial "killed it"
	for _ in $(seq 50); do [ "$(runc state "$CID" | jq -r .status)" = stopped ] && break; sleep 0.1; done
	[ "$(runc state "$CID" | jq -r .status)" = stopped ]
}

@test "poststart does not take a live init whose main thread exited for an exited one" {
	local b=$T/leader pid
	cp "${OH_LEADER_EXIT:?}" "$(rootfs)/bin/leader-exit"
	make_bundle "$b" '.' /bin/leader-exit
	CID=oh-poststart-$$-$RANDOM
	runc run -d --bundle "$b" "$CID" </dev/null >/dev/null 2>&1
	# runc reports a zombie main thread as a stopped container with pid 0.
	pid=$(jq .init_process_pid "/run/runc/$CID/state.json")
	LEADER=$pid
	# Its main thread gone, its other thread on.
	for _ in $(seq 50); do grep -q '^State:.*Z' "/proc/$pid/status" && break; sleep 0.1; done
	grep -q '^State:.*Z' "/proc/$pid/status"
	[ "$(ls "/proc/$pid/task" | wc -l)" = 2 ]
	run "$OCI_HARDEN" hook poststart --policy "$POLICY" <<<"$(state "$CID" "$b" "$pid")"
	assert_failure 2
	assert_output --partial "still running"
	refute_output --partial "already exited"
	kill -0 "$pid"
}

@test "poststart takes an init that exited but is not yet reaped, as under runc run, for an exited one" {
	local unified=/sys/fs/cgroup/unified r id zombie
	[ -f /sys/fs/cgroup/cgroup.procs ] && unified=/sys/fs/cgroup
	[ -f "$unified/cgroup.procs" ] || skip "no cgroup v2 hierarchy to make a cgroup in"
	id=oh-poststart-zombie-$$-$RANDOM
	CG=$unified/$id
	mkdir "$CG"
	r=$(rootfs)
	# pid 1 of a new pid namespace, chrooted into the rootfs, exits; its
	# parent (in the cgroup) does not reap it.
	python3 - "$CG" "$r" "$T/zombie.pid" <<'PY' >/dev/null 2>&1 &
import ctypes, os, sys, time
open(sys.argv[1] + "/cgroup.procs", "w").write(str(os.getpid()))
if ctypes.CDLL(None, use_errno=True).unshare(0x20000000) != 0:
    sys.exit(1)
pid = os.fork()
if pid == 0:
    os.chroot(sys.argv[2])
    os._exit(0)
open(sys.argv[3], "w").write(str(pid))
time.sleep(60)
PY
	for _ in $(seq 50); do [ -s "$T/zombie.pid" ] && break; sleep 0.1; done
	zombie=$(cat "$T/zombie.pid")
	for _ in $(seq 50); do grep -q '^State:.*Z' "/proc/$zombie/status" && break; sleep 0.1; done
	grep -q '^State:.*Z' "/proc/$zombie/status"
	[ "$(awk '/^NSpid:/ { print $NF }' "/proc/$zombie/status")" = 1 ]
	mkdir "$T/forged"
	jq -n --arg root "$r" '{ociVersion: "1.0.2", root: {path: $root},
		process: {args: ["true"], cwd: "/", user: {uid: 0, gid: 0}},
		linux: {namespaces: [{type: "pid"}, {type: "mount"}]}}' >"$T/forged/config.json"
	run "$OCI_HARDEN" hook poststart --policy "$POLICY" <<<"$(state "$id" "$T/forged" "$zombie")"
	assert_success
	refute_output --partial "still running"
}
