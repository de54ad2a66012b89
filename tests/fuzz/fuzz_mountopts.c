/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target: an overlay's options and a mountinfo line, as the
 * kernel shows them or as a config spells them (the first byte picks).
 *
 *   hostmount_overlay_dirs, hostmount_parse_line, hostmount_inner
 *
 * Besides the sanitizers, it checks what a crash would not reveal, and
 * aborts when one fails so libFuzzer keeps the input: every directory
 * passed on is non-empty and shorter than PATH_MAX; a directory of a
 * config's options without a backslash is a part of the input as it is;
 * a mountinfo line that parses has a root, a mount point and a type, and
 * a path at its mount point is its root there.
 */
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hostmount.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

__attribute__((noreturn, format(printf, 1, 2)))
static void finding(const char *fmt, ...)
{
	va_list ap;

	fputs("fuzz_mountopts: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

struct seen {
	const char *in;
	bool literal;   /* no backslash in the input, not as shown */
};

static void dir_seen(void *arg, const char *name, const char *dir)
{
	const struct seen *s = arg;

	if (name == NULL || dir[0] == '\0' || strlen(dir) >= PATH_MAX)
		finding("a directory of %s that is empty or too long", name ? name : "(none)");
	if (s->literal && strstr(s->in, dir) == NULL)
		finding("%s=%s is not a part of the options", name, dir);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	bool shown = data[0] & 1;
	char *in = xmalloc(size);
	struct oh_error err = { 0 };

	memcpy(in, data + 1, size - 1);
	in[size - 1] = '\0';
	struct seen s = { .in = in, .literal = !shown && strchr(in, '\\') == NULL };
	if (hostmount_overlay_dirs(in, strlen(in), shown, dir_seen, &s, &err) < 0 &&
	    err.msg[0] == '\0')
		finding("a failure without a message");

	struct hostmount m;
	if (hostmount_parse_line(in, &m)) {
		char out[PATH_MAX];
		if (m.root == NULL || m.point == NULL || m.type == NULL || m.opts == NULL)
			finding("a parsed line without a root, a mount point or a type");
		if (m.point[0] == '/' && strlen(m.point) < PATH_MAX && strlen(m.root) < PATH_MAX &&
		    hostmount_inner(m.root, m.point, m.point, out, sizeof(out)) &&
		    strcmp(out, m.root) != 0 && !(strcmp(m.root, "") == 0))
			finding("the mount point of %s at %s is %s", m.root, m.point, out);
	}
	free(in);
	return 0;
}
