/* SPDX-License-Identifier: Apache-2.0 */
#include "outcome.h"

#include <string.h>

#include "audit.h"
#include "util.h"

enum outcome outcome_decide(const struct policy *p, enum verdict v,
			    enum stage_power power)
{
	/* No judgement to audit either: a caller's mistake, refused. */
	if (v == V_NOT_JUDGED)
		return OUT_ERROR;
	if (p != NULL && p->audit)
		return OUT_ADMIT;
	switch (v) {
	case V_COMPLIANT:
		return OUT_ADMIT;
	case V_FIXABLE:
		return power == POWER_REWRITE ? OUT_REWRITE : OUT_REFUSE;
	case V_DENIED:
		return OUT_REFUSE;
	case V_ERROR:
	case V_NOT_JUDGED:
		break;
	}
	return OUT_ERROR;
}

int outcome_exit(enum outcome o)
{
	switch (o) {
	case OUT_ADMIT:
	case OUT_REWRITE:
		return 0;
	case OUT_REFUSE:
		return 1;
	case OUT_ERROR:
		break;
	}
	return 2;
}

const char *outcome_name(enum outcome o)
{
	switch (o) {
	case OUT_ADMIT: return "admitted";
	case OUT_REWRITE: return "rewritten";
	case OUT_REFUSE:
	case OUT_ERROR: break;
	}
	return "refused";
}

void outcome_print_findings(FILE *out, const char *who, const struct decision *d,
			    enum action min, bool fixed)
{
	for (size_t i = 0; i < d->nfindings; i++) {
		const struct finding *f = &d->findings[i];
		const struct rule_info *r = &rule_table[f->rule];
		if (f->action < min)
			continue;
		if (fixed && f->action == ACT_FIX)
			fprintf(out, "%s: %s [fixed]: %s\n", who, r->id, f->message);
		else
			fprintf(out, "%s: %s [%s]: %s; %s\n", who, r->id,
				action_name(f->action), f->message, r->help);
	}
}

static const char *what(const struct front *f)
{
	return f->what ? f->what : "container";
}

enum outcome outcome_settle(const struct front *f, const struct decision *d)
{
	enum outcome o = outcome_decide(f->p, d->verdict, f->power);
	struct audit_event e = { .stage = f->stage, .id = f->id, .bundle = f->bundle,
				 .verdict = verdict_name(d->verdict),
				 .action = outcome_name(o),
				 .audit_mode = f->p && f->p->audit, .d = d };

	if (o == OUT_REFUSE) {
		/* A denied config is refused for its deny findings; a fixable
		 * one (where nothing can be rewritten) for its fix findings. */
		enum action why = d->verdict == V_DENIED ? ACT_DENY : ACT_FIX;
		struct oh_buf ids = { 0 };

		outcome_print_findings(stderr, f->who, d, why, false);
		rule_ids(decision_rules(d, why), ", ", &ids);
		fprintf(stderr, "%s: %s%s%s refused by policy (rules: %s)\n", f->who,
			what(f), f->id ? " " : "", f->id ? f->id : "",
			ids.data ? ids.data : "");
		oh_buf_free(&ids);
	}
	audit_log(f->p, &e);
	return o;
}

enum outcome outcome_error(const struct front *f, const char *msg)
{
	enum outcome o = outcome_decide(f->p, V_ERROR, f->power);
	struct audit_event e = { .stage = f->stage, .id = f->id, .bundle = f->bundle,
				 .verdict = "error", .action = outcome_name(o),
				 .audit_mode = f->p && f->p->audit, .detail = msg };

	audit_log(f->p, &e);
	if (o == OUT_ERROR)
		fprintf(stderr, "%s: refusing the %s%s%s: %s\n", f->who, what(f),
			f->id ? " " : "", f->id ? f->id : "", msg);
	return o;
}
