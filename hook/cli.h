/* SPDX-License-Identifier: Apache-2.0 */
/* What the command front ends share: exit codes, common options, input. */
#ifndef OH_CLI_H
#define OH_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "policy.h"

enum exit_code {
	EXIT_COMPLIANT = 0,   /* compliant, admitted, success */
	EXIT_REFUSED = 1,     /* not compliant, refused */
	EXIT_ERROR = 2,       /* usage, unreadable or invalid input, invalid policy */
};

/* Long-option codes of the options every command takes. */
enum {
	OPT_POLICY = 1000,
	OPT_SECCOMP_PROFILE,
	OPT_HOST_FACTS,
	OPT_FORMAT,
	OPT_IN_PLACE,
	OPT_HELP,
	OPT_REFUSAL,
};

struct common_opts {
	const char *policy;
	const char *seccomp_profile;
	const char *host_facts;
};

#define COMMON_LONG_OPTS                                                   \
	{ "policy", required_argument, NULL, OPT_POLICY },                 \
	{ "seccomp-profile", required_argument, NULL, OPT_SECCOMP_PROFILE }, \
	{ "host-facts", required_argument, NULL, OPT_HOST_FACTS },         \
	{ "help", no_argument, NULL, 'h' }

/* Takes a common option; false if opt is not one. */
bool cli_common_opt(int opt, const char *arg, struct common_opts *o);

/* Applies --host-facts, loads the policy, applies --seccomp-profile. */
int cli_setup(const struct common_opts *o, struct policy **p,
	      struct oh_error *err);

/*
 * Reads the config a user named: a bundle directory (its config.json,
 * opened without following a symlink), a file, or "-" for stdin.
 */
int cli_read_config(const char *path, char **buf, size_t *len, bool *bundle,
		    struct oh_error *err);

void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints the usage line for a command and returns EXIT_ERROR. */
int cli_usage_error(const char *usage, const char *why);

int cmd_check(int argc, char **argv);
int cmd_fix(int argc, char **argv);
int cmd_rules(int argc, char **argv);
int cmd_hook(int argc, char **argv);
int cmd_profile(int argc, char **argv);
int cmd_test(int argc, char **argv);
int cmd_inspect(int argc, char **argv);
int cmd_host(int argc, char **argv);
int runtime_main(int argc, char **argv);

#endif
