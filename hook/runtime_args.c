/* SPDX-License-Identifier: Apache-2.0 */
/*
 * runc's and crun's command-line grammars (runtime_args.h).  The tables were
 * taken from `runc --help`, `runc CMD --help` (runc 1.1.5, urfave/cli
 * v1.22.6 or later) and from crun 1.8.1's argp_option arrays (src/crun.c, create.c,
 * run.c, exec.c), with the options urfave and argp add themselves.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runtime_args.h"
#include "host.h"
#include "util.h"

#define END { NULL, NULL, 0, 0, K_OTHER }
#define V RT_VALUE
#define L (RT_VALUE | RT_LIST)
#define N (RT_VALUE | RT_JSON_NUMBER)

/* ---- runc 1.1.5: every name works with one or two dashes ---- */

static const struct rt_optdef runc_global[] = {
	{ "debug", NULL, 0, 0, K_OTHER },
	{ "log", NULL, 0, V, K_LOG },
	{ "log-format", NULL, 0, V, K_LOG_FORMAT },
	{ "root", NULL, 0, V, K_ROOT },
	{ "criu", NULL, 0, V, K_OTHER },
	{ "systemd-cgroup", NULL, 0, 0, K_OTHER },
	{ "rootless", NULL, 0, V, K_OTHER },
	{ "help", "h", 0, 0, K_HELP },
	{ "version", "v", 0, 0, K_VERSION },
	END
};

static const struct rt_optdef runc_create[] = {
	{ "bundle", "b", 0, V, K_BUNDLE },
	{ "console-socket", NULL, 0, V, K_OTHER },
	{ "pid-file", NULL, 0, V, K_OTHER },
	{ "no-pivot", NULL, 0, 0, K_NO_PIVOT },
	{ "no-new-keyring", NULL, 0, 0, K_OTHER },
	{ "preserve-fds", NULL, 0, V, K_OTHER },
	{ "help", "h", 0, 0, K_HELP },
	END
};

static const struct rt_optdef runc_run[] = {
	{ "bundle", "b", 0, V, K_BUNDLE },
	{ "console-socket", NULL, 0, V, K_OTHER },
	{ "detach", "d", 0, 0, K_OTHER },
	{ "keep", NULL, 0, 0, K_OTHER },
	{ "pid-file", NULL, 0, V, K_OTHER },
	{ "no-subreaper", NULL, 0, 0, K_OTHER },
	{ "no-pivot", NULL, 0, 0, K_NO_PIVOT },
	{ "no-new-keyring", NULL, 0, 0, K_OTHER },
	{ "preserve-fds", NULL, 0, V, K_OTHER },
	{ "help", "h", 0, 0, K_HELP },
	END
};

static const struct rt_optdef runc_exec[] = {
	{ "console-socket", NULL, 0, V, K_OTHER },
	{ "cwd", NULL, 0, V, K_CWD },
	{ "env", "e", 0, L, K_ENV },
	{ "tty", "t", 0, 0, K_TTY },
	{ "user", "u", 0, V, K_USER },
	{ "additional-gids", "g", 0, L, K_GIDS },
	{ "process", "p", 0, V, K_PROCESS },
	{ "detach", "d", 0, 0, K_OTHER },
	{ "pid-file", NULL, 0, V, K_OTHER },
	{ "process-label", NULL, 0, V, K_LABEL },
	{ "apparmor", NULL, 0, V, K_APPARMOR },
	{ "no-new-privs", NULL, 0, 0, K_NNP },
	{ "cap", "c", 0, L, K_CAP },
	{ "preserve-fds", NULL, 0, V, K_OTHER },
	{ "cgroup", NULL, 0, L, K_CGROUP },
	{ "ignore-paused", NULL, 0, 0, K_OTHER },
	{ "help", "h", 0, 0, K_HELP },
	END
};

static const struct rt_optdef runc_restore[] = {
	{ "console-socket", NULL, 0, V, K_OTHER },
	{ "image-path", NULL, 0, V, K_OTHER },
	{ "work-path", NULL, 0, V, K_OTHER },
	{ "tcp-established", NULL, 0, 0, K_OTHER },
	{ "ext-unix-sk", NULL, 0, 0, K_OTHER },
	{ "shell-job", NULL, 0, 0, K_OTHER },
	{ "file-locks", NULL, 0, 0, K_OTHER },
	{ "manage-cgroups-mode", NULL, 0, V, K_OTHER },
	{ "bundle", "b", 0, V, K_BUNDLE },
	{ "detach", "d", 0, 0, K_OTHER },
	{ "pid-file", NULL, 0, V, K_OTHER },
	{ "no-subreaper", NULL, 0, 0, K_OTHER },
	{ "no-pivot", NULL, 0, 0, K_NO_PIVOT },
	{ "empty-ns", NULL, 0, L, K_OTHER },
	{ "auto-dedup", NULL, 0, 0, K_OTHER },
	{ "lazy-pages", NULL, 0, 0, K_OTHER },
	{ "lsm-profile", NULL, 0, V, K_OTHER },
	{ "lsm-mount-context", NULL, 0, V, K_OTHER },
	{ "help", "h", 0, 0, K_HELP },
	END
};

static const struct rt_optdef runc_update[] = {
	{ "resources", "r", 0, V, K_RESOURCES },
	{ "blkio-weight", NULL, 0, V, K_OTHER },
	{ "cpu-period", NULL, 0, V, K_OTHER },
	{ "cpu-quota", NULL, 0, V, K_OTHER },
	{ "cpu-share", NULL, 0, V, K_OTHER },
	{ "cpu-rt-period", NULL, 0, V, K_OTHER },
	{ "cpu-rt-runtime", NULL, 0, V, K_OTHER },
	{ "cpuset-cpus", NULL, 0, V, K_OTHER },
	{ "cpuset-mems", NULL, 0, V, K_OTHER },
	{ "kernel-memory", NULL, 0, V, K_OTHER },
	{ "kernel-memory-tcp", NULL, 0, V, K_OTHER },
	{ "memory", NULL, 0, V, K_OTHER },
	{ "memory-reservation", NULL, 0, V, K_OTHER },
	{ "memory-swap", NULL, 0, V, K_OTHER },
	{ "pids-limit", NULL, 0, V, K_OTHER },
	{ "l3-cache-schema", NULL, 0, V, K_OTHER },
	{ "mem-bw-schema", NULL, 0, V, K_OTHER },
	{ "help", "h", 0, 0, K_HELP },
	END
};

static const char *const runc_commands[] = {
	"checkpoint", "create", "delete", "events", "exec", "kill", "list",
	"pause", "ps", "restore", "resume", "run", "spec", "start", "state",
	"update", "features", "help", "h", NULL,
};

/* ---- crun 1.8.1: argp, with its own --help, --usage and hidden options ---- */

#define ARGP_DEFAULTS \
	{ "help", NULL, '?', 0, K_HELP }, \
	{ "usage", NULL, 0, 0, K_HELP }, \
	{ "program-name", NULL, 0, V, K_OTHER }, \
	{ "HANG", NULL, 0, RT_OPTIONAL, K_OTHER }

static const struct rt_optdef crun_global[] = {
	{ "debug", NULL, 0, 0, K_OTHER },
	{ "cgroup-manager", NULL, 0, V, K_OTHER },
	{ "systemd-cgroup", NULL, 0, 0, K_OTHER },
	{ "log", NULL, 0, V, K_LOG },
	{ "log-format", NULL, 0, V, K_LOG_FORMAT },
	{ "root", NULL, 0, V, K_ROOT },
	/* crun 1.8.1 gives --rootless the key of --root: its value is the root. */
	{ "rootless", NULL, 0, V, K_ROOT },
	{ "version", NULL, 'v', 0, K_VERSION },
	{ NULL, NULL, 'V', 0, K_VERSION },
	ARGP_DEFAULTS,
	END
};

static const struct rt_optdef crun_create[] = {
	{ "bundle", NULL, 'b', V, K_BUNDLE },
	{ "config", NULL, 'f', V, K_CONFIG },
	{ "console-socket", NULL, 0, V, K_OTHER },
	{ "preserve-fds", NULL, 0, V, K_OTHER },
	{ "no-pivot", NULL, 0, 0, K_NO_PIVOT },
	{ "pid-file", NULL, 0, V, K_OTHER },
	{ "no-subreaper", NULL, 0, 0, K_OTHER },
	{ "no-new-keyring", NULL, 0, 0, K_OTHER },
	ARGP_DEFAULTS,
	END
};

static const struct rt_optdef crun_run[] = {
	{ "bundle", NULL, 'b', V, K_BUNDLE },
	{ "config", NULL, 'f', V, K_CONFIG },
	{ "detach", NULL, 'd', 0, K_OTHER },
	{ "console-socket", NULL, 0, V, K_OTHER },
	{ "preserve-fds", NULL, 0, V, K_OTHER },
	{ "pid-file", NULL, 0, V, K_OTHER },
	{ "no-subreaper", NULL, 0, 0, K_OTHER },
	{ "no-new-keyring", NULL, 0, 0, K_OTHER },
	{ "no-pivot", NULL, 0, 0, K_NO_PIVOT },
	ARGP_DEFAULTS,
	END
};

static const struct rt_optdef crun_exec[] = {
	{ "console-socket", NULL, 0, V, K_OTHER },
	{ "tty", NULL, 't', RT_OPTIONAL, K_TTY },
	{ "process", NULL, 'p', V, K_PROCESS },
	{ "cwd", NULL, 0, V, K_CWD },
	{ "cgroup", NULL, 0, V, K_CGROUP },
	{ "detach", NULL, 'd', 0, K_OTHER },
	{ "user", NULL, 'u', V, K_USER },
	{ "env", NULL, 'e', L, K_ENV },
	{ "cap", NULL, 'c', L, K_CAP },
	{ "pid-file", NULL, 0, V, K_OTHER },
	{ "preserve-fds", NULL, 0, V, K_OTHER },
	{ "no-new-privs", NULL, 0, 0, K_NNP },
	{ "process-label", NULL, 0, V, K_LABEL },
	{ "apparmor", NULL, 0, V, K_APPARMOR },
	ARGP_DEFAULTS,
	END
};

/*
 * crun 1.8 builds a resources document from these flags and writes every
 * value but cpuset-cpus' and -mems' into it unquoted, as a JSON number
 * (src/update.c, yajl_gen_number): N marks them, for the wrapper to take
 * only integers there.
 */
static const struct rt_optdef crun_update[] = {
	{ "blkio-weight", NULL, 0, N, K_OTHER },
	{ "cpu-period", NULL, 0, N, K_OTHER },
	{ "cpu-quota", NULL, 0, N, K_OTHER },
	{ "cpu-rt-period", NULL, 0, N, K_OTHER },
	{ "cpu-rt-runtime", NULL, 0, N, K_OTHER },
	{ "cpu-share", NULL, 0, N, K_OTHER },
	{ "cpuset-cpus", NULL, 0, V, K_OTHER },
	{ "cpuset-mems", NULL, 0, V, K_OTHER },
	{ "kernel-memory", NULL, 0, N, K_OTHER },
	{ "kernel-memory-tcp", NULL, 0, N, K_OTHER },
	{ "memory", NULL, 0, N, K_OTHER },
	{ "memory-reservation", NULL, 0, N, K_OTHER },
	{ "memory-swap", NULL, 0, N, K_OTHER },
	{ "pids-limit", NULL, 0, N, K_OTHER },
	{ "resources", NULL, 'r', V, K_RESOURCES },
	ARGP_DEFAULTS,
	END
};

static const char *const crun_commands[] = {
	"create", "delete", "exec", "list", "kill", "ps", "run", "spec",
	"start", "state", "update", "pause", "resume", "checkpoint", "restore",
	NULL,
};

#undef V
#undef L

static bool is_end(const struct rt_optdef *o)
{
	return o->name == NULL && o->shrt == 0;
}

const struct rt_optdef *rt_global_options(enum rt_dialect d)
{
	return d == RT_CRUN ? crun_global : runc_global;
}

const struct rt_optdef *rt_command_options(enum rt_dialect d, const char *cmd)
{
	static const struct { const char *cmd; const struct rt_optdef *runc, *crun; } t[] = {
		{ "create", runc_create, crun_create },
		{ "run", runc_run, crun_run },
		{ "exec", runc_exec, crun_exec },
		/* crun 1.8 is built here without CRIU: no restore table. */
		{ "restore", runc_restore, NULL },
		{ "update", runc_update, crun_update },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (strcmp(cmd, t[i].cmd) == 0)
			return d == RT_CRUN ? t[i].crun : t[i].runc;
	return NULL;
}

bool rt_key_shapes_process(enum rt_key k)
{
	return k >= K_PROCESS;
}

bool rt_dialect_of(const char *runtime_path, enum rt_dialect *d)
{
	const char *b = strrchr(runtime_path, '/');

	b = b ? b + 1 : runtime_path;
	if (strncmp(b, "crun", 4) == 0)
		*d = RT_CRUN;
	else if (strncmp(b, "runc", 4) == 0)
		*d = RT_RUNC;
	else
		return false;
	return true;
}

char *rt_default_root(enum rt_dialect d)
{
	const char *xdg = getenv("XDG_RUNTIME_DIR");
	bool have = xdg != NULL && xdg[0] != '\0';

	if (d == RT_CRUN)
		return have ? oh_path_join(xdg, "crun") : xstrdup("/run/crun");
	if (have && geteuid() != 0)
		return oh_path_join(xdg, "runc");
	if (have && host_in_user_ns() == 1) {
		const char *user = getenv("USER");
		if (user == NULL || strcmp(user, "root") != 0)
			return oh_path_join(xdg, "runc");
	}
	return xstrdup("/run/runc");
}

static bool in_list(const char *const *list, const char *s)
{
	for (; *list; list++)
		if (strcmp(*list, s) == 0)
			return true;
	return false;
}

/* Records an option; returns -1 (err set) on a value the wrapper refuses. */
static int record(struct rt_args *a, bool global, const struct rt_optdef *o,
		  const char *value, int index, const char *arg,
		  struct oh_error *err)
{
	bool on = true;

	if (!(o->flags & (RT_VALUE | RT_OPTIONAL)) && value != NULL) {
		/* Go's strconv.ParseBool; argp never gets here with a value. */
		static const char *const yes[] = { "1", "t", "T", "TRUE", "true", "True", NULL };
		static const char *const no[] = { "0", "f", "F", "FALSE", "false", "False", NULL };
		if (in_list(yes, value))
			on = true;
		else if (in_list(no, value))
			on = false;
		else
			return oh_err(err, 0, "argument %s: not a boolean value", arg);
	}
	if (!global) {
		struct rt_occ *x = &a->opts[a->nopts++];
		x->def = o;
		x->value = value;
		x->index = index;
	}
	switch (o->key) {
	case K_ROOT: a->root = value; break;
	case K_LOG: a->log = value; break;
	case K_LOG_FORMAT: a->log_format = value; break;
	case K_HELP: case K_VERSION: if (on) a->help = true; break;
	case K_BUNDLE: a->bundle = value; break;
	case K_CONFIG: a->config = value; break;
	case K_RESOURCES: a->resources = value; break;
	case K_NO_PIVOT: a->no_pivot = on; break;
	case K_CGROUP: break;
	case K_PROCESS: a->process = value; break;
	case K_APPARMOR: a->apparmor = value; break;
	case K_CWD: a->cwd = value; break;
	case K_USER: a->user = value; break;
	case K_LABEL: a->label = value; break;
	case K_CAP: a->caps[a->ncaps++] = value; break;
	case K_ENV: a->env[a->nenv++] = value; break;
	case K_GIDS: a->gids[a->ngids++] = value; break;
	case K_NNP: a->nnp = on; break;
	case K_TTY:
		if (a->dialect == RT_CRUN)
			/* crun: -t alone, or any value but "false" and "no" */
			on = value == NULL || (strcmp(value, "false") != 0 &&
					       strcmp(value, "no") != 0);
		a->tty = on;
		break;
	case K_OTHER: break;
	}
	return 0;
}

/* ---- Go's flag package, as urfave/cli v1.22.6+ drives it ---- */

static const struct rt_optdef *go_lookup(const struct rt_optdef *t, const char *name,
					 size_t n)
{
	for (; !is_end(t); t++)
		if ((strlen(t->name) == n && strncmp(t->name, name, n) == 0) ||
		    (t->alias && strlen(t->alias) == n && strncmp(t->alias, name, n) == 0))
			return t;
	return NULL;
}

/*
 * flag.FlagSet.Parse over args[0..n): idx[] maps each back to argv.  Returns
 * the position of the first argument left (after a "--" it consumed).
 */
static int go_parse(struct rt_args *a, bool global, const struct rt_optdef *t,
		    char **args, const int *idx, int n, struct oh_error *err)
{
	/* urfave refuses two forms of one flag ("-b X --bundle Y"). */
	bool seen_name[64] = { false }, seen_alias[64] = { false };
	int i = 0;

	while (i < n) {
		const char *s = args[i];
		size_t minus = 1;
		if (strlen(s) < 2 || s[0] != '-')
			break;
		if (s[1] == '-') {
			minus = 2;
			if (s[2] == '\0')
				return i + 1;
		}
		const char *name = s + minus;
		if (name[0] == '\0' || name[0] == '-' || name[0] == '=')
			return oh_err(err, 0, "argument %s: bad flag syntax", s);
		const char *eq = strchr(name + 1, '=');
		size_t nlen = eq ? (size_t)(eq - name) : strlen(name);
		const struct rt_optdef *o = go_lookup(t, name, nlen);
		if (o == NULL)
			return oh_err(err, 0, "argument %s: not an option the runtime knows",
				      s);
		size_t k = (size_t)(o - t);
		bool by_alias = o->alias && strlen(o->alias) == nlen &&
				strncmp(o->alias, name, nlen) == 0;
		(by_alias ? seen_alias : seen_name)[k] = true;
		if (seen_alias[k] && seen_name[k])
			return oh_err(err, 0, "argument %s: two forms of the same flag", s);
		const char *value = eq ? eq + 1 : NULL;
		int at = idx[i++];
		if ((o->flags & RT_VALUE) && value == NULL) {
			if (i >= n)
				return oh_err(err, 0, "argument %s: needs a value", s);
			value = args[i++];
		}
		if (record(a, global, o, value, at, s, err) < 0)
			return -1;
	}
	return i;
}

/* urfave/cli's argIsFlag: one of the command's names, after up to three
 * leading dashes and before any "=" ("-" and "--" never are). */
static bool go_is_flag(const struct rt_optdef *t, const char *s)
{
	if (s[0] != '-' || strcmp(s, "-") == 0 || strcmp(s, "--") == 0)
		return false;
	s += s[1] == '-' ? 2 : 1;
	s += s[0] == '-';
	return go_lookup(t, s, strcspn(s, "=")) != NULL;
}

/*
 * urfave/cli v1.22.6 to v1.22.17's reorderArgs, which Debian's runc 1.1.5
 * is built with (it has argIsFlag): the command's own flags move ahead,
 * each with the argument after it when the flag has no "=" and that
 * argument is not one of the flags, "--" and "-" included, which become
 * values; a "--" that is no value ends the options and goes first among
 * the rest.  Anything else stays behind, in order.  The older rule
 * (v1.22.1: every argument with a dash moves, "--" always ends the
 * flags) let `run ID --pid-file -- -b=DIR` run bundle DIR while the
 * wrapper judged the working directory's.
 */
static void reorder(const struct rt_optdef *t, char **args, int *idx, int n,
		    char **out, int *oidx)
{
	int nf = 0, nn = 0, cut = n;
	bool read_value = false, dashes = false;
	int *rest = xcalloc((size_t)n + 1, sizeof(int));

	for (int i = 0; i < n; i++) {
		const char *s = args[i];
		bool flag = go_is_flag(t, s);
		if (read_value && !flag) {
			read_value = false;
			out[nf] = args[i];
			oidx[nf++] = idx[i];
		} else if (strcmp(s, "--") == 0) {
			dashes = true;
			cut = i + 1;
			break;
		} else if (flag) {
			out[nf] = args[i];
			oidx[nf++] = idx[i];
			read_value = strchr(s, '=') == NULL;
		} else {
			rest[nn++] = i;
		}
	}
	if (dashes) {
		out[nf] = args[cut - 1];
		oidx[nf++] = idx[cut - 1];
	}
	for (int j = 0; j < nn; j++) {
		out[nf + j] = args[rest[j]];
		oidx[nf + j] = idx[rest[j]];
	}
	nf += nn;
	for (int i = cut; i < n; i++) {
		out[nf] = args[i];
		oidx[nf++] = idx[i];
	}
	free(rest);
}

static int parse_runc(struct rt_args *a, int argc, char **argv, struct oh_error *err)
{
	int n = argc - 1;
	cleanup_free int *idx = xcalloc((size_t)argc + 1, sizeof(int));

	for (int i = 0; i < n; i++)
		idx[i] = i + 1;
	int used = go_parse(a, true, runc_global, argv + 1, idx, n, err);
	if (used < 0)
		return -1;
	if (a->help || used >= n)
		return 0;
	int ci = 1 + used;
	a->command = argv[ci];
	a->cmd_index = ci;
	if (!in_list(runc_commands, a->command))
		return 0;   /* runc prints its help and runs nothing */
	const struct rt_optdef *t = rt_command_options(RT_RUNC, a->command);
	if (t == NULL)
		return 0;
	a->judged = true;

	int m = argc - ci - 1;
	cleanup_free char **args = xcalloc((size_t)m + 1, sizeof(char *));
	cleanup_free int *aidx = xcalloc((size_t)m + 1, sizeof(int));
	for (int i = 0; i < m; i++)
		idx[i] = ci + 1 + i;
	if (strcmp(a->command, "exec") == 0) {
		/* exec sets SkipArgReorder: its command's arguments are its own. */
		memcpy(args, argv + ci + 1, (size_t)m * sizeof(char *));
		memcpy(aidx, idx, (size_t)m * sizeof(int));
	} else {
		reorder(t, argv + ci + 1, idx, m, args, aidx);
	}
	int p = go_parse(a, false, t, args, aidx, m, err);
	if (p < 0)
		return -1;
	if (a->help)
		return 0;
	int npos = m - p;
	if (strcmp(a->command, "exec") == 0) {
		if (npos < 1)
			return oh_err(err, 0, "exec: no container id");
		if (a->process == NULL && npos < 2)
			return oh_err(err, 0, "exec: no command to run");
		/* Without reordering the positionals are contiguous in argv. */
		a->id = args[p];
		a->id_index = aidx[p];
		a->args_index = aidx[p] + 1;
		return 0;
	}
	if (npos != 1)
		return oh_err(err, 0, "%s: needs exactly one container id, got %d "
			      "arguments after the options%s%s", a->command, npos,
			      npos > 1 ? ", starting at " : "", npos > 1 ? args[p] : "");
	a->id = args[p];
	a->id_index = aidx[p];
	return 0;
}

/* ---- glibc's argp over getopt_long, in order ---- */

static const struct rt_optdef *argp_long(const struct rt_optdef *t, const char *name,
					 size_t n, const char *arg, struct oh_error *err)
{
	const struct rt_optdef *found = NULL;

	for (const struct rt_optdef *o = t; !is_end(o); o++)
		if (o->name && strlen(o->name) == n && strncmp(o->name, name, n) == 0)
			return o;
	for (const struct rt_optdef *o = t; !is_end(o); o++) {
		if (o->name == NULL || strncmp(o->name, name, n) != 0)
			continue;
		/* getopt takes a prefix of two entries of one meaning (crun's
		 * --root and --rootless share a key) as that meaning. */
		if (found && (found->key != o->key || found->flags != o->flags ||
			      found->key == K_OTHER))
			return oh_err(err, 0, "argument %s: an ambiguous abbreviation", arg),
			       NULL;
		if (found == NULL)
			found = o;
	}
	if (found == NULL)
		oh_err(err, 0, "argument %s: not an option the runtime knows", arg);
	return found;
}

static const struct rt_optdef *argp_short(const struct rt_optdef *t, char c)
{
	for (; !is_end(t); t++)
		if (t->shrt == c)
			return t;
	return NULL;
}

/* Parses argv[from..argc) until the first non-option; returns its index. */
static int argp_parse_in_order(struct rt_args *a, bool global, const struct rt_optdef *t,
			       int argc, char **argv, int from, struct oh_error *err)
{
	int i = from;

	while (i < argc) {
		const char *s = argv[i];
		if (strcmp(s, "--") == 0)
			return i + 1;
		if (s[0] != '-' || s[1] == '\0')
			return i;
		int at = i++;
		if (s[1] == '-') {
			const char *name = s + 2;
			const char *eq = strchr(name, '=');
			size_t n = eq ? (size_t)(eq - name) : strlen(name);
			const struct rt_optdef *o = argp_long(t, name, n, s, err);
			if (o == NULL)
				return -1;
			const char *value = eq ? eq + 1 : NULL;
			if (!(o->flags & (RT_VALUE | RT_OPTIONAL)) && value != NULL)
				return oh_err(err, 0, "argument %s: takes no value", s);
			if ((o->flags & RT_VALUE) && value == NULL) {
				if (i >= argc)
					return oh_err(err, 0, "argument %s: needs a value", s);
				value = argv[i++];
			}
			if (record(a, global, o, value, at, s, err) < 0)
				return -1;
			continue;
		}
		for (const char *c = s + 1; *c; c++) {
			const struct rt_optdef *o = argp_short(t, *c);
			if (o == NULL)
				return oh_err(err, 0, "argument %s: -%c is not an option the "
					      "runtime knows", s, *c);
			const char *value = NULL;
			if (o->flags & (RT_VALUE | RT_OPTIONAL)) {
				if (c[1] != '\0')
					value = c + 1;
				else if (o->flags & RT_VALUE) {
					if (i >= argc)
						return oh_err(err, 0, "argument %s: needs a value", s);
					value = argv[i++];
				}
			}
			if (record(a, global, o, value, at, s, err) < 0)
				return -1;
			if (value != NULL && value == c + 1)
				break;
		}
	}
	return i;
}

static int parse_crun(struct rt_args *a, int argc, char **argv, struct oh_error *err)
{
	int ci = argp_parse_in_order(a, true, crun_global, argc, argv, 1, err);
	if (ci < 0)
		return -1;
	if (a->help || ci >= argc)
		return 0;   /* crun prints and exits, or fails "please specify a command" */
	a->command = argv[ci];
	a->cmd_index = ci;
	if (!in_list(crun_commands, a->command))
		return 0;
	bool judged = strcmp(a->command, "create") == 0 || strcmp(a->command, "run") == 0 ||
		      strcmp(a->command, "exec") == 0 || strcmp(a->command, "restore") == 0 ||
		      strcmp(a->command, "update") == 0;
	if (!judged)
		return 0;
	a->judged = true;
	const struct rt_optdef *t = rt_command_options(RT_CRUN, a->command);
	if (t == NULL)
		return oh_err(err, 0, "crun %s is not supported by oci-harden-runtime",
			      a->command);
	/* argp sees the command as its argv[0]. */
	int p = argp_parse_in_order(a, false, t, argc, argv, ci + 1, err);
	if (p < 0)
		return -1;
	if (a->help)
		return 0;
	int npos = argc - p;
	if (strcmp(a->command, "exec") == 0) {
		if (npos < (a->process ? 1 : 2))
			return oh_err(err, 0, "exec: needs a container id%s",
				      a->process ? "" : " and a command");
		a->id = argv[p];
		a->id_index = p;
		a->args_index = p + 1;
		return 0;
	}
	if (npos != 1)
		return oh_err(err, 0, "%s: needs exactly one container id, got %d "
			      "arguments after the options", a->command, npos);
	a->id = argv[p];
	a->id_index = p;
	return 0;
}

int rt_args_parse(enum rt_dialect d, int argc, char **argv, struct rt_args *a,
		  struct oh_error *err)
{
	memset(a, 0, sizeof(*a));
	a->dialect = d;
	a->cmd_index = -1;
	a->id_index = -1;
	a->args_index = -1;
	a->tty = -1;
	a->nnp = -1;
	/* An argument holds at most one option per character (argp clusters
	 * "-dt") and at most one value: the lists fit in these bounds. */
	size_t chars = 1;
	for (int i = 0; i < argc; i++)
		chars += strlen(argv[i]) + 1;
	a->opts = xcalloc(chars, sizeof(*a->opts));
	a->caps = xcalloc((size_t)argc + 1, sizeof(char *));
	a->env = xcalloc((size_t)argc + 1, sizeof(char *));
	a->gids = xcalloc((size_t)argc + 1, sizeof(char *));
	int rc = d == RT_CRUN ? parse_crun(a, argc, argv, err) : parse_runc(a, argc, argv, err);
	return rc < 0 ? -1 : 0;
}

void rt_args_free(struct rt_args *a)
{
	free(a->opts);
	free(a->caps);
	free(a->env);
	free(a->gids);
	memset(a, 0, sizeof(*a));
}
