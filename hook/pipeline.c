/* SPDX-License-Identifier: Apache-2.0 */
#include "pipeline.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "host.h"
#include "json.h"
#include "mounted.h"
#include "rootfs.h"
#include "ohseccomp.h"
#include "util.h"

int pipeline_input_bundle(struct pipeline_input *in, const char *bundle,
			  struct oh_error *err)
{
	*in = (struct pipeline_input)PIPELINE_INPUT_INIT;
	in->bundle = bundle;
	in->source = "config.json";
	in->bundle_fd = open(bundle, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (in->bundle_fd < 0)
		return oh_err(err, errno, "%s: cannot open the bundle", bundle);
	return 0;
}

/* Reads the input into *buf; a bundle directory stays open in j. */
static int read_input(struct pipeline_input *in, struct judgement *j,
		      char **buf, size_t *len, struct oh_error *err)
{
	struct stat st;

	if (in->buf != NULL) {
		*buf = in->buf;
		*len = in->len;
		in->buf = NULL;
		return 0;
	}
	if (in->bundle_fd >= 0) {
		j->bundle = true;
		j->bundle_fd = in->bundle_fd;
		j->bundle_name = xstrdup(in->bundle ? in->bundle : ".");
		in->bundle_fd = -1;
		return oh_read_bundle_config(j->bundle_fd, j->bundle_name, OH_MAX_INPUT,
					     buf, len, err);
	}
	if (in->path == NULL)
		return oh_err(err, 0, "internal error: no input");
	if (strcmp(in->path, "-") == 0)
		return oh_read_fd(STDIN_FILENO, "<stdin>", OH_MAX_INPUT, buf, len, err);
	if (stat(in->path, &st) < 0)
		return oh_err(err, errno, "%s", in->path);
	if (!S_ISDIR(st.st_mode))
		return oh_read_file(in->path, OH_MAX_INPUT, buf, len, err);
	j->bundle_fd = open(in->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (j->bundle_fd < 0)
		return oh_err(err, errno, "%s: cannot open the bundle", in->path);
	j->bundle = true;
	j->bundle_name = xstrdup(in->path);
	return oh_read_bundle_config(j->bundle_fd, in->path, OH_MAX_INPUT, buf, len, err);
}

/*
 * An exec'd process is judged as the "process" of a config.  The document
 * is the tree runc reads (one JSON value, nothing after it: the strict
 * parser refuses trailing data), moved under a new root, never text
 * spliced into another document.
 */
static void wrap_process(struct jdoc *doc)
{
	struct jval *root = json_root(doc);
	struct jval proc = *root;
	struct jval top = jv_object(doc, 1);

	jobj_init_member(doc, &top, 0, "process", proc);
	*root = top;
}

/* An update's resources document, judged as a config's linux.resources. */
static void wrap_resources(struct jdoc *doc)
{
	struct jval *root = json_root(doc);
	struct jval res = *root;
	struct jval linux_ = jv_object(doc, 1);
	struct jval top = jv_object(doc, 1);

	jobj_init_member(doc, &linux_, 0, "resources", res);
	jobj_init_member(doc, &top, 0, "linux", linux_);
	*root = top;
}

static int parse(char *buf, size_t len, const char *source,
		 const struct pipeline_opts *o, struct spec *s,
		 struct oh_error *err)
{
	struct jdoc *doc;

	if (o->on != CTX_EXEC && o->on != CTX_UPDATE)
		return spec_parse(buf, len, source, s, err);
	memset(s, 0, sizeof(*s));
	if (json_parse(buf, len, source, &doc, err) < 0)
		return oh_err_wrap(err, o->on == CTX_EXEC ? "the process to execute"
							  : "the resources to update");
	if (o->on == CTX_EXEC)
		wrap_process(doc);
	else
		wrap_resources(doc);
	if (spec_load(doc, source, s, err) < 0) {
		json_free(doc);
		s->doc = NULL;
		return -1;
	}
	return 0;
}

/*
 * The first rootfs rule the policy fixes or denies, or -1.  Such a rule
 * decides verdicts, so every front end must walk the rootfs for it, and a
 * walk that could not finish cannot be taken as "nothing found".
 */
static int deciding_rootfs_rule(const struct policy *p)
{
	for (int r = 0; r < RULE_COUNT; r++)
		if (rule_table[r].check[CTX_ROOTFS] != NULL && p->action[r] >= ACT_FIX)
			return r;
	return -1;
}

/* Whether the rootfs is walked, and from where root.path is resolved. */
static bool want_scan(const struct pipeline_opts *o, const struct policy *p,
		      const struct judgement *j)
{
	bool absolute = j->s.root_path != NULL && j->s.root_path->u.str[0] == '/';

	if (o->on != CTX_CONFIG)
		return false;
	switch (o->scan) {
	case SCAN_ALWAYS:
		return j->bundle;
	case SCAN_POLICY:
		/* podman's precreate config names an absolute rootfs.  A
		 * rootfs rule at fix or deny is walked for whatever
		 * rootfs.scan says: the hooks must refuse what check denies. */
		return (p->rootfs_scan || deciding_rootfs_rule(p) >= 0) &&
		       (j->bundle || absolute);
	case SCAN_NEVER:
		break;
	}
	return false;
}

/* A walk that did not finish, where a rootfs rule decides the verdict. */
static int incomplete_walk(const struct rootfs_result *r, const struct policy *p,
			   struct oh_error *err)
{
	static const char *const bound[] = {
		[ROOTFS_FILE_LIMIT] = "file-count", [ROOTFS_TIME_LIMIT] = "time",
	};
	int rule = deciding_rootfs_rule(p);

	if (rule < 0 || (r->scanned && r->stop == ROOTFS_COMPLETE))
		return 0;
	if (!r->scanned)
		return oh_err(err, 0, "cannot walk the rootfs (%s), and the policy "
			      "makes %s %s: cannot judge the container",
			      r->error ? r->error : "?", rule_table[rule].id,
			      action_name(p->action[rule]));
	return oh_err(err, 0, "the rootfs walk stopped at its %s limit after %lu "
		      "files, and the policy makes %s %s: cannot judge the "
		      "container (raise rootfs.maxFiles or rootfs.maxSeconds)",
		      bound[r->stop], r->files, rule_table[rule].id,
		      action_name(p->action[rule]));
}

int pipeline_run(struct pipeline_input *in, const struct pipeline_opts *o,
		 const struct policy *p, struct judgement *j,
		 struct oh_error *err)
{
	const struct host_facts *h = host_facts();
	const char *source = in->source ? in->source : in->path;
	char *buf;
	size_t len;

	memset(j, 0, sizeof(*j));
	j->bundle_fd = -1;
	decision_init(&j->d);
	/* Until rules_judge settles it: a document only viewed (view_only),
	 * or one that failed before its judgement, has no verdict to read. */
	j->d.verdict = V_NOT_JUDGED;
	if (read_input(in, j, &buf, &len, err) < 0)
		return -1;
	if (o->keep_text) {
		j->text = xmalloc(len + 1);
		memcpy(j->text, buf, len + 1);
		j->textlen = len;
	}
	if (parse(buf, len, source ? source : "config.json", o, &j->s, err) < 0)
		return -1;
	j->s.bundle_fd = j->bundle_fd;   /* relative mount sources are read there */
	j->s.init_pid = o->init_pid;
	if (o->compile_check && seccomp_compile_check(&j->s, err) < 0)
		return -1;
	if (o->on == CTX_CONFIG && rules_prepare(&j->s, p, h, err) < 0)
		return -1;
	if (o->view_only)
		return 0;
	if (o->on == CTX_MOUNTED) {
		j->mounted = xcalloc(1, sizeof(*j->mounted));
		if (mounted_read(&j->s, j->bundle_fd, p, j->mounted, err) < 0)
			return -1;
	}
	rules_judge(&(struct subject){ .on = o->on, .s = &j->s, .mv = j->mounted,
				       .ann = o->container },
		    p, h, &j->d);
	if (want_scan(o, p, j)) {
		struct rootfs_limits lim = { p->rootfs_max_files, p->rootfs_max_seconds };
		j->rootfs = xcalloc(1, sizeof(*j->rootfs));
		if (rootfs_scan(&j->s, j->bundle_fd, &lim, j->rootfs, err) < 0 ||
		    incomplete_walk(j->rootfs, p, err) < 0)
			return -1;
		rules_evaluate_rootfs(j->rootfs, &j->s, p, h, &j->d, err);
	}
	if (o->fix && j->d.verdict == V_FIXABLE) {
		if (rules_fix(&j->s, p, h, &j->d, err) < 0)
			return -1;
		j->fixed = true;
	}
	return 0;
}

struct emit {
	const struct judgement *j;
	bool pretty;
};

static int produce(int fd, void *ctx, struct oh_error *err)
{
	const struct emit *e = ctx;
	struct jsink *s = jsink_fd(fd);
	int rc;

	if (e->j->s.doc != NULL)
		jsink_text_of(s, e->j->s.doc);
	json_write(s, e->j->s.root, e->pretty);
	rc = jsink_finish(s);
	jsink_free(s);
	if (rc < 0)
		return oh_err(err, errno, "cannot write the config");
	return 0;
}

int judgement_write_fd(const struct judgement *j, int fd, bool pretty,
		       struct oh_error *err)
{
	struct emit e = { j, pretty };

	return produce(fd, &e, err);
}

int judgement_produce(int fd, void *ctx, struct oh_error *err)
{
	return judgement_write_fd(ctx, fd, true, err);
}

int judgement_write_back(const struct judgement *j, const char *path,
			 struct oh_error *err)
{
	struct emit e = { j, true };

	if (j->bundle_fd >= 0)
		return oh_write_atomic_at(j->bundle_fd, j->bundle_name, "config.json",
					  produce, &e, err);
	return oh_write_atomic(path, produce, &e, err);
}

void judgement_free(struct judgement *j)
{
	if (j->rootfs != NULL) {
		rootfs_result_free(j->rootfs);
		free(j->rootfs);
		j->rootfs = NULL;
	}
	if (j->mounted != NULL) {
		mounted_free(j->mounted);
		free(j->mounted);
		j->mounted = NULL;
	}
	decision_free(&j->d);
	spec_free(&j->s);
	if (j->bundle_fd >= 0)
		close(j->bundle_fd);
	j->bundle_fd = -1;
	free(j->bundle_name);
	j->bundle_name = NULL;
	free(j->text);
	j->text = NULL;
}
