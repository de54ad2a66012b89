/* SPDX-License-Identifier: Apache-2.0 */
/*
 * OCI linux.seccomp objects compiled to BPF with libseccomp, rule by rule
 * the way runc 1.1 builds its filter.  A profile libseccomp refuses is only
 * noticed by runc when it starts the container; compiling here finds it
 * before, names the entry at fault, and measures the program the kernel
 * would run.
 */
#ifndef OH_BPF_H
#define OH_BPF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "json.h"
#include "scmodel.h"

/* One problem found while compiling. */
struct bpf_note {
	bool error;         /* runc would refuse the profile; else a warning */
	long rule;          /* index in syscalls, -1 for the profile as a whole */
	const char *name;   /* the system call at fault, or NULL */
	const char *msg;
};
typedef void (*bpf_note_fn)(void *ctx, const struct bpf_note *n);

/* What libseccomp knows of a system call name on one architecture. */
enum bpf_name {
	BPF_NAME_UNKNOWN,   /* not in libseccomp's tables: runc skips it */
	BPF_NAME_ABSENT,    /* known, but this architecture has no such call */
	BPF_NAME_PRESENT,   /* a call, or one multiplexed (socketcall, ipc) */
};
enum bpf_name bpf_resolve(const char *arch, const char *name);

/*
 * Compiles a decoded OCI profile (scmodel.h) into one filter.  arches lists
 * SCMP_ARCH_* names to build it for; NULL means what runc builds: the
 * host's native architecture plus the profile's architectures.  *insns
 * receives the length of the BPF program.  Rules libseccomp refuses are
 * noted as errors, same-argument comparisons (which runc splits into rules
 * that are ORed) as warnings; names libseccomp does not know are skipped
 * silently, as runc skips them.  fn may be NULL.
 * Returns the number of errors noted, or -1 with err set when no filter can
 * be built at all.
 */
int bpf_compile(const struct oh_sc_profile *m, const char *const *arches,
		size_t narches, size_t *insns, bpf_note_fn fn, void *ctx,
		struct oh_error *err);

/* The program libseccomp generated, as the kernel gets it. */
struct sock_filter;
struct oh_bpf_prog {
	struct sock_filter *insns;
	size_t len;
};
void oh_bpf_prog_free(struct oh_bpf_prog *p);

/* bpf_compile that also hands back the program (prog may be NULL; it is
 * filled only when no error was noted). */
int bpf_compile_prog(const struct oh_sc_profile *m, const char *const *arches,
		     size_t narches, size_t *insns, struct oh_bpf_prog *prog,
		     bpf_note_fn fn, void *ctx, struct oh_error *err);

/* "2.5.4" */
const char *bpf_libseccomp_version(void);

#endif
