#!/usr/bin/env bats
# deploy/: the DaemonSet manifest and the node installer it runs.  No
# cluster runs here: the manifest is checked by kubectl's client-side dry
# run, the installer on prepared node roots.

load helpers
load setup_engines
bats_require_minimum_version 1.5.0

MANIFEST=$OH_SOURCE_DIR/deploy/oci-harden-setup.yaml
NODE_SETUP=$OH_SOURCE_DIR/deploy/node-setup.sh

# kubectl without a cluster: its client-side dry run still maps kinds to
# resources through discovery, which a cache of three small documents
# answers for the kinds the manifest uses.
offline_kubectl() {
	local t=$BATS_TEST_TMPDIR/kube d
	d=$t/cache/discovery/oh_setup.invalid_6443
	mkdir -p "$d/v1" "$d/apps/v1"
	printf '%s\n' 'apiVersion: v1' 'kind: Config' \
		'clusters: [{name: none, cluster: {server: "https://oh-setup.invalid:6443"}}]' \
		'contexts: [{name: none, context: {cluster: none, user: none}}]' \
		'current-context: none' 'users: [{name: none, user: {token: none}}]' >"$t/kubeconfig"
	echo '{"kind":"APIGroupList","apiVersion":"v1","groups":[
		{"name":"","versions":[{"groupVersion":"v1","version":"v1"}],"preferredVersion":{"groupVersion":"v1","version":"v1"}},
		{"name":"apps","versions":[{"groupVersion":"apps/v1","version":"v1"}],"preferredVersion":{"groupVersion":"apps/v1","version":"v1"}}]}' \
		>"$d/servergroups.json"
	echo '{"kind":"APIResourceList","apiVersion":"v1","groupVersion":"v1","resources":[
		{"name":"namespaces","singularName":"namespace","namespaced":false,"kind":"Namespace","verbs":["create","get"]},
		{"name":"configmaps","singularName":"configmap","namespaced":true,"kind":"ConfigMap","verbs":["create","get"]}]}' \
		>"$d/v1/serverresources.json"
	echo '{"kind":"APIResourceList","apiVersion":"v1","groupVersion":"apps/v1","resources":[
		{"name":"daemonsets","singularName":"daemonset","namespaced":true,"kind":"DaemonSet","verbs":["create","get"]}]}' \
		>"$d/apps/v1/serverresources.json"
	kubectl --kubeconfig "$t/kubeconfig" --cache-dir "$t/cache" "$@" </dev/null
}

@test "the DaemonSet manifest passes kubectl create --dry-run=client" {
	command -v kubectl >/dev/null || skip "kubectl is not installed"
	run --separate-stderr offline_kubectl create --dry-run=client --validate=false -o json -f "$MANIFEST"
	assert_success
	printf '%s\n' "$output" | jq -s . >"$BATS_TEST_TMPDIR/objects.json"
	run jq -r '[.[] | .kind + "/" + .metadata.name] | join(" ")' "$BATS_TEST_TMPDIR/objects.json"
	assert_output "Namespace/oci-harden ConfigMap/oci-harden-policy DaemonSet/oci-harden-setup"
	# It mounts the node's root and the policy, and runs the installer.
	run jq -e '.[2].spec.template.spec |
		(.volumes[] | select(.name == "host") | .hostPath.path == "/") and
		(.volumes[] | select(.name == "policy") | .configMap.name == "oci-harden-policy") and
		(.initContainers[0].volumeMounts | map(.mountPath) | index("/host") and index("/etc/oci-harden-config")) and
		(.initContainers[0].env[] | select(.name == "OH_RESTART") | .value == "false")' \
		"$BATS_TEST_TMPDIR/objects.json"
	assert_success
}

@test "the DaemonSet's pods ask for nothing oci-harden's default policy refuses" {
	command -v kubectl >/dev/null || skip "kubectl is not installed"
	offline_kubectl create --dry-run=client --validate=false -o json -f "$MANIFEST" | jq -s . >"$BATS_TEST_TMPDIR/objects.json"
	allowed=$(jq -c '.capabilities.allowed | map(sub("^CAP_"; ""))' "$OH_SOURCE_DIR/policy/default.json")
	run jq -e --argjson allowed "$allowed" '.[2].spec.template.spec |
		[.initContainers[], .containers[]] | all(.securityContext |
			.privileged != true and .allowPrivilegeEscalation == false and
			.seccompProfile.type == "RuntimeDefault" and .capabilities.drop == ["ALL"] and
			((.capabilities.add // []) - $allowed == []))' "$BATS_TEST_TMPDIR/objects.json"
	assert_success
}

@test "the ConfigMap carries the default policy, which oci-harden accepts" {
	command -v kubectl >/dev/null || skip "kubectl is not installed"
	offline_kubectl create --dry-run=client --validate=false -o json -f "$MANIFEST" | jq -s . >"$BATS_TEST_TMPDIR/objects.json"
	jq -r '.[1].data."policy.json"' "$BATS_TEST_TMPDIR/objects.json" >"$BATS_TEST_TMPDIR/policy.json"
	jq -e --slurpfile d "$OH_SOURCE_DIR/policy/default.json" '. == $d[0]' "$BATS_TEST_TMPDIR/policy.json"
	run "$OCI_HARDEN" rules --policy "$BATS_TEST_TMPDIR/policy.json"
	assert_success
}

# The installer on a node root prepared under the test's directory.
node_setup() {
	OH_HOST_ROOT=$R OH_BINARY=$OCI_HARDEN OH_POLICY=$OH_SOURCE_DIR/policy/default.json \
		run sh "$NODE_SETUP"
}

@test "the node installer finds containerd on the node, installs the binary and the policy and sets containerd up" {
	have_toml_parser || skip "needs /usr/bin/python3 with tomllib or python3-tomli"
	R=$BATS_TEST_TMPDIR/node
	prepare_root containerd "$R"
	node_setup
	assert_success
	assert_output --partial "node runtime: containerd"
	assert_output --partial "not restarting containerd"
	[ -x "$R/opt/oci-harden/bin/oci-harden" ]
	[ "$(readlink "$R/opt/oci-harden/bin/oci-harden-runtime")" = oci-harden ]
	[ "$(readlink -f "$R/opt/oci-harden/libexec/oci-harden/runc-path/runc")" = "$(readlink -f "$R/opt/oci-harden/bin/oci-harden")" ]
	grep -qx 'Environment="PATH=/opt/oci-harden/libexec/oci-harden/runc-path:.*"' \
		"$R/etc/systemd/system/containerd.service.d/99-oci-harden.conf"
	cmp "$OH_SOURCE_DIR/policy/default.json" "$R/opt/oci-harden/etc/oci-harden/policy.json"
	run toml_json "$R/etc/containerd/oci-harden.toml"
	printf '%s\n' "$output" | jq -e '.plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options.BinaryName == "/opt/oci-harden/bin/oci-harden-runtime"'
	# again: nothing to change, nothing restarted
	node_setup
	assert_success
	assert_output --partial "nothing to change"
}

@test "the node installer sets CRI-O up with hooks reading the installed policy" {
	have_toml_parser || skip "needs /usr/bin/python3 with tomllib or python3-tomli"
	R=$BATS_TEST_TMPDIR/node
	prepare_root crio "$R"
	node_setup
	assert_success
	assert_output --partial "node runtime: crio"
	run jq -e '.hook.path == "/opt/oci-harden/bin/oci-harden" and
		(.hook.args | index("/opt/oci-harden/etc/oci-harden/policy.json"))' \
		"$R/etc/crio/oci-harden-hooks.d/99-oci-harden-createruntime.json"
	assert_success
}

@test "the node installer refuses a node where it cannot tell the runtime, and one holding both" {
	R=$BATS_TEST_TMPDIR/node
	mkdir -p "$R/etc"
	node_setup
	assert_failure 2
	assert_output --partial "cannot tell the node's runtime (found: none); set OH_ENGINE"
	prepare_root containerd "$R"
	prepare_root crio "$R"
	node_setup
	assert_failure 2
	assert_output --partial "found: containerd crio"
	[ ! -e "$R/opt" ]
}

@test "the node installer refuses an invalid policy before anything reaches the node" {
	R=$BATS_TEST_TMPDIR/node
	prepare_root containerd "$R"
	echo '{"version": 1, "mode": "loose"}' >"$BATS_TEST_TMPDIR/bad.json"
	OH_HOST_ROOT=$R OH_BINARY=$OCI_HARDEN OH_POLICY=$BATS_TEST_TMPDIR/bad.json run sh "$NODE_SETUP"
	assert_failure 2
	assert_output --partial "is invalid"
	[ ! -e "$R/opt" ]
}
