/* SPDX-License-Identifier: Apache-2.0 */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int oh_err(struct oh_error *err, int errnum, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (err == NULL)
		return -1;
	err->errnum = errnum;
	va_start(ap, fmt);
	n = vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	if (errnum != 0 && (size_t)n < sizeof(err->msg))
		snprintf(err->msg + n, sizeof(err->msg) - (size_t)n, ": %s",
			 strerror(errnum));
	return -1;
}

int oh_err_wrap(struct oh_error *err, const char *fmt, ...)
{
	char old[OH_ERR_MSG_MAX];
	size_t n, rest;
	va_list ap;
	int r;

	if (err == NULL)
		return -1;
	memcpy(old, err->msg, sizeof(old));
	va_start(ap, fmt);
	r = vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	n = r < 0 ? 0 : (size_t)r;
	if (n >= sizeof(err->msg) - 1)
		return -1;
	rest = sizeof(err->msg) - n;
	if (rest > 2) {
		memcpy(err->msg + n, ": ", 2);
		n += 2;
		rest -= 2;
	}
	size_t ol = strnlen(old, sizeof(old) - 1);
	if (ol >= rest)
		ol = rest - 1;
	memcpy(err->msg + n, old, ol);
	err->msg[n + ol] = '\0';
	return -1;
}

void oh_err_clear(struct oh_error *err)
{
	err->errnum = 0;
	err->msg[0] = '\0';
}
