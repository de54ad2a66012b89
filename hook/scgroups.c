/* SPDX-License-Identifier: Apache-2.0 */
#include "scgroups.h"

#include <string.h>

static const char *const debug_calls[] = {
	"kcmp", "pidfd_getfd", "process_vm_readv", "process_vm_writev", "ptrace", NULL,
};

/* Sorted by name. */
const struct sc_group sc_groups[] = {
	{
		.name = "compat32",
		.arch = "SCMP_ARCH_X86",
		.native = "SCMP_ARCH_X86_64",
		.opens = "the 32-bit x86 ABI (int $0x80) for 32-bit programs; through "
			 "its socketcall multiplexer, whose arguments seccomp cannot "
			 "read, a process can then create sockets of any family the "
			 "kernel offers",
		.why_off = "a 64-bit program can reach socketcall through int $0x80 "
			   "and open a socket family the filter refuses (AF_VSOCK); "
			   "containers rarely run 32-bit x86 code",
	},
	{
		.name = "debug",
		.calls = debug_calls,
		.opens = "ptrace, process_vm_readv/writev, kcmp and pidfd_getfd on the "
			 "container's own processes (strace, gdb, profilers); the "
			 "kernel still limits them to processes of the same user "
			 "unless the container holds CAP_SYS_PTRACE",
		.why_off = "reading and writing another process's memory is the usual "
			   "way from one compromised process to the others in the "
			   "container, and ptrace could bypass seccomp before Linux 4.8",
	},
};

const size_t sc_group_count = sizeof(sc_groups) / sizeof(sc_groups[0]);

int sc_group_by_name(const char *name)
{
	for (size_t i = 0; i < sc_group_count; i++)
		if (strcmp(sc_groups[i].name, name) == 0)
			return (int)i;
	return -1;
}

static bool in_calls(const char *const *calls, const char *name)
{
	for (; calls != NULL && *calls != NULL; calls++)
		if (strcmp(*calls, name) == 0)
			return true;
	return false;
}

static bool denies(const struct jval *rule)
{
	const struct jval *a = jobj_get(rule, "action");

	return a != NULL && a->type == J_STRING && !jv_is_str(a, "SCMP_ACT_ALLOW") &&
	       !jv_is_str(a, "SCMP_ACT_LOG");
}

/* Takes the group's calls out of every denying entry without argument
 * tests (an entry left with no names goes), then allows them. */
static void open_calls(struct jdoc *doc, struct jval *sc, const char *const *calls)
{
	struct jval *sys = jobj_get(sc, "syscalls");
	uint32_t ncalls = 0, kept = 0;

	while (calls[ncalls] != NULL)
		ncalls++;
	for (uint32_t i = 0; sys != NULL && sys->type == J_ARRAY && i < sys->len; i++) {
		struct jval *r = &sys->u.items[i];
		struct jval *names = jobj_get(r, "names");
		const struct jval *args = jobj_get(r, "args");
		if (denies(r) && (args == NULL || args->len == 0) && names != NULL &&
		    names->type == J_ARRAY) {
			uint32_t n = 0;
			for (uint32_t k = 0; k < names->len; k++)
				if (!in_calls(calls, names->u.items[k].u.str))
					names->u.items[n++] = names->u.items[k];
			names->len = n;
			if (n == 0)
				continue;
		}
		sys->u.items[kept++] = *r;
	}
	if (sys != NULL)
		sys->len = kept;

	struct jval names = jv_array(doc, ncalls);
	for (uint32_t k = 0; k < ncalls; k++)
		names.u.items[k] = jv_str(doc, calls[k]);
	struct jval allow = jv_object(doc, 2);
	jobj_init_member(doc, &allow, 0, "names", names);
	jobj_init_member(doc, &allow, 1, "action", jv_str(doc, "SCMP_ACT_ALLOW"));
	uint32_t have = sys != NULL && sys->type == J_ARRAY ? sys->len : 0;
	struct jval all = jv_array(doc, have + 1);
	for (uint32_t i = 0; i < have; i++)
		all.u.items[i] = sys->u.items[i];
	all.u.items[have] = allow;
	jobj_set(doc, sc, "syscalls", all);
}

static void add_arch(struct jdoc *doc, struct jval *sc, const char *arch)
{
	const struct jval *old = jobj_get(sc, "architectures");
	uint32_t n = old != NULL && old->type == J_ARRAY ? old->len : 0;

	for (uint32_t i = 0; i < n; i++)
		if (jv_is_str(&old->u.items[i], arch))
			return;
	/* No list means the native architecture alone. */
	struct jval arr = jv_array(doc, n + 1);
	for (uint32_t i = 0; i < n; i++)
		arr.u.items[i] = old->u.items[i];
	arr.u.items[n] = jv_str(doc, arch);
	jobj_set(doc, sc, "architectures", arr);
}

void sc_groups_apply(struct jdoc *doc, struct jval *sc, unsigned mask,
		     const struct host_facts *h)
{
	for (size_t g = 0; g < sc_group_count; g++) {
		const struct sc_group *grp = &sc_groups[g];
		if (!(mask & (1u << g)))
			continue;
		if (grp->calls != NULL)
			open_calls(doc, sc, grp->calls);
		if (grp->arch != NULL && strcmp(h->arch, grp->native) == 0)
			add_arch(doc, sc, grp->arch);
	}
}
