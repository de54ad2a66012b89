/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The runtime's own error channel.  containerd's shim (and so Docker and
 * ctr) reads a failed runtime call's reason from the file given with
 * --log, as runc writes it with --log-format json: one object per line,
 * {"level","msg","time"}; it ignores stderr.  The wrapper writes its
 * refusals there in the same form, and to stderr for everyone else.
 */
#ifndef OH_RUNTIME_LOG_H
#define OH_RUNTIME_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

struct rt_log {
	int fd;      /* the --log file, or -1 */
	bool json;   /* --log-format json, else logrus's text form */
};

/* Opens path (append, created 0600) when not NULL; failures leave fd -1. */
void rt_log_open(struct rt_log *l, const char *path, const char *format);
void rt_log_close(struct rt_log *l);
/* One error line as the runtime would write it (malloc'd, ends in "\n"). */
char *rt_log_line(const struct rt_log *l, const char *msg, time_t when, size_t *len);
/* Writes msg to the log file and "oci-harden-runtime: msg" to stderr. */
void rt_log_error(const struct rt_log *l, const char *msg);

#endif
