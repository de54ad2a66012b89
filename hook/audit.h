/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The audit trail: one structured line per decision, to syslog (LOG_AUTHPRIV)
 * and, where the policy names one, appended to a file.  Logging never fails
 * the caller: a host without a syslog socket loses the line, not the hook.
 */
#ifndef OH_AUDIT_H
#define OH_AUDIT_H

#include "rules.h"

struct audit_event {
	const char *stage;      /* precreate, createRuntime, poststart, runtime, ... */
	const char *id;         /* container id, or NULL */
	const char *bundle;     /* or NULL */
	const char *verdict;    /* compliant|fixable|denied|error|mismatch|exited */
	const char *action;     /* admitted|rewritten|refused|killed|logged */
	bool audit_mode;
	const struct decision *d;   /* findings, or NULL */
	const char *detail;     /* error message or kernel mismatch, or NULL */
};

struct policy;

void audit_log(const struct policy *p, const struct audit_event *e);

/* The line audit_log writes for e (malloc'd), and its priority, facility
 * included, in *prio: for a line sent later, by the deadline (deadline.h). */
char *audit_line(const struct policy *p, const struct audit_event *e, int *prio);

/* The line msg at priority prio (facility included) to the syslog socket
 * at socket_path, as "<PRI>oci-harden[PID]: msg" (audit.c says why not
 * syslog(3)). */
#define OH_SYSLOG_SOCKET "/dev/log"
void audit_syslog(const char *socket_path, int prio, const char *msg);

#endif
