/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The rule ids as numbers: the bottom of the rules layer, so that the
 * readers (rootfs.c classifies what its walk finds by rule) need not
 * include the rule engine.  The table describing each rule is rules.h's.
 */
#ifndef OH_RULEID_H
#define OH_RULEID_H

enum rule_id {
	R_NO_NEW_PRIVILEGES,
	R_CAP_ALL,
	R_CAP_NOT_ALLOWED,
	R_SECCOMP_UNCONFINED,
	R_APPARMOR_UNCONFINED,
	R_PRIVILEGED,
	R_MASKED_PATHS_REMOVED,
	R_HOST_NAMESPACES,
	R_ROOT_USER,
	R_WRITABLE_ROOTFS,
	R_SELINUX_DISABLED,
	R_KERNEL_PATHS,
	R_SENSITIVE_MOUNTS,
	R_HOST_DEVICES,
	R_CONFIG_HOOKS,
	R_HOOK_LOADER_ENV,
	R_CWD_FD,
	R_UNSAFE_ANNOTATIONS,
	R_SYSCTL_UNSAFE,
	R_SYSCTL_HOST,
	R_SECCOMP_WORKLOAD_PROFILE,
	R_CGROUP_SHARED,
	R_MOUNT_NAMESPACE,
	/* Judged only on what a config cannot show: `inspect` on a running
	 * container's kernel view, and the rootfs walk on a bundle. */
	R_LISTENING_ALL_INTERFACES,
	R_SUID_FILES,
	R_PHONE_HOME_TOOLS,
	R_PACKAGE_MANAGER,
	R_COMPILER,
	/* Judged by `oci-harden host` on the host, its engines and runtimes
	 * (host_judge.c), not on a container. */
	R_HOST_LISTENING_ALL_INTERFACES,
	R_HOST_MAC_DISABLED,
	R_HOST_END_OF_LIFE,
	R_HOST_RUNTIME_VULNERABLE,
	R_HOST_ENGINE_UNHARDENED,
	R_HOST_ENGINE_WEAK_DEFAULTS,
	R_HOST_UNNEEDED_SOFTWARE,
	RULE_COUNT
};

#endif
