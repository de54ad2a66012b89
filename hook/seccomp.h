/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Seccomp: validation of OCI linux.seccomp objects, the "does it block
 * anything" judgement, and docker/moby-format profiles translated into the
 * OCI form for one container, with the semantics podman and moby use.
 */
#ifndef OH_SECCOMP_H
#define OH_SECCOMP_H

#include <stdbool.h>

#include "error.h"
#include "host.h"
#include "json.h"

struct spec;

bool seccomp_action_known(const char *a);
bool seccomp_action_denies(const char *a);
bool seccomp_op_known(const char *op);
bool seccomp_flag_known(const char *f);

/* Types and names of an OCI linux.seccomp object (obj at /linux/seccomp). */
int seccomp_validate_oci(const struct spec *s, const struct jval *obj,
			 struct oh_error *err);
/* False when the profile lets every syscall through: default action
 * SCMP_ACT_ALLOW or SCMP_ACT_LOG and no rule with a denying action. */
bool seccomp_blocks_something(const struct jval *obj);

/* A docker/moby-format profile. */
struct profile;

int profile_load(const char *path, struct profile **out, struct oh_error *err);
/* Parses from memory; takes ownership of buf. */
int profile_parse(char *buf, size_t len, const char *name,
		  struct profile **out, struct oh_error *err);
void profile_free(struct profile *p);
const char *profile_path(const struct profile *p);
const struct jval *profile_root(const struct profile *p);

/*
 * Translates the profile for a container whose bounding set is `bounding`
 * (an array of strings, or NULL for none) on the host `h`, building the OCI
 * linux.seccomp object in doc's arena.
 */
int profile_translate(const struct profile *p, struct jdoc *doc,
		      const struct jval *bounding, const struct host_facts *h,
		      struct jval *out, struct oh_error *err);

#endif
