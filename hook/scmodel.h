/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The typed seccomp model: one table each of actions, comparison operators
 * and architectures, and a profile decoded once into a struct.
 *
 * Both forms are decoded into the same struct: the docker/moby format
 * (moby, containers-common, CRI-O, the bundled profiles: names or name,
 * errno names, includes/excludes, archMap) and the OCI linux.seccomp
 * object.  The validator in seccomp.c fills it while it checks, so
 * translation, compilation (bpf.c), strength and `profile explain` read
 * typed fields instead of looking strings up in the JSON again.
 *
 * The model points into the tree it was decoded from (names, texts and
 * the number nodes translation copies, so a translated profile keeps the
 * source's spelling of every number); the tree must outlive it.
 */
#ifndef OH_SCMODEL_H
#define OH_SCMODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "json.h"

/* ------------------------------------------------------------ actions */

enum oh_sc_action {
	OH_SC_KILL,            /* runc: KILL_THREAD */
	OH_SC_KILL_PROCESS,
	OH_SC_KILL_THREAD,
	OH_SC_TRAP,
	OH_SC_ERRNO,
	OH_SC_TRACE,
	OH_SC_ALLOW,
	OH_SC_LOG,
	OH_SC_NOTIFY,
	OH_SC_ACTION_COUNT
};

/* "SCMP_ACT_ERRNO" -> OH_SC_ERRNO; -1 for a name no runtime knows. */
int oh_sc_action_parse(const char *name, enum oh_sc_action *out);
const char *oh_sc_action_name(enum oh_sc_action a);
/* Whether the action keeps the call from running (not ALLOW or LOG). */
bool oh_sc_action_denies(enum oh_sc_action a);
/* Whether the action carries an errno (ERRNO, TRACE). */
bool oh_sc_action_takes_errno(enum oh_sc_action a);
/*
 * libseccomp's action value as runc maps it: KILL is KILL_THREAD, ERRNO
 * and TRACE without an errno return EPERM, the errno keeps 16 bits.
 */
uint32_t oh_sc_action_value(enum oh_sc_action a, bool has_errno, uint32_t e);

/* -------------------------------------------------------- comparisons */

enum oh_sc_op {
	OH_SC_NE, OH_SC_LT, OH_SC_LE, OH_SC_EQ, OH_SC_GE, OH_SC_GT,
	OH_SC_MASKED_EQ, OH_SC_OP_COUNT
};

int oh_sc_op_parse(const char *name, enum oh_sc_op *out);
const char *oh_sc_op_name(enum oh_sc_op op);
/* "==", "&" for MASKED_EQ */
const char *oh_sc_op_symbol(enum oh_sc_op op);
/* libseccomp's enum scmp_compare value */
int oh_sc_op_scmp(enum oh_sc_op op);

/* ------------------------------------------------------ architectures */

struct oh_sc_arch {
	const char *scmp;      /* "SCMP_ARCH_X86_64" */
	const char *go;        /* "amd64", as docker profiles' includes.arches */
	const char *lib;       /* "x86_64", libseccomp's name */
	uint32_t audit;        /* AUDIT_ARCH_*: seccomp_data.arch */
	uint32_t x32_bit;      /* 0x40000000 for x32: the ABI's bit in nr */
};

/* The table entry for an SCMP_ARCH_* name, NULL when no libseccomp knows it. */
const struct oh_sc_arch *oh_sc_arch_by_name(const char *scmp);
/* The entry for a libseccomp token (SCMP_ARCH_X86_64), NULL if none. */
const struct oh_sc_arch *oh_sc_arch_by_token(uint32_t token);
/* libseccomp's native architecture, which is the ABI this binary was built
 * for, without a call into libseccomp where the compiler names it. */
const struct oh_sc_arch *oh_sc_arch_native(void);
/* libseccomp's token for the arch, 0 when the running libseccomp does not
 * know it (SCMP_ARCH_LOONGARCH64 before 2.6). */
uint32_t oh_sc_arch_token(const struct oh_sc_arch *a);
size_t oh_sc_arch_count(void);
const struct oh_sc_arch *oh_sc_arch_at(size_t i);

/* -------------------------------------------------------------- flags */

enum {
	OH_SC_FLAG_TSYNC = 1u << 0,
	OH_SC_FLAG_LOG = 1u << 1,
	OH_SC_FLAG_SPEC_ALLOW = 1u << 2,
	OH_SC_FLAG_WAIT_KILLABLE_RECV = 1u << 3,
};
/* The flag's bit, 0 for an unknown flag. */
uint32_t oh_sc_flag_parse(const char *name);

/* -------------------------------------------------------------- model */

struct oh_sc_cond {
	uint32_t index;            /* 0..5 */
	enum oh_sc_op op;
	uint64_t value, value_two;
	/* The source nodes, copied by translation; value may be NULL. */
	const struct jval *index_v, *value_v, *value_two_v, *op_v;
};

/* includes or excludes of a docker-format entry */
struct oh_sc_filter {
	const struct jval *caps;    /* string values */
	uint32_t ncaps;
	const struct jval *arches;  /* string values: Go names */
	uint32_t narches;
	const char *min_kernel;     /* text, NULL when absent */
	unsigned min_kernel_v[3];
};

struct oh_sc_rule {
	const struct jval *src;        /* the entry in the profile */
	/* The names as string values: the items of names, or the single
	 * name (not copied: a profile names 400 calls). */
	const struct jval *names;
	uint32_t nnames;
	const struct jval *names_v;    /* the names array, NULL for "name" */
	enum oh_sc_action action;
	const struct jval *action_v;
	bool has_errno;                /* errno (by name) or errnoRet */
	uint32_t errno_ret;
	const char *errno_name;        /* "EPERM" when given by name */
	struct oh_sc_cond *args;
	uint32_t nargs;
	bool has_includes, has_excludes;
	struct oh_sc_filter includes, excludes;
	const char *comment;
};

struct oh_sc_archmap {
	const struct oh_sc_arch *arch;
	const struct oh_sc_arch **sub;
	uint32_t nsub;
	const struct jval *sub_v;      /* the source list, NULL if absent or null */
};

struct oh_sc_profile {
	bool docker;                   /* decoded from the docker format */
	enum oh_sc_action def;
	const struct jval *def_v;
	bool has_def_errno;
	uint32_t def_errno;
	const char *def_errno_name;
	const struct oh_sc_arch **arches;   /* "architectures" */
	uint32_t narches;
	const struct jval *arches_v;
	struct oh_sc_archmap *archmap;
	uint32_t narchmap;
	uint32_t flags;
	const struct jval *flags_v;
	const struct jval *listener_path_v, *listener_metadata_v;
	struct oh_sc_rule *rules;
	uint32_t nrules;
	/* What was read but skipped ("archMap/7: SCMP_ARCH_LOONGARCH64 ..."). */
	char **notes;
	size_t nnotes;
	struct jdoc *arena;            /* the arrays above */
};

/* Releases what decoding allocated (not the tree). */
void oh_sc_profile_free(struct oh_sc_profile *m);
void oh_sc_profile_note(struct oh_sc_profile *m, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static inline const char *oh_sc_rule_name(const struct oh_sc_rule *r, uint32_t i)
{
	return r->names[i].u.str;
}

/* Whether a rule names a call. */
bool oh_sc_rule_names(const struct oh_sc_rule *r, const char *name);

#endif
