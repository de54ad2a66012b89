/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What a seccomp filter answers for one system call: a classic-BPF
 * interpreter for the programs libseccomp generates, and runc's -ENOSYS
 * stub, which runc 1.1 puts in front of libseccomp's program.
 *
 * Deciding a verdict by re-implementing libseccomp's rule precedence goes
 * wrong at the edges (argument rules against unconditional ones, calls
 * libseccomp does not know, runc's own patching); running the program the
 * kernel would run cannot disagree with it.  Like libseccomp's simulator
 * (tools/scmp_bpf_sim), it takes a struct seccomp_data and returns the
 * SECCOMP_RET_* value.
 */
#ifndef OH_BPFEVAL_H
#define OH_BPFEVAL_H

#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bpf.h"
#include "error.h"
#include "scmodel.h"

/*
 * Runs prog over d as the kernel's seccomp does.  Returns 0 and the
 * program's return value in *ret, or -1 with err set for a program the
 * kernel would refuse (an instruction outside the subset seccomp accepts,
 * a load outside seccomp_data, a jump out of the program, no return).
 */
int oh_bpf_run(const struct sock_filter *prog, size_t len,
	       const struct seccomp_data *d, uint32_t *ret, struct oh_error *err);

/*
 * The number of a system call on an architecture: libseccomp's, else ours
 * for calls newer than the running libseccomp (mseal, statmount, ...: the
 * numbers every architecture shares since Linux 5.1).  0 and *nr, or -1
 * when there is no such call on the architecture or nobody knows it.
 * *ours (may be NULL) tells that the number came from our table.
 */
int oh_sc_syscall_nr(const struct oh_sc_arch *a, const char *name, int *nr, bool *ours);

/*
 * runc 1.1's -ENOSYS stub (libcontainer/seccomp/patchbpf): unless the
 * default action allows (ALLOW, LOG, TRACE) or already returns ENOSYS, a
 * call whose number is above the highest the profile names for that
 * architecture gets ENOSYS before the filter runs, so that programs fall
 * back from calls the profile's author could not know.  arches are the
 * profile's "architectures" (runc looks at no others).  True with *ret
 * and *highest when the stub answers for d, false when it passes d on.
 */
bool oh_runc_enosys(const struct oh_sc_profile *m, const struct seccomp_data *d,
		    uint32_t *ret, int *highest);

/* What a filter as runc loads it answers: the stub, then the program. */
struct oh_sc_verdict {
	uint32_t ret;       /* SECCOMP_RET_* with its data */
	bool from_stub;     /* runc's stub answered */
	int highest;        /* then: the highest number the profile names */
};
int oh_sc_evaluate(const struct oh_sc_profile *m, const struct oh_bpf_prog *prog,
		   const struct seccomp_data *d, struct oh_sc_verdict *out,
		   struct oh_error *err);

/*
 * Where a verdict comes from, for people: runc's stub, one rule that names
 * the call without argument tests, rules with argument tests (the verdict
 * is then the one for every argument 0), the default action, or the
 * program where none of these accounts for the answer.  `profile explain`
 * and `profile denials` both say it from this, so they cannot disagree.
 */
enum oh_sc_from {
	OH_SC_FROM_STUB,
	OH_SC_FROM_RULE,
	OH_SC_FROM_ARGS,
	OH_SC_FROM_DEFAULT,
	OH_SC_FROM_FILTER,
};

struct oh_sc_answer {
	struct oh_sc_verdict v;   /* every argument 0 */
	enum oh_sc_from from;
	long rule;                /* FROM_RULE: the index in m->rules; else -1 */
	size_t nconds;            /* rules naming the call with argument tests */
};

/*
 * Answers call nr (name, as the profile names it) of architecture a under
 * m compiled into prog.  ours: the number came from our table of calls
 * libseccomp does not know, so no rule of m can hold it.
 */
int oh_sc_answer(const struct oh_sc_profile *m, const struct oh_bpf_prog *prog,
		 const struct oh_sc_arch *a, const char *name, int nr, bool ours,
		 struct oh_sc_answer *out, struct oh_error *err);

/* "SCMP_ACT_ERRNO (EPERM)" for a SECCOMP_RET_* value. */
void oh_sc_ret_str(uint32_t ret, char *out, size_t cap);
/* Whether a SECCOMP_RET_* value lets the call run, or lets the
 * container choose to run it: ALLOW, LOG, and TRACE (a process may trace
 * its own child, and since Linux 4.8 a traced call the tracer lets
 * through is not checked again).  USER_NOTIF is judged by who holds the
 * listener, not here: in a config, by its listenerPath (the policy's
 * seccomp.learn or a finding); in a filter read from the kernel, where
 * nothing tells whose listener it is, it counts as allowing
 * (oh_sc_filters_strength). */
bool oh_sc_ret_allows(uint32_t ret);

#endif
