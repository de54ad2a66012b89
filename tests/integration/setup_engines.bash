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
