# Real engines for the tests, started as a user's host would run them but
# private to the test file: containerd with its own root, state and socket,
# dockerd on that containerd with its own data-root, exec-root and socket
# (no iptables, no bridge), everything under one temporary directory and
# stopped by PID at the end.  A busybox image is built offline.
#
# Use from setup_file:  engines_start [docker]  (skips when it cannot run)
# and teardown_file:    engines_stop
# Then: CTR=(ctr --address SOCK), DOCKER=(docker -H unix://SOCK), IMAGE.

DOCKER_BIN=/usr/bin/docker   # Debian's client, of the daemon's version

# engines_dir: the directory everything lives in, short enough for the
# 108-byte limit on socket paths.
engines_dir() {
	echo "/tmp/oh-engines-${BATS_ROOT_PID:-$$}"
}

# engines_skip MESSAGE: skip the whole file with the reason.
engines_skip() {
	echo "# $1" >&3
	skip "$1"
}

_engines_wait_socket() {
	local sock=$1 pid=$2 i
	for i in $(seq 1 150); do
		[ -S "$sock" ] && return 0
		kill -0 "$pid" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

# engines_start [docker]: containerd, and dockerd too when asked.  The
# wrapper's environment (OCI_HARDEN_POLICY, OCI_HARDEN_RUNTIME) reaches it
# through the daemons and their shims.
engines_start() {
	local want_docker=${1:-}
	local T
	T=$(engines_dir)
	command -v containerd >/dev/null || engines_skip "containerd is not installed"
	command -v containerd-shim-runc-v2 >/dev/null || engines_skip "containerd-shim-runc-v2 is not installed"
	rm -rf "$T"
	mkdir -p "$T"
	cat >"$T/containerd.toml" <<-EOF
	version = 2
	root = "$T/containerd/root"
	state = "$T/containerd/state"
	disabled_plugins = ["io.containerd.grpc.v1.cri"]
	[grpc]
	  address = "$T/containerd.sock"
	[ttrpc]
	  address = "$T/containerd.sock.ttrpc"
	[debug]
	  address = "$T/containerd-debug.sock"
	[metrics]
	  address = ""
	EOF
	containerd --config "$T/containerd.toml" </dev/null >"$T/containerd.log" 2>&1 3>&- &
	echo $! >"$T/containerd.pid"
	_engines_wait_socket "$T/containerd.sock" "$(cat "$T/containerd.pid")" ||
		engines_skip "containerd does not start here: $(tail -3 "$T/containerd.log")"
	if [ "$want_docker" = docker ]; then
		[ -x "$DOCKER_BIN" ] && command -v dockerd >/dev/null ||
			engines_skip "docker.io is not installed"
		jq -n --arg t "$T" --arg rt "${ENGINES_WRAPPER:-}" '{
			"data-root": ($t + "/docker"), "exec-root": ($t + "/docker-exec"),
			"hosts": ["unix://" + $t + "/docker.sock"],
			"containerd": ($t + "/containerd.sock"),
			"pidfile": ($t + "/docker.pid"),
			"iptables": false, "ip-masq": false, "ip-forward": false,
			"bridge": "none", "userland-proxy": false,
			"storage-driver": "overlay2", "log-driver": "none",
			"features": {"buildkit": false}
		} + (if $rt != "" then {"runtimes": {"oh-harden": {"path": $rt}}, "default-runtime": "oh-harden"} else {} end)' \
			>"$T/daemon.json"
		dockerd --config-file "$T/daemon.json" </dev/null >"$T/dockerd.log" 2>&1 3>&- &
		echo $! >"$T/dockerd.pid"
		_engines_wait_socket "$T/docker.sock" "$(cat "$T/dockerd.pid")" ||
			engines_skip "dockerd does not start here: $(tail -3 "$T/dockerd.log")"
		local i
		for i in $(seq 1 100); do
			"$DOCKER_BIN" -H "unix://$T/docker.sock" version >/dev/null 2>&1 && break
			sleep 0.1
		done
	fi
}

engines_stop() {
	local T f pid i
	T=$(engines_dir)
	[ -d "$T" ] || return 0
	for f in dockerd containerd; do
		[ -f "$T/$f.pid" ] || continue
		pid=$(cat "$T/$f.pid")
		kill "$pid" 2>/dev/null || continue
		for i in $(seq 1 100); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -9 "$pid" 2>/dev/null || true
	done
	# shims of this containerd outlive it: stop them by the pids it recorded
	for f in "$T"/containerd/state/io.containerd.runtime.v2.task/*/*/shim.pid; do
		[ -f "$f" ] && kill -9 "$(cat "$f")" 2>/dev/null || true
	done
	grep -q " $T/" /proc/mounts && awk -v t="$T/" 'index($2, t) == 1 { print $2 }' /proc/mounts |
		sort -r | xargs -r -n1 umount -l 2>/dev/null || true
	rm -rf "$T"
}

# The clients, on this file's daemons.
engines_clients() {
	local T
	T=$(engines_dir)
	CTR=(ctr --address "$T/containerd.sock")
	DOCKER=("$DOCKER_BIN" -H "unix://$T/docker.sock")
}

# engines_image: a busybox image built offline, in docker and in
# containerd (`docker import` of a rootfs tarball, `ctr image import` of
# `docker save`).  Sets IMAGE.
engines_image() {
	local T
	T=$(engines_dir)
	engines_clients
	export IMAGE=oh-engines/busybox:test
	if [ ! -f "$T/busybox.tar" ]; then
		tar -C "$(rootfs)" -cf "$T/rootfs.tar" .
		if [ -S "$T/docker.sock" ]; then
			"${DOCKER[@]}" import -c 'CMD ["sh"]' "$T/rootfs.tar" "$IMAGE" >/dev/null
			"${DOCKER[@]}" save -o "$T/busybox.tar" "$IMAGE"
		fi
	fi
	if [ -f "$T/busybox.tar" ]; then
		"${CTR[@]}" image import --all-platforms "$T/busybox.tar" >/dev/null
	else
		"${CTR[@]}" image import --all-platforms --index-name "docker.io/$IMAGE" \
			"$T/rootfs.tar" >/dev/null 2>&1 || true
	fi
}
