/* SPDX-License-Identifier: Apache-2.0 */
/*
 * exec clamped to its container.  Engines build an exec's process from
 * their own stored spec (Docker's and containerd's carry CAP_MKNOD,
 * CAP_NET_RAW, CAP_AUDIT_WRITE and no noNewPrivileges), not from the
 * hardened config, so judging that process like a config would refuse
 * every exec.  Instead the process is limited to what the container
 * itself was given, read from the runtime's own state: noNewPrivileges
 * true, every capability set within the container's bounding set and the
 * policy's allowlist, the container's AppArmor profile.  What asks for
 * more than the container holds is refused, or clamped if the policy says
 * so.  Exemptions follow the container's annotations, never the process.
 */
#ifndef OH_EXEC_CLAMP_H
#define OH_EXEC_CLAMP_H

#include <stdbool.h>
#include <stdint.h>

#include "error.h"
#include "policy.h"
#include "rules.h"
#include "runtime_args.h"
#include "spec.h"

/* What the container was started with, from the runtime's state. */
struct container_creds {
	uint64_t caps[CS_COUNT];
	bool nnp;
	char *apparmor;      /* NULL when it has none */
	char *label;         /* its SELinux process label; NULL when none */
	bool seccomp;        /* it runs under a seccomp filter */
	/* What the filters the kernel holds for its init let through, as
	 * the verifier reads them: NULL when they confine. */
	char *seccomp_weak;
	pid_t pid;           /* its init, as the state records it */
	unsigned long long start;  /* the init's start time; 0 if unknown */
	char *bundle;        /* NULL when the state does not say */
	struct spec ann;     /* only its annotations, for the exemptions */
};

/*
 * Reads the container's state: runc's ROOT/ID/state.json (ROOT defaults to
 * /run/runc), crun's ROOT/ID/config.json and status (/run/crun), and the
 * seccomp filters the kernel holds for its init (verify.h): a container
 * started outside oci-harden is judged by what it runs under.
 */
int creds_load(enum rt_dialect d, const char *root, const char *id,
	       struct container_creds *c, struct oh_error *err);
/* The same from a state file's text (runc's state.json), for tests. */
int creds_from_runc_state(char *buf, size_t len, const char *source,
			  struct container_creds *c, struct oh_error *err);
void creds_free(struct container_creds *c);

/* Reads a --process file strictly: one JSON object, nothing after it.
 * s->process is that object. */
int exec_process_load(const char *path, struct spec *s, struct oh_error *err);

/* Reads a bundle's config.json (for runc exec without --process). */
int exec_config_load(const char *path, struct spec *s, struct oh_error *err);

/*
 * runc exec without --process: the process runc would build from the
 * bundle's config.json and the flags (args from argv[a->args_index..]).
 * s is the loaded config; its process is changed in place.
 */
int exec_process_from_flags(struct spec *s, const struct rt_args *a, int argc,
			    char **argv, struct oh_error *err);

/*
 * Clamps s->process to the container c under policy p.  flag_caps and
 * flag_apparmor are what exec's --cap and --apparmor asked for (runc adds
 * --cap to every set).  Findings of what was asked beyond the container go
 * to d (deny unless the policy clamps); the verdict is settled.
 */
int exec_clamp(struct spec *s, const struct container_creds *c,
	       const struct policy *p, const char *const *flag_caps,
	       size_t nflag_caps, const char *flag_apparmor,
	       struct decision *d, struct oh_error *err);

/* An oh_producer: writes s->process, compact. */
int exec_process_produce(int fd, void *ctx, struct oh_error *err);

#endif
