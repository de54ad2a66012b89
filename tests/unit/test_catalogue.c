/* SPDX-License-Identifier: Apache-2.0 */
/* The rule table: every rule documented, referenced and uniquely named. */
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "policy.h"
#include "rules.h"

static void test_every_rule_documented(void **state)
{
	(void)state;
	for (int r = 0; r < RULE_COUNT; r++) {
		const struct rule_info *ri = &rule_table[r];
		assert_non_null(ri->id);
		assert_true(strlen(ri->summary) > 20);
		assert_true(strlen(ri->help) > 10);
		assert_non_null(ri->cis);
		assert_true(isdigit((unsigned char)ri->cis[0]));
		assert_true(strlen(ri->cis_title) > 10);
		assert_int_equal(rule_by_id(ri->id), r);
		for (const char *p = ri->id; *p; p++)
			assert_true(islower((unsigned char)*p) || *p == '-');
		for (int o = 0; o < r; o++)
			assert_string_not_equal(rule_table[o].id, ri->id);
	}
}

static void test_required_ids_stable(void **state)
{
	(void)state;
	const char *ids[] = { "no-new-privileges", "cap-all", "cap-not-allowed",
			      "seccomp-unconfined", "apparmor-unconfined" };
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
		assert_true(rule_by_id(ids[i]) >= 0);
	assert_int_equal(rule_table[rule_by_id("cap-all")].default_action, ACT_DENY);
	assert_int_equal(rule_table[rule_by_id("no-new-privileges")].default_action, ACT_FIX);
}

static void test_cis_references(void **state)
{
	(void)state;
	/* docker-bench-security's current numbering */
	struct { const char *id, *cis; } t[] = {
		{ "apparmor-unconfined", "5.2" }, { "selinux-disabled", "5.3" },
		{ "cap-not-allowed", "5.4" }, { "privileged", "5.5" },
		{ "seccomp-unconfined", "5.22" }, { "no-new-privileges", "5.26" },
		{ "sensitive-mounts", "5.6, 5.20, 5.32" }, { "host-devices", "5.18" },
		{ "cwd-fd", "1.2.2" }, { "hook-loader-env", "1.2.2" },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		assert_string_equal(rule_table[rule_by_id(t[i].id)].cis, t[i].cis);
}

static void test_pss_and_cve_references(void **state)
{
	(void)state;
	struct { const char *id, *pss, *cve; } t[] = {
		{ "kernel-paths", "/proc Mount Type (baseline)", NULL },
		{ "sensitive-mounts", "HostPath Volumes (baseline), Volume Types (restricted)", NULL },
		{ "sysctl-host", "Sysctls (baseline)", NULL },
		{ "host-namespaces", "Host Namespaces (baseline)", NULL },
		{ "cwd-fd", NULL, "CVE-2024-21626" },
		{ "hook-loader-env", NULL, "CVE-2025-23266" },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		const struct rule_info *ri = &rule_table[rule_by_id(t[i].id)];
		if (t[i].pss)
			assert_string_equal(ri->pss, t[i].pss);
		if (t[i].cve)
			assert_string_equal(ri->cve, t[i].cve);
	}
	/* A reference, when there is one, says something. */
	for (int r = 0; r < RULE_COUNT; r++) {
		assert_true(rule_table[r].pss == NULL || strlen(rule_table[r].pss) > 5);
		assert_true(rule_table[r].cve == NULL ||
			    strncmp(rule_table[r].cve, "CVE-", 4) == 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_rule_documented),
		cmocka_unit_test(test_required_ids_stable),
		cmocka_unit_test(test_cis_references),
		cmocka_unit_test(test_pss_and_cve_references),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
