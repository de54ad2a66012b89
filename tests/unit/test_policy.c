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
	{ "{'surprise':true}", "/surprise: unknown key" },
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
			    "'runtime':{'path':'/usr/sbin/runc'}}");

	assert_int_equal(policy_parse(buf, strlen(buf), "/etc/oh/p.json", &p, &err), 0);
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
		cmocka_unit_test(test_default_file_matches_builtin),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_bundled_profile_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
