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
#include "harden.h"
#include "report.h"
#include "util.h"

static const char usage[] =
	"oci-harden fix [--policy FILE] [--seccomp-profile FILE] "
	"[-o OUT | --in-place] PATH";

int cmd_fix(int argc, char **argv)
{
	static const struct option longopts[] = {
		COMMON_LONG_OPTS,
		{ "output", required_argument, NULL, 'o' },
		{ "in-place", no_argument, NULL, OPT_IN_PLACE },
		{ NULL, 0, NULL, 0 },
	};
	struct common_opts o = { 0 };
	const char *out = NULL;
	bool in_place = false, bundle;
	struct oh_error err = { 0 };
	struct policy *p = NULL;
	struct harden h;
	char *buf;
	size_t len;
	int opt, rc;

	while ((opt = getopt_long(argc, argv, "ho:", longopts, NULL)) != -1) {
		if (cli_common_opt(opt, optarg, &o))
			continue;
		switch (opt) {
		case 'o': out = optarg; break;
		case OPT_IN_PLACE: in_place = true; break;
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

	if (cli_setup(&o, &p, &err) < 0 ||
	    cli_read_config(path, &buf, &len, &bundle, &err) < 0) {
		cli_error("%s", err.msg);
		policy_free(p);
		return EXIT_ERROR;
	}
	rc = harden_run(&h, buf, len, path, p, NULL, &err);
	if (rc < 0) {
		cli_error("%s", err.msg);
		policy_free(p);
		return EXIT_ERROR;
	}
	report_text_findings(stderr, path, &h.d, ACT_WARN, h.d.verdict == V_FIXABLE);
	if (h.d.verdict == V_DENIED) {
		fprintf(stderr, "%s: denied: nothing written\n", path);
		harden_free(&h);
		policy_free(p);
		return EXIT_REFUSED;
	}

	if (in_place) {
		if (h.d.verdict == V_COMPLIANT) {
			rc = 0;   /* nothing to change: leave the file as it is */
		} else if (bundle) {
			cleanup_close int dfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
			rc = dfd < 0 ? oh_err(&err, errno, "%s", path)
				     : oh_write_atomic_at(dfd, path, "config.json",
							  harden_produce, &h, &err);
		} else {
			rc = oh_write_atomic(path, harden_produce, &h, &err);
		}
	} else if (out != NULL && strcmp(out, "-") != 0) {
		rc = oh_write_atomic(out, harden_produce, &h, &err);
	} else {
		rc = harden_produce(STDOUT_FILENO, &h, &err);
	}
	harden_free(&h);
	policy_free(p);
	if (rc < 0) {
		cli_error("%s", err.msg);
		return EXIT_ERROR;
	}
	return EXIT_COMPLIANT;
}
