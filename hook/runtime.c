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

#include "audit.h"
#include "caps.h"
#include "host.h"
#include "cli.h"
#include "harden.h"
#include "report.h"
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

/* Logs an error; refuses (EXIT_ERROR) unless the policy audits (-1: go on). */
static int refuse_error(const struct policy *p, struct audit_event *e,
			const char *what, const char *id, const char *msg)
{
	e->verdict = "error";
	e->detail = msg;
	e->action = p->audit ? "admitted" : "refused";
	audit_log(p, e);
	if (p->audit)
		return -1;
	fprintf(stderr, "oci-harden-runtime: refusing %scontainer %s: %s\n", what,
		id ? id : "", msg);
	return EXIT_ERROR;
}

/* Hardens the bundle's config in place; returns an exit code, or -1 to go on. */
static int harden_bundle(const struct cmdline *c, const struct policy *p)
{
	const char *bundle = c->bundle ? c->bundle : ".";
	struct oh_error err = { 0 };
	struct harden h;
	char *buf;
	size_t len;
	struct audit_event e = { .stage = "runtime", .id = c->id, .bundle = bundle,
				 .audit_mode = p->audit };
	cleanup_close int dfd = open(bundle, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (dfd < 0)
		oh_err(&err, errno, "%s: cannot open the bundle", bundle);
	if (dfd < 0 || oh_read_bundle_config(dfd, bundle, OH_MAX_INPUT, &buf, &len, &err) < 0 ||
	    harden_run(&h, buf, len, "config.json", p, bundle, &err) < 0) {
		return refuse_error(p, &e, "", c->id, err.msg);
	}
	e.verdict = verdict_name(h.d.verdict);
	e.d = &h.d;
	int rc = -1;
	if (p->audit || h.d.verdict == V_COMPLIANT) {
		e.action = "admitted";
	} else if (h.d.verdict == V_DENIED) {
		e.action = "refused";
		for (size_t i = 0; i < h.d.nfindings; i++) {
			const struct finding *f = &h.d.findings[i];
			if (f->action == ACT_DENY)
				fprintf(stderr, "oci-harden-runtime: %s [deny]: %s; %s\n",
					rule_table[f->rule].id, f->message, rule_table[f->rule].help);
		}
		fprintf(stderr, "oci-harden-runtime: container %s refused by policy\n",
			c->id ? c->id : "");
		rc = EXIT_REFUSED;
	} else if (oh_write_atomic_at(dfd, bundle, "config.json", harden_produce, &h, &err) < 0) {
		e.action = "refused";
		e.detail = err.msg;
		fprintf(stderr, "oci-harden-runtime: refusing container %s: %s\n",
			c->id ? c->id : "", err.msg);
		rc = EXIT_ERROR;
	} else {
		e.action = "rewritten";
	}
	audit_log(p, &e);
	harden_free(&h);
	return rc;
}

/*
 * runc exec can widen what a process in a hardened container holds: docker
 * exec --privileged passes a process spec with every capability, and --cap
 * adds capabilities the container's bounding set never had.  Judge the new
 * process with the process rules; refuse (exit 1) what they refuse.
 */
static int judge_exec(const struct cmdline *c, const struct policy *p)
{
	struct oh_error err = { 0 };
	struct decision d = { .exemption = -1 };
	struct spec s;
	bool have_spec = false;
	struct audit_event e = { .stage = "runtime-exec", .id = c->id,
				 .audit_mode = p->audit };
	/* Only the rules that judge a process; the rest describe the container. */
	static const int process_rules[] = {
		R_NO_NEW_PRIVILEGES, R_CAP_ALL, R_CAP_NOT_ALLOWED, R_APPARMOR_UNCONFINED,
	};

	if (c->process != NULL) {
		char *buf, *doc;
		size_t len;
		if (oh_read_file(c->process, OH_MAX_INPUT, &buf, &len, &err) < 0)
			goto error;
		/* The process spec is the config's "process" object. */
		doc = xasprintf("{\"process\":%s}", buf);
		free(buf);
		if (spec_parse(doc, strlen(doc), c->process, &s, &err) < 0)
			goto error;
		have_spec = true;
		struct policy only = *p;
		for (int r = 0; r < RULE_COUNT; r++)
			only.action[r] = ACT_OFF;
		for (size_t i = 0; i < sizeof(process_rules) / sizeof(process_rules[0]); i++)
			only.action[process_rules[i]] = p->action[process_rules[i]];
		rules_evaluate(&s, &only, host_facts(), &d, &err);
	}
	for (size_t i = 0; i < c->ncaps; i++) {
		int cap = caps_from_exact(c->caps[i]);
		if (p->action[R_CAP_NOT_ALLOWED] != ACT_OFF &&
		    (cap < 0 || !(p->allowed_caps & (1ull << cap))))
			decision_add(&d, R_CAP_NOT_ALLOWED, p->action[R_CAP_NOT_ALLOWED],
				     "--cap", "exec --cap %s: not in the allowlist", c->caps[i]);
	}
	if (c->apparmor != NULL && strcmp(c->apparmor, "unconfined") == 0 &&
	    p->action[R_APPARMOR_UNCONFINED] != ACT_OFF)
		decision_add(&d, R_APPARMOR_UNCONFINED, p->action[R_APPARMOR_UNCONFINED],
			     "--apparmor", "exec --apparmor unconfined");
	/* Nothing can be rewritten here: fix refuses like deny. */
	decision_settle(&d);
	e.d = &d;
	e.verdict = verdict_name(d.verdict);
	int rc = -1;
	if (d.verdict == V_COMPLIANT || p->audit) {
		e.action = "admitted";
	} else {
		e.action = "refused";
		for (size_t i = 0; i < d.nfindings; i++)
			if (d.findings[i].action >= ACT_FIX)
				fprintf(stderr, "oci-harden-runtime: exec: %s: %s; %s\n",
					rule_table[d.findings[i].rule].id, d.findings[i].message,
					rule_table[d.findings[i].rule].help);
		fprintf(stderr, "oci-harden-runtime: exec in container %s refused by policy\n",
			c->id ? c->id : "");
		rc = EXIT_REFUSED;
	}
	audit_log(p, &e);
	decision_free(&d);
	if (have_spec)
		spec_free(&s);
	return rc;
error:
	return refuse_error(p, &e, "exec in ", c->id, err.msg);
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
