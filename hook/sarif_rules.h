/* SPDX-License-Identifier: Apache-2.0 */
/* What code-scanning dashboards need to know about each rule beyond the
 * rule table: how severe a finding is (GitHub's security-severity ranks
 * alerts by it), how sure the rule is (precision), the CWE it belongs to,
 * and a full description.  Keyed by rule id, so the rule table can change
 * shape; a unit test holds both tables to the same ids. */
#ifndef OH_SARIF_RULES_H
#define OH_SARIF_RULES_H

struct sarif_rule {
	const char *id;
	/* "0.0" to "10.0" as GitHub reads it: 9.0 and above critical, 7.0 high,
	 * 4.0 medium, 0.1 low. */
	const char *security_severity;
	/* SARIF's reportingDescriptor precision: very-high, high, medium, low */
	const char *precision;
	const char *cwe;          /* "external/cwe/cwe-N" tag */
	const char *description;  /* fullDescription: why it matters */
};

extern const struct sarif_rule sarif_rules[];
extern const unsigned sarif_rule_count;

/* The entry for a rule id, or NULL. */
const struct sarif_rule *sarif_rule_find(const char *id);

#endif
