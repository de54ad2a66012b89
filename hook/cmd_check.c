/* SPDX-License-Identifier: Apache-2.0 */
/* oci-harden check: judge configs and report; never changes anything. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "json.h"
#include "pipeline.h"
#include "report.h"
#include "ohseccomp.h"
#include "util.h"

static const char usage[] =
	"oci-harden check [--policy FILE] [--seccomp-profile FILE] "
	"[--format text|json|sarif] [--no-rootfs-scan] PATH...";

/* A bundle's rootfs is walked unless scan is false. */
static void judge(const char *path, const struct policy *p, bool scan,
		  bool locate, struct result *r)
{
	struct oh_error err = { 0 };
	struct pipeline_input in = PIPELINE_INPUT_INIT;
	struct pipeline_opts o = { .on = CTX_CONFIG, .compile_check = true,
				   .scan = scan ? SCAN_ALWAYS : SCAN_NEVER,
				   .keep_text = locate };
	cleanup_judgement struct judgement j = JUDGEMENT_INIT;

	r->source = xstrdup(path);
	r->verdict = V_ERROR;
	in.path = path;
	if (pipeline_run(&in, &o, p, &j, &err) < 0) {
		r->error = xstrdup(err.msg);
		return;
	}
	r->verdict = j.d.verdict;
	r->d = j.d;
	decision_init(&j.d);
	r->rootfs = j.rootfs;
	j.rootfs = NULL;
	r->bundle = j.bundle;
	/* SARIF regions: where each finding's pointer leads in the text read. */
	for (size_t i = 0; j.text != NULL && i < r->d.nfindings; i++) {
		struct finding *f = &r->d.findings[i];
		struct json_region rg;
		if (f->pointer[0] != '/')
			continue;
		json_region(j.text, j.textlen, f->pointer, &rg);
		f->line = rg.start_line;
		f->column = rg.start_column;
		f->end_line = rg.end_line;
		f->end_column = rg.end_column;
	}
}

struct check_opts {
	enum report_format fmt;
	bool scan;
};

static const char *option(void *ctx, int code, const char *value)
{
	struct check_opts *c = ctx;

	if (code == OPT_NO_ROOTFS_SCAN)
		c->scan = false;
	else if (report_format_parse(value, &c->fmt) < 0)
		return "--format must be text, json or sarif";
	return NULL;
}

int cmd_check(int argc, char **argv, struct oh_error *err)
{
	static const struct cli_opt opts[] = {
		{ "format", 0, true, OPT_FORMAT },
		{ "no-rootfs-scan", 0, false, OPT_NO_ROOTFS_SCAN },
		{ 0 },
	};
	struct common_opts o = { 0 };
	struct check_opts c = { .fmt = FMT_TEXT, .scan = true };
	cleanup_policy struct policy *p = NULL;
	int rc = EXIT_COMPLIANT;
	int first = cli_parse(argc, argv, usage, opts, &o, option, &c);
	enum report_format fmt;
	bool scan;

	if (first < 0)
		return cli_parse_exit(first);
	fmt = c.fmt;
	scan = c.scan;
	if (first >= argc)
		return cli_usage_error(usage, "check needs at least one PATH");
	if (cli_setup(&o, &p, err) < 0)
		return EXIT_ERROR;
	if (o.seccomp_profile != NULL) {
		/* check does not apply the profile, but a broken one is still an
		 * error the user should hear about now rather than at fix time. */
		struct profile *prof;
		if (profile_load(o.seccomp_profile, &prof, err) < 0)
			return EXIT_ERROR;
		profile_free(prof);
	}

	size_t n = (size_t)(argc - first);
	struct result *res = xcalloc(n, sizeof(*res));
	for (size_t i = 0; i < n; i++) {
		judge(argv[first + (int)i], p, scan, fmt == FMT_SARIF, &res[i]);
		if (res[i].verdict == V_ERROR)
			rc = EXIT_ERROR;
		else if (res[i].verdict != V_COMPLIANT && rc != EXIT_ERROR)
			rc = EXIT_REFUSED;
	}
	report_write(stdout, fmt, res, n);
	if (fmt != FMT_TEXT)
		for (size_t i = 0; i < n; i++)
			if (res[i].verdict == V_ERROR)
				cli_error("%s", res[i].error);
	for (size_t i = 0; i < n; i++)
		result_free(&res[i]);
	free(res);
	if (fflush(stdout) != 0) {
		oh_err(err, errno, "cannot write the report");
		return EXIT_ERROR;
	}
	return rc;
}
