/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Seccomp groups: named switches a policy turns on per workload instead of
 * running it unconfined ("seccomp": {"groups": ["debug"]}).  Each group
 * opens a documented set of calls (or an ABI) on top of whatever profile
 * the policy applies; fix translates the profile, then applies the groups
 * to the OCI linux.seccomp object it built.
 */
#ifndef OH_SCGROUPS_H
#define OH_SCGROUPS_H

#include <stdbool.h>
#include <stddef.h>

#include "host.h"
#include "json.h"

struct sc_group {
	const char *name;
	const char *const *calls;   /* allowed outright when on, NULL-terminated */
	const char *arch;           /* an ABI added to the filter when on, or NULL */
	const char *native;         /* ... on hosts of this architecture */
	const char *opens;          /* what turning it on opens, for people */
	const char *why_off;        /* why the bundled profiles leave it off */
};

extern const struct sc_group sc_groups[];
extern const size_t sc_group_count;

/* The group's index, or -1. */
int sc_group_by_name(const char *name);

/*
 * Applies the groups in mask (1 << index) to sc, an OCI linux.seccomp object
 * in doc: each group's calls leave every denying entry without argument
 * tests and are allowed by one entry of their own; its ABI joins the
 * architectures on a host of the matching native architecture.
 */
void sc_groups_apply(struct jdoc *doc, struct jval *sc, unsigned mask,
		     const struct host_facts *h);

#endif
