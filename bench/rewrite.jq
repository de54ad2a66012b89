# What admins write by hand instead of `oci-harden hook precreate`: a jq
# filter that hardens a config the same way, for comparison in bench/run.sh.
#
#   jq -c --slurpfile profile seccomp-profiles/default.json -f bench/rewrite.jq <config.json
#
# It sets no-new-privileges, keeps only allowlisted capabilities and
# installs the docker-format profile translated as oci-harden translates it
# for amd64: the native architecture and its archMap sub-architectures, and
# includes/excludes by capabilities (against the bounding set after the
# capability filter) and by architecture.  It validates nothing and refuses
# nothing, so it does less than the hook.

def allowed: ["CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER", "CAP_FSETID",
	"CAP_KILL", "CAP_NET_BIND_SERVICE", "CAP_SETFCAP", "CAP_SETGID",
	"CAP_SETPCAP", "CAP_SETUID", "CAP_SYS_CHROOT"];
def has($list): . as $x | $list | index([$x]) != null;

.process.noNewPrivileges = true
| .process.capabilities |= (if . == null then . else
	with_entries(.value |= map(select(has(allowed)))) end)
| (.process.capabilities.bounding // []) as $bnd
| .linux.seccomp = ($profile[0] | {
	defaultAction,
	defaultErrnoRet,
	architectures: [.archMap[] | select(.architecture == "SCMP_ARCH_X86_64")
		| .architecture, .subArchitectures[]],
	syscalls: [.syscalls[]
		| select(all(.includes.caps[]?; has($bnd)))
		| select(any(.excludes.caps[]?; has($bnd)) | not)
		| select((.includes.arches // []) | length == 0 or index(["amd64"]) != null)
		| select((.excludes.arches // []) | index(["amd64"]) == null)
		| {names, action}
		  + (if .errnoRet != null then {errnoRet} else {} end)
		  + (if (.args // []) | length > 0 then
			{args: [.args[] | if (.valueTwo // 0) == 0 then del(.valueTwo) else . end]}
		     else {} end)]
})
