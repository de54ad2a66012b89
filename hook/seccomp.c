/* SPDX-License-Identifier: Apache-2.0 */
#include "ohseccomp.h"

#include <errno.h>
#include <seccomp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpf.h"
#include "builtin.h"
#include "spec.h"
#include "util.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ------------------------------------------------------ shared checking */

/*
 * A checker over a JSON object with a base pointer for messages.  It is
 * also the decoder: what it accepts it writes into the model, so nothing
 * after it looks a string up in the tree again.
 */
struct chk {
	const char *source;
	struct oh_error *err;
	/* Docker profiles may use keys the OCI form has not (includes...). */
	bool docker;
	struct oh_sc_profile *m;
};

/*
 * Where a checked value is: a chain of members and indexes up to a base
 * pointer.  The JSON pointer text is rendered only for an error message:
 * rendering it for every member checked was four fifths of the cost of
 * checking a profile, paid at every container start.
 */
struct where {
	const struct where *up;  /* NULL: base is the whole pointer */
	const char *base;
	const char *key;         /* a member, or (NULL) ... */
	uint32_t idx;            /* ... an array index */
};

static struct where at_key(const struct where *up, const char *key)
{
	return (struct where){ .up = up, .key = key };
}

static struct where at_idx(const struct where *up, uint32_t idx)
{
	return (struct where){ .up = up, .idx = idx };
}

static void render(const struct where *w, char *out, size_t cap)
{
	if (w->up == NULL) {
		snprintf(out, cap, "%s", w->base);
		return;
	}
	render(w->up, out, cap);
	if (w->key != NULL)
		json_ptr_append(out, cap, w->key, strlen(w->key));
	else
		json_ptr_append_index(out, cap, w->idx);
}

static int bad(struct chk *c, const struct where *w, const char *what)
{
	char ptr[512];

	render(w, ptr, sizeof(ptr));
	return oh_err(c->err, 0, "%s: %s: %s", c->source, ptr[0] ? ptr : "/", what);
}

/* A member's key against a literal: the length first, then the bytes.
 * Checking keys this way halved the cost of decoding a profile. */
#define KEY_IS(m, lit) ((m)->klen == sizeof(lit) - 1 && memcmp((m)->key, lit, sizeof(lit) - 1) == 0)

static void *arena(struct chk *c, size_t n)
{
	if (c->m->arena == NULL)
		c->m->arena = json_new();
	return json_alloc(c->m->arena, n == 0 ? 1 : n);
}

static int chk_type(struct chk *c, const struct jval *v, const struct where *w,
		    enum jtype t)
{
	char msg[96];
	bool ok = v->type == t || (t == J_TRUE && v->type == J_FALSE);

	if (ok)
		return 0;
	snprintf(msg, sizeof(msg), "must be %s, not %s",
		 t == J_TRUE ? "a boolean" : jtype_name(t), jtype_name(v->type));
	return bad(c, w, msg);
}

/*
 * Docker-format profiles come from Go programs that write an empty list
 * as null (moby's default.json has "subArchitectures": null): there null
 * is an absent list.  The OCI form is read as runc and crun read it, and
 * stays strict.
 */
static bool null_list(const struct chk *c, const struct jval *v)
{
	return c->docker && v->type == J_NULL;
}

/* A list of strings; *out points at its items (a null list: none). */
static int chk_strings(struct chk *c, const struct jval *v, const struct where *w,
		       const struct jval **out, uint32_t *n)
{
	if (out != NULL)
		*out = NULL, *n = 0;
	if (null_list(c, v))
		return 0;
	if (chk_type(c, v, w, J_ARRAY) < 0)
		return -1;
	for (uint32_t i = 0; i < v->len; i++) {
		if (v->u.items[i].type == J_STRING)
			continue;
		struct where e = at_idx(w, i);
		return chk_type(c, &v->u.items[i], &e, J_STRING);
	}
	if (out != NULL)
		*out = v->u.items, *n = v->len;
	return 0;
}

static int chk_u64(struct chk *c, const struct jval *v, const struct where *w,
		   uint64_t max, uint64_t *out)
{
	uint64_t x;

	if (chk_type(c, v, w, J_NUMBER) < 0)
		return -1;
	if (!jv_get_u64(v, &x) || x > max)
		return bad(c, w, "must be a non-negative integer in range");
	if (out != NULL)
		*out = x;
	return 0;
}

/*
 * An errno a filter returns.  libseccomp refuses SCMP_ACT_ERRNO above 4095
 * (MAX_ERRNO, the end of the kernel's errno space), so runc refuses such a
 * profile at container start; every front end says so now, without the
 * compile `check` does.
 */
static int chk_errno(struct chk *c, const struct jval *v, const struct where *w,
		     uint64_t *out)
{
	uint64_t x;

	if (chk_type(c, v, w, J_NUMBER) < 0)
		return -1;
	if (!jv_get_u64(v, &x) || x > 4095)
		return bad(c, w, "must be an errno from 0 to 4095 (libseccomp refuses more)");
	*out = x;
	return 0;
}

/* errno names as podman accepts them in "errno"/"defaultErrno". */
static int errno_from_name(const char *s, uint64_t *out)
{
	char *end;

	if (*s >= '0' && *s <= '9') {
		errno = 0;
		unsigned long v = strtoul(s, &end, 10);
		if (errno != 0 || *end != '\0' || v > UINT32_MAX)
			return -1;
		*out = v;
		return 0;
	}
	/* Linux's errnos end at 133 (EHWPOISON); 255 leaves room. */
	for (int e = 1; e < 256; e++) {
		const char *n = strerrorname_np(e);
		if (n != NULL && strcmp(n, s) == 0) {
			*out = (uint64_t)e;
			return 0;
		}
	}
	return -1;
}

static int chk_args(struct chk *c, const struct jval *args, const struct where *w,
		    struct oh_sc_rule *r)
{
	if (chk_type(c, args, w, J_ARRAY) < 0)
		return -1;
	r->args = arena(c, args->len * sizeof(*r->args));
	r->nargs = args->len;
	for (uint32_t i = 0; i < args->len; i++) {
		const struct jval *a = &args->u.items[i];
		struct oh_sc_cond *cd = &r->args[i];
		struct where p = at_idx(w, i);
		uint64_t x;

		memset(cd, 0, sizeof(*cd));
		if (chk_type(c, a, &p, J_OBJECT) < 0)
			return -1;
		for (uint32_t k = 0; k < a->len; k++) {
			const struct jmember *m = &a->u.members[k];
			struct where q = at_key(&p, m->key);
			if (KEY_IS(m, "index")) {
				if (chk_u64(c, &m->val, &q, 5, &x) < 0)
					return -1;
				cd->index = (uint32_t)x;
				cd->index_v = &m->val;
			} else if (KEY_IS(m, "value")) {
				if (chk_u64(c, &m->val, &q, UINT64_MAX, &cd->value) < 0)
					return -1;
				cd->value_v = &m->val;
			} else if (KEY_IS(m, "valueTwo")) {
				if (chk_u64(c, &m->val, &q, UINT64_MAX, &cd->value_two) < 0)
					return -1;
				cd->value_two_v = &m->val;
			} else if (KEY_IS(m, "op")) {
				if (chk_type(c, &m->val, &q, J_STRING) < 0)
					return -1;
				if (oh_sc_op_parse(m->val.u.str, &cd->op) < 0)
					return bad(c, &q, "unknown comparison operator");
				cd->op_v = &m->val;
			} else {
				return bad(c, &q, "unknown key");
			}
		}
		if (cd->index_v == NULL || cd->op_v == NULL)
			return bad(c, &p, "an argument comparison needs index and op");
	}
	return 0;
}

static int chk_filter(struct chk *c, const struct jval *f, const struct where *w,
		      struct oh_sc_filter *out)
{
	memset(out, 0, sizeof(*out));
	if (null_list(c, f))
		return 0;
	if (chk_type(c, f, w, J_OBJECT) < 0)
		return -1;
	for (uint32_t k = 0; k < f->len; k++) {
		const struct jmember *m = &f->u.members[k];
		struct where q = at_key(w, m->key);
		if (KEY_IS(m, "caps")) {
			if (chk_strings(c, &m->val, &q, &out->caps, &out->ncaps) < 0)
				return -1;
		} else if (KEY_IS(m, "arches")) {
			if (chk_strings(c, &m->val, &q, &out->arches, &out->narches) < 0)
				return -1;
		} else if (KEY_IS(m, "minKernel")) {
			if (null_list(c, &m->val))
				continue;
			if (chk_type(c, &m->val, &q, J_STRING) < 0)
				return -1;
			if (host_parse_kernel(m->val.u.str, out->min_kernel_v) < 0)
				return bad(c, &q, "not a kernel version (X.Y)");
			out->min_kernel = m->val.u.str;
		} else {
			return bad(c, &q, "unknown key");
		}
	}
	return 0;
}

static int chk_rule(struct chk *c, const struct jval *r, const struct where *w,
		    struct oh_sc_rule *out)
{
	bool have_action = false;
	const struct jval *names = NULL, *name = NULL, *errno_name = NULL;
	uint64_t e = 0;

	memset(out, 0, sizeof(*out));
	out->src = r;
	if (chk_type(c, r, w, J_OBJECT) < 0)
		return -1;
	for (uint32_t k = 0; k < r->len; k++) {
		const struct jmember *m = &r->u.members[k];
		const struct jval *v = &m->val;
		struct where q = at_key(w, m->key);
		if (KEY_IS(m, "names")) {
			if (chk_strings(c, v, &q, NULL, NULL) < 0)
				return -1;
			if (v->type == J_ARRAY)
				names = v;
		} else if (KEY_IS(m, "action")) {
			if (chk_type(c, v, &q, J_STRING) < 0)
				return -1;
			if (oh_sc_action_parse(v->u.str, &out->action) < 0)
				return bad(c, &q, "unknown seccomp action");
			out->action_v = v;
			have_action = true;
		} else if (KEY_IS(m, "errnoRet")) {
			if (chk_errno(c, v, &q, &e) < 0)
				return -1;
			if (errno_name == NULL) {
				out->has_errno = true;
				out->errno_ret = (uint32_t)e;
			}
		} else if (KEY_IS(m, "args")) {
			/* containers-common's own seccomp.json says "args": null
			 * (a nil Go slice); podman reads it as no arguments. */
			if (null_list(c, v))
				continue;
			if (chk_args(c, v, &q, out) < 0)
				return -1;
		} else if (c->docker && KEY_IS(m, "name")) {
			if (chk_type(c, v, &q, J_STRING) < 0)
				return -1;
			name = v;
		} else if (c->docker && KEY_IS(m, "errno")) {
			if (chk_type(c, v, &q, J_STRING) < 0)
				return -1;
			if (errno_from_name(v->u.str, &e) < 0)
				return bad(c, &q, "unknown errno name");
			/* The name wins over errnoRet, as in podman. */
			errno_name = v;
			out->has_errno = true;
			out->errno_ret = (uint32_t)e;
			out->errno_name = v->u.str;
		} else if (c->docker && KEY_IS(m, "comment")) {
			if (null_list(c, v))
				continue;
			if (chk_type(c, v, &q, J_STRING) < 0)
				return -1;
			out->comment = v->u.str;
		} else if (c->docker && KEY_IS(m, "includes")) {
			if (chk_filter(c, v, &q, &out->includes) < 0)
				return -1;
			out->has_includes = v->type == J_OBJECT;
		} else if (c->docker && KEY_IS(m, "excludes")) {
			if (chk_filter(c, v, &q, &out->excludes) < 0)
				return -1;
			out->has_excludes = v->type == J_OBJECT;
		} else {
			return bad(c, &q, "unknown key");
		}
	}
	if (!have_action)
		return bad(c, w, "a syscall rule needs an action");
	if (name != NULL && names != NULL && names->len > 0)
		return bad(c, w, "a syscall rule has both name and names");
	if (names != NULL && names->len > 0) {
		out->names_v = names;
		out->names = names->u.items;
		out->nnames = names->len;
	} else if (name != NULL && name->len > 0) {
		out->names = name;
		out->nnames = 1;
	}
	return 0;
}

/*
 * One architecture name.  A name no libseccomp knows is an error; one the
 * running libseccomp does not know (SCMP_ARCH_LOONGARCH64 before 2.6) is
 * kept in a docker profile's archMap with a note, since podman accepts such
 * profiles and the entry can only apply on a host of that architecture.
 */
static int chk_arch(struct chk *c, const struct jval *v, const struct where *w,
		    const struct oh_sc_arch **out)
{
	if (chk_type(c, v, w, J_STRING) < 0)
		return -1;
	*out = oh_sc_arch_by_name(v->u.str);
	if (*out == NULL)
		return bad(c, w, "unknown architecture");
	return 0;
}

static int chk_arches(struct chk *c, const struct jval *v, const struct where *w,
		      const struct oh_sc_arch ***out, uint32_t *n)
{
	*out = NULL;
	*n = 0;
	if (null_list(c, v))
		return 0;
	if (chk_type(c, v, w, J_ARRAY) < 0)
		return -1;
	*out = arena(c, v->len * sizeof(**out));
	for (uint32_t i = 0; i < v->len; i++) {
		struct where p = at_idx(w, i);
		if (chk_arch(c, &v->u.items[i], &p, &(*out)[i]) < 0)
			return -1;
	}
	*n = v->len;
	return 0;
}

static void note_unknown_arch(struct chk *c, const struct where *w,
			      const struct oh_sc_arch *a, const char *what)
{
	char ptr[256];

	render(w, ptr, sizeof(ptr));
	oh_sc_profile_note(c->m, "%s: libseccomp %s does not know %s: %s",
			   ptr, bpf_libseccomp_version(), a->scmp, what);
}

static int chk_archmap(struct chk *c, const struct jval *v, const struct where *w)
{
	struct oh_sc_profile *m = c->m;

	if (null_list(c, v))
		return 0;
	if (chk_type(c, v, w, J_ARRAY) < 0)
		return -1;
	m->archmap = arena(c, v->len * sizeof(*m->archmap));
	m->narchmap = v->len;
	for (uint32_t i = 0; i < v->len; i++) {
		const struct jval *e = &v->u.items[i];
		struct oh_sc_archmap *am = &m->archmap[i];
		struct where p = at_idx(w, i);
		const struct jval *a = NULL, *sub = NULL;

		memset(am, 0, sizeof(*am));
		if (chk_type(c, e, &p, J_OBJECT) < 0)
			return -1;
		for (uint32_t j = 0; j < e->len; j++) {
			const char *key = e->u.members[j].key;
			if (strcmp(key, "architecture") == 0) {
				a = &e->u.members[j].val;
			} else if (strcmp(key, "subArchitectures") == 0) {
				sub = &e->u.members[j].val;
			} else {
				struct where r = at_key(&p, key);
				return bad(c, &r, "unknown key");
			}
		}
		struct where r = at_key(&p, "architecture");
		if (a == NULL)
			return bad(c, &p, "an archMap entry needs an architecture");
		if (chk_arch(c, a, &r, &am->arch) < 0)
			return -1;
		r = at_key(&p, "subArchitectures");
		if (sub != NULL && chk_arches(c, sub, &r, &am->sub, &am->nsub) < 0)
			return -1;
		if (sub != NULL && sub->type == J_ARRAY)
			am->sub_v = sub;
		if (oh_sc_arch_token(am->arch) == 0) {
			note_unknown_arch(c, &p, am->arch, "the entry is skipped");
			continue;
		}
		/* Sub-architectures libseccomp cannot build for would make runc
		 * refuse the translated profile: left out, with a note. */
		uint32_t kept = 0;
		for (uint32_t k = 0; k < am->nsub; k++) {
			if (oh_sc_arch_token(am->sub[k]) != 0) {
				am->sub[kept++] = am->sub[k];
				continue;
			}
			struct where s = at_idx(&r, k);
			note_unknown_arch(c, &s, am->sub[k], "translation leaves it out");
		}
		if (kept != am->nsub)
			am->sub_v = NULL;
		am->nsub = kept;
	}
	return 0;
}

/* Checks a seccomp object; docker-format keys allowed when c->docker. */
static int chk_profile(struct chk *c, const struct jval *obj, const struct where *w)
{
	struct oh_sc_profile *m = c->m;
	bool have_default = false;
	const struct jval *arches = NULL, *archmap = NULL, *def_errno_name = NULL;
	uint64_t e;

	m->docker = c->docker;
	if (chk_type(c, obj, w, J_OBJECT) < 0)
		return -1;
	for (uint32_t k = 0; k < obj->len; k++) {
		const struct jmember *mb = &obj->u.members[k];
		const struct jval *v = &mb->val;
		struct where q = at_key(w, mb->key);
		if (KEY_IS(mb, "defaultAction")) {
			if (chk_type(c, v, &q, J_STRING) < 0)
				return -1;
			if (oh_sc_action_parse(v->u.str, &m->def) < 0)
				return bad(c, &q, "unknown seccomp action");
			m->def_v = v;
			have_default = true;
		} else if (KEY_IS(mb, "defaultErrnoRet")) {
			if (chk_errno(c, v, &q, &e) < 0)
				return -1;
			if (def_errno_name == NULL) {
				m->has_def_errno = true;
				m->def_errno = (uint32_t)e;
			}
		} else if (KEY_IS(mb, "architectures")) {
			if (chk_arches(c, v, &q, &m->arches, &m->narches) < 0)
				return -1;
			if (v->type == J_ARRAY)
				arches = v;
			m->arches_v = arches;
		} else if (KEY_IS(mb, "flags")) {
			if (null_list(c, v))
				continue;
			if (chk_strings(c, v, &q, NULL, NULL) < 0)
				return -1;
			for (uint32_t i = 0; i < v->len; i++) {
				uint32_t bit = oh_sc_flag_parse(v->u.items[i].u.str);
				if (bit == 0)
					return bad(c, &q, "unknown seccomp flag");
				m->flags |= bit;
			}
			m->flags_v = v;
		} else if (KEY_IS(mb, "listenerPath") ||
			   KEY_IS(mb, "listenerMetadata")) {
			if (chk_type(c, v, &q, J_STRING) < 0)
				return -1;
			*(mb->key[8] == 'P' ? &m->listener_path_v : &m->listener_metadata_v) = v;
		} else if (KEY_IS(mb, "syscalls")) {
			if (null_list(c, v))
				continue;
			if (chk_type(c, v, &q, J_ARRAY) < 0)
				return -1;
			m->rules = arena(c, v->len * sizeof(*m->rules));
			m->nrules = v->len;
			for (uint32_t i = 0; i < v->len; i++) {
				struct where p = at_idx(&q, i);
				if (chk_rule(c, &v->u.items[i], &p, &m->rules[i]) < 0)
					return -1;
			}
		} else if (c->docker && KEY_IS(mb, "defaultErrno")) {
			if (chk_type(c, v, &q, J_STRING) < 0)
				return -1;
			if (errno_from_name(v->u.str, &e) < 0)
				return bad(c, &q, "unknown errno name");
			def_errno_name = v;
			m->has_def_errno = true;
			m->def_errno = (uint32_t)e;
			m->def_errno_name = v->u.str;
		} else if (c->docker && KEY_IS(mb, "archMap")) {
			if (chk_archmap(c, v, &q) < 0)
				return -1;
			if (v->type == J_ARRAY)
				archmap = v;
		} else {
			return bad(c, &q, "unknown key");
		}
	}
	if (!have_default)
		return bad(c, w, "a seccomp profile needs a defaultAction");
	if (arches != NULL && archmap != NULL && arches->len > 0 && archmap->len > 0)
		return bad(c, w, "a profile has both architectures and archMap");
	if (c->docker) {
		/* Explicit architectures the running libseccomp cannot build
		 * for are left out of the translation, with a note. */
		uint32_t kept = 0;
		for (uint32_t i = 0; i < m->narches; i++) {
			if (oh_sc_arch_token(m->arches[i]) != 0) {
				m->arches[kept++] = m->arches[i];
				continue;
			}
			struct where a = at_key(w, "architectures"), p = at_idx(&a, i);
			note_unknown_arch(c, &p, m->arches[i], "translation leaves it out");
		}
		if (kept != m->narches)
			m->arches_v = NULL;
		m->narches = kept;
	}
	return 0;
}

int oh_seccomp_decode(const struct jval *obj, bool docker, const char *source,
		      struct oh_sc_profile *out, struct oh_error *err)
{
	struct chk c = { .source = source, .err = err, .docker = docker, .m = out };
	struct where w = { .base = "" };

	memset(out, 0, sizeof(*out));
	if (chk_profile(&c, obj, &w) < 0) {
		oh_sc_profile_free(out);
		return -1;
	}
	return 0;
}

/* Keeps the first error libseccomp reports, naming the entry. */
struct first_note {
	const char *source;
	struct oh_error *err;
	bool set;
};

static void keep_first_error(void *ctx, const struct bpf_note *n)
{
	struct first_note *f = ctx;

	if (!n->error || f->set)
		return;
	f->set = true;
	oh_err(f->err, 0, "%s: /linux/seccomp/syscalls/%ld (%s): %s", f->source,
	       n->rule, n->name ? n->name : "?", n->msg);
}

int oh_seccomp_validate_oci(const struct spec *s, const struct jval *obj,
			    struct oh_error *err)
{
	struct oh_sc_profile m;
	struct chk c = { .source = s->source, .err = err, .docker = false, .m = &m };
	struct where w = { .base = "/linux/seccomp" };

	memset(&m, 0, sizeof(m));
	int rc = chk_profile(&c, obj, &w);
	oh_sc_profile_free(&m);
	if (rc < 0)
		return oh_err_wrap(err, "invalid seccomp profile in the config");
	return 0;
}

/*
 * Well-formed is not enough for `check`: a rule libseccomp refuses makes runc
 * refuse the container, and a user checking a config wants to hear that now.
 * The hooks skip this (tens of milliseconds per config): there a profile
 * runc cannot load fails closed at container start by itself.
 */
int oh_seccomp_compile_check(const struct spec *s, struct oh_error *err)
{
	struct first_note f = { .source = s->source, .err = err };
	struct oh_sc_profile m;
	size_t insns;

	if (s->seccomp == NULL)
		return 0;
	if (oh_seccomp_decode(s->seccomp, false, s->source, &m, err) < 0)
		return oh_err_wrap(err, "invalid seccomp profile in the config");
	int rc = bpf_compile(&m, NULL, 0, &insns, keep_first_error, &f, err);
	oh_sc_profile_free(&m);
	if (rc < 0) {
		oh_err_wrap(err, "%s: /linux/seccomp", s->source);
		return oh_err_wrap(err, "invalid seccomp profile in the config");
	}
	if (rc > 0)
		return oh_err_wrap(err, "invalid seccomp profile in the config");
	return 0;
}

/*
 * Whether a rule's names include a system call the kernel has.  runc and
 * crun skip names libseccomp cannot resolve ("no_such_call", "UNSHARE"), so a
 * denying rule that names only such calls loads nothing into the filter: a
 * profile of ALLOW plus such a rule lets every system call through.
 */
static bool names_resolve(const struct oh_sc_rule *r)
{
	for (uint32_t i = 0; i < r->nnames; i++) {
		int nr = seccomp_syscall_resolve_name(oh_sc_rule_name(r, i));
		/* -10000 and below: a call the native architecture does not
		 * have (socketcall on x86_64); a rule for it blocks nothing
		 * here.  Just below 0: reached through a multiplexer. */
		if (nr != __NR_SCMP_ERROR && nr > -10000)
			return true;
	}
	return false;
}

bool oh_seccomp_model_blocks_something(const struct oh_sc_profile *m)
{
	if (oh_sc_action_denies(m->def))
		return true;
	for (uint32_t i = 0; i < m->nrules; i++)
		if (oh_sc_action_denies(m->rules[i].action) && names_resolve(&m->rules[i]))
			return true;
	return false;
}

bool oh_seccomp_blocks_something(const struct jval *obj)
{
	struct oh_error err;
	struct oh_sc_profile m;

	/* Read leniently (docker keys allowed): either form may come here. */
	if (oh_seccomp_decode(obj, true, "profile", &m, &err) < 0)
		return false;
	bool b = oh_seccomp_model_blocks_something(&m);
	oh_sc_profile_free(&m);
	return b;
}

/* ---------------------------------------------------- docker profiles */

struct profile {
	struct jdoc *doc;
	const struct jval *root;
	bool static_text;          /* built in: the texts are in the binary */
	char *path;
	struct oh_sc_profile m;
};

int profile_parse(char *buf, size_t len, const char *name,
		  struct profile **out, struct oh_error *err)
{
	struct jdoc *doc;

	if (json_parse(buf, len, name, &doc, err) < 0)
		return oh_err_wrap(err, "seccomp profile");
	return profile_from_doc(doc, name, out, err);
}

int profile_from_doc(struct jdoc *doc, const char *name, struct profile **out,
		     struct oh_error *err)
{
	struct profile *p = xcalloc(1, sizeof(*p));

	if (oh_seccomp_decode(json_root(doc), true, name, &p->m, err) < 0) {
		json_free(doc);
		free(p);
		return oh_err_wrap(err, "invalid seccomp profile");
	}
	p->doc = doc;
	p->root = json_root(doc);
	p->path = xstrdup(name);
	*out = p;
	return 0;
}

size_t profile_problems(const struct jval *root, const char *name,
			profile_problem_fn fn, void *ctx)
{
	struct oh_error err = { 0 };
	struct oh_sc_profile m;
	struct chk c = { .source = name, .err = &err, .docker = true, .m = &m };
	const struct jval *sys = jobj_get(root, "syscalls");
	struct where top_at = { .base = "" }, sys_at = at_key(&top_at, "syscalls");
	size_t n = 0;

	memset(&m, 0, sizeof(m));
	if (root->type != J_OBJECT) {
		chk_type(&c, root, &top_at, J_OBJECT);
		fn(ctx, -1, err.msg);
		return 1;
	}
	/* Each entry on its own, so one bad entry does not hide the next. */
	if (sys != NULL && sys->type == J_ARRAY) {
		for (uint32_t i = 0; i < sys->len; i++) {
			struct where e = at_idx(&sys_at, i);
			struct oh_sc_rule r;
			if (chk_rule(&c, &sys->u.items[i], &e, &r) < 0) {
				fn(ctx, i, err.msg);
				n++;
			}
		}
	}
	/* Then everything but the entries, on a shallow copy without them. */
	struct jval top = *root;
	cleanup_free struct jmember *mb = xcalloc(root->len + 1, sizeof(*mb));
	top.len = 0;
	top.u.members = mb;
	for (uint32_t i = 0; i < root->len; i++)
		if (sys == NULL || sys->type != J_ARRAY ||
		    &root->u.members[i].val != sys)
			mb[top.len++] = root->u.members[i];
	if (chk_profile(&c, &top, &top_at) < 0) {
		fn(ctx, -1, err.msg);
		n++;
	}
	oh_sc_profile_free(&m);
	return n;
}

static const struct builtin_profile *builtin(const char *name)
{
	for (size_t i = 0; i < oh_builtin_profile_count; i++)
		if (strcmp(oh_builtin_profiles[i].name, name) == 0)
			return &oh_builtin_profiles[i];
	return NULL;
}

bool profile_is_builtin(const char *spec)
{
	return builtin(spec) != NULL;
}

/*
 * A built-in profile as a tree in doc; its texts stay in the pool.  The
 * nodes come breadth first, each container's children consecutive and
 * after it, so one pass in order fills every node into the place its
 * parent made for it.
 */
static struct jval **from_builtin(struct jdoc *doc, const struct builtin_profile *b,
				  struct jval *root)
{
	const struct builtin_node *nodes = oh_builtin_nodes + b->root;
	struct jval **place = xmalloc((size_t)b->nodes * sizeof(*place));

	place[0] = root;
	for (uint32_t i = 0; i < b->nodes; i++) {
		const struct builtin_node *n = &nodes[i];
		struct jval *v = place[i];
		uint32_t first = n->at - b->root;  /* containers: the children */

		v->type = n->type;
		v->len = n->len;
		switch (n->type) {
		case J_STRING:
		case J_NUMBER:
			v->u.str = oh_builtin_pool + n->at;
			break;
		case J_ARRAY:
			v->u.items = json_alloc(doc, (size_t)n->len * sizeof(*v->u.items));
			for (uint32_t k = 0; k < n->len; k++)
				place[first + k] = &v->u.items[k];
			break;
		case J_OBJECT:
			v->u.members = json_alloc(doc, (size_t)n->len * sizeof(*v->u.members));
			for (uint32_t k = 0; k < n->len; k++) {
				struct jmember *m = &v->u.members[k];
				m->key = oh_builtin_pool + nodes[first + k].key;
				m->klen = nodes[first + k].klen;
				place[first + k] = &m->val;
			}
			break;
		default:
			v->u.str = NULL;
			break;
		}
	}
	return place;
}

static const struct jval *node(struct jval **place, uint32_t i)
{
	return i == OH_BUILTIN_NONE ? NULL : place[i];
}

static const char *node_text(struct jval **place, uint32_t i)
{
	return i == OH_BUILTIN_NONE ? NULL : place[i]->u.str;
}

static void filter_from_builtin(struct jval **place, const struct builtin_filter *b,
				struct oh_sc_filter *f)
{
	f->caps = node(place, b->caps);
	f->ncaps = b->ncaps;
	f->arches = node(place, b->arches);
	f->narches = b->narches;
	f->min_kernel = node_text(place, b->min_kernel);
	memcpy(f->min_kernel_v, b->min_kernel_v, sizeof(f->min_kernel_v));
}

/*
 * The model the generator decoded, with its node indexes turned back into
 * pointers into the tree from_builtin built: no string is compared.
 */
static void model_from_builtin(struct jdoc *doc, const struct builtin_model *bm,
			       struct jval **place, struct oh_sc_profile *m)
{
	memset(m, 0, sizeof(*m));
	m->docker = true;
	m->def = (enum oh_sc_action)bm->def;
	m->def_v = node(place, bm->def_v);
	m->has_def_errno = bm->has_def_errno;
	m->def_errno = bm->def_errno;
	m->def_errno_name = node_text(place, bm->def_errno_name);
	m->narches = bm->narches;
	m->arches = json_alloc(doc, (bm->narches + 1) * sizeof(*m->arches));
	for (uint32_t i = 0; i < bm->narches; i++)
		m->arches[i] = oh_sc_arch_at(oh_builtin_arch_refs[bm->arches + i]);
	m->arches_v = node(place, bm->arches_v);
	m->narchmap = bm->narchmap;
	m->archmap = json_alloc(doc, (bm->narchmap + 1) * sizeof(*m->archmap));
	for (uint32_t i = 0; i < bm->narchmap; i++) {
		const struct builtin_archmap *ba = &oh_builtin_archmaps[bm->archmap + i];
		struct oh_sc_archmap *am = &m->archmap[i];
		am->arch = oh_sc_arch_at(ba->arch);
		am->nsub = ba->nsub;
		am->sub = json_alloc(doc, (ba->nsub + 1) * sizeof(*am->sub));
		for (uint32_t k = 0; k < ba->nsub; k++)
			am->sub[k] = oh_sc_arch_at(oh_builtin_arch_refs[ba->sub + k]);
		am->sub_v = node(place, ba->sub_v);
	}
	m->flags = bm->flags;
	m->flags_v = node(place, bm->flags_v);
	m->listener_path_v = node(place, bm->listener_path_v);
	m->listener_metadata_v = node(place, bm->listener_metadata_v);
	m->nrules = bm->nrules;
	m->rules = json_alloc(doc, (bm->nrules + 1) * sizeof(*m->rules));
	for (uint32_t i = 0; i < bm->nrules; i++) {
		const struct builtin_rule *br = &oh_builtin_rules[bm->rules + i];
		struct oh_sc_rule *r = &m->rules[i];
		memset(r, 0, sizeof(*r));
		r->src = node(place, br->src);
		r->names = node(place, br->names);
		r->nnames = br->nnames;
		r->names_v = node(place, br->names_v);
		r->action = (enum oh_sc_action)br->action;
		r->action_v = node(place, br->action_v);
		r->has_errno = br->has_errno;
		r->errno_ret = br->errno_ret;
		r->errno_name = node_text(place, br->errno_name);
		r->comment = node_text(place, br->comment);
		r->has_includes = br->has_includes;
		r->has_excludes = br->has_excludes;
		filter_from_builtin(place, &br->includes, &r->includes);
		filter_from_builtin(place, &br->excludes, &r->excludes);
		r->nargs = br->nargs;
		r->args = json_alloc(doc, (br->nargs + 1) * sizeof(*r->args));
		for (uint32_t k = 0; k < br->nargs; k++) {
			const struct builtin_cond *bc = &oh_builtin_conds[br->args + k];
			r->args[k] = (struct oh_sc_cond){
				.index = bc->index, .op = (enum oh_sc_op)bc->op,
				.value = bc->value, .value_two = bc->value_two,
				.index_v = node(place, bc->index_v), .value_v = node(place, bc->value_v),
				.value_two_v = node(place, bc->value_two_v), .op_v = node(place, bc->op_v),
			};
		}
	}
}

int profile_load(const char *path, struct profile **out, struct oh_error *err)
{
	const struct builtin_profile *b = builtin(path);
	char *buf;
	size_t len;

	if (b != NULL) {
		struct profile *p = xcalloc(1, sizeof(*p));
		p->doc = json_new();
		cleanup_free struct jval **place = from_builtin(p->doc, b, json_root(p->doc));
		p->static_text = true;
		p->root = json_root(p->doc);
		p->path = xstrdup(b->name);
		/* Checked and decoded by the generator when it was built in. */
		model_from_builtin(p->doc, &oh_builtin_models[b - oh_builtin_profiles],
				   place, &p->m);
		*out = p;
		return 0;
	}
	if (oh_read_file(path, OH_MAX_INPUT, &buf, &len, err) < 0)
		return oh_err_wrap(err, "seccomp profile");
	return profile_parse(buf, len, path, out, err);
}

void profile_free(struct profile *p)
{
	if (p == NULL)
		return;
	oh_sc_profile_free(&p->m);
	json_free(p->doc);
	free(p->path);
	free(p);
}

const char *profile_path(const struct profile *p)
{
	return p->path;
}

const struct jval *profile_root(const struct profile *p)
{
	return p->root;
}

const struct oh_sc_profile *profile_model(const struct profile *p)
{
	return &p->m;
}

static bool str_in(const struct jval *arr, const char *s)
{
	if (arr == NULL || arr->type != J_ARRAY)
		return false;
	for (uint32_t i = 0; i < arr->len; i++)
		if (jv_is_str(&arr->u.items[i], s))
			return true;
	return false;
}

static bool strs_in(const struct jval *list, uint32_t n, const char *s)
{
	for (uint32_t i = 0; i < n; i++)
		if (strcmp(list[i].u.str, s) == 0)
			return true;
	return false;
}

/* Where translation builds: the document, and whether the profile's texts
 * outlive it (a built-in profile's are in the binary) and can be shared. */
struct xlate {
	struct jdoc *doc;
	bool share_text;
};

/* Deep copy of a value into another document. */
static struct jval copy_val(const struct xlate *x, const struct jval *v)
{
	struct jval r;

	switch (v->type) {
	case J_STRING:
	case J_NUMBER:
		if (x->share_text)
			return *v;
		r = jv_strn(x->doc, v->u.str, v->len);
		r.type = v->type;
		return r;
	case J_ARRAY:
		r = jv_array(x->doc, v->len);
		for (uint32_t i = 0; i < v->len; i++)
			r.u.items[i] = copy_val(x, &v->u.items[i]);
		return r;
	case J_OBJECT:
		r = jv_object(x->doc, v->len);
		for (uint32_t i = 0; i < v->len; i++)
			jobj_init_member(x->doc, &r, i, v->u.members[i].key,
					 copy_val(x, &v->u.members[i].val));
		return r;
	default:
		return *v;
	}
}

/* A text that outlives every document (the tables', the binary's pool). */
static struct jval static_str(const char *s)
{
	return (struct jval){ .type = J_STRING, .len = (uint32_t)strlen(s), .u.str = s };
}

/* Appends a "; "-separated clause to an explanation buffer (may be NULL). */
static void why_add(char *why, size_t cap, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void why_add(char *why, size_t cap, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	if (why == NULL || cap == 0)
		return;
	n = strlen(why);
	if (n > 0 && n + 3 < cap) {
		memcpy(why + n, "; ", 3);
		n += 2;
	}
	va_start(ap, fmt);
	vsnprintf(why + n, cap - n, fmt, ap);
	va_end(ap);
}

/* A failed condition is the whole explanation: what held before it is noise. */
#define WHY_FAIL(...)                                   \
	do {                                            \
		if (why != NULL && cap > 0)             \
			why[0] = '\0';                  \
		why_add(why, cap, __VA_ARGS__);         \
		return false;                           \
	} while (0)

/*
 * The one place that decides whether an includes/excludes-gated entry
 * applies (moby's semantics); explain shows its reasons, translation uses
 * only its answer, so the two cannot disagree.
 */
bool oh_sc_rule_applies(const struct oh_sc_rule *r, const struct jval *bounding,
			const struct host_facts *h, char *why, size_t cap)
{
	const struct oh_sc_filter *exc = &r->excludes, *inc = &r->includes;
	char kern[48] = "";

	/* Only an explanation shows the kernel: translation asks once per
	 * entry of the profile and needs no text. */
	if (why != NULL && cap > 0) {
		why[0] = '\0';
		snprintf(kern, sizeof(kern), "%u.%u.%u", h->kernel[0], h->kernel[1],
			 h->kernel[2]);
	}
	if (r->has_excludes) {
		if (strs_in(exc->arches, exc->narches, h->goarch))
			WHY_FAIL("excludes.arches names %s, the host's architecture", h->goarch);
		for (uint32_t i = 0; i < exc->ncaps; i++)
			if (str_in(bounding, exc->caps[i].u.str))
				WHY_FAIL("excludes.caps: the container has %s", exc->caps[i].u.str);
		if (exc->ncaps > 0)
			why_add(why, cap, "excludes.caps: the container has none of them");
		if (exc->min_kernel != NULL) {
			if (host_kernel_cmp(h->kernel, exc->min_kernel_v) >= 0)
				WHY_FAIL("excludes.minKernel %s: the kernel is %s",
					 exc->min_kernel, kern);
			why_add(why, cap, "excludes.minKernel %s: the kernel %s is older",
				exc->min_kernel, kern);
		}
	}
	if (r->has_includes) {
		if (inc->narches > 0) {
			if (!strs_in(inc->arches, inc->narches, h->goarch))
				WHY_FAIL("includes.arches does not name %s, the host's architecture",
					 h->goarch);
			why_add(why, cap, "includes.arches names %s", h->goarch);
		}
		for (uint32_t i = 0; i < inc->ncaps; i++)
			if (!str_in(bounding, inc->caps[i].u.str))
				WHY_FAIL("includes.caps: the container lacks %s", inc->caps[i].u.str);
		if (inc->ncaps > 0)
			why_add(why, cap, "includes.caps: the container has all of them");
		if (inc->min_kernel != NULL) {
			if (host_kernel_cmp(h->kernel, inc->min_kernel_v) < 0)
				WHY_FAIL("includes.minKernel %s: the kernel %s is older",
					 inc->min_kernel, kern);
			why_add(why, cap, "includes.minKernel %s: the kernel is %s",
				inc->min_kernel, kern);
		}
	}
	return true;
}
#undef WHY_FAIL

bool profile_entry_applies(const struct jval *rule, const struct jval *bounding,
			   const struct host_facts *h, char *why, size_t cap)
{
	struct oh_error err;
	struct oh_sc_profile m;
	struct oh_sc_rule r;
	struct chk c = { .source = "entry", .err = &err, .docker = true, .m = &m };
	struct where w = { .base = "" };

	memset(&m, 0, sizeof(m));
	if (why != NULL && cap > 0)
		why[0] = '\0';
	bool ok = chk_rule(&c, rule, &w, &r) == 0 &&
		  oh_sc_rule_applies(&r, bounding, h, why, cap);
	oh_sc_profile_free(&m);
	return ok;
}

static struct jval translate_args(const struct xlate *x, const struct oh_sc_rule *r)
{
	struct jdoc *doc = x->doc;
	struct jval out = jv_array(doc, r->nargs);

	for (uint32_t i = 0; i < r->nargs; i++) {
		const struct oh_sc_cond *a = &r->args[i];
		uint32_t n = 0;

		bool with_two = a->value_two_v != NULL && a->value_two != 0;
		struct jval o = jv_object(doc, with_two ? 4 : 3);
		jobj_init_member(doc, &o, n++, "index", copy_val(x, a->index_v));
		jobj_init_member(doc, &o, n++, "value",
				 a->value_v ? copy_val(x, a->value_v) : jv_u64(doc, 0));
		if (with_two)
			jobj_init_member(doc, &o, n++, "valueTwo", copy_val(x, a->value_two_v));
		jobj_init_member(doc, &o, n++, "op", copy_val(x, a->op_v));
		out.u.items[i] = o;
	}
	return out;
}

int profile_translate(const struct profile *p, struct jdoc *doc,
		      const struct jval *bounding, const struct host_facts *h,
		      struct jval *out, struct oh_error *err)
{
	return profile_translate_indexed(p, doc, bounding, h, out, NULL, err);
}

uint32_t profile_entry_count(const struct profile *p)
{
	return p->m.nrules;
}

/* The architectures of the translation: an explicit list as it is, else
 * the native arch and its sub-architectures from archMap. */
static struct jval translate_arches(const struct xlate *x, const struct oh_sc_profile *m,
				    const struct host_facts *h)
{
	struct jval arches = { .type = J_NULL };

	if (m->narches > 0) {
		if (m->arches_v != NULL)
			return copy_val(x, m->arches_v);
		arches = jv_array(x->doc, m->narches);
		for (uint32_t i = 0; i < m->narches; i++)
			arches.u.items[i] = static_str(m->arches[i]->scmp);
		return arches;
	}
	for (uint32_t i = 0; i < m->narchmap; i++) {
		const struct oh_sc_archmap *am = &m->archmap[i];
		if (strcmp(am->arch->scmp, h->arch) != 0)
			continue;
		arches = jv_array(x->doc, am->nsub + 1);
		arches.u.items[0] = jv_str(x->doc, h->arch);
		for (uint32_t k = 0; k < am->nsub; k++)
			arches.u.items[k + 1] = am->sub_v != NULL ?
				copy_val(x, &am->sub_v->u.items[k]) :
				static_str(am->sub[k]->scmp);
		break;
	}
	return arches;
}

int profile_translate_indexed(const struct profile *p, struct jdoc *doc,
			      const struct jval *bounding,
			      const struct host_facts *h, struct jval *out,
			      uint32_t *src, struct oh_error *err)
{
	const struct xlate x = { .doc = doc, .share_text = p->static_text };
	const struct oh_sc_profile *m = &p->m;
	struct jval rules, arches = translate_arches(&x, m, h);
	uint32_t nrules = 0;

	rules = jv_array(doc, m->nrules);
	for (uint32_t i = 0; i < m->nrules; i++) {
		const struct oh_sc_rule *r = &m->rules[i];
		struct jval outnames;

		if (r->nnames == 0 || !oh_sc_rule_applies(r, bounding, h, NULL, 0))
			continue;
		if (r->names_v != NULL) {
			outnames = copy_val(&x, r->names_v);
		} else {
			outnames = jv_array(doc, 1);
			outnames.u.items[0] = copy_val(&x, &r->names[0]);
		}
		bool has_args = r->nargs > 0;
		struct jval o = jv_object(doc, 2 + r->has_errno + has_args);
		uint32_t n = 0;
		jobj_init_member(doc, &o, n++, "names", outnames);
		jobj_init_member(doc, &o, n++, "action", copy_val(&x, r->action_v));
		if (r->has_errno)
			jobj_init_member(doc, &o, n++, "errnoRet", jv_u64(doc, r->errno_ret));
		if (has_args)
			jobj_init_member(doc, &o, n++, "args", translate_args(&x, r));
		if (src != NULL)
			src[nrules] = i;
		rules.u.items[nrules++] = o;
	}
	rules.len = nrules;

	const struct jval *passthrough[] = { m->flags_v, m->listener_path_v,
					     m->listener_metadata_v };
	static const char *const passkeys[] = { "flags", "listenerPath",
						"listenerMetadata" };
	uint32_t count = 1 + m->has_def_errno + (arches.type == J_ARRAY) + (nrules > 0);
	for (size_t k = 0; k < N(passthrough); k++)
		count += passthrough[k] != NULL;

	struct jval obj = jv_object(doc, count);
	uint32_t n = 0;
	jobj_init_member(doc, &obj, n++, "defaultAction", copy_val(&x, m->def_v));
	if (m->has_def_errno)
		jobj_init_member(doc, &obj, n++, "defaultErrnoRet", jv_u64(doc, m->def_errno));
	if (arches.type == J_ARRAY)
		jobj_init_member(doc, &obj, n++, "architectures", arches);
	for (size_t k = 0; k < N(passthrough); k++)
		if (passthrough[k] != NULL)
			jobj_init_member(doc, &obj, n++, passkeys[k], copy_val(&x, passthrough[k]));
	if (nrules > 0)
		jobj_init_member(doc, &obj, n++, "syscalls", rules);
	*out = obj;
	(void)err;
	return 0;
}
