# Prepared host roots for `oci-harden setup`: each engine's configuration
# as an admin leaves it (comments, other settings, drop-ins of their own),
# and what the tests compare them with.

ENGINES=(podman docker containerd crio)

# prepare_root ENGINE DIR: DIR gets ENGINE's existing configuration.
prepare_root() {
	local engine=$1 r=$2
	mkdir -p "$r"
	case $engine in
	docker)
		mkdir -p "$r/etc/docker"
		cat >"$r/etc/docker/daemon.json" <<-'J'
		{
		    "log-level": "warn",
		    "runtimes": { "crun": { "path": "/usr/bin/crun" } },
		    "storage-driver": "vfs"
		}
		J
		;;
	podman)
		mkdir -p "$r/etc/containers/containers.conf.d"
		cat >"$r/etc/containers/containers.conf" <<-'T'
		# the admin's settings
		[containers]
		log_size_max = 1048576

		[engine]
		events_logger = "file"
		T
		;;
	containerd)
		mkdir -p "$r/etc/containerd"
		cat >"$r/etc/containerd/config.toml" <<-'T'
		# the admin's containerd settings
		version = 2
		root = "/var/lib/containerd"

		[plugins."io.containerd.grpc.v1.cri"]
		  sandbox_image = "registry.example/pause:3.9"
		  [plugins."io.containerd.grpc.v1.cri".containerd]
		    snapshotter = "native"
		    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
		      SystemdCgroup = false
		T
		;;
	crio)
		mkdir -p "$r/etc/crio/crio.conf.d" "$r/usr/share/containers/oci/hooks.d"
		cat >"$r/etc/crio/crio.conf" <<-'T'
		# the admin's CRI-O settings
		[crio]
		log_dir = "/var/log/crio/pods"

		[crio.runtime]
		default_runtime = "runc"
		conmon_cgroup = "pod"
		T
		cat >"$r/etc/crio/crio.conf.d/10-admin.conf" <<-'T'
		[crio.runtime]
		hooks_dir = ["/usr/share/containers/oci/hooks.d"]
		T
		;;
	esac
}

# The file every engine's setup edits or creates first, for messages.
main_config() {
	case $1 in
	docker) echo /etc/docker/daemon.json ;;
	podman) echo /etc/containers/containers.conf ;;
	containerd) echo /etc/containerd/config.toml ;;
	crio) echo /etc/crio/crio.conf ;;
	esac
}

# break_config ENGINE DIR: makes the existing config malformed on line 3;
# prints that file.
break_config() {
	local f=$2$(main_config "$1")
	case $1 in
	docker) printf '{\n  "log-level": "warn",\n  "debug": tru\n}\n' >"$f" ;;
	*) printf '# comment\n[engine]\nkey = "unterminated\n' >"$f" ;;
	esac
	echo "$f"
}

# tree_state DIR: every file with its checksum and every directory, so a
# change of bytes, a new file or a new directory shows.
tree_state() {
	(cd "$1" && find . -type d | sort && find . -type f -print0 | sort -z | xargs -0r sha256sum)
}

# toml_json FILE: the TOML file as JSON, read by Python's tomllib (or tomli).
toml_json() {
	/usr/bin/python3 -c '
import json, sys
try:
    import tomllib
except ImportError:
    import tomli as tomllib
with open(sys.argv[1], "rb") as f:
    print(json.dumps(tomllib.load(f)))' "$1"
}

have_toml_parser() {
	/usr/bin/python3 -c 'import tomllib' 2>/dev/null || /usr/bin/python3 -c 'import tomli' 2>/dev/null
}

# A containerd and a dockerd of the test's own: own roots, state and
# sockets under $1, started in the background and stopped by PID.
ENGINE_PIDS=

# start_containerd DIR: a containerd on DIR/containerd.sock, without the
# CRI plugin (it wants CNI and is not what these tests use).
start_containerd() {
	local d=$1
	mkdir -p "$d"
	printf 'version = 2\ndisabled_plugins = ["io.containerd.grpc.v1.cri"]\n' >"$d/containerd.toml"
	containerd --config "$d/containerd.toml" --root "$d/ctrd-root" --state "$d/ctrd-state" \
		--address "$d/containerd.sock" >"$d/containerd.log" 2>&1 &
	ENGINE_PIDS="$ENGINE_PIDS $!"
	wait_for_socket "$d/containerd.sock" || { cat "$d/containerd.log"; return 1; }
}

# start_dockerd DIR DAEMON_JSON: a dockerd on DIR/docker.sock reading
# DAEMON_JSON, over the containerd of start_containerd DIR.
start_dockerd() {
	local d=$1
	dockerd --config-file "$2" --data-root "$d/data" --exec-root "$d/exec" \
		-H "unix://$d/docker.sock" --pidfile "$d/docker.pid" --iptables=false \
		--ip-masq=false --bridge=none --containerd "$d/containerd.sock" \
		>"$d/dockerd.log" 2>&1 &
	ENGINE_PIDS="$ENGINE_PIDS $!"
	wait_for_socket "$d/docker.sock" || { cat "$d/dockerd.log"; return 1; }
}

wait_for_socket() {
	local i
	for i in $(seq 1 100); do
		[ -S "$1" ] && return 0
		sleep 0.2
	done
	return 1
}

# Stops what start_* started, newest first, by PID.
stop_engines() {
	local p pids=
	for p in $ENGINE_PIDS; do pids="$p $pids"; done
	for p in $pids; do
		kill "$p" 2>/dev/null || continue
		for _ in $(seq 1 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.2; done
		kill -9 "$p" 2>/dev/null || true
	done
	ENGINE_PIDS=
}
