/* SPDX-License-Identifier: Apache-2.0 */
/* setup's building blocks: TOML written from JSON trees and read back
 * through tomllib, and the unified diffs of a change set. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "confedit.h"
#include "json.h"
#include "setup.h"
#include "toml.h"
#include "util.h"

struct tcase {
	const char *name;
	const char *json;   /* the tree */
	const char *toml;   /* what toml_write makes of it */
};

static const struct tcase tcases[] = {
	{ "scalars of every kind", "{\"s\":\"x\",\"i\":-12,\"f\":0.02,\"e\":1e-05,\"t\":true,\"n\":false}",
	  "s = \"x\"\ni = -12\nf = 0.02\ne = 1e-05\nt = true\nn = false\n" },
	{ "keys that are not bare are quoted", "{\"a.b\":1,\"with space\":2,\"ok-key_1\":3}",
	  "\"a.b\" = 1\n\"with space\" = 2\nok-key_1 = 3\n" },
	{ "escapes in strings", "{\"s\":\"q\\\" b\\\\ n\\n t\\t c\\u0001 \\u00e9\"}",
	  "s = \"q\\\" b\\\\ n\\n t\\t c\\u0001 \xc3\xa9\"\n" },
	{ "keys before sub-tables", "{\"t\":{\"x\":1},\"k\":2}",
	  "k = 2\n\n[t]\nx = 1\n" },
	{ "a table of tables only has no header of its own",
	  "{\"plugins\":{\"io.containerd.grpc.v1.cri\":{\"containerd\":{\"snapshotter\":\"native\"}}}}",
	  "[plugins.\"io.containerd.grpc.v1.cri\".containerd]\nsnapshotter = \"native\"\n" },
	{ "an empty table keeps its header", "{\"a\":{\"b\":{}}}", "[a.b]\n" },
	{ "arrays, nested, and objects in arrays as inline tables",
	  "{\"a\":[1,[2,3],{\"k\":\"v\",\"o\":{\"x\":true}}],\"e\":[]}",
	  "a = [1, [2, 3], { k = \"v\", o = { x = true } }]\ne = []\n" },
	{ "null members are left out", "{\"a\":null,\"b\":{\"c\":null,\"d\":1}}", "[b]\nd = 1\n" },
};

static bool have_parser(void)
{
	struct jdoc *d = NULL;
	struct oh_error err = { 0 };
	int rc = toml_parse("a = 1\n", 6, "probe", &d, &err);

	json_free(d);
	return rc == 0;
}

static void test_toml_write(void **state)
{
	(void)state;
	bool parse = have_parser();

	for (size_t i = 0; i < sizeof(tcases) / sizeof(tcases[0]); i++) {
		const struct tcase *c = &tcases[i];
		struct jdoc *doc = NULL, *back = NULL;
		struct oh_error err = { 0 };
		struct oh_buf b = { 0 };
		char *in = xstrdup(c->json);

		if (json_parse(in, strlen(in), c->name, &doc, &err) < 0)
			fail_msg("%s: %s", c->name, err.msg);
		toml_write(&b, json_root(doc));
		oh_buf_add(&b, "", 1);
		if (strcmp(b.data, c->toml) != 0)
			fail_msg("%s: wrote\n%s\nwanted\n%s", c->name, b.data, c->toml);
		if (parse) {
			if (toml_parse(b.data, strlen(b.data), c->name, &back, &err) < 0)
				fail_msg("%s: does not read back: %s", c->name, err.msg);
			/* Members with null values are not written. */
			if (strstr(c->json, "null") == NULL &&
			    !json_same(json_root(back), json_root(doc)))
				fail_msg("%s: reads back as another document", c->name);
		}
		json_free(back);
		json_free(doc);
		oh_buf_free(&b);
	}
	if (!parse)
		skip();   /* the writing was checked; reading back needs tomllib */
}

static void test_toml_errors_name_the_line(void **state)
{
	(void)state;
	if (!have_parser())
		skip();
	static const char *const bad[] = {
		"a = 1\nb = \n", "a = 1\n[t\n", "a = 1\na = 2\n", "d = 1979-05-27\n",
	};
	static const char *const why[] = {
		"line 2", "line 2", "line 2", "date",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct jdoc *d = NULL;
		struct oh_error err = { 0 };
		assert_int_equal(toml_parse(bad[i], strlen(bad[i]), "f.toml", &d, &err), -1);
		if (strstr(err.msg, "f.toml") == NULL || strstr(err.msg, why[i]) == NULL)
			fail_msg("%s: %s", bad[i], err.msg);
	}
}

static void test_toml_without_parser(void **state)
{
	(void)state;
	struct jdoc *d = NULL;
	struct oh_error err = { 0 };

	setenv("OCI_HARDEN_PYTHON", "/nonexistent/python3", 1);
	assert_int_equal(toml_parse("a = 1\n", 6, "f.toml", &d, &err), -1);
	unsetenv("OCI_HARDEN_PYTHON");
	assert_non_null(strstr(err.msg, "python3-tomli"));
	assert_non_null(strstr(err.msg, "/nonexistent/python3"));
}

struct dcase {
	const char *name;
	const char *old;    /* NULL: the file does not exist */
	const char *new;    /* NULL: the file is removed */
	const char *diff;
};

static const struct dcase dcases[] = {
	{ "a line changed in the middle keeps three lines of context",
	  "1\n2\n3\n4\n5\n6\n7\n8\n9\n", "1\n2\n3\n4\nfive\n6\n7\n8\n9\n",
	  "--- a/etc/f\n+++ b/etc/f\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n" },
	{ "a line added first", "a\nb\n", "new\na\nb\n",
	  "--- a/etc/f\n+++ b/etc/f\n@@ -1,2 +1,3 @@\n+new\n a\n b\n" },
	{ "a new file", NULL, "x\ny\n",
	  "--- /dev/null\n+++ b/etc/f\n@@ -0,0 +1,2 @@\n+x\n+y\n" },
	{ "a removed file", "x\n", NULL,
	  "--- a/etc/f\n+++ /dev/null\n@@ -1,1 +0,0 @@\n-x\n" },
	{ "a last line without newline", "a\nb", "a\nb\n",
	  "--- a/etc/f\n+++ b/etc/f\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n" },
};

static void test_diff(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(dcases) / sizeof(dcases[0]); i++) {
		const struct dcase *c = &dcases[i];
		struct changeset cs;
		struct cf_file f = {
			.path = "/etc/f", .existed = c->old != NULL,
			.old = (char *)c->old, .oldlen = c->old ? strlen(c->old) : 0,
			.planned = c->new != NULL, .remove = c->new == NULL,
			.new = (char *)c->new, .newlen = c->new ? strlen(c->new) : 0,
		};
		char *out = NULL;
		size_t len = 0;
		FILE *m = open_memstream(&out, &len);

		memset(&cs, 0, sizeof(cs));
		cs.root = "";
		cs.files = &f;
		cs.n = 1;
		assert_int_equal(changeset_pending(&cs), 1);
		changeset_diff(&cs, m);
		fclose(m);
		if (strcmp(out, c->diff) != 0)
			fail_msg("%s: got\n%s\nwanted\n%s", c->name, out, c->diff);
		free(out);
	}
}

/* Unit files as systemd reads them: what changes containerd's PATH. */
static const struct {
	const char *name, *text, *what;
	unsigned line;
} units[] = {
	{ "the plain spelling", "[Service]\nEnvironment=PATH=/x\n", "sets PATH", 2 },
	{ "quoted", "[Service]\nEnvironment=\"PATH=/x:/y\"\n", "sets PATH", 2 },
	{ "blanks around =", "[Service]\nEnvironment = PATH=/x\n", "sets PATH", 2 },
	{ "a tab before =, blanks before the key", "[Service]\n  Environment\t= \"PATH=/x\"\n",
	  "sets PATH", 2 },
	{ "several assignments, PATH the second", "[Service]\nEnvironment=\"A=1\" \"PATH=/x\"\n",
	  "sets PATH", 2 },
	{ "unquoted list", "[Service]\nEnvironment=A=1 B=2 PATH=/x\n", "sets PATH", 2 },
	{ "quotes inside the word", "[Service]\nEnvironment=PA\"TH\"=/x\n", "sets PATH", 2 },
	{ "single quotes", "[Service]\nEnvironment='PATH=/a b'\n", "sets PATH", 2 },
	{ "a blank in a quoted word does not split it",
	  "[Service]\nEnvironment=\"A=1 PATH=/x\"\n", NULL, 0 },
	{ "an escape in the name counts as PATH", "[Service]\nEnvironment=\"\\x50ATH=/x\"\n",
	  "sets PATH", 2 },
	{ "a specifier in the name counts as PATH", "[Service]\nEnvironment=%pPATH=/x\n",
	  "sets PATH", 2 },
	{ "continued on the next line", "[Service]\nEnvironment=A=1 \\\n  PATH=/x\n",
	  "sets PATH", 2 },
	{ "a comment inside a continuation is skipped",
	  "[Service]\nEnvironment=A=1 \\\n# note\n  PATH=/x\nExecStart=/c\n", "sets PATH", 2 },
	/* systemd 252 skips a comment line before it looks for a backslash:
	 * `systemd-analyze verify` reads the next line on its own. */
	{ "a comment ending in a backslash does not swallow the next line",
	  "[Service]\n# old \\\nEnvironment=PATH=/x\n", "sets PATH", 3 },
	{ "an escaped backslash at the end continues nothing",
	  "[Service]\nEnvironment=A=x\\\\\nEnvironment=PATH=/x\n", "sets PATH", 3 },
	{ "blanks after the backslash end the line",
	  "[Service]\nEnvironment=A=x\\  \nEnvironment=PATH=/x\n", "sets PATH", 3 },
	{ "a lone CR ends a line", "[Service]\nEnvironment=A=x\rEnvironment=PATH=/x\n",
	  "sets PATH", 3 },
	{ "a comment between a line and its continuation keeps the first line's number",
	  "[Service]\n# c\nEnvironment=A=1 \\\n# d\n PATH=/x\n", "sets PATH", 3 },
	{ "CRLF line ends", "[Service]\r\nEnvironment = PATH=/x\r\n", "sets PATH", 2 },
	{ "other variables only", "[Service]\nEnvironment=MYPATH=/x GOPATH=/y\n", NULL, 0 },
	{ "lower case is another variable", "[Service]\nEnvironment=path=/x\n", NULL, 0 },
	{ "PATH in a value is no assignment", "[Service]\nEnvironment=A=PATH=/x\n", NULL, 0 },
	{ "commented out", "[Service]\n#Environment=PATH=/x\n; Environment=PATH=/y\n", NULL, 0 },
	{ "another section", "[Unit]\nEnvironment=PATH=/x\n[Install]\nEnvironment=PATH=/x\n",
	  NULL, 0 },
	{ "a later [Service] section", "[Unit]\nDescription=d\n\n[Service]\nEnvironment=PATH=/x\n",
	  "sets PATH", 5 },
	{ "a key that only starts like it", "[Service]\nEnvironmentX=PATH=/x\n", NULL, 0 },
	{ "an environment file", "[Service]\nEnvironmentFile=/etc/default/containerd\n",
	  "reads an environment file", 2 },
	{ "an optional environment file with blanks",
	  "[Service]\nEnvironmentFile = -/etc/default/containerd\n", "reads an environment file", 2 },
	{ "an empty EnvironmentFile= resets the list", "[Service]\nEnvironmentFile=\n", NULL, 0 },
	{ "UnsetEnvironment=PATH", "[Service]\nUnsetEnvironment=A PATH\n", "unsets PATH", 2 },
	{ "UnsetEnvironment of one assignment", "[Service]\nUnsetEnvironment=PATH=/usr/bin\n",
	  "unsets PATH", 2 },
	{ "UnsetEnvironment of others", "[Service]\nUnsetEnvironment=PATHS GOPATH\n", NULL, 0 },
	{ "no newline at the end", "[Service]\nEnvironment = PATH=/x", "sets PATH", 2 },
	{ "empty", "", NULL, 0 },
};

static void test_unit_env(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		unsigned line = 0;
		const char *what = setup_unit_env_find(units[i].text, strlen(units[i].text), &line);
		if ((what == NULL) != (units[i].what == NULL) ||
		    (what && (strcmp(what, units[i].what) != 0 || line != units[i].line)))
			fail_msg("%s: got %s at line %u, wanted %s at line %u", units[i].name,
				 what ? what : "nothing", line,
				 units[i].what ? units[i].what : "nothing", units[i].line);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_toml_write),
		cmocka_unit_test(test_toml_errors_name_the_line),
		cmocka_unit_test(test_toml_without_parser),
		cmocka_unit_test(test_diff),
		cmocka_unit_test(test_unit_env),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
