/* SPDX-License-Identifier: Apache-2.0 */
/* oci-harden fix: write the hardened config, or refuse. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "outcome.h"
#include "pipeline.h"
#include "util.h"

static const char usage[] =
	"oci-harden fix [--policy FILE] [--seccomp-profile FILE] "
	"[--no-rootfs-scan] [-o OUT | --in-place] PATH";

struct fix_opts {
	const char *out;
	bool in_place;
	bool scan;
};

static const char *option(void *ctx, int code, const char *value)
{
	struct fix_opts *f = ctx;

	switch (code) {
	case 'o': f->out = value; break;
	case OPT_IN_PLACE: f->in_place = true; break;
	case OPT_NO_ROOTFS_SCAN: f->scan = false; break;
	}
	return NULL;
}

int cmd_fix(int argc, char **argv, struct oh_error *err)
{
	static const struct cli_opt opts[] = {
		{ "output", 'o', true, 'o' },
		{ "in-place", 0, false, OPT_IN_PLACE },
		{ "no-rootfs-scan", 0, false, OPT_NO_ROOTFS_SCAN },
		{ 0 },
	};
	struct common_opts o = { 0 };
	struct fix_opts f = { .scan = true };
	cleanup_policy struct policy *p = NULL;
	int rc;
	int first = cli_parse(argc, argv, usage, opts, &o, option, &f);

	if (first < 0)
		return cli_parse_exit(first);
	if (first != argc - 1)
		return cli_usage_error(usage, "fix takes exactly one PATH");
	const char *out = f.out;
	bool in_place = f.in_place, scan = f.scan;
	const char *path = argv[first];
	if (out != NULL && in_place)
		return cli_usage_error(usage, "-o and --in-place exclude each other");
	if (in_place && strcmp(path, "-") == 0)
		return cli_usage_error(usage, "--in-place needs a file or bundle, not stdin");

	if (cli_setup(&o, &p, err) < 0)
		return EXIT_ERROR;
	/* The same judgement as check's: the profile compiled, the rootfs of
	 * a bundle walked, so fix refuses whatever check denies. */
	struct pipeline_input in = PIPELINE_INPUT_INIT;
	struct pipeline_opts po = { .on = CTX_CONFIG, .compile_check = true,
				    .scan = scan ? SCAN_ALWAYS : SCAN_NEVER, .fix = true };
	cleanup_judgement struct judgement j = JUDGEMENT_INIT;
	in.path = path;
	rc = pipeline_run(&in, &po, p, &j, err);
	if (rc < 0)
		return EXIT_ERROR;
	outcome_print_findings(stderr, path, &j.d, ACT_WARN, j.fixed);
	if (j.d.verdict == V_DENIED) {
		fprintf(stderr, "%s: denied: nothing written\n", path);
		return EXIT_REFUSED;
	}

	if (in_place)
		/* Nothing to change: leave the file as it is. */
		rc = j.fixed ? judgement_write_back(&j, path, err) : 0;
	else if (out != NULL && strcmp(out, "-") != 0)
		rc = oh_write_atomic(out, judgement_produce, &j, err);
	else
		rc = judgement_write_fd(&j, STDOUT_FILENO, true, err);
	return rc < 0 ? EXIT_ERROR : EXIT_COMPLIANT;
}
