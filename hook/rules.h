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
#include "spec.h"

enum action { ACT_OFF, ACT_WARN, ACT_FIX, ACT_DENY };

const char *action_name(enum action a);
int action_parse(const char *s, enum action *out);

enum rule_id {
	R_NO_NEW_PRIVILEGES,
	R_CAP_ALL,
	R_CAP_NOT_ALLOWED,
	R_SECCOMP_UNCONFINED,
	R_APPARMOR_UNCONFINED,
	R_PRIVILEGED,
	R_MASKED_PATHS_REMOVED,
	R_HOST_NAMESPACES,
	R_ROOT_USER,
	R_WRITABLE_ROOTFS,
	R_SELINUX_DISABLED,
	/* Judged only on what a config cannot show: `inspect` on a running
	 * container's kernel view, and the rootfs walk on a bundle. */
	R_LISTENING_ALL_INTERFACES,
	R_SUID_FILES,
	R_PHONE_HOME_TOOLS,
	R_PACKAGE_MANAGER,
	R_COMPILER,
	/* Judged by `oci-harden host` on the host, its engines and runtimes
	 * (host_judge.c), not on a container. */
	R_HOST_LISTENING_ALL_INTERFACES,
	R_HOST_MAC_DISABLED,
	R_HOST_END_OF_LIFE,
	R_HOST_RUNTIME_VULNERABLE,
	R_HOST_ENGINE_UNHARDENED,
	R_HOST_ENGINE_WEAK_DEFAULTS,
	R_HOST_UNNEEDED_SOFTWARE,
	RULE_COUNT
};

struct rule_info {
	const char *id;
	enum action default_action;
	bool fixable;           /* has a fix */
	const char *summary;    /* one line */
	const char *cis;        /* CIS Docker Benchmark control (docker-bench numbering) */
	const char *cis_title;
	const char *help;       /* what to change, for people */
};

extern const struct rule_info rule_table[RULE_COUNT];
/* The rule index for an id, or -1. */
int rule_by_id(const char *id);

#define OWASP_REF "OWASP Docker Top 10 D04: Secure Defaults and Hardening"

struct policy;
struct profile;
struct kernel_view;     /* inspect.h */
struct rootfs_result;   /* rootfs.h */

struct finding {
	int rule;
	enum action action;
	char *message;   /* what is wrong */
	char *pointer;   /* JSON pointer of the field */
	unsigned line, column;   /* where the pointer leads in the file, 0 if unknown */
};

enum verdict { V_COMPLIANT, V_FIXABLE, V_DENIED, V_ERROR };
const char *verdict_name(enum verdict v);

struct decision {
	enum verdict verdict;
	struct finding *findings;
	size_t nfindings;
	unsigned exempted;    /* bit mask of rules an exemption switched off */
	int exemption;        /* index of the first matching exemption, or -1 */
};

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

void decision_free(struct decision *d);
/* The rules with a finding at action min or above, as a bit mask. */
unsigned decision_rules(const struct decision *d, enum action min);
struct oh_buf;
/* Appends the ids of the rules in mask, in table order, sep between. */
void rule_ids(unsigned mask, const char *sep, struct oh_buf *out);
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
