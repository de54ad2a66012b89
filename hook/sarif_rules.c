/* SPDX-License-Identifier: Apache-2.0 */
#include "sarif_rules.h"

#include <stddef.h>
#include <string.h>

/*
 * Severities follow what a finding lets a process in the container do to
 * the host: all capabilities or no isolation at all is critical, a missing
 * confinement layer high, information leaks and root inside the container
 * medium, what an image carries (tools an intruder would use) low.
 * Precision: the config rules read the config the runtime will apply, so
 * they are very-high; the rootfs rules judge files by name and mode (high),
 * phone-home-tools by the names of programs that may be harmless (medium).
 */
const struct sarif_rule sarif_rules[] = {
	{ "no-new-privileges", "7.0", "very-high", "external/cwe/cwe-250",
	  "Without no-new-privileges, a setuid binary or a file with capabilities "
	  "in the image raises the privileges of whoever runs it inside the "
	  "container, which undoes dropping capabilities and running as a "
	  "non-root user." },
	{ "cap-all", "9.3", "very-high", "external/cwe/cwe-250",
	  "A capability set that holds all or nearly all capabilities (what "
	  "--privileged and --cap-add=all grant) lets the container load kernel "
	  "modules, mount host filesystems, trace host processes and escape to "
	  "the host." },
	{ "cap-not-allowed", "7.5", "very-high", "external/cwe/cwe-250",
	  "Each capability beyond the engine's defaults widens what a compromised "
	  "process can do to the kernel and the host (CAP_SYS_ADMIN alone allows "
	  "mounts and most namespace operations); the policy's allowlist names "
	  "the ones the workloads need." },
	{ "seccomp-unconfined", "7.5", "very-high", "external/cwe/cwe-693",
	  "Without a seccomp filter every system call reaches the kernel, "
	  "including the rarely used ones where most container escapes through "
	  "kernel bugs have been found (keyctl, bpf, userfaultfd, unshare)." },
	{ "apparmor-unconfined", "6.5", "very-high", "external/cwe/cwe-693",
	  "On AppArmor hosts the engine's profile denies writes to /proc and "
	  "/sys files and mounts; an unconfined process loses that layer of "
	  "mandatory access control." },
	{ "privileged", "9.8", "very-high", "external/cwe/cwe-250",
	  "A privileged container has all capabilities, no seccomp filter and "
	  "the host's /proc and /sys unmasked: root in it is root on the host." },
	{ "masked-paths-removed", "5.5", "very-high", "external/cwe/cwe-200",
	  "Unmasked kernel files leak host information to the container "
	  "(/proc/kcore is the host's memory, /proc/keys its keyrings, "
	  "/sys/firmware its firmware tables) and help attacks on the kernel." },
	{ "host-namespaces", "8.0", "very-high", "external/cwe/cwe-653",
	  "Sharing the host's pid, ipc, uts, network or mount namespace removes "
	  "the isolation it gives: host processes become visible and signalable, "
	  "host services on localhost reachable, host shared memory readable." },
	{ "root-user", "5.0", "very-high", "external/cwe/cwe-250",
	  "A process running as uid 0 owns every file of the container and is "
	  "one kernel bug or one misconfigured mount away from being root on "
	  "the host." },
	{ "writable-rootfs", "3.5", "very-high", "external/cwe/cwe-732",
	  "A writable root filesystem lets an intruder replace the container's "
	  "programs and libraries and keep a foothold for as long as the "
	  "container runs." },
	{ "selinux-disabled", "6.5", "very-high", "external/cwe/cwe-693",
	  "On SELinux hosts the container's label keeps its processes away from "
	  "host files; label=disable or spc_t removes that layer of mandatory "
	  "access control." },
	{ "kernel-paths", "7.5", "very-high", "external/cwe/cwe-732",
	  "The engines keep /proc/sys, /proc/sysrq-trigger and similar kernel "
	  "files read-only or masked; without that, root in the container writes "
	  "host-wide sysctls and reads kernel memory and keys." },
	{ "sensitive-mounts", "9.0", "very-high", "external/cwe/cwe-668",
	  "A bind mount of the host's /, /etc, /proc, /sys, /dev or an engine's "
	  "API socket hands the host to the container: its files, its "
	  "processes, or the daemon that starts privileged containers." },
	{ "host-devices", "8.5", "very-high", "external/cwe/cwe-668",
	  "A host block device, /dev/mem, /dev/kmem, /dev/port or /dev/kmsg in "
	  "the container reads and writes the host's disks, memory or kernel "
	  "log directly." },
	{ "config-hooks", "9.0", "very-high", "external/cwe/cwe-250",
	  "A hook in config.json runs on the host as root, with every "
	  "capability and no seccomp filter, before or after the container "
	  "starts: whoever writes the config chooses what it runs." },
	{ "hook-loader-env", "9.0", "very-high", "external/cwe/cwe-426",
	  "A createContainer or startContainer hook without an environment of its "
	  "own inherits the container's, so LD_PRELOAD in process.env runs the "
	  "container's code in a host-root hook (CVE-2025-23266); so does a "
	  "loader variable in a hook's own env." },
	{ "cwd-fd", "8.6", "very-high", "external/cwe/cwe-403",
	  "A working directory under /proc/self/fd reaches the host's filesystem "
	  "through a descriptor the runtime leaked (CVE-2024-21626)." },
	{ "unsafe-annotations", "8.0", "very-high", "external/cwe/cwe-15",
	  "Some runtimes read annotations that override the config: crun's "
	  "run.oci.seccomp_bpf_data replaces the seccomp filter and "
	  "run.oci.seccomp.plugins loads code into the runtime." },
	{ "sysctl-unsafe", "4.0", "high", "external/cwe/cwe-15",
	  "Sysctls outside the safe, namespaced set tune kernel behaviour that "
	  "other containers on the node share." },
	{ "sysctl-host", "8.0", "very-high", "external/cwe/cwe-15",
	  "A sysctl the kernel does not namespace changes the whole host (kernel.*, "
	  "vm.*), as does a net.* sysctl in the host's network namespace." },
	{ "cgroup-shared", "8.0", "very-high", "external/cwe/cwe-668",
	  "A container placed in a cgroup that holds other processes (the host's "
	  "root cgroup, another container's), or one that moves other processes "
	  "into its cgroup (linux.resources.unified's cgroup.procs), imposes its "
	  "limits on them and takes them with it when it is killed, paused or "
	  "deleted." },
	{ "mount-namespace", "9.0", "very-high", "external/cwe/cwe-668",
	  "A container without a mount namespace of its own runs chrooted in the "
	  "host's file system, and one that joins an existing mount namespace "
	  "makes the runtime pivot every process there into the container's root." },
	{ "seccomp-workload-profile", "5.0", "high", "external/cwe/cwe-693",
	  "A workload the policy gave a profile of its own (learned from what it "
	  "calls) runs with far more of the kernel reachable under any broader "
	  "profile than the one its policy names." },
	{ "listening-all-interfaces", "4.0", "high", "external/cwe/cwe-1327",
	  "A service bound to 0.0.0.0 or :: accepts connections on every "
	  "interface of its network namespace, including ones it was not meant "
	  "to serve." },
	{ "suid-files", "5.0", "high", "external/cwe/cwe-250",
	  "Setuid and setgid files in the image raise the privileges of whoever "
	  "runs them unless no-new-privileges is set." },
	{ "phone-home-tools", "3.0", "medium", "external/cwe/cwe-1188",
	  "Download and network tools in the image are what an intruder uses to "
	  "fetch payloads and send data out; images that do not need them are "
	  "safer without them." },
	{ "package-manager", "2.5", "high", "external/cwe/cwe-1188",
	  "A package manager in the image lets an intruder install any tool; "
	  "images built for one workload do not need it at run time." },
	{ "compiler", "2.5", "high", "external/cwe/cwe-1188",
	  "A compiler in the image lets an intruder build exploits inside the "
	  "container; build tools belong in a build stage, not in the image "
	  "that runs." },
	/* The host rules: precision from what they read (a kernel table, a
	 * securityfs file, the distribution's own dates and the engines' files
	 * are exact; a runtime's version against a CVE table and a changelog,
	 * and packages by name, are high). */
	{ "host-listening-all-interfaces", "4.0", "high", "external/cwe/cwe-1327",
	  "A service of the container host bound to 0.0.0.0 or :: is reachable "
	  "on every interface, including the bridges containers sit on: a "
	  "compromised container can reach it." },
	{ "host-mac-disabled", "6.0", "very-high", "external/cwe/cwe-693",
	  "Without AppArmor or SELinux enforcing, engines cannot confine "
	  "containers with profiles or labels, and every container runs without "
	  "that layer of mandatory access control." },
	{ "host-end-of-life", "7.0", "very-high", "external/cwe/cwe-1104",
	  "A release past its regular support gets no security updates for the "
	  "kernel, the engines and the runtimes unless extended support is "
	  "bought; container escapes through kernel bugs stay open." },
	{ "host-runtime-vulnerable", "9.0", "high", "external/cwe/cwe-1395",
	  "A runtime older than the fix of a known container escape lets a "
	  "malicious image or a compromised container take over the host." },
	{ "host-engine-unhardened", "6.5", "high", "external/cwe/cwe-1188",
	  "An engine that starts containers without oci-harden's hooks or "
	  "wrapper runs every config as given: privileged, with added "
	  "capabilities, without seccomp or no-new-privileges." },
	{ "host-engine-weak-defaults", "6.0", "very-high", "external/cwe/cwe-1188",
	  "An engine default weaker than D04 asks applies to every container "
	  "that does not override it." },
	{ "host-unneeded-software", "3.0", "high", "external/cwe/cwe-1188",
	  "Compilers, desktops and servers on a container host are attack "
	  "surface and tools for an intruder who escapes a container." },
};

const unsigned sarif_rule_count = sizeof(sarif_rules) / sizeof(sarif_rules[0]);

const struct sarif_rule *sarif_rule_find(const char *id)
{
	for (unsigned i = 0; i < sarif_rule_count; i++)
		if (strcmp(sarif_rules[i].id, id) == 0)
			return &sarif_rules[i];
	return NULL;
}
