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

struct builtin_profile {
	const char *name;
	uint32_t root;  /* index of the root object in oh_builtin_nodes */
	uint32_t nodes; /* nodes in its tree, the root included */
};

/* NUL-terminated texts, one after another. */
extern const char oh_builtin_pool[];
extern const struct builtin_node oh_builtin_nodes[];
extern const struct builtin_profile oh_builtin_profiles[];
extern const size_t oh_builtin_profile_count;

#endif
