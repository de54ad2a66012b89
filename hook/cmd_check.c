/* SPDX-License-Identifier: Apache-2.0 */
/* oci-harden check: judge configs and report; never changes anything. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "json.h"
#include "report.h"
#include "rootfs.h"
#include "ohseccomp.h"
#include "util.h"

static const char usage[] =
	"oci-harden check [--policy FILE] [--seccomp-profile FILE] "
	"[--format text|json|sarif] [--no-rootfs-scan] PATH...";

enum { OPT_NO_ROOTFS_SCAN = 2100 };

/* A bundle's rootfs is walked (rootfs.h) unless scan is false. */
static void judge(const char *path, const struct policy *p, bool scan,
		  bool locate, struct result *r)
{
	struct oh_error err = { 0 };
	struct spec s;
	char *buf;
	cleanup_free char *text = NULL;
	size_t len;
	bool bundle;

	r->source = xstrdup(path);
	r->verdict = V_ERROR;
	if (cli_read_config(path, &buf, &len, &bundle, &err) < 0) {
		r->error = xstrdup(err.msg);
		return;
	}
	/* The parser writes into its buffer; SARIF regions need the text. */
	if (locate) {
		text = xmalloc(len + 1);
		memcpy(text, buf, len + 1);
	}
	if (spec_parse(buf, len, path, &s, &err) < 0) {
		r->error = xstrdup(err.msg);
		return;
	}
	if (bundle && scan)
		r->rootfs = xcalloc(1, sizeof(*r->rootfs));
	if (seccomp_compile_check(&s, &err) < 0 ||
	    rules_evaluate(&s, p, host_facts(), &r->d, &err) < 0 ||
	    (r->rootfs && rootfs_scan(&s, path, p, &r->d, r->rootfs, &err) < 0)) {
		r->error = xstrdup(err.msg);
		spec_free(&s);
		return;
	}
	r->verdict = r->d.verdict;
	for (size_t i = 0; text != NULL && i < r->d.nfindings; i++) {
		struct finding *f = &r->d.findings[i];
		if (f->pointer[0] == '/')
			json_locate(text, len, f->pointer, &f->line, &f->column);
	}
	spec_free(&s);
}

int cmd_check(int argc, char **argv)
{
	static const struct option longopts[] = {
		COMMON_LONG_OPTS,
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "no-rootfs-scan", no_argument, NULL, OPT_NO_ROOTFS_SCAN },
		{ NULL, 0, NULL, 0 },
	};
	struct common_opts o = { 0 };
	enum report_format fmt = FMT_TEXT;
	struct oh_error err = { 0 };
	struct policy *p = NULL;
	bool scan = true;
	int opt, rc = EXIT_COMPLIANT;

	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (cli_common_opt(opt, optarg, &o))
			continue;
		if (opt == OPT_FORMAT) {
			if (report_format_parse(optarg, &fmt) < 0)
				return cli_usage_error(usage, "--format must be text, json or sarif");
		} else if (opt == OPT_NO_ROOTFS_SCAN) {
			scan = false;
		} else if (opt == 'h') {
			printf("usage: %s\n", usage);
			return EXIT_COMPLIANT;
		} else {
			return cli_usage_error(usage, NULL);
		}
	}
	if (optind >= argc)
		return cli_usage_error(usage, "check needs at least one PATH");
	if (cli_setup(&o, &p, &err) < 0) {
		cli_error("%s", err.msg);
		return EXIT_ERROR;
	}
	if (o.seccomp_profile != NULL) {
		/* check does not apply the profile, but a broken one is still an
		 * error the user should hear about now rather than at fix time. */
		struct profile *prof;
		if (profile_load(o.seccomp_profile, &prof, &err) < 0) {
			cli_error("%s", err.msg);
			policy_free(p);
			return EXIT_ERROR;
		}
		profile_free(prof);
	}

	size_t n = (size_t)(argc - optind);
	struct result *res = xcalloc(n, sizeof(*res));
	for (size_t i = 0; i < n; i++) {
		judge(argv[optind + (int)i], p, scan, fmt == FMT_SARIF, &res[i]);
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
	policy_free(p);
	if (fflush(stdout) != 0) {
		cli_error("cannot write the report");
		return EXIT_ERROR;
	}
	return rc;
}
