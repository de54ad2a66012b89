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
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "policy.h"
#include "util.h"

static int by_cstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* --------------------------------------------------------- config hooks */

/* Adds the hook paths of the hooks.d files in dir to l. */
static void hooks_dir_paths(const char *dir, struct strlist *l)
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
		const struct jval *hp = jobj_get(jobj_get(json_root(doc), "hook"), "path");
		if (hp != NULL && hp->type == J_STRING) {
			if (l->n == 0 || (l->n & (l->n - 1)) == 0)
				l->v = xrealloc(l->v, (l->n ? l->n * 2 : 1) * sizeof(*l->v));
			l->v[l->n++] = xstrdup(hp->u.str);
		}
		json_free(doc);
	}
	closedir(d);
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

void check_config_hooks(struct check_ctx *c)
{
	struct strlist registered = { 0 };
	bool loaded = false;

	for (int st = 0; st < SPEC_HOOK_STAGES; st++) {
		const struct jval *list = c->s->hook[st];
		for (uint32_t i = 0; list != NULL && i < list->len; i++) {
			const struct jval *path = jobj_get(&list->u.items[i], "path");
			const char *ps = path ? path->u.str : "";
			char ptr[128];

			if (strlist_has(&c->p->hooks_allowed, ps) ||
			    docker_setkey_hook(c->p, st, &list->u.items[i]))
				continue;
			/* The hooks.d directories are read only for a config with
			 * hooks: most have none, and this runs at every start. */
			if (!loaded) {
				for (size_t k = 0; k < c->p->hooks_dirs.n; k++)
					hooks_dir_paths(c->p->hooks_dirs.v[k], &registered);
				if (registered.n > 1)
					qsort(registered.v, registered.n, sizeof(*registered.v),
					      by_cstr);
				loaded = true;
			}
			if (registered.n > 0 &&
			    bsearch(&ps, registered.v, registered.n, sizeof(char *), by_cstr))
				continue;
			json_ptr_set(ptr, sizeof(ptr), "/hooks");
			json_ptr_append(ptr, sizeof(ptr), spec_hook_stages[st],
					strlen(spec_hook_stages[st]));
			json_ptr_append_index(ptr, sizeof(ptr), i);
			json_ptr_append(ptr, sizeof(ptr), "path", 4);
			check_add(c, ptr, "%s hook %s is not on the allowlist%s: it runs as "
				  "host root with every capability, outside the container",
				  spec_hook_stages[st], ps,
				  strncmp(ps, "/proc/", 6) == 0
				  ? " (nor Docker's libnetwork-setkey hook of a running dockerd)" : "");
		}
	}
	for (size_t k = 0; k < registered.n; k++)
		free(registered.v[k]);
	free(registered.v);
}

/* The dynamic loader's variables that load code. */
static const char *loader_var(const char *env)
{
	static const char *const vars[] = { "LD_PRELOAD=", "LD_LIBRARY_PATH=", "LD_AUDIT=" };

	if (env[0] != 'L' || env[1] != 'D' || env[2] != '_')
		return NULL;

	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
		size_t n = strlen(vars[i]);
		if (strncmp(env, vars[i], n) == 0 && env[n] != '\0')
			return vars[i];
	}
	return NULL;
}

void check_hook_loader_env(struct check_ctx *c)
{
	static const int stages[] = { SPEC_HOOK_CREATE_CONTAINER, SPEC_HOOK_START_CONTAINER };
	struct oh_buf vars = { 0 };
	unsigned seen = 0;

	for (uint32_t i = 0; c->s->env != NULL && i < c->s->env->len; i++) {
		const char *v = loader_var(c->s->env->u.items[i].u.str);
		if (v == NULL)
			continue;
		unsigned bit = v[3] == 'P' ? 1 : v[3] == 'L' ? 2 : 4;
		if (seen & bit)
			continue;
		seen |= bit;
		oh_buf_puts(&vars, vars.len ? ", " : "");
		oh_buf_add(&vars, v, strlen(v) - 1);
	}
	if (seen == 0)
		return;
	for (size_t k = 0; k < sizeof(stages) / sizeof(stages[0]); k++) {
		const struct jval *list = c->s->hook[stages[k]];
		const char *stage = spec_hook_stages[stages[k]];
		for (uint32_t i = 0; list != NULL && i < list->len; i++) {
			const struct jval *env = jobj_get(&list->u.items[i], "env");
			const struct jval *path = jobj_get(&list->u.items[i], "path");
			char ptr[128];

			/* An empty env is treated as none: whether a runtime then
			 * passes its own environment is not worth a wager. */
			if (env != NULL && env->len > 0)
				continue;
			json_ptr_set(ptr, sizeof(ptr), "/hooks");
			json_ptr_append(ptr, sizeof(ptr), stage, strlen(stage));
			json_ptr_append_index(ptr, sizeof(ptr), i);
			check_add(c, ptr, "%s hook %s has no env of its own, so it inherits "
				  "the container's %s and loads the container's code as host "
				  "root", stage, path ? path->u.str : "?", vars.data);
		}
	}
	oh_buf_free(&vars);
}
