/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Seccomp: validation of OCI linux.seccomp objects and docker/moby-format
 * profiles into the typed model (scmodel.h), the "does it block anything"
 * test, and docker-format profiles translated into the OCI form for one
 * container, with the semantics podman and moby use.
 *
 * Named ohseccomp.h so that it can never be mistaken for libseccomp's
 * <seccomp.h>; functions that could clash with libseccomp's seccomp_*
 * namespace carry an oh_ prefix.
 */
#ifndef OH_SECCOMP_H
#define OH_SECCOMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "host.h"
#include "json.h"
#include "scmodel.h"

struct spec;

/*
 * Checks a seccomp object and decodes it into the model (scmodel.h): the
 * docker/moby format when docker (includes, archMap, errno names, null
 * lists), else the OCI linux.seccomp form.  Messages start with source.
 * The model points into obj.
 */
int oh_seccomp_decode(const struct jval *obj, bool docker, const char *source,
		      struct oh_sc_profile *out, struct oh_error *err);

/* Types and names of an OCI linux.seccomp object (obj at /linux/seccomp). */
int oh_seccomp_validate_oci(const struct spec *s, const struct jval *obj,
			    struct oh_error *err);
/* Compiles the config's own profile with libseccomp as runc would; an entry
 * libseccomp refuses is an error naming it. */
int oh_seccomp_compile_check(const struct spec *s, struct oh_error *err);
/* The name cmd_check.c calls. */
static inline int seccomp_compile_check(const struct spec *s, struct oh_error *err)
{
	return oh_seccomp_compile_check(s, err);
}
/* False when the profile lets every syscall through: default action
 * SCMP_ACT_ALLOW or SCMP_ACT_LOG and no rule with a denying action naming
 * a call libseccomp knows.  The strength check (scstrength.h) is the
 * judgement the rules use; this is the coarse test it refines. */
bool oh_seccomp_model_blocks_something(const struct oh_sc_profile *m);
bool oh_seccomp_blocks_something(const struct jval *obj);

/* A docker/moby-format profile. */
struct profile;

/*
 * Loads a profile: a spec that is exactly the name of a built-in profile
 * is that profile, anything else a file path (./default for a file of
 * that name).
 */
int profile_load(const char *spec, struct profile **out, struct oh_error *err);
/* Whether spec names a built-in profile (builtin.h). */
bool profile_is_builtin(const char *spec);
/* Parses from memory; takes ownership of buf. */
int profile_parse(char *buf, size_t len, const char *name,
		  struct profile **out, struct oh_error *err);
/* The same from a parsed document, which it takes (and frees on failure). */
int profile_from_doc(struct jdoc *doc, const char *name, struct profile **out,
		     struct oh_error *err);
void profile_free(struct profile *p);
const char *profile_path(const struct profile *p);
const struct jval *profile_root(const struct profile *p);
/* The profile decoded. */
const struct oh_sc_profile *profile_model(const struct profile *p);

/*
 * Translates the profile for a container whose bounding set is `bounding`
 * (an array of strings, or NULL for none) on the host `h`, building the OCI
 * linux.seccomp object in doc's arena.
 */
int profile_translate(const struct profile *p, struct jdoc *doc,
		      const struct jval *bounding, const struct host_facts *h,
		      struct jval *out, struct oh_error *err);

/*
 * profile_translate that also tells where each emitted rule came from:
 * src[k] is the index in the profile's syscalls of emitted rule k.  src
 * has room for profile_entry_count(p) indexes, or is NULL.
 */
int profile_translate_indexed(const struct profile *p, struct jdoc *doc,
			      const struct jval *bounding,
			      const struct host_facts *h, struct jval *out,
			      uint32_t *src, struct oh_error *err);
uint32_t profile_entry_count(const struct profile *p);

/*
 * Whether a docker-format syscalls entry applies to a container with that
 * bounding set on host h (includes/excludes by caps, arches, minKernel).
 * why (optional) receives the reason: the failed condition, or the
 * conditions that held.
 */
bool oh_sc_rule_applies(const struct oh_sc_rule *r, const struct jval *bounding,
			const struct host_facts *h, char *why, size_t cap);
/* The same for an entry still in JSON (decoded first; false if invalid). */
bool profile_entry_applies(const struct jval *rule, const struct jval *bounding,
			   const struct host_facts *h, char *why, size_t cap);

/*
 * Checks a parsed docker- or OCI-format profile like profile_from_doc, but
 * reports every problem instead of the first: fn gets the syscalls index of
 * the entry at fault (-1 for the rest of the profile) and the message.
 * Returns the number of problems.
 */
typedef void (*profile_problem_fn)(void *ctx, long entry, const char *msg);
size_t profile_problems(const struct jval *root, const char *name,
			profile_problem_fn fn, void *ctx);

#endif
