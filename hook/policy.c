/* SPDX-License-Identifier: Apache-2.0 */
#include "policy.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/capability.h>

#include "caps.h"
#include "json.h"
#include "paths.h"
#include "ohseccomp.h"
#include "scgroups.h"
#include "util.h"

#define DEFAULT_APPARMOR_PROFILE "docker-default"

/* The kernel's numbers (linux/capability.h), so that reading the policy
 * does not need the name table. */
#define CAP_BIT(c) (1ull << (c))
static const uint64_t default_caps =
	CAP_BIT(CAP_CHOWN) | CAP_BIT(CAP_DAC_OVERRIDE) | CAP_BIT(CAP_FOWNER) |
	CAP_BIT(CAP_FSETID) | CAP_BIT(CAP_KILL) | CAP_BIT(CAP_NET_BIND_SERVICE) |
	CAP_BIT(CAP_SETFCAP) | CAP_BIT(CAP_SETGID) | CAP_BIT(CAP_SETPCAP) |
	CAP_BIT(CAP_SETUID) | CAP_BIT(CAP_SYS_CHROOT);

/*
 * Host paths whose bind mount hands the host over: its filesystem and
 * configuration, the kernel's interfaces, boot and module files, the
 * engines' state and API sockets (a container that reaches one starts a
 * privileged container of its own), the kubelet's credentials.  /var/run
 * is spelled /run: sources are compared after that rewrite.
 */
static const char *const default_sensitive[] = {
	"/", "/boot", "/dev", "/etc", "/etc/kubernetes", "/etc/shadow", "/etc/ssh",
	"/etc/sudoers", "/lib", "/lib/modules", "/proc/**", "/root", "/root/.ssh",
	"/run/containerd", "/run/containerd/containerd.sock", "/run/crio",
	"/run/crio/crio.sock", "/run/dbus/system_bus_socket", "/run/docker",
	"/run/docker.sock", "/run/podman", "/run/podman/podman.sock",
	"/run/systemd/private", "/sys", "/sys/**", "/usr", "/usr/lib/modules",
	"/var/lib/containerd", "/var/lib/containers", "/var/lib/docker",
	"/var/lib/kubelet", "/var/lib/kubelet/pki", "/var/log",
};

/* podman reads these hooks.d directories (CRI-O its configured ones). */
static const char *const default_hooks_dirs[] = {
	"/usr/share/containers/oci/hooks.d", "/etc/containers/oci/hooks.d",
};

static int by_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

size_t strlist_lower(const struct strlist *l, const char *s)
{
	size_t lo = 0, hi = l->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(l->v[mid], s) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

bool strlist_has(const struct strlist *l, const char *s)
{
	size_t i = strlist_lower(l, s);

	return i < l->n && strcmp(l->v[i], s) == 0;
}

static void strlist_add(struct strlist *l, const char *s)
{
	/* Doubling at each power of two keeps long lists linear. */
	if (l->n == 0 || (l->n & (l->n - 1)) == 0)
		l->v = xrealloc(l->v, (l->n ? l->n * 2 : 1) * sizeof(*l->v));
	l->v[l->n++] = xstrdup(s);
}

/* Sorts and drops duplicates. */
static void strlist_settle(struct strlist *l)
{
	size_t k = 0;

	if (l->n == 0)
		return;
	/* The built-in lists come sorted; a policy's additions may not. */
	bool sorted = true;
	for (size_t i = 1; i < l->n && sorted; i++)
		sorted = strcmp(l->v[i - 1], l->v[i]) <= 0;
	if (!sorted)
		qsort(l->v, l->n, sizeof(*l->v), by_str);
	for (size_t i = 0; i < l->n; i++) {
		if (k > 0 && strcmp(l->v[k - 1], l->v[i]) == 0)
			free(l->v[i]);
		else
			l->v[k++] = l->v[i];
	}
	l->n = k;
}

static void strlist_free(struct strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* A sensitive entry goes to the tree list when it ends in slash-star-star. */
static void add_sensitive(struct policy *p, const char *e)
{
	size_t n = strlen(e);

	if (n >= 3 && strcmp(e + n - 3, "/**") == 0) {
		cleanup_free char *base = strndup(e, n - 3);
		strlist_add(&p->sensitive_trees, base[0] ? base : "/");
		strlist_add(&p->sensitive, base[0] ? base : "/");
	} else {
		strlist_add(&p->sensitive, e);
	}
}

/* FNV-1a: see struct strset for why an unkeyed hash will do. */
static uint64_t strset_hash(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ull;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
	return h;
}

static void strset_free(struct strset *set)
{
	free(set->slot);
	free(set->len);
	*set = (struct strset){ 0 };
}

static void strset_init(struct strset *set, size_t n)
{
	strset_free(set);
	set->cap = 16;
	while (set->cap < n * 4)
		set->cap *= 2;
	set->slot = xcalloc(set->cap, sizeof(*set->slot));
	set->len = xcalloc(set->cap, sizeof(*set->len));
}

/* Adds s[0..n) (NUL-terminated at n, kept by the caller) unless present;
 * at most a quarter of the slots may be filled (strset_init). */
static void strset_add(struct strset *set, const char *s, size_t n)
{
	size_t h = (size_t)strset_hash(s, n) & (set->cap - 1);

	for (; set->slot[h] != NULL; h = (h + 1) & (set->cap - 1))
		if (set->len[h] == n && memcmp(set->slot[h], s, n) == 0)
			return;
	set->slot[h] = s;
	set->len[h] = (uint32_t)n;
	set->lens |= 1ull << (n < 63 ? n : 63);
}

/* The set points into l, which must outlive it unchanged. */
static void strset_build(struct strset *set, const struct strlist *l)
{
	strset_init(set, l->n);
	for (size_t i = 0; i < l->n; i++)
		strset_add(set, l->v[i], strlen(l->v[i]));
}

bool strset_has(const struct strset *set, const char *s, size_t n)
{
	/* Most strings asked about have a length no entry has: a path's
	 * ancestors, looked up one by one, are mostly answered here. */
	if (!strset_may_have(set, n))
		return false;
	return strset_has_h(set, s, n, strset_hash(s, n));
}

uint64_t strset_hash_of(const char *s, size_t n)
{
	return strset_hash(s, n);
}

bool strset_has_h(const struct strset *set, const char *s, size_t n, uint64_t hash)
{
	if (set->cap == 0)
		return false;
	for (size_t h = (size_t)hash & (set->cap - 1); set->slot[h] != NULL;
	     h = (h + 1) & (set->cap - 1))
		if (set->len[h] == n && memcmp(set->slot[h], s, n) == 0)
			return true;
	return false;
}

/* Every path a sensitive entry lies below, as sensitive_path asks: p such
 * that p + "/" begins the entry ("/" for every entry that begins with a
 * slash).  Straight into the set, each once: the policy is settled on
 * every hook run, so no sort. */
static void sensitive_above_make(struct policy *p)
{
	size_t most = 0;

	strlist_free(&p->sensitive_above);
	for (size_t i = 0; i < p->sensitive.n; i++)
		for (const char *c = p->sensitive.v[i]; *c != '\0'; c++)
			most += *c == '/';
	strset_init(&p->sensitive_above_set, most);
	for (size_t i = 0; i < p->sensitive.n; i++) {
		const char *e = p->sensitive.v[i];
		for (size_t j = 0; e[j] != '\0'; j++) {
			size_t n = j == 0 ? 1 : j;
			if (e[j] != '/' || strset_has(&p->sensitive_above_set, e, n))
				continue;
			strlist_add(&p->sensitive_above, e);
			p->sensitive_above.v[p->sensitive_above.n - 1][n] = '\0';
			strset_add(&p->sensitive_above_set,
				   p->sensitive_above.v[p->sensitive_above.n - 1], n);
		}
	}
	/* Sized for what it holds, not for every slash counted: the
	 * defaults' set is built into the binary (tools/embed-policy.c) and
	 * its pages are relocated at every start. */
	strset_build(&p->sensitive_above_set, &p->sensitive_above);
}

static void policy_settle_lists(struct policy *p)
{
	strlist_settle(&p->sensitive);
	strlist_settle(&p->sensitive_trees);
	sensitive_above_make(p);
	strset_build(&p->sensitive_set, &p->sensitive);
	strset_build(&p->sensitive_trees_set, &p->sensitive_trees);
	strlist_settle(&p->hooks_allowed);
	strlist_settle(&p->hooks_dirs);
	strlist_settle(&p->sysctls_allowed);
	strlist_settle(&p->annotations_unsafe);
}

uint64_t policy_default_caps(void)
{
	return default_caps;
}

/* Everything of the defaults but the sensitive lists. */
static struct policy *defaults_base(void)
{
	struct policy *p = xcalloc(1, sizeof(*p));

	p->source = xstrdup("<built-in defaults>");
	for (int r = 0; r < RULE_COUNT; r++)
		p->action[r] = rule_table[r].default_action;
	p->allowed_caps = policy_default_caps();
	p->seccomp_profile = xstrdup("default");
	p->apparmor_profile = xstrdup(DEFAULT_APPARMOR_PROFILE);
	p->rootfs_max_files = POLICY_ROOTFS_MAX_FILES;
	p->rootfs_max_seconds = POLICY_ROOTFS_MAX_SECONDS;
	for (size_t i = 0; i < sizeof(default_hooks_dirs) / sizeof(default_hooks_dirs[0]); i++)
		strlist_add(&p->hooks_dirs, default_hooks_dirs[i]);
	strlist_add(&p->hooks_dirs, paths_hooks_dir());
	strlist_add(&p->hooks_allowed, paths_self());
	p->runtime_deadline = POLICY_RUNTIME_DEADLINE;
	/* A restore replays processes the config does not describe, and
	 * verifying them only detects: refused unless the admin asks. */
	p->restore_refuse = true;
	return p;
}

/* The built-in defaults, lists not yet settled: a policy file adds to them
 * and they are settled once, after it. */
static struct policy *defaults_unsettled(void)
{
	struct policy *p = defaults_base();

	for (size_t i = 0; i < sizeof(default_sensitive) / sizeof(default_sensitive[0]); i++)
		add_sensitive(p, default_sensitive[i]);
	return p;
}

struct policy *policy_defaults(void)
{
	if (!oh_default_lists.ready) {
		struct policy *p = defaults_unsettled();
		policy_settle_lists(p);
		return p;
	}
	/* The sensitive lists as the build settled them (about 45,000
	 * instructions per start less); the hooks lists name this binary,
	 * so they are made here. */
	struct policy *p = defaults_base();
	p->sensitive = oh_default_lists.sensitive;
	p->sensitive_trees = oh_default_lists.sensitive_trees;
	p->sensitive_above = oh_default_lists.sensitive_above;
	p->sensitive_set = oh_default_lists.sensitive_set;
	p->sensitive_above_set = oh_default_lists.sensitive_above_set;
	p->sensitive_trees_set = oh_default_lists.sensitive_trees_set;
	p->lists_builtin = true;
	strlist_settle(&p->hooks_allowed);
	strlist_settle(&p->hooks_dirs);
	return p;
}

void policy_freep(struct policy **p)
{
	policy_free(*p);
	*p = NULL;
}

void policy_free(struct policy *p)
{
	if (p == NULL)
		return;
	for (size_t i = 0; i < p->nexemptions; i++) {
		struct exemption *e = &p->exemptions[i];
		for (size_t k = 0; k < e->nmatch; k++) {
			free(e->match[k].key);
			free(e->match[k].pattern);
			regfree(&e->match[k].re);
		}
		free(e->match);
	}
	free(p->exemptions);
	if (!p->lists_builtin) {
		strset_free(&p->sensitive_set);
		strset_free(&p->sensitive_above_set);
		strset_free(&p->sensitive_trees_set);
		strlist_free(&p->sensitive);
		strlist_free(&p->sensitive_trees);
		strlist_free(&p->sensitive_above);
	}
	strlist_free(&p->hooks_allowed);
	strlist_free(&p->hooks_dirs);
	strlist_free(&p->sysctls_allowed);
	strlist_free(&p->annotations_unsafe);
	free(p->source);
	free(p->seccomp_profile);
	for (size_t i = 0; i < p->nworkloads; i++) {
		free(p->workloads[i].ann_key);
		free(p->workloads[i].ann_value);
		free(p->workloads[i].image);
		free(p->workloads[i].profile);
	}
	free(p->workloads);
	free(p->learn_socket);
	free(p->learn_annotation);
	free(p->apparmor_profile);
	free(p->runtime_path);
	free(p->runtime_dialect);
	free(p->audit_file);
	free(p);
}

/* ------------------------------------------------------------- parsing */

struct pp {
	const char *name;
	const char *dir;   /* directory of the policy file, for relative paths */
	struct policy *p;
	struct oh_error *err;
};

static int perr(struct pp *c, const char *ptr, const char *fmt, const char *arg)
{
	char msg[512];

	snprintf(msg, sizeof(msg), fmt, arg ? arg : "");
	return oh_err(c->err, 0, "%s: %s: %s", c->name, ptr[0] ? ptr : "/", msg);
}

static void sub(char *out, size_t cap, const char *base, const char *key)
{
	json_ptr_set(out, cap, base);
	json_ptr_append(out, cap, key, strlen(key));
}

static void subi(char *out, size_t cap, const char *base, size_t i)
{
	json_ptr_set(out, cap, base);
	json_ptr_append_index(out, cap, i);
}

static int expect(struct pp *c, const struct jval *v, enum jtype t,
		  const char *ptr)
{
	if (v->type == t)
		return 0;
	return perr(c, ptr, "must be %s", jtype_name(t));
}

/* A number of seconds above 0, at most an hour (deadlines, walk bounds). */
static int parse_seconds(struct pp *c, const struct jval *x, const char *q, double *out)
{
	char num[64];
	char *end;
	double s;

	if (x->type != J_NUMBER || x->len >= sizeof(num))
		return perr(c, q, "must be a number of seconds above 0, at most 3600", NULL);
	memcpy(num, x->u.str, x->len);
	num[x->len] = '\0';
	s = strtod(num, &end);
	if (*end != '\0' || !(s > 0 && s <= 3600))
		return perr(c, q, "must be a number of seconds above 0, at most 3600", NULL);
	*out = s;
	return 0;
}

static int parse_rules(struct pp *c, const struct jval *v, const char *ptr)
{
	char q[512];

	if (expect(c, v, J_OBJECT, ptr) < 0)
		return -1;
	for (uint32_t i = 0; i < v->len; i++) {
		const struct jmember *m = &v->u.members[i];
		enum action a;
		int r = rule_by_id(m->key);
		bool ok_action = m->val.type == J_STRING && action_parse(m->val.u.str, &a) == 0;

		if (r >= 0 && ok_action && (a != ACT_FIX || rule_fixable(r))) {
			c->p->action[r] = a;
			continue;
		}
		/* The member's pointer only for the message: a policy names
		 * every rule, and the hook reads it at every start. */
		sub(q, sizeof(q), ptr, m->key);
		if (r < 0)
			return perr(c, q, "unknown rule id \"%s\" (see `oci-harden rules`)",
				    m->key);
		if (!ok_action)
			return perr(c, q, "must be one of \"deny\", \"fix\", \"warn\", \"off\"",
				    NULL);
		return perr(c, q, "rule \"%s\" cannot be fixed automatically; use "
			    "deny, warn or off", m->key);
	}
	return 0;
}

/*
 * An object whose only member is `key` holding a value of type t; *out is
 * that value (NULL when the object is empty), *outptr its pointer.
 */
static int only_member(struct pp *c, const struct jval *v, const char *ptr,
		       const char *key, enum jtype t, const struct jval **out,
		       char *outptr, size_t cap)
{
	*out = NULL;
	if (expect(c, v, J_OBJECT, ptr) < 0)
		return -1;
	for (uint32_t i = 0; i < v->len; i++) {
		const struct jmember *m = &v->u.members[i];
		sub(outptr, cap, ptr, m->key);
		if (strcmp(m->key, key) != 0)
			return perr(c, outptr, "unknown key", NULL);
		if (expect(c, &m->val, t, outptr) < 0)
			return -1;
		*out = &m->val;
	}
	return 0;
}

static int parse_caps(struct pp *c, const struct jval *v, const char *ptr)
{
	char q[512], r[512];
	const struct jval *list;

	if (only_member(c, v, ptr, "allowed", J_ARRAY, &list, q, sizeof(q)) < 0)
		return -1;
	if (list == NULL)
		return 0;
	c->p->allowed_caps = 0;
	for (uint32_t k = 0; k < list->len; k++) {
		const struct jval *e = &list->u.items[k];
		subi(r, sizeof(r), q, k);
		if (expect(c, e, J_STRING, r) < 0)
			return -1;
		int cap = caps_from_exact(e->u.str);
		if (cap < 0) {
			int loose = caps_from_loose(e->u.str);
			if (loose >= 0) {
				char hint[160];
				snprintf(hint, sizeof(hint), "write \"%s\"", caps_name(loose));
				return perr(c, r, "capability names are written as runc "
					    "reads them: %s", hint);
			}
			return perr(c, r, "unknown capability \"%s\"", e->u.str);
		}
		c->p->allowed_caps |= 1ull << cap;
	}
	return 0;
}

/* A profile as the policy names it: a built-in name, or a path relative
 * to the policy file. */
static int resolve_profile(struct pp *c, const struct jval *prof, const char *q, char **into)
{
	if (expect(c, prof, J_STRING, q) < 0)
		return -1;
	const char *s = prof->u.str;
	if (s[0] == '\0')
		return perr(c, q, "must name a profile: \"default\", \"strict\" or a path",
			    NULL);
	free(*into);
	if (profile_is_builtin(s))
		*into = xstrdup(s);
	else if (s[0] == '/' || c->dir == NULL)
		*into = xstrdup(s);
	else
		*into = oh_path_join(c->dir, s);
	return 0;
}

static int parse_profile(struct pp *c, const struct jval *prof, const char *q)
{
	return resolve_profile(c, prof, q, &c->p->seccomp_profile);
}

/* {"annotation": {KEY: VALUE}} or {"image": GLOB}, and "profile". */
static int parse_workload(struct pp *c, const struct jval *v, const char *ptr,
			  struct seccomp_workload *w)
{
	char q[512];

	if (expect(c, v, J_OBJECT, ptr) < 0)
		return -1;
	for (uint32_t i = 0; i < v->len; i++) {
		const struct jmember *m = &v->u.members[i];
		const struct jval *x = &m->val;

		sub(q, sizeof(q), ptr, m->key);
		if (strcmp(m->key, "annotation") == 0) {
			if (x->type != J_OBJECT || x->len != 1 ||
			    x->u.members[0].val.type != J_STRING || x->u.members[0].klen == 0)
				return perr(c, q, "must be an object of one annotation and "
					    "its value", NULL);
			w->ann_key = xstrdup(x->u.members[0].key);
			w->ann_value = xstrdup(x->u.members[0].val.u.str);
		} else if (strcmp(m->key, "image") == 0) {
			if (x->type != J_STRING || x->len == 0)
				return perr(c, q, "must be an image name pattern", NULL);
			w->image = xstrdup(x->u.str);
		} else if (strcmp(m->key, "profile") == 0) {
			if (resolve_profile(c, x, q, &w->profile) < 0)
				return -1;
		} else {
			return perr(c, q, "unknown key", NULL);
		}
	}
	if ((w->ann_key != NULL) == (w->image != NULL))
		return perr(c, ptr, "a workload is selected by an \"annotation\" or an "
			    "\"image\", one of them", NULL);
	if (w->profile == NULL)
		return perr(c, ptr, "a workload needs a \"profile\"", NULL);
	return 0;
}

static int parse_workloads(struct pp *c, const struct jval *v, const char *q)
{
	char r[512];

	if (expect(c, v, J_ARRAY, q) < 0)
		return -1;
	if (c->p->nworkloads > 0)
		return perr(c, q, "given twice", NULL);
	c->p->workloads = xcalloc(v->len ? v->len : 1, sizeof(*c->p->workloads));
	for (uint32_t i = 0; i < v->len; i++) {
		subi(r, sizeof(r), q, i);
		c->p->nworkloads = i + 1;
		if (parse_workload(c, &v->u.items[i], r, &c->p->workloads[i]) < 0)
			return -1;
	}
	return 0;
}

static int parse_groups(struct pp *c, const struct jval *v, const char *q)
{
	char r[512];

	if (expect(c, v, J_ARRAY, q) < 0)
		return -1;
	c->p->seccomp_groups = 0;
	for (uint32_t i = 0; i < v->len; i++) {
		const struct jval *e = &v->u.items[i];
		subi(r, sizeof(r), q, i);
		if (expect(c, e, J_STRING, r) < 0)
			return -1;
		int g = sc_group_by_name(e->u.str);
		if (g < 0)
			return perr(c, r, "unknown seccomp group \"%s\" (see oci-harden-policy(5))",
				    e->u.str);
		c->p->seccomp_groups |= 1u << g;
	}
	return 0;
}

static int parse_learn(struct pp *c, const struct jval *v, const char *ptr)
{
	char q[512];

	if (expect(c, v, J_OBJECT, ptr) < 0)
		return -1;
	for (uint32_t i = 0; i < v->len; i++) {
		const struct jmember *m = &v->u.members[i];
		char **into;
		sub(q, sizeof(q), ptr, m->key);
		if (strcmp(m->key, "socket") == 0)
			into = &c->p->learn_socket;
		else if (strcmp(m->key, "annotation") == 0)
			into = &c->p->learn_annotation;
		else
			return perr(c, q, "unknown key", NULL);
		if (expect(c, &m->val, J_STRING, q) < 0)
			return -1;
		if (into == &c->p->learn_socket && m->val.u.str[0] != '/')
			return perr(c, q, "must be an absolute path", NULL);
		if (m->val.len == 0)
			return perr(c, q, "must not be empty", NULL);
		free(*into);
		*into = xstrdup(m->val.u.str);
	}
	if (c->p->learn_socket == NULL || c->p->learn_annotation == NULL)
		return perr(c, ptr, "learning needs a \"socket\" and an \"annotation\"", NULL);
	return 0;
}

static int parse_seccomp(struct pp *c, const struct jval *v, const char *ptr)
{
	char q[512];

	if (expect(c, v, J_OBJECT, ptr) < 0)
		return -1;
	for (uint32_t i = 0; i < v->len; i++) {
		const struct jmember *m = &v->u.members[i];
		int rc;
		sub(q, sizeof(q), ptr, m->key);
		if (strcmp(m->key, "profile") == 0)
			rc = parse_profile(c, &m->val, q);
		else if (strcmp(m->key, "groups") == 0)
			rc = parse_groups(c, &m->val, q);
		else if (strcmp(m->key, "learn") == 0)
			rc = parse_learn(c, &m->val, q);
		else if (strcmp(m->key, "workloads") == 0)
			rc = parse_workloads(c, &m->val, q);
		else if (strcmp(m->key, "logDenials") == 0) {
			rc = m->val.type == J_TRUE || m->val.type == J_FALSE
				     ? 0 : perr(c, q, "must be true or false", NULL);
			c->p->log_denials = m->val.type == J_TRUE;
		}
		else
			rc = perr(c, q, "unknown key", NULL);
		if (rc < 0)
			return -1;
	}
	return 0;
}

static int parse_apparmor(struct pp *c, const struct jval *v, const char *ptr)
{
	char q[512];
	const struct jval *prof;

	if (only_member(c, v, ptr, "profile", J_STRING, &prof, q, sizeof(q)) < 0)
		return -1;
	if (prof == NULL)
		return 0;
	if (prof->len == 0 || strcmp(prof->u.str, "unconfined") == 0)
		return perr(c, q, "must name a confining AppArmor profile", NULL);
	free(c->p->apparmor_profile);
	c->p->apparmor_profile = xstrdup(prof->u.str);
	return 0;
}

static int parse_runtime(struct pp *c, const struct jval *v, const char *ptr)
{
	char q[512];

	if (expect(c, v, J_OBJECT, ptr) < 0)
		return -1;
	for (uint32_t i = 0; i < v->len; i++) {
		const struct jmember *m = &v->u.members[i];
		const struct jval *x = &m->val;

		sub(q, sizeof(q), ptr, m->key);
		if (strcmp(m->key, "path") == 0) {
			if (x->type != J_STRING)
				return perr(c, q, "must be a string", NULL);
			if (x->u.str[0] != '/')
				return perr(c, q, "must be an absolute path", NULL);
			free(c->p->runtime_path);
			c->p->runtime_path = xstrdup(x->u.str);
		} else if (strcmp(m->key, "dialect") == 0) {
			if (!jv_is_str(x, "runc") && !jv_is_str(x, "crun"))
				return perr(c, q, "must be \"runc\" or \"crun\"", NULL);
			free(c->p->runtime_dialect);
			c->p->runtime_dialect = xstrdup(x->u.str);
		} else if (strcmp(m->key, "exec") == 0) {
			if (jv_is_str(x, "refuse"))
				c->p->exec_clamp = false;
			else if (jv_is_str(x, "clamp"))
				c->p->exec_clamp = true;
			else
				return perr(c, q, "must be \"refuse\" or \"clamp\"", NULL);
		} else if (strcmp(m->key, "restore") == 0) {
			if (jv_is_str(x, "verify"))
				c->p->restore_refuse = false;
			else if (jv_is_str(x, "refuse"))
				c->p->restore_refuse = true;
			else
				return perr(c, q, "must be \"verify\" or \"refuse\"", NULL);
		} else if (strcmp(m->key, "deadlineSeconds") == 0) {
			if (parse_seconds(c, x, q, &c->p->runtime_deadline) < 0)
				return -1;
		} else {
			return perr(c, q, "unknown key", NULL);
		}
	}
	return 0;
}

static int parse_audit(struct pp *c, const struct jval *v, const char *ptr)
{
	char q[512];
	const struct jval *file;

	if (only_member(c, v, ptr, "file", J_STRING, &file, q, sizeof(q)) < 0)
		return -1;
	if (file == NULL)
		return 0;
	if (file->u.str[0] != '/')
		return perr(c, q, "must be an absolute path", NULL);
	free(c->p->audit_file);
	c->p->audit_file = xstrdup(file->u.str);
	return 0;
}

static int parse_rootfs(struct pp *c, const struct jval *v, const char *ptr)
{
	char q[512];

	if (expect(c, v, J_OBJECT, ptr) < 0)
		return -1;
	for (uint32_t i = 0; i < v->len; i++) {
		const struct jmember *m = &v->u.members[i];
		const struct jval *x = &m->val;

		sub(q, sizeof(q), ptr, m->key);
		if (strcmp(m->key, "scan") == 0) {
			if (x->type != J_TRUE && x->type != J_FALSE)
				return perr(c, q, "must be a boolean", NULL);
			c->p->rootfs_scan = x->type == J_TRUE;
		} else if (strcmp(m->key, "maxFiles") == 0) {
			uint64_t n;
			/* A walk of no entries would hide every finding. */
			if (!jv_get_u64(x, &n) || n < 1 || n > 100000000)
				return perr(c, q, "must be an integer from 1 to 100000000", NULL);
			c->p->rootfs_max_files = (unsigned long)n;
		} else if (strcmp(m->key, "maxSeconds") == 0) {
			if (parse_seconds(c, x, q, &c->p->rootfs_max_seconds) < 0)
				return -1;
		} else {
			return perr(c, q, "unknown key", NULL);
		}
	}
	return 0;
}

/* An array of strings, each checked by ok (NULL: any non-empty string). */
static int parse_list(struct pp *c, const struct jval *v, const char *ptr,
		      bool (*ok)(const char *), const char *why,
		      void (*add)(struct pp *, const char *))
{
	char r[512];

	if (expect(c, v, J_ARRAY, ptr) < 0)
		return -1;
	for (uint32_t k = 0; k < v->len; k++) {
		const struct jval *e = &v->u.items[k];
		subi(r, sizeof(r), ptr, k);
		if (expect(c, e, J_STRING, r) < 0)
			return -1;
		if (e->len == 0 || (ok != NULL && !ok(e->u.str)))
			return perr(c, r, "%s", why);
		add(c, e->u.str);
	}
	return 0;
}

static bool absolute(const char *s)
{
	return s[0] == '/';
}

static void add_sens(struct pp *c, const char *s) { add_sensitive(c->p, s); }
static void add_hook(struct pp *c, const char *s) { strlist_add(&c->p->hooks_allowed, s); }
static void add_dir(struct pp *c, const char *s) { strlist_add(&c->p->hooks_dirs, s); }
static void add_sysctl(struct pp *c, const char *s) { strlist_add(&c->p->sysctls_allowed, s); }
static void add_ann(struct pp *c, const char *s) { strlist_add(&c->p->annotations_unsafe, s); }

static int parse_mounts(struct pp *c, const struct jval *v, const char *ptr)
{
	char q[512];
	const struct jval *list;

	if (only_member(c, v, ptr, "sensitive", J_ARRAY, &list, q, sizeof(q)) < 0)
		return -1;
	return list == NULL ? 0 : parse_list(c, list, q, absolute,
					     "must be an absolute path", add_sens);
}

static int parse_hooks(struct pp *c, const struct jval *v, const char *ptr)
{
	char q[512];

	if (expect(c, v, J_OBJECT, ptr) < 0)
		return -1;
	for (uint32_t i = 0; i < v->len; i++) {
		const struct jmember *m = &v->u.members[i];
		sub(q, sizeof(q), ptr, m->key);
		if (strcmp(m->key, "allowed") == 0) {
			if (parse_list(c, &m->val, q, absolute, "must be an absolute path",
				       add_hook) < 0)
				return -1;
		} else if (strcmp(m->key, "dirs") == 0) {
			/* The policy's directories replace podman's. */
			strlist_free(&c->p->hooks_dirs);
			if (parse_list(c, &m->val, q, absolute, "must be an absolute path",
				       add_dir) < 0)
				return -1;
		} else {
			return perr(c, q, "unknown key", NULL);
		}
	}
	return 0;
}

static int parse_sysctls(struct pp *c, const struct jval *v, const char *ptr)
{
	char q[512];
	const struct jval *list;

	if (only_member(c, v, ptr, "allowed", J_ARRAY, &list, q, sizeof(q)) < 0)
		return -1;
	return list == NULL ? 0 : parse_list(c, list, q, NULL, "must not be empty",
					     add_sysctl);
}

static int parse_annotations(struct pp *c, const struct jval *v, const char *ptr)
{
	char q[512];
	const struct jval *list;

	if (only_member(c, v, ptr, "unsafe", J_ARRAY, &list, q, sizeof(q)) < 0)
		return -1;
	return list == NULL ? 0 : parse_list(c, list, q, NULL, "must not be empty",
					     add_ann);
}

static int parse_exemption(struct pp *c, const struct jval *v, const char *ptr,
			   struct exemption *e)
{
	char q[512], r[512];
	const struct jval *ann = NULL, *rules = NULL;

	if (expect(c, v, J_OBJECT, ptr) < 0)
		return -1;
	for (uint32_t i = 0; i < v->len; i++) {
		const struct jmember *m = &v->u.members[i];
		sub(q, sizeof(q), ptr, m->key);
		if (strcmp(m->key, "annotations") == 0)
			ann = &m->val;
		else if (strcmp(m->key, "rules") == 0)
			rules = &m->val;
		else if (strcmp(m->key, "comment") == 0) {
			if (expect(c, &m->val, J_STRING, q) < 0)
				return -1;
		} else
			return perr(c, q, "unknown key", NULL);
	}
	if (ann == NULL || rules == NULL)
		return perr(c, ptr, "an exemption needs \"annotations\" and \"rules\"", NULL);
	sub(q, sizeof(q), ptr, "annotations");
	if (expect(c, ann, J_OBJECT, q) < 0)
		return -1;
	/* An exemption without a condition would switch a rule off for every
	 * container: that is what "rules": {"id": "off"} is for. */
	if (ann->len == 0)
		return perr(c, q, "an exemption must match at least one annotation", NULL);
	e->match = xcalloc(ann->len, sizeof(*e->match));
	for (uint32_t i = 0; i < ann->len; i++) {
		const struct jmember *m = &ann->u.members[i];
		struct exemption_match *em = &e->match[e->nmatch];
		sub(r, sizeof(r), q, m->key);
		if (expect(c, &m->val, J_STRING, r) < 0)
			return -1;
		cleanup_free char *anchored = xasprintf("^(%s)$", m->val.u.str);
		int rc = regcomp(&em->re, anchored, REG_EXTENDED | REG_NOSUB);
		if (rc != 0) {
			char why[200];
			regerror(rc, &em->re, why, sizeof(why));
			return perr(c, r, "invalid regular expression: %s", why);
		}
		em->key = xstrdup(m->key);
		em->pattern = xstrdup(m->val.u.str);
		e->nmatch++;
	}
	sub(q, sizeof(q), ptr, "rules");
	if (expect(c, rules, J_ARRAY, q) < 0)
		return -1;
	if (rules->len == 0)
		return perr(c, q, "an exemption must list at least one rule", NULL);
	for (uint32_t i = 0; i < rules->len; i++) {
		subi(r, sizeof(r), q, i);
		if (expect(c, &rules->u.items[i], J_STRING, r) < 0)
			return -1;
		int id = rule_by_id(rules->u.items[i].u.str);
		if (id < 0)
			return perr(c, r, "unknown rule id \"%s\"", rules->u.items[i].u.str);
		e->rules |= RULE_BIT(id);
	}
	return 0;
}

static int parse_exemptions(struct pp *c, const struct jval *v, const char *ptr)
{
	char q[512];

	if (expect(c, v, J_ARRAY, ptr) < 0)
		return -1;
	c->p->exemptions = xcalloc(v->len, sizeof(struct exemption));
	for (uint32_t i = 0; i < v->len; i++) {
		subi(q, sizeof(q), ptr, i);
		/* Counted before parsing so policy_free releases a partial entry. */
		c->p->nexemptions++;
		if (parse_exemption(c, &v->u.items[i], q, &c->p->exemptions[i]) < 0)
			return -1;
	}
	return 0;
}

static int parse_root(struct pp *c, const struct jval *root)
{
	char q[512];

	for (uint32_t i = 0; i < root->len; i++) {
		const struct jmember *m = &root->u.members[i];
		const struct jval *v = &m->val;
		uint64_t ver;
		int rc = 0;

		sub(q, sizeof(q), "", m->key);
		if (strcmp(m->key, "version") == 0) {
			if (!jv_get_u64(v, &ver) || ver != 1)
				rc = perr(c, q, "must be 1", NULL);
		} else if (strcmp(m->key, "mode") == 0) {
			if (jv_is_str(v, "enforce"))
				c->p->audit = false;
			else if (jv_is_str(v, "audit"))
				c->p->audit = true;
			else
				rc = perr(c, q, "must be \"enforce\" or \"audit\"", NULL);
		} else if (strcmp(m->key, "rules") == 0) {
			rc = parse_rules(c, v, q);
		} else if (strcmp(m->key, "capabilities") == 0) {
			rc = parse_caps(c, v, q);
		} else if (strcmp(m->key, "seccomp") == 0) {
			rc = parse_seccomp(c, v, q);
		} else if (strcmp(m->key, "apparmor") == 0) {
			rc = parse_apparmor(c, v, q);
		} else if (strcmp(m->key, "exemptions") == 0) {
			rc = parse_exemptions(c, v, q);
		} else if (strcmp(m->key, "runtime") == 0) {
			rc = parse_runtime(c, v, q);
		} else if (strcmp(m->key, "audit") == 0) {
			rc = parse_audit(c, v, q);
		} else if (strcmp(m->key, "rootfs") == 0) {
			rc = parse_rootfs(c, v, q);
		} else if (strcmp(m->key, "mounts") == 0) {
			rc = parse_mounts(c, v, q);
		} else if (strcmp(m->key, "hooks") == 0) {
			rc = parse_hooks(c, v, q);
		} else if (strcmp(m->key, "sysctls") == 0) {
			rc = parse_sysctls(c, v, q);
		} else if (strcmp(m->key, "annotations") == 0) {
			rc = parse_annotations(c, v, q);
		} else if (strcmp(m->key, "$schema") == 0 ||
			   strcmp(m->key, "comment") == 0) {
			if (v->type != J_STRING)
				rc = perr(c, q, "must be a string", NULL);
		} else {
			rc = perr(c, q, "unknown key", NULL);
		}
		if (rc < 0)
			return -1;
	}
	return 0;
}

static bool str_same(const char *a, const char *b)
{
	return a == b || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static bool strlist_same(const struct strlist *a, const struct strlist *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->v[i], b->v[i]) != 0)
			return false;
	return true;
}

/* Every member but source and lists_builtin; the sets are made from the
 * lists compared here.  The built-in default policy is only as right as
 * this comparison is complete: a member added to struct policy stops the
 * build here until it is compared below (and this size updated). */
#if defined(__x86_64__) && defined(__LP64__)
_Static_assert(sizeof(struct policy) == 520,
	       "struct policy changed: compare the new member in policy_same");
#endif
bool policy_same(const struct policy *a, const struct policy *b)
{
	if (a->audit != b->audit || a->allowed_caps != b->allowed_caps ||
	    memcmp(a->action, b->action, sizeof(a->action)) != 0 ||
	    !str_same(a->seccomp_profile, b->seccomp_profile) ||
	    a->seccomp_groups != b->seccomp_groups ||
	    !str_same(a->learn_socket, b->learn_socket) ||
	    !str_same(a->learn_annotation, b->learn_annotation) ||
	    a->log_denials != b->log_denials || a->nworkloads != b->nworkloads ||
	    !str_same(a->apparmor_profile, b->apparmor_profile) ||
	    a->nexemptions != b->nexemptions ||
	    !str_same(a->runtime_path, b->runtime_path) ||
	    !str_same(a->runtime_dialect, b->runtime_dialect) ||
	    a->exec_clamp != b->exec_clamp || a->restore_refuse != b->restore_refuse ||
	    a->runtime_deadline != b->runtime_deadline ||
	    !str_same(a->audit_file, b->audit_file) ||
	    !strlist_same(&a->sensitive, &b->sensitive) ||
	    !strlist_same(&a->sensitive_trees, &b->sensitive_trees) ||
	    !strlist_same(&a->sensitive_above, &b->sensitive_above) ||
	    !strlist_same(&a->hooks_allowed, &b->hooks_allowed) ||
	    !strlist_same(&a->hooks_dirs, &b->hooks_dirs) ||
	    !strlist_same(&a->sysctls_allowed, &b->sysctls_allowed) ||
	    !strlist_same(&a->annotations_unsafe, &b->annotations_unsafe) ||
	    a->rootfs_scan != b->rootfs_scan || a->rootfs_max_files != b->rootfs_max_files ||
	    a->rootfs_max_seconds != b->rootfs_max_seconds)
		return false;
	for (size_t i = 0; i < a->nworkloads; i++) {
		const struct seccomp_workload *x = &a->workloads[i], *y = &b->workloads[i];
		if (!str_same(x->ann_key, y->ann_key) || !str_same(x->ann_value, y->ann_value) ||
		    !str_same(x->image, y->image) || !str_same(x->profile, y->profile))
			return false;
	}
	for (size_t i = 0; i < a->nexemptions; i++) {
		const struct exemption *x = &a->exemptions[i], *y = &b->exemptions[i];
		if (x->rules != y->rules || x->nmatch != y->nmatch)
			return false;
		for (size_t k = 0; k < x->nmatch; k++)
			if (strcmp(x->match[k].key, y->match[k].key) != 0 ||
			    strcmp(x->match[k].pattern, y->match[k].pattern) != 0)
				return false;
	}
	return true;
}

/*
 * The policy file the package installs says exactly what the built-in
 * defaults say: the build checks that (tools/embed-policy.c) and builds its
 * text in.  A file of those very bytes is therefore the defaults, with no
 * parse: nothing is cached or trusted beyond the binary itself, and a file
 * that differs by one byte is parsed as always.  (About 130,000
 * instructions per hook run, bench/RESULTS.md run H4.)
 */
static bool is_default_text(const char *buf, size_t len)
{
	return oh_default_policy_len > 0 && len == oh_default_policy_len &&
	       memcmp(buf, oh_default_policy_text, len) == 0;
}

int policy_parse(char *buf, size_t len, const char *name,
		 struct policy **out, struct oh_error *err)
{
	if (is_default_text(buf, len)) {
		free(buf);
		/* The defaults, under the name of the file that said them. */
		*out = policy_defaults();
		free((*out)->source);
		(*out)->source = xstrdup(name);
		return 0;
	}
	return policy_parse_text(buf, len, name, out, err);
}

int policy_parse_text(char *buf, size_t len, const char *name,
		      struct policy **out, struct oh_error *err)
{
	struct jdoc *doc;
	struct policy *p;
	cleanup_free char *dir = NULL;
	const char *slash = strrchr(name, '/');

	if (json_parse(buf, len, name, &doc, err) < 0)
		return oh_err_wrap(err, "invalid policy");
	if (slash != NULL)
		dir = slash == name ? xstrdup("/") : strndup(name, (size_t)(slash - name));
	p = defaults_unsettled();
	free(p->source);
	p->source = xstrdup(name);
	struct pp c = { .name = name, .dir = dir ? dir : ".", .p = p, .err = err };
	if (parse_root(&c, json_root(doc)) < 0) {
		json_free(doc);
		policy_free(p);
		return oh_err_wrap(err, "invalid policy");
	}
	json_free(doc);
	policy_settle_lists(p);
	*out = p;
	return 0;
}

int policy_load(const char *path, struct policy **out, struct oh_error *err)
{
	char *buf;
	size_t len;

	if (path == NULL) {
		path = paths_default_policy();
		if (access(path, F_OK) < 0 && errno == ENOENT) {
			*out = policy_defaults();
			return 0;
		}
	}
	if (oh_read_file(path, OH_MAX_INPUT, &buf, &len, err) < 0)
		return oh_err_wrap(err, "cannot read the policy");
	return policy_parse(buf, len, path, out, err);
}
