/* SPDX-License-Identifier: Apache-2.0 */
/* oci-harden profile learn: the recorder that learns a container's profile. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "learn.h"
#include "ohseccomp.h"
#include "util.h"

static const char usage[] =
	"oci-harden profile learn [--policy FILE] [--socket PATH] [--keep-running] OUTPUT";

enum { OPT_SOCKET = 3000, OPT_KEEP };

struct learn_cli {
	const char *socket;
	bool keep;
};

static const char *option(void *ctx, int code, const char *value)
{
	struct learn_cli *l = ctx;

	if (code == OPT_SOCKET)
		l->socket = value;
	else
		l->keep = true;
	return NULL;
}

int profile_learn(int argc, char **argv, struct oh_error *err)
{
	static const struct cli_opt opts[] = {
		{ "socket", 0, true, OPT_SOCKET },
		{ "keep-running", 0, false, OPT_KEEP },
		{ 0 },
	};
	struct common_opts o = { 0 };
	struct learn_cli l = { 0 };
	cleanup_policy struct policy *p = NULL;
	struct profile *base = NULL;
	int first = cli_parse(argc, argv, usage, opts, &o, option, &l);

	if (first < 0)
		return cli_parse_exit(first);
	if (first != argc - 1)
		return cli_usage_error(usage, "profile learn writes one OUTPUT profile");
	if (cli_setup(&o, &p, err) < 0)
		return EXIT_ERROR;
	const char *socket = l.socket ? l.socket : p->learn_socket;
	if (socket == NULL) {
		oh_err(err, 0, "no socket to listen on: give --socket, or seccomp.learn in the "
		       "policy (%s)", p->source);
		return EXIT_ERROR;
	}
	/* What the container runs under while learning, cut to what it used. */
	if (profile_load(p->seccomp_profile, &base, err) < 0)
		return EXIT_ERROR;
	struct learn_opts lo = { .socket = socket, .output = argv[first], .base = base,
				 .once = !l.keep };
	int rc = learn_record(&lo, err);
	profile_free(base);
	return rc < 0 ? EXIT_ERROR : EXIT_COMPLIANT;
}
