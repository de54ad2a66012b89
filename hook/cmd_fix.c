/* SPDX-License-Identifier: Apache-2.0 */
/* oci-harden fix: write the hardened config, or refuse. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
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

int cmd_fix(int argc, char **argv)
{
	static const struct option longopts[] = {
		COMMON_LONG_OPTS,
		{ "output", required_argument, NULL, 'o' },
		{ "in-place", no_argument, NULL, OPT_IN_PLACE },
		{ "no-rootfs-scan", no_argument, NULL, OPT_NO_ROOTFS_SCAN },
		{ NULL, 0, NULL, 0 },
	};
	struct common_opts o = { 0 };
	const char *out = NULL;
	bool in_place = false, scan = true;
	struct oh_error err = { 0 };
	struct policy *p = NULL;
	int opt, rc;

	while ((opt = getopt_long(argc, argv, "ho:", longopts, NULL)) != -1) {
		if (cli_common_opt(opt, optarg, &o))
			continue;
		switch (opt) {
		case 'o': out = optarg; break;
		case OPT_IN_PLACE: in_place = true; break;
		case OPT_NO_ROOTFS_SCAN: scan = false; break;
		case 'h':
			printf("usage: %s\n", usage);
			return EXIT_COMPLIANT;
		default:
			return cli_usage_error(usage, NULL);
		}
	}
	if (optind != argc - 1)
		return cli_usage_error(usage, "fix takes exactly one PATH");
	const char *path = argv[optind];
	if (out != NULL && in_place)
		return cli_usage_error(usage, "-o and --in-place exclude each other");
	if (in_place && strcmp(path, "-") == 0)
		return cli_usage_error(usage, "--in-place needs a file or bundle, not stdin");

	if (cli_setup(&o, &p, &err) < 0) {
		cli_error("%s", err.msg);
		return EXIT_ERROR;
	}
	/* The same judgement as check's: the profile compiled, the rootfs of
	 * a bundle walked, so fix refuses whatever check denies. */
	struct pipeline_input in = PIPELINE_INPUT_INIT;
	struct pipeline_opts po = { .on = CTX_CONFIG, .compile_check = true,
				    .scan = scan ? SCAN_ALWAYS : SCAN_NEVER, .fix = true };
	cleanup_judgement struct judgement j;
	in.path = path;
	rc = pipeline_run(&in, &po, p, &j, &err);
	policy_free(p);
	if (rc < 0) {
		cli_error("%s", err.msg);
		return EXIT_ERROR;
	}
	outcome_print_findings(stderr, path, &j.d, ACT_WARN, j.fixed);
	if (j.d.verdict == V_DENIED) {
		fprintf(stderr, "%s: denied: nothing written\n", path);
		return EXIT_REFUSED;
	}

	if (in_place)
		/* Nothing to change: leave the file as it is. */
		rc = j.fixed ? judgement_write_back(&j, path, &err) : 0;
	else if (out != NULL && strcmp(out, "-") != 0)
		rc = oh_write_atomic(out, judgement_produce, &j, &err);
	else
		rc = judgement_write_fd(&j, STDOUT_FILENO, true, &err);
	if (rc < 0) {
		cli_error("%s", err.msg);
		return EXIT_ERROR;
	}
	return EXIT_COMPLIANT;
}
