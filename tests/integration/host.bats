#!/usr/bin/env bats
# oci-harden host: the listeners of the host and of every container with
# real runc and podman containers, and the host checks against prepared
# host roots (tests/fixtures/host/).

load helpers
bats_require_minimum_version 1.5.0

HOSTROOTS=$FIXTURES/host

# The engines' TOML files need python3 with tomllib (3.11) or tomli.
need_toml() {
	/usr/bin/python3 -c 'import tomllib' 2>/dev/null ||
		/usr/bin/python3 -c 'import tomli' 2>/dev/null ||
		skip "no python3 with tomllib or tomli to read TOML"
}

setup() {
	B=$BATS_TEST_TMPDIR/bundle
	ID="oh-host-$$-$BATS_TEST_NUMBER"
	POD="oh-host-pod-$$-$BATS_TEST_NUMBER"
	HOSTPID=
	NSPIDS=()
}

teardown() {
	runc delete -f "$ID" >/dev/null 2>&1 || true
	if command -v podman >/dev/null; then
		"${PODMAN[@]}" rm -f "$POD" >/dev/null 2>&1 || true
	fi
	local pid
	for pid in $HOSTPID "${NSPIDS[@]}"; do
		kill "$pid" 2>/dev/null || true
	done
}

# wait_listen PID PORT: until the process's network namespace has a TCP
# listener on PORT.
wait_listen() {
	local hex i
	hex=$(printf ':%04X' "$2")
	for i in $(seq 50); do
		if awk -v p="$hex" 'substr($2, length($2) - 4) == p && $4 == "0A"' \
			"/proc/$1/net/tcp" "/proc/$1/net/tcp6" | grep -q .; then
			return 0
		fi
		sleep 0.1
	done
	echo "nothing listens on port $2 in the namespace of $1" >&2
	return 1
}

# loopback_listener PORT: a host service on 127.0.0.1:PORT, pid in HOSTPID.
# Debian's busybox nc cannot bind an address (no -s), its httpd can; the
# link names the process "httpd".
loopback_listener() {
	ln -sf "$(command -v busybox)" "$BATS_TEST_TMPDIR/httpd"
	"$BATS_TEST_TMPDIR/httpd" -f -p "127.0.0.1:$1" -h "$BATS_TEST_TMPDIR" </dev/null >/dev/null 2>&1 &
	HOSTPID=$!
	wait_listen "$HOSTPID" "$1"
}

# A free TCP port of the host, from a range other tests do not use.
free_port() {
	local p
	for p in $(shuf -i 20000-29999 -n 20); do
		ss -Htln "sport = :$p" | grep -q . || { echo "$p"; return; }
	done
	return 1
}

# The host's TCP and UDP listeners as "proto address port" lines, the way
# ss -tulpn shows them (its "*" is the IPv6 wildcard that also takes IPv4).
ss_listeners() {
	ss -Htuln | awk '{
		a = $5; sub(/:[0-9]+$/, "", a); p = substr($5, length(a) + 2)
		gsub(/^\[|\]$/, "", a); sub(/%.*/, "", a); if (a == "*") a = "::"
		print $1, a, p }' | sort -u
}

@test "host lists a runc container's, a podman container's and a host listener, each attributed" {
	[ "$(id -u)" = 0 ] || skip "needs root for runc"
	command -v podman >/dev/null || skip "no podman"
	make_bundle "$B" . nc -l -p 18081
	runc run -d --bundle "$B" "$ID" </dev/null >/dev/null 2>&1
	wait_listen "$(jq -r .init_process_pid "/run/runc/$ID/state.json")" 18081
	run "${PODMAN[@]}" run -d --rm --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 \
		--name "$POD" --rootfs "$(podman_rootfs)" nc -l -p 18082
	assert_success
	local podid=$output
	wait_listen "$(jq -r .init_process_pid "/run/runc/$podid/state.json")" 18082
	local port
	port=$(free_port)
	loopback_listener "$port"

	run --separate-stderr "$OCI_HARDEN" host --format json
	[ "$status" -le 1 ]
	local report=$output
	jq -e --arg id "$ID" '[.listeners[] | select(.port == 18081 and .container == $id)] | length >= 1 and
		all(.[]; .engine == "runc" and .allInterfaces and .process == "nc")' <<<"$report"
	jq -e --arg id "$podid" '[.listeners[] | select(.port == 18082 and .container == $id)] | length >= 1 and
		all(.[]; .engine == "podman" and .allInterfaces and .process == "nc")' <<<"$report"
	jq -e --argjson port "$port" --argjson pid "$HOSTPID" '[.listeners[] | select(.port == $port)] |
		length == 1 and (.[0] | .container == "host" and .address == "127.0.0.1" and
		(.allInterfaces | not) and .loopback and .pid == $pid and .process == "httpd")' <<<"$report"
	# one finding per container service on all interfaces, none for loopback
	jq -e --arg id "$ID" --arg pod "$podid" '[.results[].findings[] | select(.rule == "listening-all-interfaces")] |
		(map(select(.message | contains(":18081 (nc, pid") and contains("in container " + $id + " (runc)"))) | length == 1) and
		(map(select(.message | contains(":18082 (nc, pid") and contains("in container " + $pod + " (podman)"))) | length == 1) and
		all(.[]; .message | contains("needed?") and contains("only on localhost?") and contains("authenticate"))' <<<"$report"
	jq -e --argjson port "$port" '[.results[].findings[] | select(.message | contains(":\($port) "))] | length == 0' <<<"$report"
	run "$OCI_HARDEN" host
	assert_output --regexp "listening tcp6? +(\[::\]|0\.0\.0\.0):18081 +all-interfaces +$ID \(runc\) [0-9]+/nc"
	assert_output --regexp "listening tcp +127\.0\.0\.1:$port +loopback +host $HOSTPID/httpd"
}

@test "a container on the host's network namespace owns the host sockets its processes hold" {
	[ "$(id -u)" = 0 ] || skip "needs root for runc"
	local port
	port=$(free_port)
	make_bundle "$B" '.linux.namespaces |= map(select(.type != "network"))' nc -l -p "$port"
	runc run -d --bundle "$B" "$ID" </dev/null >/dev/null 2>&1
	local pid
	pid=$(jq -r .init_process_pid "/run/runc/$ID/state.json")
	wait_listen "$pid" "$port"
	run --separate-stderr "$OCI_HARDEN" host --format json
	jq -e --arg id "$ID" --argjson port "$port" --argjson pid "$pid" '[.listeners[] | select(.port == $port)] |
		length >= 1 and all(.[]; .container == $id and .hostNetwork and .pid == $pid and .allInterfaces)' <<<"$output"
	jq -e --arg id "$ID" --argjson port "$port" '[.results[].findings[] | select(.message | contains(":\($port) (nc"))] |
		length == 1 and .[0].rule == "listening-all-interfaces" and
		(.[0].message | contains("in container " + $id + " (runc), on the host'"'"'s network namespace"))' <<<"$output"
}

@test "a container's exemptions apply to its listeners as inspect applies them" {
	[ "$(id -u)" = 0 ] || skip "needs root for runc"
	make_bundle "$B" '.annotations = {"oh.host/role": "sidecar"}' nc -l -p 18085
	runc run -d --bundle "$B" "$ID" </dev/null >/dev/null 2>&1
	wait_listen "$(jq -r .init_process_pid "/run/runc/$ID/state.json")" 18085
	echo '{"exemptions": [{"annotations": {"oh.host/role": "side.*"}, "rules": ["listening-all-interfaces"]}]}' >"$BATS_TEST_TMPDIR/p.json"
	run --separate-stderr "$OCI_HARDEN" host --format json --policy "$BATS_TEST_TMPDIR/p.json"
	jq -e --arg id "$ID" '[.listeners[] | select(.container == $id and .port == 18085)] | length >= 1' <<<"$output"
	jq -e --arg id "$ID" '[.results[].findings[] | select(.message | contains("in container " + $id))] | length == 0' <<<"$output"
	run "$OCI_HARDEN" inspect --format json --policy "$BATS_TEST_TMPDIR/p.json" "$ID"
	jq -e '[.containers[0].findings[] | select(.rule == "listening-all-interfaces")] | length == 0' <<<"$output"
	# without the exemption both report it
	run --separate-stderr "$OCI_HARDEN" host --format json
	jq -e --arg id "$ID" '[.results[].findings[] | select(.message | contains(":18085 (nc") and contains("in container " + $id))] | length == 1' <<<"$output"
}

# ns_listener PORT: nc on PORT in a new network namespace; its pid is
# appended to NSPIDS.
ns_listener() {
	unshare -n busybox nc -l -p "$1" </dev/null >/dev/null 2>&1 &
	NSPIDS+=("$!")
	wait_listen "$!" "$1"
}

# The start time runc records for a process (field 22 of /proc/PID/stat).
start_time() {
	sed 's/.*) //' "/proc/$1/stat" | awk '{ print $20 }'
}

@test "containers in Docker's, containerd's and crun's state directories are attributed by their init's namespace" {
	[ "$(id -u)" = 0 ] || skip "needs root for network namespaces"
	local R=$BATS_TEST_TMPDIR/root d
	ns_listener 18091
	ns_listener 18092
	ns_listener 18093
	d=$R/run/docker/runtime-runc/moby/oh-host-moby
	mkdir -p "$d"
	jq -n --argjson pid "${NSPIDS[0]}" --argjson st "$(start_time "${NSPIDS[0]}")" \
		'{init_process_pid: $pid, init_process_start: $st}' >"$d/state.json"
	d=$R/run/containerd/runc/k8s.io/oh-host-k8s
	mkdir -p "$d"
	jq -n --argjson pid "${NSPIDS[1]}" --argjson st "$(start_time "${NSPIDS[1]}")" \
		'{init_process_pid: $pid, init_process_start: $st}' >"$d/state.json"
	d=$R/run/crun/oh-host-crun
	mkdir -p "$d"
	jq -n --argjson pid "${NSPIDS[2]}" '{pid: $pid, bundle: "/tmp/b"}' >"$d/status"
	# a stale state (a pid that is gone) names no container
	d=$R/run/runc/oh-host-stale
	mkdir -p "$d"
	echo '{"init_process_pid": 999999999, "init_process_start": 1}' >"$d/state.json"

	run --separate-stderr "$OCI_HARDEN" host --format json --root "$R"
	jq -e '[.containers[] | select(.id | startswith("oh-host-")) | "\(.id) \(.engine)"] | sort ==
		["oh-host-crun crun", "oh-host-k8s containerd/k8s.io", "oh-host-moby docker"]' <<<"$output"
	jq -e '[.listeners[] | select(.port >= 18091 and .port <= 18093) | "\(.port) \(.container) \(.engine) \(.allInterfaces)"] | unique ==
		["18091 oh-host-moby docker true", "18092 oh-host-k8s containerd/k8s.io true", "18093 oh-host-crun crun true"]' <<<"$output"
	# a namespace no state names is still listed, unattributed
	rm -r "$R/run/crun"
	run --separate-stderr "$OCI_HARDEN" host --format json --root "$R"
	jq -e '[.listeners[] | select(.port == 18093)] | length >= 1 and all(.[]; .container == null and .allInterfaces)' <<<"$output"
	jq -e '[.results[].findings[] | select(.message | contains(":18093 (busybox, pid") and contains("which no runtime'"'"'s state names"))] | length == 1' <<<"$output"
}

@test "the host's listeners are what ss -tulpn shows" {
	command -v ss >/dev/null || skip "no ss"
	local port
	port=$(free_port)
	loopback_listener "$port"
	# Other processes may open or close sockets meanwhile: what ss shows
	# both before and after must be reported, and nothing ss showed at
	# neither moment.
	ss_listeners >"$BATS_TEST_TMPDIR/before"
	run --separate-stderr "$OCI_HARDEN" host --format json
	ss_listeners >"$BATS_TEST_TMPDIR/after"
	jq -r '.listeners[] | select(.hostNetwork) |
		"\(.proto | sub("6$"; "")) \(.address) \(.port)"' <<<"$output" | sort -u >"$BATS_TEST_TMPDIR/ours"
	grep -q "^tcp 127.0.0.1 $port\$" "$BATS_TEST_TMPDIR/ours"
	comm -12 "$BATS_TEST_TMPDIR/before" "$BATS_TEST_TMPDIR/after" >"$BATS_TEST_TMPDIR/stable"
	run comm -23 "$BATS_TEST_TMPDIR/stable" "$BATS_TEST_TMPDIR/ours"
	assert_output ""
	run comm -23 "$BATS_TEST_TMPDIR/ours" <(sort -u "$BATS_TEST_TMPDIR/before" "$BATS_TEST_TMPDIR/after")
	assert_output ""
	# and the owner is the one ss -p names
	ss -Htlpn "sport = :$port" | grep -q "pid=$HOSTPID,"
}

@test "on this host the lifetime check reports Debian 12's dates from distro-info-data" {
	grep -qx 'VERSION_CODENAME=bookworm' /etc/os-release || skip "not Debian 12"
	[ -r /usr/share/distro-info/debian.csv ] || skip "no distro-info-data"
	IFS=, read -r _ _ _ _ rel eol lts elts < <(grep '^12,' /usr/share/distro-info/debian.csv)
	run --separate-stderr "$OCI_HARDEN" host --format json
	jq -e --arg rel "$rel" --arg eol "$eol" --arg lts "$lts" --arg elts "$elts" '.os |
		.id == "debian" and .codename == "bookworm" and .inDistroInfo and
		.distroInfo == "/usr/share/distro-info/debian.csv" and .release == $rel and .eol == $eol and
		.extended == [{"support": "LTS", "until": $lts}, {"support": "ELTS", "until": $elts}]' <<<"$output"
	if [[ "$(date -u +%F)" > "$eol" ]]; then
		jq -e --arg lts "$lts" '[.results[].findings[] | select(.rule == "host-end-of-life")] | length == 1 and
			(.[0].message | contains("LTS until " + $lts))' <<<"$output"
	fi
}

@test "a root with every setting as D04 asks has no host findings" {
	need_toml
	run --separate-stderr "$OCI_HARDEN" host --format json --root "$HOSTROOTS/supported"
	jq -e '[.results[] | select(.source != "/proc") | .findings[]] | length == 0' <<<"$output"
	jq -e '.mac.apparmor == {"present": true, "enabled": true, "enforce": 2, "complain": 1}' <<<"$output"
	jq -e '.os | .inDistroInfo and .eol == "2999-08-09"' <<<"$output"
	jq -e '.engines[] | select(.name == "docker") | .installed and .wrapper' <<<"$output"
	jq -e '.engines[] | select(.name == "podman") | .installed and .hooks and (.hardening | contains("createRuntime,precreate") or contains("precreate,createRuntime"))' <<<"$output"
	jq -e '.runtimes[0] | .name == "runc" and .version == "1.3.3+ds1" and .vulnerable == []' <<<"$output"
	jq -e '.packages | .installed == 3 and .compilers == []' <<<"$output"
}

@test "a permissive SELinux, disabled AppArmor or no MAC at all is a finding" {
	run --separate-stderr "$OCI_HARDEN" host --format json --root "$HOSTROOTS/weak"
	jq -e '[.results[].findings[] | select(.rule == "host-mac-disabled")] | length == 1 and (.[0].message | contains("permissive"))' <<<"$output"
	run --separate-stderr "$OCI_HARDEN" host --format json --root "$HOSTROOTS/eol"
	jq -e '[.results[].findings[] | select(.rule == "host-mac-disabled")] | length == 1 and (.[0].message | contains("present but disabled"))' <<<"$output"
	run --separate-stderr "$OCI_HARDEN" host --format json --root "$HOSTROOTS/bookworm"
	jq -e '[.results[].findings[] | select(.rule == "host-mac-disabled")] | length == 1 and (.[0].message | contains("neither AppArmor nor SELinux"))' <<<"$output"
}

@test "a release past its regular support is a finding naming the extended support" {
	run --separate-stderr "$OCI_HARDEN" host --format json --root "$HOSTROOTS/eol"
	jq -e '[.results[].findings[] | select(.rule == "host-end-of-life")] | length == 1 and
		(.[0].message | contains("Debian GNU/Linux 10 (buster): regular security support ended on 2022-09-10") and
		 contains("LTS ended 2024-06-30") and contains("ELTS until 2999-06-30"))' <<<"$output"
	# a root without distro-info-data takes the running system's
	run --separate-stderr "$OCI_HARDEN" host --format json --root "$HOSTROOTS/bookworm"
	jq -e '.os | .source | endswith("/usr/lib/os-release")' <<<"$output"
	[ ! -r /usr/share/distro-info/debian.csv ] || jq -e '.os.distroInfo == "/usr/share/distro-info/debian.csv"' <<<"$output"
}

@test "a distribution distro-info-data does not know is stated, not judged" {
	run "$OCI_HARDEN" host --root "$HOSTROOTS/weak"
	assert_output --partial "os: Plan 9 from Bell Labs"
	assert_output --partial "plan9 is not in Debian's distro-info-data (debian.csv, ubuntu.csv), its support dates are unknown"
	refute_output --partial "host-end-of-life"
}

@test "engine defaults weaker than D04 asks are findings at the file and key that set them" {
	need_toml
	run --separate-stderr "$OCI_HARDEN" host --format json --root "$HOSTROOTS/weak"
	local w='[.results[] | .source as $s | .findings[] | select(.rule == "host-engine-weak-defaults") | {s: ($s | sub(".*/fixtures/host/weak/"; "")), p: .pointer}]'
	jq -e "$w"' | (. - [
		{s: "etc/docker/daemon.json", p: "/no-new-privileges"}, {s: "etc/docker/daemon.json", p: "/seccomp-profile"},
		{s: "etc/docker/daemon.json", p: "/userns-remap"}, {s: "etc/docker/daemon.json", p: "/icc"},
		{s: "etc/containers/containers.conf", p: "/containers/seccomp_profile"},
		{s: "etc/containers/containers.conf", p: "/containers/default_capabilities"},
		{s: "etc/containers/containers.conf", p: "/containers/no_new_privileges"},
		{s: "etc/containers/containers.conf.d/50-apparmor.conf", p: "/containers/apparmor_profile"},
		{s: "etc/crio/crio.conf", p: "/crio/runtime/seccomp_profile"},
		{s: "etc/crio/crio.conf.d/10-caps.conf", p: "/crio/runtime/default_capabilities"}]) == [] and length == 10' <<<"$output"
	jq -e '[.results[].findings[] | select(.pointer == "/containers/default_capabilities")][0].message | contains("NET_RAW, SYS_ADMIN")' <<<"$output"
	# hooks or wrapper: Docker has the wrapper only as a non-default runtime,
	# podman and CRI-O no hook, containerd runs the wrapper
	jq -e '[.results[].findings[] | select(.rule == "host-engine-unhardened") | .message | split(" ")[0]] | sort == ["cri-o", "docker", "podman"]' <<<"$output"
	jq -e '[.results[].findings[] | select(.rule == "host-engine-unhardened" and (.message | startswith("docker")))][0].message | contains("only containers run with --runtime hardened")' <<<"$output"
	# a precreate hook in CRI-O's hooks directory makes CRI-O refuse it
	jq -e '[.results[].findings[] | select(.rule == "host-engine-unhardened" and (.message | startswith("cri-o")))][0].message | contains("CRI-O refuses hooks directories")' <<<"$output"
	jq -e '.engines[] | select(.name == "containerd") | .wrapper' <<<"$output"
}

@test "after oci-harden setup for every engine, host finds every engine hardened" {
	need_toml
	local R=$BATS_TEST_TMPDIR/root b e
	mkdir -p "$R/usr/bin" "$R/etc/containerd" "$R/etc/docker" "$R/etc/crio" "$R/etc/containers"
	for b in dockerd podman containerd crio; do : >"$R/usr/bin/$b"; done
	cp "$HOSTROOTS/eol/etc/os-release" "$R/etc/"
	echo 'version = 2' >"$R/etc/containerd/config.toml"
	run --separate-stderr "$OCI_HARDEN" host --format json --root "$R"
	jq -e '[.results[].findings[] | select(.rule == "host-engine-unhardened") | .message | split(" ")[0]] | sort ==
		["containerd", "cri-o", "docker", "podman"]' <<<"$output"
	for e in docker podman containerd crio; do
		run --separate-stderr "$OCI_HARDEN" setup --engine "$e" --root "$R"
		assert_success
	done
	# containerd's through the import setup adds to config.toml
	grep -q '^imports = \["oci-harden.toml"\]' "$R/etc/containerd/config.toml"
	run --separate-stderr "$OCI_HARDEN" host --format json --root "$R"
	jq -e '[.results[].findings[] | select(.rule == "host-engine-unhardened")] == []' <<<"$output"
	jq -e '[.engines[] | select(.installed) | .hooks or .wrapper] == [true, true, true, true]' <<<"$output"
	jq -e '.engines[] | select(.name == "containerd") | .files | map(sub(".*/etc/"; "")) == ["containerd/config.toml", "containerd/oci-harden.toml"]' <<<"$output"
}

@test "without a TOML reader the report says the TOML files were not read" {
	run --separate-stderr env OCI_HARDEN_PYTHON=/nonexistent/python3 "$OCI_HARDEN" host --format json --root "$HOSTROOTS/weak"
	jq -e '[.engines[] | select(.name == "podman" or .name == "cri-o" or .name == "containerd") | .unjudged | startswith("TOML files are not read")] == [true, true, true]' <<<"$output"
	jq -e '[.results[].findings[] | select(.rule == "host-engine-weak-defaults") | .pointer] | all(startswith("/containers") or startswith("/crio") | not)' <<<"$output"
	run env OCI_HARDEN_PYTHON=/nonexistent/python3 "$OCI_HARDEN" host --root "$HOSTROOTS/weak"
	assert_output --partial "engine podman: installed"
	assert_output --regexp "settings not judged: TOML files are not read: .*reading TOML needs /nonexistent/python3"
}

@test "a runtime older than an escape fix is denied unless its changelog names the backport" {
	run --separate-stderr "$OCI_HARDEN" host --format json --root "$HOSTROOTS/weak"
	assert_equal "$status" 1
	jq -e '.runtimes[] | select(.name == "runc") | .version == "1.1.5+ds1" and .backported == ["CVE-2024-21626"] and
		.vulnerable == ["CVE-2024-45310", "CVE-2025-31133", "CVE-2025-52565", "CVE-2025-52881"]' <<<"$output"
	jq -e '[.results[].findings[] | select(.rule == "host-runtime-vulnerable")] | length == 2 and all(.[]; .action == "deny")' <<<"$output"
	jq -e '[.results[].findings[] | select(.rule == "host-runtime-vulnerable" and (.message | startswith("runc")))][0].message |
		contains("CVE-2024-45310 (fixed in 1.1.14, 1.2.0~rc3)") and contains("changelog names the fixes of CVE-2024-21626") and (contains("CVE-2024-21626 (") | not)' <<<"$output"
	# under a policy that only warns the same host is compliant (exit 0)
	echo '{"rules": {"host-runtime-vulnerable": "warn"}}' >"$BATS_TEST_TMPDIR/p.json"
	run --separate-stderr "$OCI_HARDEN" host --format json --root "$HOSTROOTS/weak" --policy "$BATS_TEST_TMPDIR/p.json"
	assert_success
}

@test "compilers, desktops and servers are summarised, a runtime library's base package is not" {
	run --separate-stderr "$OCI_HARDEN" host --format json --root "$HOSTROOTS/weak"
	jq -e '.packages | .compilers == ["gcc-12", "make"] and .desktop == ["xserver-xorg-core"] and .servers == ["apache2"] and .rpmPresent and (.rpmRead | not)' <<<"$output"
	jq -e '[.results[].findings[] | select(.rule == "host-unneeded-software") | .action] == ["warn", "warn", "warn"]' <<<"$output"
	run "$OCI_HARDEN" host --root "$HOSTROOTS/weak"
	assert_output --partial "compilers and build tools installed (2 packages): gcc-12 12.2.0-14, make 4.3-4.1"
	assert_output --partial "packages: an rpm database is present; it is not read"
}

@test "an engine file that cannot be read is an error (exit 2), the rest is still reported" {
	need_toml
	run --separate-stderr "$OCI_HARDEN" host --format json --root "$HOSTROOTS/broken"
	assert_equal "$status" 2
	jq -e '.verdict == "error" and ([.results[] | select(.verdict == "error")] |
		(map(select((.source | endswith("etc/docker/daemon.json")) and (.error | contains("duplicate key \"icc\"")))) | length == 1) and
		(map(select((.source | endswith("etc/containers/containers.conf")) and (.error | contains("line 1")))) | length == 1))' <<<"$output"
	jq -e '[.results[].findings[] | select(.rule == "host-end-of-life")] | length == 1' <<<"$output"
	run "$OCI_HARDEN" host --root "$BATS_TEST_TMPDIR/nonexistent"
	assert_failure 2
	run "$OCI_HARDEN" host --format xml
	assert_failure 2
}

@test "host --format sarif passes check's SARIF checks" {
	need_toml
	run --separate-stderr "$OCI_HARDEN" host --format sarif --root "$HOSTROOTS/weak"
	assert_equal "$status" 1
	sarif=$output
	jq -e '.version == "2.1.0" and (."$schema" | test("sarif-2.1.0"))' <<<"$sarif"
	jq -e '.runs | length == 1' <<<"$sarif"
	jq -e '.runs[0].tool.driver | .name == "oci-harden" and (.version | length) > 0' <<<"$sarif"
	jq -e 'all(.runs[0].tool.driver.rules[]; (.id | length) > 0 and (.shortDescription.text | length) > 0 and (.help.text | test("OWASP Docker Top 10 D04")) and (.help.text | test("CIS Docker Benchmark")))' <<<"$sarif"
	jq -e '.runs[0] as $r | all($r.results[]; $r.tool.driver.rules[.ruleIndex].id == .ruleId and (.message.text | length) > 0 and (.locations[0].physicalLocation.artifactLocation.uri | length) > 0 and (.locations[0].logicalLocations[0].fullyQualifiedName | startswith("/")))' <<<"$sarif"
	jq -e '[.runs[0].results[] | select(.ruleId == "host-runtime-vulnerable")][0].level == "error"' <<<"$sarif"
	jq -e '[.runs[0].results[] | select(.ruleId == "host-engine-weak-defaults")][0].level == "note"' <<<"$sarif"
	jq -e '.runs[0].invocations[0].executionSuccessful == true' <<<"$sarif"
	jq -e 'all(.runs[0].results[]; .locations[0].physicalLocation.region.startLine >= 1 and .locations[0].physicalLocation.region.startColumn >= 1)' <<<"$sarif"
	# and what SARIF 2.1.0 and code scanning require (sarif.bats' schema)
	if /usr/bin/python3 -c 'import jsonschema' 2>/dev/null; then
		printf '%s' "$sarif" >"$BATS_TEST_TMPDIR/host.sarif"
		"$OH_SOURCE_DIR/tests/tools/validate-json" "$OH_SOURCE_DIR/tests/schemas/sarif-2.1.0-subset.schema.json" "$BATS_TEST_TMPDIR/host.sarif"
		run --separate-stderr "$OCI_HARDEN" host --format sarif
		printf '%s' "$output" >"$BATS_TEST_TMPDIR/live.sarif"
		"$OH_SOURCE_DIR/tests/tools/validate-json" "$OH_SOURCE_DIR/tests/schemas/sarif-2.1.0-subset.schema.json" "$BATS_TEST_TMPDIR/live.sarif"
	fi
	# a daemon.json result is placed on the line of its key
	line=$(jq '[.runs[0].results[] | select(.properties.jsonPointer == "/icc")][0].locations[0].physicalLocation.region.startLine' <<<"$sarif")
	sed -n "${line}p" "$HOSTROOTS/weak/etc/docker/daemon.json" | grep -q '"icc"'
	# an error is a failed invocation with a notification
	run --separate-stderr "$OCI_HARDEN" host --format sarif --root "$HOSTROOTS/broken"
	assert_equal "$status" 2
	jq -e '.runs[0].invocations[0].executionSuccessful == false and (.runs[0].invocations[0].toolExecutionNotifications | length) == 2' <<<"$output"
}
