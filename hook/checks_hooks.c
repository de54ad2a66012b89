/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The config's own hooks: every one is run by runc or crun as host root
 * with every capability, outside the container.  config-hooks admits only
 * the hooks the installation knows (oci-harden's own, the hooks.d
 * registrations, the policy's allowlist, Docker's libnetwork-setkey);
 * hook-loader-env the loader variables a hook would be given.
 */
#include "check.h"

#include <dirent.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "paths.h"
#include "policy.h"
#include "util.h"

/* --------------------------------------------------------- config hooks */

/*
 * What the hooks.d directories register: podman and CRI-O copy a
 * registered hook into the config as it is written there (path, args, env,
 * timeout) under each stage it names.  A config hook is that hook only if
 * all of what runs is the same: the path, the arguments (argv[0] picks
 * the code of many a binary) and the environment (LD_PRELOAD in it loads
 * any library into the host-root hook).  The timeout only bounds how long
 * it runs and is not compared.  An absent args or env is taken as an empty
 * one, as the engines copy them (omitted when empty).
 */
struct reg {
	const char *path;
	const struct jval *hook;     /* the file's "hook" object */
	const struct jval *stages;   /* its "stages" */
	struct jdoc *doc;            /* the parsed file, which these point into */
};

struct registry {
	struct reg *v;
	size_t n;
	bool loaded;
};

static void registry_read_dir(struct registry *r, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		size_t n = strlen(e->d_name);
		if (n < 6 || strcmp(e->d_name + n - 5, ".json") != 0)
			continue;
		cleanup_free char *path = oh_path_join(dir, e->d_name);
		struct oh_error err = { 0 };
		struct jdoc *doc;
		char *buf;
		size_t len;

		/* A file that cannot be read registers nothing. */
		if (oh_read_file(path, 1u << 20, &buf, &len, &err) < 0)
			continue;
		if (json_parse(buf, len, path, &doc, &err) < 0)
			continue;
		const struct jval *h = jobj_get(json_root(doc), "hook");
		const struct jval *hp = jobj_get(h, "path");
		if (h == NULL || h->type != J_OBJECT || hp == NULL || hp->type != J_STRING) {
			json_free(doc);
			continue;
		}
		if (r->n == 0 || (r->n & (r->n - 1)) == 0)
			r->v = xrealloc(r->v, (r->n ? r->n * 2 : 1) * sizeof(*r->v));
		r->v[r->n++] = (struct reg){ .path = hp->u.str, .hook = h, .doc = doc,
					     .stages = jobj_get(json_root(doc), "stages") };
	}
	closedir(d);
}

static int by_reg_path(const void *a, const void *b)
{
	return strcmp(((const struct reg *)a)->path, ((const struct reg *)b)->path);
}

/* Reads the policy's hooks.d directories once, and only for a config with
 * hooks: most have none, and this runs at every start. */
static void registry_load(struct registry *r, const struct policy *p)
{
	if (r->loaded)
		return;
	r->loaded = true;
	for (size_t k = 0; k < p->hooks_dirs.n; k++)
		registry_read_dir(r, p->hooks_dirs.v[k]);
	if (r->n > 1)
		qsort(r->v, r->n, sizeof(*r->v), by_reg_path);
}

static void registry_free(struct registry *r)
{
	for (size_t k = 0; k < r->n; k++)
		json_free(r->v[k].doc);
	free(r->v);
}

/* The first registration of path, or NULL; those of the same path follow. */
static const struct reg *registry_first(const struct registry *r, const char *path)
{
	size_t lo = 0, hi = r->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(r->v[mid].path, path) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < r->n && strcmp(r->v[lo].path, path) == 0 ? &r->v[lo] : NULL;
}

/* Whether two args or env members hold the same strings; absent is empty. */
static bool same_strings(const struct jval *a, const struct jval *b)
{
	uint32_t na = a != NULL && a->type == J_ARRAY ? a->len : 0;
	uint32_t nb = b != NULL && b->type == J_ARRAY ? b->len : 0;

	if (na != nb)
		return false;
	for (uint32_t i = 0; i < na; i++) {
		const struct jval *x = &a->u.items[i], *y = &b->u.items[i];
		/* The parser refuses NUL in a string: strcmp sees all of it. */
		if (x->type != J_STRING || y->type != J_STRING || x->len != y->len ||
		    strcmp(x->u.str, y->u.str) != 0)
			return false;
	}
	return true;
}

static bool lists_string(const struct jval *arr, const char *s)
{
	for (uint32_t i = 0; arr != NULL && arr->type == J_ARRAY && i < arr->len; i++)
		if (arr->u.items[i].type == J_STRING && strcmp(arr->u.items[i].u.str, s) == 0)
			return true;
	return false;
}

bool check_hook_same(const struct jval *a, const struct jval *b)
{
	const struct jval *pa = jobj_get(a, "path"), *pb = jobj_get(b, "path");

	return pa != NULL && pb != NULL && pa->type == J_STRING && pb->type == J_STRING &&
	       strcmp(pa->u.str, pb->u.str) == 0 &&
	       same_strings(jobj_get(a, "args"), jobj_get(b, "args")) &&
	       same_strings(jobj_get(a, "env"), jobj_get(b, "env"));
}

/* Whether hook h of stage st is, all of it, one that hooks.d registers. */
static bool registered_hook(const struct registry *r, int st, const struct jval *h)
{
	const struct jval *path = jobj_get(h, "path");

	if (path == NULL || path->type != J_STRING)
		return false;
	const struct reg *g = registry_first(r, path->u.str);
	for (; g != NULL && g < r->v + r->n && strcmp(g->path, path->u.str) == 0; g++)
		if (lists_string(g->stages, spec_hook_stages[st]) && check_hook_same(h, g->hook))
			return true;
	return false;
}

/*
 * Docker (moby 20.10) gives every container with a network namespace of
 * its own a prestart hook that runs dockerd's own binary again:
 *
 *   {"path": "/proc/<dockerd pid>/exe",
 *    "args": ["libnetwork-setkey", "-exec-root=<exec-root>",
 *             "<container id>", "<short controller id>"]}
 *
 * dockerd picks the code it runs by argv[0] (its reexec table also holds
 * archive helpers that write files as root; any other argv[0] starts a
 * second daemon with the flags that follow), so only this exact shape is
 * Docker's: argv[0] libnetwork-setkey, the one flag setkey parses, two
 * hexadecimal ids that cannot be read as flags, nothing else.  No env
 * (moby writes none): the hook's env is the whole environment dockerd's
 * binary starts with, LD_PRELOAD in it would load any host file into a
 * host-root process.  A hook that passes still connects, as root, to
 * <exec-root>/libnetwork/<controller>.sock and names a container there;
 * that is setkey's own work and hands over no host code.
 */
static bool hex_id(const char *s, size_t n)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return i == n;
}

/* Whether the directories above the absolute path file can be changed by
 * root alone: owned by root, writable by nobody else. */
static bool root_only_dirs(const char *file)
{
	char dir[PATH_MAX];
	struct stat st;
	size_t n = strlen(file);

	if (n >= sizeof(dir))
		return false;
	memcpy(dir, file, n + 1);
	for (;;) {
		char *slash = strrchr(dir, '/');
		if (slash == NULL)
			return false;
		if (slash == dir)
			slash[1] = '\0';
		else
			*slash = '\0';
		if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode) || st.st_uid != 0 ||
		    (st.st_mode & (S_IWGRP | S_IWOTH)) != 0)
			return false;
		if (slash == dir)
			return true;
	}
}

/*
 * Whether path, /proc/PID/exe spelled so, is the executable of a running
 * dockerd: a regular file owned by root and writable by root alone, in
 * directories only root can change (no copy or hard link a user placed),
 * named dockerd or listed in the policy's hooks.allowed.  The link's
 * target must still be that file: a binary replaced since dockerd started
 * (" (deleted)") is not judged.  A pid that is reused between this check
 * and the runtime's exec is not seen.
 */
static bool dockerd_exe(const struct policy *p, const char *path)
{
	const char *pid = path + strlen("/proc/");
	char target[PATH_MAX];
	struct stat exe, named;
	size_t digits = strspn(pid, "0123456789");

	if (strncmp(path, "/proc/", 6) != 0 || digits == 0 || digits > 10 ||
	    pid[0] == '0' || strcmp(pid + digits, "/exe") != 0)
		return false;
	ssize_t n = readlink(path, target, sizeof(target) - 1);
	if (n <= 0)
		return false;
	target[n] = '\0';
	if (target[0] != '/' || stat(path, &exe) < 0 || stat(target, &named) < 0 ||
	    exe.st_dev != named.st_dev || exe.st_ino != named.st_ino ||
	    !S_ISREG(exe.st_mode) || exe.st_uid != 0 ||
	    (exe.st_mode & (S_IWGRP | S_IWOTH)) != 0 || !root_only_dirs(target))
		return false;
	const char *base = strrchr(target, '/') + 1;
	return strcmp(base, "dockerd") == 0 || strlist_has(&p->hooks_allowed, target);
}

/* Whether hook h of stage st is Docker's libnetwork-setkey hook, as above. */
static bool docker_setkey_hook(const struct policy *p, int st, const struct jval *h)
{
	const struct jval *path = NULL, *args = NULL;

	/* runc and crun run prestart and createRuntime hooks at the same
	 * moment, in the runtime's namespaces: either stage is the same. */
	if (st != SPEC_HOOK_PRESTART && st != SPEC_HOOK_CREATE_RUNTIME)
		return false;
	for (uint32_t k = 0; k < h->len; k++) {
		const struct jmember *m = &h->u.members[k];
		if (strcmp(m->key, "path") == 0 && path == NULL)
			path = &m->val;
		else if (strcmp(m->key, "args") == 0 && args == NULL)
			args = &m->val;
		else
			return false;
	}
	if (path == NULL || path->type != J_STRING || args == NULL ||
	    args->type != J_ARRAY || args->len != 4)
		return false;
	const char *a[4];
	for (uint32_t k = 0; k < 4; k++) {
		if (args->u.items[k].type != J_STRING)
			return false;
		a[k] = args->u.items[k].u.str;
	}
	return strcmp(a[0], "libnetwork-setkey") == 0 &&
	       strncmp(a[1], "-exec-root=/", 12) == 0 &&
	       hex_id(a[2], 64) && hex_id(a[3], 12) && dockerd_exe(p, path->u.str);
}

/* ------------------------------------------------ oci-harden's own hooks */

/*
 * Whether a hook's path runs this program: the installed path, or a path
 * on the policy's allowlist that is the same file (a link to it, or the
 * runc link LIBEXECDIR/oci-harden/runc-path/runc).  Such a hook is judged
 * by its arguments and env: the binary picks its code by argv[0]
 * (oci-harden-runtime and runc are the runtime wrapper, which runs the
 * runtime OCI_HARDEN_RUNTIME names) and by its command (host runs the
 * Python OCI_HARDEN_PYTHON names), so its path alone says nothing.
 */
static bool same_file(const char *a, const struct stat *b)
{
	struct stat st;

	return stat(a, &st) == 0 && st.st_dev == b->st_dev && st.st_ino == b->st_ino;
}

static bool self_binary(const struct policy *p, const char *path)
{
	struct stat st;

	if (strcmp(path, paths_self()) == 0)
		return true;
	return strlist_has(&p->hooks_allowed, path) && stat(path, &st) == 0 &&
	       (same_file("/proc/self/exe", &st) || same_file(paths_self(), &st));
}

/* The stages `oci-harden hook` has (cmd_hook.c), createContainer included. */
static const char *const own_stages[] = {
	"precreate", "prestart", "createRuntime", "createContainer", "poststart",
};

/*
 * Whether file is a policy this installation knows: the default policy,
 * the one judging, or a file beside the default that root alone can
 * change.  A policy says where the audit trail is appended (as root, file
 * created if absent) and what is admitted: one a config names from its
 * own image would turn oci-harden's hook into a root write of any file.
 */
static bool known_policy(const struct policy *p, const char *file)
{
	const char *def = paths_default_policy();
	const char *slash = strrchr(def, '/');
	struct stat st;

	if (file[0] != '/')
		return false;
	if (strcmp(file, def) == 0 || (p->source != NULL && strcmp(file, p->source) == 0))
		return true;
	size_t n = slash != NULL ? (size_t)(slash - def) : 0;
	const char *name = file + n + 1;
	if (slash == NULL || strncmp(file, def, n) != 0 || file[n] != '/' ||
	    strchr(name, '/') != NULL || name[0] == '\0' || strcmp(name, ".") == 0 ||
	    strcmp(name, "..") == 0)
		return false;
	return lstat(file, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == 0 &&
	       (st.st_mode & (S_IWGRP | S_IWOTH)) == 0 && root_only_dirs(file);
}

/*
 * Why args are not a form oci-harden registers itself (hook/hooks.d/,
 * setup, README "Registering the hooks"), or NULL:
 *
 *   oci-harden hook STAGE [--policy FILE] [--refusal message|exit]
 *
 * argv[0] named oci-harden (main dispatches on its basename), each option
 * at most once, after the stage, in that spelling: nothing getopt would
 * read otherwise.
 */
static const char *own_args_wrong(const struct policy *p, const struct jval *args,
				  char *why, size_t cap)
{
	const struct jval *a = args != NULL && args->type == J_ARRAY ? args->u.items : NULL;
	uint32_t n = a != NULL ? args->len : 0;
	bool policy = false, refusal = false;

	for (uint32_t i = 0; i < n; i++)
		if (a[i].type != J_STRING)
			return "an argument is not a string";
	if (n == 0)
		return "there are none, so argv[0] is the path and no command runs";
	const char *base = strrchr(a[0].u.str, '/');
	base = base != NULL ? base + 1 : a[0].u.str;
	if (strcmp(base, "oci-harden") != 0)
		return "argv[0] is not oci-harden: the binary picks its code by argv[0] "
		       "(as oci-harden-runtime or runc it is the runtime wrapper, which "
		       "runs another program)";
	if (n < 3 || strcmp(a[1].u.str, "hook") != 0)
		return "the command is not hook";
	bool stage = false;
	for (size_t k = 0; k < sizeof(own_stages) / sizeof(own_stages[0]); k++)
		stage = stage || strcmp(a[2].u.str, own_stages[k]) == 0;
	if (!stage)
		return "the stage is not one oci-harden hook has";
	for (uint32_t i = 3; i < n; i += 2) {
		const char *o = a[i].u.str, *v = i + 1 < n ? a[i + 1].u.str : NULL;
		if (strcmp(o, "--policy") == 0 && !policy && v != NULL) {
			policy = true;
			if (!known_policy(p, v)) {
				snprintf(why, cap, "--policy %s is not a policy this installation "
					 "knows (%s, the policy judging, or a root-owned file beside "
					 "it): a policy names the file the audit trail is appended "
					 "to as root", v, paths_default_policy());
				return why;
			}
		} else if (strcmp(o, "--refusal") == 0 && !refusal && v != NULL &&
			   (strcmp(v, "message") == 0 || strcmp(v, "exit") == 0)) {
			refusal = true;
		} else {
			return "after the stage come only --policy FILE and --refusal "
			       "message|exit, each once";
		}
	}
	return NULL;
}

/*
 * The environment variables a run of `oci-harden hook STAGE` reads, or that
 * glibc and its dynamic loader honour in it.  The hook is not setuid, so
 * the loader is not in secure mode and drops none of them: each variable
 * of glibc's own list of unsafe ones (those it removes from a setuid
 * program's environment) works here, as host root.  Refused in the env of
 * oci-harden's own hook (and in the process.env that a createContainer or
 * startContainer hook without env inherits):
 *  - OCI_HARDEN_*: oci-harden's own controls (the policy, the runtime and
 *    its cache as the wrapper, the TOML parser as host); no hook form reads
 *    one today, and none needs one from the config;
 *  - LD_*: the loader (LD_PRELOAD, LD_LIBRARY_PATH, LD_AUDIT load code;
 *    LD_DEBUG_OUTPUT, LD_PROFILE_OUTPUT create files);
 *  - GLIBC_TUNABLES: parsed by the loader before main (CVE-2023-4911);
 *  - MALLOC_TRACE (malloc writes its trace to that file) and MALLOC_CHECK_,
 *    as glibc drops them for setuid programs;
 *  - GCONV_PATH (iconv modules: CVE-2021-4034's way in), GETCONF_DIR,
 *    HOSTALIASES, LOCALDOMAIN, RES_OPTIONS, RESOLV_HOST_CONF, NIS_PATH
 *    (the resolver), LOCPATH, NLSPATH (locales, message catalogs), TMPDIR,
 *    TZDIR: the rest of glibc's list, each a file or a directory glibc
 *    would read from;
 *  - POSIXLY_CORRECT: getopt then stops at the stage, and the hook's
 *    --policy is no longer read as an option.
 *  - TZ when its value names a file of its own choosing (absolute, or
 *    through ..): glibc's strftime calls tzset, which reads and parses
 *    that file as root (seen with strace on glibc 2.36).  A zone name
 *    (Europe/Paris, read below the system's zoneinfo) or a POSIX rule
 *    (CET-1CEST) is what images set and may stay.
 * Not refused, being in many images' process.env and harmless to the
 * hook: the other MALLOC_* tunables (sizes and counts), LANG and LC_*
 * (oci-harden never calls setlocale; LOCPATH, which would point them at
 * the container's files, is refused), PATH and HOME.
 */
struct env_name {
	const char *name;
	bool prefix;
	const char *reader;   /* "": read only by the runtime wrapper */
	bool file_only;       /* only a value naming a file of its own is read so */
};

static const struct env_name env_names[] = {
	{ "OCI_HARDEN_", true, "oci-harden", false },
	{ "LD_", true, "the dynamic loader", false },
	{ "GLIBC_TUNABLES", false, "the dynamic loader", false },
	{ "MALLOC_TRACE", false, "glibc's malloc", false },
	{ "MALLOC_CHECK_", false, "glibc's malloc", false },
	{ "GCONV_PATH", false, "glibc's iconv", false },
	{ "GETCONF_DIR", false, "glibc", false },
	{ "HOSTALIASES", false, "glibc's resolver", false },
	{ "LOCALDOMAIN", false, "glibc's resolver", false },
	{ "RES_OPTIONS", false, "glibc's resolver", false },
	{ "RESOLV_HOST_CONF", false, "glibc's resolver", false },
	{ "NIS_PATH", false, "glibc", false },
	{ "LOCPATH", false, "glibc's locales", false },
	{ "NLSPATH", false, "glibc's message catalogs", false },
	{ "TMPDIR", false, "glibc", false },
	{ "TZDIR", false, "glibc's time zones", false },
	{ "POSIXLY_CORRECT", false, "getopt, which reads the hook's options", false },
	{ "TZ", false, "glibc's time zones, as a file", true },
	/* Read by oci-harden only as the runtime wrapper (runtime.c,
	 * runtime_args.c), which no admitted form runs: PATH, the rest of
	 * process.env, reaches a createContainer hook in every container. */
	{ "LISTEN_FDS", false, "", false },
	{ "PATH", false, "", false },
	{ "USER", false, "", false },
	{ "XDG_RUNTIME_DIR", false, "", false },
};

const char *check_hook_env_reader(const char *entry)
{
	size_t n = strcspn(entry, "=");

	for (size_t k = 0; k < sizeof(env_names) / sizeof(env_names[0]); k++) {
		const struct env_name *e = &env_names[k];
		size_t m = strlen(e->name);
		if (!(e->prefix ? n >= m && strncmp(entry, e->name, m) == 0
				: n == m && strncmp(entry, e->name, m) == 0))
			continue;
		if (e->file_only) {
			/* TZ=:FILE and TZ=FILE alike; a relative name is read
			 * below TZDIR (refused above) unless it climbs out. */
			const char *v = entry[n] == '=' ? entry + n + 1 : "";
			v += v[0] == ':';
			if (v[0] != '/' && strstr(v, "..") == NULL)
				return NULL;
		}
		return e->reader;
	}
	return NULL;
}

/* Appends s to b, ", " between, up to about 200 bytes: a config can hold
 * any number of variables, a message names the first few. */
static void list_add(struct oh_buf *b, const char *s, size_t n, bool *cut)
{
	if (*cut)
		return;
	if (b->len > 200) {
		oh_buf_puts(b, ", ...");
		*cut = true;
		return;
	}
	oh_buf_puts(b, b->len ? ", " : "");
	oh_buf_add(b, s, n > 64 ? 64 : n);
	if (n > 64)
		oh_buf_puts(b, "...");
}

/* The variables of env (an array of strings) that own_env refuses, into b;
 * the index of the first, or -1. */
static int64_t own_env_wrong(const struct jval *env, struct oh_buf *b)
{
	int64_t first = -1;
	bool cut = false;

	for (uint32_t i = 0; env != NULL && i < env->len; i++) {
		const char *e = env->u.items[i].u.str;
		size_t n = strcspn(e, "=");
		const char *who = check_hook_env_reader(e);
		char what[128];

		if (e[n] != '=' || n == 0) {
			list_add(b, e, strlen(e), &cut);
			oh_buf_puts(b, cut ? "" : " (not NAME=VALUE)");
		} else if (who != NULL && who[0] != '\0') {
			list_add(b, e, n, &cut);
			snprintf(what, sizeof(what), " (read by %s)", who);
			oh_buf_puts(b, cut ? "" : what);
		} else {
			continue;
		}
		if (first < 0)
			first = i;
	}
	return first;
}

/* What own_env_wrong says of process.env, judged once for every hook
 * that inherits it: a config's cost stays linear in its hooks and env. */
struct inherited {
	bool judged;
	int64_t first;
	struct oh_buf bad;
};

/* Whether hook h, stage st, index i, whose path is this program, is a
 * form oci-harden registers, with an env it may have; if report, adds the
 * findings: its arguments, then its env (or the env it inherits). */
static bool own_hook_ok(struct check_ctx *c, int st, uint32_t i, const struct jval *h,
			const char *ps, struct inherited *inh, bool report)
{
	const char *stage = spec_hook_stages[st];
	const struct jval *args = jobj_get(h, "args");
	const struct jval *env = jobj_get(h, "env");
	char why[PATH_MAX + 256], ptr[128];
	const char *wrong = own_args_wrong(c->p, args, why, sizeof(why));
	bool inherits = (st == SPEC_HOOK_CREATE_CONTAINER || st == SPEC_HOOK_START_CONTAINER) &&
			(env == NULL || env->len == 0);
	struct oh_buf own = { 0 };
	int64_t first;

	if (inherits && !inh->judged) {
		inh->first = own_env_wrong(c->s->env, &inh->bad);
		inh->judged = true;
	}
	first = inherits ? inh->first : own_env_wrong(env, &own);
	const char *bad = inherits ? inh->bad.data : own.data;
	if (!report || (wrong == NULL && first < 0)) {
		oh_buf_free(&own);
		return wrong == NULL && first < 0;
	}
	json_ptr_set(ptr, sizeof(ptr), "/hooks");
	json_ptr_append(ptr, sizeof(ptr), stage, strlen(stage));
	json_ptr_append_index(ptr, sizeof(ptr), i);
	if (wrong != NULL) {
		struct oh_buf shown = { 0 };
		bool cut = false;
		for (uint32_t k = 0; args != NULL && k < args->len; k++) {
			const struct jval *a = &args->u.items[k];
			const char *s = a->type == J_STRING ? a->u.str : "?";
			if (cut)
				break;
			if (shown.len > 200) {
				oh_buf_puts(&shown, " ...");
				cut = true;
			} else {
				oh_buf_puts(&shown, k ? " " : "");
				oh_buf_add(&shown, s, strlen(s) > 64 ? 64 : strlen(s));
			}
		}
		char aptr[128];
		memcpy(aptr, ptr, sizeof(aptr));
		json_ptr_append(aptr, sizeof(aptr), "args", 4);
		check_add(c, aptr, "%s hook %s: arguments %s are not a form oci-harden "
			  "registers (oci-harden hook STAGE [--policy FILE] [--refusal "
			  "message|exit]): %s; it runs as host root with every capability",
			  stage, ps, shown.len ? shown.data : "(none)", wrong);
		oh_buf_free(&shown);
	}

	if (first >= 0 && inherits) {
		check_add(c, ptr, "%s hook %s has no env of its own, so it inherits "
			  "process.env's %s: oci-harden's own hook takes no variable that "
			  "it, glibc or the dynamic loader reads, as host root", stage, ps,
			  bad);
	} else if (first >= 0) {
		json_ptr_append(ptr, sizeof(ptr), "env", 3);
		json_ptr_append_index(ptr, sizeof(ptr), (size_t)first);
		check_add(c, ptr, "%s hook %s: its env sets %s: oci-harden's own hook "
			  "takes no variable that it, glibc or the dynamic loader reads, "
			  "as host root", stage, ps, bad);
	}
	oh_buf_free(&own);
	return false;
}

/* ---------------------------------------------------------- config-hooks */

void check_config_hooks(struct check_ctx *c)
{
	struct registry reg = { 0 };
	struct inherited inh = { 0 };

	for (int st = 0; st < SPEC_HOOK_STAGES; st++) {
		const struct jval *list = c->s->hook[st];
		for (uint32_t i = 0; list != NULL && i < list->len; i++) {
			const struct jval *h = &list->u.items[i];
			const struct jval *path = jobj_get(h, "path");
			const char *ps = path ? path->u.str : "";
			char ptr[128];

			/* The installation's own hooks first, without reading
			 * the hooks.d directories: a config holding only those
			 * (and Docker's) is the common case. */
			if (docker_setkey_hook(c->p, st, h))
				continue;
			bool self = self_binary(c->p, ps);
			if (self ? own_hook_ok(c, st, i, h, ps, &inh, false)
				 : strlist_has(&c->p->hooks_allowed, ps))
				continue;
			registry_load(&reg, c->p);
			if (registered_hook(&reg, st, h))
				continue;
			if (self) {
				own_hook_ok(c, st, i, h, ps, &inh, true);
				continue;
			}
			json_ptr_set(ptr, sizeof(ptr), "/hooks");
			json_ptr_append(ptr, sizeof(ptr), spec_hook_stages[st],
					strlen(spec_hook_stages[st]));
			json_ptr_append_index(ptr, sizeof(ptr), i);
			json_ptr_append(ptr, sizeof(ptr), "path", 4);
			if (registry_first(&reg, ps) != NULL)
				check_add(c, ptr, "%s hook %s is not the hook hooks.d registers "
					  "for that path (its stage, arguments or env differ): it "
					  "runs as host root with every capability, outside the "
					  "container", spec_hook_stages[st], ps);
			else
				check_add(c, ptr, "%s hook %s is not on the allowlist%s: it runs as "
					  "host root with every capability, outside the container",
					  spec_hook_stages[st], ps,
					  strncmp(ps, "/proc/", 6) == 0
					  ? " (nor Docker's libnetwork-setkey hook of a running dockerd)" : "");
		}
	}
	registry_free(&reg);
	oh_buf_free(&inh.bad);
}

/* ------------------------------------------------------- hook-loader-env */

/*
 * The variables with which a process's dynamic loader or libc, before or
 * beside the program's own code, loads code or parses what a value names:
 * set to anything, in a host-root hook, they hand it to whoever wrote the
 * value.
 */
static const char *const loader_vars[] = {
	"LD_PRELOAD", "LD_LIBRARY_PATH", "LD_AUDIT", "GLIBC_TUNABLES", "GCONV_PATH",
};
#define N_LOADER_VARS (sizeof(loader_vars) / sizeof(loader_vars[0]))

/* The index in loader_vars of the variable env sets to a value, or -1. */
static int loader_var(const char *env)
{
	for (size_t i = 0; i < N_LOADER_VARS; i++) {
		size_t n = strlen(loader_vars[i]);
		if (strncmp(env, loader_vars[i], n) == 0 && env[n] == '=' && env[n + 1] != '\0')
			return (int)i;
	}
	return -1;
}

/* The loader variables env (an array of strings) sets, ", " between, into
 * b; the index of the first, or -1. */
static int64_t loader_vars_of(const struct jval *env, struct oh_buf *b)
{
	unsigned seen = 0;
	int64_t first = -1;

	for (uint32_t i = 0; env != NULL && i < env->len; i++) {
		int v = loader_var(env->u.items[i].u.str);
		if (v < 0)
			continue;
		if (first < 0)
			first = i;
		if (seen & (1u << v))
			continue;
		seen |= 1u << v;
		oh_buf_puts(b, b->len ? ", " : "");
		oh_buf_puts(b, loader_vars[v]);
	}
	return first;
}

void check_hook_loader_env(struct check_ctx *c)
{
	struct oh_buf inherited = { 0 };
	struct registry reg = { 0 };

	/* runc and crun run createContainer and startContainer hooks from the
	 * container's init; a hook without env gets that process's
	 * environment (runc: process.env, set before either stage; crun 1.8:
	 * process.env at startContainer).  An empty env is treated as none:
	 * whether a runtime then passes its own environment is not worth a
	 * wager. */
	loader_vars_of(c->s->env, &inherited);
	for (int st = 0; st < SPEC_HOOK_STAGES; st++) {
		const struct jval *list = c->s->hook[st];
		const char *stage = spec_hook_stages[st];
		bool inheriting = st == SPEC_HOOK_CREATE_CONTAINER || st == SPEC_HOOK_START_CONTAINER;
		for (uint32_t i = 0; list != NULL && i < list->len; i++) {
			const struct jval *h = &list->u.items[i];
			const struct jval *env = jobj_get(h, "env");
			const struct jval *path = jobj_get(h, "path");
			struct oh_buf own = { 0 };
			char ptr[128];

			json_ptr_set(ptr, sizeof(ptr), "/hooks");
			json_ptr_append(ptr, sizeof(ptr), stage, strlen(stage));
			json_ptr_append_index(ptr, sizeof(ptr), i);
			if (env == NULL || env->len == 0) {
				if (inheriting && inherited.len > 0)
					check_add(c, ptr, "%s hook %s has no env of its own, so it "
						  "inherits the container's %s and loads the "
						  "container's code as host root", stage,
						  path ? path->u.str : "?", inherited.data);
				continue;
			}
			/* A hook's own env: a hooks.d file may set a loader
			 * variable for the hook it registers (the admin wrote
			 * both); a config may not. */
			int64_t first = loader_vars_of(env, &own);
			if (first >= 0) {
				registry_load(&reg, c->p);
				if (!registered_hook(&reg, st, h)) {
					json_ptr_append(ptr, sizeof(ptr), "env", 3);
					json_ptr_append_index(ptr, sizeof(ptr), (size_t)first);
					check_add(c, ptr, "%s hook %s: its env sets %s, with which the "
						  "dynamic loader or libc of the host-root hook loads "
						  "or parses what the config names", stage,
						  path ? path->u.str : "?", own.data);
				}
			}
			oh_buf_free(&own);
		}
	}
	registry_free(&reg);
	oh_buf_free(&inherited);
}
