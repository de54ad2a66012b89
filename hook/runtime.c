/* SPDX-License-Identifier: Apache-2.0 */
/*
 * oci-harden-runtime: a runtime wrapper in front of runc or crun, for
 * engines that cannot rewrite a config through a hook (containerd, Docker,
 * CRI-O), and the only place that sees exec: hooks never run for it.
 *
 * It takes the runtime's command line unchanged and reads it exactly as
 * that runtime does (runtime_args.h).  create, run and restore harden the
 * config the runtime will read, as `oci-harden fix` does, or refuse; a
 * restore's processes, whose credentials and filters come from the
 * checkpoint image, are then verified and killed on a mismatch (verify.h).  exec
 * is clamped to its container (exec_clamp.h): the runtime gets a hardened
 * process document in place of the engine's.  Everything else goes
 * straight to the real runtime at the cost of one exec.  Refusals reach the
 * engine through the runtime's own --log file (runtime_log.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "audit.h"
#include "caps.h"
#include "check.h"
#include "cli.h"
#include "deadline.h"
#include "exec_clamp.h"
#include "host.h"
#include "inspect.h"
#include "outcome.h"
#include "paths.h"
#include "pipeline.h"
#include "report.h"
#include "rtdialect.h"
#include "runtime_args.h"
#include "runtime_log.h"
#include "scload.h"
#include "util.h"
#include "verify.h"

/* Set in the real runtime's environment: seeing it means we called ourselves. */
#define LOOP_MARK "OCI_HARDEN_RUNTIME_ACTIVE"

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
static int find_runtime(const char *explicit, char *out, size_t cap,
			struct oh_error *err)
{
	const char *path = getenv("PATH");

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

/*
 * Whose command line the runtime reads: the policy's runtime.dialect, else
 * the name of the file runtime leads to (crun installed as a link named
 * runc is crun) when the binary's --version agrees (rtdialect.h; cached by
 * the file's identity).  Anything else is refused: parsed in the wrong
 * grammar, an argument could mean one thing to the wrapper and another to
 * the runtime.
 */
static int runtime_dialect(const struct policy *p, const char *runtime,
			   enum rt_dialect *d, struct oh_error *err)
{
	const char *cache = getenv("OCI_HARDEN_CACHE_DIR");

	if (p->runtime_dialect != NULL) {
		*d = strcmp(p->runtime_dialect, "crun") == 0 ? RT_CRUN : RT_RUNC;
		return 0;
	}
	/* A runtime that leads back to the wrapper stops at the mark. */
	setenv(LOOP_MARK, "1", 1);
	return rt_dialect_detect(runtime, cache && cache[0] ? cache : RT_DIALECT_CACHE_DIR,
				 d, err);
}

/* Everything one invocation needs to judge and to say why it refused. */
struct run {
	const struct policy *p;
	struct rt_args a;
	struct rt_log log;
	int argc;
	char **argv;
	const char *runtime;     /* the real runtime's path */
	const char *policy;      /* the policy file named (OCI_HARDEN_POLICY), or NULL */
};

/* Refuses with msg through the runtime's channel and returns EXIT_ERROR. */
static int refuse(struct run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int refuse(struct run *r, const char *fmt, ...)
{
	va_list ap;
	char msg[OH_ERR_MSG_MAX + 256];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	rt_log_error(&r->log, msg);
	return EXIT_ERROR;
}

/* Logs an error; refuses unless the policy audits (-1: go on). */
static int refuse_error(struct run *r, struct audit_event *e, const char *what,
			const char *msg)
{
	e->verdict = "error";
	e->detail = msg;
	e->action = r->p->audit ? "admitted" : "refused";
	audit_log(r->p, e);
	if (r->p->audit)
		return -1;
	return refuse(r, "refusing %scontainer %s: %s", what, r->a.id ? r->a.id : "", msg);
}

/*
 * One message for every refusing finding: containerd shows only the last
 * error line of the log, so it must carry all the rule ids.
 */
static int refuse_findings_at(struct run *r, const struct decision *d, const char *what,
			      enum action min, const char *after)
{
	struct oh_buf b = { 0 };

	oh_buf_printf(&b, "%s %s refused by oci-harden policy%s", what, r->a.id ? r->a.id : "",
		      after);
	for (size_t i = 0; i < d->nfindings; i++) {
		const struct finding *f = &d->findings[i];
		if (f->action < min)
			continue;
		fprintf(stderr, "oci-harden-runtime: %s [%s]: %s; %s\n",
			rule_table[f->rule].id, action_name(f->action), f->message,
			rule_table[f->rule].help);
		oh_buf_printf(&b, "; %s: %s (%s)", rule_table[f->rule].id, f->message,
			      rule_table[f->rule].help);
	}
	if (r->log.fd >= 0) {
		size_t len;
		cleanup_free char *line = rt_log_line(&r->log, b.data, time(NULL), &len);
		if (oh_write_all(r->log.fd, line, len) < 0)
			fprintf(stderr, "oci-harden-runtime: cannot write the runtime log\n");
	}
	fprintf(stderr, "oci-harden-runtime: %s\n", b.data);
	free(b.data);
	return EXIT_REFUSED;
}

static int refuse_findings(struct run *r, const struct decision *d, const char *what)
{
	return refuse_findings_at(r, d, what, ACT_DENY, "");
}

/* What the outcome layer makes of a verdict no judgement settled (or an
 * error): nothing to hand on. */
static int refuse_unjudged(struct run *r, struct audit_event *e, const char *what,
			   enum verdict v)
{
	e->action = "refused";
	return refuse(r, "refusing %s %s: it was not judged (verdict: %s)", what,
		      r->a.id ? r->a.id : "", verdict_name(v));
}

/* --------------------------------------------- the judgement (one place each) */

/*
 * The container judgement for create, run and restore: the config the
 * runtime will read, judged and fixed as `oci-harden fix` does.
 */
static int judge_container_config(struct pipeline_input *in, const struct policy *p,
				  struct judgement *j, struct oh_error *err)
{
	struct pipeline_opts o = { .on = CTX_CONFIG, .scan = SCAN_POLICY, .fix = !p->audit };

	return pipeline_run(in, &o, p, j, err);
}

/* The exec judgement: the new process clamped to its container. */
/*
 * The exec'd process is judged by the rule table's exec checks, as the
 * "process" of a config with the container's annotations for the
 * exemptions: the same verdict and rule ids any front end reaches on it.
 * What they would fix, the clamp mends (no-new-privileges, capabilities
 * cut to the container's); what they deny is refused; and the clamp adds
 * what only the container can tell (a --cap beyond its bounding set, a
 * container started without a filter).
 */
static int judge_exec_process(struct spec *proc, const struct container_creds *c,
			      const struct policy *p, const struct rt_args *a,
			      struct decision *d, struct oh_error *err)
{
	/* With --process, runc and crun ignore --cap and --apparmor. */
	bool flags = a->process == NULL;

	rules_judge(&(struct subject){ .on = CTX_EXEC, .s = proc, .ann = &c->ann },
		    p, host_facts(), d);
	/* runtime.exec "clamp": capabilities beyond the container are cut to
	 * it rather than refused, a privileged exec included. */
	for (size_t i = 0; p->exec_clamp && i < d->nfindings; i++)
		if (d->findings[i].rule == R_CAP_ALL || d->findings[i].rule == R_CAP_NOT_ALLOWED)
			if (d->findings[i].action == ACT_DENY)
				d->findings[i].action = ACT_FIX;
	if (exec_clamp(proc, c, p, flags ? a->caps : NULL, flags ? a->ncaps : 0,
		       flags ? a->apparmor : NULL, d, err) < 0)
		return -1;
	decision_settle(d);
	return 0;
}

/* ------------------------------------------------------ create, run, restore */

/* Where the runtime reads the config: BUNDLE/config.json, or crun's --config. */
static void config_location(const struct rt_args *a, char **dir, char **name)
{
	const char *bundle = a->bundle ? a->bundle : ".";

	/* crun: a --config other than "config.json" is relative to the
	 * working directory, not the bundle. */
	if (a->config != NULL && strcmp(a->config, "config.json") != 0) {
		cleanup_free char *d = xstrdup(a->config), *n = xstrdup(a->config);
		*dir = xstrdup(dirname(d));
		*name = xstrdup(basename(n));
		return;
	}
	*dir = xstrdup(bundle);
	*name = xstrdup("config.json");
}

/* The config as the pipeline reads it: a bundle's config.json, or a file. */
static int config_input(struct pipeline_input *in, const char *dir, const char *name,
			char **path, struct oh_error *err)
{
	*path = NULL;
	if (strcmp(name, "config.json") == 0)
		return pipeline_input_bundle(in, dir, err);
	*path = oh_path_join(dir, name);
	cleanup_close int fd = open(*path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY |
				    O_NONBLOCK);
	struct stat st;
	if (fd < 0)
		return oh_err(err, errno, "%s: cannot open", *path);
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
		return oh_err(err, 0, "%s: not a regular file", *path);
	if (oh_read_fd(fd, *path, OH_MAX_INPUT, &in->buf, &in->len, err) < 0)
		return -1;
	in->source = *path;
	return 0;
}

/* The atomic rewrite, never cut short by the deadline halfway. */
static int write_config(const struct judgement *j, const char *path, struct oh_error *err)
{
	deadline_hold();
	int rc = judgement_write_back(j, path, err);
	deadline_release();
	return rc;
}

/*
 * runc before 1.2 refuses every linux.seccomp.flags ("seccomp flags are
 * not yet supported by runc"), so a profile carrying SECCOMP_FILTER_FLAG_LOG
 * (seccomp.logDenials) cannot start there.  The wrapper knows its runtime:
 * it says so itself instead of handing runc a config it will refuse.
 * True, with runc's version in ver, when the runtime is such a runc.
 */
static bool runc_refuses_flags(const char *runtime, char *ver, size_t cap)
{
	int fds[2];
	char out[256];
	size_t n = 0;
	unsigned major, minor;

	if (pipe2(fds, O_CLOEXEC) < 0)
		return false;
	pid_t pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return false;
	}
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR | O_CLOEXEC);
		dup2(fds[1], STDOUT_FILENO);
		if (null >= 0) {
			dup2(null, STDIN_FILENO);
			dup2(null, STDERR_FILENO);
		}
		execl(runtime, runtime, "--version", (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	for (;;) {
		ssize_t k = read(fds[0], out + n, sizeof(out) - 1 - n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		n += (size_t)k;
		if (n == sizeof(out) - 1)
			break;
	}
	close(fds[0]);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	out[n] = '\0';
	if (sscanf(out, "runc version %u.%u", &major, &minor) != 2)
		return false;
	snprintf(ver, cap, "%u.%u", major, minor);
	return major == 1 && minor < 2;
}

static bool config_has_seccomp_flags(const struct spec *s)
{
	const struct jval *f = jobj_get(s->seccomp, "flags");

	return f != NULL && f->type == J_ARRAY && f->len > 0;
}

/*
 * Every judgement so far read the host by path before the runtime mounts;
 * a bind source swapped for a symlink in between is seen only from the
 * container's mount namespace after the mounts.  create and run therefore
 * hand the runtime the config with this program's own createContainer
 * hook last, unless that very hook is there already.  Whether anything
 * was added.
 * The hook names the wrapper's policy and has an environment of its own:
 * a createContainer hook without one runs, under runc, with the
 * container's process.env, where an image's LD_PRELOAD or LD_LIBRARY_PATH
 * would be loaded into this program running as host root (the
 * CVE-2025-23266 way; config-hooks and hook-loader-env would refuse it).
 */
static bool add_mounted_hook(struct judgement *j, const char *policy)
{
	struct jdoc *doc = j->s.doc;
	const char *self = paths_self();
	const struct jval *old = j->s.hook[SPEC_HOOK_CREATE_CONTAINER];
	uint32_t n = old != NULL ? old->len : 0;

	uint32_t nargs = policy != NULL ? 5 : 3;
	struct jval args = jv_array(doc, nargs);
	args.u.items[0] = jv_str(doc, "oci-harden");
	args.u.items[1] = jv_str(doc, "hook");
	args.u.items[2] = jv_str(doc, "createContainer");
	if (policy != NULL) {
		args.u.items[3] = jv_str(doc, "--policy");
		args.u.items[4] = jv_str(doc, policy);
	}
	struct jval env = jv_array(doc, 1);
	env.u.items[0] = jv_str(doc, OH_HOOK_ENV);
	struct jval hook = jv_object(doc, 0);
	jobj_set(doc, &hook, "path", jv_str(doc, self));
	jobj_set(doc, &hook, "args", args);
	jobj_set(doc, &hook, "env", env);
	/* Only this very hook (path, args, env) stands in for it: a config's
	 * own copy with another policy, or none, would have that policy judge
	 * what was mounted (an admin's audit-mode policy beside the default,
	 * or the default where the wrapper's names more sensitive paths). */
	for (uint32_t i = 0; i < n; i++)
		if (check_hook_same(&old->u.items[i], &hook))
			return false;
	struct jval list = jv_array(doc, n + 1);
	for (uint32_t i = 0; i < n; i++)
		list.u.items[i] = old->u.items[i];
	list.u.items[n] = hook;
	/* The hooks object and the stage as the runtime reads them (the view
	 * found them the way runc and crun do, case and all). */
	if (old != NULL) {
		*j->s.hook[SPEC_HOOK_CREATE_CONTAINER] = list;
	} else {
		struct jval *hooks = j->s.hooks;
		if (hooks == NULL) {
			jobj_set(doc, j->s.root, "hooks", jv_object(doc, 0));
			hooks = jobj_get(j->s.root, "hooks");
		}
		jobj_set(doc, hooks, "createContainer", list);
	}
	return true;
}

/*
 * Hardens the config in place; returns an exit code, or -1 to go on.  With
 * keep, the judgement (the config as the runtime will read it) moves there
 * when the answer is to go on.
 */
static int harden_bundle(struct run *r, struct judgement *keep)
{
	const struct rt_args *a = &r->a;
	const struct policy *p = r->p;
	struct oh_error err = { 0 };
	cleanup_judgement struct judgement j = JUDGEMENT_INIT;
	struct pipeline_input in = PIPELINE_INPUT_INIT;
	cleanup_free char *dir = NULL, *name = NULL, *path = NULL;

	for (size_t i = 0; i < a->nopts; i++)
		if (a->opts[i].def->name && strcmp(a->opts[i].def->name, "lsm-profile") == 0)
			/* It replaces the AppArmor or SELinux profile of the
			 * restored container, behind the config's back. */
			return refuse(r, "restore --lsm-profile %s: the wrapper cannot judge "
				      "a profile given outside the config", a->opts[i].value);
	if (a->no_pivot)
		/* Without pivot_root the host's root file system stays mounted
		 * below the container's in its mount namespace (runc and crun
		 * move the rootfs over it and chroot): nothing the config says
		 * can show it out of reach.  containerd's NoPivotRoot and
		 * Docker's DOCKER_RAMDISK ask for it. */
		return refuse(r, "refusing container %s: --no-pivot leaves the host's root "
			      "file system mounted below the container's, where a process "
			      "that can unmount or chroot may reach it; start containers with "
			      "pivot_root (drop NoPivotRoot, DOCKER_RAMDISK)",
			      a->id ? a->id : "");
	config_location(a, &dir, &name);
	const char *bundle = a->bundle ? a->bundle : ".";
	struct audit_event e = { .stage = "runtime", .id = a->id, .bundle = bundle,
				 .audit_mode = p->audit };

	if (config_input(&in, dir, name, &path, &err) < 0 ||
	    judge_container_config(&in, p, &j, &err) < 0)
		return refuse_error(r, &e, "", err.msg);
	e.verdict = verdict_name(j.d.verdict);
	e.d = &j.d;
	int rc = -1;
	char ver[32];
	if (p->log_denials && a->dialect == RT_RUNC && j.d.verdict != V_DENIED &&
	    config_has_seccomp_flags(&j.s) && runc_refuses_flags(r->runtime, ver, sizeof(ver))) {
		char msg[512];
		snprintf(msg, sizeof(msg), "seccomp.logDenials: runc %s refuses any "
			 "linux.seccomp.flags, SECCOMP_FILTER_FLAG_LOG among them, so the "
			 "container cannot start; runc 1.2 and later and crun take the flag "
			 "(turn logDenials off in the policy of this runtime)", ver);
		return refuse_error(r, &e, "", msg);
	}
	/* Every verdict through the outcome layer, as the hooks decide:
	 * what it does not admit or rewrite is refused.  create and run get
	 * the createContainer hook too (not in audit mode, which changes
	 * nothing; restore's mounts are CRIU's). */
	enum outcome out = outcome_decide(p, j.d.verdict, POWER_REWRITE);
	bool creates = strcmp(a->command, "create") == 0 || strcmp(a->command, "run") == 0;
	if ((out == OUT_ADMIT || out == OUT_REWRITE) && creates && !p->audit &&
	    add_mounted_hook(&j, r->policy)) {
		if (out == OUT_ADMIT)
			e.detail = "createContainer hook added";
		out = OUT_REWRITE;
	}
	switch (out) {
	case OUT_ADMIT:
		e.action = "admitted";
		break;
	case OUT_REFUSE:
		e.action = "refused";
		rc = refuse_findings(r, &j.d, "container");
		break;
	case OUT_REWRITE:
		if (write_config(&j, path, &err) < 0) {
			e.action = "refused";
			e.detail = err.msg;
			rc = refuse(r, "refusing container %s: %s", a->id ? a->id : "", err.msg);
		} else {
			e.action = "rewritten";
		}
		break;
	case OUT_ERROR:
	default:
		rc = refuse_unjudged(r, &e, "container", j.d.verdict);
		break;
	}
	audit_log(p, &e);
	if (rc < 0 && keep != NULL) {
		*keep = j;
		j = (struct judgement)JUDGEMENT_INIT;
	}
	return rc;
}

/* ------------------------------------------------------------------ restore */

/* restore's --detach, the last one given winning, as Go's flag package
 * sets it again for each. */
static bool restore_detached(const struct rt_args *a)
{
	bool on = false;

	for (size_t i = 0; i < a->nopts; i++) {
		const struct rt_occ *o = &a->opts[i];
		if (o->def->name != NULL && strcmp(o->def->name, "detach") == 0)
			/* The parser let only Go's boolean spellings through:
			 * 1, t, T, TRUE, true, True against 0, f, F, ... */
			on = o->value == NULL || strchr("1tT", o->value[0]) != NULL;
	}
	return on;
}

/* Runs the real runtime with argv and waits: its exit status, 128 + N for
 * a signal N, or -1 with errno when it could not be run. */
static int run_runtime(const char *runtime, char **argv)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		setenv(LOOP_MARK, "1", 1);
		execv(runtime, argv);
		fprintf(stderr, "oci-harden-runtime: cannot execute the real runtime %s: %s\n",
			runtime, strerror(errno));
		_exit(EXIT_ERROR);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* RUNTIME [the global options as given] WORDS... ID: one of the runtime's
 * own commands on the restored container (words NULL-terminated). */
static int container_command(const struct run *r, const char *runtime,
			     const char *const *words)
{
	size_t nw = 0;

	while (words[nw] != NULL)
		nw++;
	cleanup_free char **argv = xcalloc((size_t)r->a.cmd_index + nw + 2, sizeof(char *));
	size_t n = 0;

	argv[n++] = (char *)runtime;
	for (int i = 1; i < r->a.cmd_index; i++)
		argv[n++] = r->argv[i];
	for (size_t i = 0; i < nw; i++)
		argv[n++] = (char *)words[i];
	argv[n++] = (char *)r->a.id;
	argv[n] = NULL;
	return run_runtime(runtime, argv);
}

/* RUNTIME [the global options as given] delete --force ID: the runtime
 * kills what is left in the container's cgroup and removes its state. */
static int delete_container(const struct run *r, const char *runtime)
{
	return container_command(r, runtime, (const char *const[]){ "delete", "--force", NULL });
}

/*
 * The restored container's processes and their threads, listed and read
 * while the runtime keeps the container frozen (its own pause and
 * resume), so that no process can leave the listing behind by forking
 * and exiting meanwhile.  A created container's init waits for `start`
 * and runs nothing; runc freezes created containers too, so it is paused
 * all the same.
 */
static int frozen_view(const struct run *r, const char *runtime,
		       const struct runc_state *st, struct kernel_view *kv,
		       struct oh_error *err)
{
	int rc = container_command(r, runtime, (const char *const[]){ "pause", NULL });

	if (rc != 0)
		return oh_err(err, rc < 0 ? errno : 0, "cannot freeze the restored container "
			      "to list its processes (the runtime's pause %s %d)",
			      rc < 0 ? "did not run," : "exited", rc);
	int read = inspect_pid(st->pid, false, kv, err);
	if (read == 0 && inspect_add_cgroup_members(kv, st, err) < 0)
		read = -1;
	if (read == 0)
		verify_add_threads(kv);
	rc = container_command(r, runtime, (const char *const[]){ "resume", NULL });
	if (read < 0)
		return oh_err_wrap(err, "the restored container's processes");
	if (rc != 0)
		return oh_err(err, rc < 0 ? errno : 0, "cannot resume the restored container "
			      "after listing its processes (the runtime's resume %s %d)",
			      rc < 0 ? "did not run," : "exited", rc);
	return 0;
}

/*
 * Reads what the runtime restored: the container's init from its state in
 * root, held by a pidfd, and every process of the container's cgroups
 * (the runtime's record of them, sub-cgroups included) with each of their
 * threads.  *pidfd is left -1 unless it names the init the state records:
 * a pid whose start time differs belongs to someone else.  The listening
 * sockets are left out: create cannot judge them either.
 */
static int restored_view(const struct run *r, const char *runtime, const char *root,
			 int *pidfd, struct kernel_view *kv, struct oh_error *err)
{
	struct runc_state st, again;
	bool identified = false;
	int rc = 0;

	*pidfd = -1;
	if (runc_state_read(root, r->a.id, &st, err) < 0)
		return oh_err_wrap(err, "the restored container's state");
	if (!st.running) {
		rc = oh_err(err, ESRCH, "the restored container's init (pid %ld) is not running",
			    (long)st.pid);
		runc_state_free(&st);
		return rc;
	}
	*pidfd = verify_pidfd_open(st.pid);
	if (*pidfd < 0) {
		rc = oh_err(err, errno, "the restored container's init (pid %ld)", (long)st.pid);
	} else if (runc_state_read(root, r->a.id, &again, err) < 0) {
		rc = oh_err_wrap(err, "the restored container's state");
	} else {
		/* Read again with the pidfd held: the pid still names the
		 * process the runtime recorded, not a successor. */
		if (!again.running || again.pid != st.pid || again.start != st.start) {
			rc = oh_err(err, ESRCH, "the restored container's init (pid %ld) is "
				    "not running", (long)st.pid);
			/* The pidfd may name whoever took the pid: never
			 * signal it. */
			close(*pidfd);
			*pidfd = -1;
		} else {
			identified = true;
			if (frozen_view(r, runtime, &again, kv, err) < 0)
				rc = -1;
		}
		runc_state_free(&again);
	}
	if (rc < 0 && *pidfd >= 0 && !identified) {
		/* A pidfd not shown to be the init's is never signalled. */
		close(*pidfd);
		*pidfd = -1;
	}
	runc_state_free(&st);
	if (rc == 0) {
		free(kv->listening);
		kv->listening = NULL;
		kv->nlistening = 0;
	}
	return rc;
}
/* Kills the restored container: its init by the pidfd, the rest by the
 * runtime's delete.  Says what failed into what (empty when nothing). */
static void remove_restored(const struct run *r, const char *runtime, int pidfd,
			    char *what, size_t cap)
{
	bool killed = pidfd < 0 || verify_pidfd_signal(pidfd, SIGKILL) == 0 || errno == ESRCH;
	int rc = delete_container(r, runtime);

	snprintf(what, cap, "%s%s", killed ? "" : "; could not kill its init",
		 rc == 0 ? "" : "; the runtime's delete --force failed");
}

/*
 * libseccomp could not be loaded during a judgement (scload.c): recorded
 * as any error of that judgement (refuse_error); in audit mode the
 * runtime then runs as asked, as after any such error.  After a restore
 * (pidfd set) the container cannot be verified: killed and deleted,
 * unless the policy audits.
 */
struct sc_failure {
	struct run *r;
	const char *stage, *what, *bundle;
	const int *pidfd;
};

static int sc_load_failed(const char *why, void *ctx)
{
	const struct sc_failure *s = ctx;
	struct run *r = s->r;
	struct audit_event e = { .stage = s->stage, .id = r->a.id, .bundle = s->bundle,
				 .audit_mode = r->p->audit };

	deadline_disarm();
	if (s->pidfd != NULL) {
		char left[128] = "";
		int rc = EXIT_COMPLIANT;
		e.verdict = "error";
		e.detail = why;
		e.action = r->p->audit ? "admitted" : "killed";
		if (!r->p->audit) {
			remove_restored(r, r->runtime, *s->pidfd, left, sizeof(left));
			rc = refuse(r, "refusing restored container %s: it cannot be verified (%s); "
				    "killed and deleted it%s", r->a.id, why, left);
		}
		audit_log(r->p, &e);
		return rc;
	}
	if (refuse_error(r, &e, s->what, why) != -1)
		return EXIT_ERROR;
	setenv(LOOP_MARK, "1", 1);
	r->argv[0] = (char *)r->runtime;
	execv(r->runtime, r->argv);
	fprintf(stderr, "oci-harden-runtime: cannot execute the real runtime %s: %s\n",
		r->runtime, strerror(errno));
	return EXIT_ERROR;
}

/*
 * After the runtime restored the container: its processes as the kernel
 * holds them, judged by the rule table's kernel checks against the policy
 * and the config just hardened (verify.h), filters read and judged.  A
 * mismatch, or anything that keeps it from being judged, kills and
 * deletes the container and refuses, unless the policy audits.
 */
static int verify_restored(struct run *r, const char *runtime, const char *root,
			   const struct judgement *j)
{
	const struct policy *p = r->p;
	struct oh_error err = { 0 };
	struct kernel_view kv = { 0 };
	struct decision d;
	/* the threads were listed with the processes, frozen */
	struct verify_opts vo = { .read_filters = true, .threads = false };
	struct audit_event e = { .stage = "runtime-restore", .id = r->a.id,
				 .bundle = j->bundle_name, .audit_mode = p->audit };
	cleanup_close int pidfd = -1;
	char left[128];
	int rc = EXIT_COMPLIANT;

	decision_init(&d);
	struct sc_failure scf = { .r = r, .stage = "runtime-restore", .bundle = j->bundle_name,
				  .pidfd = &pidfd };
	oh_sc_on_load_failure(sc_load_failed, &scf);
	int read = restored_view(r, runtime, root, &pidfd, &kv, &err);
	if (read < 0 && err.errnum == ENOENT) {
		/* The runtime said it restored a container the wrapper finds
		 * no record of: whatever it started cannot be verified, and
		 * the runtime, which may keep it where the wrapper did not
		 * look, is asked to delete it. */
		e.verdict = "error";
		e.detail = err.msg;
		e.action = p->audit ? "admitted" : "refused";
		if (!p->audit) {
			int del = delete_container(r, runtime);
			rc = refuse(r, "refusing restored container %s: it cannot be verified: "
				    "the runtime reported success but keeps no such container (%s); "
				    "%s", r->a.id, err.msg,
				    del == 0 ? "deleted it through the runtime's delete --force"
					     : "the runtime's delete --force failed");
		}
	} else if (read < 0 || verify_judge(&kv, &j->s, p, &vo, &d, &err) < 0) {
		e.verdict = "error";
		e.detail = err.msg;
		e.action = p->audit ? "admitted" : "killed";
		if (!p->audit) {
			remove_restored(r, runtime, pidfd, left, sizeof(left));
			rc = refuse(r, "refusing restored container %s: it cannot be verified (%s); "
				    "killed and deleted it%s", r->a.id, err.msg, left);
		}
	} else {
		e.d = &d;
		e.verdict = d.verdict == V_COMPLIANT ? "compliant" : "mismatch";
		e.action = "admitted";
		/* Any fix or deny finding is a mismatch: nothing can be fixed
		 * in a running process. */
		/* A judgement that ended in an error (or none) cannot have
		 * verified it: killed as a mismatch is. */
		enum outcome out = outcome_decide(p, d.verdict, POWER_GATE);
		if (out == OUT_ERROR)
			e.verdict = "error";
		if (out == OUT_REFUSE || out == OUT_ERROR) {
			e.action = "killed";
			remove_restored(r, runtime, pidfd, left, sizeof(left));
			char after[256];
			snprintf(after, sizeof(after), ": its processes came back from the "
				 "checkpoint image with credentials the hardened config does "
				 "not give; killed and deleted it%s", left);
			rc = refuse_findings_at(r, &d, "restored container", ACT_FIX, after);
		}
	}
	oh_sc_on_load_failure(NULL, NULL);
	audit_log(p, &e);
	decision_free(&d);
	kernel_view_free(&kv);
	return rc;
}

/*
 * restore: CRIU brings the processes back with the credentials and the
 * seccomp filters of the checkpoint image, not the config's.  The config
 * is hardened as create's is (namespaces, mounts, cgroups come from it),
 * then the restored processes are verified (runtime.restore "verify"), or
 * every restore is refused ("refuse").  Only a detached restore can be
 * verified before the workload goes on under the runtime.
 */
static int restore(struct run *r, const char *runtime)
{
	cleanup_judgement struct judgement j = JUDGEMENT_INIT;
	struct audit_event e = { .stage = "runtime-restore", .id = r->a.id,
				 .bundle = r->a.bundle ? r->a.bundle : ".",
				 .audit_mode = r->p->audit, .verdict = "error",
				 .action = r->p->audit ? "admitted" : "refused" };

	/* audit: the restore runs as asked, the decisions are logged; one
	 * without --detach is left to the runtime, as nothing is left to
	 * verify once it returns. */
	if (r->p->audit && (r->p->restore_refuse || !restore_detached(&r->a)))
		return harden_bundle(r, NULL);
	if (r->p->restore_refuse || !restore_detached(&r->a)) {
		const char *why = r->p->restore_refuse
			? "the policy refuses every restore (runtime.restore \"refuse\")"
			: "a restore without --detach runs the workload on under the "
			  "runtime before anything can verify what the checkpoint "
			  "image restored; restore with --detach (engines do)";
		char msg[OH_ERR_MSG_MAX];
		e.detail = why;
		audit_log(r->p, &e);
		snprintf(msg, sizeof(msg), "refusing restore of container %s: %s; a checkpoint "
			 "image restores the credentials and seccomp filter its processes had "
			 "when dumped, not the config's", r->a.id, why);
		rt_log_error(&r->log, msg);
		return r->p->restore_refuse ? EXIT_REFUSED : EXIT_ERROR;
	}
	/* Where the runtime keeps the restored container's state: an empty
	 * --root makes runc use the working directory, where nothing would
	 * find it to verify it. */
	if (r->a.root != NULL && r->a.root[0] == '\0')
		return refuse(r, "refusing restore of container %s: an empty --root keeps "
			      "the restored container's state where the wrapper cannot find "
			      "it to verify it; give --root DIR, or none", r->a.id);
	cleanup_free char *root = r->a.root ? xstrdup(r->a.root) : rt_default_root(r->a.dialect);
	/* A container under that id already exists: the runtime would
	 * refuse the restore, and the wrapper would then judge, and kill, a
	 * container the restore did not create. */
	struct runc_state old;
	struct oh_error serr = { 0 };
	if (runc_state_read(root, r->a.id, &old, &serr) == 0) {
		runc_state_free(&old);
		return refuse(r, "refusing restore of container %s: a container with that id "
			      "already exists in %s", r->a.id, root);
	}
	if (serr.errnum != ENOENT)
		return refuse(r, "refusing restore of container %s: cannot tell whether a "
			      "container with that id exists: %s", r->a.id, serr.msg);
	int rc = harden_bundle(r, &j);
	if (rc >= 0)
		return rc;
	/* The runtime's own work (CRIU's) takes what it takes: the deadline
	 * is the wrapper's. */
	deadline_disarm();
	char **argv = r->argv;
	argv[0] = (char *)runtime;
	rc = run_runtime(runtime, argv);
	if (rc < 0)
		return refuse(r, "refusing restore of container %s: cannot run the real "
			      "runtime %s: %s", r->a.id, runtime, strerror(errno));
	if (rc != 0) {
		/* Nothing restored, unless the runtime left a container behind. */
		struct runc_state st;
		struct oh_error ignored;
		if (runc_state_read(root, r->a.id, &st, &ignored) < 0)
			return rc;
		runc_state_free(&st);
		int v = verify_restored(r, runtime, root, &j);
		return v != EXIT_COMPLIANT ? v : rc;
	}
	return verify_restored(r, runtime, root, &j);
}

/* ------------------------------------------------------------------ exec */

/*
 * The hardened process as a sealed memory file the runtime opens by
 * /proc/self/fd/N: complete before the runtime starts, unchangeable, and
 * gone with the last process holding it, so nothing is left to remove.
 * N lies above the descriptors runc and crun hand to the process
 * (3 + $LISTEN_FDS + --preserve-fds), which they close on exec.
 */
/*
 * How many descriptors from 3 on the runtime hands the container's
 * process: --preserve-fds and $LISTEN_FDS together, or -1 (err) for a
 * count not read here as the runtime reads it.  $LISTEN_FDS is read as
 * crun 1.8 reads it (strtoll, whatever $LISTEN_PID says), which is never
 * fewer than runc's reading (Atoi, when $LISTEN_PID is its pid).
 */
static long long passed_fds(const struct rt_args *a, struct oh_error *err)
{
	long long n = 0;
	const char *listen = getenv("LISTEN_FDS");

	for (size_t i = 0; i < a->nopts; i++) {
		const char *v = a->opts[i].value;
		if (a->opts[i].def->name == NULL || strcmp(a->opts[i].def->name, "preserve-fds") != 0 ||
		    v == NULL)
			continue;
		/* runc reads the count as Go does (0x100, 0100, 2_56 too): a
		 * count read otherwise here would put the document among the
		 * descriptors the container gets.  Only plain decimal passes. */
		if (v[0] == '\0' || strspn(v, "0123456789") != strlen(v) || strlen(v) > 6 ||
		    (v[0] == '0' && v[1] != '\0'))
			return oh_err(err, 0, "--preserve-fds %s: give the count in decimal", v);
		n += strtol(v, NULL, 10);
	}
	if (listen != NULL) {
		long long l = strtoll(listen, NULL, 10);
		if (l > 1000000)
			return oh_err(err, 0, "LISTEN_FDS=%s: more descriptors than a process has",
				      listen);
		if (l > 0)
			n += l;
	}
	return n;
}

/*
 * The runtime hands the container descriptors 3 .. 3+N-1 as it holds them
 * when it starts the process: where the caller has none open, the
 * runtime's own take those numbers.  Under runc 1.1.5, fd 3 was its
 * O_PATH descriptor of the host's /sys/fs/cgroup, and a hardened
 * container read the host's files through /proc/self/fd/3/../../..
 * (tests/integration/passed_descriptors.bats).  So every one of them must
 * be the caller's: open here, and not one the wrapper opened (those close
 * on exec, which frees the number for the runtime's).
 */
static int check_passed_fds(const struct rt_args *a, struct oh_error *err)
{
	long long n = passed_fds(a, err);

	if (n < 0)
		return -1;
	for (long long fd = 3; fd < 3 + n; fd++) {
		int fl = fcntl((int)fd, F_GETFD);
		if (fl < 0 || (fl & FD_CLOEXEC))
			return oh_err(err, 0, "descriptor %lld is not one the caller passed "
				      "(--preserve-fds, LISTEN_FDS), and the runtime would hand the "
				      "container a descriptor of its own in its place", fd);
	}
	return 0;
}

static int sealed_doc(int (*produce)(int, void *, struct oh_error *), void *ctx,
		      const struct rt_args *a, char *path, size_t cap, struct oh_error *err)
{
	long long passed = passed_fds(a, err);

	if (passed < 0)
		return -1;
	long long floor = 3 + 64 + passed;

	cleanup_close int fd = memfd_create("oci-harden-document", MFD_ALLOW_SEALING);
	if (fd < 0)
		return oh_err(err, errno, "cannot create the document for the runtime");
	if (produce(fd, ctx, err) < 0)
		return -1;
	if (fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_WRITE | F_SEAL_GROW | F_SEAL_SHRINK) < 0 ||
	    lseek(fd, 0, SEEK_SET) < 0)
		return oh_err(err, errno, "cannot seal the document for the runtime");
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
	    (rlim_t)floor >= rl.rlim_cur)
		return oh_err(err, 0, "no descriptor above the %lld the runtime passes on",
			      floor);
	int high = fcntl(fd, F_DUPFD, (int)floor);
	if (high < 0)
		return oh_err(err, errno, "cannot place the document for the runtime");
	snprintf(path, cap, "/proc/self/fd/%d", high);
	return 0;
}

static int process_memfd(const struct spec *s, const struct rt_args *a, char *path,
			 size_t cap, struct oh_error *err)
{
	return sealed_doc(exec_process_produce, (void *)s, a, path, cap, err);
}

/*
 * The runtime's argv around a document the wrapper wrote: the global
 * options and the command as given, the command's options but those the
 * document stands for (drop), then FLAG DOC -- ID.  The clamped exec's
 * (--process) and the judged update's (--resources).
 */
static char **doc_argv(const struct run *r, const char *runtime, bool (*drop)(enum rt_key),
		       const char *flag, const char *doc)
{
	const struct rt_args *a = &r->a;
	char **out = xcalloc((size_t)a->cmd_index + a->nopts + 6, sizeof(char *));
	size_t n = 0;

	out[n++] = (char *)runtime;
	for (int i = 1; i <= a->cmd_index; i++)
		out[n++] = r->argv[i];
	for (size_t i = 0; i < a->nopts; i++) {
		const struct rt_occ *o = &a->opts[i];
		if (drop(o->def->key))
			continue;
		out[n++] = o->value ? xasprintf("--%s=%s", o->def->name, o->value)
				    : xasprintf("--%s", o->def->name);
	}
	out[n++] = (char *)flag;
	out[n++] = (char *)doc;
	out[n++] = "--";
	out[n++] = (char *)a->id;
	out[n] = NULL;
	return out;
}

/*
 * The first exec --cgroup value with a ".." component, or NULL.  runc 1.1
 * joins the sub-cgroup to the container's path and checks only that the
 * result starts with it as a string: "pids:../web-2" from container "web"
 * lands in container web-2's cgroup (shown under runc 1.1.5).  runc
 * takes "[controllers:]path"; a ":" or "/" separates components either way.
 */
static const char *exec_cgroup_climbs(const struct rt_args *a)
{
	for (size_t i = 0; i < a->nopts; i++) {
		const char *v = a->opts[i].value;
		if (a->opts[i].def->key != K_CGROUP || v == NULL)
			continue;
		for (const char *p = v; *p; ) {
			size_t n = strcspn(p, "/:");
			if (n == 2 && p[0] == '.' && p[1] == '.')
				return v;
			p += n;
			if (*p)
				p++;
		}
	}
	return NULL;
}

/* Judges and clamps the exec; on success *new_argv is what to execute. */
static int clamp_exec(struct run *r, const char *runtime, char ***new_argv)
{
	const struct rt_args *a = &r->a;
	const struct policy *p = r->p;
	struct oh_error err = { 0 };
	struct container_creds c;
	struct spec proc = { 0 };
	struct decision d;
	struct audit_event e = { .stage = "runtime-exec", .id = a->id,
				 .audit_mode = p->audit };
	int rc = -1;

	decision_init(&d);
	*new_argv = NULL;
	memset(&c, 0, sizeof(c));
	const char *cg = exec_cgroup_climbs(a);
	if (cg != NULL)
		return refuse(r, "refusing exec in container %s: --cgroup %s climbs out of the "
			      "container's cgroup: runc 1.1 takes any path that starts with the "
			      "container's (\"../ID-x\" is a sibling's cgroup), so the exec "
			      "could run in another container's or a service's cgroup; name a "
			      "sub-cgroup without \"..\"", a->id, cg);
	/* The engine's document first: a bad one is named as such, whether
	 * or not the container exists. */
	if (a->process != NULL && exec_process_load(a->process, &proc, &err) < 0)
		goto error;
	if (creds_load(a->dialect, a->root, a->id, &c, &err) < 0)
		goto error;
	e.bundle = c.bundle;
	if (a->process == NULL && a->dialect == RT_CRUN) {
		oh_err(&err, 0, "crun exec without --process: give the process as a "
		       "file (--process) to exec through oci-harden-runtime");
		goto error;
	}
	if (a->process == NULL) {
		/* runc's flags over the bundle's process, as runc builds it */
		if (c.bundle == NULL) {
			oh_err(&err, 0, "the container's state names no bundle");
			goto error;
		}
		cleanup_free char *cfg = oh_path_join(c.bundle, "config.json");
		if (exec_config_load(cfg, &proc, &err) < 0 ||
		    exec_process_from_flags(&proc, a, r->argc, r->argv, &err) < 0)
			goto error;
	}
	if (judge_exec_process(&proc, &c, p, a, &d, &err) < 0)
		goto error;
	e.d = &d;
	e.verdict = verdict_name(d.verdict);
	char path[64];
	switch (outcome_decide(p, d.verdict, POWER_REWRITE)) {
	case OUT_ADMIT:
		if (p->audit) {
			/* audit: the exec runs as asked, the decision is logged */
			e.action = "admitted";
			break;
		}
		/* A compliant exec runs as clamped too. */
		/* fall through */
	case OUT_REWRITE:
		if (process_memfd(&proc, a, path, sizeof(path), &err) < 0) {
			e.action = "refused";
			e.detail = err.msg;
			rc = refuse(r, "refusing exec in container %s: %s", a->id, err.msg);
		} else {
			e.action = "rewritten";
			*new_argv = doc_argv(r, runtime, rt_key_shapes_process, "--process",
					     xstrdup(path));
		}
		break;
	case OUT_REFUSE:
		e.action = "refused";
		rc = refuse_findings(r, &d, "exec in container");
		break;
	case OUT_ERROR:
	default:
		rc = refuse_unjudged(r, &e, "exec in container", d.verdict);
		break;
	}
	audit_log(p, &e);
	decision_free(&d);
	spec_free(&proc);
	creds_free(&c);
	return rc;
error:
	/* e points into c: report before freeing. */
	rc = refuse_error(r, &e, "exec in ", err.msg);
	decision_free(&d);
	spec_free(&proc);
	creds_free(&c);
	return rc;
}

/* ------------------------------------------------------------------ update */

struct text_doc {
	const char *text;
	size_t len;
};

static int text_produce(int fd, void *ctx, struct oh_error *err)
{
	const struct text_doc *t = ctx;

	if (oh_write_all(fd, t->text, t->len) < 0)
		return oh_err(err, errno, "cannot write the resources document");
	return 0;
}

/* Whether v is an integer as JSON writes one: what crun may copy unquoted. */
static bool json_integer(const char *v)
{
	if (v == NULL)
		return false;
	v += *v == '-';
	return *v != '\0' && strspn(v, "0123456789") == strlen(v);
}

/*
 * The first update flag whose value crun would copy into its resources
 * document as anything but a number: "--pids-limit '1},\"devices\":[...'"
 * gave crun 1.8.1 a document with device rules, and a hardened container
 * the host's /dev/kmsg.
 */
static const struct rt_occ *update_flag_injects(const struct rt_args *a)
{
	for (size_t i = 0; i < a->nopts; i++)
		if ((a->opts[i].def->flags & RT_JSON_NUMBER) && !json_integer(a->opts[i].value))
			return &a->opts[i];
	return NULL;
}

static bool is_resources(enum rt_key k)
{
	return k == K_RESOURCES;
}

/*
 * update --resources: crun 1.8 applies the document's device rules to the
 * running container (a rule allowing every device gave a container the
 * host's /dev/kmsg), runc 1.1 ignores them; both read it from a file or
 * from standard input ("-", as containerd's shim passes it).  The document
 * is judged by the rule table's update checks as a config's
 * linux.resources, and the runtime then reads the bytes judged, from a
 * sealed memory file, never the path again.  Without --resources only
 * the flags' limits change, which cannot hand over anything once crun's
 * numeric flags hold numbers only.
 */
static int judge_update(struct run *r, char ***new_argv)
{
	const struct rt_args *a = &r->a;
	const struct policy *p = r->p;
	struct oh_error err = { 0 };
	cleanup_judgement struct judgement j = JUDGEMENT_INIT;
	struct pipeline_input in = PIPELINE_INPUT_INIT;
	struct pipeline_opts o = { .on = CTX_UPDATE, .scan = SCAN_NEVER, .keep_text = true };
	struct audit_event e = { .stage = "runtime-update", .id = a->id,
				 .audit_mode = p->audit };
	int rc = -1;

	*new_argv = NULL;
	const struct rt_occ *bad = update_flag_injects(a);
	if (bad != NULL)
		return refuse(r, "refusing update of container %s: --%s %s is not an integer: "
			      "crun writes the value unquoted into the resources document it "
			      "applies, where anything else can add members (device rules) "
			      "that nothing judged", a->id, bad->def->name, bad->value);
	if (a->resources == NULL)
		return -1;
	bool from_stdin = strcmp(a->resources, "-") == 0, judged = false;
	int read = from_stdin
		? oh_read_fd(STDIN_FILENO, "<stdin>", OH_MAX_INPUT, &in.buf, &in.len, &err)
		: oh_read_file(a->resources, OH_MAX_INPUT, &in.buf, &in.len, &err);
	in.source = a->resources;
	if (read < 0 || pipeline_run(&in, &o, p, &j, &err) < 0) {
		/* Audit does not change what the runtime gets: a file not read
		 * it reads itself, the bytes read (j.text) it gets in the
		 * sealed document, as standard input is gone once read.
		 * Standard input not read whole cannot be handed on: that
		 * refuses, audit or not. */
		bool handed = read >= 0 && j.text != NULL;
		if (!from_stdin && !handed)
			return refuse_error(r, &e, "update of ", err.msg);
		e.verdict = "error";
		e.detail = err.msg;
		if (!p->audit || !handed) {
			e.action = "refused";
			audit_log(p, &e);
			return refuse(r, "refusing update of container %s: %s%s", a->id, err.msg,
				      p->audit ? " (standard input, not read whole, cannot be "
						 "handed to the runtime)" : "");
		}
	} else {
		e.d = &j.d;
		e.verdict = verdict_name(j.d.verdict);
		judged = true;
	}
	char path[64];
	/* Unjudged, only the audit mode's hand-over of what was read gets
	 * here; every verdict otherwise through the outcome layer. */
	switch (judged ? outcome_decide(p, j.d.verdict, POWER_REWRITE) : OUT_ADMIT) {
	case OUT_ADMIT:
	case OUT_REWRITE: {
		/* Nothing in a resources document is fixed: what is not
		 * denied goes to the runtime as it was read. */
		struct text_doc t = { j.text, j.textlen };
		if (sealed_doc(text_produce, &t, a, path, sizeof(path), &err) < 0) {
			e.action = "refused";
			e.detail = err.msg;
			rc = refuse(r, "refusing update of container %s: %s", a->id, err.msg);
		} else {
			e.action = "admitted";
			*new_argv = doc_argv(r, r->runtime, is_resources, "--resources", xstrdup(path));
		}
		break;
	}
	case OUT_REFUSE:
		e.action = "refused";
		rc = refuse_findings(r, &j.d, "update of container");
		break;
	case OUT_ERROR:
	default:
		rc = refuse_unjudged(r, &e, "update of container", j.d.verdict);
		break;
	}
	audit_log(p, &e);
	return rc;
}

/* ------------------------------------------------------------------ main */

/* The deadline refuses on stderr, in the runtime's log and in the audit
 * trail, as the wrapper's other refusals do (stage: the audit line's). */
static void arm_deadline(struct run *r, const char *stage)
{
	struct oh_error err = { 0 };
	char msg[256];
	size_t len;
	int prio;

	snprintf(msg, sizeof(msg), "refusing %s of container %s: the wrapper's deadline "
		 "of %g s passed (runtime.deadlineSeconds)", r->a.command,
		 r->a.id ? r->a.id : "", r->p->runtime_deadline);
	cleanup_free char *line = rt_log_line(&r->log, msg, time(NULL), &len);
	cleanup_free char *err_line = xasprintf("oci-harden-runtime: %s\n", msg);
	deadline_say(STDERR_FILENO, err_line, strlen(err_line));
	if (r->log.fd >= 0)
		deadline_say(r->log.fd, line, len);
	struct audit_event e = { .stage = stage, .id = r->a.id, .bundle = r->a.bundle,
				 .verdict = "error", .action = "refused",
				 .audit_mode = r->p->audit, .detail = msg };
	cleanup_free char *audit = audit_line(r->p, &e, &prio);
	struct deadline_audit da = { .socket = OH_SYSLOG_SOCKET, .prio = prio, .line = audit,
				     .file = r->p->audit_file };
	deadline_audit(&da);
	if (deadline_arm(r->p->runtime_deadline, EXIT_ERROR, &err) < 0)
		fprintf(stderr, "oci-harden-runtime: %s\n", err.msg);
}

int runtime_main(int argc, char **argv)
{
	struct oh_error err = { 0 };
	struct policy *p = NULL;
	struct run r = { .argc = argc, .argv = argv, .log = { .fd = -1 } };
	char runtime[PATH_MAX];
	const char *policy = getenv("OCI_HARDEN_POLICY");
	const char *explicit = getenv("OCI_HARDEN_RUNTIME");
	char **new_argv = NULL;
	int rc = -1;

	if (getenv(LOOP_MARK) != NULL) {
		fprintf(stderr, "oci-harden-runtime: the real runtime is oci-harden-runtime "
			"again (a loop); check runtime.path and OCI_HARDEN_RUNTIME\n");
		return EXIT_ERROR;
	}
	if (explicit != NULL && explicit[0] == '\0')
		explicit = NULL;
	/* Read for every command: it names the runtime and its dialect,
	 * without which no argument can be read with certainty. */
	if (policy_load(policy && policy[0] ? policy : NULL, &p, &err) < 0) {
		fprintf(stderr, "oci-harden-runtime: %s\n", err.msg);
		return EXIT_ERROR;
	}
	if (explicit == NULL)
		explicit = p->runtime_path;
	enum rt_dialect dialect;
	if (find_runtime(explicit, runtime, sizeof(runtime), &err) < 0 ||
	    runtime_dialect(p, runtime, &dialect, &err) < 0) {
		fprintf(stderr, "oci-harden-runtime: %s\n", err.msg);
		policy_free(p);
		return EXIT_ERROR;
	}
	if (rt_args_parse(dialect, argc, argv, &r.a, &err) < 0) {
		rt_log_open(&r.log, r.a.log, r.a.log_format);
		rc = refuse(&r, "refusing the command line: %s", err.msg);
		goto out;
	}
	if (r.a.judged && !r.a.help) {
		rt_log_open(&r.log, r.a.log, r.a.log_format);
		r.p = p;
		r.runtime = runtime;
		/* The hook runs elsewhere (the rootfs is its working
		 * directory): the policy by its absolute path. */
		char policy_real[PATH_MAX];
		if (policy && policy[0])
			r.policy = realpath(policy, policy_real) ? policy_real : policy;
		bool exec = strcmp(r.a.command, "exec") == 0;
		bool update = strcmp(r.a.command, "update") == 0;
		bool restoring = strcmp(r.a.command, "restore") == 0;
		const char *stage = exec ? "runtime-exec" : update ? "runtime-update"
				  : restoring ? "runtime-restore" : "runtime";
		arm_deadline(&r, stage);
		struct oh_error fds_err = { 0 };
		struct audit_event fds_e = { .stage = stage, .id = r.a.id, .bundle = r.a.bundle,
					     .audit_mode = p->audit };
		bool passes_fds = exec || strcmp(r.a.command, "run") == 0 ||
				  strcmp(r.a.command, "create") == 0;
		if (passes_fds && check_passed_fds(&r.a, &fds_err) < 0 &&
		    (rc = refuse_error(&r, &fds_e, exec ? "exec in " : update ? "update of " : "",
				       fds_err.msg)) != -1) {
			deadline_disarm();
			goto out;
		}
		struct sc_failure scf = { .r = &r,
					  .stage = exec ? "runtime-exec"
						   : update ? "runtime-update" : "runtime",
					  .what = exec ? "exec in " : update ? "update of " : "",
					  .bundle = r.a.bundle };
		oh_sc_on_load_failure(sc_load_failed, &scf);
		if (strcmp(r.a.command, "exec") == 0)
			rc = clamp_exec(&r, runtime, &new_argv);
		else if (strcmp(r.a.command, "update") == 0)
			rc = judge_update(&r, &new_argv);
		else if (strcmp(r.a.command, "restore") == 0)
			/* the runtime runs under the wrapper, which then
			 * verifies what it restored (-1 only in audit mode) */
			rc = restore(&r, runtime);
		else
			rc = harden_bundle(&r, NULL);
		oh_sc_on_load_failure(NULL, NULL);
		deadline_disarm();
	}
	if (rc >= 0)
		goto out;
	rt_log_close(&r.log);
	rt_args_free(&r.a);
	policy_free(p);
	setenv(LOOP_MARK, "1", 1);
	if (new_argv == NULL) {
		argv[0] = runtime;
		new_argv = argv;
	}
	execv(runtime, new_argv);
	fprintf(stderr, "oci-harden-runtime: cannot execute the real runtime %s: %s\n",
		runtime, strerror(errno));
	return EXIT_ERROR;
out:
	rt_log_close(&r.log);
	rt_args_free(&r.a);
	policy_free(p);
	return rc;
}
