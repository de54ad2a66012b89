/* SPDX-License-Identifier: Apache-2.0 */
/* Policy files: defaults, and every kind of mistake named with its pointer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "caps.h"
#include "policy.h"
#include "util.h"

#include "testutil.h"

static const struct {
	const char *policy;
	const char *error;   /* substring, with the pointer */
} bad[] = {
	{ "{'version':2}", "/version: must be 1" },
	{ "{'mode':'lenient'}", "/mode: must be \"enforce\" or \"audit\"" },
	{ "{'rules':{'no-such-rule':'deny'}}", "/rules/no-such-rule: unknown rule id" },
	{ "{'rules':{'cap-all':'block'}}", "/rules/cap-all: must be one of" },
	{ "{'rules':{'cap-all':1}}", "/rules/cap-all: must be one of" },
	{ "{'rules':{'root-user':'fix'}}", "/rules/root-user: rule \"root-user\" cannot be fixed" },
	{ "{'rules':[]}", "/rules: must be an object" },
	{ "{'capabilities':{'allowed':['CAP_NOPE']}}", "/capabilities/allowed/0: unknown capability" },
	{ "{'capabilities':{'allowed':['cap_chown']}}", "/capabilities/allowed/0: capability names are written as runc reads them: write \"CAP_CHOWN\"" },
	{ "{'capabilities':{'allowed':'CAP_CHOWN'}}", "/capabilities/allowed: must be an array" },
	{ "{'capabilities':{'allow':[]}}", "/capabilities/allow: unknown key" },
	{ "{'seccomp':{'profile':''}}", "/seccomp/profile: must name a profile" },
	{ "{'seccomp':{'profile':1}}", "/seccomp/profile: must be a string" },
	{ "{'apparmor':{'profile':'unconfined'}}", "/apparmor/profile: must name a confining" },
	{ "{'exemptions':{}}", "/exemptions: must be an array" },
	{ "{'exemptions':[{'rules':['cap-all']}]}", "/exemptions/0: an exemption needs" },
	{ "{'exemptions':[{'annotations':{},'rules':['cap-all']}]}", "/exemptions/0/annotations: an exemption must match at least one" },
	{ "{'exemptions':[{'annotations':{'a':'('},'rules':['cap-all']}]}", "/exemptions/0/annotations/a: invalid regular expression" },
	{ "{'exemptions':[{'annotations':{'a':'x'},'rules':['nope']}]}", "/exemptions/0/rules/0: unknown rule id" },
	{ "{'exemptions':[{'annotations':{'a':'x'},'rules':[]}]}", "/exemptions/0/rules: an exemption must list" },
	{ "{'exemptions':[{'annotations':{'a':1},'rules':['cap-all']}]}", "/exemptions/0/annotations/a: must be a string" },
	{ "{'runtime':{'path':'runc'}}", "/runtime/path: must be an absolute path" },
	{ "{'runtime':{'restore':'allow'}}", "/runtime/restore: must be \"verify\" or \"refuse\"" },
	{ "{'runtime':{'restore':true}}", "/runtime/restore: must be \"verify\" or \"refuse\"" },
	{ "{'surprise':true}", "/surprise: unknown key" },
	{ "{'mounts':{'sensitive':['srv']}}", "/mounts/sensitive/0: must be an absolute path" },
	{ "{'mounts':{'sensitive':'/srv'}}", "/mounts/sensitive: must be an array" },
	{ "{'mounts':{'sensitive':[1]}}", "/mounts/sensitive/0: must be a string" },
	{ "{'mounts':{'paths':[]}}", "/mounts/paths: unknown key" },
	{ "{'hooks':{'allowed':['hook']}}", "/hooks/allowed/0: must be an absolute path" },
	{ "{'hooks':{'dirs':['']}}", "/hooks/dirs/0: must be an absolute path" },
	{ "{'hooks':{'allow':[]}}", "/hooks/allow: unknown key" },
	{ "{'hooks':[]}", "/hooks: must be an object" },
	{ "{'sysctls':{'allowed':['']}}", "/sysctls/allowed/0: must not be empty" },
	{ "{'annotations':{'unsafe':[true]}}", "/annotations/unsafe/0: must be a string" },
	{ "{'rules':{'sensitive-mounts':'fix'}}", "/rules/sensitive-mounts: rule \"sensitive-mounts\" cannot be fixed" },
	{ "{'mode':'audit','mode':'enforce'}", "duplicate key" },
	{ "[]", "root must be an object" },
};

static void test_bad_policies(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct oh_error err = { 0 };
		struct policy *p = NULL;
		char *buf = unquote(bad[i].policy);

		if (policy_parse(buf, strlen(buf), "p.json", &p, &err) == 0)
			fail_msg("%s: accepted", bad[i].policy);
		if (strstr(err.msg, bad[i].error) == NULL || strstr(err.msg, "p.json") == NULL)
			fail_msg("%s: error \"%s\" lacks \"%s\"", bad[i].policy, err.msg, bad[i].error);
	}
}

/* The policy's lists add to the built-in ones, sorted, once each; dirs
 * replaces. */
static void test_lists(void **state)
{
	(void)state;
	struct oh_error err = { 0 };
	struct policy *p, *d = policy_defaults();
	char *buf = unquote("{'mounts':{'sensitive':['/srv/b','/srv/a/**','/srv/b','/']},"
			    "'hooks':{'allowed':['/opt/h'],'dirs':['/x']},"
			    "'sysctls':{'allowed':['net.core.somaxconn']},"
			    "'annotations':{'unsafe':['com.example.']}}");

	if (policy_parse(buf, strlen(buf), "p.json", &p, &err) < 0)
		fail_msg("%s", err.msg);
	assert_int_equal(p->sensitive.n, d->sensitive.n + 2);
	assert_true(strlist_has(&p->sensitive, "/srv/b"));
	assert_true(strlist_has(&p->sensitive, "/srv/a"));
	assert_true(strlist_has(&p->sensitive_trees, "/srv/a"));
	assert_false(strlist_has(&p->sensitive_trees, "/srv/b"));
	for (size_t i = 1; i < p->sensitive.n; i++)
		assert_true(strcmp(p->sensitive.v[i - 1], p->sensitive.v[i]) < 0);
	assert_true(strlist_has(&p->hooks_allowed, "/opt/h"));
	assert_int_equal(p->hooks_allowed.n, d->hooks_allowed.n + 1);
	assert_int_equal(p->hooks_dirs.n, 1);
	assert_true(strlist_has(&p->hooks_dirs, "/x"));
	assert_true(strlist_has(&p->sysctls_allowed, "net.core.somaxconn"));
	assert_true(strlist_has(&p->annotations_unsafe, "com.example."));
	policy_free(p);
	policy_free(d);
}

static void test_default_file_matches_builtin(void **state)
{
	(void)state;
	struct oh_error err = { 0 };
	struct policy *file, *builtin = policy_defaults();

	if (policy_load(OH_TEST_DIR "/../policy/default.json", &file, &err) < 0)
		fail_msg("%s", err.msg);
	assert_false(file->audit);
	for (int r = 0; r < RULE_COUNT; r++)
		assert_int_equal(file->action[r], builtin->action[r]);
	assert_true(file->allowed_caps == builtin->allowed_caps);
	assert_int_equal(caps_popcount(file->allowed_caps), 11);
	assert_string_equal(file->seccomp_profile, builtin->seccomp_profile);
	assert_string_equal(file->apparmor_profile, builtin->apparmor_profile);
	/* A restore is refused unless a policy says to verify it. */
	assert_true(builtin->restore_refuse);
	assert_true(file->restore_refuse);
	/* The file's empty lists leave the built-in ones as they are. */
	assert_int_equal(file->sensitive.n, builtin->sensitive.n);
	assert_int_equal(file->hooks_dirs.n, builtin->hooks_dirs.n);
	assert_true(strlist_has(&file->sensitive, "/"));
	assert_true(strlist_has(&file->sensitive_trees, "/proc"));
	policy_free(file);
	policy_free(builtin);
}

static void test_values(void **state)
{
	(void)state;
	struct oh_error err = { 0 };
	struct policy *p;
	char *buf = unquote("{'version':1,'mode':'audit','rules':{'cap-all':'warn'},"
			    "'capabilities':{'allowed':['CAP_NET_RAW']},"
			    "'seccomp':{'profile':'profiles/mine.json'},"
			    "'apparmor':{'profile':'my-profile'},"
			    "'runtime':{'path':'/usr/sbin/runc','restore':'verify'}}");

	assert_int_equal(policy_parse(buf, strlen(buf), "/etc/oh/p.json", &p, &err), 0);
	assert_false(p->restore_refuse);
	assert_true(p->audit);
	assert_int_equal(p->action[R_CAP_ALL], ACT_WARN);
	assert_int_equal(p->action[R_NO_NEW_PRIVILEGES], ACT_FIX);
	assert_true(p->allowed_caps == 1ull << caps_from_exact("CAP_NET_RAW"));
	/* relative profile paths are relative to the policy file */
	assert_string_equal(p->seccomp_profile, "/etc/oh/profiles/mine.json");
	assert_string_equal(p->apparmor_profile, "my-profile");
	assert_string_equal(p->runtime_path, "/usr/sbin/runc");
	policy_free(p);
}

static void test_bundled_profile_names(void **state)
{
	(void)state;
	struct oh_error err = { 0 };
	struct policy *p;
	char *buf = unquote("{'seccomp':{'profile':'strict'}}");

	/* The names stay names: the profiles are built into the binary. */
	assert_int_equal(policy_parse(buf, strlen(buf), "p.json", &p, &err), 0);
	assert_string_equal(p->seccomp_profile, "strict");
	policy_free(p);
	buf = unquote("{'seccomp':{'profile':'default.json'}}");
	assert_int_equal(policy_parse(buf, strlen(buf), "/etc/oh/p.json", &p, &err), 0);
	assert_string_equal(p->seccomp_profile, "/etc/oh/default.json");
	policy_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_policies),
		cmocka_unit_test(test_lists),
		cmocka_unit_test(test_default_file_matches_builtin),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_bundled_profile_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
