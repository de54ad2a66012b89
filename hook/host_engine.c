/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The container engines' defaults: Docker's daemon.json (JSON, read with
 * the project's strict parser), podman's containers.conf, CRI-O's crio.conf
 * and containerd's config.toml (TOML).  For each engine installed: whether
 * oci-harden's hooks or its runtime wrapper are in place, and which
 * defaults are weaker than D04 asks.
 *
 * TOML is read through toml.h, the project's one TOML reader (Python's
 * maintained tomllib in a child process, its answer read with the strict
 * JSON parser): no C TOML library is packaged for Debian 12, and a
 * hand-written reader would be one more parser to disagree with the
 * engines' own.  Without python3 the report says the TOML files were not
 * read instead of guessing.
 */
#include "hostscan.h"

#include <dirent.h>
#include <stdarg.h>
#include <errno.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "caps.h"
#include "json.h"
#include "toml.h"
#include "util.h"

const char *const engine_name[ENG_COUNT] = {
	[ENG_DOCKER] = "docker", [ENG_PODMAN] = "podman", [ENG_CRIO] = "cri-o",
	[ENG_CONTAINERD] = "containerd",
};

/* ------------------------------------------------------------- helpers */

static void weak(struct host_engine *e, const char *source, const char *pointer,
		 const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void weak(struct host_engine *e, const char *source, const char *pointer,
		 const char *fmt, ...)
{
	va_list ap;

	e->weak = xrealloc(e->weak, (e->nweak + 1) * sizeof(*e->weak));
	struct engine_weak *w = &e->weak[e->nweak++];
	w->source = xstrdup(source);
	w->pointer = xstrdup(pointer);
	w->line = w->column = w->end_line = w->end_column = 0;
	va_start(ap, fmt);
	if (vasprintf(&w->message, fmt, ap) < 0)
		w->message = xstrdup("?");
	va_end(ap);
}

static void add_file(struct host_engine *e, const char *path)
{
	e->files = xrealloc(e->files, (e->nfiles + 1) * sizeof(*e->files));
	e->files[e->nfiles++] = xstrdup(path);
}

static bool exists_under(const char *root, const char *rel)
{
	cleanup_free char *p = host_path(root, rel);

	return access(p, F_OK) == 0;
}

static bool is_wrapper(const char *path)
{
	const char *base = strrchr(path, '/');

	return strcmp(base ? base + 1 : path, "oci-harden-runtime") == 0;
}

/* Installed: one of the binaries, or one of the packages. */
static void detect(struct host_engine *e, const char *root, const struct host_pkgs *pk,
		   const char *const bins[], const char *const pkgs[])
{
	for (size_t i = 0; bins[i] && !e->installed; i++)
		if (exists_under(root, bins[i])) {
			e->installed = true;
			e->evidence = host_path(root, bins[i]);
		}
	for (size_t i = 0; pkgs[i] && !e->installed; i++) {
		const struct host_pkg *p = host_pkg_find(pk, pkgs[i]);
		if (p != NULL) {
			e->installed = true;
			e->evidence = xasprintf("dpkg package %s %s", p->name, p->version);
		}
	}
}

/* A parsed configuration file (JSON, or TOML converted to JSON). */
struct conf {
	char *path;
	struct jdoc *doc;
};

/* Reads ROOT/rel as TOML; absent files are skipped (0), errors recorded
 * on the engine (-1). */
static int read_toml(struct host_engine *e, const char *root, const char *rel,
		     struct conf *c)
{
	struct oh_error err = { 0 };

	c->doc = NULL;
	c->path = host_path(root, rel);
	if (access(c->path, F_OK) < 0) {
		free(c->path);
		c->path = NULL;
		return 0;
	}
	add_file(e, c->path);
	struct oh_buf text = { 0 };
	int rc = host_read(root, rel, OH_MAX_INPUT, &text);
	if (rc < 0)
		oh_err(&err, errno, "%s", c->path);
	else
		rc = toml_parse(text.data, text.len, c->path, &c->doc, &err);
	oh_buf_free(&text);
	if (rc < 0) {
		/* No reader: a statement, not an error of the file. */
		bool no_reader = strstr(err.msg, ": reading TOML needs ") != NULL;
		char **slot = no_reader ? &e->unjudged : &e->error;
		if (*slot == NULL)
			*slot = no_reader ? xasprintf("TOML files are not read: %s", err.msg)
					  : xstrdup(err.msg);
		free(c->path);
		c->path = NULL;
		return -1;
	}
	return 1;
}

/* A main file followed by its drop-in directory's *.conf, in name order:
 * later files override earlier ones key by key. */
static size_t read_confs(struct host_engine *e, const char *root,
			 const char *const mains[], const char *dropins,
			 struct conf *out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; mains[i] && n < max; i++)
		if (read_toml(e, root, mains[i], &out[n]) > 0)
			n++;
	if (dropins == NULL)
		return n;
	cleanup_free char *dir = host_path(root, dropins);
	struct dirent **names = NULL;
	int k = scandir(dir, &names, NULL, alphasort);
	for (int i = 0; i < k; i++) {
		size_t l = strlen(names[i]->d_name);
		if (l > 5 && strcmp(names[i]->d_name + l - 5, ".conf") == 0 && n < max) {
			cleanup_free char *rel = xasprintf("%s/%s", dropins, names[i]->d_name);
			if (read_toml(e, root, rel, &out[n]) > 0)
				n++;
		}
		free(names[i]);
	}
	free(names);
	return n;
}

static void free_confs(struct conf *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(c[i].path);
		json_free(c[i].doc);
	}
}

/* The value at table.key in the last file that sets it. */
static const struct jval *last_set(const struct conf *c, size_t n, const char *const path[],
				   const char **source)
{
	for (size_t i = n; i-- > 0;) {
		const struct jval *v = json_root(c[i].doc);
		for (size_t k = 0; path[k] && v; k++)
			v = jobj_get(v, path[k]);
		if (v != NULL) {
			*source = c[i].path;
			return v;
		}
	}
	return NULL;
}

/* Capabilities of a list outside the policy's allowlist, named. */
static void caps_beyond(const struct jval *list, uint64_t allowed, struct oh_buf *b)
{
	for (uint32_t i = 0; list && list->type == J_ARRAY && i < list->len; i++) {
		const struct jval *v = &list->u.items[i];
		if (v->type != J_STRING)
			continue;
		int cap = caps_from_loose(v->u.str);
		if (cap >= 0 && cap < 64 && (allowed & (UINT64_C(1) << cap)))
			continue;
		oh_buf_printf(b, "%s%s", b->len ? ", " : "", v->u.str);
	}
}

/*
 * The hooks.d directories: oci-harden's hooks are in place when a hook
 * file there runs oci-harden at precreate (rewrite) or createRuntime
 * (refuse).  Returns the stages found, comma-separated, or NULL.
 */
static char *harden_hooks(const char *root, const struct jval *dirs,
			  const char *const defaults[], struct oh_buf *where)
{
	struct oh_buf stages = { 0 };
	size_t nd = dirs && dirs->type == J_ARRAY ? dirs->len : 0;

	for (size_t i = 0; dirs ? i < nd : defaults[i] != NULL; i++) {
		const char *d = dirs ? (dirs->u.items[i].type == J_STRING
					? dirs->u.items[i].u.str : NULL) : defaults[i];
		if (d == NULL)
			continue;
		cleanup_free char *dir = host_path(root, d);
		struct dirent **names = NULL;
		int k = scandir(dir, &names, NULL, alphasort);
		for (int j = 0; j < k; j++) {
			const char *nm = names[j]->d_name;
			size_t l = strlen(nm);
			struct oh_buf b = { 0 };
			cleanup_free char *rel = xasprintf("%s/%s", d, nm);
			struct jdoc *doc = NULL;
			struct oh_error err = { 0 };

			bool parsed = false;
			if (l > 5 && strcmp(nm + l - 5, ".json") == 0 &&
			    host_read(root, rel, 1 << 20, &b) == 0) {
				parsed = json_parse(b.data, b.len, rel, &doc, &err) == 0;
				b = (struct oh_buf){ 0 };   /* the parser owns it */
			}
			if (parsed) {
				const struct jval *r = json_root(doc);
				const struct jval *path = jobj_get(jobj_get(r, "hook"), "path");
				const struct jval *st = jobj_get(r, "stages");
				if (path && path->type == J_STRING && strstr(path->u.str, "oci-harden") &&
				    st && st->type == J_ARRAY) {
					for (uint32_t s = 0; s < st->len; s++)
						if (st->u.items[s].type == J_STRING &&
						    !strstr(stages.data ? stages.data : "", st->u.items[s].u.str))
							oh_buf_printf(&stages, "%s%s", stages.len ? "," : "",
								      st->u.items[s].u.str);
					oh_buf_printf(where, "%s%s/%s", where->len ? ", " : "", dir, nm);
				}
				json_free(doc);
			}
			oh_buf_free(&b);
			free(names[j]);
		}
		free(names);
	}
	return stages.data;
}

static bool stage_in(const char *stages, const char *s)
{
	if (stages == NULL)
		return false;
	size_t n = strlen(s);
	for (const char *p = stages; (p = strstr(p, s)) != NULL; p += n)
		if ((p == stages || p[-1] == ',') && (p[n] == ',' || p[n] == '\0'))
			return true;
	return false;
}

/* ------------------------------------------------------------- Docker */

static void docker(struct host_engine *e, const char *root)
{
	cleanup_free char *path = host_path(root, "etc/docker/daemon.json");
	struct oh_buf b = { 0 };
	struct jdoc *doc = NULL;
	struct oh_error err = { 0 };
	const struct jval *r = NULL;
	char *text = NULL;
	size_t text_len = 0;

	if (host_read(root, "etc/docker/daemon.json", OH_MAX_INPUT, &b) == 0) {
		add_file(e, path);
		text = xmalloc(b.len + 1);
		memcpy(text, b.data, b.len + 1);
		text_len = b.len;
		if (json_parse(b.data, b.len, path, &doc, &err) < 0) {
			free(text);
			e->error = xstrdup(err.msg);
			return;
		}
		r = json_root(doc);
	} else if (errno != ENOENT) {
		e->error = xasprintf("%s: %s", path, strerror(errno));
		oh_buf_free(&b);
		return;
	} else {
		oh_buf_free(&b);
	}
	/* Without the file, Docker's defaults hold; findings still name the
	 * file where the setting belongs. */
	const char *src = path;
	const struct jval *v;

	v = jobj_get(r, "no-new-privileges");
	if (v == NULL || v->type != J_TRUE)
		weak(e, src, "/no-new-privileges", "containers may gain privileges through "
		     "setuid binaries: set \"no-new-privileges\": true (CIS 2.18)");
	v = jobj_get(r, "seccomp-profile");
	if (v && jv_is_str(v, "unconfined"))
		weak(e, src, "/seccomp-profile", "\"seccomp-profile\" is \"unconfined\": "
		     "containers run without a seccomp filter unless they ask for one "
		     "(CIS 2.16)");
	v = jobj_get(r, "userns-remap");
	if (v == NULL || (v->type == J_STRING && v->u.str[0] == '\0'))
		weak(e, src, "/userns-remap", "no \"userns-remap\": root in a container "
		     "is root on the host (CIS 2.9)");
	v = jobj_get(r, "icc");
	if (v == NULL || v->type != J_FALSE)
		weak(e, src, "/icc", "\"icc\" is not false: containers on the default "
		     "bridge reach each other on every port (CIS 2.2)");

	/* The wrapper: the default runtime's path is oci-harden-runtime. */
	const struct jval *rts = jobj_get(r, "runtimes");
	v = jobj_get(r, "default-runtime");
	const char *def = v && v->type == J_STRING ? v->u.str : "runc";
	const struct jval *dp = jobj_get(jobj_get(rts, def), "path");
	const char *other = NULL;
	for (uint32_t i = 0; rts && rts->type == J_OBJECT && i < rts->len; i++) {
		const struct jval *pp = jobj_get(&rts->u.members[i].val, "path");
		if (pp && pp->type == J_STRING && is_wrapper(pp->u.str))
			other = rts->u.members[i].key;
	}
	if (dp && dp->type == J_STRING && is_wrapper(dp->u.str)) {
		e->wrapper = true;
		e->hardening = xasprintf("the default runtime \"%s\" is %s", def, dp->u.str);
	} else if (other != NULL) {
		e->hardening = xasprintf("runtime \"%s\" is oci-harden-runtime, but the "
					 "default runtime is \"%s\": only containers run with "
					 "--runtime %s are hardened", other, def, other);
	} else {
		e->hardening = xasprintf("the default runtime is \"%s\", not "
					 "oci-harden-runtime (Docker runs no OCI hooks)", def);
	}
	/* Code-scanning dashboards place results by line: where each weak
	 * setting is, or the nearest enclosing member. */
	for (size_t i = 0; doc != NULL && text != NULL && i < e->nweak; i++) {
		struct json_region rg;
		json_region(text, text_len, e->weak[i].pointer, &rg);
		e->weak[i].line = rg.start_line;
		e->weak[i].column = rg.start_column;
		e->weak[i].end_line = rg.end_line;
		e->weak[i].end_column = rg.end_column;
	}
	free(text);
	json_free(doc);
}

/* ------------------------------------------------------------- podman */

/* podman 4.3's default hooks_dir (containers.conf): only the shared
 * directory, not /etc/containers/oci/hooks.d (measured, README: Packaging). */
static const char *const podman_hook_dirs[] = {
	"/usr/share/containers/oci/hooks.d", NULL,
};

static void hooks_verdict(struct host_engine *e, const char *root, const struct jval *dirs,
			  const char *dirs_src, const char *const defaults[], bool precreate)
{
	struct oh_buf where = { 0 };
	cleanup_free char *stages = harden_hooks(root, dirs, defaults, &where);
	/* podman rewrites at precreate and refuses at createRuntime; CRI-O
	 * has no precreate stage and relies on createRuntime. */
	bool rewrite = precreate && stage_in(stages, "precreate");
	bool refuse = stage_in(stages, "createRuntime") || stage_in(stages, "prestart");
	if (!precreate && stage_in(stages, "precreate")) {
		/* CRI-O's hook loader refuses a whole directory when one file
		 * names a stage it does not know: no hook there runs at all. */
		e->hardening = xasprintf("a precreate hook in %s: CRI-O refuses hooks "
					 "directories holding a stage it does not know, so "
					 "none of their hooks runs", where.data);
	} else if (rewrite || refuse) {
		e->hooks = true;
		e->hardening = xasprintf("oci-harden hooks (%s) in %s%s", stages, where.data,
					 precreate && !rewrite ? "; no precreate hook: configs "
					 "are refused, never rewritten" : "");
	} else {
		struct oh_buf d = { 0 };
		for (size_t i = 0; dirs ? i < dirs->len : defaults[i] != NULL; i++) {
			const char *s = dirs ? (dirs->u.items[i].type == J_STRING ?
						dirs->u.items[i].u.str : "?") : defaults[i];
			oh_buf_printf(&d, "%s%s", d.len ? ", " : "", s);
		}
		e->hardening = xasprintf("no oci-harden hook in the hooks directories (%s%s%s)",
					 d.data ? d.data : "none", dirs_src ? " from " : "",
					 dirs_src ? dirs_src : "");
		oh_buf_free(&d);
	}
	oh_buf_free(&where);
}

static void podman(struct host_engine *e, const char *root, uint64_t allowed)
{
	/* containers/common's order: the vendor's file and drop-ins, then
	 * the administrator's. */
	static const char *const vendor[] = { "usr/share/containers/containers.conf", NULL };
	static const char *const admin[] = { "etc/containers/containers.conf", NULL };
	struct conf c[64];
	size_t n = read_confs(e, root, vendor, "usr/share/containers/containers.conf.d", c, 32);
	n += read_confs(e, root, admin, "etc/containers/containers.conf.d", c + n, 64 - n);
	const char *src = NULL;
	const struct jval *v;
	/* A setting no file makes is podman's default: named as the file
	 * where an administrator would set it. */
	cleanup_free char *etc = host_path(root, "etc/containers/containers.conf");

	if (e->error == NULL && e->unjudged == NULL) {
		v = last_set(c, n, (const char *const[]){ "containers", "seccomp_profile", NULL }, &src);
		if (v && jv_is_str(v, "unconfined"))
			weak(e, src, "/containers/seccomp_profile", "seccomp_profile is "
			     "\"unconfined\": containers run without a seccomp filter");
		v = last_set(c, n, (const char *const[]){ "containers", "apparmor_profile", NULL }, &src);
		if (v && jv_is_str(v, "unconfined"))
			weak(e, src, "/containers/apparmor_profile", "apparmor_profile is "
			     "\"unconfined\": containers run without AppArmor confinement");
		v = last_set(c, n, (const char *const[]){ "containers", "default_capabilities", NULL }, &src);
		struct oh_buf extra = { 0 };
		caps_beyond(v, allowed, &extra);
		if (extra.len > 0)
			weak(e, src, "/containers/default_capabilities", "default_capabilities "
			     "grant %s beyond the policy's allowlist", extra.data);
		oh_buf_free(&extra);
		src = NULL;
		v = last_set(c, n, (const char *const[]){ "containers", "no_new_privileges", NULL }, &src);
		if (v == NULL || v->type != J_TRUE)
			weak(e, src ? src : etc,
			     "/containers/no_new_privileges", "no_new_privileges is not true: "
			     "containers may gain privileges through setuid binaries unless "
			     "each is run with --security-opt no-new-privileges");

		const char *dsrc = NULL;
		const struct jval *dirs = last_set(c, n, (const char *const[]){ "engine", "hooks_dir", NULL }, &dsrc);
		hooks_verdict(e, root, dirs, dsrc, podman_hook_dirs, true);
		e->hardening_source = xstrdup(dsrc ? dsrc : etc);
		/* The wrapper as podman's runtime: engine.runtime names an
		 * engine.runtimes entry whose paths list oci-harden-runtime. */
		const struct jval *rt = last_set(c, n, (const char *const[]){ "engine", "runtime", NULL }, &src);
		if (rt && rt->type == J_STRING) {
			const struct jval *paths = last_set(c, n, (const char *const[]){
				"engine", "runtimes", rt->u.str, NULL }, &src);
			for (uint32_t i = 0; paths && paths->type == J_ARRAY && i < paths->len; i++)
				if (paths->u.items[i].type == J_STRING &&
				    is_wrapper(paths->u.items[i].u.str))
					e->wrapper = true;
		}
		if (e->wrapper && !e->hooks) {
			free(e->hardening);
			e->hardening = xstrdup("the runtime is oci-harden-runtime");
		}
	}
	free_confs(c, n);
}

/* -------------------------------------------------------------- CRI-O */

static void crio(struct host_engine *e, const char *root, uint64_t allowed)
{
	static const char *const mains[] = { "etc/crio/crio.conf", NULL };
	static const char *const hook_dirs[] = { "/usr/share/containers/oci/hooks.d", NULL };
	struct conf c[64];
	size_t n = read_confs(e, root, mains, "etc/crio/crio.conf.d", c, 64);
	const char *src = NULL;
	const struct jval *v;

	if (e->error != NULL || e->unjudged != NULL) {
		free_confs(c, n);
		return;
	}
	v = last_set(c, n, (const char *const[]){ "crio", "runtime", "seccomp_profile", NULL }, &src);
	if (v && jv_is_str(v, "unconfined"))
		weak(e, src, "/crio/runtime/seccomp_profile", "seccomp_profile is "
		     "\"unconfined\": containers run without a seccomp filter");
	v = last_set(c, n, (const char *const[]){ "crio", "runtime", "default_capabilities", NULL }, &src);
	struct oh_buf extra = { 0 };
	caps_beyond(v, allowed, &extra);
	if (extra.len > 0)
		weak(e, src, "/crio/runtime/default_capabilities", "default_capabilities "
		     "grant %s beyond the policy's allowlist", extra.data);
	oh_buf_free(&extra);
	const char *dsrc = NULL;
	const struct jval *dirs = last_set(c, n, (const char *const[]){ "crio", "runtime", "hooks_dir", NULL }, &dsrc);
	hooks_verdict(e, root, dirs, dsrc, hook_dirs, false);
	e->hardening_source = dsrc ? xstrdup(dsrc) : host_path(root, "etc/crio/crio.conf");
	v = last_set(c, n, (const char *const[]){ "crio", "runtime",
		"seccomp_use_default_when_empty", NULL }, &src);
	if (v && v->type == J_FALSE)
		weak(e, src, "/crio/runtime/seccomp_use_default_when_empty",
		     "seccomp_use_default_when_empty is false: containers that name no "
		     "seccomp profile run without a filter");
	v = last_set(c, n, (const char *const[]){ "crio", "runtime", "default_runtime", NULL }, &src);
	const char *def = v && v->type == J_STRING ? v->u.str : "runc";
	const struct jval *rp = last_set(c, n, (const char *const[]){
		"crio", "runtime", "runtimes", def, "runtime_path", NULL }, &src);
	if (rp && rp->type == J_STRING && is_wrapper(rp->u.str)) {
		e->wrapper = true;
		char *h = xasprintf("%s%sthe default runtime \"%s\" is %s",
				    e->hooks ? e->hardening : "", e->hooks ? "; " : "", def,
				    rp->u.str);
		free(e->hardening);
		e->hardening = h;
	} else if (e->hooks) {
		char *h = xasprintf("%s; the default runtime \"%s\" is not oci-harden-runtime: "
				    "configs are refused, never rewritten", e->hardening, def);
		free(e->hardening);
		e->hardening = h;
	}
	free_confs(c, n);
}

/* --------------------------------------------------------- containerd */

static void containerd(struct host_engine *e, const char *root)
{
	static const char *const mains[] = { "etc/containerd/config.toml", NULL };
	/* containerd 1.x (config version 2) and 2.x (version 3) name the CRI
	 * runtime plugin differently. */
	static const char *const plugins[] = {
		"io.containerd.grpc.v1.cri", "io.containerd.cri.v1.runtime", NULL,
	};
	struct conf c[17];
	size_t n = read_confs(e, root, mains, NULL, c, 1);

	/* Its imports, merged over it in order (how `oci-harden setup` puts
	 * the wrapper in place): relative paths against /etc/containerd, glob
	 * patterns expanded as containerd does. */
	const struct jval *imp = n > 0 ? jobj_get(json_root(c[0].doc), "imports") : NULL;
	for (uint32_t i = 0; imp && imp->type == J_ARRAY && i < imp->len && n < 17; i++) {
		const struct jval *v = &imp->u.items[i];
		if (v->type != J_STRING || v->u.str[0] == '\0')
			continue;
		cleanup_free char *rel = v->u.str[0] == '/' ? xstrdup(v->u.str + 1)
					 : xasprintf("etc/containerd/%s", v->u.str);
		cleanup_free char *pattern = host_path(root, rel);
		size_t prefix = strlen(pattern) - strlen(rel);
		glob_t g;
		if (glob(pattern, 0, NULL, &g) != 0)
			continue;
		for (size_t k = 0; k < g.gl_pathc && n < 17; k++)
			if (read_toml(e, root, g.gl_pathv[k] + prefix, &c[n]) > 0)
				n++;
		globfree(&g);
	}
	if (e->error != NULL || e->unjudged != NULL) {
		free_confs(c, n);
		return;
	}
	const char *bin = NULL, *def = "runc", *src = NULL;
	for (size_t i = 0; plugins[i] && bin == NULL; i++) {
		const struct jval *d = last_set(c, n, (const char *const[]){
			"plugins", plugins[i], "containerd", "default_runtime_name", NULL }, &src);
		if (d && d->type == J_STRING)
			def = d->u.str;
		const struct jval *b = last_set(c, n, (const char *const[]){
			"plugins", plugins[i], "containerd", "runtimes", def, "options",
			"BinaryName", NULL }, &src);
		if (b && b->type == J_STRING)
			bin = b->u.str;
	}
	if (bin != NULL && is_wrapper(bin)) {
		e->wrapper = true;
		e->hardening = xasprintf("the CRI runtime \"%s\" runs %s", def, bin);
	} else {
		e->hardening = xasprintf("the CRI runtime \"%s\" runs %s, not "
					 "oci-harden-runtime (BinaryName)", def,
					 bin ? bin : "runc from PATH");
	}
	free_confs(c, n);
}

void host_engines_read(const char *root, uint64_t allowed_caps,
		       const struct host_pkgs *pk, struct host_engine *e)
{
	for (int i = 0; i < ENG_COUNT; i++) {
		memset(&e[i], 0, sizeof(e[i]));
		e[i].kind = (enum engine_kind)i;
	}
	detect(&e[ENG_DOCKER], root, pk,
	       (const char *const[]){ "usr/bin/dockerd", "usr/sbin/dockerd", NULL },
	       (const char *const[]){ "docker.io", "docker-ce", "moby-engine", NULL });
	detect(&e[ENG_PODMAN], root, pk, (const char *const[]){ "usr/bin/podman", NULL },
	       (const char *const[]){ "podman", NULL });
	detect(&e[ENG_CRIO], root, pk, (const char *const[]){ "usr/bin/crio", "usr/local/bin/crio", NULL },
	       (const char *const[]){ "cri-o", NULL });
	detect(&e[ENG_CONTAINERD], root, pk,
	       (const char *const[]){ "usr/bin/containerd", "usr/local/bin/containerd", NULL },
	       (const char *const[]){ "containerd", "containerd.io", NULL });
	if (e[ENG_DOCKER].installed)
		docker(&e[ENG_DOCKER], root);
	if (e[ENG_PODMAN].installed)
		podman(&e[ENG_PODMAN], root, allowed_caps);
	if (e[ENG_CRIO].installed)
		crio(&e[ENG_CRIO], root, allowed_caps);
	if (e[ENG_CONTAINERD].installed)
		containerd(&e[ENG_CONTAINERD], root);
}

void host_engines_free(struct host_engine *e)
{
	for (int i = 0; i < ENG_COUNT; i++) {
		free(e[i].evidence);
		for (size_t k = 0; k < e[i].nfiles; k++)
			free(e[i].files[k]);
		free(e[i].files);
		free(e[i].error);
		free(e[i].unjudged);
		free(e[i].hardening);
		free(e[i].hardening_source);
		for (size_t k = 0; k < e[i].nweak; k++) {
			free(e[i].weak[k].source);
			free(e[i].weak[k].pointer);
			free(e[i].weak[k].message);
		}
		free(e[i].weak);
		memset(&e[i], 0, sizeof(e[i]));
	}
}
