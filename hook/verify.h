/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The verifier: a running container's processes as the kernel holds them,
 * judged by the rule table's kernel checks (CTX_KERNEL) against the policy
 * and the config the container was given.  The poststart hook runs it on a
 * new container's init; oci-harden-runtime runs it on every task of a
 * restored container, whose credentials and seccomp filters came back from
 * the checkpoint image, not from the config.  A verdict other than
 * compliant is a mismatch: nothing can be fixed in a running process.
 */
#ifndef OH_VERIFY_H
#define OH_VERIFY_H

#include <stdbool.h>
#include <sys/types.h>

#include "error.h"
#include "inspect.h"
#include "policy.h"
#include "rules.h"
#include "spec.h"

/* A pidfd names one process from the first read to the kill, whatever
 * happens to its pid meanwhile.  Both return -1 with errno set. */
int verify_pidfd_open(pid_t pid);
int verify_pidfd_signal(int pidfd, int sig);

/* How long a task may take to reach the ptrace stop its filters are read
 * in before the verifier gives up on it (and fails). */
#define VERIFY_STOP_WAIT_MS 2000

/* Adds every live thread of k's processes to k (what verify_opts.threads
 * does in verify_judge), for a caller that lists them while the container
 * is frozen. */
void verify_add_threads(struct kernel_view *k);

/*
 * Reads every task's seccomp filters (PTRACE_SECCOMP_GET_FILTER: it needs
 * CAP_SYS_ADMIN and stops each task for a moment) and judges their
 * strength into its procview (filters_read, filters_confining,
 * filters_allow), as the rule table's kernel check reads them.  A task
 * gone meanwhile is taken out of k.  Fails when a filter cannot be read:
 * a filter nobody judged cannot count as confining.
 */
int verify_read_filters(struct kernel_view *k, struct oh_error *err);

struct verify_opts {
	/* Read every task's seccomp filters (PTRACE_SECCOMP_GET_FILTER, which
	 * needs CAP_SYS_ADMIN and stops each task for the read) and judge
	 * their strength; /proc only tells that a filter is there. */
	bool read_filters;
	/* Judge every thread too: credentials and filters are per thread,
	 * and a checkpoint restores each thread's own. */
	bool threads;
};

/*
 * Judges k, changing it: the sets each task will hold after its next
 * execve (capabilities(7): root gains its inheritable and bounding sets,
 * anyone keeps the ambient set), no capability the config does not grant,
 * and, with o->read_filters, the filters' strength.  The exemptions key on
 * config's annotations.  Findings go to d, settled.  Fails when a filter
 * cannot be read: a filter nobody judged cannot count as confining.  A
 * task gone meanwhile is left out; the caller's pidfd tells whether the
 * init is.
 */
int verify_judge(struct kernel_view *k, const struct spec *config,
		 const struct policy *p, const struct verify_opts *o,
		 struct decision *d, struct oh_error *err);

#endif
