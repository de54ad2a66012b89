/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Profile strength: whether a seccomp filter confines a container, decided
 * on the filter libseccomp compiles, for the architectures the host runs.
 *
 * A filter is weak when it lets through any call of the must-block set:
 * calls that every engine's default profile (Docker's, containers-common's
 * as podman and CRI-O ship it) refuses to a container that lacks the
 * capability the kernel itself checks for them (scstrength.c has the list
 * and the reasons).  A filter that blocks something else but allows these
 * only looks confining.  Calls an architecture does not have do not count.
 */
#ifndef OH_SCSTRENGTH_H
#define OH_SCSTRENGTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "host.h"
#include "json.h"
#include "scmodel.h"

#define OH_SC_MUST_BLOCK_MAX 32

struct oh_sc_strength {
	bool blocks_something;   /* some call is denied at all */
	bool confining;          /* no must-block call is allowed */
	bool compiled;           /* the filter had to be compiled to know */
	size_t nallowed;
	const char *allowed[OH_SC_MUST_BLOCK_MAX];  /* must-block calls let through */
	/* Of those, the ones a kernel-read filter hands to a listener
	 * (SECCOMP_RET_USER_NOTIF): only oh_sc_filters_strength sets it. */
	bool notified[OH_SC_MUST_BLOCK_MAX];
};

/*
 * Judges an OCI linux.seccomp object for a container with that bounding
 * set (an array of capability names, or NULL) on host h.  Only the entries
 * that name must-block calls are compiled: rules for other calls cannot
 * change what the filter answers for these numbers.
 */
int oh_seccomp_strength(const struct jval *oci_seccomp, const struct jval *bounding,
			const struct host_facts *h, struct oh_sc_strength *out,
			struct oh_error *err);
int oh_seccomp_model_strength(const struct oh_sc_profile *m, const struct jval *bounding,
			      const struct host_facts *h, struct oh_sc_strength *out,
			      struct oh_error *err);

/*
 * The same judgement on the filters the kernel holds for a task (read with
 * PTRACE_SECCOMP_GET_FILTER, runc's -ENOSYS stub included), for a task
 * whose bounding set is the mask.  The kernel runs every filter and the
 * most restrictive answer wins, so a call gets through only when each
 * filter allows it.  No filter at all confines nothing.
 *
 * Here SECCOMP_RET_USER_NOTIF allows too: a listener that nothing here
 * knows of decides the call, and may answer SECCOMP_USER_NOTIF_FLAG_CONTINUE,
 * which runs it.  (A config's listenerPath is judged by the config rules,
 * which know whose listener it is.)
 */
struct oh_bpf_prog;
int oh_sc_filters_strength(const struct oh_bpf_prog *progs, size_t nprogs,
			   uint64_t bounding, const struct host_facts *h,
			   struct oh_sc_strength *out, struct oh_error *err);

/* "bpf, kexec_load" into buf, with a word on the notified ones. */
void oh_sc_strength_list(const struct oh_sc_strength *s, char *buf, size_t cap);

/* The must-block set, in name order, for documentation and tests. */
size_t oh_sc_must_block_count(void);
const char *oh_sc_must_block_name(size_t i, const char **why);
/* Whether a bounding mask holds a capability that makes must-block call i
 * the container's own to make (CAP_BPF for bpf): then it need not block. */
bool oh_sc_must_block_held(size_t i, uint64_t bounding);

#endif
