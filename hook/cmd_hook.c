/* SPDX-License-Identifier: Apache-2.0 */
/*
 * oci-harden hook STAGE: the OCI hook front end.
 *
 *   precreate       podman only: the proposed config on stdin, the hardened
 *                   config on stdout.  The one stage that can rewrite.
 *   prestart,       the container state on stdin; the runtime has already
 *   createRuntime   read config.json, so these can only admit or refuse.
 *   poststart       the state on stdin; judges the kernel's view of the
 *                   container's process and kills it on a mismatch.
 *
 * Fail closed: any error refuses the container (exit non-zero, reason on
 * stderr) unless the policy's mode is audit.  podman runs hooks with an
 * empty environment, so nothing here reads one.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "audit.h"
#include "caps.h"
#include "cli.h"
#include "harden.h"
#include "host.h"
#include "inspect.h"
#include "json.h"
#include "procview.h"
#include "rootfs.h"
#include "util.h"

static const char usage[] =
	"oci-harden hook precreate|prestart|createRuntime|poststart [--policy FILE] "
	"[--refusal message|exit]";

struct hook {
	const char *stage;
	struct policy *p;
	char *in;            /* stdin, whole */
	bool refuse_by_exit; /* precreate: refuse with an exit status, not a message */
	size_t inlen;
};

/* The container state the runtime passes to every stage but precreate. */
struct state {
	struct jdoc *doc;
	const char *id;
	const char *bundle;
	long pid;            /* 0 when absent */
	struct jval *annotations;
};

static int refuse_error(struct hook *h, const char *id, const char *bundle,
			const char *msg)
{
	struct audit_event e = { .stage = h->stage, .id = id, .bundle = bundle,
				 .verdict = "error", .audit_mode = h->p && h->p->audit,
				 .detail = msg };

	if (h->p != NULL && h->p->audit) {
		e.action = "admitted";
		audit_log(h->p, &e);
		return -1;   /* the caller admits */
	}
	e.action = "refused";
	audit_log(h->p, &e);
	fprintf(stderr, "oci-harden: %s: refusing the container%s%s: %s\n", h->stage,
		id ? " " : "", id ? id : "", msg);
	return EXIT_ERROR;
}

/* Tells the user why, one line per finding that refuses. */
static void explain_refusal(const struct hook *h, const char *id,
			    const struct decision *d)
{
	struct oh_buf ids = { 0 };

	/* A denied config is refused for its deny findings; a fixable one
	 * (in a stage that cannot rewrite) for its fix findings. */
	enum action why = d->verdict == V_DENIED ? ACT_DENY : ACT_FIX;

	for (size_t i = 0; i < d->nfindings; i++) {
		const struct finding *f = &d->findings[i];
		if (f->action < why)
			continue;
		fprintf(stderr, "oci-harden: %s: %s [%s]: %s; %s\n", h->stage,
			rule_table[f->rule].id, action_name(f->action), f->message,
			rule_table[f->rule].help);
	}
	rule_ids(decision_rules(d, why), ", ", &ids);
	fprintf(stderr, "oci-harden: %s: container%s%s refused by policy (rules: %s)\n",
		h->stage, id ? " " : "", id ? id : "", ids.data ? ids.data : "");
	oh_buf_free(&ids);
}

/* ------------------------------------------------------------ precreate */

static int emit(const char *buf, size_t len)
{
	if (oh_write_all(STDOUT_FILENO, buf, len) < 0) {
		fprintf(stderr, "oci-harden: precreate: cannot write the config: %s\n",
			strerror(errno));
		return EXIT_ERROR;
	}
	return EXIT_COMPLIANT;
}

/*
 * podman (4.3) discards a precreate hook's stderr, so an exit status alone
 * would tell the user nothing about why.  Instead the hook hands back a
 * config no runtime can start, whose root path states the reason; runc
 * refuses it before creating anything ("invalid rootfs: stat /nonexistent/
 * oci-harden refused this container/rules: cap-all/..."), and podman shows
 * that.  The process is neutralised too, in case anything got that far.
 */
static int emit_refusal(struct harden *hd)
{
	struct oh_buf path = { 0 }, rules = { 0 };
	struct jdoc *doc = hd->s.doc;
	struct jval *root = hd->s.root;
	struct oh_error err = { 0 };

	rule_ids(decision_rules(&hd->d, ACT_DENY), ", ", &rules);
	/* A path component holds at most 255 bytes. */
	if (rules.len > 200) {
		char *cut = rules.data + 200;
		while (cut > rules.data && strncmp(cut, ", ", 2) != 0)
			cut--;
		rules.len = (size_t)(cut - rules.data);
		oh_buf_puts(&rules, ", ...");
	}
	oh_buf_printf(&path, "/nonexistent/oci-harden refused this container/"
		      "rules: %s/see the system log for details", rules.data);
	struct jval *rootobj = jobj_get(root, "root");
	if (rootobj == NULL || rootobj->type != J_OBJECT) {
		jobj_set(doc, root, "root", jv_object(doc, 0));
		rootobj = jobj_get(root, "root");
	}
	jobj_set(doc, rootobj, "path", jv_str(doc, path.data));
	struct jval *proc = jobj_get(root, "process");
	if (proc != NULL && proc->type == J_OBJECT) {
		jobj_set(doc, proc, "noNewPrivileges", jv_bool(true));
		jobj_set(doc, proc, "capabilities", jv_object(doc, 0));
	}
	oh_buf_free(&path);
	oh_buf_free(&rules);
	hd->pretty = false;
	if (harden_produce(STDOUT_FILENO, hd, &err) < 0) {
		fprintf(stderr, "oci-harden: precreate: %s\n", err.msg);
		return EXIT_ERROR;
	}
	return EXIT_COMPLIANT;
}

/*
 * The container id for the audit line: precreate gets a config, not the
 * state.  CRI-O annotates it; podman names the cgroup after it
 * (".../libpod-<id>" or "...:libpod:<id>" with systemd).
 */
static const char *config_container_id(const struct spec *s, char *buf, size_t cap)
{
	const char *id = spec_annotation(s, "io.kubernetes.cri-o.ContainerID");
	const struct jval *cg = jobj_get(s->linux_, "cgroupsPath");

	if (id != NULL || cg == NULL || cg->type != J_STRING)
		return id;
	const char *p = cg->u.str, *q;
	if ((q = strrchr(p, '/')) != NULL)
		p = q + 1;
	if ((q = strrchr(p, ':')) != NULL)
		p = q + 1;
	if (strncmp(p, "libpod-", 7) == 0)
		p += 7;
	size_t n = strspn(p, "0123456789abcdef");
	if (n != 64 || (p[n] != '\0' && strcmp(p + n, ".scope") != 0))
		return NULL;
	snprintf(buf, cap, "%.64s", p);
	return buf;
}

static int stage_precreate(struct hook *h)
{
	struct oh_error err = { 0 };
	struct harden hd;
	bool audit = h->p->audit;
	/* harden_run consumes its buffer; audit mode must pass the original on. */
	char *buf = audit ? xmalloc(h->inlen + 1) : h->in;

	if (audit)
		memcpy(buf, h->in, h->inlen + 1);
	else
		h->in = NULL;
	/* podman's root.path is absolute: the bundle dir for the scan is moot. */
	if (harden_run(&hd, buf, h->inlen, "<stdin config>", h->p, "/", &err) < 0) {
		int rc = refuse_error(h, NULL, NULL, err.msg);
		return rc < 0 ? emit(h->in, h->inlen) : rc;
	}
	char idbuf[72];
	const char *id = config_container_id(&hd.s, idbuf, sizeof(idbuf));
	struct audit_event e = { .stage = h->stage, .id = id,
				 .verdict = verdict_name(hd.d.verdict),
				 .audit_mode = audit, .d = &hd.d };
	int rc;

	if (audit) {
		e.action = "admitted";
		audit_log(h->p, &e);
		rc = emit(h->in, h->inlen);
	} else if (hd.d.verdict == V_DENIED) {
		e.action = "refused";
		audit_log(h->p, &e);
		explain_refusal(h, NULL, &hd.d);
		rc = h->refuse_by_exit ? EXIT_REFUSED : emit_refusal(&hd);
	} else if (hd.d.verdict == V_FIXABLE) {
		e.action = "rewritten";
		audit_log(h->p, &e);
		hd.pretty = false;
		rc = harden_produce(STDOUT_FILENO, &hd, &err) < 0 ? EXIT_ERROR : EXIT_COMPLIANT;
		if (rc != EXIT_COMPLIANT)
			fprintf(stderr, "oci-harden: precreate: %s\n", err.msg);
	} else {
		e.action = "admitted";
		audit_log(h->p, &e);
		/* Nothing to change: pass the document on as it came. */
		struct jsink *s = jsink_fd(STDOUT_FILENO);
		json_write(s, hd.s.root, false);
		rc = jsink_finish(s) < 0 ? EXIT_ERROR : EXIT_COMPLIANT;
		jsink_free(s);
	}
	harden_free(&hd);
	return rc;
}

/* ---------------------------------------------------------------- state */

/* Parses the state; the document takes over stdin's buffer. */
static int parse_state(struct hook *h, struct state *st, struct oh_error *err)
{
	char *buf = h->in;
	struct jval *root, *v;

	memset(st, 0, sizeof(*st));
	h->in = NULL;
	if (json_parse(buf, h->inlen, "<stdin state>", &st->doc, err) < 0)
		return oh_err_wrap(err, "the container state on stdin");
	root = json_root(st->doc);
	v = jobj_get(root, "id");
	if (v == NULL && (jobj_get(root, "process") || jobj_get(root, "root")))
		return oh_err(err, 0, "stdin holds an OCI config, not the container "
			      "state: only the precreate stage takes a config");
	if (v == NULL || v->type != J_STRING || v->len == 0)
		return oh_err(err, 0, "the container state has no id");
	st->id = v->u.str;
	v = jobj_get(root, "bundle");
	if (v == NULL || v->type != J_STRING || v->len == 0)
		return oh_err(err, 0, "the container state has no bundle");
	st->bundle = v->u.str;
	if (st->bundle[0] != '/')
		return oh_err(err, 0, "the bundle path \"%s\" is not absolute", st->bundle);
	v = jobj_get(root, "pid");
	if (v != NULL) {
		int64_t pid;
		/* PID_MAX_LIMIT: no pid is larger on any configuration. */
		if (!jv_get_i64(v, &pid) || pid <= 0 || pid > 4194304)
			return oh_err(err, 0, "the container state has an invalid pid");
		st->pid = (long)pid;
	}
	v = jobj_get(root, "annotations");
	if (v != NULL && v->type != J_OBJECT)
		return oh_err(err, 0, "the container state's annotations are not an object");
	st->annotations = v;
	return 0;
}

/* ------------------------------------------------- prestart, createRuntime */

static int stage_gate(struct hook *h)
{
	struct oh_error err = { 0 };
	struct state st;
	struct spec s;
	struct decision d;
	char *buf;
	size_t len;
	int rc;

	if (parse_state(h, &st, &err) < 0) {
		rc = refuse_error(h, st.id, NULL, err.msg);
		json_free(st.doc);
		return rc < 0 ? EXIT_COMPLIANT : rc;
	}
	cleanup_close int dfd = open(st.bundle, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		oh_err(&err, errno, "%s: cannot open the bundle", st.bundle);
	if (dfd < 0 || oh_read_bundle_config(dfd, st.bundle, OH_MAX_INPUT, &buf, &len, &err) < 0 ||
	    spec_parse(buf, len, "config.json", &s, &err) < 0) {
		rc = refuse_error(h, st.id, st.bundle, err.msg);
		json_free(st.doc);
		return rc < 0 ? EXIT_COMPLIANT : rc;
	}
	rules_evaluate(&s, h->p, host_facts(), &d, &err);
	if (h->p->rootfs_scan && rootfs_scan(&s, st.bundle, h->p, &d, NULL, &err) < 0) {
		rc = refuse_error(h, st.id, st.bundle, err.msg);
		decision_free(&d);
		spec_free(&s);
		json_free(st.doc);
		return rc < 0 ? EXIT_COMPLIANT : rc;
	}

	struct audit_event e = { .stage = h->stage, .id = st.id, .bundle = st.bundle,
				 .verdict = verdict_name(d.verdict),
				 .audit_mode = h->p->audit, .d = &d };
	/* Nothing can be rewritten now: fixable is as refused as denied. */
	if (d.verdict == V_COMPLIANT || h->p->audit) {
		e.action = "admitted";
		rc = EXIT_COMPLIANT;
	} else {
		e.action = "refused";
		explain_refusal(h, st.id, &d);
		rc = EXIT_REFUSED;
	}
	audit_log(h->p, &e);
	decision_free(&d);
	spec_free(&s);
	json_free(st.doc);
	return rc;
}

/* ------------------------------------------------------------ poststart */

static int pidfd_open_(pid_t pid)
{
	return (int)syscall(SYS_pidfd_open, pid, 0);
}

static int pidfd_signal(int pidfd, int sig)
{
	return (int)syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0);
}

/*
 * Whether process pid has the bundle's rootfs as its root directory.  The
 * verifier judges and kills only the container's own process: a state naming
 * another pid (a bug, or a forged hook call) must not get that one killed.
 */
static int same_root(long pid, const char *bundle, struct oh_error *err)
{
	cleanup_close int dfd = open(bundle, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct stat want, got;
	struct spec s;
	char *buf, proc[64];
	size_t len;

	if (dfd < 0)
		return oh_err(err, errno, "%s: cannot open the bundle", bundle);
	if (oh_read_bundle_config(dfd, bundle, OH_MAX_INPUT, &buf, &len, err) < 0 ||
	    spec_parse(buf, len, "config.json", &s, err) < 0)
		return -1;
	if (s.root_path == NULL) {
		spec_free(&s);
		return oh_err(err, 0, "%s: config.json has no root.path", bundle);
	}
	/* root.path may be relative to the bundle. */
	int r = fstatat(dfd, s.root_path->u.str, &want, 0);
	int saved = errno;
	spec_free(&s);
	if (r < 0)
		return oh_err(err, saved, "%s: cannot stat the container's root", bundle);
	snprintf(proc, sizeof(proc), "/proc/%ld/root", pid);
	if (stat(proc, &got) < 0)
		return oh_err(err, errno == ENOENT ? ESRCH : errno, "process %ld", pid);
	if (got.st_dev != want.st_dev || got.st_ino != want.st_ino)
		return oh_err(err, 0, "process %ld is not this container's: its root "
			      "directory is not the bundle's rootfs", pid);
	return 0;
}

static int stage_poststart(struct hook *h)
{
	struct oh_error err = { 0 };
	struct state st;
	struct procview v;
	struct decision d = { .exemption = -1 };
	int rc;

	if (parse_state(h, &st, &err) < 0 ||
	    (st.pid == 0 && oh_err(&err, 0, "the container state has no pid") < 0)) {
		rc = refuse_error(h, st.id, NULL, err.msg);
		json_free(st.doc);
		return rc < 0 ? EXIT_COMPLIANT : rc;
	}
	struct audit_event e = { .stage = h->stage, .id = st.id, .bundle = st.bundle,
				 .audit_mode = h->p->audit };

	/* Holding a pidfd makes the kill reach this process and no other. */
	cleanup_close int pidfd = pidfd_open_((pid_t)st.pid);
	bool failed = false;
	if (pidfd < 0 && errno != ENOSYS)
		failed = oh_err(&err, errno, "process %ld", st.pid) < 0;
	else if (procview_read((pid_t)st.pid, &v, &err) < 0 ||
		 same_root(st.pid, st.bundle, &err) < 0)
		failed = true;
	/* Still alive after the reads: what they saw was this process. */
	else if (pidfd >= 0 && pidfd_signal(pidfd, 0) < 0)
		failed = oh_err(&err, errno, "process %ld", st.pid) < 0;
	if (failed && err.errnum == ESRCH) {
		e.verdict = "exited";
		e.action = "logged";
		e.detail = "the container's process had already exited";
		audit_log(h->p, &e);
		json_free(st.doc);
		return EXIT_COMPLIANT;
	}
	if (failed) {
		rc = refuse_error(h, st.id, st.bundle, err.msg);
		json_free(st.doc);
		return rc < 0 ? EXIT_COMPLIANT : rc;
	}

	/* Exemptions key on the annotations, which the state carries. */
	struct spec ann = { .source = "state", .annotations = st.annotations };
	/* The same kernel rules as `inspect`, on this one process. */
	struct kernel_proc kp = { .pid = (pid_t)st.pid, .v = v };
	struct kernel_view kv = { .procs = &kp, .nprocs = 1 };
	/* Any fix or deny finding is a mismatch: nothing can be fixed now. */
	rules_evaluate_kernel(&kv, &ann, h->p, host_facts(), &d, &err);
	e.d = &d;
	e.verdict = d.verdict == V_COMPLIANT ? "compliant" : "mismatch";
	rc = EXIT_COMPLIANT;
	if (d.verdict == V_COMPLIANT || h->p->audit) {
		e.action = "admitted";
	} else {
		int r = pidfd >= 0 ? pidfd_signal(pidfd, SIGKILL) : kill((pid_t)st.pid, SIGKILL);
		e.action = r == 0 || errno == ESRCH ? "killed" : "kill-failed";
		for (size_t i = 0; i < d.nfindings; i++)
			if (d.findings[i].action >= ACT_FIX)
				fprintf(stderr, "oci-harden: poststart: %s: %s\n",
					rule_table[d.findings[i].rule].id, d.findings[i].message);
		fprintf(stderr, "oci-harden: poststart: container %s (pid %ld) does not run "
			"as the policy requires; %s\n", st.id, st.pid,
			strcmp(e.action, "killed") == 0 ? "killed it" : "could not kill it");
		rc = EXIT_REFUSED;
	}
	audit_log(h->p, &e);
	decision_free(&d);
	json_free(st.doc);
	return rc;
}

/* ------------------------------------------------------------ front end */

static const struct stage {
	const char *name;
	int (*run)(struct hook *h);
} stages[] = {
	{ "precreate", stage_precreate },
	{ "prestart", stage_gate },
	{ "createRuntime", stage_gate },
	{ "poststart", stage_poststart },
};

int cmd_hook(int argc, char **argv)
{
	static const struct option longopts[] = {
		COMMON_LONG_OPTS,
		{ "refusal", required_argument, NULL, OPT_REFUSAL },
		{ NULL, 0, NULL, 0 },
	};
	struct common_opts o = { 0 };
	struct oh_error err = { 0 };
	struct hook h = { 0 };
	const struct stage *st = NULL;
	int opt, rc;

	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (cli_common_opt(opt, optarg, &o))
			continue;
		if (opt == OPT_REFUSAL) {
			if (strcmp(optarg, "exit") == 0)
				h.refuse_by_exit = true;
			else if (strcmp(optarg, "message") != 0)
				return cli_usage_error(usage, "--refusal must be message or exit");
			continue;
		}
		if (opt == 'h') {
			printf("usage: %s\n", usage);
			return EXIT_COMPLIANT;
		}
		return cli_usage_error(usage, NULL);
	}
	if (optind != argc - 1)
		return cli_usage_error(usage, "hook takes exactly one STAGE");
	for (size_t i = 0; i < sizeof(stages) / sizeof(stages[0]); i++)
		if (strcmp(stages[i].name, argv[optind]) == 0)
			st = &stages[i];
	if (st == NULL)
		return cli_usage_error(usage, "unknown hook stage");
	h.stage = st->name;

	if (cli_setup(&o, &h.p, &err) < 0) {
		/* Without a policy there is no mode to consult: refuse. */
		rc = refuse_error(&h, NULL, NULL, err.msg);
		return rc < 0 ? EXIT_ERROR : rc;
	}
	if (oh_read_fd(STDIN_FILENO, "<stdin>", OH_MAX_INPUT, &h.in, &h.inlen, &err) < 0) {
		rc = refuse_error(&h, NULL, NULL, err.msg);
		policy_free(h.p);
		return rc < 0 ? EXIT_COMPLIANT : rc;
	}
	rc = st->run(&h);
	free(h.in);
	policy_free(h.p);
	return rc;
}
