/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target: one input as kernel log text (kmsg records, dmesg
 * lines, an audit.log) read by profile denials.
 *
 *   oh_denials_read_stream -> oh_denial_parse per line
 *
 * Besides the sanitizers, it checks that every line is counted once as a
 * record, as malformed, or as something else, and that a record has the
 * fields profile denials relies on: a pid above 0, an action without data
 * bits, and names that are NUL-terminated printable ASCII.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "denials.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

__attribute__((noreturn, format(printf, 1, 2)))
static void finding(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

static void printable(const char *s, size_t cap, const char *what)
{
	size_t n = strnlen(s, cap);

	if (n == cap)
		finding("%s is not NUL-terminated", what);
	for (size_t i = 0; i < n; i++)
		if (s[i] < 0x20 || s[i] >= 0x7f)
			finding("%s holds byte %#x", what, (unsigned char)s[i]);
}

static void check(void *ctx, const struct oh_denial *d)
{
	size_t *n = ctx;

	(*n)++;
	if (d->pid <= 0)
		finding("a record with pid %ld", d->pid);
	if ((d->code & 0xffff) != 0)
		finding("an action with data bits %#x", d->code);
	printable(d->comm, sizeof(d->comm), "comm");
	printable(d->exe, sizeof(d->exe), "exe");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct oh_denial_counts c = { 0 };
	struct oh_error err = { 0 };
	size_t n = 0, lines = 0;

	if (size == 0)
		return 0;
	for (size_t i = 0; i < size; i++)
		lines += data[i] == '\n';
	lines += data[size - 1] != '\n';
	FILE *f = fmemopen((void *)data, size, "r");
	if (f == NULL)
		return 0;
	if (oh_denials_read_stream(f, "fuzz", check, &n, &c, &err) < 0)
		finding("a read of memory failed: %s", err.msg);
	fclose(f);
	if (c.records != n)
		finding("%zu records counted, %zu handed over", c.records, n);
	if (c.lines != lines)
		finding("%zu lines counted in %zu", c.lines, lines);
	if (c.records + c.malformed > c.lines)
		finding("more records and malformed lines than lines");
	return 0;
}
