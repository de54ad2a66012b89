/* SPDX-License-Identifier: Apache-2.0 */
/* oci-harden setup: put the hooks and the wrapper in place for an engine. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "confedit.h"
#include "paths.h"
#include "setup.h"
#include "util.h"

static const char usage[] =
	"oci-harden setup --engine podman|docker|containerd|crio [--root DIR] "
	"[--dry-run] [--undo] [--runtime PATH] [--binary PATH] [--policy PATH]";

enum { OPT_ENGINE = 2000, OPT_ROOT, OPT_DRY_RUN, OPT_UNDO, OPT_RUNTIME, OPT_BINARY };

struct setup_args {
	const char *engine;
	const char *root;
	const char *runtime;
	const char *binary;
	bool dry_run;
	bool undo;
};

static const char *option(void *ctx, int code, const char *value)
{
	struct setup_args *a = ctx;

	switch (code) {
	case OPT_ENGINE: a->engine = value; break;
	case OPT_ROOT: a->root = value; break;
	case OPT_RUNTIME: a->runtime = value; break;
	case OPT_BINARY: a->binary = value; break;
	case OPT_DRY_RUN: a->dry_run = true; break;
	case OPT_UNDO: a->undo = true; break;
	}
	if (value != NULL && code != OPT_ENGINE && value[0] != '/')
		return "--root, --runtime, --binary and --policy take absolute paths";
	return NULL;
}

#ifndef OH_RUNC_PATH_DIR
#define OH_RUNC_PATH_DIR "libexec/oci-harden/runc-path"
#endif

/* This binary's path as the host sees it: under --root, without it. */
static char *self_path(const char *root)
{
	char buf[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
	size_t rl = root ? strlen(root) : 0;

	if (n <= 0)
		return xstrdup("/usr/bin/oci-harden");
	buf[n] = '\0';
	while (rl > 0 && root[rl - 1] == '/')
		rl--;
	if (rl > 0 && strncmp(buf, root, rl) == 0 && buf[rl] == '/')
		return xstrdup(buf + rl);
	return xstrdup(buf);
}

/*
 * The policy the wrapper at binary's place reads by default, by the rule
 * of paths.c: PREFIX/bin/oci-harden reads PREFIX/etc/oci-harden/policy.json,
 * and /etc/oci-harden/policy.json for the /usr prefix.  The hooks read the
 * same one, so the wrapper and the hooks judge alike.
 */
static char *policy_beside(const char *binary)
{
	cleanup_free char *prefix = xstrdup(binary);
	char *slash = strrchr(prefix, '/');

	*slash = '\0';
	slash = strrchr(prefix, '/');
	if (slash == NULL || strcmp(slash, "/bin") != 0)
		return xstrdup("/etc/oci-harden/policy.json");
	*slash = '\0';
	if (strcmp(prefix, "/usr") == 0 || prefix[0] == '\0')
		return xstrdup("/etc/oci-harden/policy.json");
	return xasprintf("%s/etc/oci-harden/policy.json", prefix);
}

/* The engine runs what setup names; say so when it is not there yet. */
static void warn_missing(const struct changeset *cs, const char *what,
			 const char *path, int mode)
{
	cleanup_free char *full = changeset_path(cs, path);

	if (access(full, mode) != 0)
		fprintf(stderr, "oci-harden: warning: %s %s is not there%s%s: install "
			"it before restarting the engine, or every container fails\n",
			what, path, cs->root[0] ? " under " : "", cs->root);
}

static void buf_freep(struct oh_buf *b)
{
	oh_buf_free(b);
}

static void list_changes(const struct changeset *cs, bool undo)
{
	for (size_t i = 0; i < cs->n; i++) {
		const struct cf_file *f = &cs->files[i];
		bool changed = f->remove ? f->existed :
			       f->planned && (!f->existed || f->oldlen != f->newlen ||
					      memcmp(f->old, f->new, f->newlen) != 0);
		if (!changed)
			continue;
		printf("%s %s%s\n", f->remove ? "removed" : undo ? "restored" :
		       f->existed ? "edited" : "created", cs->root, f->path);
	}
}

static int undo(struct changeset *cs, bool dry_run, struct oh_error *err)
{
	bool found;

	if (changeset_plan_undo(cs, &found, err) < 0)
		return EXIT_ERROR;
	if (!found) {
		printf("%s: nothing to undo: setup recorded no change under %s%s\n",
		       cs->name, cs->root, CONFEDIT_STATE_DIR);
		return EXIT_COMPLIANT;
	}
	if (dry_run) {
		changeset_diff(cs, stdout);
		return EXIT_COMPLIANT;
	}
	if (changeset_apply_undo(cs, err) < 0)
		return EXIT_ERROR;
	list_changes(cs, true);
	printf("%s: undone; restart the engine to leave the hardened runtime\n", cs->name);
	return EXIT_COMPLIANT;
}

static int setup(enum setup_engine e, const struct setup_args *a,
		 const char *policy_opt, struct changeset *cs, struct oh_error *err)
{
	__attribute__((cleanup(buf_freep))) struct oh_buf notes = { 0 };
	cleanup_free char *binary = a->binary ? xstrdup(a->binary) : self_path(a->root);
	cleanup_free char *runtime = NULL;

	if (a->runtime) {
		runtime = xstrdup(a->runtime);
	} else {
		/* The wrapper is a link named oci-harden-runtime next to it. */
		cleanup_free char *dir = xstrdup(binary);
		*strrchr(dir, '/') = '\0';
		runtime = xasprintf("%s/oci-harden-runtime", dir);
	}
	cleanup_free char *derived = NULL;
	const char *policy = policy_opt;
	if (policy == NULL) {
		if (a->root == NULL && a->binary == NULL)
			policy = paths_default_policy();
		else
			policy = derived = policy_beside(binary);
	}
	/* The installed runc link: PREFIX/libexec/oci-harden/runc-path for
	 * the binary's PREFIX/bin/oci-harden. */
	cleanup_free char *prefix = xstrdup(binary);
	for (int i = 0; i < 2 && strrchr(prefix, '/'); i++)
		*strrchr(prefix, '/') = '\0';
	cleanup_free char *runc_dir = xasprintf("%s/%s", prefix, OH_RUNC_PATH_DIR);
	struct setup_opts so = { .binary = binary, .runtime = runtime, .policy = policy,
				 .runc_dir = runc_dir };

	if (setup_plan(e, &so, cs, &notes, err) < 0)
		return EXIT_ERROR;
	if (changeset_pending(cs) == 0) {
		printf("%s: already set up, nothing to change\n", cs->name);
		return EXIT_COMPLIANT;
	}
	warn_missing(cs, "the wrapper", runtime, X_OK);
	if (e == ENGINE_CONTAINERD) {
		cleanup_free char *link = xasprintf("%s/runc", runc_dir);
		warn_missing(cs, "the wrapper's runc link", link, X_OK);
	}
	if (e == ENGINE_PODMAN || e == ENGINE_CRIO) {
		warn_missing(cs, "oci-harden", binary, X_OK);
		warn_missing(cs, "the policy", policy, R_OK);
	}
	if (a->dry_run) {
		fflush(stderr);
		changeset_diff(cs, stdout);
		fflush(stdout);
		fprintf(stderr, "%s: dry run, nothing changed\n%s", cs->name,
			notes.data ? notes.data : "");
		return EXIT_COMPLIANT;
	}
	if (changeset_apply(cs, err) < 0)
		return EXIT_ERROR;
	list_changes(cs, false);
	printf("%s: the files before setup and its record are in %s%s/%s\n%s", cs->name,
	       cs->root, CONFEDIT_STATE_DIR, cs->name, notes.data ? notes.data : "");
	return EXIT_COMPLIANT;
}

int cmd_setup(int argc, char **argv, struct oh_error *err)
{
	static const struct cli_opt opts[] = {
		{ "engine", 0, true, OPT_ENGINE },
		{ "root", 0, true, OPT_ROOT },
		{ "dry-run", 'n', false, OPT_DRY_RUN },
		{ "undo", 0, false, OPT_UNDO },
		{ "runtime", 0, true, OPT_RUNTIME },
		{ "binary", 0, true, OPT_BINARY },
		{ 0 },
	};
	struct common_opts o = { 0 };
	struct setup_args a = { 0 };
	enum setup_engine e;
	int first = cli_parse(argc, argv, usage, opts, &o, option, &a);

	if (first < 0)
		return cli_parse_exit(first);
	if (first != argc)
		return cli_usage_error(usage, "setup takes no operands");
	if (a.engine == NULL)
		return cli_usage_error(usage, "--engine is required");
	if (setup_engine_parse(a.engine, &e) < 0)
		return cli_usage_error(usage, "--engine must be podman, docker, containerd or crio");
	if (o.policy != NULL && o.policy[0] != '/')
		return cli_usage_error(usage, "--policy takes an absolute path");
	if (o.seccomp_profile || o.host_facts)
		return cli_usage_error(usage, "setup takes no --seccomp-profile or --host-facts");
	if (a.undo && (a.binary || a.runtime || o.policy))
		return cli_usage_error(usage, "--undo takes only --engine, --root and --dry-run");
	if (a.root && strcmp(a.root, "/") == 0)
		a.root = NULL;

	struct stat st;
	if (a.root && (stat(a.root, &st) < 0 || !S_ISDIR(st.st_mode)))
		return cli_usage_error(usage, "--root must name an existing directory");

	struct changeset cs;
	changeset_init(&cs, a.root, setup_engine_name(e));
	int rc = a.undo ? undo(&cs, a.dry_run, err) : setup(e, &a, o.policy, &cs, err);
	changeset_free(&cs);
	return rc;
}
