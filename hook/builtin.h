/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The seccomp profiles built into the binary ("default", "strict"): the
 * parsed trees of seccomp-profiles/NAME.json as they were at build time,
 * written as C data by tools/embed-profiles.c, so the hook neither reads
 * nor parses them at a container start.
 *
 * The data holds offsets, not pointers: it is read-only, shared between
 * processes and needs no relocation when the binary is loaded.
 * seccomp.c turns a profile into a struct jval tree when it is used.
 */
#ifndef OH_BUILTIN_H
#define OH_BUILTIN_H

#include <stddef.h>
#include <stdint.h>

struct builtin_node {
	uint8_t type;   /* enum jtype */
	uint32_t len;   /* as in struct jval */
	uint32_t at;    /* string, number: offset of its text in the pool;
			   array, object: index of its first child (the
			   children are consecutive) */
	uint32_t key;   /* an object member's key: offset in the pool */
	uint32_t klen;
};

/*
 * The profile decoded (struct oh_sc_profile, scmodel.h) as data: what the
 * model points at in the tree is a node index relative to the profile's
 * root (OH_BUILTIN_NONE for none), the model's arrays are ranges of the
 * tables below.  Loading a built-in profile then costs a walk over its
 * entries with no string compared, instead of decoding it again.
 */
#define OH_BUILTIN_NONE UINT32_MAX

struct builtin_cond {
	uint64_t value, value_two;
	uint32_t index_v, value_v, value_two_v, op_v;
	uint8_t index, op;
};

struct builtin_filter {
	uint32_t caps, arches;      /* the first item's node */
	uint32_t ncaps, narches;
	uint32_t min_kernel;        /* the string */
	unsigned min_kernel_v[3];
};

struct builtin_rule {
	uint32_t src, names_v, names; /* names: the first name's node */
	uint32_t nnames;
	uint32_t action_v, errno_name, comment;
	uint32_t errno_ret;
	uint32_t args, nargs;       /* range of oh_builtin_conds */
	struct builtin_filter includes, excludes;
	uint8_t action, has_errno, has_includes, has_excludes;
};

struct builtin_archmap {
	uint32_t arch;              /* index of the arch table (scmodel.h) */
	uint32_t sub, nsub;         /* range of oh_builtin_arch_refs */
	uint32_t sub_v;
};

struct builtin_model {
	uint32_t def_v, def_errno_name, def_errno;
	uint32_t arches, narches, arches_v;     /* range of oh_builtin_arch_refs */
	uint32_t archmap, narchmap;             /* range of oh_builtin_archmaps */
	uint32_t flags, flags_v, listener_path_v, listener_metadata_v;
	uint32_t rules, nrules;                 /* range of oh_builtin_rules */
	uint8_t def, has_def_errno;
};

struct builtin_profile {
	const char *name;
	uint32_t root;  /* index of the root object in oh_builtin_nodes */
	uint32_t nodes; /* nodes in its tree, the root included */
};

/* NUL-terminated texts, one after another. */
extern const char oh_builtin_pool[];
extern const struct builtin_node oh_builtin_nodes[];
extern const struct builtin_profile oh_builtin_profiles[];
/* oh_builtin_models[i] is the model of oh_builtin_profiles[i]. */
extern const struct builtin_model oh_builtin_models[];
extern const struct builtin_rule oh_builtin_rules[];
extern const struct builtin_cond oh_builtin_conds[];
extern const struct builtin_archmap oh_builtin_archmaps[];
extern const uint32_t oh_builtin_arch_refs[];
extern const size_t oh_builtin_profile_count;

#endif
