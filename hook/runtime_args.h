/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The real runtime's command line, read the way that runtime reads it.
 *
 * A wrapper that reads fewer spellings than the runtime fails open: runc
 * 1.1 (urfave/cli v1 over Go's flag package) takes one or two dashes for
 * every flag name and alias, `=value` or the next argument, and moves the
 * flags of create, run and restore ahead of the container id; crun 1.8
 * (argp) takes long options with `=` or a space, unambiguous prefixes of
 * them and clustered short options.  The tables in runtime_args.c list
 * every global and per-command option of runc 1.1.5 and crun 1.8.1.
 */
#ifndef OH_RUNTIME_ARGS_H
#define OH_RUNTIME_ARGS_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

enum rt_dialect { RT_RUNC, RT_CRUN };

/* What an option means to the wrapper. */
enum rt_key {
	K_OTHER,       /* passed on as it is */
	K_ROOT, K_LOG, K_LOG_FORMAT,
	K_HELP, K_VERSION,
	K_BUNDLE, K_CONFIG,
	K_RESOURCES,   /* update -r: the resources document */
	K_NO_PIVOT,    /* create, run, restore: --no-pivot */
	K_CGROUP,      /* exec --cgroup: a sub-cgroup of the container's */
	/* exec: the options that shape the new process */
	K_PROCESS, K_CAP, K_APPARMOR, K_CWD, K_USER, K_ENV, K_TTY, K_NNP,
	K_LABEL, K_GIDS,
};

/* Option flags. */
#define RT_VALUE    1u   /* takes a value */
#define RT_OPTIONAL 2u   /* argp: a value only when attached (-tX, --tty=X) */
#define RT_LIST     4u   /* repeatable; the values accumulate */
#define RT_JSON_NUMBER 8u /* crun update: copied unquoted into a JSON document */

struct rt_optdef {
	const char *name;    /* long name (runc: the first of urfave's names) */
	const char *alias;   /* runc: the second name ("b" of "bundle, b") */
	char shrt;           /* crun: the short option, or 0 */
	unsigned flags;
	enum rt_key key;
};

/* One option as given on the command line. */
struct rt_occ {
	const struct rt_optdef *def;
	const char *value;   /* NULL for a flag given without a value */
	int index;           /* argv index where it starts */
};

struct rt_args {
	enum rt_dialect dialect;
	const char *command;    /* the subcommand, or NULL */
	int cmd_index;          /* argv index of the subcommand, or -1 */
	/* true for create, run, exec, restore and update: what the wrapper judges */
	bool judged;
	bool help;              /* a help or version option: nothing runs */
	const char *root, *log, *log_format;
	const char *bundle;     /* NULL: the working directory */
	const char *config;     /* crun --config, or NULL */
	const char *resources;  /* update --resources, or NULL */
	bool no_pivot;          /* --no-pivot given (and true) */
	const char *id;
	int id_index;
	/* exec */
	const char *process, *apparmor, *cwd, *user, *label;
	int tty, nnp;           /* -1 not given, else 0 or 1 */
	const char **caps, **env, **gids;
	size_t ncaps, nenv, ngids;
	int args_index;         /* argv index of the command after the id */
	/* the subcommand's options, in order */
	struct rt_occ *opts;
	size_t nopts;
};

/* The dialect of a runtime from its file name (runc..., crun...): false
 * for any other name, whose command line the wrapper cannot read with
 * certainty (the policy's runtime.dialect then says). */
bool rt_dialect_of(const char *runtime_path, enum rt_dialect *d);

/*
 * The state root the runtime uses when its command line names none, as the
 * runtime decides it from the environment (malloc'd).  runc 1.1:
 * /run/runc, or $XDG_RUNTIME_DIR/runc for a non-root euid and for euid 0
 * in a user namespace unless $USER is root; crun 1.8: $XDG_RUNTIME_DIR/crun
 * whenever it is set, as root too, else /run/crun.
 */
char *rt_default_root(enum rt_dialect d);

/*
 * Parses argv as the runtime would.  On create, run, exec and restore any
 * argument the parse cannot classify with certainty is an error naming it;
 * for the other commands only the global options must parse.
 */
int rt_args_parse(enum rt_dialect d, int argc, char **argv, struct rt_args *a,
		  struct oh_error *err);
void rt_args_free(struct rt_args *a);

/* Whether the option shapes the exec'd process (folded into --process). */
bool rt_key_shapes_process(enum rt_key k);

/* The option tables, for documentation and tests: NULL-name terminated. */
const struct rt_optdef *rt_global_options(enum rt_dialect d);
const struct rt_optdef *rt_command_options(enum rt_dialect d, const char *cmd);

#endif
