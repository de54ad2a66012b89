/* SPDX-License-Identifier: Apache-2.0 */
#include "seccomp.h"

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

static const char *const actions[] = {
	"SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD",
	"SCMP_ACT_TRAP", "SCMP_ACT_ERRNO", "SCMP_ACT_TRACE", "SCMP_ACT_ALLOW",
	"SCMP_ACT_LOG", "SCMP_ACT_NOTIFY",
};

static const char *const ops[] = {
	"SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE", "SCMP_CMP_EQ",
	"SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ",
};

static const char *const flags[] = {
	"SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG",
	"SECCOMP_FILTER_FLAG_SPEC_ALLOW", "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV",
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static bool in_list(const char *const *list, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(list[i], s) == 0)
			return true;
	return false;
}

bool seccomp_action_known(const char *a)
{
	return in_list(actions, N(actions), a);
}

bool seccomp_action_denies(const char *a)
{
	return strcmp(a, "SCMP_ACT_ALLOW") != 0 && strcmp(a, "SCMP_ACT_LOG") != 0;
}

bool seccomp_op_known(const char *op)
{
	return in_list(ops, N(ops), op);
}

bool seccomp_flag_known(const char *f)
{
	return in_list(flags, N(flags), f);
}

/* ------------------------------------------------------ shared checking */

/* A small checker over a JSON object with a base pointer for messages. */
struct chk {
	const char *source;
	struct oh_error *err;
	/* Docker profiles may use keys the OCI form has not (includes...). */
	bool docker;
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

static int chk_strings(struct chk *c, const struct jval *v, const struct where *w)
{
	if (chk_type(c, v, w, J_ARRAY) < 0)
		return -1;
	for (uint32_t i = 0; i < v->len; i++) {
		if (v->u.items[i].type == J_STRING)
			continue;
		struct where e = at_idx(w, i);
		return chk_type(c, &v->u.items[i], &e, J_STRING);
	}
	return 0;
}

static int chk_u64(struct chk *c, const struct jval *v, const struct where *w,
		   uint64_t max)
{
	uint64_t x;

	if (chk_type(c, v, w, J_NUMBER) < 0)
		return -1;
	if (!jv_get_u64(v, &x) || x > max)
		return bad(c, w, "must be a non-negative integer in range");
	return 0;
}

/*
 * An errno a filter returns.  libseccomp refuses SCMP_ACT_ERRNO above 4095
 * (MAX_ERRNO, the end of the kernel's errno space), so runc refuses such a
 * profile at container start; every front end says so now, without the
 * compile `check` does.
 */
static int chk_errno(struct chk *c, const struct jval *v, const struct where *w)
{
	uint64_t x;

	if (chk_type(c, v, w, J_NUMBER) < 0)
		return -1;
	if (!jv_get_u64(v, &x) || x > 4095)
		return bad(c, w, "must be an errno from 0 to 4095 (libseccomp refuses more)");
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
	for (int e = 1; e < 4096; e++) {
		const char *n = strerrorname_np(e);
		if (n != NULL && strcmp(n, s) == 0) {
			*out = (uint64_t)e;
			return 0;
		}
	}
	return -1;
}

static int chk_args(struct chk *c, const struct jval *args, const struct where *w)
{
	if (chk_type(c, args, w, J_ARRAY) < 0)
		return -1;
	for (uint32_t i = 0; i < args->len; i++) {
		const struct jval *a = &args->u.items[i];
		struct where p = at_idx(w, i);
		if (chk_type(c, a, &p, J_OBJECT) < 0)
			return -1;
		bool have_index = false, have_op = false;
		for (uint32_t k = 0; k < a->len; k++) {
			const struct jmember *m = &a->u.members[k];
			struct where q = at_key(&p, m->key);
			if (strcmp(m->key, "index") == 0) {
				if (chk_u64(c, &m->val, &q, 5) < 0)
					return -1;
				have_index = true;
			} else if (strcmp(m->key, "value") == 0 ||
				   strcmp(m->key, "valueTwo") == 0) {
				if (chk_u64(c, &m->val, &q, UINT64_MAX) < 0)
					return -1;
			} else if (strcmp(m->key, "op") == 0) {
				if (chk_type(c, &m->val, &q, J_STRING) < 0)
					return -1;
				if (!seccomp_op_known(m->val.u.str))
					return bad(c, &q, "unknown comparison operator");
				have_op = true;
			} else {
				return bad(c, &q, "unknown key");
			}
		}
		if (!have_index || !have_op)
			return bad(c, &p, "an argument comparison needs index and op");
	}
	return 0;
}

static int chk_filter(struct chk *c, const struct jval *f, const struct where *w)
{
	unsigned k3[3];

	if (chk_type(c, f, w, J_OBJECT) < 0)
		return -1;
	for (uint32_t k = 0; k < f->len; k++) {
		const struct jmember *m = &f->u.members[k];
		struct where q = at_key(w, m->key);
		if (strcmp(m->key, "caps") == 0 || strcmp(m->key, "arches") == 0) {
			if (chk_strings(c, &m->val, &q) < 0)
				return -1;
		} else if (strcmp(m->key, "minKernel") == 0) {
			if (chk_type(c, &m->val, &q, J_STRING) < 0)
				return -1;
			if (host_parse_kernel(m->val.u.str, k3) < 0)
				return bad(c, &q, "not a kernel version (X.Y)");
		} else {
			return bad(c, &q, "unknown key");
		}
	}
	return 0;
}

static int chk_rule(struct chk *c, const struct jval *r, const struct where *w)
{
	bool have_action = false;
	const struct jval *names = NULL, *name = NULL;

	if (chk_type(c, r, w, J_OBJECT) < 0)
		return -1;
	for (uint32_t k = 0; k < r->len; k++) {
		const struct jmember *m = &r->u.members[k];
		const struct jval *v = &m->val;
		struct where q = at_key(w, m->key);
		if (strcmp(m->key, "names") == 0) {
			if (chk_strings(c, v, &q) < 0)
				return -1;
			names = v;
		} else if (strcmp(m->key, "action") == 0) {
			if (chk_type(c, v, &q, J_STRING) < 0)
				return -1;
			if (!seccomp_action_known(v->u.str))
				return bad(c, &q, "unknown seccomp action");
			have_action = true;
		} else if (strcmp(m->key, "errnoRet") == 0) {
			if (chk_errno(c, v, &q) < 0)
				return -1;
		} else if (strcmp(m->key, "args") == 0) {
			/* containers-common's own seccomp.json says "args": null
			 * (a nil Go slice); podman reads it as no arguments. */
			if (c->docker && v->type == J_NULL)
				continue;
			if (chk_args(c, v, &q) < 0)
				return -1;
		} else if (c->docker && strcmp(m->key, "name") == 0) {
			if (chk_type(c, v, &q, J_STRING) < 0)
				return -1;
			name = v;
		} else if (c->docker && strcmp(m->key, "errno") == 0) {
			uint64_t e;
			if (chk_type(c, v, &q, J_STRING) < 0)
				return -1;
			if (errno_from_name(v->u.str, &e) < 0)
				return bad(c, &q, "unknown errno name");
		} else if (c->docker && strcmp(m->key, "comment") == 0) {
			if (chk_type(c, v, &q, J_STRING) < 0)
				return -1;
		} else if (c->docker && (strcmp(m->key, "includes") == 0 ||
					 strcmp(m->key, "excludes") == 0)) {
			if (chk_filter(c, v, &q) < 0)
				return -1;
		} else {
			return bad(c, &q, "unknown key");
		}
	}
	if (!have_action)
		return bad(c, w, "a syscall rule needs an action");
	if (name != NULL && names != NULL && names->len > 0)
		return bad(c, w, "a syscall rule has both name and names");
	return 0;
}

static int chk_arches(struct chk *c, const struct jval *v, const struct where *w)
{
	if (chk_strings(c, v, w) < 0)
		return -1;
	for (uint32_t i = 0; i < v->len; i++) {
		if (host_arch_known(v->u.items[i].u.str))
			continue;
		struct where p = at_idx(w, i);
		return bad(c, &p, "unknown architecture");
	}
	return 0;
}

/* Checks a seccomp object; docker-format keys allowed when c->docker. */
static int chk_profile(struct chk *c, const struct jval *obj, const struct where *w)
{
	bool have_default = false;
	const struct jval *arches = NULL, *archmap = NULL;

	if (chk_type(c, obj, w, J_OBJECT) < 0)
		return -1;
	for (uint32_t k = 0; k < obj->len; k++) {
		const struct jmember *m = &obj->u.members[k];
		const struct jval *v = &m->val;
		struct where q = at_key(w, m->key);
		if (strcmp(m->key, "defaultAction") == 0) {
			if (chk_type(c, v, &q, J_STRING) < 0)
				return -1;
			if (!seccomp_action_known(v->u.str))
				return bad(c, &q, "unknown seccomp action");
			have_default = true;
		} else if (strcmp(m->key, "defaultErrnoRet") == 0) {
			if (chk_errno(c, v, &q) < 0)
				return -1;
		} else if (strcmp(m->key, "architectures") == 0) {
			if (chk_arches(c, v, &q) < 0)
				return -1;
			arches = v;
		} else if (strcmp(m->key, "flags") == 0) {
			if (chk_strings(c, v, &q) < 0)
				return -1;
			for (uint32_t i = 0; i < v->len; i++)
				if (!seccomp_flag_known(v->u.items[i].u.str))
					return bad(c, &q, "unknown seccomp flag");
		} else if (strcmp(m->key, "listenerPath") == 0 ||
			   strcmp(m->key, "listenerMetadata") == 0) {
			if (chk_type(c, v, &q, J_STRING) < 0)
				return -1;
		} else if (strcmp(m->key, "syscalls") == 0) {
			if (chk_type(c, v, &q, J_ARRAY) < 0)
				return -1;
			for (uint32_t i = 0; i < v->len; i++) {
				struct where p = at_idx(&q, i);
				if (chk_rule(c, &v->u.items[i], &p) < 0)
					return -1;
			}
		} else if (c->docker && strcmp(m->key, "defaultErrno") == 0) {
			uint64_t e;
			if (chk_type(c, v, &q, J_STRING) < 0)
				return -1;
			if (errno_from_name(v->u.str, &e) < 0)
				return bad(c, &q, "unknown errno name");
		} else if (c->docker && strcmp(m->key, "archMap") == 0) {
			if (chk_type(c, v, &q, J_ARRAY) < 0)
				return -1;
			for (uint32_t i = 0; i < v->len; i++) {
				const struct jval *e = &v->u.items[i];
				struct where p = at_idx(&q, i);
				if (chk_type(c, e, &p, J_OBJECT) < 0)
					return -1;
				const struct jval *a = jobj_get(e, "architecture");
				const struct jval *sub = jobj_get(e, "subArchitectures");
				struct where r = at_key(&p, "architecture");
				if (a == NULL)
					return bad(c, &p, "an archMap entry needs an architecture");
				if (chk_type(c, a, &r, J_STRING) < 0)
					return -1;
				if (!host_arch_known(a->u.str))
					return bad(c, &r, "unknown architecture");
				r = at_key(&p, "subArchitectures");
				if (sub != NULL && chk_arches(c, sub, &r) < 0)
					return -1;
				for (uint32_t j = 0; j < e->len; j++)
					if (strcmp(e->u.members[j].key, "architecture") != 0 &&
					    strcmp(e->u.members[j].key, "subArchitectures") != 0) {
						r = at_key(&p, e->u.members[j].key);
						return bad(c, &r, "unknown key");
					}
			}
			archmap = v;
		} else {
			return bad(c, &q, "unknown key");
		}
	}
	if (!have_default)
		return bad(c, w, "a seccomp profile needs a defaultAction");
	if (arches != NULL && archmap != NULL && arches->len > 0 && archmap->len > 0)
		return bad(c, w, "a profile has both architectures and archMap");
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

int seccomp_validate_oci(const struct spec *s, const struct jval *obj,
			 struct oh_error *err)
{
	struct chk c = { .source = s->source, .err = err, .docker = false };
	struct where w = { .base = "/linux/seccomp" };

	if (chk_profile(&c, obj, &w) < 0)
		return oh_err_wrap(err, "invalid seccomp profile in the config");
	return 0;
}

/*
 * Well-formed is not enough for `check`: a rule libseccomp refuses makes runc
 * refuse the container, and a user checking a config wants to hear that now.
 * The hooks skip this (tens of milliseconds per config): there a profile
 * runc cannot load fails closed at container start by itself.
 */
int seccomp_compile_check(const struct spec *s, struct oh_error *err)
{
	struct first_note f = { .source = s->source, .err = err };
	size_t insns;

	if (s->seccomp == NULL)
		return 0;
	int rc = bpf_compile(s->seccomp, NULL, 0, &insns, keep_first_error, &f, err);
	if (rc < 0) {
		oh_err_wrap(err, "%s: /linux/seccomp", s->source);
		return oh_err_wrap(err, "invalid seccomp profile in the config");
	}
	if (rc > 0)
		return oh_err_wrap(err, "invalid seccomp profile in the config");
	return 0;
}

/*
 * Whether a rule's names include a system call the kernel knows.  runc and
 * crun skip names libseccomp cannot resolve ("no_such_call", "UNSHARE"), so a
 * denying rule that names only such calls loads nothing into the filter: a
 * profile of ALLOW plus such a rule lets every system call through.
 */
static bool names_resolve(const struct jval *names)
{
	for (uint32_t i = 0; i < names->len; i++) {
		const struct jval *n = &names->u.items[i];
		if (n->type == J_STRING &&
		    seccomp_syscall_resolve_name(n->u.str) != __NR_SCMP_ERROR)
			return true;
	}
	return false;
}

bool seccomp_blocks_something(const struct jval *obj)
{
	const struct jval *def = jobj_get(obj, "defaultAction");
	const struct jval *sys = jobj_get(obj, "syscalls");

	if (def == NULL || def->type != J_STRING)
		return false;
	if (seccomp_action_denies(def->u.str))
		return true;
	if (sys == NULL || sys->type != J_ARRAY)
		return false;
	for (uint32_t i = 0; i < sys->len; i++) {
		const struct jval *r = &sys->u.items[i];
		const struct jval *a = jobj_get(r, "action");
		const struct jval *n = jobj_get(r, "names");
		if (a != NULL && a->type == J_STRING && seccomp_action_denies(a->u.str) &&
		    n != NULL && n->type == J_ARRAY && names_resolve(n))
			return true;
	}
	return false;
}

/* ---------------------------------------------------- docker profiles */

struct profile {
	struct jdoc *doc;
	const struct jval *root;
	bool static_text;          /* built in: the texts are in the binary */
	char *path;
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
	struct chk c = { .source = name, .err = err, .docker = true };
	struct where w = { .base = "" };

	if (chk_profile(&c, json_root(doc), &w) < 0) {
		json_free(doc);
		return oh_err_wrap(err, "invalid seccomp profile");
	}
	struct profile *p = xcalloc(1, sizeof(*p));
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
	struct chk c = { .source = name, .err = &err, .docker = true };
	const struct jval *sys = jobj_get(root, "syscalls");
	struct where top_at = { .base = "" }, sys_at = at_key(&top_at, "syscalls");
	size_t n = 0;

	if (root->type != J_OBJECT) {
		chk_type(&c, root, &top_at, J_OBJECT);
		fn(ctx, -1, err.msg);
		return 1;
	}
	/* Each entry on its own, so one bad entry does not hide the next. */
	if (sys != NULL && sys->type == J_ARRAY) {
		for (uint32_t i = 0; i < sys->len; i++) {
			struct where e = at_idx(&sys_at, i);
			if (chk_rule(&c, &sys->u.items[i], &e) < 0) {
				fn(ctx, i, err.msg);
				n++;
			}
		}
	}
	/* Then everything but the entries, on a shallow copy without them. */
	struct jval top = *root;
	cleanup_free struct jmember *m = xcalloc(root->len + 1, sizeof(*m));
	top.len = 0;
	top.u.members = m;
	for (uint32_t i = 0; i < root->len; i++)
		if (sys == NULL || sys->type != J_ARRAY ||
		    &root->u.members[i].val != sys)
			m[top.len++] = root->u.members[i];
	if (chk_profile(&c, &top, &top_at) < 0) {
		fn(ctx, -1, err.msg);
		n++;
	}
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
static void from_builtin(struct jdoc *doc, const struct builtin_profile *b,
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
	free(place);
}

int profile_load(const char *path, struct profile **out, struct oh_error *err)
{
	const struct builtin_profile *b = builtin(path);
	char *buf;
	size_t len;

	if (b != NULL) {
		/* Checked by the generator when it was built in. */
		struct profile *p = xcalloc(1, sizeof(*p));
		p->doc = json_new();
		from_builtin(p->doc, b, json_root(p->doc));
		p->static_text = true;
		p->root = json_root(p->doc);
		p->path = xstrdup(b->name);
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

static bool str_in(const struct jval *arr, const char *s)
{
	if (arr == NULL || arr->type != J_ARRAY)
		return false;
	for (uint32_t i = 0; i < arr->len; i++)
		if (jv_is_str(&arr->u.items[i], s))
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
bool profile_entry_applies(const struct jval *rule, const struct jval *bounding,
			   const struct host_facts *h, char *why, size_t cap)
{
	const struct jval *inc = jobj_get(rule, "includes");
	const struct jval *exc = jobj_get(rule, "excludes");
	const struct jval *v;
	unsigned k[3];
	char kern[48] = "";

	/* Only an explanation shows the kernel: translation asks once per
	 * entry of the profile and needs no text. */
	if (why != NULL && cap > 0) {
		why[0] = '\0';
		snprintf(kern, sizeof(kern), "%u.%u.%u", h->kernel[0], h->kernel[1],
			 h->kernel[2]);
	}
	if (exc != NULL) {
		if (str_in(jobj_get(exc, "arches"), h->goarch))
			WHY_FAIL("excludes.arches names %s, the host's architecture", h->goarch);
		v = jobj_get(exc, "caps");
		for (uint32_t i = 0; v != NULL && i < v->len; i++)
			if (str_in(bounding, v->u.items[i].u.str))
				WHY_FAIL("excludes.caps: the container has %s", v->u.items[i].u.str);
		if (v != NULL && v->len > 0)
			why_add(why, cap, "excludes.caps: the container has none of them");
		v = jobj_get(exc, "minKernel");
		if (v != NULL) {
			host_parse_kernel(v->u.str, k);
			if (host_kernel_cmp(h->kernel, k) >= 0)
				WHY_FAIL("excludes.minKernel %s: the kernel is %s", v->u.str, kern);
			why_add(why, cap, "excludes.minKernel %s: the kernel %s is older",
				v->u.str, kern);
		}
	}
	if (inc != NULL) {
		v = jobj_get(inc, "arches");
		if (v != NULL && v->len > 0) {
			if (!str_in(v, h->goarch))
				WHY_FAIL("includes.arches does not name %s, the host's architecture",
					 h->goarch);
			why_add(why, cap, "includes.arches names %s", h->goarch);
		}
		v = jobj_get(inc, "caps");
		for (uint32_t i = 0; v != NULL && i < v->len; i++)
			if (!str_in(bounding, v->u.items[i].u.str))
				WHY_FAIL("includes.caps: the container lacks %s", v->u.items[i].u.str);
		if (v != NULL && v->len > 0)
			why_add(why, cap, "includes.caps: the container has all of them");
		v = jobj_get(inc, "minKernel");
		if (v != NULL) {
			host_parse_kernel(v->u.str, k);
			if (host_kernel_cmp(h->kernel, k) < 0)
				WHY_FAIL("includes.minKernel %s: the kernel %s is older", v->u.str, kern);
			why_add(why, cap, "includes.minKernel %s: the kernel is %s", v->u.str, kern);
		}
	}
	return true;
}
#undef WHY_FAIL

static bool entry_applies(const struct jval *rule, const struct jval *bounding,
			  const struct host_facts *h)
{
	return profile_entry_applies(rule, bounding, h, NULL, 0);
}

/* The errno a rule returns: the "errno" name wins over errnoRet, as in podman. */
static bool rule_errno(const struct jval *obj, const char *namekey,
		       const char *numkey, uint64_t *out)
{
	const struct jval *n = jobj_get(obj, namekey);

	if (n != NULL && n->type == J_STRING && n->len > 0)
		return errno_from_name(n->u.str, out) == 0;
	return jv_get_u64(jobj_get(obj, numkey), out);
}

static struct jval translate_args(const struct xlate *x, const struct jval *args)
{
	struct jdoc *doc = x->doc;
	struct jval out = jv_array(doc, args->len);

	for (uint32_t i = 0; i < args->len; i++) {
		const struct jval *a = &args->u.items[i];
		const struct jval *idx = jobj_get(a, "index");
		const struct jval *val = jobj_get(a, "value");
		const struct jval *two = jobj_get(a, "valueTwo");
		const struct jval *op = jobj_get(a, "op");
		uint64_t v2 = 0;
		uint32_t n = 0;

		bool with_two = two != NULL && jv_get_u64(two, &v2) && v2 != 0;
		struct jval o = jv_object(doc, with_two ? 4 : 3);
		jobj_init_member(doc, &o, n++, "index", copy_val(x, idx));
		jobj_init_member(doc, &o, n++, "value",
				 val ? copy_val(x, val) : jv_u64(doc, 0));
		if (with_two)
			jobj_init_member(doc, &o, n++, "valueTwo", copy_val(x, two));
		jobj_init_member(doc, &o, n++, "op", copy_val(x, op));
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
	const struct jval *sys = jobj_get(p->root, "syscalls");

	return sys != NULL && sys->type == J_ARRAY ? sys->len : 0;
}

int profile_translate_indexed(const struct profile *p, struct jdoc *doc,
			      const struct jval *bounding,
			      const struct host_facts *h, struct jval *out,
			      uint32_t *src, struct oh_error *err)
{
	const struct xlate x = { .doc = doc, .share_text = p->static_text };
	const struct jval *root = p->root;
	const struct jval *sys = jobj_get(root, "syscalls");
	const struct jval *v;
	struct jval rules, arches = { .type = J_NULL };
	uint32_t nrules = 0;
	uint64_t e;

	/* Architectures: an explicit list as it is, else the native arch and
	 * its sub-architectures from archMap. */
	v = jobj_get(root, "architectures");
	if (v != NULL && v->len > 0) {
		arches = copy_val(&x, v);
	} else if ((v = jobj_get(root, "archMap")) != NULL) {
		for (uint32_t i = 0; i < v->len; i++) {
			const struct jval *m = &v->u.items[i];
			if (!jv_is_str(jobj_get(m, "architecture"), h->arch))
				continue;
			const struct jval *sub = jobj_get(m, "subArchitectures");
			uint32_t ns = sub ? sub->len : 0;
			arches = jv_array(doc, ns + 1);
			arches.u.items[0] = jv_str(doc, h->arch);
			for (uint32_t k = 0; k < ns; k++)
				arches.u.items[k + 1] = copy_val(&x, &sub->u.items[k]);
			break;
		}
	}

	uint32_t nsys = sys ? sys->len : 0;
	rules = jv_array(doc, nsys);
	for (uint32_t i = 0; i < nsys; i++) {
		const struct jval *r = &sys->u.items[i];
		const struct jval *names = jobj_get(r, "names");
		const struct jval *name = jobj_get(r, "name");
		const struct jval *args = jobj_get(r, "args");
		struct jval outnames;

		if (!entry_applies(r, bounding, h))
			continue;
		if (names != NULL && names->len > 0) {
			outnames = copy_val(&x, names);
		} else if (name != NULL && name->len > 0) {
			outnames = jv_array(doc, 1);
			outnames.u.items[0] = copy_val(&x, name);
		} else {
			continue;
		}
		bool has_errno = rule_errno(r, "errno", "errnoRet", &e);
		bool has_args = args != NULL && args->len > 0;
		struct jval o = jv_object(doc, 2 + has_errno + has_args);
		uint32_t n = 0;
		jobj_init_member(doc, &o, n++, "names", outnames);
		jobj_init_member(doc, &o, n++, "action", copy_val(&x, jobj_get(r, "action")));
		if (has_errno)
			jobj_init_member(doc, &o, n++, "errnoRet", jv_u64(doc, e));
		if (has_args)
			jobj_init_member(doc, &o, n++, "args", translate_args(&x, args));
		if (src != NULL)
			src[nrules] = i;
		rules.u.items[nrules++] = o;
	}
	rules.len = nrules;

	static const char *const passthrough[] = { "flags", "listenerPath",
						   "listenerMetadata" };
	bool has_def_errno = rule_errno(root, "defaultErrno", "defaultErrnoRet", &e);
	uint32_t count = 1 + has_def_errno + (arches.type == J_ARRAY) + (nrules > 0);
	for (size_t k = 0; k < N(passthrough); k++)
		if (jobj_get(root, passthrough[k]) != NULL)
			count++;

	struct jval obj = jv_object(doc, count);
	uint32_t n = 0;
	jobj_init_member(doc, &obj, n++, "defaultAction",
			 copy_val(&x, jobj_get(root, "defaultAction")));
	if (has_def_errno)
		jobj_init_member(doc, &obj, n++, "defaultErrnoRet", jv_u64(doc, e));
	if (arches.type == J_ARRAY)
		jobj_init_member(doc, &obj, n++, "architectures", arches);
	for (size_t k = 0; k < N(passthrough); k++)
		if ((v = jobj_get(root, passthrough[k])) != NULL)
			jobj_init_member(doc, &obj, n++, passthrough[k], copy_val(&x, v));
	if (nrules > 0)
		jobj_init_member(doc, &obj, n++, "syscalls", rules);
	*out = obj;
	(void)err;
	return 0;
}
