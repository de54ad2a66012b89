/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The error contract: a function that can fail returns a negative value and
 * fills a struct oh_error.  Callers may add context with oh_err_wrap(); only
 * the front ends print the message and choose the exit code.
 */
#ifndef OH_ERROR_H
#define OH_ERROR_H

#include <stdbool.h>
#include <stddef.h>

#define OH_ERR_MSG_MAX 1024

struct oh_error {
	int errnum;   /* errno of the failure, 0 when it was not a system call */
	char msg[OH_ERR_MSG_MAX];
};

/* Sets the error and returns -1.  errnum != 0 appends strerror(errnum). */
int oh_err(struct oh_error *err, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Prefixes "context: " to the message already in err and returns -1. */
int oh_err_wrap(struct oh_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

void oh_err_clear(struct oh_error *err);

/*
 * Messages quote what configs and states say (mount points, paths, names),
 * and anyone may write those: a newline in a mount destination must not end
 * a line of `check`'s report and forge the next ("config.json: admitted").
 * Every message is made without control bytes at the point it is made
 * (oh_err, oh_err_wrap, decision_add): "\n" for a newline, "\xNN" for the
 * other bytes below 0x20 and for 0x7f; bytes from 0x80 up are left to the
 * output's own encoding (JSON escapes them, the terminal shows UTF-8).
 *
 * oh_controls_in(s) is whether s holds such a byte; oh_escape_controls
 * writes s escaped into dst (cap bytes, always terminated, cut at a whole
 * escape) and returns the length written.  4 * strlen(s) + 1 is always
 * enough.
 */
bool oh_controls_in(const char *s);
size_t oh_escape_controls(char *dst, size_t cap, const char *s);

#endif
