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

/*
 * The default policy's bytes are built in and taken for the defaults
 * without a parse.  That must hold only for those very bytes: the same
 * text with one action changed, or one byte of garbage, is the policy it
 * says (or an error), never the defaults.
 */
static void test_default_text_is_the_defaults_and_nothing_else(void **state)
{
	(void)state;
	struct oh_error err = { 0 };
	struct policy *p, *d = policy_defaults();
	char *buf;
	size_t len;

	if (oh_read_file(OH_TEST_DIR "/../policy/default.json", 1 << 20, &buf, &len, &err) < 0)
		fail_msg("%s", err.msg);
	/* The build embedded this very file. */
	assert_int_equal(oh_default_policy_len, len);
	assert_memory_equal(oh_default_policy_text, buf, len);
	char *same = xmalloc(len + 1), *changed = xmalloc(len + 1), *bad_text = xmalloc(len + 2);
	memcpy(same, buf, len + 1);
	memcpy(changed, buf, len + 1);
	memcpy(bad_text, buf, len);
	bad_text[len] = ']';
	bad_text[len + 1] = '\0';

	assert_int_equal(policy_parse(same, len, "/etc/oh/policy.json", &p, &err), 0);
	assert_true(policy_same(p, d));
	assert_string_equal(p->source, "/etc/oh/policy.json");
	policy_free(p);

	/* Same length, one action changed: parsed, and it takes effect. */
	char *at = strstr(changed, "\"cap-all\": \"deny\"");
	assert_non_null(at);
	memcpy(at + strlen("\"cap-all\": \""), "warn", 4);
	assert_int_equal(policy_parse(changed, len, "p.json", &p, &err), 0);
	assert_false(policy_same(p, d));
	assert_int_equal(p->action[rule_by_id("cap-all")], ACT_WARN);
	policy_free(p);

	/* One byte more: parsed, and refused. */
	p = NULL;
	assert_true(policy_parse(bad_text, len + 1, "p.json", &p, &err) < 0);
	assert_null(p);
	assert_non_null(strstr(err.msg, "p.json"));
	free(buf);
	policy_free(d);
}

/* The defaults' lists and sets come settled from the build; they must be
 * what settling them at run time makes (a policy file's path), set by set,
 * for every entry and every prefix of one. */
static void test_builtin_lists_are_the_settled_defaults(void **state)
{
	(void)state;
	struct oh_error err = { 0 };
	struct policy *made, *built = policy_defaults();
	char *buf = unquote("{'version':1}");

	assert_true(oh_default_lists.ready);
	assert_true(built->lists_builtin);
	assert_int_equal(policy_parse_text(buf, strlen(buf), "p.json", &made, &err), 0);
	assert_false(made->lists_builtin);
	assert_true(policy_same(built, made));
	const struct strlist *lists[] = { &made->sensitive, &made->sensitive_trees,
					  &made->sensitive_above };
	for (size_t l = 0; l < 3; l++)
		for (size_t i = 0; i < lists[l]->n; i++) {
			const char *e = lists[l]->v[i];
			for (size_t n = 0; n <= strlen(e) + 1; n++) {
				char probe[512];
				snprintf(probe, sizeof(probe), "%.*s%s", (int)n, e,
					 n > strlen(e) ? "/x" : "");
				size_t k = strlen(probe);
				assert_int_equal(strset_has(&built->sensitive_set, probe, k),
						 strset_has(&made->sensitive_set, probe, k));
				assert_int_equal(strset_has(&built->sensitive_above_set, probe, k),
						 strset_has(&made->sensitive_above_set, probe, k));
				assert_int_equal(strset_has(&built->sensitive_trees_set, probe, k),
						 strset_has(&made->sensitive_trees_set, probe, k));
			}
			assert_true(strset_has(&built->sensitive_set, e, strlen(e)) ||
				    lists[l] == &made->sensitive_above);
		}
	policy_free(made);
	policy_free(built);
}

/* policy_same looks at what decides: an action, a list entry, a value. */
static void test_policy_same_sees_every_difference(void **state)
{
	(void)state;
	static const char *const variants[] = {
		"{'mode':'audit'}",
		"{'rules':{'root-user':'deny'}}",
		"{'capabilities':{'allowed':['CAP_CHOWN']}}",
		"{'seccomp':{'profile':'strict'}}",
		"{'apparmor':{'profile':'other'}}",
		"{'mounts':{'sensitive':['/srv']}}",
		"{'hooks':{'allowed':['/opt/h']}}",
		"{'hooks':{'dirs':['/x']}}",
		"{'sysctls':{'allowed':['net.core.somaxconn']}}",
		"{'annotations':{'unsafe':['com.example.']}}",
		"{'rootfs':{'scan':true}}",
		"{'rootfs':{'maxFiles':10}}",
		"{'audit':{'file':'/var/log/oh.log'}}",
		"{'exemptions':[{'annotations':{'a':'b'},'rules':['root-user']}]}",
	};
	struct policy *d = policy_defaults();
	struct oh_error err = { 0 };

	for (size_t i = 0; i < sizeof(variants) / sizeof(variants[0]); i++) {
		struct policy *p;
		char *buf = unquote(variants[i]);
		if (policy_parse(buf, strlen(buf), "p.json", &p, &err) < 0)
			fail_msg("%s: %s", variants[i], err.msg);
		if (policy_same(p, d))
			fail_msg("%s: the same as the defaults", variants[i]);
		policy_free(p);
	}
	char *buf = unquote("{'version':1,'comment':'nothing else'}");
	struct policy *p;
	assert_int_equal(policy_parse(buf, strlen(buf), "p.json", &p, &err), 0);
	assert_true(policy_same(p, d));
	policy_free(p);
	policy_free(d);
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
		cmocka_unit_test(test_default_text_is_the_defaults_and_nothing_else),
		cmocka_unit_test(test_policy_same_sees_every_difference),
		cmocka_unit_test(test_builtin_lists_are_the_settled_defaults),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_bundled_profile_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
