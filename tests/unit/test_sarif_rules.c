/* SPDX-License-Identifier: Apache-2.0 */
/* The SARIF table: one entry per rule of the rule table, nothing else, with
 * values code scanning accepts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "rules.h"
#include "sarif_rules.h"

static void test_every_rule_has_an_entry(void **state)
{
	(void)state;
	for (int r = 0; r < RULE_COUNT; r++) {
		const struct sarif_rule *sr = sarif_rule_find(rule_table[r].id);
		if (sr == NULL)
			fail_msg("rule %s has no entry in hook/sarif_rules.c", rule_table[r].id);
		assert_string_equal(sr->id, rule_table[r].id);
	}
}

static void test_every_entry_is_a_rule_once(void **state)
{
	(void)state;
	assert_int_equal(sarif_rule_count, RULE_COUNT);
	for (unsigned i = 0; i < sarif_rule_count; i++) {
		if (rule_by_id(sarif_rules[i].id) < 0)
			fail_msg("hook/sarif_rules.c names %s, which is no rule", sarif_rules[i].id);
		for (unsigned j = 0; j < i; j++)
			assert_string_not_equal(sarif_rules[i].id, sarif_rules[j].id);
	}
}

static void test_values_code_scanning_accepts(void **state)
{
	(void)state;
	static const char *const precisions[] = { "very-high", "high", "medium", "low" };
	for (unsigned i = 0; i < sarif_rule_count; i++) {
		const struct sarif_rule *sr = &sarif_rules[i];
		char *end;
		double sev = strtod(sr->security_severity, &end);
		assert_true(*end == '\0' && end != sr->security_severity);
		assert_true(sev >= 0.0 && sev <= 10.0);
		assert_non_null(strchr(sr->security_severity, '.'));
		bool known = false;
		for (size_t k = 0; k < sizeof(precisions) / sizeof(precisions[0]); k++)
			known |= strcmp(sr->precision, precisions[k]) == 0;
		assert_true(known);
		assert_true(strncmp(sr->cwe, "external/cwe/cwe-", 17) == 0);
		assert_true(strlen(sr->description) > 40);
	}
}

static void test_deny_rules_rank_above_warn_rules(void **state)
{
	(void)state;
	/* A rule the policy refuses by default is at least as severe as every
	 * rule it only warns about. */
	for (int d = 0; d < RULE_COUNT; d++) {
		if (rule_table[d].default_action != ACT_DENY)
			continue;
		double ds = strtod(sarif_rule_find(rule_table[d].id)->security_severity, NULL);
		for (int w = 0; w < RULE_COUNT; w++)
			if (rule_table[w].default_action == ACT_WARN)
				assert_true(ds >= strtod(sarif_rule_find(rule_table[w].id)->security_severity, NULL));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_rule_has_an_entry),
		cmocka_unit_test(test_every_entry_is_a_rule_once),
		cmocka_unit_test(test_values_code_scanning_accepts),
		cmocka_unit_test(test_deny_rules_rank_above_warn_rules),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
