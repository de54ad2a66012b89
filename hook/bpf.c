/* SPDX-License-Identifier: Apache-2.0 */
#include "bpf.h"

#include <ctype.h>
#include <errno.h>
#include <seccomp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

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

int bpf_action(const char *action, const struct jval *errno_ret, uint32_t *out)
{
	uint64_t e = EPERM;

	if (errno_ret != NULL && !jv_get_u64(errno_ret, &e))
		return -1;
	/* libseccomp keeps 16 bits of the errno; runc casts to int16 too. */
	e &= 0xffff;
	if (strcmp(action, "SCMP_ACT_KILL") == 0 ||
	    strcmp(action, "SCMP_ACT_KILL_THREAD") == 0)
		*out = SCMP_ACT_KILL_THREAD;
	else if (strcmp(action, "SCMP_ACT_KILL_PROCESS") == 0)
		*out = SCMP_ACT_KILL_PROCESS;
	else if (strcmp(action, "SCMP_ACT_TRAP") == 0)
		*out = SCMP_ACT_TRAP;
	else if (strcmp(action, "SCMP_ACT_ERRNO") == 0)
		*out = SCMP_ACT_ERRNO((uint16_t)e);
	else if (strcmp(action, "SCMP_ACT_TRACE") == 0)
		*out = SCMP_ACT_TRACE((uint16_t)e);
	else if (strcmp(action, "SCMP_ACT_ALLOW") == 0)
		*out = SCMP_ACT_ALLOW;
	else if (strcmp(action, "SCMP_ACT_LOG") == 0)
		*out = SCMP_ACT_LOG;
	else if (strcmp(action, "SCMP_ACT_NOTIFY") == 0)
		*out = SCMP_ACT_NOTIFY;
	else
		return -1;
	return 0;
}

/* "SCMP_ARCH_X86_64" -> libseccomp's token for "x86_64"; 0 if unknown. */
static uint32_t arch_token(const char *arch)
{
	char lower[32];
	size_t i;

	if (strncmp(arch, "SCMP_ARCH_", 10) != 0)
		return 0;
	arch += 10;
	for (i = 0; arch[i] != '\0' && i + 1 < sizeof(lower); i++)
		lower[i] = (char)tolower((unsigned char)arch[i]);
	lower[i] = '\0';
	return seccomp_arch_resolve_name(lower);
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

static const struct {
	const char *name;
	enum scmp_compare op;
} ops[] = {
	{ "SCMP_CMP_NE", SCMP_CMP_NE }, { "SCMP_CMP_LT", SCMP_CMP_LT },
	{ "SCMP_CMP_LE", SCMP_CMP_LE }, { "SCMP_CMP_EQ", SCMP_CMP_EQ },
	{ "SCMP_CMP_GE", SCMP_CMP_GE }, { "SCMP_CMP_GT", SCMP_CMP_GT },
	{ "SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ },
};

static int op_of(const char *name, enum scmp_compare *out)
{
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (strcmp(ops[i].name, name) == 0) {
			*out = ops[i].op;
			return 0;
		}
	return -1;
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
static void add_rule(struct compile *c, const struct jval *r, long idx)
{
	const struct jval *names = jobj_get(r, "names");
	const struct jval *args = jobj_get(r, "args");
	const struct jval *act = jobj_get(r, "action");
	const struct jval *ret = jobj_get(r, "errnoRet");
	uint32_t action;
	uint64_t e;
	uint32_t nargs = args != NULL ? args->len : 0;
	bool split = false;
	unsigned seen[6] = { 0 };

	if (names == NULL || act == NULL || bpf_action(act->u.str, ret, &action) < 0)
		return;
	if (ret != NULL && jv_get_u64(ret, &e) && e > MAX_ERRNO &&
	    (strcmp(act->u.str, "SCMP_ACT_ERRNO") == 0 ||
	     strcmp(act->u.str, "SCMP_ACT_TRACE") == 0))
	{
		/* libseccomp refuses it too, but says only EINVAL. */
		note(c, true, idx, names->len ? names->u.items[0].u.str : NULL,
		     "errnoRet %llu is above %d: the caller would not see an error",
		     (unsigned long long)e, MAX_ERRNO);
		return;
	}
	if (action == SCMP_ACT_NOTIFY)
		for (uint32_t i = 0; i < names->len; i++)
			if (jv_is_str(&names->u.items[i], "write"))
				note(c, true, idx, "write", "SCMP_ACT_NOTIFY cannot be used "
				     "for write: runc refuses it");
	/* runc skips rules that repeat the default action: libseccomp
	 * would refuse them. */
	if (action == c->def)
		return;

	cleanup_free struct scmp_arg_cmp *conds = xcalloc(nargs + 1, sizeof(*conds));
	for (uint32_t i = 0; i < nargs; i++) {
		const struct jval *a = &args->u.items[i];
		uint64_t index = 0, v1 = 0, v2 = 0;
		enum scmp_compare op = SCMP_CMP_EQ;

		jv_get_u64(jobj_get(a, "index"), &index);
		jv_get_u64(jobj_get(a, "value"), &v1);
		jv_get_u64(jobj_get(a, "valueTwo"), &v2);
		if (jobj_get(a, "op") != NULL)
			op_of(jobj_get(a, "op")->u.str, &op);
		if (index < 6 && seen[index]++ > 0)
			split = true;
		conds[i] = (struct scmp_arg_cmp){ .arg = (unsigned)index, .op = op,
						  .datum_a = v1, .datum_b = v2 };
	}
	if (split)
		note(c, false, idx, names->len ? names->u.items[0].u.str : NULL,
		     "several comparisons on the same argument: runc adds each as a "
		     "rule of its own, and rules are ORed, not ANDed");

	for (uint32_t i = 0; i < names->len; i++) {
		const char *name = names->u.items[i].u.str;
		/* Numbers in the native numbering: libseccomp translates them
		 * for every architecture of the filter by name. */
		int nr = seccomp_syscall_resolve_name(name);
		int rc = 0;

		if (nr == __NR_SCMP_ERROR)
			continue;
		if (!split) {
			rc = seccomp_rule_add_array(c->ctx, action, nr, nargs, conds);
		} else {
			for (uint32_t k = 0; k < nargs && rc == 0; k++)
				rc = seccomp_rule_add_array(c->ctx, action, nr, 1, &conds[k]);
		}
		if (rc < 0)
			add_failed(c, idx, name, rc);
	}
}

static int set_arches(struct compile *c, const struct jval *obj,
		      const char *const *arches, size_t narches,
		      struct oh_error *err)
{
	const struct jval *listed = jobj_get(obj, "architectures");
	uint32_t native = seccomp_arch_native();
	bool native_listed = false;
	char *buf = c->archlist;
	size_t cap = sizeof(c->archlist);
	size_t n = arches != NULL ? narches : listed != NULL ? listed->len : 0;

	if (arches != NULL && narches == 0)
		return oh_err(err, 0, "no architecture to compile for");
	buf[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		const char *name = arches != NULL ? arches[i] : listed->u.items[i].u.str;
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
		const char *name = arches != NULL ? arches[i] : listed->u.items[i].u.str;
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

static int count_insns(scmp_filter_ctx ctx, size_t *insns, struct oh_error *err)
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
	/* struct sock_filter: code, jt, jf, k */
	*insns = (size_t)st.st_size / 8;
	return 0;
}

int bpf_compile(const struct jval *obj, const char *const *arches,
		size_t narches, size_t *insns, bpf_note_fn fn, void *ctx,
		struct oh_error *err)
{
	const struct jval *def = jobj_get(obj, "defaultAction");
	const struct jval *sys = jobj_get(obj, "syscalls");
	cleanup_filter scmp_filter_ctx filter = NULL;
	struct compile c = { .fn = fn, .fnctx = ctx };
	size_t nnames = 0;

	if (def == NULL || def->type != J_STRING ||
	    bpf_action(def->u.str, jobj_get(obj, "defaultErrnoRet"), &c.def) < 0)
		return oh_err(err, 0, "invalid default action");
	if (c.def == SCMP_ACT_NOTIFY)
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
	if (set_arches(&c, obj, arches, narches, err) < 0)
		return -1;
	/* runc 1.1 leaves no-new-privileges to itself, and asks for the
	 * binary-tree layout on long rule lists (counted per name). */
	seccomp_attr_set(filter, SCMP_FLTATR_CTL_NNP, 0);
	for (uint32_t i = 0; sys != NULL && i < sys->len; i++) {
		const struct jval *names = jobj_get(&sys->u.items[i], "names");
		nnames += names != NULL ? names->len : 0;
	}
	if (nnames > 32)
		seccomp_attr_set(filter, SCMP_FLTATR_CTL_OPTIMIZE, 2);
	for (uint32_t i = 0; sys != NULL && i < sys->len; i++)
		add_rule(&c, &sys->u.items[i], (long)i);
	if (count_insns(filter, insns, err) < 0)
		return -1;
	return c.errors;
}
