/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What a rule's check and fix see.  Internal to the rules layer: the rule
 * table (rules.c) points at these functions, which live in one file per
 * subject (checks_config.c, checks_kernel.c, checks_rootfs.c, ...).
 *
 * A check reads its subject and adds findings with check_add(); it never
 * decides the action (the policy and the exemptions did, in rules.c) and
 * cannot fail.  A fix edits the config's tree and may fail.
 */
#ifndef OH_CHECK_H
#define OH_CHECK_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "error.h"
#include "host.h"
#include "json.h"
#include "rules.h"
#include "spec.h"

struct kernel_view;
struct rootfs_result;
struct mounted_view;
struct policy;

struct check_ctx {
	/* The config, the exec'd process (a config holding only "process"),
	 * or, for the kernel and rootfs checks, the container's config or
	 * just its annotations. */
	const struct spec *s;
	const struct kernel_view *k;     /* CTX_KERNEL */
	const struct rootfs_result *fs;  /* CTX_ROOTFS */
	const struct mounted_view *mv;   /* CTX_MOUNTED */
	const struct policy *p;
	const struct host_facts *h;
	struct decision *d;
	int rule;
	enum action action;
};

/* Adds a finding of the rule being checked, at its action. */
void check_add(struct check_ctx *c, const char *pointer, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The capabilities of a config's set as a mask, read as leniently as any
 * runtime would (caps_from_loose). */
uint64_t check_set_mask(const struct jval *set);
/* The cap-all criterion on one set of the config. */
bool check_set_is_all(const struct jval *set);
/* Appends the names of the sets in mask (1 << enum capset), ", " between. */
struct oh_buf;
void check_set_names(unsigned mask, struct oh_buf *out);

/* Creates parent.key as an empty object when absent; returns it. */
struct jval *fix_ensure_object(struct jdoc *doc, struct jval *parent,
			       const char *key);

/* --- checks of a config (CTX_CONFIG; the process ones also CTX_EXEC) */
void check_nnp(struct check_ctx *c);
void check_cap_all(struct check_ctx *c);
void check_cap_not_allowed(struct check_ctx *c);
void check_seccomp(struct check_ctx *c);
void check_seccomp_workload(struct check_ctx *c);
/* The policy's seccomp.workloads entry that selects the config, or NULL. */
struct seccomp_workload;
const struct seccomp_workload *seccomp_workload_of(const struct spec *s,
						   const struct policy *p);
void check_apparmor(struct check_ctx *c);
void check_privileged(struct check_ctx *c);
void check_masked(struct check_ctx *c);
void check_namespaces(struct check_ctx *c);
void check_root_user(struct check_ctx *c);
void check_rootfs(struct check_ctx *c);
void check_selinux(struct check_ctx *c);

/* --- the side doors (checks_sidedoors.c; the config's hooks in checks_hooks.c) */
void check_kernel_paths(struct check_ctx *c);
void check_sensitive_mounts(struct check_ctx *c);
void check_host_devices(struct check_ctx *c);
void check_config_hooks(struct check_ctx *c);
void check_hook_loader_env(struct check_ctx *c);
/* Who reads the variable of entry (NAME or NAME=VALUE) in a run of
 * `oci-harden hook STAGE` ("oci-harden", "the dynamic loader", ...): the
 * env oci-harden's own hook may not have.  "" for one only the runtime
 * wrapper reads, NULL for one nothing known reads (or, TZ, not as a file
 * the value chooses). */
const char *check_hook_env_reader(const char *entry);
/* Whether hooks a and b run the same: the same path, args and env (an
 * absent args or env is an empty one); the timeout is not compared. */
bool check_hook_same(const struct jval *a, const struct jval *b);
void check_cwd_fd(struct check_ctx *c);
void check_unsafe_annotations(struct check_ctx *c);
void check_sysctl_unsafe(struct check_ctx *c);
void check_sysctl_host(struct check_ctx *c);
void check_cgroup_shared(struct check_ctx *c);
void check_cgroup_unified(struct check_ctx *c);
void check_mount_namespace(struct check_ctx *c);
/* Whether a node is a device host-devices keeps out of a container (any
 * block device; /dev/mem, /dev/kmem, /dev/port, /dev/kmsg): what it is
 * ("a block device", "/dev/kmsg"), or NULL. */
const char *check_door_node(mode_t mode, dev_t rdev);
/* Whether a file system type is a door of the host's kernel wherever it is
 * mounted (the rbind check's list): what it hands over, or NULL; *device
 * says whether host-devices judges it (devtmpfs, devpts), else
 * sensitive-mounts. */
const char *check_kernel_fs(const char *type, bool *device);
int fix_kernel_paths(struct spec *s, const struct policy *p,
		     const struct host_facts *h, struct oh_error *err);
int fix_unsafe_annotations(struct spec *s, const struct policy *p,
			   const struct host_facts *h, struct oh_error *err);
/* Whether the namespace at path is the host's own of that type: a
 * /proc/1/ path, or (on this host) the inode of /proc/1/ns/TYPE. */
bool check_ns_is_host(const char *type, const char *path);
/* Whether path is the namespace of the host's init, pid 1 (not the checker's). */
bool check_ns_is_init(const char *type, const char *path);

/* --- fixes */
int fix_nnp(struct spec *s, const struct policy *p, const struct host_facts *h,
	    struct oh_error *err);
int fix_caps(struct spec *s, const struct policy *p, const struct host_facts *h,
	     struct oh_error *err);
int fix_seccomp(struct spec *s, const struct policy *p,
		const struct host_facts *h, struct oh_error *err);
int fix_apparmor(struct spec *s, const struct policy *p,
		 const struct host_facts *h, struct oh_error *err);
int fix_masked(struct spec *s, const struct policy *p,
	       const struct host_facts *h, struct oh_error *err);
int fix_rootfs(struct spec *s, const struct policy *p,
	       const struct host_facts *h, struct oh_error *err);

/* --- the kernel's view of a running container (CTX_KERNEL) */
void kcheck_nnp(struct check_ctx *c);
void kcheck_seccomp(struct check_ctx *c);
void kcheck_apparmor(struct check_ctx *c);
void kcheck_selinux(struct check_ctx *c);
void kcheck_root_user(struct check_ctx *c);
void kcheck_cap_all(struct check_ctx *c);
void kcheck_cap_not_allowed(struct check_ctx *c);
void kcheck_listening(struct check_ctx *c);

/* --- what the runtime mounted, from the container's mount namespace
 * (CTX_MOUNTED, checks_mounted.c) */
void mcheck_sensitive_mounts(struct check_ctx *c);
void mcheck_host_devices(struct check_ctx *c);

/* --- a walk of the rootfs (CTX_ROOTFS) */
void rcheck_suid(struct check_ctx *c);
void rcheck_phone_home(struct check_ctx *c);
void rcheck_package_manager(struct check_ctx *c);
void rcheck_compiler(struct check_ctx *c);

#endif
