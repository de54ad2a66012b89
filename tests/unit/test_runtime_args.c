/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The runtime's command line as runc 1.1 and crun 1.8 read it: a table of
 * spellings with what each runtime takes from them, and of what the wrapper
 * must refuse because it cannot be sure.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Table rows name only the fields they check. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#include "runtime_args.h"
#include "util.h"

struct want {
	enum rt_dialect d;
	const char *argv;      /* space-separated, after the program name */
	const char *command;
	const char *bundle, *id, *process, *root, *log, *log_format;
	const char *caps;      /* comma-separated */
	const char *user, *apparmor, *config;
	const char *resources;
	bool no_pivot;
	const char *error;     /* substring, or NULL for success */
};

#define RUNC RT_RUNC
#define CRUN RT_CRUN

static const struct want cases[] = {
	/* runc: one or two dashes, "=" or the next argument, aliases */
	{ RUNC, "create --bundle B ID", "create", "B", "ID" },
	{ RUNC, "create -bundle B ID", "create", "B", "ID" },
	{ RUNC, "create --bundle=B ID", "create", "B", "ID" },
	{ RUNC, "create -bundle=B ID", "create", "B", "ID" },
	{ RUNC, "create -b B ID", "create", "B", "ID" },
	{ RUNC, "create --b B ID", "create", "B", "ID" },
	{ RUNC, "create -b=B ID", "create", "B", "ID" },
	{ RUNC, "create --b=B ID", "create", "B", "ID" },
	{ RUNC, "create ID", "create", NULL, "ID" },
	{ RUNC, "create --bundle -x ID", "create", "-x", "ID" },
	{ RUNC, "create -- ID", "create", NULL, "ID" },
	{ RUNC, "create -- -ID", "create", NULL, "-ID" },
	/* urfave moves the flags of create, run and restore ahead of the id */
	{ RUNC, "create ID --bundle B", "create", "B", "ID" },
	{ RUNC, "create ID -b=B", "create", "B", "ID" },
	{ RUNC, "run -d ID", "run", NULL, "ID" },
	{ RUNC, "run --detach=false ID -b B", "run", "B", "ID" },
	{ RUNC, "run --detach=false --keep ID -b B", .error = "exactly one container id" },
	{ RUNC, "run --no-pivot ID --bundle B", .error = "exactly one container id" },
	{ RUNC, "create ID -- --bundle B", .error = "exactly one container id" },
	/* urfave 1.22.6+: a flag's value is the next argument that is not one
	 * of the command's flags, "--" and "-" included; only the command's
	 * flags move (runc 1.1.5 ran bundle B for the first) */
	{ RUNC, "run ID --pid-file -- -b=B", "run", "B", "ID" },
	{ RUNC, "run ID --pid-file -- --no-pivot", "run", NULL, "ID", .no_pivot = true },
	{ RUNC, "create --pid-file -b B ID", "create", NULL, .error = "exactly one container id" },
	{ RUNC, "create ID -x", .error = "exactly one container id" },
	{ RUNC, "create ID -- -b B", .error = "exactly one container id" },
	{ RUNC, "update ID --memory - -r --memory", "update", .id = "ID", .resources = "--memory" },
	{ RUNC, "update ID -r -", "update", .id = "ID", .resources = "-" },
	{ RUNC, "update ID --memory -- -r F", "update", .id = "ID", .resources = "F" },
	/* global options before the command */
	{ RUNC, "-root R -log L -log-format json create -b B ID", "create", "B", "ID",
	  .root = "R", .log = "L", .log_format = "json" },
	{ RUNC, "--root=R --log=L --debug --systemd-cgroup run --bundle B ID", "run", "B", "ID",
	  .root = "R", .log = "L" },
	{ RUNC, "--rootless true --criu /x --debug=false create ID", "create", NULL, "ID" },
	{ RUNC, "-- create ID", "create", NULL, "ID" },
	{ RUNC, "--root R --log L --log-format json restore --image-path I --bundle B ID",
	  "restore", "B", "ID", .root = "R", .log = "L" },
	{ RUNC, "restore -b B --tcp-established -work-path W ID", "restore", "B", "ID" },
	/* exec: no reordering; its flags stop at the id */
	{ RUNC, "exec --process P ID", "exec", .id = "ID", .process = "P" },
	{ RUNC, "exec -process P ID", "exec", .id = "ID", .process = "P" },
	{ RUNC, "exec --p P ID", "exec", .id = "ID", .process = "P" },
	{ RUNC, "exec -p=P --detach --pid-file F ID", "exec", .id = "ID", .process = "P" },
	{ RUNC, "exec -cap CAP_A --cap CAP_B -cap=CAP_C ID sh", "exec", .id = "ID",
	  .caps = "CAP_A,CAP_B,CAP_C" },
	{ RUNC, "exec -c CAP_A --c CAP_B -c=CAP_C ID sh", "exec", .id = "ID",
	  .caps = "CAP_A,CAP_B,CAP_C" },
	{ RUNC, "exec -cap CAP_A --c CAP_B ID sh", .error = "two forms of the same flag" },
	{ RUNC, "exec -user 1000:1000 -t ID sh", "exec", .id = "ID", .user = "1000:1000" },
	{ RUNC, "exec --u 1000 ID sh --cap CAP_SYS_ADMIN", "exec", .id = "ID", .user = "1000" },
	{ RUNC, "exec -apparmor unconfined ID sh", "exec", .id = "ID", .apparmor = "unconfined" },
	{ RUNC, "exec ID", .error = "no command" },
	{ RUNC, "exec --cap", .error = "needs a value" },
	/* what runc refuses, the wrapper refuses too */
	{ RUNC, "create --bundel B ID", .error = "--bundel: not an option" },
	{ RUNC, "create ---bundle B ID", .error = "bad flag syntax" },
	{ RUNC, "create -b B --bundle C ID", .error = "two forms of the same flag" },
	{ RUNC, "run --detach=maybe ID", .error = "not a boolean" },
	{ RUNC, "--bogus create ID", .error = "--bogus: not an option" },
	{ RUNC, "create", .error = "exactly one container id" },
	/* other commands: only the global options matter */
	{ RUNC, "state ID", "state" },
	{ RUNC, "--root R kill ID KILL", "kill", .root = "R" },
	{ RUNC, "--version" },
	{ RUNC, "create --help", "create" },
	{ RUNC, "-log L delete --force ID", "delete", .log = "L" },
	/* the id is not taken for a bundle's value, nor a value for the command */
	{ RUNC, "--root create state ID", "state", .root = "create" },

	/* crun: argp */
	{ CRUN, "create --bundle B ID", "create", "B", "ID" },
	{ CRUN, "create --bundle=B ID", "create", "B", "ID" },
	{ CRUN, "create -b B ID", "create", "B", "ID" },
	{ CRUN, "create -bB ID", "create", "B", "ID" },
	{ CRUN, "create --bun B ID", "create", "B", "ID" },
	{ CRUN, "create --b=B ID", "create", "B", "ID" },
	{ CRUN, "create -f c.json -b B ID", "create", "B", "ID", .config = "c.json" },
	/* update: the resources document, from a file or "-" (stdin) */
	{ RUNC, "update -r R.json ID", "update", .id = "ID", .resources = "R.json" },
	{ RUNC, "update ID --resources=-", "update", .id = "ID", .resources = "-" },
	{ RUNC, "update --pids-limit 10 ID", "update", .id = "ID" },
	{ RUNC, "update -r R ID X", .error = "exactly one container id" },
	{ RUNC, "update --devices X ID", .error = "not an option the runtime knows" },
	{ CRUN, "update -rR.json ID", "update", .id = "ID", .resources = "R.json" },
	{ CRUN, "update --res=- --memory 10 ID", "update", .id = "ID", .resources = "-" },
	/* --no-pivot, which the wrapper refuses, is seen in every spelling */
	{ RUNC, "run ID -no-pivot", "run", .id = "ID", .no_pivot = true },
	{ RUNC, "create --no-pivot=true ID", "create", .id = "ID", .no_pivot = true },
	{ RUNC, "create --no-pivot=false ID", "create", .id = "ID" },
	{ CRUN, "run --no-piv ID", "run", .id = "ID", .no_pivot = true },
	{ CRUN, "run -db B ID", "run", "B", "ID" },
	{ CRUN, "--cgroup-manager cgroupfs --root R --log L --log-format=json create -b B ID",
	  "create", "B", "ID", .root = "R", .log = "L", .log_format = "json" },
	{ CRUN, "--cgroup-manager=systemd --systemd-cgroup run -b B ID", "run", "B", "ID" },
	{ CRUN, "--rootless R create ID", "create", NULL, "ID", .root = "R" },
	{ CRUN, "--roo R create ID", "create", NULL, "ID", .root = "R" },
	{ CRUN, "exec --process P ID", "exec", .id = "ID", .process = "P" },
	{ CRUN, "exec --proc=P ID", .error = "ambiguous" },
	{ CRUN, "exec -pP -d ID", "exec", .id = "ID", .process = "P" },
	{ CRUN, "exec -dp P ID", "exec", .id = "ID", .process = "P" },
	{ CRUN, "exec -c CAP_A --cap=CAP_B -cCAP_C ID sh", "exec", .id = "ID",
	  .caps = "CAP_A,CAP_B,CAP_C" },
	{ CRUN, "exec -t -u 1000 ID sh", "exec", .id = "ID", .user = "1000" },
	{ CRUN, "exec --p P ID", .error = "ambiguous" },
	{ CRUN, "-root R create ID", .error = "not an option" },
	{ CRUN, "create --bundle", .error = "needs a value" },
	{ CRUN, "create --no-pivot=1 ID", .error = "takes no value" },
	{ CRUN, "restore ID", .error = "not supported" },
	{ CRUN, "state ID", "state" },
	{ CRUN, "--version" },
};

static char **split(const char *s, int *argc)
{
	char *copy = xstrdup(s);
	char **argv = xcalloc(strlen(s) + 3, sizeof(char *));
	int n = 0;

	argv[n++] = xstrdup("runtime");
	for (char *save, *t = strtok_r(copy, " ", &save); t; t = strtok_r(NULL, " ", &save))
		argv[n++] = xstrdup(t);
	free(copy);
	*argc = n;
	return argv;
}

static void free_argv(char **argv, int argc)
{
	for (int i = 0; i < argc; i++)
		free(argv[i]);
	free(argv);
}

static void expect_str(const char *what, const char *argv, const char *want, const char *got)
{
	if ((want == NULL) != (got == NULL) || (want && strcmp(want, got) != 0))
		fail_msg("%s: %s: want %s, got %s", argv, what, want ? want : "(none)",
			 got ? got : "(none)");
}

static void test_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct want *w = &cases[i];
		struct oh_error err = { 0 };
		struct rt_args a;
		int argc;
		char **argv = split(w->argv, &argc);
		int rc = rt_args_parse(w->d, argc, argv, &a, &err);

		if (w->error) {
			if (rc == 0)
				fail_msg("%s: parsed, want error %s", w->argv, w->error);
			if (strstr(err.msg, w->error) == NULL)
				fail_msg("%s: error %s, want %s", w->argv, err.msg, w->error);
		} else {
			if (rc != 0)
				fail_msg("%s: %s", w->argv, err.msg);
			expect_str("command", w->argv, w->command, a.command);
			expect_str("bundle", w->argv, w->bundle, a.bundle);
			expect_str("id", w->argv, w->id, a.id);
			expect_str("process", w->argv, w->process, a.process);
			expect_str("root", w->argv, w->root, a.root);
			expect_str("log", w->argv, w->log, a.log);
			if (w->log_format)
				expect_str("log-format", w->argv, w->log_format, a.log_format);
			expect_str("user", w->argv, w->user, a.user);
			expect_str("apparmor", w->argv, w->apparmor, a.apparmor);
			expect_str("config", w->argv, w->config, a.config);
			expect_str("resources", w->argv, w->resources, a.resources);
			if (w->no_pivot != a.no_pivot)
				fail_msg("%s: no_pivot %d, want %d", w->argv, a.no_pivot, w->no_pivot);
			char caps[256] = "";
			for (size_t c = 0; c < a.ncaps; c++)
				snprintf(caps + strlen(caps), sizeof(caps) - strlen(caps), "%s%s",
					 c ? "," : "", a.caps[c]);
			expect_str("caps", w->argv, w->caps, a.ncaps ? caps : NULL);
		}
		rt_args_free(&a);
		free_argv(argv, argc);
	}
}

/* The tables: every name once per table, values only where declared. */
static void test_tables_have_unique_names(void **state)
{
	static const char *const cmds[] = { "create", "run", "exec", "restore", "update" };
	(void)state;
	for (int d = RT_RUNC; d <= RT_CRUN; d++)
		for (int c = -1; c < 5; c++) {
			const struct rt_optdef *t = c < 0 ? rt_global_options(d)
							  : rt_command_options(d, cmds[c]);
			if (t == NULL)
				continue;
			for (const struct rt_optdef *o = t; o->name || o->shrt; o++)
				for (const struct rt_optdef *q = o + 1; q->name || q->shrt; q++) {
					assert_false(o->name && q->name && strcmp(o->name, q->name) == 0);
					assert_false(o->shrt && o->shrt == q->shrt);
				}
		}
}

/* The state root without --root, as each runtime picks it (as root, in
 * the host's user namespace, as the tests run). */
static void test_default_root(void **state)
{
	(void)state;
	char *r;
	const char *old = getenv("XDG_RUNTIME_DIR");
	char *keep = old ? strdup(old) : NULL;

	setenv("XDG_RUNTIME_DIR", "/tmp/xdg", 1);
	r = rt_default_root(RT_CRUN);
	assert_string_equal(r, "/tmp/xdg/crun");   /* crun: as root too */
	free(r);
	r = rt_default_root(RT_RUNC);
	/* runc: not for real root */
	assert_string_equal(r, geteuid() == 0 ? "/run/runc" : "/tmp/xdg/runc");
	free(r);
	setenv("XDG_RUNTIME_DIR", "", 1);
	r = rt_default_root(RT_CRUN);
	assert_string_equal(r, "/run/crun");
	free(r);
	unsetenv("XDG_RUNTIME_DIR");
	r = rt_default_root(RT_RUNC);
	assert_string_equal(r, "/run/runc");
	free(r);
	if (keep)
		setenv("XDG_RUNTIME_DIR", keep, 1);
	free(keep);
}

static void test_dialect_from_name(void **state)
{
	(void)state;
	enum rt_dialect d = RT_RUNC;
	assert_true(rt_dialect_of("/usr/bin/crun", &d));
	assert_int_equal(d, RT_CRUN);
	assert_true(rt_dialect_of("crun", &d));
	assert_int_equal(d, RT_CRUN);
	assert_true(rt_dialect_of("/usr/sbin/runc", &d));
	assert_int_equal(d, RT_RUNC);
	assert_true(rt_dialect_of("/opt/x/runc.real", &d));
	assert_int_equal(d, RT_RUNC);
	/* a name that says neither: the policy must */
	assert_false(rt_dialect_of("/usr/local/bin/youki", &d));
	assert_false(rt_dialect_of("/opt/crun-dir/oci", &d));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_tables_have_unique_names),
		cmocka_unit_test(test_dialect_from_name),
		cmocka_unit_test(test_default_root),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
