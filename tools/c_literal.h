/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The build-time generators' C string literals: printable ASCII as is,
 * the rest as octal escapes (always three digits, so the next character
 * cannot extend them), and "?" escaped so no trigraph forms.
 */
#ifndef OH_TOOLS_C_LITERAL_H
#define OH_TOOLS_C_LITERAL_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

/* s[0..n) as the body of a literal, without its quotes; with lines, a
 * newline also ends the literal's line (the next continues it). */
static inline void c_literal_body(struct oh_buf *b, const char *s, size_t n, bool lines)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\' || c == '?')
			oh_buf_printf(b, "\\%c", c);
		else if (lines && c == '\n')
			oh_buf_puts(b, "\\n\"\n\t\"");
		else if (c >= 0x20 && c < 0x7f)
			oh_buf_add(b, &s[i], 1);
		else
			oh_buf_printf(b, "\\%03o", c);
	}
}

static inline void c_literal(struct oh_buf *b, const char *s, size_t n)
{
	oh_buf_puts(b, "\"");
	c_literal_body(b, s, n, false);
	oh_buf_puts(b, "\"");
}

#endif
