/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The checks of a running container's kernel view (inspect.h): the same
 * rules as the config checks, read from /proc instead of the config.
 */
#include "check.h"

#include <stdio.h>
#include <string.h>

#include "caps.h"
#include "inspect.h"
#include "policy.h"
#include "util.h"

/* ------------------------------------------------- kernel-view checks */

/*
 * What `inspect` judges on a running container: the same rules, read from
 * /proc instead of the config, over every process of the container (a
 * process started with `runc exec` may hold other credentials than init).
 */

typedef bool (*proc_pred)(const struct check_ctx *c, const struct procview *v);

/* One finding naming the processes pred picks:
 * "process 10696 (nc) runs WHAT" or "processes 1 (sh), 7 (nc) run WHAT". */
static void add_procs(struct check_ctx *c, const char *pointer, proc_pred pred,
		      const char *what)
{
	enum { SHOWN = 8 };
	struct oh_buf who = { 0 };
	size_t n = 0;

	for (size_t i = 0; i < c->k->nprocs; i++) {
		const struct kernel_proc *kp = &c->k->procs[i];
		if (!pred(c, &kp->v))
			continue;
		if (n++ < SHOWN)
			oh_buf_printf(&who, "%s%ld (%s)", n > 1 ? ", " : "",
				      (long)kp->pid, kp->v.comm);
	}
	if (n == 0)
		return;
	if (n > SHOWN)
		oh_buf_printf(&who, " and %zu more", n - SHOWN);
	check_add(c, pointer, "%s %s %s %s", n == 1 ? "process" : "processes", who.data,
	    n == 1 ? "runs" : "run", what);
	oh_buf_free(&who);
}

static bool without_nnp(const struct check_ctx *c, const struct procview *v)
{
	(void)c;
	return !v->nnp;
}

void kcheck_nnp(struct check_ctx *c)
{
	add_procs(c, "/process/noNewPrivileges", without_nnp,
		  "without no-new-privileges (NoNewPrivs 0): setuid binaries and "
		  "file capabilities can raise privileges");
}

static bool without_seccomp(const struct check_ctx *c, const struct procview *v)
{
	(void)c;
	return v->seccomp == 0;
}

/* Filters the verifier read and found to let a must-block call through. */
static bool weak_filters(const struct check_ctx *c, const struct procview *v)
{
	(void)c;
	return v->seccomp == 2 && v->filters_read && !v->filters_confining;
}

void kcheck_seccomp(struct check_ctx *c)
{
	add_procs(c, "/linux/seccomp", without_seccomp,
		  "without seccomp (Seccomp 0): every system call is allowed");
	for (size_t i = 0; i < c->k->nprocs; i++) {
		const struct procview *v = &c->k->procs[i].v;
		char what[768];
		if (!weak_filters(c, v))
			continue;
		/* The calls of the first such process: the filters of one
		 * container's processes are most often the same. */
		snprintf(what, sizeof(what), "under seccomp filters that only look "
			 "confining: they let through %s", v->filters_allow);
		add_procs(c, "/linux/seccomp", weak_filters, what);
		break;
	}
}

static bool aa_unconfined(const struct check_ctx *c, const struct procview *v)
{
	(void)c;
	return v->label[0] == '\0' || strcmp(v->label, "unconfined") == 0;
}

void kcheck_apparmor(struct check_ctx *c)
{
	/* Without AppArmor on the host there is no label to judge. */
	if (c->h->apparmor)
		add_procs(c, "/process/apparmorProfile", aa_unconfined,
			  "AppArmor-unconfined");
}

static bool se_unconfined(const struct check_ctx *c, const struct procview *v)
{
	(void)c;
	return v->label[0] == '\0' || strstr(v->label, ":spc_t:") != NULL ||
	       strstr(v->label, ":unconfined_t:") != NULL;
}

void kcheck_selinux(struct check_ctx *c)
{
	if (c->h->selinux)
		add_procs(c, "/process/selinuxLabel", se_unconfined,
			  "with no confining SELinux label (none, spc_t or unconfined_t)");
}

static bool as_root(const struct check_ctx *c, const struct procview *v)
{
	(void)c;
	return v->uid == 0;
}

void kcheck_root_user(struct check_ctx *c)
{
	/* /proc shows uids as the host sees them: a rootless container's root
	 * is not host root and does not count. */
	add_procs(c, "/process/user/uid", as_root, "as root (uid 0 on the host)");
}

/* Each capability set over all the container's processes. */
static void kernel_sets(const struct kernel_view *k, uint64_t sets[CS_COUNT])
{
	memset(sets, 0, CS_COUNT * sizeof(sets[0]));
	for (size_t i = 0; i < k->nprocs; i++) {
		const struct procview *v = &k->procs[i].v;
		sets[CS_BOUNDING] |= v->cap_bnd;
		sets[CS_EFFECTIVE] |= v->cap_eff;
		sets[CS_PERMITTED] |= v->cap_prm;
		sets[CS_INHERITABLE] |= v->cap_inh;
		sets[CS_AMBIENT] |= v->cap_amb;
	}
}

void kcheck_cap_all(struct check_ctx *c)
{
	uint64_t sets[CS_COUNT];
	struct oh_buf names = { 0 };
	int first = -1;
	unsigned all = 0;

	kernel_sets(c->k, sets);
	for (int i = 0; i < CS_COUNT; i++) {
		if (!rules_capmask_is_all(sets[i]))
			continue;
		if (first < 0)
			first = i;
		all |= 1u << i;
	}
	check_set_names(all, &names);
	if (first >= 0) {
		char ptr[64];
		snprintf(ptr, sizeof(ptr), "/process/capabilities/%s", capset_names[first]);
		check_add(c, ptr, "the kernel shows capability sets %s holding all or nearly "
		    "all capabilities (%d of %d): this is what --privileged or "
		    "--cap-add=all grant", names.data, caps_popcount(sets[first]),
		    caps_known());
	}
	oh_buf_free(&names);
}

/*
 * What no config can show: a process holding a capability its container's
 * config never granted (a checkpoint restores the credentials its
 * processes were dumped with, whatever the config says now).
 */
static void beyond_config(struct check_ctx *c, const uint64_t sets[CS_COUNT])
{
	struct oh_buf names = { 0 }, in = { 0 };
	unsigned in_sets = 0;
	uint64_t extra = 0;
	int first = -1;

	if (!c->k->granted_known)
		return;
	for (int i = 0; i < CS_COUNT; i++) {
		uint64_t x = sets[i] & ~c->k->granted;
		if (x == 0)
			continue;
		extra |= x;
		in_sets |= 1u << i;
		if (first < 0)
			first = i;
	}
	if (first < 0)
		return;
	check_set_names(in_sets, &in);
	enum { SHOWN = 8 };
	int n = 0;
	for (int cap = 0; cap < 64; cap++) {
		if (!(extra & (1ull << cap)) || n++ >= SHOWN)
			continue;
		if (names.len)
			oh_buf_puts(&names, ", ");
		if (caps_name(cap))
			oh_buf_puts(&names, caps_name(cap));
		else
			oh_buf_printf(&names, "capability %d", cap);
	}
	if (n > SHOWN)
		oh_buf_printf(&names, " and %d more", n - SHOWN);
	char ptr[64];
	snprintf(ptr, sizeof(ptr), "/process/capabilities/%s", capset_names[first]);
	check_add(c, ptr, "the kernel shows %s (in %s), which the container's config "
		  "does not grant", names.data, in.data);
	oh_buf_free(&names);
	oh_buf_free(&in);
}

void kcheck_cap_not_allowed(struct check_ctx *c)
{
	uint64_t sets[CS_COUNT], extra = 0;
	struct oh_buf bad = { 0 }, in = { 0 };
	int nbad = 0, first = -1;
	unsigned in_sets = 0;

	kernel_sets(c->k, sets);
	for (int i = 0; i < CS_COUNT; i++) {
		uint64_t x = sets[i] & ~c->p->allowed_caps;
		if (x == 0)
			continue;
		extra |= x;
		in_sets |= 1u << i;
		if (first < 0)
			first = i;
	}
	check_set_names(in_sets, &in);
	for (int cap = 0; cap < 64; cap++) {
		if (!(extra & (1ull << cap)))
			continue;
		nbad++;
		if (bad.len)
			oh_buf_puts(&bad, ", ");
		if (caps_name(cap))
			oh_buf_puts(&bad, caps_name(cap));
		else
			oh_buf_printf(&bad, "capability %d", cap);
	}
	if (nbad > 0) {
		char ptr[64];
		snprintf(ptr, sizeof(ptr), "/process/capabilities/%s", capset_names[first]);
		if (nbad == 1)
			check_add(c, ptr, "the kernel shows %s (in %s), which is not in the "
			    "allowlist", bad.data, in.data);
		else
			check_add(c, ptr, "the kernel shows %d capabilities that are not in the "
			    "allowlist: %s (in %s)", nbad, bad.data, in.data);
	}
	oh_buf_free(&bad);
	oh_buf_free(&in);
	beyond_config(c, sets);
}

void kcheck_listening(struct check_ctx *c)
{
	enum { SHOWN = 8 };
	struct oh_buf socks = { 0 };
	size_t n = 0;

	for (size_t i = 0; i < c->k->nlistening; i++) {
		const struct listener *l = &c->k->listening[i];
		if (!l->any)
			continue;
		if (n++ >= SHOWN)
			continue;
		oh_buf_printf(&socks, "%s%s %s%s%s:%u", n > 1 ? ", " : "", l->proto,
			      strchr(l->address, ':') ? "[" : "", l->address,
			      strchr(l->address, ':') ? "]" : "", l->port);
		if (l->pid > 0)
			oh_buf_printf(&socks, " (%s, pid %ld)", l->process, (long)l->pid);
	}
	if (n == 0)
		return;
	if (n > SHOWN)
		oh_buf_printf(&socks, " and %zu more", n - SHOWN);
	/* No config field says where a service binds: the pointer is empty. */
	check_add(c, "", "%zu %s on every interface: %s", n,
	    n == 1 ? "socket listens" : "sockets listen", socks.data);
	oh_buf_free(&socks);
}
