/* SPDX-License-Identifier: Apache-2.0 */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "host.h"
#include "util.h"

static const struct cli_opt common[] = {
	{ "policy", 0, true, OPT_POLICY },
	{ "seccomp-profile", 0, true, OPT_SECCOMP_PROFILE },
	{ "host-facts", 0, true, OPT_HOST_FACTS },
	{ "help", 'h', false, OPT_HELP },
};
#define NCOMMON (sizeof(common) / sizeof(common[0]))

int cli_parse(int argc, char **argv, const char *usage,
	      const struct cli_opt *opts, struct common_opts *c,
	      cli_opt_fn fn, void *ctx)
{
	size_t n = 0;

	while (opts != NULL && opts[n].name != NULL)
		n++;
	cleanup_free struct option *lo = xcalloc(NCOMMON + n + 1, sizeof(*lo));
	cleanup_free char *shorts = xcalloc(2 * (NCOMMON + n) + 2, 1);
	size_t ns = 0;
	for (size_t i = 0; i < NCOMMON + n; i++) {
		const struct cli_opt *o = i < NCOMMON ? &common[i] : &opts[i - NCOMMON];
		lo[i] = (struct option){ o->name, o->value ? required_argument : no_argument,
					 NULL, o->code };
		if (o->shrt) {
			shorts[ns++] = (char)o->shrt;
			if (o->value)
				shorts[ns++] = ':';
		}
	}
	/* Letters are looked up by their code below. */
	optind = 1;
	opterr = 1;
	for (int opt; (opt = getopt_long(argc, argv, shorts, lo, NULL)) != -1;) {
		const char *why = NULL;
		int code = opt;
		for (size_t i = 0; i < NCOMMON + n; i++) {
			const struct cli_opt *o = i < NCOMMON ? &common[i] : &opts[i - NCOMMON];
			if (o->shrt && o->shrt == opt)
				code = o->code;
		}
		switch (code) {
		case OPT_POLICY: c->policy = optarg; break;
		case OPT_SECCOMP_PROFILE: c->seccomp_profile = optarg; break;
		case OPT_HOST_FACTS: c->host_facts = optarg; break;
		case OPT_HELP:
			printf("usage: %s\n", usage);
			return CLI_HELP;
		case '?':
			cli_usage_error(usage, NULL);
			return CLI_USAGE;
		default:
			why = fn != NULL ? fn(ctx, code, optarg) : "unknown option";
			if (why != NULL) {
				cli_usage_error(usage, why);
				return CLI_USAGE;
			}
		}
	}
	return optind;
}

int cli_parse_exit(int r)
{
	return r == CLI_HELP ? EXIT_COMPLIANT : EXIT_ERROR;
}

int cli_setup(const struct common_opts *o, struct policy **p,
	      struct oh_error *err)
{
	if (o->host_facts != NULL && host_facts_load(o->host_facts, err) < 0)
		return oh_err_wrap(err, "--host-facts");
	if (policy_load(o->policy, p, err) < 0)
		return -1;
	if (o->seccomp_profile != NULL) {
		free((*p)->seccomp_profile);
		(*p)->seccomp_profile = xstrdup(o->seccomp_profile);
	}
	return 0;
}

int cli_read_config(const char *path, char **buf, size_t *len, bool *bundle,
		    struct oh_error *err)
{
	struct stat st;

	*bundle = false;
	if (strcmp(path, "-") == 0)
		return oh_read_fd(STDIN_FILENO, "<stdin>", OH_MAX_INPUT, buf, len, err);
	if (stat(path, &st) < 0)
		return oh_err(err, errno, "%s", path);
	if (S_ISDIR(st.st_mode)) {
		cleanup_close int dfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dfd < 0)
			return oh_err(err, errno, "%s: cannot open the bundle", path);
		*bundle = true;
		return oh_read_bundle_config(dfd, path, OH_MAX_INPUT, buf, len, err);
	}
	return oh_read_file(path, OH_MAX_INPUT, buf, len, err);
}

void cli_error(const char *fmt, ...)
{
	va_list ap;

	fputs("oci-harden: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int cli_usage_error(const char *usage, const char *why)
{
	if (why != NULL)
		cli_error("%s", why);
	fprintf(stderr, "usage: %s\n", usage);
	return EXIT_ERROR;
}
