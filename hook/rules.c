/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The rules layer: the one table of rules (each defined once, with its
 * checks per context and its fix), the policy's action for a rule, the
 * judgement of a subject and the fixing of a config.  The checks and fixes
 * themselves live in checks_*.c (check.h).
 */
#include "rules.h"

#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "policy.h"
#include "rootfs.h"
#include "util.h"

/* ------------------------------------------------------------ catalogue */

const struct rule_info rule_table[RULE_COUNT] = {
	[R_NO_NEW_PRIVILEGES] = {
		.id = "no-new-privileges", .default_action = ACT_FIX,
		.summary = "The process must run with no-new-privileges, so setuid "
			   "binaries and file capabilities cannot raise its privileges.",
		.cis = "5.26",
		.cis_title = "Ensure that the container is restricted from acquiring "
			     "additional privileges",
		.pss = "Privilege Escalation (restricted)",
		.help = "run with --security-opt no-new-privileges, or set "
			"process.noNewPrivileges to true",
		.check = { [CTX_CONFIG] = check_nnp,
			    [CTX_EXEC] = check_nnp,
			    [CTX_KERNEL] = kcheck_nnp },
		.fix = fix_nnp, .fix_order = 10,
	},
	[R_CAP_ALL] = {
		.id = "cap-all", .default_action = ACT_DENY,
		.summary = "No capability set may hold all or nearly all capabilities "
			   "(what --privileged and --cap-add=all grant).",
		.cis = "5.4, 5.5",
		.cis_title = "Ensure that Linux kernel capabilities are restricted "
			     "within containers; ensure that privileged containers "
			     "are not used",
		.pss = "Privileged Containers, Capabilities (baseline)",
		.help = "drop --privileged and --cap-add=all; add only the "
			"capabilities the workload needs with --cap-add",
		.check = { [CTX_CONFIG] = check_cap_all,
			    [CTX_EXEC] = check_cap_all,
			    [CTX_KERNEL] = kcheck_cap_all },
		.fix = fix_caps, .fix_order = 20,
	},
	[R_CAP_NOT_ALLOWED] = {
		.id = "cap-not-allowed", .default_action = ACT_FIX,
		.summary = "Capabilities outside the policy's allowlist are removed "
			   "from every set.",
		.cis = "5.4",
		.cis_title = "Ensure that Linux kernel capabilities are restricted "
			     "within containers",
		.pss = "Capabilities (baseline, restricted)",
		.help = "drop the capability (--cap-drop), or add it to "
			"capabilities.allowed in the policy if the workload needs it",
		.check = { [CTX_CONFIG] = check_cap_not_allowed,
			    [CTX_EXEC] = check_cap_not_allowed,
			    [CTX_KERNEL] = kcheck_cap_not_allowed },
		.fix = fix_caps, .fix_order = 20,
	},
	[R_SECCOMP_UNCONFINED] = {
		.id = "seccomp-unconfined", .default_action = ACT_FIX,
		.summary = "The container must run under a seccomp filter that "
			   "denies something.",
		.cis = "5.22",
		.cis_title = "Ensure that the default seccomp profile is not disabled",
		.pss = "Seccomp (baseline, restricted)",
		.help = "remove --security-opt seccomp=unconfined, or give a "
			"confining profile with --security-opt seccomp=FILE",
		.check = { [CTX_CONFIG] = check_seccomp,
			    [CTX_KERNEL] = kcheck_seccomp },
		.fix = fix_seccomp, .fix_order = 90,
	},
	[R_APPARMOR_UNCONFINED] = {
		.id = "apparmor-unconfined", .default_action = ACT_FIX,
		.summary = "The process must not run AppArmor-unconfined (where the "
			   "host has AppArmor it must have a profile).",
		.cis = "5.2",
		.cis_title = "Ensure that, if applicable, an AppArmor profile is enabled",
		.pss = "AppArmor (baseline)",
		.help = "remove --security-opt apparmor=unconfined; on AppArmor hosts "
			"run with a profile (--security-opt apparmor=PROFILE)",
		.check = { [CTX_CONFIG] = check_apparmor,
			    [CTX_EXEC] = check_apparmor,
			    [CTX_KERNEL] = kcheck_apparmor },
		.fix = fix_apparmor, .fix_order = 50,
	},
	[R_PRIVILEGED] = {
		.id = "privileged", .default_action = ACT_DENY,
		.summary = "The container must not be privileged: all capabilities, "
			   "no seccomp and no masked paths together.",
		.cis = "5.5",
		.cis_title = "Ensure that privileged containers are not used",
		.pss = "Privileged Containers (baseline)",
		.help = "run without --privileged",
		.check = { [CTX_CONFIG] = check_privileged },
	},
	[R_MASKED_PATHS_REMOVED] = {
		.id = "masked-paths-removed", .default_action = ACT_WARN,
		.summary = "Kernel files that leak host information (/proc/kcore, "
			   "/proc/keys, /sys/firmware, ...) must stay masked.",
		.cis = "5.5",
		.cis_title = "Ensure that privileged containers are not used",
		.pss = "/proc Mount Type (baseline)",
		.help = "do not unmask paths (--security-opt unmask=...); keep the "
			"engine's default maskedPaths",
		.check = { [CTX_CONFIG] = check_masked },
		.fix = fix_masked, .fix_order = 30,
	},
	[R_HOST_NAMESPACES] = {
		.id = "host-namespaces", .default_action = ACT_WARN,
		.summary = "The container must have its own pid, ipc, uts, network "
			   "and mount namespaces, not the host's (a namespace path is the "
			   "host's when its inode is, under any name), and a user namespace "
			   "must not map container root to host root.",
		.cis = "5.10, 5.16, 5.17, 5.21",
		.cis_title = "Ensure that the host's network, process, IPC and UTS "
			     "namespaces are not shared",
		.pss = "Host Namespaces (baseline)",
		.help = "do not run with --network=host, --pid=host, --ipc=host or "
			"--uts=host",
		.check = { [CTX_CONFIG] = check_namespaces },
	},
	[R_ROOT_USER] = {
		.id = "root-user", .default_action = ACT_WARN,
		.summary = "The process should run as a non-root user.",
		.cis = "4.1",
		.cis_title = "Ensure that a user for the container has been created",
		.pss = "Running as Non-root, Running as Non-root user (restricted)",
		.help = "run as an unprivileged user (--user UID:GID, or USER in the "
			"image)",
		.check = { [CTX_CONFIG] = check_root_user, [CTX_EXEC] = check_root_user,
			    [CTX_KERNEL] = kcheck_root_user },
	},
	[R_WRITABLE_ROOTFS] = {
		.id = "writable-rootfs", .default_action = ACT_WARN,
		.summary = "The root filesystem should be mounted read-only.",
		.cis = "5.13",
		.cis_title = "Ensure that the container's root filesystem is mounted "
			     "as read only",
		.help = "run with --read-only and mount writable volumes or tmpfs "
			"where the workload writes",
		.check = { [CTX_CONFIG] = check_rootfs },
		.fix = fix_rootfs, .fix_order = 40,
	},
	[R_SELINUX_DISABLED] = {
		.id = "selinux-disabled", .default_action = ACT_WARN,
		.summary = "Where the host has SELinux, the process must run with a "
			   "confining label (not disabled, not spc_t).",
		.cis = "5.3",
		.cis_title = "Ensure that, if applicable, SELinux security options "
			     "are set",
		.pss = "SELinux (baseline)",
		.help = "remove --security-opt label=disable and label=type:spc_t",
		.check = { [CTX_CONFIG] = check_selinux, [CTX_EXEC] = check_selinux,
			    [CTX_KERNEL] = kcheck_selinux },
	},
	[R_KERNEL_PATHS] = {
		.id = "kernel-paths", .default_action = ACT_FIX,
		.summary = "The kernel files every runtime protects must stay so: "
			   "/proc/sys, /proc/sysrq-trigger, /proc/irq, /proc/bus, /proc/fs "
			   "and /proc/asound read-only (or masked), /proc/kcore, /proc/keys, "
			   "/proc/acpi, /proc/scsi and the other masked paths masked; "
			   "judged where the config mounts proc or sysfs.",
		.cis = "5.5",
		.cis_title = "Ensure that privileged containers are not used",
		.pss = "/proc Mount Type (baseline)",
		.help = "do not unmask paths (--security-opt unmask=..., procMount: "
			"Unmasked); keep the runtime's readonlyPaths and maskedPaths",
		.check = { [CTX_CONFIG] = check_kernel_paths },
		.fix = fix_kernel_paths, .fix_order = 31,
	},
	[R_SENSITIVE_MOUNTS] = {
		.id = "sensitive-mounts", .default_action = ACT_DENY,
		.summary = "No bind mount of a host path that hands the host over (its "
			   "/, /etc, /root, /boot, /dev, /proc, /sys, kernel modules, the "
			   "engines' state and API sockets, the kubelet's directories); no "
			   "sysfs mounted read-write, no proc mounted outside /proc, no "
			   "shared mount propagation; no kernel file system of the host "
			   "(binfmt_misc, tracefs, debugfs, cpuset, ...) mounted, no cgroup "
			   "mount without ro, no remount option.",
		.cis = "5.6, 5.20, 5.32",
		.cis_title = "Ensure sensitive host system directories are not mounted "
			     "on containers; ensure mount propagation mode is not set to "
			     "shared; ensure that the Docker socket is not mounted inside "
			     "any containers",
		.pss = "HostPath Volumes (baseline), Volume Types (restricted)",
		.help = "mount a volume or a directory made for the container instead "
			"of the host path; mount sysfs and cgroup read-only; use private "
			"propagation; do not mount the kernel's file systems or remount",
		.check = { [CTX_CONFIG] = check_sensitive_mounts,
			    [CTX_MOUNTED] = mcheck_sensitive_mounts },
	},
	[R_HOST_DEVICES] = {
		.id = "host-devices", .default_action = ACT_DENY,
		.summary = "No host block device, /dev/mem, /dev/kmem, /dev/port or "
			   "/dev/kmsg in the container: not as a device node, not as a "
			   "bind mount, not through a device-cgroup rule that allows "
			   "reading or writing them; no device path with .., and in a "
			   "user namespace, where runc binds device paths from the host, "
			   "none that is not the named device below /dev.",
		.cis = "5.18",
		.cis_title = "Ensure that host devices are not directly exposed to "
			     "containers",
		.pss = "Privileged Containers, HostPath Volumes (baseline)",
		.help = "remove --device and --device-cgroup-rule entries for these "
			"devices; give the container a volume instead of a disk",
		/* update -r: crun applies a resources document's device rules
		 * to the running container (runc 1.1 ignores them). */
		.check = { [CTX_CONFIG] = check_host_devices,
			    [CTX_UPDATE] = check_host_devices,
			    [CTX_MOUNTED] = mcheck_host_devices },
	},
	[R_CONFIG_HOOKS] = {
		.id = "config-hooks", .default_action = ACT_DENY,
		.summary = "A hook in config.json runs as host root with every "
			   "capability, outside the container: only allowlisted hooks "
			   "(oci-harden itself in the forms it registers, those "
			   "registered in the hooks.d directories with the same "
			   "arguments and env, the policy's hooks.allowed, Docker's "
			   "libnetwork-setkey hook of a running dockerd) should appear.",
		.cis = "5.5",
		.cis_title = "Ensure that privileged containers are not used",
		.help = "remove the hook from the config, or register it in a hooks.d "
			"directory or the policy's hooks.allowed if it is trusted; "
			"oci-harden's own binary runs only as oci-harden hook STAGE",
		.check = { [CTX_CONFIG] = check_config_hooks },
	},
	[R_HOOK_LOADER_ENV] = {
		.id = "hook-loader-env", .default_action = ACT_DENY,
		.summary = "A createContainer or startContainer hook without an env of "
			   "its own inherits the container's environment: LD_PRELOAD, "
			   "LD_LIBRARY_PATH, LD_AUDIT, GLIBC_TUNABLES or GCONV_PATH in "
			   "process.env, or in a hook's own env, would load the "
			   "container's code into a host-root hook.",
		.cis = "1.2.2",
		.cis_title = "Ensure that the version of Docker is up to date",
		.cve = "CVE-2025-23266",
		.help = "remove the dynamic loader variables from the container's "
			"environment and from the hook's env, or give the hook an env "
			"of its own; register a hook that needs one in a hooks.d "
			"directory; update the NVIDIA Container Toolkit to 1.17.8 or later",
		.check = { [CTX_CONFIG] = check_hook_loader_env },
	},
	[R_CWD_FD] = {
		.id = "cwd-fd", .default_action = ACT_DENY,
		.summary = "The process's working directory must not lead through "
			   "/proc/PID/fd, /proc/self/fd or /proc/thread-self/fd (or "
			   "/proc/PID/cwd, /root): a descriptor the runtime leaked reaches "
			   "the host's filesystem.",
		.cis = "1.2.2",
		.cis_title = "Ensure that the version of Docker is up to date",
		.cve = "CVE-2024-21626",
		.help = "set process.cwd (--workdir, -w) to a directory of the "
			"container; update runc to 1.1.12 or later",
		.check = { [CTX_CONFIG] = check_cwd_fd, [CTX_EXEC] = check_cwd_fd },
	},
	[R_UNSAFE_ANNOTATIONS] = {
		.id = "unsafe-annotations", .default_action = ACT_DENY,
		.summary = "No annotation that makes the runtime override the config: "
			   "crun's run.oci.seccomp_bpf_data (replaces the seccomp filter), "
			   "run.oci.seccomp.plugins, run.oci.seccomp.receiver, "
			   "run.oci.hooks.stdout/stderr, and the runtime spec's potentially "
			   "unsafe bundle, org.systemd.property.*, org.criu.config.",
		.cis = "5.22",
		.cis_title = "Ensure that the default seccomp profile is not disabled",
		.help = "remove the annotation (fix removes the ones that replace the "
			"seccomp filter); set what it set through the config itself",
		.check = { [CTX_CONFIG] = check_unsafe_annotations },
		.fix = fix_unsafe_annotations, .fix_order = 85,
	},
	[R_SYSCTL_UNSAFE] = {
		.id = "sysctl-unsafe", .default_action = ACT_WARN,
		.summary = "Sysctls should stay within Kubernetes' safe set (namespaced "
			   "and isolated: kernel.shm_rmid_forced, net.ipv4.ip_local_port_range, "
			   "net.ipv4.ping_group_range, ...) or the policy's sysctls.allowed.",
		/* The benchmark has no sysctl item: a host-wide setting from a
		 * container is what its privileged item guards against. */
		.cis = "5.5",
		.cis_title = "Ensure that privileged containers are not used",
		.pss = "Sysctls (baseline)",
		.help = "remove the --sysctl setting, or add it to sysctls.allowed in "
			"the policy if it is namespaced and the workload needs it",
		.check = { [CTX_CONFIG] = check_sysctl_unsafe },
	},
	[R_SYSCTL_HOST] = {
		.id = "sysctl-host", .default_action = ACT_DENY,
		.summary = "No sysctl that the kernel does not namespace (kernel.* "
			   "outside IPC and UTS, vm.*, fs.* outside fs.mqueue, net.* in the "
			   "host's network namespace): the container would set it for the "
			   "whole host.",
		/* The benchmark has no sysctl item: a host-wide setting from a
		 * container is what its privileged item guards against. */
		.cis = "5.5",
		.cis_title = "Ensure that privileged containers are not used",
		.pss = "Sysctls (baseline)",
		.help = "set host-wide sysctls on the host, not through a container",
		.check = { [CTX_CONFIG] = check_sysctl_host },
	},
	[R_SECCOMP_WORKLOAD_PROFILE] = {
		.id = "seccomp-workload-profile", .default_action = ACT_FIX,
		.summary = "A config the policy's seccomp.workloads selects (by "
			   "annotation or image name) must run under that workload's "
			   "profile, translated for its capabilities.",
		.cis = "5.22",
		.cis_title = "Ensure that the default seccomp profile is not disabled",
		.pss = "Seccomp (baseline, restricted)",
		.help = "let fix install the workload's profile, or name another one in "
			"seccomp.workloads",
		.check = { [CTX_CONFIG] = check_seccomp_workload },
		.fix = fix_seccomp, .fix_order = 90,
	},
	[R_CGROUP_SHARED] = {
		.id = "cgroup-shared", .default_action = ACT_DENY,
		.summary = "linux.cgroupsPath must not name a cgroup that already holds "
			   "processes (the host's root cgroup, another container's, a "
			   "service's): runc 1.1 joins it, sets the container's limits "
			   "on it, and kill --all, pause and delete reach every process "
			   "in it; nor may linux.resources.unified write cgroup.procs or "
			   "cgroup.threads, which moves other processes into the "
			   "container's cgroup.",
		.cis = "5.5",
		.cis_title = "Ensure that privileged containers are not used",
		.help = "let the engine choose the cgroup (drop --cgroup and "
			"linux.cgroupsPath), or name one of the container's own; "
			"drop cgroup.procs and cgroup.threads from linux.resources.unified",
		/* update -r: runc and crun write an update's unified files too. */
		.check = { [CTX_CONFIG] = check_cgroup_shared,
			    [CTX_UPDATE] = check_cgroup_unified },
	},
	[R_MOUNT_NAMESPACE] = {
		.id = "mount-namespace", .default_action = ACT_DENY,
		.summary = "The container must get a mount namespace made for it: "
			   "without one, crun chroots it into the host's file system, "
			   "which root with CAP_SYS_CHROOT leaves; joining one by path "
			   "(the host's, another container's), runc and crun set up and "
			   "pivot_root the container's root there, which moves every "
			   "process of that namespace into the container's root file "
			   "system.",
		.cis = "5.5",
		.cis_title = "Ensure that privileged containers are not used",
		.pss = "Host Namespaces (baseline)",
		.help = "give the container its own mount namespace: a "
			"{\"type\": \"mount\"} entry in linux.namespaces without a path",
		.check = { [CTX_CONFIG] = check_mount_namespace },
	},
	[R_LISTENING_ALL_INTERFACES] = {
		.id = "listening-all-interfaces", .default_action = ACT_WARN,
		.summary = "A service in a running container should listen on the "
			   "address it serves, not on every interface (0.0.0.0 or ::); "
			   "judged by `inspect` on the kernel's sockets.",
		.cis = "5.9, 5.14",
		.cis_title = "Ensure that only needed ports are open on the container; "
			     "ensure that incoming container traffic is bound to a "
			     "specific host interface",
		.help = "bind the service to the address it must serve (127.0.0.1 "
			"for a sidecar's local port), and publish ports on a specific "
			"host address (-p IP:PORT:PORT)",
		.check = { [CTX_KERNEL] = kcheck_listening },
	},
	[R_SUID_FILES] = {
		.id = "suid-files", .default_action = ACT_WARN,
		.summary = "The root filesystem should hold no setuid or setgid files: "
			   "without no-new-privileges they raise the privileges of "
			   "whoever runs them.",
		.cis = "4.8",
		.cis_title = "Ensure setuid and setgid permissions are removed",
		.help = "remove the bits when building the image (find / -xdev -perm "
			"/6000 -type f -exec chmod a-s {} +) and run with "
			"no-new-privileges",
		.check = { [CTX_ROOTFS] = rcheck_suid },
	},
	[R_PHONE_HOME_TOOLS] = {
		.id = "phone-home-tools", .default_action = ACT_WARN,
		.summary = "The root filesystem should not hold tools that download or "
			   "send data over the network (wget, curl, nc, netcat), which an "
			   "intruder uses to fetch payloads and exfiltrate data.",
		.cis = "4.3",
		.cis_title = "Ensure that unnecessary packages are not installed in "
			     "the container",
		.help = "build on a distroless or scratch base, or remove the tools "
			"(and busybox's wget and nc applets) from the image",
		.check = { [CTX_ROOTFS] = rcheck_phone_home },
	},
	[R_PACKAGE_MANAGER] = {
		.id = "package-manager", .default_action = ACT_WARN,
		.summary = "The root filesystem should not hold package managers (apt, "
			   "dpkg, apk, dnf, yum, pip), which let an intruder install "
			   "tools.",
		.cis = "4.3",
		.cis_title = "Ensure that unnecessary packages are not installed in "
			     "the container",
		.help = "install in a build stage and copy only the application into a "
			"minimal runtime image",
		.check = { [CTX_ROOTFS] = rcheck_package_manager },
	},
	[R_COMPILER] = {
		.id = "compiler", .default_action = ACT_WARN,
		.summary = "The root filesystem should not hold compilers or build "
			   "tools (cc, gcc, make), which let an intruder build tools in "
			   "place.",
		.cis = "4.3",
		.cis_title = "Ensure that unnecessary packages are not installed in "
			     "the container",
		.help = "compile in a build stage and copy only the result into the "
			"runtime image",
		.check = { [CTX_ROOTFS] = rcheck_compiler },
	},
	[R_HOST_LISTENING_ALL_INTERFACES] = {
		.id = "host-listening-all-interfaces", .default_action = ACT_WARN,
		.summary = "A service of the container host itself should listen on "
			   "the address it serves, not on every interface; judged by "
			   "`host` on the host's network namespace.",
		.cis = "1.2.1",
		.cis_title = "Ensure the container host has been Hardened",
		.help = "stop the service if it is not needed, bind it to 127.0.0.1 "
			"or ::1 if only local clients use it, and make it authenticate "
			"its clients if it must be reachable",
	},
	[R_HOST_MAC_DISABLED] = {
		.id = "host-mac-disabled", .default_action = ACT_WARN,
		.summary = "The host should run a mandatory access control (AppArmor "
			   "or SELinux), enabled and enforcing, so engines can confine "
			   "containers with profiles or labels.",
		.cis = "1.2.1, 5.2, 5.3",
		.cis_title = "Ensure the container host has been Hardened; ensure that, "
			     "if applicable, an AppArmor profile is enabled; ensure that, "
			     "if applicable, SELinux security options are set",
		.help = "enable AppArmor (apparmor=1 security=apparmor on the kernel "
			"command line, the apparmor package) or SELinux in enforcing mode",
	},
	[R_HOST_END_OF_LIFE] = {
		.id = "host-end-of-life", .default_action = ACT_WARN,
		.summary = "The host's distribution release should still have regular "
			   "security support (Debian's distro-info-data dates).",
		.cis = "1.2.1",
		.cis_title = "Ensure the container host has been Hardened",
		.help = "upgrade to a supported release, or subscribe to the extended "
			"support (LTS, ELTS, ESM) the report names until then",
	},
	[R_HOST_RUNTIME_VULNERABLE] = {
		.id = "host-runtime-vulnerable", .default_action = ACT_DENY,
		.summary = "The OCI runtimes (runc, crun) must not be older than the "
			   "fixes of known container escapes, unless the distribution's "
			   "changelog names the backported fix.",
		.cis = "1.2.2",
		.cis_title = "Ensure that the version of Docker is up to date",
		.help = "upgrade the runtime package (apt-get install --only-upgrade "
			"runc crun) or replace a locally installed binary with a fixed "
			"release",
	},
	[R_HOST_ENGINE_UNHARDENED] = {
		.id = "host-engine-unhardened", .default_action = ACT_WARN,
		.summary = "Every engine installed should start its containers through "
			   "oci-harden: its hooks (podman, CRI-O) or its runtime wrapper "
			   "(Docker, containerd, CRI-O).",
		.cis = "5.4, 5.22, 5.26",
		.cis_title = "Ensure that Linux kernel capabilities are restricted within "
			     "containers; ensure that the default seccomp profile is not "
			     "disabled; ensure that the container is restricted from "
			     "acquiring additional privileges",
		.help = "install the hooks.d files (cmake --install, or the .deb) for "
			"podman and CRI-O, and make oci-harden-runtime the default "
			"runtime of Docker, containerd and CRI-O (README: the runtime "
			"wrapper)",
	},
	[R_HOST_ENGINE_WEAK_DEFAULTS] = {
		.id = "host-engine-weak-defaults", .default_action = ACT_WARN,
		.summary = "An engine's defaults should be what D04 asks: "
			   "no-new-privileges, a seccomp profile, no capabilities beyond "
			   "the allowlist, AppArmor confinement, user namespaces and no "
			   "inter-container traffic on Docker's default bridge.",
		.cis = "2.2, 2.9, 2.16, 2.18",
		.cis_title = "Ensure network traffic is restricted between containers "
			     "on the default bridge; enable user namespace support; "
			     "ensure that a daemon-wide custom seccomp profile is applied "
			     "if appropriate; ensure that containers are restricted from "
			     "acquiring new privileges",
		.help = "change the setting named in the engine's configuration file "
			"(daemon.json, containers.conf, crio.conf) and restart the engine",
	},
	[R_HOST_UNNEEDED_SOFTWARE] = {
		.id = "host-unneeded-software", .default_action = ACT_WARN,
		.summary = "A container host should not carry compilers, desktop "
			   "environments or servers it does not need to run containers: "
			   "each is attack surface and a tool for an intruder.",
		.cis = "1.2.1",
		.cis_title = "Ensure the container host has been Hardened",
		.help = "remove the packages (apt-get purge) and build software in "
			"containers or on build machines instead",
	},
};

int rule_by_id(const char *id)
{
	/* A policy names every rule, at every hook run: the first letter
	 * spares most of the comparisons a plain scan would make. */
	for (int r = 0; r < RULE_COUNT; r++)
		if (rule_table[r].id[0] == id[0] && strcmp(rule_table[r].id, id) == 0)
			return r;
	return -1;
}

static const char *const action_names[] = {
	[ACT_OFF] = "off", [ACT_WARN] = "warn", [ACT_FIX] = "fix", [ACT_DENY] = "deny",
};

const char *action_name(enum action a)
{
	return action_names[a];
}

int action_parse(const char *s, enum action *out)
{
	for (int a = ACT_OFF; a <= ACT_DENY; a++)
		if (strcmp(action_names[a], s) == 0) {
			*out = (enum action)a;
			return 0;
		}
	return -1;
}

const char *verdict_name(enum verdict v)
{
	switch (v) {
	case V_COMPLIANT: return "compliant";
	case V_FIXABLE: return "fixable";
	case V_DENIED: return "denied";
	case V_ERROR: return "error";
	case V_NOT_JUDGED: return "not judged";
	}
	return "error";
}

bool rule_fixable(int r)
{
	return r >= 0 && r < RULE_COUNT && rule_table[r].fix != NULL;
}

/* ------------------------------------------------------------ decisions */

void decision_addv(struct decision *d, int rule, enum action a,
		   const char *pointer, const char *fmt, va_list ap)
{
	struct finding *f;

	/* Doubling keeps many findings linear. */
	if ((d->nfindings & (d->nfindings - 1)) == 0)
		d->findings = xrealloc(d->findings,
				       (d->nfindings ? d->nfindings * 2 : 1) * sizeof(*f));
	f = &d->findings[d->nfindings++];
	f->rule = rule;
	f->action = a;
	f->pointer = xstrdup(pointer);
	f->line = f->column = f->end_line = f->end_column = 0;
	if (vasprintf(&f->message, fmt, ap) < 0)
		f->message = xstrdup("?");
	if (oh_controls_in(f->message)) {
		size_t cap = 4 * strlen(f->message) + 1;
		char *clean = xmalloc(cap);
		oh_escape_controls(clean, cap, f->message);
		free(f->message);
		f->message = clean;
	}
}

void decision_add(struct decision *d, int rule, enum action a,
		  const char *pointer, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	decision_addv(d, rule, a, pointer, fmt, ap);
	va_end(ap);
}

rule_mask decision_rules(const struct decision *d, enum action min)
{
	rule_mask mask = 0;

	for (size_t i = 0; d != NULL && i < d->nfindings; i++)
		if (d->findings[i].action >= min)
			mask |= RULE_BIT(d->findings[i].rule);
	return mask;
}

void rule_ids(rule_mask mask, const char *sep, struct oh_buf *out)
{
	bool first = true;

	for (int r = 0; r < RULE_COUNT; r++) {
		if (!(mask & RULE_BIT(r)))
			continue;
		if (!first)
			oh_buf_puts(out, sep);
		oh_buf_puts(out, rule_table[r].id);
		first = false;
	}
}

void decision_settle(struct decision *d)
{
	d->verdict = V_COMPLIANT;
	for (size_t i = 0; i < d->nfindings; i++) {
		if (d->findings[i].action == ACT_DENY)
			d->verdict = V_DENIED;
		else if (d->findings[i].action == ACT_FIX && d->verdict != V_DENIED)
			d->verdict = V_FIXABLE;
	}
}

void decision_init(struct decision *d)
{
	memset(d, 0, sizeof(*d));
	d->exemption = -1;
	/* Until a judgement settles it (decision_settle): a zeroed verdict
	 * would read compliant. */
	d->verdict = V_NOT_JUDGED;
}

void decision_free(struct decision *d)
{
	for (size_t i = 0; i < d->nfindings; i++) {
		free(d->findings[i].message);
		free(d->findings[i].pointer);
	}
	free(d->findings);
	d->findings = NULL;
	d->nfindings = 0;
}

/* ------------------------------------------------------------ judgement */

static bool exemption_matches(const struct spec *s, const struct exemption *e)
{
	for (size_t k = 0; k < e->nmatch; k++) {
		const char *v = spec_annotation(s, e->match[k].key);
		if (v == NULL || regexec(&e->match[k].re, v, 0, NULL, 0) != 0)
			return false;
	}
	return true;
}

enum action rules_action_for(const struct spec *s, const struct policy *p,
			     int r, int *exemption)
{
	if (exemption)
		*exemption = -1;
	for (size_t i = 0; s != NULL && i < p->nexemptions; i++) {
		const struct exemption *e = &p->exemptions[i];
		if ((e->rules & RULE_BIT(r)) && exemption_matches(s, e)) {
			if (exemption)
				*exemption = (int)i;
			return ACT_OFF;
		}
	}
	return p->action[r];
}

void rules_judge(const struct subject *sub, const struct policy *p,
		 const struct host_facts *h, struct decision *d)
{
	static const struct spec none;
	const struct spec *ann = sub->ann ? sub->ann : sub->s;
	struct check_ctx c = { .s = sub->s ? sub->s : &none, .k = sub->k,
			       .fs = sub->fs, .mv = sub->mv, .p = p, .h = h, .d = d };

	for (int r = 0; r < RULE_COUNT; r++) {
		check_fn check = rule_table[r].check[sub->on];
		int ex;

		if (check == NULL)
			continue;
		enum action a = rules_action_for(ann, p, r, &ex);
		if (ex >= 0 && p->action[r] != ACT_OFF) {
			/* Record the exemption only where the rule would have fired. */
			struct decision probe;
			struct check_ctx pc = c;
			decision_init(&probe);
			pc.d = &probe;
			pc.rule = r;
			pc.action = p->action[r];
			check(&pc);
			if (probe.nfindings > 0) {
				d->exempted |= RULE_BIT(r);
				if (d->exemption < 0)
					d->exemption = ex;
			}
			decision_free(&probe);
		}
		if (a == ACT_OFF)
			continue;
		c.rule = r;
		c.action = a;
		check(&c);
	}
	decision_settle(d);
}

int rules_evaluate(const struct spec *s, const struct policy *p,
		   const struct host_facts *h, struct decision *d,
		   struct oh_error *err)
{
	(void)err;
	decision_init(d);
	rules_judge(&(struct subject){ .on = CTX_CONFIG, .s = s }, p, h, d);
	return 0;
}

int rules_evaluate_kernel(const struct kernel_view *k, const struct spec *ann,
			  const struct policy *p, const struct host_facts *h,
			  struct decision *d, struct oh_error *err)
{
	(void)err;
	decision_init(d);
	rules_judge(&(struct subject){ .on = CTX_KERNEL, .k = k, .ann = ann }, p, h, d);
	return 0;
}

int rules_evaluate_rootfs(const struct rootfs_result *fs, const struct spec *s,
			  const struct policy *p, const struct host_facts *h,
			  struct decision *d, struct oh_error *err)
{
	(void)err;
	if (fs->scanned)
		rules_judge(&(struct subject){ .on = CTX_ROOTFS, .s = s, .fs = fs }, p, h, d);
	return 0;
}

/* ---------------------------------------------------------------- fixing */

int rules_fix(struct spec *s, const struct policy *p,
	      const struct host_facts *h, const struct decision *d,
	      struct oh_error *err)
{
	rule_mask todo = 0;
	struct decision after;
	int order[RULE_COUNT], n = 0;

	/* The view is fresh (loaded, and reloaded after every fix): its masks
	 * are the sets' (a set may name a million). */
	uint64_t bounding_before = s->capmask[CS_BOUNDING];

	for (size_t i = 0; i < d->nfindings; i++)
		if (d->findings[i].action == ACT_FIX)
			todo |= RULE_BIT(d->findings[i].rule);
	/* The fixable rules by fix order (insertion sort: a few dozen rules). */
	for (int r = 0; r < RULE_COUNT; r++) {
		if (rule_table[r].fix == NULL)
			continue;
		int k = n++;
		while (k > 0 && rule_table[order[k - 1]].fix_order > rule_table[r].fix_order) {
			order[k] = order[k - 1];
			k--;
		}
		order[k] = r;
	}
	fix_fn done[RULE_COUNT];
	int ndone = 0;
	for (int i = 0; i < n; i++) {
		int r = order[i];
		/*
		 * A profile is translated for a set of capabilities: podman's
		 * for --cap-add=sys_admin allows unshare and mount.  When the
		 * capability fix shrank the bounding set, the config's profile
		 * allows more than the container may now do, so it is replaced
		 * by the policy's profile translated for what is left (unless
		 * the policy leaves seccomp alone).
		 */
		if (r == R_SECCOMP_UNCONFINED && s->seccomp != NULL &&
		    (bounding_before & ~s->capmask[CS_BOUNDING]) != 0 &&
		    rules_action_for(s, p, R_SECCOMP_UNCONFINED, NULL) == ACT_FIX)
			todo |= RULE_BIT(R_SECCOMP_UNCONFINED);
		if (!(todo & RULE_BIT(r)))
			continue;
		/* Rules sharing a fix (cap-all, cap-not-allowed) run it once. */
		bool again = false;
		for (int k = 0; k < ndone; k++)
			again |= done[k] == rule_table[r].fix;
		if (again)
			continue;
		done[ndone++] = rule_table[r].fix;
		if (rule_table[r].fix(s, p, h, err) < 0)
			return oh_err_wrap(err, "fixing %s", rule_table[r].id);
		/* Re-read the view: the fix may have replaced what it points at. */
		if (spec_reload(s, err) < 0)
			return oh_err_wrap(err, "internal error after fixing %s",
					   rule_table[r].id);
	}
	/* The output must pass the same judgement. */
	if (rules_evaluate(s, p, h, &after, err) < 0)
		return -1;
	for (size_t i = 0; i < after.nfindings; i++) {
		if (after.findings[i].action == ACT_FIX || after.findings[i].action == ACT_DENY) {
			oh_err(err, 0, "internal error: the fixed config still fails %s: %s",
			       rule_table[after.findings[i].rule].id,
			       after.findings[i].message);
			decision_free(&after);
			return -1;
		}
	}
	decision_free(&after);
	return 0;
}
