/* SPDX-License-Identifier: Apache-2.0 */
/*
 * oci-harden hook STAGE: the OCI hook front end.
 *
 *   precreate       podman only: the proposed config on stdin, the hardened
 *                   config on stdout.  The one stage that can rewrite.
 *   prestart,       the container state on stdin; the runtime has already
 *   createRuntime   read config.json, so these can only admit or refuse.
 *   createContainer the state on stdin, in the container's mount namespace
 *                   after the runtime's mounts: judges what they made.
 *   poststart       the state on stdin; judges the kernel's view of the
 *                   container's process and kills it on a mismatch, and on
 *                   an error once that process is identified.
 *
 * Fail closed: any error refuses the container (exit non-zero, reason on
 * stderr) unless the policy's mode is audit.  podman runs hooks with an
 * empty environment, so nothing here reads one.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit.h"
#include "caps.h"
#include "check.h"
#include "deadline.h"
#include "cli.h"
#include "host.h"
#include "inspect.h"
#include "json.h"
#include "outcome.h"
#include "pipeline.h"
#include "procview.h"
#include "scload.h"
#include "state.h"
#include "util.h"
#include "verify.h"

static const char usage[] =
	"oci-harden hook precreate|prestart|createRuntime|createContainer|poststart "
	"[--policy FILE] "
	"[--refusal message|exit]";

struct hook {
	const char *stage;
	struct policy *p;
	char *in;            /* stdin, whole */
	size_t inlen;
	bool refuse_by_exit; /* precreate: refuse with an exit status, not a message */
	char who[48];        /* "oci-harden: STAGE" */
};

static struct front front_of(const struct hook *h, enum stage_power power,
			     const char *id, const char *bundle)
{
	return (struct front){ .stage = h->stage, .who = h->who, .power = power,
			       .p = h->p, .id = id, .bundle = bundle };
}

/* The exit status of an input that could not be judged. */
static int error_exit(const struct front *f, const char *msg)
{
	return outcome_exit(outcome_error(f, msg));
}

/*
 * The audit line the deadline writes if it passes (deadline.h), so that a
 * refusal by the deadline is in the trail like any other: refused, or
 * killed once poststart has registered the container's init for the kill.
 * Registered again as the stage learns the container's id and bundle.
 */
static void audit_at_deadline(const struct hook *h, const char *id, const char *bundle,
			      bool kills)
{
	char detail[96];
	int prio, kprio;

	snprintf(detail, sizeof(detail), "the deadline of %g s passed (runtime.deadlineSeconds)",
		 h->p->runtime_deadline);
	struct audit_event e = { .stage = h->stage, .id = id, .bundle = bundle,
				 .verdict = "error", .action = "refused",
				 .audit_mode = h->p->audit, .detail = detail };
	cleanup_free char *line = audit_line(h->p, &e, &prio);
	e.action = "killed";
	cleanup_free char *killed = kills ? audit_line(h->p, &e, &kprio) : NULL;
	struct deadline_audit a = { .socket = OH_SYSLOG_SOCKET, .prio = prio, .line = line,
				    .killed = killed, .file = h->p->audit_file };
	deadline_audit(&a);
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
 * libseccomp could not be loaded during the judgement (scload.c): recorded
 * and decided as any input that could not be judged, the audit line
 * included; in audit mode admitted, precreate handing on the document as
 * it came (j: the judgement that keeps its text, NULL for a gate).
 */
struct sc_failure {
	const struct front *f;
	const struct judgement *j;
	/* poststart: the container's init, once identified (else NULL) */
	const struct poststart_target *kill;
};

/* The process poststart identified as the container's init. */
struct poststart_target {
	int pidfd;
	long pid;
	const char *id, *bundle;
};

static int poststart_error(const struct front *f, const struct poststart_target *t,
			   const char *msg);

static int sc_load_failed(const char *why, void *ctx)
{
	const struct sc_failure *s = ctx;

	if (s->kill != NULL)
		return poststart_error(s->f, s->kill, why);
	if (outcome_error(s->f, why) != OUT_ADMIT)
		return EXIT_ERROR;
	if (s->j == NULL)
		return EXIT_COMPLIANT;
	return s->j->text ? emit(s->j->text, s->j->textlen) : EXIT_ERROR;
}

static int emit_tree(const struct judgement *j)
{
	struct oh_error err = { 0 };

	if (judgement_write_fd(j, STDOUT_FILENO, false, &err) < 0) {
		fprintf(stderr, "oci-harden: precreate: %s\n", err.msg);
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
static int emit_refusal(struct judgement *j)
{
	struct oh_buf path = { 0 }, rules = { 0 };
	struct jdoc *doc = j->s.doc;
	struct jval *root = j->s.root;

	rule_ids(decision_rules(&j->d, ACT_DENY), ", ", &rules);
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
	struct jval *rootobj = fix_ensure_object(doc, root, "root");
	if (rootobj->type != J_OBJECT) {
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
	return emit_tree(j);
}

/*
 * The container id for the audit line: precreate gets a config, not the
 * state.  podman names the cgroup after it (".../libpod-<id>" or
 * "...:libpod:<id>" with systemd), which a user cannot choose; annotations
 * (io.kubernetes.cri-o.ContainerID) anyone creating a container can set, so
 * they never name it.
 */
static const char *config_container_id(const struct spec *s, char *buf, size_t cap)
{
	const struct jval *cg = jobj_get(s->linux_, "cgroupsPath");

	if (cg == NULL || cg->type != J_STRING)
		return NULL;
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
	struct front f = front_of(h, POWER_REWRITE, NULL, NULL);
	bool audit = h->p->audit;
	struct pipeline_input in = PIPELINE_INPUT_INIT;
	/* Audit mode passes the document on exactly as it came. */
	struct pipeline_opts o = { .on = CTX_CONFIG, .scan = SCAN_POLICY,
				   .fix = !audit, .keep_text = audit };
	cleanup_judgement struct judgement j = JUDGEMENT_INIT;
	char idbuf[72];

	in.buf = h->in;
	in.len = h->inlen;
	in.source = "<stdin config>";
	h->in = NULL;
	struct sc_failure scf = { &f, &j, NULL };
	oh_sc_on_load_failure(sc_load_failed, &scf);
	if (pipeline_run(&in, &o, h->p, &j, &err) < 0) {
		if (outcome_error(&f, err.msg) != OUT_ADMIT)
			return EXIT_ERROR;
		/* The text is gone only when reading failed, which audit
		 * mode cannot pass on either. */
		return j.text ? emit(j.text, j.textlen) : EXIT_ERROR;
	}
	f.id = config_container_id(&j.s, idbuf, sizeof(idbuf));
	switch (outcome_settle(&f, &j.d)) {
	case OUT_ADMIT:
		/* Nothing to change: the document as it came (audit mode) or as
		 * parsed, which is the same document. */
		return audit ? emit(j.text, j.textlen) : emit_tree(&j);
	case OUT_REWRITE:
		return emit_tree(&j);
	case OUT_REFUSE:
		return h->refuse_by_exit ? EXIT_REFUSED : emit_refusal(&j);
	case OUT_ERROR:
		break;
	}
	return EXIT_ERROR;
}

/* ---------------------------------------------------------------- state */

/*
 * Parses the state on stdin into st (the document takes stdin's buffer).
 * Returns -1 to go on, else the exit status of the refusal, logged.
 */
static int read_state(struct hook *h, struct front *f, struct oh_state *st,
		      bool need_pid)
{
	struct oh_error err = { 0 };
	int rc = oh_state_parse(h->in, h->inlen, st, &err);

	h->in = NULL;
	if (rc == 0 && need_pid && st->pid == 0)
		rc = oh_err(&err, 0, "the container state has no pid");
	if (rc < 0) {
		rc = error_exit(f, err.msg);
		oh_state_free(st);
		return rc;
	}
	f->id = st->id;
	f->bundle = st->bundle;
	audit_at_deadline(h, st->id, st->bundle, false);
	return -1;
}

/* ------------------------------------------------- prestart, createRuntime */

static int gate(struct hook *h, enum check_context on)
{
	struct oh_error err = { 0 };
	struct front f = front_of(h, POWER_GATE, NULL, NULL);
	struct oh_state st;
	int rc;

	if ((rc = read_state(h, &f, &st, false)) >= 0)
		return rc;

	struct pipeline_input in;
	/* createContainer's state names the init by its pid in the
	 * container's own pid namespace, where the hook runs: no pid the
	 * host's /proc would show. */
	struct pipeline_opts o = { .on = on, .scan = SCAN_POLICY,
				   .init_pid = on == CTX_CONFIG ? (pid_t)st.pid : 0 };
	cleanup_judgement struct judgement j = JUDGEMENT_INIT;
	struct sc_failure scf = { &f, NULL, NULL };
	oh_sc_on_load_failure(sc_load_failed, &scf);
	if (pipeline_input_bundle(&in, st.bundle, &err) < 0 ||
	    pipeline_run(&in, &o, h->p, &j, &err) < 0) {
		rc = error_exit(&f, err.msg);
	} else {
		/* Nothing can be rewritten now: fixable is as refused as denied. */
		rc = outcome_exit(outcome_settle(&f, &j.d));
	}
	oh_state_free(&st);
	return rc;
}

static int stage_gate(struct hook *h)
{
	return gate(h, CTX_CONFIG);
}

/*
 * createContainer: runc and crun run it in the container's namespaces
 * after the runtime's mounts, before pivot_root, where what each mount
 * became can still be compared with the host's paths.  The config was
 * judged by createRuntime before the mounts; this judges only what they
 * made (mounted.h), so a source swapped between the two is refused.
 */
static int stage_mounted(struct hook *h)
{
	return gate(h, CTX_MOUNTED);
}

/* ------------------------------------------------------------ poststart */

/*
 * The last path of a cgroup file's text that is not the root: the unified
 * ("0::") line on a cgroup v2 host, else a v1 hierarchy's (they agree under
 * runc and podman).  "" when the process sits in every root.
 */
static void cgroup_leaf(const char *text, char *out, size_t cap)
{
	out[0] = '\0';
	for (const char *l = text; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		const char *c1 = strchr(l, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		const char *end = strchr(l, '\n');
		size_t n;

		if (c2 == NULL || (end && c2 > end))
			continue;
		n = end ? (size_t)(end - c2 - 1) : strlen(c2 + 1);
		if (n == 1 && c2[1] == '/')
			continue;
		snprintf(out, cap, "%.*s", (int)n, c2 + 1);
		if (strncmp(l, "0::", 3) == 0)
			return;
	}
}

/* Whether the cgroup path has the one the config asks for as its last
 * components: cgroupsPath "/a/b", systemd's "slice:prefix:name" (which
 * becomes "prefix-name.scope"), or runc's default "/ID". */
static bool cgroup_is(const char *have, const struct spec *s, const char *id)
{
	const struct jval *cg = jobj_get(s->linux_, "cgroupsPath");
	char want[512];

	if (cg == NULL || cg->type != J_STRING || cg->len == 0)
		snprintf(want, sizeof(want), "/%s", id);
	else if (cg->u.str[0] == '/')
		snprintf(want, sizeof(want), "%s", cg->u.str);
	else {
		const char *c1 = strchr(cg->u.str, ':');
		const char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		if (c2 == NULL)
			return false;
		snprintf(want, sizeof(want), "/%.*s-%s.scope", (int)(c2 - c1 - 1),
			 c1 + 1, c2 + 1);
	}
	size_t h = strlen(have), w = strlen(want);
	return w > 1 && h >= w && strcmp(have + h - w, want) == 0 &&
	       (h == w || have[h - w - 1] == '/' || want[0] == '/');
}

/*
 * Whether process pid is this container's init, so that the verifier
 * judges and kills only that: a state naming another pid (a bug, or a
 * forged hook call) must not get another process killed.  The process must
 * have its own pid namespace (not the one this hook runs in), the bundle's
 * rootfs as its root, which must not be the host's root, and the cgroup the
 * config gives the container.  procfd is /proc/PID, opened while the caller
 * holds a pidfd.
 */
/* Whether the config gives the container a pid namespace of its own. */
static bool own_pid_namespace(const struct spec *s)
{
	for (uint32_t i = 0; s->namespaces != NULL && i < s->namespaces->len; i++) {
		const struct jval *ns = &s->namespaces->u.items[i];
		if (jv_is_str(jobj_get(ns, "type"), "pid") && jobj_get(ns, "path") == NULL)
			return true;
	}
	return false;
}

/* Where runc (and so podman, Docker and containerd's runc shim) keep
 * ROOT/ID/state.json; directories holding one root per namespace. */
static const char *const state_roots[] = { "/run/runc" };
static const char *const state_root_parents[] = {
	"/run/docker/runtime-runc", "/run/containerd/runc",
};

/* Compares a runc state.json with the hook's state: 1 if it is that
 * container, 0 if it is another, -1 if unreadable. */
static int runc_record_matches(int dirfd, const char *id, long pid,
			       const char *bundle)
{
	struct oh_buf b = { 0 };
	struct oh_error e = { 0 };
	struct jdoc *doc;
	char name[320];
	int rc = -1;

	snprintf(name, sizeof(name), "%s/state.json", id);
	if (strchr(id, '/') != NULL || oh_read_at(dirfd, name, OH_MAX_INPUT, &b) < 0)
		goto out;
	char *buf = b.data;
	b.data = NULL;
	if (json_parse(buf, b.len, name, &doc, &e) < 0)
		goto out;
	const struct jval *root = json_root(doc);
	const struct jval *labels = jobj_get(jobj_get(root, "config"), "labels");
	int64_t init = -1;
	jv_get_i64(jobj_get(root, "init_process_pid"), &init);
	bool same_bundle = false;
	for (uint32_t i = 0; labels != NULL && labels->type == J_ARRAY && i < labels->len; i++) {
		const struct jval *l = &labels->u.items[i];
		if (l->type == J_STRING && strncmp(l->u.str, "bundle=", 7) == 0)
			same_bundle = strcmp(l->u.str + 7, bundle) == 0;
	}
	rc = init == pid && same_bundle;
	json_free(doc);
out:
	oh_buf_free(&b);
	return rc;
}

/*
 * When the runtime recorded the container (runc's state.json under one of
 * the roots runc, podman, Docker and containerd use), its init pid and
 * bundle must be the state's: a forged state naming a real container's id
 * and pid with a bundle of the forger's making is refused.  A container
 * in no known root (runc --root elsewhere) is judged by the other checks.
 */
static int runtime_record(const struct oh_state *st, long pid, bool *confirmed,
			  struct oh_error *err)
{
	int found = -1;

	for (size_t i = 0; i < sizeof(state_roots) / sizeof(state_roots[0]) && found < 0; i++) {
		cleanup_close int fd = open(state_roots[i], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd >= 0)
			found = runc_record_matches(fd, st->id, pid, st->bundle);
	}
	for (size_t i = 0; i < sizeof(state_root_parents) / sizeof(state_root_parents[0]) &&
			   found < 0; i++) {
		cleanup_dir DIR *d = opendir(state_root_parents[i]);
		for (struct dirent *de; d != NULL && found < 0 && (de = readdir(d)) != NULL;) {
			if (de->d_name[0] == '.')
				continue;
			cleanup_close int fd = openat(dirfd(d), de->d_name,
						      O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
			if (fd >= 0)
				found = runc_record_matches(fd, st->id, pid, st->bundle);
		}
	}
	if (found == 0)
		return oh_err(err, 0, "process %ld is not container %s's init with bundle %s, "
			      "as the runtime recorded it", pid, st->id, st->bundle);
	*confirmed = found == 1;
	return 0;
}

/*
 * Whether the process is pid 1 of the pid namespace it lives in: the last
 * NSpid value in its status (the pid it has in its innermost namespace).
 * Another process of a container, or of any sandbox with its own pid
 * namespace, has a larger one.  1 if it is, 0 if not, -1 if unreadable.
 */
static int is_pid_one(int procfd, long pid, struct oh_error *err)
{
	struct oh_buf b = { 0 };
	int rc = -1;

	if (oh_read_at(procfd, "status", 65536, &b) < 0) {
		oh_err(err, errno == ENOENT ? ESRCH : errno,
		       "process %ld: cannot read its status", pid);
		goto out;
	}
	const char *line = b.data;
	while (line != NULL && strncmp(line, "NSpid:", 6) != 0)
		line = (line = strchr(line, '\n')) != NULL ? line + 1 : NULL;
	if (line == NULL) {
		oh_err(err, 0, "process %ld: its status names no NSpid", pid);
		goto out;
	}
	const char *end = strchr(line, '\n');
	end = end != NULL ? end : line + strlen(line);
	const char *last = end;
	while (last > line + 6 && (last[-1] == ' ' || last[-1] == '\t'))
		last--;
	const char *word = last;
	while (word > line + 6 && word[-1] != ' ' && word[-1] != '\t')
		word--;
	rc = last - word == 1 && word[0] == '1';
out:
	oh_buf_free(&b);
	return rc;
}

static int is_container_init(int procfd, long pid, const struct oh_state *st,
			     const struct judgement *j, struct oh_error *err)
{
	struct stat a, b, want;
	struct oh_buf mine = { 0 }, theirs = { 0 };
	char leaf[512], self_leaf[512];
	bool confirmed = false;

	if (runtime_record(st, pid, &confirmed, err) < 0)
		return -1;
	if (fstatat(procfd, "ns/pid", &a, 0) < 0 || stat("/proc/self/ns/pid", &b) < 0)
		return oh_err(err, errno == ENOENT ? ESRCH : errno,
			      "process %ld: cannot read its pid namespace", pid);
	/* A container the config puts in the host's pid namespace (a
	 * host-namespaces finding) cannot be told from a host process by its
	 * namespace: only the runtime's own record can vouch for it. */
	if (!own_pid_namespace(&j->s) && !confirmed)
		return oh_err(err, 0, "process %ld: the config shares the host's pid "
			      "namespace and no runtime record names this process as "
			      "container %s's init", pid, st->id);
	bool host_ns = a.st_ino == b.st_ino && a.st_dev == b.st_dev;
	if (host_ns && !confirmed)
		return oh_err(err, 0, "process %ld is not a container's init: it shares "
			      "the host's pid namespace", pid);
	/* In a pid namespace of its own, the init is its pid 1: a child of
	 * the init, or of a sandbox's, is not (the runtime's record too
	 * names only the init). */
	if (!host_ns) {
		int one = is_pid_one(procfd, pid, err);
		if (one < 0)
			return -1;
		if (one == 0)
			return oh_err(err, 0, "process %ld is not a container's init: it is "
				      "not pid 1 of its pid namespace", pid);
	}
	if (j->s.root_path == NULL)
		return oh_err(err, 0, "%s: config.json has no root.path", st->bundle);
	/* root.path may be relative to the bundle. */
	if (fstatat(j->bundle_fd, j->s.root_path->u.str, &want, 0) < 0)
		return oh_err(err, errno, "%s: cannot stat the container's root", st->bundle);
	if (stat("/", &b) == 0 && b.st_dev == want.st_dev && b.st_ino == want.st_ino)
		return oh_err(err, 0, "%s: the container's root is the host's root "
			      "directory; refusing to act on process %ld", st->bundle, pid);
	if (fstatat(procfd, "root", &a, 0) < 0)
		return oh_err(err, errno == ENOENT ? ESRCH : errno, "process %ld", pid);
	if (a.st_dev != want.st_dev || a.st_ino != want.st_ino)
		return oh_err(err, 0, "process %ld is not this container's: its root "
			      "directory is not the bundle's rootfs", pid);
	int rc = 0;
	if (oh_read_at(procfd, "cgroup", 65536, &theirs) < 0 ||
	    oh_read_at(AT_FDCWD, "/proc/self/cgroup", 65536, &mine) < 0) {
		rc = oh_err(err, errno == ENOENT ? ESRCH : errno,
			    "process %ld: cannot read its cgroup", pid);
	} else {
		cgroup_leaf(theirs.data, leaf, sizeof(leaf));
		cgroup_leaf(mine.data, self_leaf, sizeof(self_leaf));
		if (strcmp(leaf, self_leaf) == 0 || !cgroup_is(leaf, &j->s, st->id))
			rc = oh_err(err, 0, "process %ld is not this container's: its cgroup "
				    "%s is not the one the config gives the container",
				    pid, leaf[0] ? leaf : "/");
	}
	oh_buf_free(&mine);
	oh_buf_free(&theirs);
	return rc;
}

/*
 * An error after the container's init was identified through its pidfd
 * (t): the runtime spec has a runtime only warn when a poststart hook
 * fails, and crun keeps the container running, so an exit status alone
 * would refuse nothing there.  In enforce mode the process is killed
 * through the pidfd, as on a mismatch, and the audit line says so; audit
 * mode kills nothing and logs the error (admitted).  Before the init is
 * identified (a forged state, another process) an error kills nothing.
 */
static int poststart_error(const struct front *f, const struct poststart_target *t,
			   const char *msg)
{
	if (f->p == NULL || f->p->audit)
		return error_exit(f, msg);
	int r = verify_pidfd_signal(t->pidfd, SIGKILL);
	bool killed = r == 0 || errno == ESRCH;
	struct audit_event e = { .stage = f->stage, .id = t->id, .bundle = t->bundle,
				 .verdict = "error", .action = killed ? "killed" : "kill-failed",
				 .detail = msg };
	audit_log(f->p, &e);
	fprintf(stderr, "%s: container %s (pid %ld) could not be verified: %s; %s\n", f->who,
		t->id, t->pid, msg, killed ? "killed it" : "could not kill it");
	return EXIT_ERROR;
}

/* The deadline, passing before the verdict, kills the identified init
 * too: an exit status alone would leave it running under crun. */
static void kill_at_deadline(const struct hook *h, const struct poststart_target *t)
{
	char late[192];
	int n = snprintf(late, sizeof(late), "%s: killed container %s (pid %ld): the deadline "
			 "passed before it was verified\n", h->who, t->id, t->pid);

	deadline_kill(t->pidfd, late, n < 0 ? 0 : n < (int)sizeof(late) ? (size_t)n
								  : sizeof(late) - 1);
	audit_at_deadline(h, t->id, t->bundle, true);
}

static void deadline_forget_kill(bool *armed)
{
	if (*armed)
		deadline_kill(-1, NULL, 0);
}

/*
 * ENOENT from /proc, mapped to ESRCH, also comes from a live process whose
 * main thread exited while another thread runs: it has exited only when
 * the pidfd can no longer be signalled, or when it is a zombie with no
 * thread left (Threads: 1, the zombie main thread; not yet reaped, as by
 * `runc run`, which runs poststart before it waits).  A pidfd that can be
 * signalled means the process is not reaped, so its pid, and procfd opened
 * after the pidfd, are still this process's.
 */
static bool has_exited(int pidfd, int procfd)
{
	struct oh_buf b = { 0 };
	bool gone = false;

	if (verify_pidfd_signal(pidfd, 0) < 0)
		return errno == ESRCH;
	if (procfd >= 0 && oh_read_at(procfd, "status", 65536, &b) == 0) {
		const char *state = strstr(b.data, "\nState:\tZ");
		const char *threads = strstr(b.data, "\nThreads:\t");
		gone = state != NULL && threads != NULL &&
		       strncmp(threads + 10, "1\n", 2) == 0;
	}
	oh_buf_free(&b);
	return gone;
}

static int stage_poststart(struct hook *h)
{
	struct oh_error err = { 0 };
	struct front f = front_of(h, POWER_GATE, NULL, NULL);
	struct oh_state st;
	struct procview v;
	struct decision d;
	cleanup_judgement struct judgement j = JUDGEMENT_INIT;
	cleanup_close int pidfd = -1, procfd = -1;
	/* Declared after pidfd: forgotten by the deadline before it closes. */
	__attribute__((cleanup(deadline_forget_kill))) bool kill_armed = false;
	int rc;

	decision_init(&d);
	if ((rc = read_state(h, &f, &st, true)) >= 0)
		return rc;
	struct poststart_target t = { .pid = st.pid, .id = st.id, .bundle = st.bundle };
	struct sc_failure scf = { &f, NULL, NULL };
	oh_sc_on_load_failure(sc_load_failed, &scf);

	struct pipeline_input in = PIPELINE_INPUT_INIT;
	struct pipeline_opts o = { .on = CTX_CONFIG, .scan = SCAN_NEVER, .view_only = true };
	bool have_bundle = pipeline_input_bundle(&in, st.bundle, &err) == 0;
	/* The pidfd, from the first check to the kill, makes every read and
	 * the signal concern this process and no other. */
	pidfd = verify_pidfd_open((pid_t)st.pid);
	char proc[32];
	snprintf(proc, sizeof(proc), "/proc/%ld", st.pid);
	bool failed = true;
	if (pidfd < 0)
		oh_err(&err, errno, "process %ld", st.pid);
	else if (!have_bundle || pipeline_run(&in, &o, h->p, &j, &err) < 0)
		;
	else if ((procfd = open(proc, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		oh_err(&err, errno == ENOENT ? ESRCH : errno, "process %ld", st.pid);
	else if (is_container_init(procfd, st.pid, &st, &j, &err) < 0)
		;
	else {
		/* Identified: from here an error kills it (poststart_error),
		 * the deadline's too (in enforce mode). */
		t.pidfd = pidfd;
		scf.kill = &t;
		if (!h->p->audit) {
			kill_at_deadline(h, &t);
			kill_armed = true;
		}
		if (procview_read((pid_t)st.pid, &v, &err) < 0)
			;
		/* Still alive after the reads: what they saw was this process. */
		else if (verify_pidfd_signal(pidfd, 0) < 0)
			oh_err(&err, errno, "process %ld", st.pid);
		else
			failed = false;
	}
	if (failed && err.errnum == ESRCH && pidfd >= 0 && !has_exited(pidfd, procfd)) {
		oh_err(&err, 0, "process %ld: /proc cannot show it, yet it is still "
		       "running (its main thread may have exited)", st.pid);
	}
	if (failed && err.errnum == ESRCH) {
		struct audit_event e = { .stage = h->stage, .id = st.id, .bundle = st.bundle,
					 .audit_mode = h->p->audit, .verdict = "exited",
					 .action = "logged",
					 .detail = "the container's process had already exited" };
		audit_log(h->p, &e);
		oh_state_free(&st);
		return EXIT_COMPLIANT;
	}
	if (failed) {
		rc = scf.kill ? poststart_error(&f, &t, err.msg) : error_exit(&f, err.msg);
		oh_state_free(&st);
		return rc;
	}

	/*
	 * The same kernel rules as `inspect` and the wrapper's restore, on
	 * this one process; the exemptions key on the container's config.
	 * runc up to 1.5 runs poststart before the workload's execve, when a
	 * non-root process's capabilities are yet to be recomputed: the
	 * verifier judges what the process will hold after it.  Its filters
	 * are read as inspect reads them: the config's listenerPath is judged
	 * only where a config stage runs, and a filter that notifies a
	 * listener nobody here knows confines nothing.
	 */
	struct kernel_proc kp = { .pid = (pid_t)st.pid, .v = v };
	struct kernel_view kv = { .procs = &kp, .nprocs = 1 };
	struct verify_opts vo = { .read_filters = true };
	if (verify_judge(&kv, &j.s, h->p, &vo, &d, &err) < 0) {
		rc = poststart_error(&f, &t, err.msg);
		decision_free(&d);
		oh_state_free(&st);
		return rc;
	}
	/* Any fix or deny finding is a mismatch: nothing can be fixed now.
	 * A judgement that ended in an error (or none) is an error of this
	 * stage, as a failed verify_judge is. */
	enum outcome out = outcome_decide(h->p, d.verdict, POWER_GATE);
	if (out == OUT_ERROR) {
		rc = poststart_error(&f, &t, "the judgement of the running process ended "
				     "in an error");
		decision_free(&d);
		oh_state_free(&st);
		return rc;
	}
	struct audit_event e = { .stage = h->stage, .id = st.id, .bundle = st.bundle,
				 .audit_mode = h->p->audit, .d = &d,
				 .verdict = d.verdict == V_COMPLIANT ? "compliant" : "mismatch",
				 .action = "admitted" };
	rc = EXIT_COMPLIANT;
	if (out == OUT_REFUSE) {
		int r = verify_pidfd_signal(pidfd, SIGKILL);
		e.action = r == 0 || errno == ESRCH ? "killed" : "kill-failed";
		outcome_print_findings(stderr, h->who, &d, ACT_FIX, false);
		fprintf(stderr, "%s: container %s (pid %ld) does not run as the policy "
			"requires; %s\n", h->who, st.id, st.pid,
			strcmp(e.action, "killed") == 0 ? "killed it" : "could not kill it");
		rc = EXIT_REFUSED;
	}
	audit_log(h->p, &e);
	decision_free(&d);
	oh_state_free(&st);
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
	{ "createContainer", stage_mounted },
	{ "poststart", stage_poststart },
};

static const char *option(void *ctx, int code, const char *value)
{
	struct hook *h = ctx;

	(void)code;
	if (strcmp(value, "exit") == 0)
		h->refuse_by_exit = true;
	else if (strcmp(value, "message") != 0)
		return "--refusal must be message or exit";
	return NULL;
}

/*
 * Every outcome is printed and logged by the stage itself (a refusal must
 * reach the audit trail even when the policy could not be read), so err is
 * left for main only on usage errors.
 */
int cmd_hook(int argc, char **argv, struct oh_error *unused)
{
	static const struct cli_opt opts[] = {
		{ "refusal", 0, true, OPT_REFUSAL },
		{ 0 },
	};
	struct common_opts o = { 0 };
	struct oh_error err = { 0 };
	struct hook h = { 0 };
	const struct stage *st = NULL;
	int rc;
	int first = cli_parse(argc, argv, usage, opts, &o, option, &h);

	(void)unused;
	if (first < 0)
		return cli_parse_exit(first);
	if (first != argc - 1)
		return cli_usage_error(usage, "hook takes exactly one STAGE");
	for (size_t i = 0; i < sizeof(stages) / sizeof(stages[0]); i++)
		if (strcmp(stages[i].name, argv[first]) == 0)
			st = &stages[i];
	if (st == NULL)
		return cli_usage_error(usage, "unknown hook stage");
	h.stage = st->name;
	snprintf(h.who, sizeof(h.who), "oci-harden: %s", h.stage);

	struct front f = front_of(&h, POWER_GATE, NULL, NULL);
	if (cli_setup(&o, &h.p, &err) < 0)
		/* Without a policy there is no mode to consult: refuse. */
		return error_exit(&f, err.msg);
	f.p = h.p;
	/*
	 * The runtime waits for a hook only so long (podman's hooks.d files
	 * say 10 s); a stage that takes longer than the policy's deadline,
	 * below that, refuses rather than leave the container to the
	 * runtime's timeout.
	 */
	char late[160];
	int n = snprintf(late, sizeof(late), "%s: refusing the container: the deadline of "
			 "%g s passed (runtime.deadlineSeconds)\n", h.who, h.p->runtime_deadline);
	deadline_say(STDERR_FILENO, late, (size_t)n);
	audit_at_deadline(&h, NULL, NULL, false);
	if (deadline_arm(h.p->runtime_deadline, EXIT_ERROR, &err) < 0) {
		rc = error_exit(&f, err.msg);
		policy_free(h.p);
		return rc;
	}
	if (oh_read_fd(STDIN_FILENO, "<stdin>", OH_MAX_INPUT, &h.in, &h.inlen, &err) < 0) {
		rc = error_exit(&f, err.msg);
		policy_free(h.p);
		return rc;
	}
	rc = st->run(&h);
	/* The stage has answered: a deadline passing now would say what
	 * the stage registered (poststart's "killed container ...") of a
	 * container it did not kill. */
	deadline_disarm();
	oh_sc_on_load_failure(NULL, NULL);   /* its context was the stage's */
	free(h.in);
	policy_free(h.p);
	return rc;
}
