/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `oci-harden host`'s facts gathered in one report (hostscan.h's readers)
 * and judged under the policy: every finding of the command is made in
 * host_judge.c, into struct result for report.c's writers.
 */
#ifndef OH_HOST_JUDGE_H
#define OH_HOST_JUDGE_H

#include <stddef.h>

#include "hostscan.h"
#include "policy.h"
#include "report.h"

struct host_report {
	char *root;
	struct host_net net;
	bool net_read;
	char *net_error;
	struct host_mac mac;
	struct host_os os;
	char *os_error;
	struct host_pkgs pkgs;
	char *pkgs_error;
	struct host_runtime *runtimes;
	size_t nruntimes;
	struct host_engine engines[ENG_COUNT];
};

/* Gathers everything; parts that fail carry their error, the rest stands. */
void host_report_gather(const char *root, const struct policy *p,
			struct host_report *r);
void host_report_free(struct host_report *r);

/*
 * Judges the facts under the policy: one result per source (the view or
 * file the findings concern), each decision filled with decision_add and
 * settled.  A part that could not be read is a result with verdict error.
 */
void host_judge(const struct host_report *r, const struct policy *p,
		struct result **out, size_t *n);

#endif
