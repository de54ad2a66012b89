/* SPDX-License-Identifier: Apache-2.0 */
#include "setup.h"

#include <errno.h>
#include <glob.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "toml.h"

/* The name the wrapper is registered under in every engine. */
#define RUNTIME_NAME "hardened"
#define DROPIN_HEADER \
	"# Written by `oci-harden setup --engine %s`, which rewrites it at every run;\n" \
	"# `oci-harden setup --engine %s --undo` removes it.\n"

static const char *const engine_names[] = {
	[ENGINE_PODMAN] = "podman",
	[ENGINE_DOCKER] = "docker",
	[ENGINE_CONTAINERD] = "containerd",
	[ENGINE_CRIO] = "crio",
};

int setup_engine_parse(const char *name, enum setup_engine *e)
{
	for (size_t i = 0; i < sizeof(engine_names) / sizeof(engine_names[0]); i++)
		if (strcmp(name, engine_names[i]) == 0) {
			*e = (enum setup_engine)i;
			return 0;
		}
	return -1;
}

const char *setup_engine_name(enum setup_engine e)
{
	return engine_names[e];
}

/* --------------------------------------------------------- shared bits */

static void jdoc_freep(struct jdoc **d)
{
	json_free(*d);
}
#define cleanup_jdoc __attribute__((cleanup(jdoc_freep)))

/* A list of host paths. */
struct paths {
	char **v;
	size_t n;
};

static void paths_freep(struct paths *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->v[i]);
	free(p->v);
}
#define cleanup_paths __attribute__((cleanup(paths_freep)))

/* A hooks.d file (schema 1.0.0), the same as hook/hooks.d/ *.json.in
 * filled in by cmake --install. */
static char *hook_file(const struct setup_opts *o, const char *stage, size_t *len)
{
	struct jsink *s = jsink_mem();
	struct jw *w = jw_new(s, true);

	jw_obj(w);
	jw_kstr(w, "version", "1.0.0");
	jw_key(w, "hook");
	jw_obj(w);
	jw_kstr(w, "path", o->binary);
	jw_key(w, "args");
	jw_arr(w);
	jw_str(w, "oci-harden");
	jw_str(w, "hook");
	jw_str(w, stage);
	jw_str(w, "--policy");
	jw_str(w, o->policy);
	jw_end_arr(w);
	jw_key(w, "env");
	jw_arr(w);
	jw_str(w, OH_HOOK_ENV);
	jw_end_arr(w);
	jw_kint(w, "timeout", 10);
	jw_end_obj(w);
	jw_key(w, "when");
	jw_obj(w);
	jw_kbool(w, "always", true);
	jw_end_obj(w);
	jw_key(w, "stages");
	jw_arr(w);
	jw_str(w, stage);
	jw_end_arr(w);
	jw_end_obj(w);
	jw_free(w);
	jsink_raw(s, "\n", 1);
	char *text = jsink_take(s, len);
	jsink_free(s);
	return text;
}

static int put_hooks(struct changeset *cs, const struct setup_opts *o,
		     const char *dir, const char *const *stages,
		     struct oh_error *err)
{
	for (size_t i = 0; stages[i] != NULL; i++) {
		size_t len;
		cleanup_free char *text = hook_file(o, stages[i], &len);
		cleanup_free char *lower = xstrdup(stages[i]);
		for (char *p = lower; *p; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p - 'A' + 'a');
		cleanup_free char *path = xasprintf("%s/99-oci-harden-%s.json", dir, lower);
		if (changeset_put(cs, path, text, len, err) < 0)
			return -1;
	}
	return 0;
}

static unsigned line_of(const char *text, size_t at)
{
	unsigned line = 1;

	for (size_t i = 0; i < at && text[i]; i++)
		line += text[i] == '\n';
	return line;
}

/*
 * Parses a JSON config for editing.  The strict parser names the JSON
 * pointer or the byte of a problem; an admin needs the line, so it is
 * added here.
 */
static int parse_json_config(const char *full, const char *text, size_t len,
			     struct jdoc **doc, struct oh_error *err)
{
	char *copy = xmalloc(len + 1);

	memcpy(copy, text, len);
	copy[len] = '\0';
	if (json_parse(copy, len, full, doc, err) == 0)
		return 0;
	const char *at = strstr(err->msg, "near byte ");
	unsigned line = 0, col = 0;
	if (at != NULL) {
		line = line_of(text, strtoul(at + 10, NULL, 10));
	} else {
		/* "FILE: /pointer: why": the document is well-formed JSON up
		 * to a rule of the strict reader, so the pointer can be found. */
		const char *p = err->msg + strlen(full);
		if (strncmp(p, ": /", 3) == 0) {
			cleanup_free char *ptr = xstrdup(p + 2);
			char *end = strstr(ptr, ": ");
			if (end)
				*end = '\0';
			json_locate(text, len, ptr, &line, &col);
		}
	}
	size_t fl = strlen(full);
	cleanup_free char *why = xstrdup(strncmp(err->msg, full, fl) == 0 &&
					 strncmp(err->msg + fl, ": ", 2) == 0 ?
					 err->msg + fl + 2 : err->msg);
	if (line > 0)
		return oh_err(err, 0, "%s: line %u: %s; refusing to edit it, left "
			      "untouched", full, line, why);
	return oh_err(err, 0, "%s: %s; refusing to edit it, left untouched", full, why);
}

static int wrong_type(const char *full, const char *text, size_t len,
		      const char *ptr, const char *want, struct oh_error *err)
{
	unsigned line, col;

	json_locate(text, len, ptr, &line, &col);
	return oh_err(err, 0, "%s: line %u: %s must be %s; refusing to edit it, "
		      "left untouched", full, line, ptr, want);
}

/* Reads a TOML config if it exists: *doc NULL when absent.  The message
 * of a malformed one names the file and tomllib's line and column. */
static int read_toml(struct changeset *cs, const char *path, struct jdoc **doc,
		     const char **text, size_t *len, struct oh_error *err)
{
	const char *t;
	size_t n;
	cleanup_free char *full = changeset_path(cs, path);

	*doc = NULL;
	if (changeset_read(cs, path, &t, &n, err) < 0)
		return -1;
	if (text) {
		*text = t;
		*len = n;
	}
	if (t == NULL)
		return 0;
	if (toml_parse(t, n, full, doc, err) < 0) {
		cleanup_free char *why = xstrdup(err->msg);
		return oh_err(err, 0, "%s; refusing to edit it, left untouched", why);
	}
	return 0;
}

/* Follows object members by name; NULL when one is absent. */
static struct jval *dig(struct jval *v, const char *const *keys)
{
	for (size_t i = 0; v != NULL && keys[i] != NULL; i++)
		v = v->type == J_OBJECT ? jobj_get(v, keys[i]) : NULL;
	return v;
}

/* The member key of obj, made an empty table when absent. */
static struct jval *table(struct jdoc *doc, struct jval *obj, const char *key)
{
	struct jval *v = jobj_get(obj, key);

	if (v == NULL || v->type != J_OBJECT) {
		jobj_set(doc, obj, key, jv_object(doc, 0));
		v = jobj_get(obj, key);
	}
	return v;
}

/* Host paths matching a pattern under the root, sorted (glob sorts; the
 * engines read drop-ins in lexical order). */
static void glob_rooted(const struct changeset *cs, const char *pattern,
			struct paths *out)
{
	cleanup_free char *pat = xasprintf("%s%s", cs->root, pattern);
	size_t skip = strlen(cs->root);
	glob_t g;

	out->v = NULL;
	out->n = 0;
	if (glob(pat, 0, NULL, &g) != 0)
		return;
	out->v = xcalloc(g.gl_pathc + 1, sizeof(*out->v));
	for (size_t i = 0; i < g.gl_pathc; i++)
		out->v[out->n++] = xstrdup(g.gl_pathv[i] + skip);
	globfree(&g);
}

static void dropins(const struct changeset *cs, const char *dir,
		    const char *suffix, struct paths *out)
{
	cleanup_free char *pat = xasprintf("%s/*%s", dir, suffix);

	glob_rooted(cs, pat, out);
}

/* Adds s to the string array arr unless it holds it. */
static struct jval add_string(struct jdoc *doc, const struct jval *arr, const char *s)
{
	uint32_t n = arr && arr->type == J_ARRAY ? arr->len : 0;
	for (uint32_t i = 0; i < n; i++)
		if (jv_is_str(&arr->u.items[i], s))
			return *arr;
	struct jval out = jv_array(doc, n + 1);
	for (uint32_t i = 0; i < n; i++)
		out.u.items[i] = arr->u.items[i];
	out.u.items[n] = jv_str(doc, s);
	return out;
}

/*
 * Writes tree as a TOML drop-in and reads it back through the parser: the
 * file must say to the engine exactly what was meant.
 */
static int put_toml(struct changeset *cs, const char *path, const char *engine,
		    const struct jval *tree, struct oh_error *err)
{
	struct oh_buf b = { 0 };
	struct jdoc *back = NULL;
	cleanup_free char *full = changeset_path(cs, path);
	int rc;

	oh_buf_printf(&b, DROPIN_HEADER, engine, engine);
	toml_write(&b, tree);
	rc = toml_parse(b.data, b.len, full, &back, err);
	if (rc == 0 && !json_same(json_root(back), tree))
		rc = oh_err(err, 0, "%s: the TOML written does not read back as "
			    "meant; nothing changed", full);
	if (rc == 0)
		rc = changeset_put(cs, path, b.data, b.len, err);
	json_free(back);
	oh_buf_free(&b);
	return rc;
}

static const char *str_or(const struct jval *v, const char *dflt)
{
	return v && v->type == J_STRING ? v->u.str : dflt;
}

/* -------------------------------------------------------------- docker */

/*
 * dockerd refuses to start when a daemon.json key is also given as a flag
 * (dockerd(8): "the daemon won't start"; Docker 20.10 here: "the following
 * directives are specified both as a flag and in the configuration file:
 * default-runtime"), so a unit passing --default-runtime must be fixed
 * first.  --add-runtime is merged with "runtimes" (observed: it starts).
 */
static int docker_flag_in(struct changeset *cs, const char *path,
			  struct oh_error *err)
{
	static const char *const flags[][2] = {
		{ "--default-runtime", "default-runtime" },
	};
	const char *t;
	size_t n;

	if (changeset_read(cs, path, &t, &n, err) < 0)
		return -1;
	for (size_t f = 0; t != NULL && f < sizeof(flags) / sizeof(flags[0]); f++) {
		for (const char *p = t; (p = strstr(p, flags[f][0])) != NULL; p++) {
			const char *bol = p;
			while (bol > t && bol[-1] != '\n')
				bol--;
			bol += strspn(bol, " \t");
			if (*bol == '#')
				continue;
			cleanup_free char *full = changeset_path(cs, path);
			return oh_err(err, 0, "%s: line %u: dockerd is started with %s, and "
				      "dockerd refuses to start when daemon.json also sets %s; "
				      "remove the flag, then run setup again", full,
				      line_of(t, (size_t)(p - t)), flags[f][0], flags[f][1]);
		}
	}
	return 0;
}

static int docker_flags(struct changeset *cs, struct oh_error *err)
{
	static const char *const files[] = {
		"/lib/systemd/system/docker.service",
		"/usr/lib/systemd/system/docker.service",
		"/etc/systemd/system/docker.service",
		"/etc/default/docker",
		"/etc/sysconfig/docker",
	};
	cleanup_paths struct paths d = { 0 };

	dropins(cs, "/etc/systemd/system/docker.service.d", ".conf", &d);
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		if (docker_flag_in(cs, files[i], err) < 0)
			return -1;
	for (size_t i = 0; i < d.n; i++)
		if (docker_flag_in(cs, d.v[i], err) < 0)
			return -1;
	return 0;
}

static int put_json(struct changeset *cs, const char *path,
		    const struct jval *root, struct oh_error *err)
{
	struct jsink *s = jsink_mem();
	size_t n;

	json_write(s, root, true);
	cleanup_free char *text = jsink_take(s, &n);
	jsink_free(s);
	return changeset_put(cs, path, text, n, err);
}

/*
 * Docker has no drop-in directory: daemon.json itself is edited, every
 * other member kept.  "runtimes" registers the wrapper by path and
 * "default-runtime" selects it, so `docker run` needs no --runtime
 * (dockerd(8), daemon configuration file: runtimes, default-runtime).
 */
static int plan_docker(const struct setup_opts *o, struct changeset *cs,
		       struct oh_buf *notes, struct oh_error *err)
{
	static const char path[] = "/etc/docker/daemon.json";
	cleanup_free char *full = changeset_path(cs, path);
	cleanup_jdoc struct jdoc *doc = NULL;
	const char *text;
	size_t len;

	if (changeset_read(cs, path, &text, &len, err) < 0)
		return -1;
	if (text != NULL) {
		if (parse_json_config(full, text, len, &doc, err) < 0)
			return -1;
	} else {
		doc = json_new();
		*json_root(doc) = jv_object(doc, 0);
	}
	struct jval *root = json_root(doc);
	struct jval *rts = jobj_get(root, "runtimes");
	struct jval *dr = jobj_get(root, "default-runtime");
	struct jval *h = rts && rts->type == J_OBJECT ? jobj_get(rts, RUNTIME_NAME) : NULL;
	if (rts && rts->type != J_OBJECT)
		return wrong_type(full, text, len, "/runtimes", "an object", err);
	if (h && h->type != J_OBJECT)
		return wrong_type(full, text, len, "/runtimes/" RUNTIME_NAME, "an object", err);
	if (dr && dr->type != J_STRING)
		return wrong_type(full, text, len, "/default-runtime", "a string", err);
	if (docker_flags(cs, err) < 0)
		return -1;
	if (dr && !jv_is_str(dr, RUNTIME_NAME))
		oh_buf_printf(notes, "docker: default-runtime was \"%s\"; it is now "
			      "\"" RUNTIME_NAME "\" (the wrapper runs runc unless the "
			      "policy's runtime.path names another)\n", dr->u.str);
	oh_buf_puts(notes, "docker: restart dockerd (systemctl restart docker); "
		    "containers started before keep their runtime\n");
	/* Already so: the bytes stay as they are, whatever their layout. */
	if (h && jv_is_str(jobj_get(h, "path"), o->runtime) && jv_is_str(dr, RUNTIME_NAME))
		return 0;
	rts = table(doc, root, "runtimes");
	h = table(doc, rts, RUNTIME_NAME);
	jobj_set(doc, h, "path", jv_str(doc, o->runtime));
	jobj_set(doc, root, "default-runtime", jv_str(doc, RUNTIME_NAME));
	return put_json(cs, path, root, err);
}

/* -------------------------------------------------------------- podman */

#define PODMAN_HOOKS "/etc/containers/oci/hooks.d"
#define PODMAN_DEFAULT_HOOKS "/usr/share/containers/oci/hooks.d"
#define PODMAN_DROPIN "/etc/containers/containers.conf.d/99-oci-harden.conf"

/*
 * podman reads hooks from /usr/share/containers/oci/hooks.d only unless
 * containers.conf sets hooks_dir (tried with podman 4.3: a hook file in
 * /etc/containers/oci/hooks.d does not run), and
 * reads /usr/share/containers/containers.conf, /etc/containers/
 * containers.conf, then /etc/containers/containers.conf.d/ *.conf, each
 * field overriding the one read before (containers.conf(5) of
 * containers-common 0.50, podman 4.3).  The wrapper as [engine] runtime
 * covers exec, which no hook sees.
 */
static int plan_podman(const struct setup_opts *o, struct changeset *cs,
		       struct oh_buf *notes, struct oh_error *err)
{
	static const char *const stages[] = { "precreate", "createRuntime", "createContainer",
					      "poststart", NULL };
	static const char *const hk[] = { "engine", "hooks_dir", NULL };
	static const char *const base[] = { "/usr/share/containers/containers.conf",
					    "/etc/containers/containers.conf" };
	cleanup_paths struct paths d = { 0 };
	cleanup_jdoc struct jdoc *last = NULL;   /* the file setting hooks_dir last */
	cleanup_jdoc struct jdoc *t = json_new();

	dropins(cs, "/etc/containers/containers.conf.d", ".conf", &d);
	for (size_t i = 0; i < 2 + d.n; i++) {
		const char *path = i < 2 ? base[i] : d.v[i - 2];
		struct jdoc *doc;
		if (strcmp(path, PODMAN_DROPIN) == 0)
			continue;
		if (read_toml(cs, path, &doc, NULL, NULL, err) < 0)
			return -1;
		if (doc && dig(json_root(doc), hk)) {
			json_free(last);
			last = doc;
		} else {
			json_free(doc);
		}
	}
	struct jval *root = json_root(t);
	*root = jv_object(t, 0);
	struct jval *engine = table(t, root, "engine");
	jobj_set(t, engine, "runtime", jv_str(t, RUNTIME_NAME));
	struct jval *hd = last ? dig(json_root(last), hk) : NULL;
	if (hd == NULL) {
		/* podman's own default (containers-common: only the /usr/share
		 * directory; podman 4.3 here reads no hook from
		 * /etc/containers/oci/hooks.d without it), which this keeps. */
		struct jval dflt = jv_array(t, 1);
		dflt.u.items[0] = jv_str(t, PODMAN_DEFAULT_HOOKS);
		jobj_set(t, engine, "hooks_dir", add_string(t, &dflt, PODMAN_HOOKS));
	} else if (hd->type == J_ARRAY) {
		struct jval added = add_string(t, hd, PODMAN_HOOKS);
		if (added.len != hd->len)
			jobj_set(t, engine, "hooks_dir", added);
	}
	struct jval *rts = table(t, engine, "runtimes");
	struct jval argv = jv_array(t, 1);
	argv.u.items[0] = jv_str(t, o->runtime);
	jobj_set(t, rts, RUNTIME_NAME, argv);
	if (put_toml(cs, PODMAN_DROPIN, "podman", root, err) < 0 ||
	    put_hooks(cs, o, PODMAN_HOOKS, stages, err) < 0)
		return -1;
	oh_buf_puts(notes, "podman: reads its configuration at every command: "
		    "nothing to restart (restart `podman system service` or "
		    "podman.socket if it runs)\n");
	return 0;
}

/* ---------------------------------------------------------------- crio */

#define CRIO_HOOKS "/etc/crio/oci-harden-hooks.d"
#define CRIO_DROPIN "/etc/crio/crio.conf.d/99-oci-harden.conf"
#define CRIO_DEFAULT_HOOKS "/usr/share/containers/oci/hooks.d"

/* The stages CRI-O's hook loader accepts: the OCI runtime spec's, and no
 * extension stage (pkg/hooks/1.0.0/hook.go Validate, podman's and later
 * containers/common's: a stage outside these and the caller's extension
 * stages is "unknown stage"; podman passes precreate, CRI-O nothing).  The
 * same Validate stats hook.path: the binary must be in place before the
 * engine loads its hooks. */
static const char *const crio_stages[] = {
	"prestart", "createRuntime", "createContainer", "startContainer",
	"poststart", "poststop", NULL,
};

static bool crio_stage_ok(const struct jval *s)
{
	for (size_t i = 0; crio_stages[i]; i++)
		if (jv_is_str(s, crio_stages[i]))
			return true;
	return false;
}

static int crio_check_hook(struct changeset *cs, const char *path,
			   const char *dir, struct oh_error *err)
{
	cleanup_free char *full = changeset_path(cs, path);
	cleanup_jdoc struct jdoc *doc = NULL;
	const char *text;
	size_t len;

	if (changeset_read(cs, path, &text, &len, err) < 0 ||
	    parse_json_config(full, text, len, &doc, err) < 0)
		return oh_err_wrap(err, "CRI-O reads hooks from %s", dir);
	struct jval *st = jobj_get(json_root(doc), "stages");
	for (uint32_t k = 0; st && st->type == J_ARRAY && k < st->len; k++)
		if (!crio_stage_ok(&st->u.items[k]))
			return oh_err(err, 0, "%s: stage \"%s\" is one CRI-O rejects, and it "
				      "would fail every pod (CRI-O reads hooks from %s); remove "
				      "the file (for an oci-harden precreate hook: build with "
				      "-DOH_INSTALL_PRECREATE_HOOK=OFF on CRI-O hosts), then run "
				      "setup again", full,
				      st->u.items[k].type == J_STRING ? st->u.items[k].u.str : "?",
				      dir);
	return 0;
}

/* A hooks directory CRI-O will read must hold no file with a stage it
 * rejects: one such file makes every pod fail. */
static int crio_check_hooks_dir(struct changeset *cs, const char *dir,
				struct oh_error *err)
{
	cleanup_paths struct paths f = { 0 };

	dropins(cs, dir, ".json", &f);
	for (size_t i = 0; i < f.n; i++) {
		if (strncmp(f.v[i], CRIO_HOOKS "/", strlen(CRIO_HOOKS) + 1) == 0)
			continue;   /* ours, rewritten */
		if (crio_check_hook(cs, f.v[i], dir, err) < 0)
			return -1;
	}
	return 0;
}

/*
 * CRI-O reads crio.conf, then crio.conf.d/ *.conf in lexical order, each
 * key overriding the one before (crio.conf(5), crio.conf.d(5)).  The
 * drop-in adds the wrapper as a runtime handler and makes it the default,
 * and adds a hooks directory of its own to the ones CRI-O reads now: it
 * holds only createRuntime, createContainer and poststart, because CRI-O knows no
 * precreate stage and rejects a directory holding one.
 */
static int plan_crio(const struct setup_opts *o, struct changeset *cs,
		     struct oh_buf *notes, struct oh_error *err)
{
	static const char *const stages[] = { "createRuntime", "createContainer", "poststart",
					      NULL };
	static const char *const hk[] = { "crio", "runtime", "hooks_dir", NULL };
	static const char *const dk[] = { "crio", "runtime", "default_runtime", NULL };
	cleanup_paths struct paths d = { 0 };
	cleanup_jdoc struct jdoc *hooks_from = NULL;
	cleanup_jdoc struct jdoc *t = json_new();
	cleanup_free char *prev_rt = NULL;

	dropins(cs, "/etc/crio/crio.conf.d", ".conf", &d);
	for (size_t i = 0; i < 1 + d.n; i++) {
		const char *path = i == 0 ? "/etc/crio/crio.conf" : d.v[i - 1];
		cleanup_jdoc struct jdoc *doc = NULL;
		if (strcmp(path, CRIO_DROPIN) == 0)
			continue;
		if (read_toml(cs, path, &doc, NULL, NULL, err) < 0)
			return -1;
		if (doc == NULL)
			continue;
		struct jval *r = json_root(doc);
		if (i > 0 && strcmp(path, CRIO_DROPIN) > 0 && (dig(r, hk) || dig(r, dk))) {
			cleanup_free char *full = changeset_path(cs, path);
			return oh_err(err, 0, "%s: sorts after %s and sets crio.runtime %s, "
				      "which would override setup's; remove it there, then "
				      "run setup again", full, CRIO_DROPIN,
				      dig(r, hk) ? "hooks_dir" : "default_runtime");
		}
		if (dig(r, dk) && dig(r, dk)->type == J_STRING) {
			free(prev_rt);
			prev_rt = xstrdup(dig(r, dk)->u.str);
		}
		if (dig(r, hk)) {
			json_free(hooks_from);
			hooks_from = doc;
			doc = NULL;
		}
	}
	struct jval *root = json_root(t);
	*root = jv_object(t, 0);
	struct jval *rt = table(t, table(t, root, "crio"), "runtime");
	struct jval *hd = hooks_from ? dig(json_root(hooks_from), hk) : NULL;
	struct jval dflt = jv_array(t, 1);
	dflt.u.items[0] = jv_str(t, CRIO_DEFAULT_HOOKS);
	if (hd == NULL || hd->type != J_ARRAY)
		hd = &dflt;
	for (uint32_t i = 0; i < hd->len; i++)
		if (hd->u.items[i].type == J_STRING &&
		    crio_check_hooks_dir(cs, hd->u.items[i].u.str, err) < 0)
			return -1;
	jobj_set(t, rt, "default_runtime", jv_str(t, RUNTIME_NAME));
	jobj_set(t, rt, "hooks_dir", add_string(t, hd, CRIO_HOOKS));
	struct jval *h = table(t, table(t, rt, "runtimes"), RUNTIME_NAME);
	jobj_set(t, h, "runtime_path", jv_str(t, o->runtime));
	jobj_set(t, h, "runtime_type", jv_str(t, "oci"));
	/* The wrapper runs runc, whose state lives there. */
	jobj_set(t, h, "runtime_root", jv_str(t, "/run/runc"));
	if (put_toml(cs, CRIO_DROPIN, "crio", root, err) < 0 ||
	    put_hooks(cs, o, CRIO_HOOKS, stages, err) < 0)
		return -1;
	if (prev_rt && strcmp(prev_rt, RUNTIME_NAME) != 0)
		oh_buf_printf(notes, "crio: default_runtime was \"%s\"; it is now "
			      "\"" RUNTIME_NAME "\", which runs runc through the wrapper "
			      "(the policy's runtime.path names another runtime)\n", prev_rt);
	oh_buf_puts(notes, "crio: restart CRI-O (systemctl restart crio); running "
		    "pods keep their runtime\n");
	return 0;
}

/* ---------------------------------------------------------- containerd */

#define CTRD_MAIN "/etc/containerd/config.toml"
#define CTRD_DROPIN "/etc/containerd/oci-harden.toml"
/* Relative imports are resolved against the directory of the file naming
 * them (containerd services/server/config: resolvePaths; observed with
 * containerd 1.6 `config dump`), so the same line works on the host and
 * on a root mounted elsewhere. */
#define CTRD_IMPORT "oci-harden.toml"
#define CRI_PLUGIN "io.containerd.grpc.v1.cri"
#define RUNC_SHIM "io.containerd.runc.v2"

static bool is_ours(const char *imp)
{
	return strcmp(imp, CTRD_IMPORT) == 0 || strcmp(imp, CTRD_DROPIN) == 0;
}

/* The imports line: imports = [ ... ] as TOML. */
static void imports_line(struct oh_buf *b, const struct jval *arr)
{
	cleanup_jdoc struct jdoc *t = json_new();
	struct jval *root = json_root(t);

	*root = jv_object(t, 0);
	jobj_set(t, root, "imports", *arr);
	toml_write(b, root);
}

/* The start of the top-level imports line: before the first table. */
static const char *find_imports(const char *text, size_t len)
{
	for (const char *p = text; p < text + len;) {
		const char *q = p + strspn(p, " \t");
		if (*q == '[')
			return NULL;
		if (strncmp(q, "imports", 7) == 0 && q[7] != '\0' && strchr(" \t=", q[7]))
			return p;
		const char *nl = memchr(p, '\n', (size_t)(text + len - p));
		p = nl ? nl + 1 : text + len;
	}
	return NULL;
}

static void buf_freep(struct oh_buf *b)
{
	oh_buf_free(b);
}

/*
 * Adds our import to the main config.  The text changes in one line (a
 * new first line, or the imports line rewritten) and the result is read
 * back: it must be the old document with only imports changed, else the
 * admin adds it by hand.
 */
static int ctrd_main(struct changeset *cs, const char *text, size_t len,
		     struct jdoc *doc, struct oh_error *err)
{
	cleanup_free char *full = changeset_path(cs, CTRD_MAIN);
	__attribute__((cleanup(buf_freep))) struct oh_buf b = { 0 };
	cleanup_jdoc struct jdoc *back = NULL;
	struct jval *root = json_root(doc);
	struct jval *imp = jobj_get(root, "imports");

	if (imp && imp->type != J_ARRAY)
		return oh_err(err, 0, "%s: imports is not an array; refusing to edit it", full);
	for (uint32_t i = 0; imp && i < imp->len; i++)
		if (imp->u.items[i].type == J_STRING && is_ours(imp->u.items[i].u.str))
			return changeset_put(cs, CTRD_MAIN, text, len, err);
	struct jval want = add_string(doc, imp, CTRD_IMPORT);
	if (imp == NULL) {
		imports_line(&b, &want);
		oh_buf_add(&b, text, len);
	} else {
		const char *line = find_imports(text, len);
		if (line == NULL)
			return oh_err(err, 0, "%s: cannot find the imports line; add \"%s\" "
				      "to imports by hand, then run setup again", full, CTRD_IMPORT);
		const char *nl = memchr(line, '\n', (size_t)(text + len - line));
		const char *end = nl ? nl + 1 : text + len;
		oh_buf_add(&b, text, (size_t)(line - text));
		imports_line(&b, &want);
		oh_buf_add(&b, end, (size_t)(text + len - end));
	}
	jobj_set(doc, root, "imports", want);
	if (toml_parse(b.data, b.len, full, &back, err) < 0 ||
	    !json_same(json_root(back), root)) {
		oh_err_clear(err);
		return oh_err(err, 0, "%s: cannot add \"%s\" to its imports in one line "
			      "(the value spans lines?); add it by hand, then run setup "
			      "again", full, CTRD_IMPORT);
	}
	return changeset_put(cs, CTRD_MAIN, b.data, b.len, err);
}

/* The files an import names, relative ones against /etc/containerd. */
static void import_files(struct changeset *cs, const char *imp, struct paths *out)
{
	cleanup_free char *pat = imp[0] == '/' ? xstrdup(imp) :
				 xasprintf("/etc/containerd/%s", imp);

	if (strpbrk(pat, "*?[")) {
		glob_rooted(cs, pat, out);
	} else {
		out->v = xcalloc(1, sizeof(*out->v));
		out->v[0] = xstrdup(pat);
		out->n = 1;
	}
}

/* The document whose CRI section containerd uses now: the main file's,
 * or the last import's defining it (each replaces the one before).
 * *from is the main document or a new one; NULL when none defines it. */
static int ctrd_cri_from(struct changeset *cs, struct jdoc *main_doc,
			 struct jdoc **from, struct oh_error *err)
{
	static const char *const cri_key[] = { "plugins", CRI_PLUGIN, NULL };
	struct jval *imp = jobj_get(json_root(main_doc), "imports");

	*from = dig(json_root(main_doc), cri_key) ? main_doc : NULL;
	for (uint32_t i = 0; imp && imp->type == J_ARRAY && i < imp->len; i++) {
		const struct jval *e = &imp->u.items[i];
		cleanup_paths struct paths files = { 0 };
		if (e->type != J_STRING || is_ours(e->u.str))
			continue;
		import_files(cs, e->u.str, &files);
		for (size_t k = 0; k < files.n; k++) {
			struct jdoc *doc;
			if (strcmp(files.v[k], CTRD_DROPIN) == 0)
				continue;
			if (read_toml(cs, files.v[k], &doc, NULL, NULL, err) < 0)
				return -1;
			if (doc && dig(json_root(doc), cri_key)) {
				if (*from != main_doc)
					json_free(*from);
				*from = doc;
			} else {
				json_free(doc);
			}
		}
	}
	return 0;
}

/*
 * Clients outside CRI (ctr, nerdctl) pass the runc shim no BinaryName, and
 * the shim then runs `runc` from the PATH containerd gave it (containerd
 * 1.6: runtime/v2/runc/options and shim.Command inheriting containerd's
 * environment; observed here with `ctr run`).  So the PATH of containerd's
 * service starts with a directory holding only runc, the installed link to
 * the wrapper, which finds the real runc further along PATH (never
 * itself).  Written as a systemd drop-in, which overrides the unit's
 * Environment=; a unit or drop-in that sets PATH or reads an
 * EnvironmentFile= (which overrides Environment=) is named for the admin
 * instead of being guessed at.
 */
#define CTRD_UNIT "containerd.service"
#define CTRD_UNIT_DROPIN "/etc/systemd/system/" CTRD_UNIT ".d/99-oci-harden.conf"
/* systemd's PATH for services (systemd.exec(5)), with /sbin and /bin for
 * hosts whose /usr is not merged. */
#define SERVICE_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

/*
 * Whether one word of an Environment= value assigns PATH.  The value is a
 * list of words as systemd splits it (systemd.exec(5), systemd.syntax(7)):
 * separated by blanks outside quotes, double or single quotes anywhere in
 * a word, C escapes unescaped.  A name holding a backslash or a specifier
 * (%) could spell PATH in a way not decoded here: it counts as PATH.
 */
static bool word_sets_path(const char *w, size_t n)
{
	const char *eq = memchr(w, '=', n);
	size_t k = 0;
	char name[5];

	if (eq == NULL)
		return false;
	for (const char *c = w; c < eq; c++) {
		if (*c == '\\' || *c == '%')
			return true;
		if (*c == '"' || *c == '\'')
			continue;
		if (k == sizeof(name) - 1)
			return false;
		name[k++] = *c;
	}
	name[k] = '\0';
	return strcmp(name, "PATH") == 0;
}

static bool environment_sets_path(const char *v, size_t n)
{
	size_t i = 0;

	while (i < n) {
		while (i < n && (v[i] == ' ' || v[i] == '\t'))
			i++;
		size_t start = i;
		char quote = 0;
		for (; i < n && (quote || (v[i] != ' ' && v[i] != '\t')); i++) {
			if (v[i] == '\\' && i + 1 < n)
				i++;
			else if (quote && v[i] == quote)
				quote = 0;
			else if (!quote && (v[i] == '"' || v[i] == '\''))
				quote = v[i];
		}
		if (i > start && word_sets_path(v + start, i - start))
			return true;
	}
	return false;
}

/* UnsetEnvironment= names a variable, or one assignment of it. */
static bool unset_names_path(const char *v, size_t n)
{
	for (size_t i = 0; i < n;) {
		while (i < n && (v[i] == ' ' || v[i] == '\t'))
			i++;
		size_t start = i;
		while (i < n && v[i] != ' ' && v[i] != '\t')
			i++;
		size_t len = i - start;
		if ((len == 4 || (len > 4 && v[start + 4] == '=')) &&
		    memcmp(v + start, "PATH", 4) == 0)
			return true;
		if (memchr(v + start, '\\', len) != NULL || memchr(v + start, '%', len) != NULL ||
		    memchr(v + start, '"', len) != NULL || memchr(v + start, '\'', len) != NULL)
			return true;
	}
	return false;
}

const char *setup_unit_env_find(const char *t, size_t n, unsigned *line)
{
	bool service = false;
	unsigned at = 1;
	cleanup_free char *logical = xmalloc(n + 1);

	for (size_t p = 0; p < n;) {
		/* One logical line, as systemd 252's config_parse reads it (and
		 * systemd-analyze verify agrees): a line ends at LF, CR, CRLF or
		 * NUL; one whose first non-blank is # or ; is skipped first,
		 * inside a continuation or not, whatever it ends with; a line
		 * whose last byte is an unescaped backslash goes on in the
		 * next, the backslash read as a blank (an escaped backslash at
		 * the end, or blanks after the backslash, end it). */
		size_t len = 0;
		unsigned first = at;
		bool more = true;
		while (more && p < n) {
			size_t end = p;
			while (end < n && t[end] != '\n' && t[end] != '\r' && t[end] != '\0')
				end++;
			size_t next = end < n && t[end] == '\r' && end + 1 < n && t[end + 1] == '\n'
				? end + 2 : end < n ? end + 1 : n;
			size_t b = p;
			while (b < end && (t[b] == ' ' || t[b] == '\t'))
				b++;
			at++;
			if (b < end && (t[b] == '#' || t[b] == ';')) {
				if (len == 0)
					first = at;
				p = next;
				continue;
			}
			bool escaped = false;
			for (size_t k = p; k < end; k++)
				escaped = !escaped && t[k] == '\\';
			more = escaped;
			size_t k = more ? end - 1 - p : end - p;
			memcpy(logical + len, t + p, k);
			len += k;
			if (more)
				logical[len++] = ' ';
			p = next;
		}
		logical[len] = '\0';
		const char *l = logical + strspn(logical, " \t");
		size_t ll = strlen(l);
		while (ll > 0 && (l[ll - 1] == ' ' || l[ll - 1] == '\t'))
			ll--;
		if (ll == 0 || l[0] == '#' || l[0] == ';')
			continue;
		if (l[0] == '[') {
			service = ll == 9 && memcmp(l, "[Service]", 9) == 0;
			continue;
		}
		const char *eq = memchr(l, '=', ll);
		if (!service || eq == NULL)
			continue;
		size_t kl = (size_t)(eq - l);
		while (kl > 0 && (l[kl - 1] == ' ' || l[kl - 1] == '\t'))
			kl--;
		const char *v = eq + 1 + strspn(eq + 1, " \t");
		size_t vl = ll - (size_t)(v - l);
		const char *what = NULL;
		if (kl == 11 && memcmp(l, "Environment", 11) == 0 && environment_sets_path(v, vl))
			what = "sets PATH";
		else if (kl == 15 && memcmp(l, "EnvironmentFile", 15) == 0 && vl > 0)
			what = "reads an environment file";
		else if (kl == 16 && memcmp(l, "UnsetEnvironment", 16) == 0 && unset_names_path(v, vl))
			what = "unsets PATH";
		if (what != NULL) {
			*line = first;
			return what;
		}
	}
	return NULL;
}

/* Where a unit file or its drop-in sets PATH or names an environment
 * file: "FILE: line N" in *where, else NULL. */
static int unit_env(struct changeset *cs, char **where, struct oh_error *err)
{
	static const char *const dirs[] = { "/etc/systemd/system", "/run/systemd/system",
					    "/usr/local/lib/systemd/system",
					    "/usr/lib/systemd/system", "/lib/systemd/system" };

	*where = NULL;
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]) && *where == NULL; i++) {
		cleanup_free char *unit = xasprintf("%s/" CTRD_UNIT, dirs[i]);
		cleanup_free char *ddir = xasprintf("%s/" CTRD_UNIT ".d", dirs[i]);
		/* service.d/ applies to every service (systemd.unit(5)) */
		cleanup_free char *all = xasprintf("%s/service.d", dirs[i]);
		cleanup_paths struct paths d = { 0 }, a = { 0 };
		dropins(cs, ddir, ".conf", &d);
		dropins(cs, all, ".conf", &a);
		for (size_t k = 0; k < 1 + d.n + a.n && *where == NULL; k++) {
			const char *path = k == 0 ? unit : k <= d.n ? d.v[k - 1] : a.v[k - 1 - d.n];
			const char *t, *what;
			size_t n;
			unsigned line;
			if (strcmp(path, CTRD_UNIT_DROPIN) == 0)
				continue;
			if (changeset_read(cs, path, &t, &n, err) < 0)
				return -1;
			if (t != NULL && (what = setup_unit_env_find(t, n, &line)) != NULL) {
				cleanup_free char *full = changeset_path(cs, path);
				*where = xasprintf("%s: line %u %s", full, line, what);
			}
		}
	}
	return 0;
}

static int ctrd_unit(const struct setup_opts *o, struct changeset *cs,
		     struct oh_buf *notes, struct oh_error *err)
{
	cleanup_free char *where = NULL;

	if (unit_env(cs, &where, err) < 0)
		return -1;
	if (where != NULL) {
		oh_buf_printf(notes, "containerd: %s: put %s first in the PATH containerd "
			      "runs with, else `ctr run` (no BinaryName) runs runc unhardened\n",
			      where, o->runc_dir);
		return 0;
	}
	cleanup_free char *text = xasprintf(DROPIN_HEADER
		"# The runc shim runs `runc` from containerd's PATH for clients that pass\n"
		"# no BinaryName (ctr, nerdctl): the first one found is the wrapper.\n"
		"[Service]\n"
		"Environment=\"PATH=%s:" SERVICE_PATH "\"\n",
		"containerd", "containerd", o->runc_dir);
	if (changeset_put(cs, CTRD_UNIT_DROPIN, text, strlen(text), err) < 0)
		return -1;
	oh_buf_printf(notes, "containerd: " CTRD_UNIT_DROPIN " puts %s first in "
		      "containerd's PATH: run `systemctl daemon-reload`; without "
		      "systemd, start containerd with PATH=%s:$PATH\n",
		      o->runc_dir, o->runc_dir);
	return 0;
}

/*
 * containerd (1.6, config version 2) merges an import by replacing whole
 * plugin sections, not single keys (containerd issue #5837), so the
 * drop-in carries the CRI plugin's whole section as containerd reads it
 * now with one change: the default runtime's BinaryName is the wrapper.
 * The runc shim executes that binary as runc.
 */
static int plan_containerd(const struct setup_opts *o, struct changeset *cs,
			   struct oh_buf *notes, struct oh_error *err)
{
	static const char *const cri_key[] = { "plugins", CRI_PLUGIN, NULL };
	cleanup_free char *full = changeset_path(cs, CTRD_MAIN);
	cleanup_jdoc struct jdoc *main_doc = NULL;
	cleanup_jdoc struct jdoc *other = NULL;   /* an import's, when it is not main_doc */
	cleanup_jdoc struct jdoc *t = json_new();
	struct jdoc *from = NULL;
	const char *text;
	size_t len;

	if (read_toml(cs, CTRD_MAIN, &main_doc, &text, &len, err) < 0)
		return -1;
	if (main_doc == NULL) {
		static const char fresh[] = "version = 2\nimports = [\"" CTRD_IMPORT "\"]\n";
		if (changeset_put(cs, CTRD_MAIN, fresh, sizeof(fresh) - 1, err) < 0)
			return -1;
	} else {
		struct jval *v = jobj_get(json_root(main_doc), "version");
		uint64_t ver = 0;
		if (v == NULL || !jv_get_u64(v, &ver) || ver != 2)
			return oh_err(err, 0, "%s: config version %s; setup writes version 2 "
				      "(containerd 1.5 to 1.7): migrate it with `containerd "
				      "config migrate`, or wire the wrapper by hand", full,
				      v ? "other than 2" : "1 (no version key)");
		if (ctrd_cri_from(cs, main_doc, &from, err) < 0)
			return -1;
		if (from != main_doc)
			other = from;
		/* Before the drop-in is built: that shares (and changes) the
		 * main document's CRI section, which this compares with. */
		if (ctrd_main(cs, text, len, main_doc, err) < 0)
			return -1;
	}
	struct jval *root = json_root(t);
	*root = jv_object(t, 0);
	jobj_set(t, root, "version", jv_u64(t, 2));
	struct jval *plugins = table(t, root, "plugins");
	if (from)
		jobj_set(t, plugins, CRI_PLUGIN, *dig(json_root(from), cri_key));
	struct jval *c = table(t, table(t, plugins, CRI_PLUGIN), "containerd");
	const char *name = str_or(jobj_get(c, "default_runtime_name"), "runc");
	struct jval *rt = table(t, table(t, c, "runtimes"), name);
	struct jval *type = jobj_get(rt, "runtime_type");
	if (type == NULL && strcmp(name, "runc") == 0)
		/* containerd's default fills runtime_type only while the
		 * runtime's section is absent; ours is not. */
		jobj_set(t, rt, "runtime_type", jv_str(t, RUNC_SHIM));
	else if (!jv_is_str(type, RUNC_SHIM))
		return oh_err(err, 0, "%s: the default runtime \"%s\" has runtime_type "
			      "\"%s\"; only the runc shim (%s) takes a BinaryName, so setup "
			      "cannot put the wrapper in front of it", full, name,
			      str_or(type, "(none)"), RUNC_SHIM);
	struct jval *opts = table(t, rt, "options");
	const char *prev = str_or(jobj_get(opts, "BinaryName"), "");
	if (prev[0] && strcmp(prev, o->runtime) != 0)
		oh_buf_printf(notes, "containerd: BinaryName was \"%s\"; the wrapper runs "
			      "runc unless the policy's runtime.path names it\n", prev);
	jobj_set(t, opts, "BinaryName", jv_str(t, o->runtime));
	if (put_toml(cs, CTRD_DROPIN, "containerd", root, err) < 0 ||
	    ctrd_unit(o, cs, notes, err) < 0)
		return -1;
	oh_buf_puts(notes, "containerd: " CTRD_DROPIN " now holds the whole CRI "
		    "plugin section, which replaces config.toml's: after editing CRI "
		    "settings in config.toml, run setup again\n"
		    "containerd: restart containerd (systemctl restart "
		    "containerd); running containers keep their shim\n");
	return 0;
}

int setup_plan(enum setup_engine e, const struct setup_opts *o,
	       struct changeset *cs, struct oh_buf *notes, struct oh_error *err)
{
	switch (e) {
	case ENGINE_PODMAN: return plan_podman(o, cs, notes, err);
	case ENGINE_DOCKER: return plan_docker(o, cs, notes, err);
	case ENGINE_CONTAINERD: return plan_containerd(o, cs, notes, err);
	case ENGINE_CRIO: return plan_crio(o, cs, notes, err);
	}
	return oh_err(err, 0, "unknown engine");
}
