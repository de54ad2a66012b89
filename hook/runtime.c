/* SPDX-License-Identifier: Apache-2.0 */
/*
 * oci-harden-runtime: a runtime wrapper in front of runc, for engines that
 * cannot rewrite a config through a hook (CRI-O, containerd, Docker).
 *
 * It takes runc's command line unchanged.  For `create` and `run` it hardens
 * BUNDLE/config.json exactly as `oci-harden fix` does (or refuses: exit 1),
 * and for `exec` it judges the new process (its process spec, --cap,
 * --apparmor), then executes the real runtime with the same arguments;
 * everything else goes straight to the real runtime at the cost of one exec.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "caps.h"
#include "cli.h"
#include "outcome.h"
#include "pipeline.h"
#include "util.h"

/* Set in the real runtime's environment: seeing it means we called ourselves. */
#define LOOP_MARK "OCI_HARDEN_RUNTIME_ACTIVE"

/* runc's global options that take a value (--opt VALUE or --opt=VALUE). */
static const char *const global_with_value[] = {
	"--root", "--log", "--log-format", "--criu", "--rootless",
};

static bool takes_value(const char *arg, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(arg, list[i]) == 0)
			return true;
	return false;
}

static bool same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
	       sa.st_ino == sb.st_ino;
}

static bool executable(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

/*
 * The real runtime: $OCI_HARDEN_RUNTIME, the policy's runtime.path, runc on
 * PATH, /usr/bin/runc, /usr/sbin/runc; never this program.
 */
static int find_runtime(const struct policy *p, char *out, size_t cap,
			struct oh_error *err)
{
	const char *explicit = getenv("OCI_HARDEN_RUNTIME");
	const char *path = getenv("PATH");

	if (explicit == NULL || explicit[0] == '\0')
		explicit = p != NULL ? p->runtime_path : NULL;
	if (explicit != NULL) {
		if (!executable(explicit))
			return oh_err(err, 0, "the configured runtime %s is not an executable",
				      explicit);
		if (same_file(explicit, "/proc/self/exe"))
			return oh_err(err, 0, "the configured runtime %s is oci-harden-runtime "
				      "itself", explicit);
		snprintf(out, cap, "%s", explicit);
		return 0;
	}
	cleanup_free char *dirs = xstrdup(path && path[0] ? path : "/usr/bin:/usr/sbin");
	for (char *save, *d = strtok_r(dirs, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
		cleanup_free char *cand = oh_path_join(d[0] ? d : ".", "runc");
		if (executable(cand) && !same_file(cand, "/proc/self/exe")) {
			snprintf(out, cap, "%s", cand);
			return 0;
		}
	}
	static const char *const fallback[] = { "/usr/bin/runc", "/usr/sbin/runc" };
	for (size_t i = 0; i < 2; i++)
		if (executable(fallback[i]) && !same_file(fallback[i], "/proc/self/exe")) {
			snprintf(out, cap, "%s", fallback[i]);
			return 0;
		}
	return oh_err(err, 0, "no real runtime found (set runtime.path in the policy "
		      "or OCI_HARDEN_RUNTIME)");
}

#define MAX_EXEC_CAPS 64

struct cmdline {
	const char *command;   /* runc subcommand, or NULL */
	const char *bundle;    /* --bundle value, or NULL for the working directory */
	const char *id;        /* the container id, or NULL */
	/* exec: what can widen the new process's privileges */
	const char *process;   /* --process FILE */
	const char *caps[MAX_EXEC_CAPS];   /* --cap values */
	size_t ncaps;
	const char *apparmor;  /* --apparmor value */
};

/* The value of option name at argv[*i] ("--name V", "-n V", "--name=V"). */
static const char *option_value(int argc, char **argv, int *i, const char *lng,
				const char *shrt)
{
	const char *a = argv[*i];
	size_t n = strlen(lng);

	if (strcmp(a, lng) == 0 || (shrt && strcmp(a, shrt) == 0))
		return *i + 1 < argc ? argv[++*i] : "";
	if (strncmp(a, lng, n) == 0 && a[n] == '=')
		return a + n + 1;
	if (shrt && strncmp(a, shrt, strlen(shrt)) == 0 && a[strlen(shrt)] == '=')
		return a + strlen(shrt) + 1;
	return NULL;
}

/*
 * runc exec's options that decide the new process's privileges: a process
 * spec (--process), added capabilities (--cap), an AppArmor profile.
 * Options after the container id belong to the command run.
 */
static void parse_exec(int argc, char **argv, int i, struct cmdline *c)
{
	static const char *const with_value[] = {
		"--console-socket", "--pid-file", "--cwd", "--env", "-e", "--user", "-u",
		"--additional-gids", "-g", "--process-label", "--preserve-fds", "--cgroup",
	};
	const char *v;

	for (; i < argc && c->id == NULL; i++) {
		const char *a = argv[i];
		if ((v = option_value(argc, argv, &i, "--process", "-p")) != NULL)
			c->process = v;
		else if ((v = option_value(argc, argv, &i, "--cap", "-c")) != NULL) {
			if (c->ncaps < MAX_EXEC_CAPS)
				c->caps[c->ncaps++] = v;
		} else if ((v = option_value(argc, argv, &i, "--apparmor", NULL)) != NULL)
			c->apparmor = v;
		else if (takes_value(a, with_value, sizeof(with_value) / sizeof(with_value[0])))
			i++;
		else if (a[0] != '-')
			c->id = a;
	}
}

static void parse_cmdline(int argc, char **argv, struct cmdline *c)
{
	int i = 1;

	memset(c, 0, sizeof(*c));
	for (; i < argc; i++) {
		const char *a = argv[i];
		if (a[0] != '-')
			break;
		if (takes_value(a, global_with_value,
				sizeof(global_with_value) / sizeof(global_with_value[0])))
			i++;
	}
	if (i >= argc)
		return;
	c->command = argv[i++];
	if (strcmp(c->command, "exec") == 0) {
		parse_exec(argc, argv, i, c);
		return;
	}
	if (strcmp(c->command, "create") != 0 && strcmp(c->command, "run") != 0)
		return;
	/* create and run: -b/--bundle DIR (also --bundle=DIR), then the id. */
	static const char *const with_value[] = {
		"--console-socket", "--pid-file", "--preserve-fds",
	};
	for (; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "-b") == 0 || strcmp(a, "--bundle") == 0) {
			if (i + 1 < argc)
				c->bundle = argv[++i];
		} else if (strncmp(a, "--bundle=", 9) == 0) {
			c->bundle = a + 9;
		} else if (strncmp(a, "-b=", 3) == 0) {
			c->bundle = a + 3;
		} else if (takes_value(a, with_value, sizeof(with_value) / sizeof(with_value[0]))) {
			i++;
		} else if (a[0] != '-' && c->id == NULL) {
			c->id = a;
		}
	}
}

static struct front front_of(const struct policy *p, const char *stage,
			     enum stage_power power, const struct cmdline *c,
			     const char *bundle, const char *what)
{
	return (struct front){ .stage = stage, .who = "oci-harden-runtime",
			       .power = power, .p = p, .id = c->id,
			       .bundle = bundle, .what = what };
}

/* Hardens the bundle's config in place; returns an exit code, or -1 to go on. */
static int harden_bundle(const struct cmdline *c, const struct policy *p)
{
	const char *bundle = c->bundle ? c->bundle : ".";
	struct oh_error err = { 0 };
	struct front f = front_of(p, "runtime", POWER_REWRITE, c, bundle, NULL);
	struct pipeline_input in;
	struct pipeline_opts o = { .on = CTX_CONFIG, .scan = SCAN_POLICY,
				   .fix = !p->audit };
	cleanup_judgement struct judgement j = JUDGEMENT_INIT;
	enum outcome out;

	if (pipeline_input_bundle(&in, bundle, &err) < 0 ||
	    pipeline_run(&in, &o, p, &j, &err) < 0) {
		out = outcome_error(&f, err.msg);
	} else {
		out = outcome_settle(&f, &j.d);
		if (out == OUT_REWRITE && judgement_write_back(&j, NULL, &err) < 0)
			out = outcome_error(&f, err.msg);
	}
	return out == OUT_ADMIT || out == OUT_REWRITE ? -1 : outcome_exit(out);
}

/*
 * runc exec can widen what a process in a hardened container holds: docker
 * exec --privileged passes a process spec with every capability, and --cap
 * adds capabilities the container's bounding set never had.  The new
 * process is judged by the process rules (the rule table's CTX_EXEC
 * checks) as the tree runc reads; nothing can be rewritten here, so what
 * they would fix is refused.  Exemptions would key on the container's
 * annotations, which the command line does not carry: none apply.
 */
static int judge_exec(const struct cmdline *c, const struct policy *p)
{
	struct oh_error err = { 0 };
	struct front f = front_of(p, "runtime-exec", POWER_GATE, c, NULL,
				  "exec in container");
	struct pipeline_opts o = { .on = CTX_EXEC, .scan = SCAN_NEVER };
	cleanup_judgement struct judgement j = JUDGEMENT_INIT;
	struct decision flags;

	decision_init(&flags);
	if (c->process != NULL) {
		struct pipeline_input in = PIPELINE_INPUT_INIT;
		char *buf;
		size_t len;
		if (oh_read_file(c->process, OH_MAX_INPUT, &buf, &len, &err) < 0)
			return outcome_exit(outcome_error(&f, err.msg));
		in.buf = buf;
		in.len = len;
		in.source = c->process;
		if (pipeline_run(&in, &o, p, &j, &err) < 0)
			return outcome_exit(outcome_error(&f, err.msg));
	}
	/* The flags runc adds to the process spec. */
	const struct decision *d = c->process != NULL ? &j.d : &flags;
	struct decision *dd = c->process != NULL ? &j.d : &flags;
	for (size_t i = 0; i < c->ncaps; i++) {
		int cap = caps_from_exact(c->caps[i]);
		if (p->action[R_CAP_NOT_ALLOWED] != ACT_OFF &&
		    (cap < 0 || !(p->allowed_caps & (1ull << cap))))
			decision_add(dd, R_CAP_NOT_ALLOWED, p->action[R_CAP_NOT_ALLOWED],
				     "--cap", "exec --cap %s: not in the allowlist", c->caps[i]);
	}
	if (c->apparmor != NULL && strcmp(c->apparmor, "unconfined") == 0 &&
	    p->action[R_APPARMOR_UNCONFINED] != ACT_OFF)
		decision_add(dd, R_APPARMOR_UNCONFINED, p->action[R_APPARMOR_UNCONFINED],
			     "--apparmor", "exec --apparmor unconfined");
	decision_settle(dd);
	enum outcome out = outcome_settle(&f, d);
	decision_free(&flags);
	return out == OUT_ADMIT ? -1 : outcome_exit(out);
}

int runtime_main(int argc, char **argv)
{
	struct oh_error err = { 0 };
	struct policy *p = NULL;
	struct cmdline c;
	char runtime[PATH_MAX];
	const char *policy = getenv("OCI_HARDEN_POLICY");

	if (getenv(LOOP_MARK) != NULL) {
		fprintf(stderr, "oci-harden-runtime: the real runtime is oci-harden-runtime "
			"again (a loop); check runtime.path and OCI_HARDEN_RUNTIME\n");
		return EXIT_ERROR;
	}
	if (policy_load(policy && policy[0] ? policy : NULL, &p, &err) < 0) {
		fprintf(stderr, "oci-harden-runtime: %s\n", err.msg);
		return EXIT_ERROR;
	}
	if (find_runtime(p, runtime, sizeof(runtime), &err) < 0) {
		fprintf(stderr, "oci-harden-runtime: %s\n", err.msg);
		policy_free(p);
		return EXIT_ERROR;
	}
	parse_cmdline(argc, argv, &c);
	if (c.command != NULL && strcmp(c.command, "exec") == 0) {
		int rc = judge_exec(&c, p);
		if (rc >= 0) {
			policy_free(p);
			return rc;
		}
	} else if (c.command != NULL &&
	    (strcmp(c.command, "create") == 0 || strcmp(c.command, "run") == 0)) {
		int rc = harden_bundle(&c, p);
		if (rc >= 0) {
			policy_free(p);
			return rc;
		}
	}
	policy_free(p);
	setenv(LOOP_MARK, "1", 1);
	argv[0] = runtime;
	execv(runtime, argv);
	fprintf(stderr, "oci-harden-runtime: cannot execute %s: %s\n", runtime,
		strerror(errno));
	return EXIT_ERROR;
}
