/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The judgement pipeline: the one sequence every front end runs.
 *
 *   read -> strict parse -> typed view -> evaluate (config or exec process,
 *   the config's own seccomp profile compiled, the rootfs walked) -> fix ->
 *   re-judge
 *
 * check, test, fix, every hook stage and the runtime wrapper (create, run,
 * restore, exec) call pipeline_run() with options saying what to do; none of
 * them sequences these steps itself, so no two can reach different verdicts
 * on the same input under the same options.  What a front end then does with
 * the verdict (admit, rewrite, refuse) is the outcome layer's (outcome.h).
 */
#ifndef OH_PIPELINE_H
#define OH_PIPELINE_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "policy.h"
#include "rules.h"
#include "spec.h"

struct rootfs_result;
struct mounted_view;

/* Where the document comes from: exactly one of buf, bundle_fd, path. */
struct pipeline_input {
	char *buf;            /* taken: malloc'd, with a writable byte at buf[len] */
	size_t len;
	int bundle_fd;        /* >= 0: read config.json of this directory (no symlink), */
	const char *bundle;   /* ... named so in messages */
	const char *path;     /* a path a user named: bundle directory, file or "-" */
	const char *source;   /* the document's name in messages; default: path */
};

#define PIPELINE_INPUT_INIT { .bundle_fd = -1 }

/* Input from a bundle directory a runtime or a hook state names: opens it
 * (the pipeline then keeps the fd); its config.json is the document. */
int pipeline_input_bundle(struct pipeline_input *in, const char *bundle,
			  struct oh_error *err);

enum scan_mode {
	SCAN_NEVER,
	SCAN_POLICY,   /* when the policy's rootfs.scan is set (hook stages, the wrapper) */
	SCAN_ALWAYS,   /* every bundle (check, fix, test), unless --no-rootfs-scan */
};

struct pipeline_opts {
	/* CTX_CONFIG: a config; CTX_EXEC: the document is a process object,
	 * judged as the "process" of a config, with the exemptions keyed on
	 * the container's annotations (container, which may be NULL);
	 * CTX_MOUNTED: a config, whose mounts are judged as the runtime
	 * mounted them, read from this process's mount namespace (mounted.h:
	 * the createContainer hook's moment); the config itself is not
	 * judged again. */
	enum check_context on;
	const struct spec *container;
	/* Compile the config's own seccomp profile with libseccomp as runc
	 * would, so a profile runc cannot load is an error now.  It costs
	 * about 40 times the rest of a hook's work, so the hook stages leave
	 * it to runc, which refuses such a profile at start by itself. */
	bool compile_check;
	enum scan_mode scan;
	bool fix;             /* fix a fixable document (and re-judge it) */
	bool keep_text;       /* keep the input text (SARIF regions, audit mode) */
	pid_t init_pid;       /* the container's init, from a hook's state, or 0 */
	/* Read and view the document only, judge nothing: poststart judges
	 * the kernel's view of the process against it, and the config itself
	 * was judged before the container was created.  The judgement's
	 * verdict is then V_NOT_JUDGED. */
	bool view_only;
};

struct judgement {
	struct spec s;               /* the document (fixed when fixed is set) */
	struct decision d;           /* the judgement before any fix */
	struct rootfs_result *rootfs;   /* the walk, when the rootfs was scanned */
	struct mounted_view *mounted;   /* CTX_MOUNTED: what the runtime mounted */
	bool bundle;                 /* the input was a bundle directory */
	int bundle_fd;               /* its fd, kept open from read to write, or -1 */
	char *bundle_name;
	char *text;                  /* the input as read, when keep_text */
	size_t textlen;
	bool fixed;
};

/*
 * Runs the pipeline.  On success j->d holds the verdict (V_ERROR never: an
 * input that cannot be judged is an error return), the rootfs findings
 * included; a fixable document was fixed when o->fix is set.  On failure
 * err says why and j holds nothing that needs freeing beyond
 * judgement_free().  The input's buffer and fd are taken in every case.
 */
int pipeline_run(struct pipeline_input *in, const struct pipeline_opts *o,
		 const struct policy *p, struct judgement *j,
		 struct oh_error *err);

/* Writes the document (pretty: tab-indented like `runc spec`) to fd. */
int judgement_write_fd(const struct judgement *j, int fd, bool pretty,
		       struct oh_error *err);
/* An oh_producer (util.h) writing the document pretty-printed; ctx is the
 * judgement. */
int judgement_produce(int fd, void *ctx, struct oh_error *err);
/* Replaces the bundle's config.json atomically through the fd it was read
 * from, or the file path (same directory temporary, fsync, rename). */
int judgement_write_back(const struct judgement *j, const char *path,
			 struct oh_error *err);

void judgement_free(struct judgement *j);

/* Every judgement starts so, whether or not pipeline_run() gets to run:
 * judgement_free() of it frees nothing. */
#define JUDGEMENT_INIT { .bundle_fd = -1 }
#define cleanup_judgement __attribute__((cleanup(judgement_free)))

#endif
