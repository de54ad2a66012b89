/* SPDX-License-Identifier: Apache-2.0 */
/*
 * oci-harden inspect: what a running container really holds, read from the
 * kernel (capabilities, no-new-privileges, seccomp, LSM label, uid, the
 * sockets listening in its network namespace), judged with the same rules
 * and policy as `check`.  Never changes anything.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "caps.h"
#include "cli.h"
#include "inspect.h"
#include "json.h"
#include "report.h"
#include "runtime_args.h"
#include "util.h"
#include "verify.h"

static const char usage[] =
	"oci-harden inspect [--root DIR] [--policy FILE] [--format text|json] "
	"ID|PID... | --all";

enum { OPT_ROOT = 2000, OPT_ALL };

struct target {
	char *name;             /* the id, or the pid as given */
	char *id;               /* NULL for a host PID */
	pid_t pid;
	const char *status;     /* running, created, stopped, process */
	struct kernel_view k;
	struct decision d;
	char *error;            /* could not be read */
	bool judged;
};

static pid_t parse_pid(const char *s)
{
	char *end;
	long v;

	if (!isdigit((unsigned char)s[0]))
		return 0;
	errno = 0;
	v = strtol(s, &end, 10);
	return errno == 0 && *end == '\0' && v > 0 && v <= INT_MAX ? (pid_t)v : 0;
}

static void fail(struct target *t, const struct oh_error *err)
{
	t->error = xstrdup(err->msg);
}

static void judge(struct target *t, const struct spec *ann, const struct policy *p)
{
	struct oh_error err = { 0 };

	/* /proc tells only that a filter is there; what it lets through is
	 * read from the kernel, as the restore verifier reads it. */
	if (verify_read_filters(&t->k, &err) < 0 ||
	    rules_evaluate_kernel(&t->k, ann, p, host_facts(), &t->d, &err) < 0) {
		fail(t, &err);
		return;
	}
	t->judged = true;
}

/* A runc container.  listed: found by --all, where a container that has
 * stopped (or was deleted meanwhile) is reported as such, not an error. */
static void inspect_container(const char *root, const char *id, bool listed,
			      const struct policy *p, struct target *t)
{
	struct oh_error err = { 0 };
	struct runc_state st;

	if (runc_state_read(root, id, &st, &err) < 0) {
		if (listed && err.errnum == ENOENT)
			t->status = "stopped";
		else
			fail(t, &err);
		return;
	}
	t->pid = st.pid;
	if (!st.running) {
		t->status = "stopped";
		if (!listed) {
			oh_err(&err, 0, "container \"%s\" is not running (its init process "
			       "%ld is gone)", id, (long)st.pid);
			fail(t, &err);
		}
		runc_state_free(&st);
		return;
	}
	t->status = st.created ? "created" : "running";
	if (inspect_pid(st.pid, true, &t->k, &err) < 0) {
		if (err.errnum == ESRCH)
			oh_err(&err, 0, "container \"%s\" stopped while it was read", id);
		fail(t, &err);
		runc_state_free(&st);
		return;
	}
	/* Exemptions key on the annotations, which runc keeps as labels. */
	struct spec ann = { .source = id, .annotations = st.annotations };
	judge(t, &ann, p);
	runc_state_free(&st);
}

static void inspect_process(pid_t pid, const struct policy *p, struct target *t)
{
	struct oh_error err = { 0 };

	t->pid = pid;
	t->status = "process";
	if (inspect_pid(pid, false, &t->k, &err) < 0) {
		fail(t, &err);
		return;
	}
	judge(t, NULL, p);
}

/* ------------------------------------------------------------- output */

static const char *const set_label[CS_COUNT] = {
	[CS_BOUNDING] = "bounding", [CS_EFFECTIVE] = "effective",
	[CS_PERMITTED] = "permitted", [CS_INHERITABLE] = "inheritable",
	[CS_AMBIENT] = "ambient",
};

static uint64_t set_of(const struct procview *v, int set)
{
	switch (set) {
	case CS_BOUNDING: return v->cap_bnd;
	case CS_EFFECTIVE: return v->cap_eff;
	case CS_PERMITTED: return v->cap_prm;
	case CS_INHERITABLE: return v->cap_inh;
	default: return v->cap_amb;
	}
}

static void cap_label(int cap, char *buf, size_t n)
{
	/* A capability newer than libcap has no name here: its number. */
	if (caps_name(cap))
		snprintf(buf, n, "%s", caps_name(cap));
	else
		snprintf(buf, n, "%d", cap);
}

/* The label only means something where the host has an LSM using it. */
static const char *lsm_name(void)
{
	const struct host_facts *h = host_facts();

	return h->apparmor ? "apparmor" : h->selinux ? "selinux" : NULL;
}

static void text_caps(const char *name, const struct procview *v)
{
	for (int s = 0; s < CS_COUNT; s++) {
		uint64_t m = set_of(v, s);
		printf("%s:   %-12s", name, set_label[s]);
		if (m == 0)
			printf(" -");
		for (int c = 0; c < 64; c++) {
			char l[32];
			if (!(m & (1ull << c)))
				continue;
			cap_label(c, l, sizeof(l));
			printf(" %s", l);
		}
		printf("\n");
	}
}

/*
 * Whether a process of the container entered it by exec (runc exec,
 * docker exec, podman exec) rather than descending from its init: its
 * ancestors, read from /proc/PID/stat, leave the container without passing
 * init.  Such processes carry their own credentials, judged like init's.
 */
static bool entered_by_exec(pid_t pid, pid_t init)
{
	for (int depth = 0; depth < 64 && pid > 1; depth++) {
		char path[32], buf[512];
		snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
		FILE *f = fopen(path, "re");
		if (f == NULL)
			return false;
		size_t n = fread(buf, 1, sizeof(buf) - 1, f);
		fclose(f);
		buf[n] = '\0';
		/* "pid (comm) state ppid ...": comm may hold spaces and ')' */
		const char *close = strrchr(buf, ')');
		long ppid;
		if (close == NULL || sscanf(close + 1, " %*c %ld", &ppid) != 1)
			return false;
		if (ppid == init)
			return false;
		pid = (pid_t)ppid;
	}
	return true;
}

static void write_text(const struct target *t, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *name = t[i].name;
		if (t[i].error) {
			printf("%s: error: %s\n", name, t[i].error);
			continue;
		}
		if (!t[i].judged) {
			printf("%s: %s, not inspected\n", name, t[i].status);
			continue;
		}
		if (t[i].id)
			printf("%s: %s, ", name, t[i].status);
		else
			printf("%s: ", name);
		printf("pid %ld, %zu process%s\n", (long)t[i].pid, t[i].k.nprocs,
		       t[i].k.nprocs == 1 ? "" : "es");
		for (size_t k = 0; k < t[i].k.nprocs; k++) {
			const struct kernel_proc *kp = &t[i].k.procs[k];
			printf("%s: process %ld %s%s: uid %lu gid %lu, no-new-privileges %d, "
			       "seccomp %s", name, (long)kp->pid, kp->v.comm,
			       k > 0 && entered_by_exec(kp->pid, t[i].pid) ? " (entered by exec)" : "",
			       (unsigned long)kp->v.uid, (unsigned long)kp->v.gid, kp->v.nnp,
			       seccomp_mode_name(kp->v.seccomp));
			if (kp->v.seccomp_filters >= 0)
				printf(" (%d filter%s)", kp->v.seccomp_filters,
				       kp->v.seccomp_filters == 1 ? "" : "s");
			if (lsm_name())
				printf(", %s %s", lsm_name(), kp->v.label[0] ? kp->v.label : "-");
			printf("\n");
			text_caps(name, &kp->v);
		}
		for (size_t k = 0; k < t[i].k.nlistening; k++) {
			const struct listener *l = &t[i].k.listening[k];
			bool v6 = strchr(l->address, ':') != NULL;
			printf("%s: listening %-4s %s%s%s:%u", name, l->proto, v6 ? "[" : "",
			       l->address, v6 ? "]" : "", l->port);
			if (l->pid > 0)
				printf(" %ld/%s", (long)l->pid, l->process);
			printf("\n");
		}
		report_text_findings(stdout, name, &t[i].d, ACT_WARN, false);
		printf("%s: %s\n", name, verdict_name(t[i].d.verdict));
	}
}

static void json_caps(struct jw *w, const struct procview *v)
{
	jw_key(w, "capabilities");
	jw_obj(w);
	for (int s = 0; s < CS_COUNT; s++) {
		uint64_t m = set_of(v, s);
		jw_key(w, set_label[s]);
		jw_arr(w);
		for (int c = 0; c < 64; c++) {
			char l[32];
			if (!(m & (1ull << c)))
				continue;
			cap_label(c, l, sizeof(l));
			jw_str(w, l);
		}
		jw_end_arr(w);
	}
	jw_end_obj(w);
}

/* The credentials of one process, as the format names them. */
static void json_creds(struct jw *w, const struct procview *v)
{
	jw_kint(w, "uid", (long long)v->uid);
	jw_kint(w, "gid", (long long)v->gid);
	jw_kbool(w, "noNewPrivileges", v->nnp);
	jw_kstr(w, "seccomp", seccomp_mode_name(v->seccomp));
	if (v->seccomp_filters >= 0)
		jw_kint(w, "seccompFilters", v->seccomp_filters);
	if (lsm_name())
		jw_kstr(w, lsm_name(), v->label);
	json_caps(w, v);
}

static void write_json(const struct target *t, size_t n)
{
	struct jsink *s = jsink_fd(STDOUT_FILENO);
	struct jw *w = jw_new(s, true);

	jw_obj(w);
	jw_key(w, "containers");
	jw_arr(w);
	for (size_t i = 0; i < n; i++) {
		jw_obj(w);
		jw_key(w, "id");
		if (t[i].id)
			jw_str(w, t[i].id);
		else
			jw_null(w);
		if (t[i].pid > 0)
			jw_kint(w, "pid", t[i].pid);
		if (t[i].error) {
			jw_kstr(w, "verdict", "error");
			jw_kstr(w, "error", t[i].error);
			jw_end_obj(w);
			continue;
		}
		jw_kstr(w, "status", t[i].status);
		if (!t[i].judged) {
			jw_end_obj(w);
			continue;
		}
		jw_kstr(w, "verdict", verdict_name(t[i].d.verdict));
		/* The container's own view is its init's (or the PID's). */
		json_creds(w, &t[i].k.procs[0].v);
		jw_key(w, "processes");
		jw_arr(w);
		for (size_t k = 0; k < t[i].k.nprocs; k++) {
			jw_obj(w);
			jw_kint(w, "pid", t[i].k.procs[k].pid);
			jw_kstr(w, "name", t[i].k.procs[k].v.comm);
			jw_kbool(w, "exec", k > 0 && entered_by_exec(t[i].k.procs[k].pid, t[i].pid));
			json_creds(w, &t[i].k.procs[k].v);
			jw_end_obj(w);
		}
		jw_end_arr(w);
		jw_key(w, "listening");
		jw_arr(w);
		for (size_t k = 0; k < t[i].k.nlistening; k++) {
			const struct listener *l = &t[i].k.listening[k];
			jw_obj(w);
			jw_kstr(w, "proto", l->proto);
			jw_kstr(w, "address", l->address);
			jw_kint(w, "port", l->port);
			jw_key(w, "process");
			if (l->pid > 0)
				jw_str(w, l->process);
			else
				jw_null(w);
			if (l->pid > 0)
				jw_kint(w, "pid", l->pid);
			jw_end_obj(w);
		}
		jw_end_arr(w);
		jw_key(w, "findings");
		report_json_findings(w, &t[i].d);
		jw_end_obj(w);
	}
	jw_end_arr(w);
	jw_end_obj(w);
	jw_free(w);
	jsink_raw(s, "\n", 1);
	if (jsink_finish(s) < 0)
		cli_error("cannot write the report: %s", strerror(errno));
	jsink_free(s);
}

struct inspect_opts {
	enum report_format fmt;
	const char *root;
	bool all;
};

static const char *option(void *ctx, int code, const char *value)
{
	struct inspect_opts *io = ctx;

	if (code == OPT_ROOT)
		io->root = value;
	else if (code == OPT_ALL)
		io->all = true;
	else if (report_format_parse(value, &io->fmt) < 0 || io->fmt == FMT_SARIF)
		return "--format must be text or json";
	return NULL;
}

int cmd_inspect(int argc, char **argv, struct oh_error *unused)
{
	static const struct cli_opt opts[] = {
		{ "format", 0, true, OPT_FORMAT },
		{ "root", 0, true, OPT_ROOT },
		{ "all", 0, false, OPT_ALL },
		{ 0 },
	};
	struct common_opts o = { 0 };
	struct inspect_opts io = { .fmt = FMT_TEXT };
	struct oh_error err = { 0 };
	struct policy *p = NULL;
	cleanup_free char *root = NULL;
	char **ids = NULL;
	size_t n = 0;
	int rc = EXIT_COMPLIANT;
	int first = cli_parse(argc, argv, usage, opts, &o, option, &io);

	(void)unused;
	if (first < 0)
		return cli_parse_exit(first);
	enum report_format fmt = io.fmt;
	bool all = io.all;
	if (io.root != NULL)
		root = xstrdup(io.root);
	if (all == (first < argc))
		return cli_usage_error(usage, all ? "--all takes no ID or PID"
					      : "inspect needs an ID, a PID or --all");
	if (root == NULL)
		root = rt_default_root(RT_RUNC);
	if (cli_setup(&o, &p, &err) < 0) {
		cli_error("%s", err.msg);
		return EXIT_ERROR;
	}
	if (all) {
		if (runc_list(root, &ids, &n, &err) < 0) {
			cli_error("%s", err.msg);
			policy_free(p);
			return EXIT_ERROR;
		}
	} else {
		n = (size_t)(argc - first);
		ids = xcalloc(n, sizeof(*ids));
		for (size_t i = 0; i < n; i++)
			ids[i] = xstrdup(argv[first + (int)i]);
	}

	struct target *t = xcalloc(n ? n : 1, sizeof(*t));
	for (size_t i = 0; i < n; i++) {
		pid_t pid = all ? 0 : parse_pid(ids[i]);
		bool container = true;

		t[i].name = xstrdup(ids[i]);
		if (pid != 0) {
			/* Digits name a container of that id if there is one (runc
			 * ids may be numbers), else a host process; a user who may
			 * not read the state directory can still inspect a PID. */
			struct oh_error probe = { 0 };
			struct runc_state st;
			if (runc_state_read(root, ids[i], &st, &probe) == 0)
				runc_state_free(&st);
			else
				container = probe.errnum != ENOENT && probe.errnum != EACCES;
		}
		if (container) {
			t[i].id = xstrdup(ids[i]);
			inspect_container(root, ids[i], all, p, &t[i]);
		} else {
			inspect_process(pid, p, &t[i]);
		}
		if (t[i].error)
			rc = EXIT_ERROR;
		else if (t[i].judged && t[i].d.verdict != V_COMPLIANT && rc != EXIT_ERROR)
			rc = EXIT_REFUSED;
	}
	if (fmt == FMT_JSON) {
		write_json(t, n);
		for (size_t i = 0; i < n; i++)
			if (t[i].error)
				cli_error("%s: %s", t[i].name, t[i].error);
	} else {
		write_text(t, n);
	}
	for (size_t i = 0; i < n; i++) {
		free(t[i].name);
		free(t[i].id);
		free(t[i].error);
		kernel_view_free(&t[i].k);
		decision_free(&t[i].d);
		free(ids[i]);
	}
	free(t);
	free(ids);
	policy_free(p);
	if (fflush(stdout) != 0) {
		cli_error("cannot write the report");
		return EXIT_ERROR;
	}
	return rc;
}
