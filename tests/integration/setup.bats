#!/usr/bin/env bats
# oci-harden setup: each engine's configuration edited the way the engine
# reads it, on prepared host roots, and on real podman, containerd and
# dockerd where this machine runs them.

load helpers
load setup_engines
bats_require_minimum_version 1.5.0

setup() {
	have_toml_parser || skip "needs /usr/bin/python3 with tomllib or python3-tomli to read TOML"
	R=$BATS_TEST_TMPDIR/root
	# Host paths as setup writes them into the engines' configs.
	SETUP=(--binary /usr/bin/oci-harden --policy /etc/oci-harden/policy.json)
}

@test "a second setup run changes no byte, for every engine" {
	for e in "${ENGINES[@]}"; do
		rm -rf "$R" && prepare_root "$e" "$R"
		run "$OCI_HARDEN" setup --engine "$e" --root "$R" "${SETUP[@]}"
		assert_success
		assert_output --partial "restart"
		first=$(tree_state "$R")
		run "$OCI_HARDEN" setup --engine "$e" --root "$R" "${SETUP[@]}"
		assert_success
		assert_output "$e: already set up, nothing to change"
		[ "$(tree_state "$R")" = "$first" ] || fail "$e: the second run changed files"
	done
}

@test "setup --undo gives back the original bytes and removes what setup made, for every engine" {
	for e in "${ENGINES[@]}"; do
		rm -rf "$R" "$R.orig" && prepare_root "$e" "$R" && cp -a "$R" "$R.orig"
		run "$OCI_HARDEN" setup --engine "$e" --root "$R" "${SETUP[@]}"
		assert_success
		! diff -r "$R.orig" "$R" >/dev/null || fail "$e: setup changed nothing"
		run "$OCI_HARDEN" setup --engine "$e" --root "$R" --undo
		assert_success
		assert_output --partial "$e: undone"
		diff -r "$R.orig" "$R" || fail "$e: undo left differences"
		f=$(main_config "$e")
		if [ -f "$R.orig$f" ]; then cmp "$R.orig$f" "$R$f"; fi
		[ "$(tree_state "$R")" = "$(tree_state "$R.orig")" ] || fail "$e: undo left files or directories"
		run "$OCI_HARDEN" setup --engine "$e" --root "$R" --undo
		assert_success
		assert_output --partial "nothing to undo"
	done
}

@test "setup --dry-run prints the change as a unified diff and changes nothing, for every engine" {
	for e in "${ENGINES[@]}"; do
		rm -rf "$R" "$R.patched" && prepare_root "$e" "$R"
		before=$(tree_state "$R")
		run --separate-stderr "$OCI_HARDEN" setup --engine "$e" --root "$R" "${SETUP[@]}" --dry-run
		assert_success
		[ "$(tree_state "$R")" = "$before" ] || fail "$e: --dry-run changed files"
		[[ "$output" == *"+++ b/etc/"* ]] || fail "$e: no diff: $output"
		# The diff is the change: applied to a copy it gives what setup writes.
		printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/$e.diff"
		cp -a "$R" "$R.patched"
		(cd "$R.patched" && patch -s -p1 <"$BATS_TEST_TMPDIR/$e.diff")
		"$OCI_HARDEN" setup --engine "$e" --root "$R" "${SETUP[@]}" >/dev/null
		rm -rf "$R/var"   # the record; prepared roots have no /var
		diff -r "$R" "$R.patched" || fail "$e: the dry-run diff is not what setup wrote"
	done
}

@test "a malformed existing config is refused untouched, naming the file and the line, for every engine" {
	for e in "${ENGINES[@]}"; do
		rm -rf "$R" && prepare_root "$e" "$R"
		f=$(break_config "$e" "$R")
		before=$(tree_state "$R")
		run "$OCI_HARDEN" setup --engine "$e" --root "$R" "${SETUP[@]}"
		assert_failure 2
		assert_output --partial "$f"
		assert_output --regexp "line 3"
		[ "$(tree_state "$R")" = "$before" ] || fail "$e: a refused setup changed files"
	done
}

@test "setup for CRI-O writes a crio.conf.d drop-in that a TOML parser reads back with the wrapper as default runtime" {
	prepare_root crio "$R"
	run "$OCI_HARDEN" setup --engine crio --root "$R" "${SETUP[@]}"
	assert_success
	assert_output --partial 'default_runtime was "runc"'
	assert_output --partial "restart CRI-O"
	run toml_json "$R/etc/crio/crio.conf.d/99-oci-harden.conf"
	assert_success
	printf '%s\n' "$output" | jq -e '
		.crio.runtime.default_runtime == "hardened" and
		.crio.runtime.runtimes.hardened == {"runtime_path": "/usr/bin/oci-harden-runtime",
			"runtime_type": "oci", "runtime_root": "/run/runc"} and
		.crio.runtime.hooks_dir == ["/usr/share/containers/oci/hooks.d", "/etc/crio/oci-harden-hooks.d"]'
	# the admin's files are as they were
	grep -q 'default_runtime = "runc"' "$R/etc/crio/crio.conf"
}

@test "setup for CRI-O adds its hooks directory to CRI-O's default one when no config names any" {
	mkdir -p "$R/etc/crio"
	printf '[crio.runtime]\nconmon_cgroup = "pod"\n' >"$R/etc/crio/crio.conf"
	"$OCI_HARDEN" setup --engine crio --root "$R" "${SETUP[@]}" >/dev/null
	run toml_json "$R/etc/crio/crio.conf.d/99-oci-harden.conf"
	printf '%s\n' "$output" | jq -e '.crio.runtime.hooks_dir ==
		["/usr/share/containers/oci/hooks.d", "/etc/crio/oci-harden-hooks.d"]'
}

@test "the CRI-O hooks directory holds only stages CRI-O accepts: createRuntime, createContainer and poststart, no precreate" {
	prepare_root crio "$R"
	"$OCI_HARDEN" setup --engine crio --root "$R" "${SETUP[@]}" >/dev/null
	run ls "$R/etc/crio/oci-harden-hooks.d"
	assert_output "$(printf '99-oci-harden-createcontainer.json\n99-oci-harden-createruntime.json\n99-oci-harden-poststart.json')"
	run jq -s -e 'map(.stages[]) | sort == ["createContainer", "createRuntime", "poststart"] and
		all(. as $s | ["prestart", "createRuntime", "createContainer", "startContainer",
			"poststart", "poststop"] | index($s))' "$R"/etc/crio/oci-harden-hooks.d/*.json
	assert_success
	run jq -e '.hook.path == "/usr/bin/oci-harden" and .hook.args == ["oci-harden", "hook",
		"createRuntime", "--policy", "/etc/oci-harden/policy.json"] and .when.always' \
		"$R/etc/crio/oci-harden-hooks.d/99-oci-harden-createruntime.json"
	assert_success
}

@test "setup for CRI-O refuses when a hooks directory CRI-O reads holds a precreate hook" {
	prepare_root crio "$R"
	sed -e 's|@OH_HOOK_BIN@|/usr/bin/oci-harden|' -e 's|@OH_HOOK_POLICY@|/p|' \
		"$OH_SOURCE_DIR/hook/hooks.d/99-oci-harden-precreate.json.in" \
		>"$R/usr/share/containers/oci/hooks.d/99-oci-harden-precreate.json"
	before=$(tree_state "$R")
	run "$OCI_HARDEN" setup --engine crio --root "$R" "${SETUP[@]}"
	assert_failure 2
	assert_output --partial "$R/usr/share/containers/oci/hooks.d/99-oci-harden-precreate.json: stage \"precreate\" is one CRI-O rejects"
	[ "$(tree_state "$R")" = "$before" ]
}

@test "setup for CRI-O refuses a drop-in sorting after its own that would override the default runtime" {
	prepare_root crio "$R"
	printf '[crio.runtime]\ndefault_runtime = "crun"\n' >"$R/etc/crio/crio.conf.d/99-zz.conf"
	run "$OCI_HARDEN" setup --engine crio --root "$R" "${SETUP[@]}"
	assert_failure 2
	assert_output --partial "99-zz.conf: sorts after"
}

@test "the hooks setup writes for podman are the installed hooks.d templates filled in" {
	prepare_root podman "$R"
	"$OCI_HARDEN" setup --engine podman --root "$R" "${SETUP[@]}" >/dev/null
	for s in precreate createruntime createcontainer poststart; do
		sed -e 's|@OH_HOOK_BIN@|/usr/bin/oci-harden|' -e 's|@OH_HOOK_POLICY@|/etc/oci-harden/policy.json|' \
			-e 's|@OH_HOOK_ENV@|PATH=/usr/sbin:/usr/bin:/sbin:/bin|' \
			"$OH_SOURCE_DIR/hook/hooks.d/99-oci-harden-$s.json.in" | jq -S . >"$BATS_TEST_TMPDIR/want.json"
		jq -S . "$R/etc/containers/oci/hooks.d/99-oci-harden-$s.json" >"$BATS_TEST_TMPDIR/got.json"
		diff "$BATS_TEST_TMPDIR/want.json" "$BATS_TEST_TMPDIR/got.json"
	done
	run toml_json "$R/etc/containers/containers.conf.d/99-oci-harden.conf"
	printf '%s\n' "$output" | jq -e '.engine == {"runtime": "hardened",
		"hooks_dir": ["/usr/share/containers/oci/hooks.d", "/etc/containers/oci/hooks.d"],
		"runtimes": {"hardened": ["/usr/bin/oci-harden-runtime"]}}'
}

@test "setup for podman adds its hooks directory when containers.conf names other ones" {
	prepare_root podman "$R"
	printf '[engine]\nhooks_dir = ["/opt/hooks"]\n' >"$R/etc/containers/containers.conf.d/50-admin.conf"
	"$OCI_HARDEN" setup --engine podman --root "$R" "${SETUP[@]}" >/dev/null
	run toml_json "$R/etc/containers/containers.conf.d/99-oci-harden.conf"
	printf '%s\n' "$output" | jq -e '.engine.hooks_dir == ["/opt/hooks", "/etc/containers/oci/hooks.d"]'
}

@test "setup for podman keeps podman's own hooks directory and adds its own when no containers.conf names any" {
	prepare_root podman "$R"
	run "$OCI_HARDEN" setup --engine podman --root "$R" "${SETUP[@]}"
	assert_success
	run toml_json "$R/etc/containers/containers.conf.d/99-oci-harden.conf"
	assert_success
	printf '%s\n' "$output" | jq -e '.engine.hooks_dir ==
		["/usr/share/containers/oci/hooks.d", "/etc/containers/oci/hooks.d"]'
}

@test "after setup for podman, podman reads the hooks setup wrote by itself: no --hooks-dir, and runc as the runtime" {
	[ "$(id -u)" = 0 ] || skip "needs root for podman and a mount namespace"
	command -v podman >/dev/null && command -v unshare >/dev/null || skip "podman or unshare is not installed"
	PREFIX=$(install_prefix)
	prepare_root podman "$R"
	"$OCI_HARDEN" setup --engine podman --root "$R" --binary "$PREFIX/bin/oci-harden" \
		--policy "$PREFIX/etc/oci-harden/policy.json" >/dev/null 2>&1
	# podman as on a host whose /etc/containers is the one setup edited:
	# the drop-in's hooks_dir names /etc/containers/oci/hooks.d.  runc as
	# the runtime leaves the hooks alone to harden the container.
	inns() {
		unshare -m sh -c 'mount --bind "$1/etc/containers" /etc/containers && shift && exec "$@"' \
			sh "$R" podman --cgroup-manager cgroupfs --runtime "$(command -v runc)" "$@"
	}
	run inns "${PODMAN_RUN[@]}" --rootfs "$(podman_rootfs)" sh -c "$STATUS"
	assert_success
	[ "$(field NoNewPrivs)" = 1 ]
	[ "$(field Seccomp)" = 2 ]
	# podman exits 127 for the rootfs precreate names in its refusal.
	run -127 inns "${PODMAN_RUN[@]}" --privileged --rootfs "$(podman_rootfs)" sh -c "echo should-not-run"
	refute_output --partial should-not-run
	assert_output --partial "cap-all"
}

@test "setup for docker keeps every other daemon.json member and makes the wrapper the default runtime" {
	prepare_root docker "$R"
	cp "$R/etc/docker/daemon.json" "$BATS_TEST_TMPDIR/orig.json"
	run "$OCI_HARDEN" setup --engine docker --root "$R" "${SETUP[@]}"
	assert_success
	assert_output --partial "restart dockerd"
	jq -e --slurpfile o "$BATS_TEST_TMPDIR/orig.json" '
		."default-runtime" == "hardened" and
		.runtimes.hardened == {"path": "/usr/bin/oci-harden-runtime"} and
		(del(."default-runtime", .runtimes.hardened) == $o[0])' "$R/etc/docker/daemon.json"
}

@test "setup for docker refuses while dockerd's unit passes --default-runtime, which dockerd would not start with" {
	prepare_root docker "$R"
	mkdir -p "$R/etc/systemd/system/docker.service.d"
	printf '[Service]\nExecStart=\nExecStart=/usr/sbin/dockerd --default-runtime crun\n' \
		>"$R/etc/systemd/system/docker.service.d/override.conf"
	before=$(tree_state "$R")
	run "$OCI_HARDEN" setup --engine docker --root "$R" "${SETUP[@]}"
	assert_failure 2
	assert_output --partial "override.conf: line 3: dockerd is started with --default-runtime"
	[ "$(tree_state "$R")" = "$before" ]
}

@test "setup for containerd carries the admin's CRI settings into its drop-in, which containerd config dump reads" {
	command -v containerd >/dev/null || skip "containerd is not installed"
	prepare_root containerd "$R"
	run "$OCI_HARDEN" setup --engine containerd --root "$R" "${SETUP[@]}"
	assert_success
	assert_output --partial "restart containerd"
	run containerd --config "$R/etc/containerd/config.toml" config dump
	assert_success
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/dump.toml"
	run toml_json "$BATS_TEST_TMPDIR/dump.toml"
	printf '%s\n' "$output" | jq -e '.plugins."io.containerd.grpc.v1.cri" as $c |
		$c.containerd.runtimes.runc.options.BinaryName == "/usr/bin/oci-harden-runtime" and
		$c.containerd.runtimes.runc.runtime_type == "io.containerd.runc.v2" and
		$c.containerd.default_runtime_name == "runc" and
		$c.sandbox_image == "registry.example/pause:3.9" and
		$c.containerd.snapshotter == "native"'
}

@test "setup for containerd adds its drop-in to an existing imports list and carries an imported CRI section" {
	prepare_root containerd "$R"
	mkdir -p "$R/etc/containerd/conf.d"
	printf 'imports = ["conf.d/*.toml"]\n' | cat - "$R/etc/containerd/config.toml" >"$R/c" && mv "$R/c" "$R/etc/containerd/config.toml"
	printf 'version = 2\n[plugins."io.containerd.grpc.v1.cri"]\n  sandbox_image = "from/import:1"\n' \
		>"$R/etc/containerd/conf.d/10-site.toml"
	"$OCI_HARDEN" setup --engine containerd --root "$R" "${SETUP[@]}" >/dev/null
	run toml_json "$R/etc/containerd/config.toml"
	printf '%s\n' "$output" | jq -e '.imports == ["conf.d/*.toml", "oci-harden.toml"]'
	run toml_json "$R/etc/containerd/oci-harden.toml"
	printf '%s\n' "$output" | jq -e '.plugins."io.containerd.grpc.v1.cri" |
		.sandbox_image == "from/import:1" and
		.containerd.runtimes.runc.options.BinaryName == "/usr/bin/oci-harden-runtime"'
	grep -q '^# the admin' "$R/etc/containerd/config.toml"
}

@test "setup for containerd refuses a version 1 config" {
	mkdir -p "$R/etc/containerd"
	printf '[plugins.cri]\n  sandbox_image = "x"\n' >"$R/etc/containerd/config.toml"
	run "$OCI_HARDEN" setup --engine containerd --root "$R" "${SETUP[@]}"
	assert_failure 2
	assert_output --partial "config version 1"
}

@test "setup --undo leaves a file alone that was changed after setup wrote it" {
	prepare_root docker "$R"
	"$OCI_HARDEN" setup --engine docker --root "$R" "${SETUP[@]}" >/dev/null
	jq '.debug = true' "$R/etc/docker/daemon.json" >"$R/x" && mv "$R/x" "$R/etc/docker/daemon.json"
	before=$(tree_state "$R")
	run "$OCI_HARDEN" setup --engine docker --root "$R" --undo
	assert_failure 2
	assert_output --partial "$R/etc/docker/daemon.json: changed since setup wrote it; nothing was undone"
	[ "$(tree_state "$R")" = "$before" ]
}

@test "setup without a TOML parser fails saying what to install, and changes nothing" {
	prepare_root crio "$R"
	before=$(tree_state "$R")
	OCI_HARDEN_PYTHON=/nonexistent/python3 run "$OCI_HARDEN" setup --engine crio --root "$R" "${SETUP[@]}"
	assert_failure 2
	assert_output --partial "python3-tomli"
	[ "$(tree_state "$R")" = "$before" ]
}

@test "setup rejects a usage error with exit 2" {
	run "$OCI_HARDEN" setup --root "$R"
	assert_failure 2
	assert_output --partial "--engine is required"
	run "$OCI_HARDEN" setup --engine lxc
	assert_failure 2
	run "$OCI_HARDEN" setup --engine docker --root relative/dir
	assert_failure 2
}

# ------------------------------------------------------------ real engines

# Runs a command expected to fail as status 1 (docker exits 127 on a
# runtime failure, which bats would take for a missing command).
exits_1_on_failure() {
	"$@" && return 0
	return 1
}

teardown() {
	if [ -n "${SLEEPER:-}" ]; then
		"${PODMAN_SETUP[@]}" rm -f -t 0 "$SLEEPER" >/dev/null 2>&1 || true
	fi
	if [ -n "${ENGINE_PIDS:-}" ]; then stop_engines; fi
	if [ -n "${ENGINE_DIR:-}" ]; then rm -rf "$ENGINE_DIR"; fi
}

# podman configured only by what setup wrote under $R: its containers.conf.d
# drop-in (CONTAINERS_CONF makes podman read that file alone) and its hooks
# directory.
podman_after_setup() {
	[ "$(id -u)" = 0 ] || skip "needs root for podman"
	command -v podman >/dev/null || skip "podman is not installed"
	PREFIX=$(install_prefix)
	mkdir -p "$R"
	"$OCI_HARDEN" setup --engine podman --root "$R" --binary "$PREFIX/bin/oci-harden" \
		--policy "$PREFIX/etc/oci-harden/policy.json" >/dev/null 2>&1
	export CONTAINERS_CONF=$R/etc/containers/containers.conf.d/99-oci-harden.conf
	PODMAN_SETUP=(podman --cgroup-manager cgroupfs --hooks-dir "$R/etc/containers/oci/hooks.d")
}

@test "after setup for podman, podman runs the wrapper as its runtime and a default container is hardened" {
	podman_after_setup
	run "${PODMAN_SETUP[@]}" info --format '{{.Host.OCIRuntime.Name}} {{.Host.OCIRuntime.Path}}'
	assert_success
	assert_output "hardened $PREFIX/bin/oci-harden-runtime"
	run "${PODMAN_SETUP[@]}" "${PODMAN_RUN[@]}" --rootfs "$(podman_rootfs)" sh -c "$STATUS"
	assert_success
	[ "$(field NoNewPrivs)" = 1 ]
	[ "$(field Seccomp)" = 2 ]
}

@test "after setup for podman, podman exec runs hardened and a privileged exec is refused" {
	podman_after_setup
	S="oh-setup-$$-$RANDOM"
	SLEEPER=$S
	"${PODMAN_SETUP[@]}" run -d --name "$S" --security-opt no-new-privileges \
		--ulimit nofile=1024:1024 --ulimit nproc=1024:1024 --rootfs "$(podman_rootfs)" sleep 300
	run "${PODMAN_SETUP[@]}" exec "$S" sh -c "$STATUS"
	assert_success
	[ "$(field NoNewPrivs)" = 1 ]
	[ "$(field Seccomp)" = 2 ]
	run "${PODMAN_SETUP[@]}" exec --privileged "$S" sh -c "$STATUS"
	assert_failure
	assert_output --partial "cap-all"
	"${PODMAN_SETUP[@]}" rm -f -t 0 "$S" >/dev/null
	# podman stores the spec it made, without no-new-privileges, and
	# builds an exec from it: the wrapper must not let that run as it is.
	"${PODMAN_SETUP[@]}" run -d --name "$S" --ulimit nofile=1024:1024 \
		--ulimit nproc=1024:1024 --rootfs "$(podman_rootfs)" sleep 300
	# builds an exec from it: the wrapper clamps that exec to the container.
	run "${PODMAN_SETUP[@]}" exec "$S" sh -c "$STATUS"
	assert_success
	[ "$(field NoNewPrivs)" = 1 ]
	[ "$(field Seccomp)" = 2 ]
}

@test "after setup for docker, a dockerd started on the edited daemon.json runs docker run hardened with no --runtime flag" {
	[ "$(id -u)" = 0 ] || skip "needs root for dockerd"
	command -v dockerd >/dev/null && command -v containerd >/dev/null || skip "dockerd or containerd is not installed"
	PREFIX=$(install_prefix)
	prepare_root docker "$R"
	"$OCI_HARDEN" setup --engine docker --root "$R" --binary "$PREFIX/bin/oci-harden" >/dev/null 2>&1
	D=$(mktemp -d /tmp/oh-setup-docker.XXXXXX)
	ENGINE_DIR=$D
	start_containerd "$D"
	start_dockerd "$D" "$R/etc/docker/daemon.json"
	DOCKER=(docker -H "unix://$D/docker.sock")
	run "${DOCKER[@]}" info --format '{{.DefaultRuntime}}'
	assert_output hardened
	tar -C "$(rootfs)" -c . | "${DOCKER[@]}" import - oh-setup-busybox >/dev/null
	run "${DOCKER[@]}" run --rm --network none oh-setup-busybox sh -c "$STATUS"
	assert_success
	# Docker leaves no-new-privileges off by default: 1 is the wrapper's.
	[ "$(field NoNewPrivs)" = 1 ]
	[ "$(field Seccomp)" = 2 ]
	# Refused by the wrapper.  Docker shows the reason only from the log
	# file runc is given (--log), so until the wrapper writes it there
	# Docker says "unable to retrieve OCI runtime error"; either way the
	# container does not run.
	run exits_1_on_failure "${DOCKER[@]}" run --rm --network none --privileged \
		oh-setup-busybox echo should-not-run
	assert_failure 1
	refute_output --partial should-not-run
	assert_output --regexp "cap-all|oci-harden-runtime did not terminate successfully"
}

@test "without setup, ctr run through containerd's default runtime runs runc from PATH with no seccomp filter" {
	[ "$(id -u)" = 0 ] || skip "needs root for containerd"
	command -v containerd >/dev/null && command -v ctr >/dev/null || skip "containerd or ctr is not installed"
	D=$(mktemp -d /tmp/oh-setup-ctrd.XXXXXX)
	ENGINE_DIR=$D
	start_containerd "$D"
	# ctr is no CRI client: containerd 1.6 hands the runc shim no options
	# from the CRI plugin's config (containerd issue #4727), so the shim
	# runs `runc` from containerd's PATH, and ctr asks for no filter.
	run ctr -a "$D/containerd.sock" run --rm --env PATH=/bin --rootfs "$(podman_rootfs)" \
		"oh-setup-$$-a" /bin/sh -c "$STATUS"
	assert_success
	[ "$(field Seccomp)" = 0 ]
}

@test "after setup for containerd, ctr run through containerd's default runtime is hardened with no --runc-binary" {
	[ "$(id -u)" = 0 ] || skip "needs root for containerd"
	command -v containerd >/dev/null && command -v ctr >/dev/null || skip "containerd or ctr is not installed"
	PREFIX=$(install_prefix)
	prepare_root containerd "$R"
	"$OCI_HARDEN" setup --engine containerd --root "$R" --binary "$PREFIX/bin/oci-harden" >/dev/null 2>&1
	wrapper=$(toml_json "$R/etc/containerd/oci-harden.toml" |
		jq -r '.plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options.BinaryName')
	[ "$wrapper" = "$PREFIX/bin/oci-harden-runtime" ]
	# The PATH containerd's unit gets: the wrapper's runc link first.
	unit=$R/etc/systemd/system/containerd.service.d/99-oci-harden.conf
	path=$(sed -n 's/^Environment="PATH=\(.*\)"$/\1/p' "$unit")
	[ "${path%%:*}" = "$PREFIX/libexec/oci-harden/runc-path" ]
	[ "$(readlink -f "${path%%:*}/runc")" = "$(readlink -f "$PREFIX/bin/oci-harden")" ]
	D=$(mktemp -d /tmp/oh-setup-ctrd.XXXXXX)
	ENGINE_DIR=$D
	PATH=$path start_containerd "$D"
	# --rootfs makes the first operand a directory, not an image.
	CTR=(ctr -a "$D/containerd.sock" run --rm --env PATH=/bin)
	FS=(--rootfs "$(podman_rootfs)")
	run "${CTR[@]}" "${FS[@]}" "oh-setup-$$-b" /bin/sh -c "$STATUS"
	assert_success
	[ "$(field NoNewPrivs)" = 1 ]
	[ "$(field Seccomp)" = 2 ]
	run "${CTR[@]}" --privileged "${FS[@]}" "oh-setup-$$-c" /bin/sh -c "echo should-not-run"
	assert_failure
	refute_output --partial should-not-run
	assert_output --partial "cap-all"
	# --runc-binary names the wrapper the way CRI's BinaryName does.
	run "${CTR[@]}" --runc-binary "$wrapper" "${FS[@]}" "oh-setup-$$-d" /bin/sh -c "$STATUS"
	assert_success
	[ "$(field Seccomp)" = 2 ]
}

@test "setup for containerd leaves PATH to the admin when containerd's unit sets it" {
	prepare_root containerd "$R"
	mkdir -p "$R/lib/systemd/system"
	printf '[Service]\nEnvironment="PATH=/opt/bin:/usr/bin"\nExecStart=/usr/bin/containerd\n' \
		>"$R/lib/systemd/system/containerd.service"
	run "$OCI_HARDEN" setup --engine containerd --root "$R" "${SETUP[@]}"
	assert_success
	assert_output --partial "lib/systemd/system/containerd.service: line 2 sets PATH: put /usr/libexec/oci-harden/runc-path first"
	[ ! -e "$R/etc/systemd/system/containerd.service.d/99-oci-harden.conf" ]
	# a drop-in for every service counts too
	rm -rf "$R"
	prepare_root containerd "$R"
	mkdir -p "$R/etc/systemd/system/service.d"
	printf '[Service]\nEnvironment=PATH=/opt/bin\n' >"$R/etc/systemd/system/service.d/zz-path.conf"
	run "$OCI_HARDEN" setup --engine containerd --root "$R" "${SETUP[@]}"
	assert_success
	assert_output --partial "service.d/zz-path.conf: line 2 sets PATH"
	[ ! -e "$R/etc/systemd/system/containerd.service.d/99-oci-harden.conf" ]
}

@test "setup for containerd reads containerd's unit as systemd does: blanks around =, several assignments, continued lines, an optional environment file" {
	local spelling unit=lib/systemd/system/containerd.service
	local -a spellings=(
		'Environment = "PATH=/opt/bin:/usr/bin"|line 2 sets PATH'
		'Environment="GOMAXPROCS=2" "PATH=/opt/bin"|line 2 sets PATH'
		'Environment=GOMAXPROCS=2 \\\n  PATH=/opt/bin|line 2 sets PATH'
		'EnvironmentFile = -/etc/default/containerd|line 2 reads an environment file'
		'UnsetEnvironment=PATH|line 2 unsets PATH'
	)
	for spelling in "${spellings[@]}"; do
		rm -rf "$R"
		prepare_root containerd "$R"
		mkdir -p "$R/lib/systemd/system"
		printf "[Service]\n${spelling%%|*}\nExecStart=/usr/bin/containerd\n" >"$R/$unit"
		run "$OCI_HARDEN" setup --engine containerd --root "$R" "${SETUP[@]}"
		assert_success
		assert_output --partial "$unit: ${spelling#*|}: put /usr/libexec/oci-harden/runc-path first"
		[ ! -e "$R/etc/systemd/system/containerd.service.d/99-oci-harden.conf" ]
	done
	# a PATH that is only mentioned, commented out or in another section:
	# the drop-in is written
	rm -rf "$R"
	prepare_root containerd "$R"
	mkdir -p "$R/lib/systemd/system"
	printf '[Unit]\nEnvironment=PATH=/x\n[Service]\n# Environment=PATH=/y\nEnvironment=GOPATH=/z A=PATH=/w\n' >"$R/$unit"
	run "$OCI_HARDEN" setup --engine containerd --root "$R" "${SETUP[@]}"
	assert_success
	[ -e "$R/etc/systemd/system/containerd.service.d/99-oci-harden.conf" ]
}

@test "setup for containerd sees PATH set on a line systemd reads on its own: after a comment ending in a backslash, an escaped backslash, blanks after a backslash, a lone CR" {
	local first unit=lib/systemd/system/containerd.service
	for first in '# old \\' 'Environment=A=x\\\\' 'Environment=A=x\\  ' ; do
		# systemd's own reading: the second line is a key of its own
		if command -v systemd-analyze >/dev/null; then
			printf "[Unit]\nDescription=t\n[Service]\nExecStart=/bin/true\n${first}\nOhBogusKey=1\n" \
				>"$BATS_TEST_TMPDIR/oh-setup-probe.service"
			run systemd-analyze verify --man=no "$BATS_TEST_TMPDIR/oh-setup-probe.service"
			assert_output --partial ":6: Unknown key 'OhBogusKey'"
		fi
		rm -rf "$R"
		prepare_root containerd "$R"
		mkdir -p "$R/lib/systemd/system"
		printf "[Service]\n${first}\nEnvironment=PATH=/opt/bin\nExecStart=/usr/bin/containerd\n" >"$R/$unit"
		run "$OCI_HARDEN" setup --engine containerd --root "$R" "${SETUP[@]}"
		assert_success
		assert_output --partial "$unit: line 3 sets PATH: put /usr/libexec/oci-harden/runc-path first"
		[ ! -e "$R/etc/systemd/system/containerd.service.d/99-oci-harden.conf" ]
	done
	rm -rf "$R"
	prepare_root containerd "$R"
	mkdir -p "$R/lib/systemd/system"
	printf '[Service]\nEnvironment=A=x\rEnvironment=PATH=/opt/bin\nExecStart=/usr/bin/containerd\n' >"$R/$unit"
	run "$OCI_HARDEN" setup --engine containerd --root "$R" "${SETUP[@]}"
	assert_output --partial "$unit: line 3 sets PATH"
	[ ! -e "$R/etc/systemd/system/containerd.service.d/99-oci-harden.conf" ]
}

@test "a containerd started on the config setup edited runs its CRI plugin with the wrapper (needs crictl)" {
	command -v crictl >/dev/null || skip "crictl is not installed: the CRI path, the one that reads BinaryName, cannot be driven here"
	skip "no CNI and no pod image here to start a CRI sandbox"
}
