/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Seccomp denials from the kernel's audit records: the SECCOMP record
 * (type 1326) the kernel writes for a filter action it logs, read from
 * /dev/kmsg, from dmesg's text or from an audit.log; each attributed to the
 * container whose process made the call, and explained with the
 * container's own filter (bpfeval.h, the evaluator `profile explain` uses).
 *
 * The kernel logs KILL and LOG actions always, and ERRNO, TRAP, TRACE and
 * USER_NOTIF only from a filter installed with SECCOMP_FILTER_FLAG_LOG
 * (policy: seccomp.logDenials).  It rate-limits printk'd audit records
 * ("kauditd_printk_skb: N callbacks suppressed"): a report can be short of
 * records, never long of them.
 */
#ifndef OH_DENIALS_H
#define OH_DENIALS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "error.h"
#include "host.h"

struct oh_denial {
	long pid;                 /* as the host's pid namespace sees it */
	char comm[64];            /* decoded when the kernel hex-encoded it */
	char exe[256];
	uint32_t arch;            /* AUDIT_ARCH_* */
	long nr;                  /* the call's number on arch */
	uint32_t code;            /* SECCOMP_RET_* action (the kernel drops the data) */
	long sig;
	bool compat;
	uint64_t when_ms;         /* audit(SEC.MS:SERIAL), 0 when absent */
};

/* What a line holds: a seccomp record, something else, or a seccomp record
 * we cannot read (a required field missing, bad, repeated). */
enum oh_denial_line { OH_DL_OTHER, OH_DL_RECORD, OH_DL_MALFORMED };

/*
 * Parses one line (not NUL-terminated; len bytes) of /dev/kmsg ("6,12,34,-;
 * audit: type=1326 audit(...): ..."), dmesg or audit.log ("type=SECCOMP
 * msg=audit(...): ...").  Cost linear in len.
 */
enum oh_denial_line oh_denial_parse(const char *line, size_t len, struct oh_denial *out);

/* Counts of what a read met. */
struct oh_denial_counts {
	size_t lines;        /* records or lines read */
	size_t records;      /* seccomp records */
	size_t malformed;    /* seccomp records that could not be read, and overlong lines */
	size_t lost;         /* kmsg records overwritten before they were read */
	size_t dropped;      /* distinct records beyond the report's bound */
};

typedef void (*oh_denial_fn)(void *ctx, const struct oh_denial *d);

/* Longest line read; a longer one is counted malformed and skipped. */
#define OH_DENIAL_LINE_MAX 8192

/* Reads text lines from f (dmesg output, an audit.log) to its end. */
int oh_denials_read_stream(FILE *f, const char *name, oh_denial_fn fn, void *ctx,
			   struct oh_denial_counts *c, struct oh_error *err);
/* Reads the records /dev/kmsg (or path) holds now, oldest first, without
 * waiting for more. */
int oh_denials_read_kmsg(const char *path, oh_denial_fn fn, void *ctx,
			 struct oh_denial_counts *c, struct oh_error *err);

/* "SCMP_ACT_ERRNO" for a SECCOMP_RET_* action. */
const char *oh_denial_action(uint32_t code);
/* Whether the action kept the call from running (not LOG or ALLOW). */
bool oh_denial_denies(uint32_t code);

/* ------------------------------------------------------------- report */

struct oh_denials;   /* records, containers, explanations */

/* Where to find containers: runtime state roots ("runc" or "crun" reads
 * them).  NULL-terminated lists; roots that do not exist have none. */
struct oh_denials_opts {
	const char *const *runc_roots;
	const char *const *crun_roots;
	/* The policy's docker-format profile and groups (scgroups.h mask):
	 * the entries and groups a change would turn on. */
	const char *profile;
	unsigned groups;
	uint64_t allowed_caps;
	const struct host_facts *h;
};

struct oh_denials *oh_denials_new(const struct oh_denials_opts *o);
void oh_denials_free(struct oh_denials *r);
/* The callback for the readers: records one record (counted by distinct
 * pid, arch, call and action). */
void oh_denials_add(void *r, const struct oh_denial *d);
/* The counts the readers fill. */
struct oh_denial_counts *oh_denials_counts(struct oh_denials *r);

/* One distinct record, attributed and explained. */
struct oh_denial_row {
	struct oh_denial d;
	size_t count;
	const char *syscall;      /* the call's name, or NULL when unknown */
	const char *arch_name;    /* "SCMP_ARCH_X86_64", or NULL when unknown */
	const char *action;       /* the record's action */
	bool denied;
	/* The container, or NULL with why in attribution. */
	const char *container;
	const char *runtime;      /* "runc", "crun" */
	const char *bundle;
	char attribution[256];
	/* From the container's filter: its answer, which entry gave it (with
	 * the entry's index, -1 for none), and the smallest change. */
	char verdict[64];
	bool allowed_now;         /* the filter lets the call run now */
	char entry[1100];
	long entry_index;
	char change[512];
};

/* Attributes and explains every record; rows sorted by container, then
 * call.  The rows belong to r. */
int oh_denials_finish(struct oh_denials *r, const struct oh_denial_row **rows,
		      size_t *n, struct oh_error *err);

#endif
