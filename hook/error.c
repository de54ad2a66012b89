/* SPDX-License-Identifier: Apache-2.0 */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static bool is_control(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

bool oh_controls_in(const char *s)
{
	for (const unsigned char *c = (const unsigned char *)s; *c; c++)
		if (is_control(*c))
			return true;
	return false;
}

size_t oh_escape_controls(char *dst, size_t cap, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = 0;

	if (cap == 0)
		return 0;
	for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
		char e[4];
		size_t el = 1;
		e[0] = (char)*c;
		if (*c == '\n') {
			e[0] = '\\', e[1] = 'n', el = 2;
		} else if (is_control(*c)) {
			e[0] = '\\', e[1] = 'x', e[2] = hex[*c >> 4], e[3] = hex[*c & 15];
			el = 4;
		}
		if (n + el >= cap)
			break;
		memcpy(dst + n, e, el);
		n += el;
	}
	dst[n] = '\0';
	return n;
}

/* The message in err, escaped in place where it holds a control byte. */
static void clean_msg(struct oh_error *err)
{
	char raw[OH_ERR_MSG_MAX];

	if (!oh_controls_in(err->msg))
		return;
	memcpy(raw, err->msg, sizeof(raw));
	oh_escape_controls(err->msg, sizeof(err->msg), raw);
}

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
	clean_msg(err);
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
	if (n >= sizeof(err->msg) - 1) {
		clean_msg(err);
		return -1;
	}
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
	clean_msg(err);
	return -1;
}

void oh_err_clear(struct oh_error *err)
{
	err->errnum = 0;
	err->msg[0] = '\0';
}
