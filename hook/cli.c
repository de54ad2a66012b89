/* SPDX-License-Identifier: Apache-2.0 */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "host.h"
#include "util.h"

bool cli_common_opt(int opt, const char *arg, struct common_opts *o)
{
	switch (opt) {
	case OPT_POLICY: o->policy = arg; return true;
	case OPT_SECCOMP_PROFILE: o->seccomp_profile = arg; return true;
	case OPT_HOST_FACTS: o->host_facts = arg; return true;
	default: return false;
	}
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
