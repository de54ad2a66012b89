/* SPDX-License-Identifier: Apache-2.0 */
#include "bpf.h"

#include <ctype.h>
#include <errno.h>
#include <seccomp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/filter.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scmodel.h"
#include "util.h"

/* The kernel treats only -1..-4095 as an error return (MAX_ERRNO). */
#define MAX_ERRNO 4095

static void ctx_release(scmp_filter_ctx *c)
{
	if (*c != NULL)
		seccomp_release(*c);
}
#define cleanup_filter __attribute__((cleanup(ctx_release)))

const char *bpf_libseccomp_version(void)
{
	static char buf[32];
	const struct scmp_version *v = seccomp_version();

	snprintf(buf, sizeof(buf), "%u.%u.%u", v->major, v->minor, v->micro);
	return buf;
}

/* "SCMP_ARCH_X86_64" -> libseccomp's token; 0 if it does not know it. */
static uint32_t arch_token(const char *arch)
{
	const struct oh_sc_arch *a = oh_sc_arch_by_name(arch);

	return a != NULL ? oh_sc_arch_token(a) : 0;
}

enum bpf_name bpf_resolve(const char *arch, const char *name)
{
	uint32_t tok = arch_token(arch);
	int nr;

	if (tok == 0)
		return BPF_NAME_UNKNOWN;
	nr = seccomp_syscall_resolve_name_arch(tok, name);
	if (nr == __NR_SCMP_ERROR)
		return BPF_NAME_UNKNOWN;
	/*
	 * libseccomp numbers a call an architecture lacks -10000 and below,
	 * and a call reached through a multiplexer (socket through
	 * socketcall on i386) just below zero; only the first is absent.
	 */
	return nr <= -10000 ? BPF_NAME_ABSENT : BPF_NAME_PRESENT;
}

struct compile {
	scmp_filter_ctx ctx;
	uint32_t def;
	char archlist[512];     /* for messages */
	bpf_note_fn fn;
	void *fnctx;
	int errors;
};

static void note(struct compile *c, bool error, long rule, const char *name,
		 const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void note(struct compile *c, bool error, long rule, const char *name,
		 const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (error)
		c->errors++;
	if (c->fn == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	struct bpf_note n = { .error = error, .rule = rule, .name = name, .msg = msg };
	c->fn(c->fnctx, &n);
}

static void add_failed(struct compile *c, long rule, const char *name, int rc)
{
	const char *hint = "";

	if (rc == -EEXIST)
		hint = "; another rule for the same call and arguments has a "
		       "different action (on 32-bit x86 and s390 libseccomp turns "
		       "socket and ipc rules into socketcall and ipc rules without "
		       "their argument tests, so such rules collide)";
	note(c, true, rule, name,
	     "libseccomp refuses the rule for %s on %s: %s%s; runc would refuse "
	     "to start the container", name, c->archlist, strerror(-rc), hint);
}

/* Adds one OCI rule, as runc's matchCall does for each of its names. */
static void add_rule(struct compile *c, const struct oh_sc_rule *r, long idx)
{
	uint32_t action = oh_sc_action_value(r->action, r->has_errno, r->errno_ret);
	bool split = false;
	unsigned seen[6] = { 0 };
	const char *first = r->nnames ? oh_sc_rule_name(r, 0) : NULL;

	if (r->has_errno && r->errno_ret > MAX_ERRNO && oh_sc_action_takes_errno(r->action)) {
		/* libseccomp refuses it too, but says only EINVAL. */
		note(c, true, idx, first,
		     "errnoRet %llu is above %d: the caller would not see an error",
		     (unsigned long long)r->errno_ret, MAX_ERRNO);
		return;
	}
	if (r->action == OH_SC_NOTIFY && oh_sc_rule_names(r, "write"))
		note(c, true, idx, "write", "SCMP_ACT_NOTIFY cannot be used "
		     "for write: runc refuses it");
	/* runc skips rules that repeat the default action: libseccomp
	 * would refuse them. */
	if (action == c->def)
		return;

	cleanup_free struct scmp_arg_cmp *conds = xcalloc(r->nargs + 1, sizeof(*conds));
	for (uint32_t i = 0; i < r->nargs; i++) {
		const struct oh_sc_cond *a = &r->args[i];

		if (seen[a->index]++ > 0)
			split = true;
		conds[i] = (struct scmp_arg_cmp){ .arg = a->index,
						  .op = (enum scmp_compare)oh_sc_op_scmp(a->op),
						  .datum_a = a->value, .datum_b = a->value_two };
	}
	if (split)
		note(c, false, idx, first,
		     "several comparisons on the same argument: runc adds each as a "
		     "rule of its own, and rules are ORed, not ANDed");

	for (uint32_t i = 0; i < r->nnames; i++) {
		const char *name = oh_sc_rule_name(r, i);
		/* Numbers in the native numbering: libseccomp translates them
		 * for every architecture of the filter by name. */
		int nr = seccomp_syscall_resolve_name(name);
		int rc = 0;

		if (nr == __NR_SCMP_ERROR)
			continue;
		if (!split) {
			rc = seccomp_rule_add_array(c->ctx, action, nr, r->nargs, conds);
		} else {
			for (uint32_t k = 0; k < r->nargs && rc == 0; k++)
				rc = seccomp_rule_add_array(c->ctx, action, nr, 1, &conds[k]);
		}
		if (rc < 0)
			add_failed(c, idx, name, rc);
	}
}

static int set_arches(struct compile *c, const struct oh_sc_profile *m,
		      const char *const *arches, size_t narches,
		      struct oh_error *err)
{
	uint32_t native = seccomp_arch_native();
	bool native_listed = false;
	char *buf = c->archlist;
	size_t cap = sizeof(c->archlist);
	size_t n = arches != NULL ? narches : m->narches;

	if (arches != NULL && narches == 0)
		return oh_err(err, 0, "no architecture to compile for");
	buf[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		const char *name = arches != NULL ? arches[i] : m->arches[i]->scmp;
		uint32_t tok = arch_token(name);

		if (tok == 0)
			return oh_err(err, 0, "libseccomp %s does not know the architecture %s",
				      bpf_libseccomp_version(), name);
		native_listed |= tok == native;
		snprintf(buf + strlen(buf), cap - strlen(buf), "%s%s",
			 buf[0] ? ", " : "", name);
	}
	/*
	 * runc's filter always covers the native architecture.  Otherwise it
	 * goes first: libseccomp refuses to mix byte orders (EDOM), so a
	 * big-endian s390x filter cannot be built next to x86_64.
	 */
	if (arches == NULL && !native_listed) {
		snprintf(buf + strlen(buf), cap - strlen(buf), "%s",
			 buf[0] ? " and the native architecture" : "the native architecture");
	} else if (!native_listed) {
		int rc = seccomp_arch_remove(c->ctx, native);
		if (rc < 0)
			return oh_err(err, -rc, "cannot remove the native architecture");
	}
	for (size_t i = 0; i < n; i++) {
		const char *name = arches != NULL ? arches[i] : m->arches[i]->scmp;
		uint32_t tok = arch_token(name);
		int rc;

		if (tok == native)
			continue;
		rc = seccomp_arch_add(c->ctx, tok);
		if (rc < 0 && rc != -EEXIST)
			return oh_err(err, -rc, "libseccomp cannot add the architecture %s "
				      "to this filter", name);
	}
	return 0;
}

/* The program libseccomp generates, read back through a memfd. */
static int export_prog(scmp_filter_ctx ctx, size_t *insns, struct oh_bpf_prog *prog,
		       struct oh_error *err)
{
	struct stat st;
	cleanup_close int fd = memfd_create("oci-harden-bpf", MFD_CLOEXEC);
	int rc;

	if (fd < 0)
		return oh_err(err, errno, "memfd_create");
	rc = seccomp_export_bpf(ctx, fd);
	if (rc < 0)
		return oh_err(err, -rc, "libseccomp cannot generate the BPF program");
	if (fstat(fd, &st) < 0)
		return oh_err(err, errno, "fstat");
	*insns = (size_t)st.st_size / sizeof(struct sock_filter);
	if (prog == NULL)
		return 0;
	prog->len = *insns;
	prog->insns = xcalloc(prog->len + 1, sizeof(*prog->insns));
	size_t want = prog->len * sizeof(*prog->insns);
	ssize_t got = pread(fd, prog->insns, want, 0);
	if (got < 0 || (size_t)got != want) {
		oh_bpf_prog_free(prog);
		return oh_err(err, got < 0 ? errno : 0, "reading the BPF program back");
	}
	return 0;
}

void oh_bpf_prog_free(struct oh_bpf_prog *p)
{
	free(p->insns);
	p->insns = NULL;
	p->len = 0;
}

int bpf_compile(const struct oh_sc_profile *m, const char *const *arches,
		size_t narches, size_t *insns, bpf_note_fn fn, void *ctx,
		struct oh_error *err)
{
	return bpf_compile_prog(m, arches, narches, insns, NULL, fn, ctx, err);
}

int bpf_compile_prog(const struct oh_sc_profile *m, const char *const *arches,
		     size_t narches, size_t *insns, struct oh_bpf_prog *prog,
		     bpf_note_fn fn, void *ctx, struct oh_error *err)
{
	cleanup_filter scmp_filter_ctx filter = NULL;
	struct compile c = { .fn = fn, .fnctx = ctx };
	size_t nnames = 0;

	c.def = oh_sc_action_value(m->def, m->has_def_errno, m->def_errno);
	if (m->def == OH_SC_NOTIFY)
		return oh_err(err, 0, "SCMP_ACT_NOTIFY cannot be the default action: "
			      "runc refuses it");
	/*
	 * Fix the API level instead of letting libseccomp probe the kernel
	 * with seccomp(2): the probe is what a runtime needs before loading,
	 * but we only generate code, the answer would make the same profile
	 * valid on one host and not another, and valgrind cannot run it.  6
	 * accepts every action a profile can name (LOG, KILL_PROCESS, NOTIFY).
	 */
	seccomp_api_set(6);
	filter = seccomp_init(c.def);
	if (filter == NULL)
		return oh_err(err, 0, "libseccomp cannot create a filter");
	c.ctx = filter;
	if (set_arches(&c, m, arches, narches, err) < 0)
		return -1;
	/* runc 1.1 leaves no-new-privileges to itself, and asks for the
	 * binary-tree layout on long rule lists (counted per name). */
	seccomp_attr_set(filter, SCMP_FLTATR_CTL_NNP, 0);
	for (uint32_t i = 0; i < m->nrules; i++)
		nnames += m->rules[i].nnames;
	if (nnames > 32)
		seccomp_attr_set(filter, SCMP_FLTATR_CTL_OPTIMIZE, 2);
	for (uint32_t i = 0; i < m->nrules; i++)
		add_rule(&c, &m->rules[i], (long)i);
	if (export_prog(filter, insns, prog, err) < 0)
		return -1;
	if (c.errors > 0 && prog != NULL)
		oh_bpf_prog_free(prog);
	return c.errors;
}
