/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The error contract: a function that can fail returns a negative value and
 * fills a struct oh_error.  Callers may add context with oh_err_wrap(); only
 * the front ends print the message and choose the exit code.
 */
#ifndef OH_ERROR_H
#define OH_ERROR_H

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

#endif
