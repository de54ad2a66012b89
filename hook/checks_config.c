/* SPDX-License-Identifier: Apache-2.0 */
/* The checks and fixes of a config (and of an exec'd process). */
#include "check.h"

#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caps.h"
#include "dedup.h"
#include "learn.h"
#include "policy.h"
#include "scgroups.h"
#include "ohseccomp.h"
#include "scstrength.h"
#include "util.h"


static bool jv_get_i64_member(const struct jval *obj, const char *key, int64_t *out)
{
	const struct jval *v = jobj_get(obj, key);

	return v != NULL && jv_get_i64(v, out);
}

void check_add(struct check_ctx *c, const char *pointer, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	decision_addv(c->d, c->rule, c->action, pointer, fmt, ap);
	va_end(ap);
}

void check_nnp(struct check_ctx *c)
{
	if (c->s->nnp == NULL)
		check_add(c, "/process/noNewPrivileges",
			  "process.noNewPrivileges is not set: setuid binaries and file "
			  "capabilities can raise the process's privileges");
	else if (c->s->nnp->type != J_TRUE)
		check_add(c, "/process/noNewPrivileges",
			  "process.noNewPrivileges is false: setuid binaries and file "
			  "capabilities can raise the process's privileges");
}

uint64_t check_set_mask(const struct jval *set)
{
	uint64_t m = 0;

	for (uint32_t i = 0; set != NULL && i < set->len; i++) {
		int cap = caps_from_loose_n(set->u.items[i].u.str, set->u.items[i].len);
		if (cap >= 0)
			m |= 1ull << cap;
	}
	return m;
}

/*
 * The cap-all criterion: a set holds at least CAPS_BASE_COUNT - 2 of the
 * CAPS_BASE_COUNT capabilities every kernel since 3.16 knows (CAP_CHOWN ..
 * CAP_AUDIT_READ).  Engines build --privileged and --cap-add=all from the
 * host's bounding set, which may lack one or two (this project's CI host
 * lacks CAP_SYS_RESOURCE), and older engines do not know the capabilities
 * added after 3.16; neither should let such a set pass.
 */
#define CAP_ALL_THRESHOLD (CAPS_BASE_COUNT - 2)

bool rules_capmask_is_all(uint64_t mask)
{
	uint64_t base = (1ull << CAPS_BASE_COUNT) - 1;

	return caps_popcount(mask & base) >= CAP_ALL_THRESHOLD;
}

bool check_set_is_all(const struct jval *set)
{
	return rules_capmask_is_all(check_set_mask(set));
}

void check_set_names(unsigned mask, struct oh_buf *out)
{
	for (int i = 0; i < CS_COUNT; i++) {
		if (!(mask & (1u << i)))
			continue;
		if (out->len > 0)
			oh_buf_puts(out, ", ");
		oh_buf_puts(out, capset_names[i]);
	}
}

void check_cap_all(struct check_ctx *c)
{
	struct oh_buf sets = { 0 };
	int first = -1, held = 0;
	unsigned all = 0;

	for (int i = 0; i < CS_COUNT; i++) {
		/* Read at load: a set may hold a name a million times. */
		uint64_t mask = c->s->capmask[i];
		if (!rules_capmask_is_all(mask))
			continue;
		if (first < 0) {
			first = i;
			held = caps_popcount(mask);
		}
		all |= 1u << i;
	}
	if (first < 0)
		return;
	char ptr[64];
	snprintf(ptr, sizeof(ptr), "/process/capabilities/%s", capset_names[first]);
	check_set_names(all, &sets);
	check_add(c, ptr, "capability sets %s hold all or nearly all capabilities "
		  "(%d of %d): this is what --privileged or --cap-add=all grant",
		  sets.data, held, caps_known());
	oh_buf_free(&sets);
}

/*
 * Names are taken as the same when their keyed 64-bit hashes are (oh_dedup
 * asks only then): they are only listed and counted in a message, and
 * comparing the strings would read each earlier name again from wherever
 * it lies in the config, a cache miss per repeated name (a third of check
 * on 64 MiB of names in five sets).  Two different names agree with a
 * chance of 2^-64 a pair, and nobody can choose them to (the key is
 * secret, per process); at worst the count in the message is one short.
 */
static bool names_same(void *ctx, size_t i, size_t j)
{
	(void)ctx, (void)i, (void)j;
	return true;
}

/*
 * Appends the distinct names of the sets' unknown names (the nu names
 * whose hashes are in hash, in the order the sets hold them), at most
 * shown of them in the order they first appear, and the count of the rest.
 * Hashed under a key per process (json_key_hash) and counted a cache-sized
 * piece at a time (oh_dedup_count): linear whatever the input.  A config
 * of 160000 distinct bogus names must not cost a quadratic search, nor
 * the sorts that did this before (half of such a config's instructions).
 * The names shown are found by reading the sets again up to the last of
 * them: no array of millions of names to list sixteen.
 */
static void list_distinct(const struct spec *s, const uint64_t *hash, size_t nu,
			  size_t shown, struct oh_buf *out)
{
	cleanup_free uint64_t *firsts = xmalloc(((nu + 63) / 64) * sizeof(*firsts));
	size_t distinct = oh_dedup_count(hash, nu, names_same, NULL, firsts);
	size_t idx = 0, listed = 0;

	for (int i = 0; i < CS_COUNT && listed < shown && listed < distinct; i++) {
		const struct jval *set = s->capset[i];
		if (s->capinexact[i] == 0)
			continue;   /* every name a capability's: none unknown */
		for (uint32_t k = 0; set != NULL && k < set->len && listed < shown; k++) {
			const char *name = set->u.items[k].u.str;
			if (caps_from_exact_n(name, set->u.items[k].len) >= 0)
				continue;
			if (firsts[idx / 64] & (1ull << (idx % 64))) {
				if (listed++ > 0)
					oh_buf_puts(out, ", ");
				/* An empty name would vanish from the list: show it quoted. */
				oh_buf_puts(out, name[0] ? name : "\"\"");
			}
			idx++;
		}
	}
	if (distinct > shown)
		oh_buf_printf(out, " and %zu more", distinct - shown);
}

void check_cap_not_allowed(struct check_ctx *c)
{
	enum { SHOWN = 16 };
	struct oh_buf bad = { 0 }, unknown = { 0 }, sets = { 0 };
	char first[96] = "", first_unknown[96] = "";
	uint64_t *hash = NULL;
	size_t nu = 0, total = 0;
	uint64_t badcaps = 0;
	unsigned in_sets = 0;
	int nbad = 0;

	for (int i = 0; i < CS_COUNT; i++)
		total += c->s->capset[i] ? c->s->capset[i]->len : 0;
	for (int i = 0; i < CS_COUNT; i++) {
		const struct jval *set = c->s->capset[i];
		/* A set of allowed names, all spelled exactly, adds nothing (the
		 * spec read its names at load; a million of them are not read
		 * again at every judgement). */
		if (c->s->capinexact[i] == 0 && (c->s->capexact[i] & ~c->p->allowed_caps) == 0)
			continue;
		for (uint32_t k = 0; set != NULL && k < set->len; k++) {
			const char *name = set->u.items[k].u.str;
			int cap = caps_from_exact_n(name, set->u.items[k].len);
			char *ptr = cap < 0 ? first_unknown : first;

			if (cap >= 0 && (c->p->allowed_caps & (1ull << cap)))
				continue;
			if (cap < 0) {
				if (hash == NULL)
					hash = oh_big_grow(NULL, 0, oh_big_size(total * sizeof(*hash)));
				hash[nu++] = json_key_hash(name, set->u.items[k].len);
			} else if (!(badcaps & (1ull << cap))) {
				badcaps |= 1ull << cap;
				if (nbad++ > 0)
					oh_buf_puts(&bad, ", ");
				oh_buf_puts(&bad, name);
			}
			in_sets |= 1u << i;
			if (ptr[0] == '\0')
				snprintf(ptr, 96, "/process/capabilities/%s/%u",
					 capset_names[i], k);
		}
	}
	check_set_names(in_sets, &sets);
	if (nbad == 1)
		check_add(c, first, "%s (in %s) is not in the allowlist", bad.data, sets.data);
	else if (nbad > 1)
		check_add(c, first, "%d capabilities are not in the allowlist: %s (in %s)",
			  nbad, bad.data, sets.data);
	if (nu > 0) {
		list_distinct(c->s, hash, nu, SHOWN, &unknown);
		check_add(c, first_unknown, "not capability names as runc reads them: %s",
			  unknown.data);
	}
	oh_big_free(hash, oh_big_size(total * sizeof(*hash)));
	oh_buf_free(&bad);
	oh_buf_free(&unknown);
	oh_buf_free(&sets);
}

/* Whether the config asks to learn its profile, in the way the policy lets
 * it: the policy names a recorder and an annotation, the config sets that
 * annotation to "true". */
static bool learning(const struct spec *s, const struct policy *p)
{
	const char *v;

	return p->learn_socket != NULL && p->learn_annotation != NULL &&
	       (v = spec_annotation(s, p->learn_annotation)) != NULL &&
	       strcmp(v, "true") == 0;
}

#define FLAG_LOG "SECCOMP_FILTER_FLAG_LOG"

/* The annotations engines record the image name in: CRI-O, containerd's
 * CRI plugin.  podman (--rootfs) and Docker record none in config.json. */
static const char *const image_annotations[] = {
	"io.kubernetes.cri-o.ImageName",
	"io.kubernetes.cri.image-name",
};

const struct seccomp_workload *seccomp_workload_of(const struct spec *s,
						   const struct policy *p)
{
	for (size_t i = 0; i < p->nworkloads; i++) {
		const struct seccomp_workload *w = &p->workloads[i];
		const char *v;

		if (w->ann_key != NULL) {
			if ((v = spec_annotation(s, w->ann_key)) != NULL &&
			    strcmp(v, w->ann_value) == 0)
				return w;
			continue;
		}
		for (size_t k = 0; k < sizeof(image_annotations) / sizeof(*image_annotations); k++)
			if ((v = spec_annotation(s, image_annotations[k])) != NULL &&
			    fnmatch(w->image, v, 0) == 0)
				return w;
	}
	return NULL;
}

static bool has_log_flag(const struct jval *sc)
{
	const struct jval *f = jobj_get(sc, "flags");

	for (uint32_t i = 0; f != NULL && f->type == J_ARRAY && i < f->len; i++)
		if (jv_is_str(&f->u.items[i], FLAG_LOG))
			return true;
	return false;
}

/* Adds SECCOMP_FILTER_FLAG_LOG to an OCI linux.seccomp object. */
static void add_log_flag(struct jdoc *doc, struct jval *sc)
{
	const struct jval *f = jobj_get(sc, "flags");
	uint32_t n = f != NULL && f->type == J_ARRAY ? f->len : 0;
	struct jval arr = jv_array(doc, n + 1);

	if (has_log_flag(sc))
		return;
	for (uint32_t i = 0; i < n; i++)
		arr.u.items[i] = f->u.items[i];
	arr.u.items[n] = jv_str(doc, FLAG_LOG);
	jobj_set(doc, sc, "flags", arr);
}

/*
 * The OCI linux.seccomp a config gets from profile `file`: translated for
 * its bounding set, refused unless it confines (the strength check), with
 * the policy's groups and log flag.  The one builder of what fix installs
 * and what seccomp-workload-profile compares with.
 */
/*
 * The profile named `file`, loaded once per process: the pipeline builds
 * from it to validate, judge, fix and judge again (four loads of the same
 * file cost a workload's container start three times its other work), and
 * all four must see one version of the file.
 */
static int profile_once(const char *file, const struct profile **out,
			struct oh_error *err)
{
	static char *path;
	static struct profile *prof;

	if (path == NULL || strcmp(path, file) != 0) {
		struct profile *fresh;
		if (profile_load(file, &fresh, err) < 0)
			return -1;
		profile_free(prof);
		free(path);
		prof = fresh;
		path = xstrdup(file);
	}
	*out = prof;
	return 0;
}

static int build_profile(const struct spec *s, const struct policy *p,
			 const struct host_facts *h, const char *file, struct jdoc *doc,
			 struct jval *out, struct oh_error *err)
{
	const struct profile *prof;
	struct oh_sc_strength st;
	char calls[512];

	if (profile_once(file, &prof, err) < 0)
		return -1;
	if (profile_translate(prof, doc, s->capset[CS_BOUNDING], h, out, err) < 0)
		return oh_err_wrap(err, "%s", file);
	if (oh_seccomp_strength(out, s->capset[CS_BOUNDING], h, &st, err) < 0)
		return oh_err_wrap(err, "%s", file);
	oh_sc_strength_list(&st, calls, sizeof(calls));
	if (!st.blocks_something)
		return oh_err(err, 0, "%s: the seccomp profile blocks nothing; it cannot "
			      "confine a container", file);
	if (!st.confining)
		return oh_err(err, 0, "%s: the seccomp profile allows %s, calls every "
			      "engine's default refuses; it cannot confine a container",
			      file, calls);
	sc_groups_apply(doc, out, p->seccomp_groups, h);
	if (p->log_denials)
		add_log_flag(doc, out);
	return 0;
}

static bool conds_equal(const struct oh_sc_cond *a, const struct oh_sc_cond *b)
{
	return a->index == b->index && a->op == b->op && a->value == b->value &&
	       (a->op != OH_SC_MASKED_EQ || a->value_two == b->value_two);
}

static bool rules_equal(const struct oh_sc_rule *a, const struct oh_sc_rule *b)
{
	if (a->action != b->action || a->has_errno != b->has_errno ||
	    (a->has_errno && a->errno_ret != b->errno_ret) || a->nnames != b->nnames ||
	    a->nargs != b->nargs)
		return false;
	for (uint32_t i = 0; i < a->nnames; i++)
		if (strcmp(oh_sc_rule_name(a, i), oh_sc_rule_name(b, i)) != 0)
			return false;
	for (uint32_t i = 0; i < a->nargs; i++)
		if (!conds_equal(&a->args[i], &b->args[i]))
			return false;
	return true;
}

static const char *str_or_null(const struct jval *v)
{
	return v != NULL && v->type == J_STRING ? v->u.str : NULL;
}

/*
 * Whether two OCI linux.seccomp objects load the same filter: compared on
 * the decoded model, not the text, since an engine writes the config back
 * in its own key order and drops empty members (podman after precreate).
 */
static bool seccomp_same(const struct jval *a, const struct jval *b)
{
	struct oh_sc_profile ma = { 0 }, mb = { 0 };
	struct oh_error err = { 0 };
	bool same = false;

	if (a == NULL || b == NULL)
		return a == b;
	if (oh_seccomp_decode(a, false, "a", &ma, &err) < 0)
		return false;
	if (oh_seccomp_decode(b, false, "b", &mb, &err) < 0) {
		oh_sc_profile_free(&ma);
		return false;
	}
	const char *la = str_or_null(ma.listener_path_v), *lb = str_or_null(mb.listener_path_v);
	same = ma.def == mb.def && ma.has_def_errno == mb.has_def_errno &&
	       (!ma.has_def_errno || ma.def_errno == mb.def_errno) && ma.flags == mb.flags &&
	       ma.narches == mb.narches && ma.nrules == mb.nrules &&
	       ((la == NULL && lb == NULL) || (la && lb && strcmp(la, lb) == 0));
	for (uint32_t i = 0; same && i < ma.narches; i++)
		same = ma.arches[i] == mb.arches[i];
	for (uint32_t i = 0; same && i < ma.nrules; i++)
		same = rules_equal(&ma.rules[i], &mb.rules[i]);
	oh_sc_profile_free(&ma);
	oh_sc_profile_free(&mb);
	return same;
}

int rules_prepare(const struct spec *s, const struct policy *p,
		  const struct host_facts *h, struct oh_error *err)
{
	const struct seccomp_workload *w = seccomp_workload_of(s, p);

	if (w == NULL || p->action[R_SECCOMP_WORKLOAD_PROFILE] == ACT_OFF || learning(s, p))
		return 0;
	struct jdoc *doc = json_new();
	struct jval out;
	int rc = build_profile(s, p, h, w->profile, doc, &out, err);
	json_free(doc);
	if (rc < 0)
		return oh_err_wrap(err, "the seccomp profile seccomp.workloads names for this "
				   "container");
	return 0;
}

void check_seccomp_workload(struct check_ctx *c)
{
	const struct seccomp_workload *w = seccomp_workload_of(c->s, c->p);
	struct oh_error err = { 0 };
	struct jval out;

	/* Learning records under the policy's own profile. */
	if (w == NULL || learning(c->s, c->p))
		return;
	struct jdoc *doc = json_new();
	if (build_profile(c->s, c->p, c->h, w->profile, doc, &out, &err) < 0)
		check_add(c, "/linux/seccomp", "the workload's seccomp profile cannot be "
			  "installed: %s", err.msg);
	else if (!seccomp_same(c->s->seccomp, &out))
		check_add(c, "/linux/seccomp", "the config is a workload of seccomp.workloads "
			  "(%s%s%s%s) whose profile %s is not installed",
			  w->ann_key ? "annotation " : "image ", w->ann_key ? w->ann_key : w->image,
			  w->ann_key ? "=" : "", w->ann_key ? w->ann_value : "", w->profile);
	json_free(doc);
}

void check_seccomp(struct check_ctx *c)
{
	const struct jval *sc = c->s->seccomp;
	const struct jval *agent = jobj_get(sc, "listenerPath");

	if (learning(c->s, c->p)) {
		if (!learn_is_recording(sc, c->p->learn_socket))
			check_add(c, "/linux/seccomp", "the config asks to learn its seccomp "
				  "profile (%s): the recording filter for %s replaces its "
				  "profile", c->p->learn_annotation, c->p->learn_socket);
		return;
	}
	/* A notification listener answers for every call the filter hands
	 * it, and may let any through: only the policy's recorder may. */
	if (agent != NULL && !learn_is_recording(sc, c->p->learn_socket)) {
		check_add(c, "/linux/seccomp/listenerPath", "the seccomp profile hands "
			  "system calls to an agent at %s, which can let any of them "
			  "through", agent->type == J_STRING ? agent->u.str : "?");
		return;
	}
	if (sc == NULL) {
		check_add(c, "/linux/seccomp",
		    "no seccomp profile: every system call is allowed");
		return;
	}
	struct oh_sc_strength st;
	struct oh_error err = { 0 };
	char calls[512];
	if (oh_seccomp_strength(sc, c->s->capset[CS_BOUNDING], c->h, &st, &err) < 0) {
		check_add(c, "/linux/seccomp", "the seccomp profile cannot be judged: %s", err.msg);
	} else if (!st.blocks_something) {
		const struct jval *def = jobj_get(sc, "defaultAction");
		check_add(c, "/linux/seccomp",
			  "the seccomp profile blocks nothing (defaultAction %s and no rule "
			  "that denies)", def ? def->u.str : "?");
	} else if (!st.confining) {
		oh_sc_strength_list(&st, calls, sizeof(calls));
		check_add(c, "/linux/seccomp",
			  "the seccomp profile only looks confining: it allows %s, which "
			  "every engine's default profile refuses", calls);
	} else if (c->p->log_denials && !has_log_flag(sc)) {
		check_add(c, "/linux/seccomp/flags", "the policy logs seccomp denials "
			  "(seccomp.logDenials) but the profile lacks " FLAG_LOG);
	}
}

void check_apparmor(struct check_ctx *c)
{
	const struct jval *a = c->s->apparmor;

	if (a != NULL && strcmp(a->u.str, "unconfined") == 0)
		check_add(c, "/process/apparmorProfile",
		    "process.apparmorProfile is \"unconfined\"");
	else if (c->h->apparmor && (a == NULL || a->len == 0))
		check_add(c, "/process/apparmorProfile",
		    "the host has AppArmor but the process has no profile");
}

static bool seccomp_off(const struct spec *s)
{
	struct oh_sc_strength st;
	struct oh_error err;

	return s->seccomp == NULL ||
	       oh_seccomp_strength(s->seccomp, s->capset[CS_BOUNDING], host_facts(),
				   &st, &err) < 0 || !st.confining;
}

void check_privileged(struct check_ctx *c)
{
	const struct jval *bnd = c->s->capset[CS_BOUNDING];

	if (bnd != NULL && rules_capmask_is_all(c->s->capmask[CS_BOUNDING]) && seccomp_off(c->s) &&
	    (c->s->masked_paths == NULL || c->s->masked_paths->len == 0))
		check_add(c, "/process/capabilities/bounding",
		    "the container is privileged: all capabilities, no seccomp "
		    "filter and no masked paths");
}

/* What every engine masks by default and no workload needs to read. */
static const char *const core_masked[] = {
	"/proc/kcore", "/proc/keys", "/proc/timer_list", "/proc/sched_debug",
	"/sys/firmware",
};
#define N_CORE_MASKED (sizeof(core_masked) / sizeof(core_masked[0]))

static bool masked(const struct spec *s, const char *path)
{
	const struct jval *m = s->masked_paths;

	for (uint32_t i = 0; m != NULL && i < m->len; i++)
		if (strcmp(m->u.items[i].u.str, path) == 0)
			return true;
	return false;
}

void check_masked(struct check_ctx *c)
{
	char missing[256] = "";

	for (size_t i = 0; i < N_CORE_MASKED; i++) {
		if (masked(c->s, core_masked[i]))
			continue;
		if (missing[0])
			strcat(missing, ", ");
		strcat(missing, core_masked[i]);
	}
	if (missing[0])
		check_add(c, "/linux/maskedPaths", "not masked: %s", missing);
}

/* Whether a uid mapping makes container root host root. */
static bool maps_root_to_root(const struct jval *maps, uint32_t *at)
{
	for (uint32_t i = 0; maps != NULL && i < maps->len; i++) {
		int64_t cid, hid, size;
		const struct jval *m = &maps->u.items[i];
		if (!jv_get_i64_member(m, "containerID", &cid) ||
		    !jv_get_i64_member(m, "hostID", &hid) ||
		    !jv_get_i64_member(m, "size", &size))
			continue;
		if (cid <= 0 && 0 < cid + size && hid - cid == 0) {
			*at = i;
			return true;
		}
	}
	return false;
}

void check_namespaces(struct check_ctx *c)
{
	static const char *const need[] = { "pid", "ipc", "uts", "network", "mount" };
	const struct jval *ns = c->s->namespaces;
	bool userns = false;

	for (uint32_t k = 0; ns != NULL && k < ns->len; k++)
		userns |= jv_is_str(jobj_get(&ns->u.items[k], "type"), "user") &&
			  jobj_get(&ns->u.items[k], "path") == NULL;
	for (size_t i = 0; i < sizeof(need) / sizeof(need[0]); i++) {
		const struct jval *found = NULL;
		uint32_t at = 0;

		for (uint32_t k = 0; ns != NULL && k < ns->len; k++)
			if (jv_is_str(jobj_get(&ns->u.items[k], "type"), need[i])) {
				found = &ns->u.items[k];
				at = k;
			}
		if (found == NULL) {
			check_add(c, "/linux/namespaces", "the %s namespace is the host's",
			    need[i]);
			continue;
		}
		/* By inode on this host, not by name: /proc/PID/ns/net of any host
		 * process, or a bind mount of it, is the host's namespace too. */
		const struct jval *path = jobj_get(found, "path");
		if (path != NULL && check_ns_is_host(need[i], path->u.str)) {
			char ptr[64];
			snprintf(ptr, sizeof(ptr), "/linux/namespaces/%u/path", at);
			check_add(c, ptr, "the %s namespace joins the host's (%s)", need[i],
			    path->u.str);
		}
	}
	uint32_t m;
	if (userns && maps_root_to_root(c->s->uid_mappings, &m)) {
		char ptr[64];
		snprintf(ptr, sizeof(ptr), "/linux/uidMappings/%u", m);
		check_add(c, ptr, "the user namespace maps container root to host root "
			  "(uid 0): it confines nothing");
	}
}

/*
 * Measured here, not only a warning as host-namespaces is: crun 1.8 runs a
 * container without a mount namespace chrooted into its rootfs, in the
 * host's mount namespace (masks and all, which runc 1.1 refuses there),
 * and its root with CAP_SYS_CHROOT, in the default allowlist, chroots
 * into a subdirectory, walks ".." out and reads the host's files.  With a
 * path, runc sets up the root in the namespace it joined: it makes that
 * namespace's / rslave, then pivot_root moves every process whose root
 * was the namespace's (all of the host's, for the host's namespace) into
 * the container's rootfs.  Any path counts, another container's namespace
 * as much as the host's: no engine joins a mount namespace.
 */
void check_mount_namespace(struct check_ctx *c)
{
	const struct jval *ns = c->s->namespaces;
	bool found = false;

	for (uint32_t k = 0; ns != NULL && k < ns->len; k++) {
		const struct jval *path = jobj_get(&ns->u.items[k], "path");
		if (!jv_is_str(jobj_get(&ns->u.items[k], "type"), "mount"))
			continue;
		found = true;
		if (path == NULL)
			continue;
		char ptr[64];
		snprintf(ptr, sizeof(ptr), "/linux/namespaces/%u/path", k);
		check_add(c, ptr, "the container joins the mount namespace %s%s: the runtime "
			  "pivots its root there, which moves every process of that namespace "
			  "into the container's root file system", path->u.str,
			  check_ns_is_init("mount", path->u.str) ? " (the host's)" : "");
	}
	if (!found)
		check_add(c, "/linux/namespaces", "the container has no mount namespace of its "
			  "own: the runtime chroots it into the host's file system (crun), "
			  "and root with CAP_SYS_CHROOT walks out of a chroot");
}

void check_root_user(struct check_ctx *c)
{
	if (!c->s->has_uid || c->s->uid == 0)
		check_add(c, "/process/user/uid", "the process runs as root (uid 0)");
}

void check_rootfs(struct check_ctx *c)
{
	if (c->s->root_readonly == NULL || c->s->root_readonly->type != J_TRUE)
		check_add(c, "/root/readonly", "the root filesystem is writable");
}

void check_selinux(struct check_ctx *c)
{
	const struct jval *l = c->s->selinux_label;

	if (!c->h->selinux)
		return;
	if (l == NULL || l->len == 0)
		check_add(c, "/process/selinuxLabel",
		    "the host has SELinux but the process has no label (label=disable)");
	else if (strstr(l->u.str, ":spc_t:") != NULL)
		check_add(c, "/process/selinuxLabel",
		    "the process runs as spc_t, SELinux's unconfined container type");
}

/* ----------------------------------------------------------------- fixes */

struct jval *fix_ensure_object(struct jdoc *doc, struct jval *parent,
				  const char *key)
{
	struct jval *v = jobj_get(parent, key);

	if (v == NULL) {
		jobj_set(doc, parent, key, jv_object(doc, 0));
		v = jobj_get(parent, key);
	}
	return v;
}

int fix_nnp(struct spec *s, const struct policy *p,
		   const struct host_facts *h, struct oh_error *err)
{
	(void)p, (void)h, (void)err;
	struct jval *proc = fix_ensure_object(s->doc, s->root, "process");
	jobj_set(s->doc, proc, "noNewPrivileges", jv_bool(true));
	return 0;
}

/* Keeps only allowlisted, exactly-spelled capabilities, once each. */
int fix_caps(struct spec *s, const struct policy *p,
		    const struct host_facts *h, struct oh_error *err)
{
	(void)h, (void)err;
	for (int i = 0; i < CS_COUNT; i++) {
		struct jval *set = s->capset[i];
		uint64_t seen = 0;
		uint32_t n = 0;

		if (set == NULL)
			continue;
		for (uint32_t k = 0; k < set->len; k++) {
			int cap = caps_from_exact_n(set->u.items[k].u.str, set->u.items[k].len);
			if (cap < 0 || !(p->allowed_caps & (1ull << cap)) ||
			    (seen & (1ull << cap)))
				continue;
			seen |= 1ull << cap;
			set->u.items[n++] = set->u.items[k];
		}
		set->len = n;
	}
	return 0;
}

int fix_seccomp(struct spec *s, const struct policy *p,
		       const struct host_facts *h, struct oh_error *err)
{
	const struct seccomp_workload *w = learning(s, p) ? NULL : seccomp_workload_of(s, p);
	struct jval out;

	/* A confining profile of the config's own that only lacks the log
	 * flag keeps its calls: the flag is the change. */
	if (w == NULL && p->log_denials && s->seccomp != NULL && !seccomp_off(s) &&
	    !learning(s, p) && jobj_get(s->seccomp, "listenerPath") == NULL &&
	    !has_log_flag(s->seccomp)) {
		add_log_flag(s->doc, s->seccomp);
		return 0;
	}
	/* The bounding set as the capability fix left it. */
	if (build_profile(s, p, h, w ? w->profile : p->seccomp_profile, s->doc, &out, err) < 0)
		return -1;
	if (learning(s, p))
		learn_recording_filter(s->doc, &out, p->learn_socket);
	struct jval *lin = fix_ensure_object(s->doc, s->root, "linux");
	jobj_set(s->doc, lin, "seccomp", out);
	return 0;
}

int fix_apparmor(struct spec *s, const struct policy *p,
			const struct host_facts *h, struct oh_error *err)
{
	(void)err;
	struct jval *proc = fix_ensure_object(s->doc, s->root, "process");
	/* runc refuses any profile on a host without AppArmor. */
	if (h->apparmor)
		jobj_set(s->doc, proc, "apparmorProfile", jv_str(s->doc, p->apparmor_profile));
	else
		jobj_del(proc, "apparmorProfile");
	return 0;
}

int fix_masked(struct spec *s, const struct policy *p,
		      const struct host_facts *h, struct oh_error *err)
{
	(void)p, (void)h, (void)err;
	const struct jval *old = s->masked_paths;
	uint32_t have = old ? old->len : 0, add_n = 0;

	for (size_t i = 0; i < N_CORE_MASKED; i++)
		add_n += !masked(s, core_masked[i]);
	struct jval arr = jv_array(s->doc, have + add_n);
	for (uint32_t i = 0; i < have; i++)
		arr.u.items[i] = old->u.items[i];
	for (size_t i = 0; i < N_CORE_MASKED; i++)
		if (!masked(s, core_masked[i]))
			arr.u.items[have++] = jv_str(s->doc, core_masked[i]);
	struct jval *lin = fix_ensure_object(s->doc, s->root, "linux");
	jobj_set(s->doc, lin, "maskedPaths", arr);
	return 0;
}

int fix_rootfs(struct spec *s, const struct policy *p,
		      const struct host_facts *h, struct oh_error *err)
{
	(void)p, (void)h, (void)err;
	struct jval *root = fix_ensure_object(s->doc, s->root, "root");
	jobj_set(s->doc, root, "readonly", jv_bool(true));
	return 0;
}
