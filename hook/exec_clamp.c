/* SPDX-License-Identifier: Apache-2.0 */
#include "exec_clamp.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "caps.h"
#include "host.h"
#include "inspect.h"
#include "json.h"
#include "procview.h"
#include "scstrength.h"
#include "util.h"
#include "verify.h"

/* A copy of s that lives as long as doc: a spec's source is borrowed. */
static const char *doc_str(struct jdoc *doc, const char *s)
{
	size_t n = strlen(s) + 1;
	char *c = json_alloc(doc, n);

	memcpy(c, s, n);
	return c;
}

/* A container id names a directory under the runtime's root. */
static int check_id(const char *id, struct oh_error *err)
{
	if (id == NULL || id[0] == '\0' || strchr(id, '/') != NULL ||
	    strcmp(id, ".") == 0 || strcmp(id, "..") == 0)
		return oh_err(err, 0, "container id \"%s\" cannot name a container",
			      id ? id : "");
	return 0;
}

/* A set of capability names as a mask.  The container's own sets must be
 * names this host knows; an exec's request may hold others (unknown,
 * misspelt), which cap-not-allowed reports and the clamp leaves out, as
 * fix leaves them out of a config. */
static int names_to_mask_as(const struct jval *arr, const char *where, uint64_t *out,
			    bool lenient, struct oh_error *err)
{
	*out = 0;
	if (arr == NULL || arr->type == J_NULL)
		return 0;
	if (arr->type != J_ARRAY)
		return oh_err(err, 0, "%s: must be an array of capability names", where);
	for (uint32_t i = 0; i < arr->len; i++) {
		const struct jval *v = &arr->u.items[i];
		int cap = v->type == J_STRING ? caps_from_exact(v->u.str) : -1;
		if (cap < 0 && lenient)
			continue;
		if (cap < 0)
			return oh_err(err, 0, "%s/%u: not a capability this host knows", where, i);
		*out |= 1ull << cap;
	}
	return 0;
}

static int names_to_mask(const struct jval *arr, const char *where, uint64_t *out,
			 struct oh_error *err)
{
	return names_to_mask_as(arr, where, out, false, err);
}

/*
 * Whether the filter runc applied (libcontainer's form: actions as numbers,
 * Allow 4, Log 6) denies anything: a container started with an allow-all
 * profile outside the wrapper runs as if unfiltered, and so would an exec.
 */
static bool libcontainer_filter_denies(const struct jval *sc)
{
	enum { LC_ALLOW = 4, LC_LOG = 6 };
	const struct jval *sys = jobj_get(sc, "syscalls");
	uint64_t a;

	if (!jv_get_u64(jobj_get(sc, "default_action"), &a) || (a != LC_ALLOW && a != LC_LOG))
		return true;
	for (uint32_t i = 0; sys != NULL && sys->type == J_ARRAY && i < sys->len; i++)
		if (!jv_get_u64(jobj_get(&sys->u.items[i], "action"), &a) ||
		    (a != LC_ALLOW && a != LC_LOG))
			return true;
	return false;
}

/* Whether v says Notify: libcontainer's 7, or the OCI name. */
static bool is_notify(const struct jval *v, bool oci)
{
	uint64_t a;

	if (oci)
		return v != NULL && v->type == J_STRING && strcmp(v->u.str, "SCMP_ACT_NOTIFY") == 0;
	return jv_get_u64(v, &a) && a == 7;
}

/* Whether rule r (libcontainer's "name", or the OCI "names") names name. */
static bool rule_names(const struct jval *r, const char *name, bool oci)
{
	const struct jval *n = jobj_get(r, oci ? "names" : "name");

	if (!oci)
		return n != NULL && n->type == J_STRING && strcmp(n->u.str, name) == 0;
	for (uint32_t i = 0; n != NULL && n->type == J_ARRAY && i < n->len; i++)
		if (n->u.items[i].type == J_STRING && strcmp(n->u.items[i].u.str, name) == 0)
			return true;
	return false;
}

/*
 * The must-block calls the container's filter hands to a listener, with a
 * word on it, or NULL: sc is the filter runc keeps (libcontainer's form)
 * or crun's OCI config.  An exec runs under this filter, not under init's:
 * a workload may stack a stricter filter on itself, so the kernel's word
 * on init cannot clear it.  Under a Notify default every must-block call
 * counts: a rule that names one may hold conditions, and what they leave
 * goes to the default.
 */
static char *notified_must_block(const struct jval *sc, bool oci)
{
	const struct jval *sys = jobj_get(sc, "syscalls");
	struct oh_buf b = { 0 };
	bool dflt = is_notify(jobj_get(sc, oci ? "defaultAction" : "default_action"), oci);

	for (size_t m = 0; m < oh_sc_must_block_count(); m++) {
		const char *name = oh_sc_must_block_name(m, NULL);
		bool hit = dflt;
		for (uint32_t i = 0; !hit && sys != NULL && sys->type == J_ARRAY && i < sys->len; i++)
			hit = rule_names(&sys->u.items[i], name, oci) &&
			      is_notify(jobj_get(&sys->u.items[i], "action"), oci);
		if (hit) {
			if (b.len > 0)
				oh_buf_puts(&b, ", ");
			oh_buf_puts(&b, name);
		}
	}
	if (b.len == 0)
		return NULL;
	struct oh_buf out = { 0 };
	oh_buf_printf(&out, "%s (SCMP_ACT_NOTIFY for %s in the config %s keeps for the "
		      "container: a listener oci-harden knows nothing of decides, and it may "
		      "let the call run)", b.data, b.data, oci ? "crun" : "runc");
	oh_buf_free(&b);
	return out.data;
}

/*
 * The must-block calls the filter runc keeps (libcontainer's form) lets
 * through, as "bpf, kexec_load" with a word on it, or NULL: a rule
 * without conditions that names one with Allow (4), Trace (5) or Log (6),
 * or such a default where no rule names it.  As with Notify, an exec runs
 * under this filter whatever init stacked on itself.  A rule with
 * conditions is left to the kernel's reading of init.
 */
static char *allowed_must_block(const struct jval *sc, uint64_t bounding)
{
	const struct jval *sys = jobj_get(sc, "syscalls");
	struct oh_buf b = { 0 };
	uint64_t a;
	bool dflt = jv_get_u64(jobj_get(sc, "default_action"), &a) && a >= 4 && a <= 6;

	for (size_t m = 0; m < oh_sc_must_block_count(); m++) {
		const char *name = oh_sc_must_block_name(m, NULL);
		bool named = false, hit = false;
		if (oh_sc_must_block_held(m, bounding))
			continue;
		for (uint32_t i = 0; sys != NULL && sys->type == J_ARRAY && i < sys->len; i++) {
			const struct jval *r = &sys->u.items[i], *args = jobj_get(r, "args");
			if (!rule_names(r, name, false))
				continue;
			named = true;
			hit |= jv_get_u64(jobj_get(r, "action"), &a) && a >= 4 && a <= 6 &&
			       (args == NULL || args->type != J_ARRAY || args->len == 0);
		}
		if (hit || (dflt && !named)) {
			if (b.len > 0)
				oh_buf_puts(&b, ", ");
			oh_buf_puts(&b, name);
		}
	}
	if (b.len == 0)
		return NULL;
	struct oh_buf out = { 0 };
	oh_buf_printf(&out, "%s (allowed by the config runc keeps for the container, which an "
		      "exec runs under)", b.data);
	oh_buf_free(&b);
	return out.data;
}

/* An empty spec holding ann as its annotations (ann: an object in doc). */
static int ann_spec(struct jdoc *doc, struct jval ann, const char *source,
		    struct spec *s, struct oh_error *err)
{
	struct jval *root = json_root(doc);

	*root = jv_object(doc, 0);
	jobj_set(doc, root, "annotations", ann);
	return spec_load(doc, source, s, err);
}

int creds_from_runc_state(char *buf, size_t len, const char *source,
			  struct container_creds *c, struct oh_error *err)
{
	static const char *const keys[CS_COUNT] = {
		[CS_BOUNDING] = "Bounding", [CS_EFFECTIVE] = "Effective",
		[CS_PERMITTED] = "Permitted", [CS_INHERITABLE] = "Inheritable",
		[CS_AMBIENT] = "Ambient",
	};
	struct jdoc *doc;
	char where[256];

	memset(c, 0, sizeof(*c));
	if (json_parse(buf, len, source, &doc, err) < 0)
		return -1;
	const struct jval *cfg = jobj_get(json_root(doc), "config");
	if (cfg == NULL || cfg->type != J_OBJECT) {
		json_free(doc);
		return oh_err(err, 0, "%s: no container config in the state", source);
	}
	const struct jval *caps = jobj_get(cfg, "capabilities");
	for (int i = 0; i < CS_COUNT; i++) {
		const struct jval *set = caps && caps->type == J_OBJECT ? jobj_get(caps, keys[i]) : NULL;
		snprintf(where, sizeof(where), "%s: /config/capabilities/%s", source, keys[i]);
		if (names_to_mask(set, where, &c->caps[i], err) < 0) {
			json_free(doc);
			return -1;
		}
	}
	uint64_t u;
	if (jv_get_u64(jobj_get(json_root(doc), "init_process_pid"), &u) && u <= INT_MAX)
		c->pid = (pid_t)u;
	if (jv_get_u64(jobj_get(json_root(doc), "init_process_start"), &u))
		c->start = u;
	const struct jval *v = jobj_get(cfg, "no_new_privileges");
	c->nnp = v != NULL && v->type == J_TRUE;
	v = jobj_get(cfg, "apparmor_profile");
	if (v != NULL && v->type == J_STRING && v->u.str[0] != '\0')
		c->apparmor = xstrdup(v->u.str);
	v = jobj_get(cfg, "process_label");
	if (v != NULL && v->type == J_STRING && v->u.str[0] != '\0')
		c->label = xstrdup(v->u.str);
	v = jobj_get(cfg, "seccomp");
	c->seccomp = v != NULL && v->type == J_OBJECT && libcontainer_filter_denies(v);
	if (c->seccomp)
		c->seccomp_weak = notified_must_block(v, false);
	if (c->seccomp && c->seccomp_weak == NULL)
		c->seccomp_weak = allowed_must_block(v, c->caps[CS_BOUNDING]);

	/* runc keeps the annotations as "key=value" labels, with "bundle=DIR".
	 * A label with two "=" could be read with two keys: it is left out,
	 * so it can match no exemption. */
	const struct jval *labels = jobj_get(cfg, "labels");
	struct jdoc *adoc = json_new();
	struct jval ann = jv_object(adoc, 0);
	for (uint32_t i = 0; labels && labels->type == J_ARRAY && i < labels->len; i++) {
		const struct jval *l = &labels->u.items[i];
		if (l->type != J_STRING)
			continue;
		const char *eq = strchr(l->u.str, '=');
		if (eq == NULL)
			continue;
		if (strncmp(l->u.str, "bundle=", 7) == 0 && c->bundle == NULL) {
			c->bundle = xstrdup(eq + 1);
			continue;
		}
		if (strchr(eq + 1, '=') != NULL)
			continue;
		char *key = xstrdup(l->u.str);
		key[eq - l->u.str] = '\0';
		if (jobj_get(&ann, key) == NULL)
			jobj_set(adoc, &ann, key, jv_str(adoc, eq + 1));
		free(key);
	}
	json_free(doc);
	if (ann_spec(adoc, ann, doc_str(adoc, source), &c->ann, err) < 0) {
		json_free(adoc);
		c->ann.doc = NULL;
		creds_free(c);
		return -1;
	}
	return 0;
}

static int creds_from_crun(const char *dir, struct container_creds *c,
			   struct oh_error *err)
{
	char *buf;
	size_t len;
	cleanup_free char *cfg = oh_path_join(dir, "config.json");
	cleanup_free char *status = oh_path_join(dir, "status");

	memset(c, 0, sizeof(*c));
	if (oh_read_file(cfg, OH_MAX_INPUT, &buf, &len, err) < 0)
		return -1;
	/* crun keeps the config it started the container with. */
	struct jdoc *cdoc;
	if (json_parse(buf, len, cfg, &cdoc, err) < 0)
		return -1;
	if (spec_load(cdoc, doc_str(cdoc, cfg), &c->ann, err) < 0) {
		json_free(cdoc);
		c->ann.doc = NULL;
		return -1;
	}
	for (int i = 0; i < CS_COUNT; i++) {
		char where[256];
		snprintf(where, sizeof(where), "%s: /process/capabilities/%s", cfg,
			 capset_names[i]);
		if (names_to_mask(c->ann.capset[i], where, &c->caps[i], err) < 0) {
			creds_free(c);
			return -1;
		}
	}
	c->nnp = c->ann.nnp != NULL && c->ann.nnp->type == J_TRUE;
	if (c->ann.apparmor != NULL && c->ann.apparmor->u.str[0] != '\0')
		c->apparmor = xstrdup(c->ann.apparmor->u.str);
	if (c->ann.selinux_label != NULL && c->ann.selinux_label->u.str[0] != '\0')
		c->label = xstrdup(c->ann.selinux_label->u.str);
	/* crun keeps the OCI config: its filter is judged as the config
	 * rules judge one. */
	struct oh_sc_strength st;
	struct oh_error serr = { 0 };
	c->seccomp = c->ann.seccomp != NULL &&
		     oh_seccomp_strength(c->ann.seccomp, c->ann.capset[CS_BOUNDING], host_facts(),
					 &st, &serr) == 0 && st.confining;
	if (c->seccomp)
		c->seccomp_weak = notified_must_block(c->ann.seccomp, true);
	struct jdoc *sdoc;
	if (oh_read_file(status, OH_MAX_INPUT, &buf, &len, err) < 0 ||
	    json_parse(buf, len, status, &sdoc, err) < 0) {
		creds_free(c);
		return -1;
	}
	const struct jval *b = jobj_get(json_root(sdoc), "bundle");
	if (b != NULL && b->type == J_STRING)
		c->bundle = xstrdup(b->u.str);
	uint64_t u;
	if (jv_get_u64(jobj_get(json_root(sdoc), "pid"), &u) && u <= INT_MAX)
		c->pid = (pid_t)u;
	if (jv_get_u64(jobj_get(json_root(sdoc), "process-start-time"), &u))
		c->start = u;
	json_free(sdoc);
	return 0;
}

/*
 * The filters the kernel holds for the container's init, read and judged
 * as inspect and the verifier judge them: the state tells what the runtime
 * was asked to load, the kernel what it runs, and a filter handing calls
 * to a listener nobody here knows confines nothing.  A container without
 * a filter needs no read; one whose init is gone cannot take an exec.
 */
static int kernel_filters(const char *id, struct container_creds *c, struct oh_error *err)
{
	struct kernel_proc kp = { .pid = c->pid };
	struct kernel_view k = { .procs = &kp, .nprocs = 1 };

	if (!c->seccomp)
		return 0;
	if (c->pid <= 0 || (c->start != 0 && !inspect_same_process(c->pid, c->start)))
		return oh_err(err, 0, "container %s: its init process is not running, so "
			      "its seccomp filters cannot be read", id);
	if (procview_read(c->pid, &kp.v, err) < 0 || verify_read_filters(&k, err) < 0)
		return oh_err_wrap(err, "container %s", id);
	if (k.nprocs == 0)
		return oh_err(err, 0, "container %s: its init process exited while its "
			      "seccomp filters were read", id);
	if (kp.v.seccomp != 2)
		c->seccomp = false;
	else if (!kp.v.filters_confining && c->seccomp_weak == NULL)
		c->seccomp_weak = xstrdup(kp.v.filters_allow);
	return 0;
}

int creds_load(enum rt_dialect d, const char *root, const char *id,
	       struct container_creds *c, struct oh_error *err)
{
	char *buf;
	size_t len;
	cleanup_free char *dflt = NULL;

	memset(c, 0, sizeof(*c));
	if (check_id(id, err) < 0)
		return -1;
	if (root == NULL)
		root = dflt = rt_default_root(d);
	cleanup_free char *dir = oh_path_join(root, id);
	int rc;
	if (d == RT_CRUN) {
		rc = creds_from_crun(dir, c, err);
	} else {
		cleanup_free char *path = oh_path_join(dir, "state.json");
		if (oh_read_file(path, OH_MAX_INPUT, &buf, &len, err) < 0)
			return oh_err_wrap(err, "container %s: its state cannot be read", id);
		rc = creds_from_runc_state(buf, len, path, c, err);
	}
	if (rc < 0 || kernel_filters(id, c, err) == 0)
		return rc;
	creds_free(c);
	return -1;
}

void creds_free(struct container_creds *c)
{
	free(c->apparmor);
	free(c->label);
	free(c->bundle);
	free(c->seccomp_weak);
	spec_free(&c->ann);
	memset(c, 0, sizeof(*c));
}

int exec_config_load(const char *path, struct spec *s, struct oh_error *err)
{
	char *buf;
	size_t len;
	struct jdoc *doc;

	memset(s, 0, sizeof(*s));
	if (oh_read_file(path, OH_MAX_INPUT, &buf, &len, err) < 0 ||
	    json_parse(buf, len, path, &doc, err) < 0)
		return -1;
	if (spec_load(doc, doc_str(doc, path), s, err) < 0) {
		json_free(doc);
		s->doc = NULL;
		return -1;
	}
	return 0;
}

int exec_process_load(const char *path, struct spec *s, struct oh_error *err)
{
	char *buf;
	size_t len;
	struct jdoc *doc;

	/* runc and crun open the name as a file, even "-". */
	cleanup_free char *name = strcmp(path, "-") == 0 ? xstrdup("./-") : xstrdup(path);
	memset(s, 0, sizeof(*s));
	if (oh_read_file(name, OH_MAX_INPUT, &buf, &len, err) < 0 ||
	    json_parse(buf, len, path, &doc, err) < 0)
		return -1;
	/* The process spec is a config's "process": judge it in that place. */
	struct jval *root = json_root(doc);
	struct jval proc = *root;
	*root = jv_object(doc, 0);
	jobj_set(doc, root, "process", proc);
	if (spec_load(doc, doc_str(doc, path), s, err) < 0) {
		json_free(doc);
		s->doc = NULL;
		return -1;
	}
	return 0;
}

static int parse_u32(const char *s, uint32_t *out)
{
	char *end;
	unsigned long long v;

	if (s[0] < '0' || s[0] > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || v > UINT32_MAX)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

/* arr (may be NULL) with n more strings appended. */
static struct jval append_strings(struct jdoc *doc, const struct jval *arr,
				  const char *const *more, size_t n)
{
	uint32_t old = arr && arr->type == J_ARRAY ? arr->len : 0;
	struct jval out = jv_array(doc, (uint32_t)(old + n));

	for (uint32_t i = 0; i < old; i++)
		out.u.items[i] = arr->u.items[i];
	for (size_t i = 0; i < n; i++)
		out.u.items[old + i] = jv_str(doc, more[i]);
	return out;
}

int exec_process_from_flags(struct spec *s, const struct rt_args *a, int argc,
			    char **argv, struct oh_error *err)
{
	struct jdoc *doc = s->doc;
	struct jval *p = s->process;

	if (p == NULL)
		return oh_err(err, 0, "%s: no process to exec from", s->source);
	if (a->args_index < 0 || a->args_index >= argc)
		return oh_err(err, 0, "exec: no command to run");
	jobj_set(doc, p, "args", append_strings(doc, NULL, (const char *const *)argv + a->args_index,
						(size_t)(argc - a->args_index)));
	if (a->cwd && a->cwd[0])
		jobj_set(doc, p, "cwd", jv_str(doc, a->cwd));
	if (a->label && a->label[0])
		jobj_set(doc, p, "selinuxLabel", jv_str(doc, a->label));
	if (a->apparmor && a->apparmor[0])
		jobj_set(doc, p, "apparmorProfile", jv_str(doc, a->apparmor));
	if (a->nenv > 0)
		jobj_set(doc, p, "env", append_strings(doc, jobj_get(p, "env"), a->env, a->nenv));
	jobj_set(doc, p, "terminal", jv_bool(a->tty == 1));
	if (a->nnp >= 0)
		jobj_set(doc, p, "noNewPrivileges", jv_bool(a->nnp == 1));
	if ((a->user && a->user[0]) || a->ngids > 0) {
		struct jval *u = jobj_get(p, "user");
		if (u == NULL || u->type != J_OBJECT) {
			jobj_set(doc, p, "user", jv_object(doc, 0));
			u = jobj_get(p, "user");
		}
		if (a->user && a->user[0]) {
			uint32_t uid, gid;
			cleanup_free char *spec = xstrdup(a->user);
			char *colon = strchr(spec, ':');
			if (colon)
				*colon++ = '\0';
			if (parse_u32(spec, &uid) < 0 || (colon && parse_u32(colon, &gid) < 0))
				return oh_err(err, 0, "exec --user %s: not UID[:GID] in numbers",
					      a->user);
			jobj_set(doc, u, "uid", jv_u64(doc, uid));
			if (colon)
				jobj_set(doc, u, "gid", jv_u64(doc, gid));
		}
		if (a->ngids > 0) {
			const struct jval *old = jobj_get(u, "additionalGids");
			uint32_t n = old && old->type == J_ARRAY ? old->len : 0;
			struct jval arr = jv_array(doc, n + (uint32_t)a->ngids);
			for (uint32_t i = 0; i < n; i++)
				arr.u.items[i] = old->u.items[i];
			for (size_t i = 0; i < a->ngids; i++) {
				uint32_t g;
				if (parse_u32(a->gids[i], &g) < 0)
					return oh_err(err, 0, "exec --additional-gids %s: not a "
						      "number", a->gids[i]);
				arr.u.items[n + i] = jv_u64(doc, g);
			}
			jobj_set(doc, u, "additionalGids", arr);
		}
	}
	/* --cap is added by exec_clamp, which judges it. */
	return spec_reload(s, err);
}

static struct jval mask_to_names(struct jdoc *doc, uint64_t mask)
{
	struct jval arr = jv_array(doc, (uint32_t)caps_popcount(mask));
	uint32_t n = 0;

	for (int c = 0; c < 64; c++)
		if (mask & (1ull << c))
			arr.u.items[n++] = jv_str(doc, caps_name(c));
	return arr;
}

int exec_clamp(struct spec *s, const struct container_creds *c,
	       const struct policy *p, const char *const *flag_caps,
	       size_t nflag_caps, const char *flag_apparmor,
	       struct decision *d, struct oh_error *err)
{
	struct jdoc *doc = s->doc;
	uint64_t req[CS_COUNT], flags = 0;
	enum action a_all = rules_action_for(&c->ann, p, R_CAP_ALL, NULL);
	enum action a_na = rules_action_for(&c->ann, p, R_CAP_NOT_ALLOWED, NULL);
	enum action a_nnp = rules_action_for(&c->ann, p, R_NO_NEW_PRIVILEGES, NULL);
	enum action a_aa = rules_action_for(&c->ann, p, R_APPARMOR_UNCONFINED, NULL);
	enum action a_sc = rules_action_for(&c->ann, p, R_SECCOMP_UNCONFINED, NULL);
	/* Beyond the container: refused where the rule would refuse or fix a
	 * config, unless the policy clamps execs. */
	enum action beyond = p->exec_clamp ? ACT_FIX : ACT_DENY;

	if (s->process == NULL)
		return oh_err(err, 0, "%s: no process", s->source);
	for (int i = 0; i < CS_COUNT; i++) {
		char where[256];
		snprintf(where, sizeof(where), "%s: /process/capabilities/%s", s->source,
			 capset_names[i]);
		if (names_to_mask_as(s->capset[i], where, &req[i], true, err) < 0)
			return -1;
	}
	for (size_t i = 0; i < nflag_caps; i++) {
		int cap = caps_from_exact(flag_caps[i]);
		if (cap < 0)
			return oh_err(err, 0, "exec --cap %s: not a capability this host knows",
				      flag_caps[i]);
		flags |= 1ull << cap;
	}
	uint64_t allowed = c->caps[CS_BOUNDING];
	if (a_na != ACT_OFF)
		allowed &= p->allowed_caps;

	for (int i = 0; i < CS_COUNT; i++)
		if (rules_capmask_is_all(req[i]) && a_all != ACT_OFF) {
			decision_add(d, R_CAP_ALL, a_all >= ACT_FIX ? beyond : ACT_WARN,
				     "/process/capabilities",
				     "the exec asks for every capability (%d in %s; a privileged "
				     "exec), its container holds %d", caps_popcount(req[i]),
				     capset_names[i], caps_popcount(c->caps[CS_BOUNDING]));
			break;
		}
	for (int cap = 0; cap < 64; cap++)
		if ((flags & (1ull << cap)) && !(allowed & (1ull << cap)) && a_na != ACT_OFF)
			decision_add(d, R_CAP_NOT_ALLOWED, a_na >= ACT_FIX ? beyond : ACT_WARN,
				     "--cap", "exec --cap %s: outside the container's bounding "
				     "set and the allowlist", caps_name(cap));
	if (flag_apparmor != NULL && flag_apparmor[0] != '\0' && a_aa != ACT_OFF &&
	    (c->apparmor == NULL || strcmp(flag_apparmor, c->apparmor) != 0))
		decision_add(d, R_APPARMOR_UNCONFINED, a_aa >= ACT_FIX ? beyond : ACT_WARN,
			     "--apparmor", "exec --apparmor %s: the container runs under %s",
			     flag_apparmor, c->apparmor ? c->apparmor : "no AppArmor profile");
	/* SELinux, as AppArmor: an exec under another label (spc_t, a
	 * sibling's categories) leaves the container's confinement; runc
	 * and crun take the exec's selinuxLabel (or --process-label) over
	 * the container's.  Reported under selinux-disabled; the clamp below
	 * gives every exec the container's label whatever the action. */
	if (s->selinux_label != NULL && s->selinux_label->u.str[0] != '\0' &&
	    (c->label == NULL || strcmp(s->selinux_label->u.str, c->label) != 0)) {
		enum action a_se = rules_action_for(&c->ann, p, R_SELINUX_DISABLED, NULL);
		if (a_se != ACT_OFF)
			decision_add(d, R_SELINUX_DISABLED, a_se >= ACT_FIX ? beyond : ACT_WARN,
				     "/process/selinuxLabel", "the exec asks for the SELinux "
				     "label %s: the container runs under %s; the exec gets the "
				     "container's", s->selinux_label->u.str,
				     c->label ? c->label : "no label of its own");
	}
	if (!c->seccomp && a_sc != ACT_OFF)
		/* Nothing in the exec can mend a container started unfiltered. */
		decision_add(d, R_SECCOMP_UNCONFINED, a_sc >= ACT_FIX ? ACT_DENY : ACT_WARN,
			     "/linux/seccomp", "the container runs without a seccomp filter "
			     "(it was not started through oci-harden): an exec would too");
	else if (c->seccomp_weak != NULL && a_sc != ACT_OFF)
		decision_add(d, R_SECCOMP_UNCONFINED, a_sc >= ACT_FIX ? ACT_DENY : ACT_WARN,
			     "/linux/seccomp", "the container runs under seccomp filters that "
			     "only look confining (it was not started through oci-harden): "
			     "they let through %s, and an exec would run under them too",
			     c->seccomp_weak);

	/* The clamp itself applies to every exec. */
	if (s->caps == NULL) {
		jobj_set(doc, s->process, "capabilities", jv_object(doc, 0));
		s->caps = jobj_get(s->process, "capabilities");
	}
	for (int i = 0; i < CS_COUNT; i++) {
		uint64_t m = (req[i] | flags) & allowed;
		/* runc adds --cap to the inheritable set too; crun does not, but
		 * a capability in no other set is inert there. */
		if (s->capset[i] == NULL && m == 0)
			continue;
		jobj_set(doc, s->caps, capset_names[i], mask_to_names(doc, m));
	}
	if (a_nnp != ACT_OFF || c->nnp)
		jobj_set(doc, s->process, "noNewPrivileges", jv_bool(true));
	if (c->apparmor != NULL)
		jobj_set(doc, s->process, "apparmorProfile", jv_str(doc, c->apparmor));
	else
		jobj_del(s->process, "apparmorProfile");
	/* No label: runc and crun give the exec the container's own. */
	if (c->label != NULL)
		jobj_set(doc, s->process, "selinuxLabel", jv_str(doc, c->label));
	else
		jobj_del(s->process, "selinuxLabel");
	decision_settle(d);
	return spec_reload(s, err);
}

int exec_process_produce(int fd, void *ctx, struct oh_error *err)
{
	const struct spec *s = ctx;
	struct jsink *k = jsink_fd(fd);

	json_write(k, s->process, false);
	if (jsink_finish(k) < 0) {
		jsink_free(k);
		return oh_err(err, errno, "cannot write the process document");
	}
	jsink_free(k);
	return 0;
}
