/* SPDX-License-Identifier: Apache-2.0 */
/* The checks of a walk of the container's root filesystem (rootfs.h). */
#include "check.h"

#include <string.h>

#include "rootfs.h"
#include "util.h"

/* -------------------------------------------------------- rootfs checks */

/* One finding listing what the walk found for the current rule. */
static void add_hits(struct check_ctx *c, const char *one, const char *many,
		     const char *after)
{
	enum { SHOWN = 12 };
	static const char *const bound[] = {
		[ROOTFS_FILE_LIMIT] = "file-count", [ROOTFS_TIME_LIMIT] = "time",
	};
	struct oh_buf m = { 0 };
	size_t n = 0;

	for (size_t i = 0; i < c->fs->nhits; i++)
		n += c->fs->hits[i].rule == c->rule;
	if (n == 0)
		return;
	oh_buf_printf(&m, "%zu %s: ", n, n == 1 ? one : many);
	n = 0;
	for (size_t i = 0; i < c->fs->nhits; i++) {
		const struct rootfs_hit *h = &c->fs->hits[i];
		if (h->rule != c->rule || n++ >= SHOWN)
			continue;
		oh_buf_printf(&m, "%s%s", n > 1 ? ", " : "", h->path);
		if (strncmp(h->detail, "->", 2) == 0)
			oh_buf_printf(&m, " %s", h->detail);
		else if (h->detail[0])
			oh_buf_printf(&m, " (%s)", h->detail);
	}
	if (n > SHOWN)
		oh_buf_printf(&m, " and %zu more", n - SHOWN);
	if (after[0])
		oh_buf_printf(&m, "; %s", after);
	/* A bounded walk may have missed some: say so where it matters. */
	if (c->fs->stop != ROOTFS_COMPLETE)
		oh_buf_printf(&m, "; the walk stopped at its %s limit, there may be more",
			      bound[c->fs->stop]);
	check_add(c, "/root/path", "%s", m.data);
	oh_buf_free(&m);
}

void rcheck_suid(struct check_ctx *c)
{
	bool nnp = c->s->nnp != NULL && c->s->nnp->type == J_TRUE;

	add_hits(c, "file with the setuid or setgid bit",
		 "files with the setuid or setgid bit",
		 nnp ? "the config sets no-new-privileges, so a setuid or setgid "
		       "file cannot raise privileges while it stays set"
		     : "without no-new-privileges a setuid or setgid file raises the "
		       "privileges of whoever runs it");
}

void rcheck_phone_home(struct check_ctx *c)
{
	add_hits(c, "tool that downloads or sends data over the network",
		 "tools that download or send data over the network", "");
}

void rcheck_package_manager(struct check_ctx *c)
{
	add_hits(c, "package manager", "package managers", "");
}

void rcheck_compiler(struct check_ctx *c)
{
	add_hits(c, "compiler or build tool", "compilers or build tools", "");
}
