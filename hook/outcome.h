/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The outcome layer: what a front end does with a judgement.  One function
 * maps (the policy's mode, the verdict, what the stage can do) to admit,
 * rewrite, refuse or error; one printer explains the findings; one builder
 * writes the audit event.  A hook stage or wrapper command is then a table
 * row plus the document it judges (pipeline.h).
 */
#ifndef OH_OUTCOME_H
#define OH_OUTCOME_H

#include <stdio.h>

#include "policy.h"
#include "rules.h"

/* What a stage can do with a config it judges. */
enum stage_power {
	POWER_GATE,     /* only admit or refuse: the runtime has read the config */
	POWER_REWRITE,  /* hand on a fixed config (precreate, the wrapper's create) */
};

enum outcome { OUT_ADMIT, OUT_REWRITE, OUT_REFUSE, OUT_ERROR };

/* Who is asking: the stage's name in the audit trail and in messages. */
struct front {
	const char *stage;      /* precreate, createRuntime, runtime, runtime-exec, ... */
	const char *who;        /* message prefix, "oci-harden: createRuntime" */
	enum stage_power power;
	const struct policy *p; /* NULL when the policy itself could not be read */
	const char *id;         /* container id, or NULL */
	const char *bundle;     /* or NULL */
	const char *what;       /* "container" or "exec in container" */
};

/*
 * The decision table.  Audit mode admits everything.  Otherwise compliant
 * is admitted; fixable is rewritten where the stage can rewrite and refused
 * where it cannot; denied is refused; an input that cannot be judged
 * (V_ERROR) is an error, which refuses.
 */
enum outcome outcome_decide(const struct policy *p, enum verdict v,
			    enum stage_power power);

/* Decides, explains a refusal on stderr and logs the audit event. */
enum outcome outcome_settle(const struct front *f, const struct decision *d);

/* The same for an input that could not be judged (msg says why). */
enum outcome outcome_error(const struct front *f, const char *msg);

/* The exit status for an outcome: 0 admitted or rewritten, 1 refused, 2 error. */
int outcome_exit(enum outcome o);

/* "admitted", "rewritten", "refused", "refused" (error) for the audit trail. */
const char *outcome_name(enum outcome o);

/*
 * The one finding printer: "WHO: RULE [ACTION]: MESSAGE; HELP" per finding
 * at action min or above, "WHO: RULE [fixed]: MESSAGE" for fix findings of
 * a config that was fixed.
 */
void outcome_print_findings(FILE *out, const char *who, const struct decision *d,
			    enum action min, bool fixed);

#endif
