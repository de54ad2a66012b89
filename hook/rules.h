/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The rule catalogue and the decision: one table of rules with stable ids,
 * descriptions and references; each rule checks a config and, where it can,
 * fixes it.  The policy picks each rule's action.
 */
#ifndef OH_RULES_H
#define OH_RULES_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "host.h"
#include "ruleid.h"
#include "spec.h"

enum action { ACT_OFF, ACT_WARN, ACT_FIX, ACT_DENY };

const char *action_name(enum action a);
int action_parse(const char *s, enum action *out);


/* Rule sets as bit masks, one bit per rule index. */
typedef uint64_t rule_mask;
#define RULE_BIT(r) ((rule_mask)1 << (r))
_Static_assert(RULE_COUNT <= 64, "rule_mask holds one bit per rule");

/*
 * What a rule can judge.  A rule without a check for a context never fires
 * there: the rootfs and listening rules stay silent on a plain config, and
 * an exec'd process is judged only by the rules that describe a process.
 */
enum check_context {
	CTX_CONFIG,   /* a container's config */
	CTX_EXEC,     /* a process to run in an existing container */
	CTX_KERNEL,   /* a running container as /proc shows it */
	CTX_ROOTFS,   /* a walk of the container's root filesystem */
	CTX_UPDATE,   /* the resources `runc update -r` applies to a running container */
	CTX_MOUNTED,  /* what the runtime mounted, seen from the container's mount namespace */
	CTX_COUNT
};

struct check_ctx;
struct policy;
typedef void (*check_fn)(struct check_ctx *c);
typedef int (*fix_fn)(struct spec *s, const struct policy *p,
		      const struct host_facts *h, struct oh_error *err);

/* One rule, defined once: metadata, a check per context, its fix. */
struct rule_info {
	const char *id;
	enum action default_action;
	const char *summary;    /* one line */
	const char *cis;        /* CIS Docker Benchmark control (docker-bench numbering) */
	const char *cis_title;
	const char *help;       /* what to change, for people */
	const char *pss;        /* Kubernetes Pod Security Standards control, or NULL */
	const char *cve;        /* the CVE the rule stops, or NULL */
	check_fn check[CTX_COUNT];
	fix_fn fix;             /* NULL: the rule cannot be fixed automatically */
	/* Fixes run in ascending order: capabilities before seccomp, whose
	 * translation depends on the bounding set the capability fix left. */
	int fix_order;
};

extern const struct rule_info rule_table[RULE_COUNT];
/* The rule index for an id, or -1. */
int rule_by_id(const char *id);
/* Whether the rule has a fix (the policy may then give it "fix"). */
bool rule_fixable(int r);

#define OWASP_REF "OWASP Docker Top 10 D04: Secure Defaults and Hardening"

struct profile;
struct kernel_view;     /* inspect.h */
struct rootfs_result;   /* rootfs.h */
struct mounted_view;    /* mounted.h */

struct finding {
	int rule;
	enum action action;
	char *message;   /* what is wrong */
	char *pointer;   /* JSON pointer of the field */
	unsigned line, column;   /* where the pointer leads in the file, 0 if unknown */
	unsigned end_line, end_column;   /* where that member's value ends, 0 if unknown */
};

/* V_NOT_JUDGED: a decision no judgement settled (a document only viewed,
 * or one whose judgement broke off); the outcome layer refuses it as an
 * error in every mode, so it can never be read as compliant. */
enum verdict { V_COMPLIANT, V_FIXABLE, V_DENIED, V_ERROR, V_NOT_JUDGED };
const char *verdict_name(enum verdict v);

struct decision {
	enum verdict verdict;
	struct finding *findings;
	size_t nfindings;
	rule_mask exempted;   /* rules an exemption switched off */
	int exemption;        /* index of the first matching exemption, or -1 */
};

/*
 * What is judged: a config (CTX_CONFIG), a process to run in a container
 * (CTX_EXEC: a spec holding that process as its "process"), a kernel view
 * or a rootfs walk.  The exemptions key on the annotations of ann, or of s
 * when ann is NULL: for an exec and a kernel view they are the
 * container's, never anything the subject itself carries.
 */
struct subject {
	enum check_context on;
	const struct spec *s;
	const struct kernel_view *k;
	const struct rootfs_result *fs;
	const struct mounted_view *mv;   /* CTX_MOUNTED */
	const struct spec *ann;
};

/* Runs every rule's check for the subject's context, adding findings to d
 * (which may hold findings of other contexts), and settles the verdict. */
void rules_judge(const struct subject *sub, const struct policy *p,
		 const struct host_facts *h, struct decision *d);

/* An empty decision. */
void decision_init(struct decision *d);

/* Judges the config under the policy on host h. */
int rules_evaluate(const struct spec *s, const struct policy *p,
		   const struct host_facts *h, struct decision *d,
		   struct oh_error *err);

/*
 * Applies the fixes of every finding whose action is fix, then re-reads the
 * config and checks that no fix or deny finding is left.  The seccomp
 * profile is loaded only when the seccomp fix needs it.
 */
int rules_fix(struct spec *s, const struct policy *p,
	      const struct host_facts *h, const struct decision *d,
	      struct oh_error *err);

/*
 * What a config needs before it can be judged: the seccomp profile the
 * policy's seccomp.workloads names for it loads, translates for its
 * capabilities and confines.  An error (naming the file) refuses the
 * container in every front end.
 */
int rules_prepare(const struct spec *s, const struct policy *p,
		  const struct host_facts *h, struct oh_error *err);

void decision_free(struct decision *d);
#define cleanup_decision __attribute__((cleanup(decision_free)))
/* The rules with a finding at action min or above. */
rule_mask decision_rules(const struct decision *d, enum action min);
struct oh_buf;
/* Appends the ids of the rules in mask, in table order, sep between. */
void rule_ids(rule_mask mask, const char *sep, struct oh_buf *out);
/* Sets d->verdict from its findings: denied if any deny, else fixable if
 * any fix, else compliant. */
void decision_settle(struct decision *d);

/*
 * Judges a running container's kernel view (inspect.h) with the rules that
 * have a kernel-side check, under the same policy actions and thresholds as
 * the config rules.  ann carries the container's annotations for the
 * policy's exemptions (a spec with nothing else in it is fine).  A fix
 * action stays "fix" in the findings: it is what the config would need.
 */
int rules_evaluate_kernel(const struct kernel_view *k, const struct spec *ann,
			  const struct policy *p, const struct host_facts *h,
			  struct decision *d, struct oh_error *err);

/*
 * Adds the findings of the rootfs rules (suid-files, phone-home-tools,
 * package-manager, compiler) for a finished walk to d, which may already
 * hold the config's findings, and recomputes the verdict.
 */
int rules_evaluate_rootfs(const struct rootfs_result *fs, const struct spec *s,
			  const struct policy *p, const struct host_facts *h,
			  struct decision *d, struct oh_error *err);

/* Appends a finding (for judgements made outside the rule checks). */
void decision_add(struct decision *d, int rule, enum action a,
		  const char *pointer, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
void decision_addv(struct decision *d, int rule, enum action a,
		   const char *pointer, const char *fmt, va_list ap)
	__attribute__((format(printf, 5, 0)));

/* The cap-all criterion on a capability mask (see rules.c). */
bool rules_capmask_is_all(uint64_t mask);

/* The action the policy gives rule r for this config, after exemptions. */
enum action rules_action_for(const struct spec *s, const struct policy *p,
			     int r, int *exemption);

#endif
