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
	OPT_NO_ROOTFS_SCAN,
};

struct common_opts {
	const char *policy;
	const char *seccomp_profile;
	const char *host_facts;
};

/* A command's own option: long name, short letter (or 0), whether it
 * takes a value, and the code its handler receives.  Lists end with a
 * zero entry. */
struct cli_opt {
	const char *name;
	int shrt;
	bool value;
	int code;
};

/* Takes one of a command's options; returns NULL, or why the value is
 * wrong (a usage error). */
typedef const char *(*cli_opt_fn)(void *ctx, int code, const char *value);

enum { CLI_USAGE = -1, CLI_HELP = -2 };

/*
 * The one option driver: parses the common options (--policy,
 * --seccomp-profile, --host-facts, --help) into *common and the command's
 * own through fn.  Returns the index of the first operand, CLI_HELP after
 * printing the usage on stdout, or CLI_USAGE after printing a usage error.
 */
int cli_parse(int argc, char **argv, const char *usage,
	      const struct cli_opt *opts, struct common_opts *common,
	      cli_opt_fn fn, void *ctx);
/* The exit status for CLI_USAGE or CLI_HELP. */
int cli_parse_exit(int r);

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

/*
 * The commands.  Each returns its exit status; when it fails with an error
 * that ends it, it fills err and main prints it ("oci-harden: MESSAGE").
 */
int cmd_check(int argc, char **argv, struct oh_error *err);
int cmd_fix(int argc, char **argv, struct oh_error *err);
int cmd_rules(int argc, char **argv, struct oh_error *err);
int cmd_hook(int argc, char **argv, struct oh_error *err);
int cmd_profile(int argc, char **argv, struct oh_error *err);
int cmd_test(int argc, char **argv, struct oh_error *err);
int cmd_inspect(int argc, char **argv, struct oh_error *err);
int cmd_setup(int argc, char **argv, struct oh_error *err);
int cmd_host(int argc, char **argv, struct oh_error *err);
int runtime_main(int argc, char **argv);
/* profile learn (cmd_learn.c) */
int profile_learn(int argc, char **argv, struct oh_error *err);
/* profile denials (cmd_denials.c) */
int profile_denials(int argc, char **argv, struct oh_error *err);

#endif
