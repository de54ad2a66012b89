/* SPDX-License-Identifier: Apache-2.0 */
#include "caps.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>

#include "util.h"

#define CAPS_MAX 64

static char *names[CAPS_MAX];
static int known = -1;

static void init(void)
{
	if (known >= 0)
		return;
	known = 0;
	for (int i = 0; i < CAPS_MAX; i++) {
		char *n = cap_to_name((cap_value_t)i);
		if (n == NULL)
			break;
		/* libcap prints unknown capabilities as bare numbers. */
		if (isdigit((unsigned char)n[0])) {
			cap_free(n);
			break;
		}
		size_t len = strlen(n);
		char *up = xmalloc(len + 1);
		for (size_t k = 0; k <= len; k++)
			up[k] = (char)toupper((unsigned char)n[k]);
		cap_free(n);
		names[i] = up;
		known = i + 1;
	}
}

int caps_known(void)
{
	init();
	return known;
}

const char *caps_name(int cap)
{
	init();
	if (cap < 0 || cap >= known)
		return NULL;
	return names[cap];
}

int caps_from_exact(const char *s)
{
	init();
	/* Every name starts with CAP_: its fifth byte rules most out. */
	if (strncmp(s, "CAP_", 4) != 0)
		return -1;
	for (int i = 0; i < known; i++)
		if (names[i][4] == s[4] && strcmp(names[i] + 4, s + 4) == 0)
			return i;
	return -1;
}

int caps_from_loose(const char *s)
{
	char up[64];
	size_t n = strlen(s), off = 0;

	/* libcap also reads bare numbers; a runtime would not, so neither do we.
	 * The names are libcap's (init), so this matches as cap_from_name
	 * does, case-insensitively, with or without the CAP_ prefix. */
	if (s[0] == '\0' || isdigit((unsigned char)s[0]))
		return -1;
	if (strncasecmp(s, "CAP_", 4) != 0) {
		memcpy(up, "CAP_", 4);
		off = 4;
	}
	if (off + n + 1 > sizeof(up))
		return -1;
	for (size_t i = 0; i <= n; i++)
		up[off + i] = (char)toupper((unsigned char)s[i]);
	return caps_from_exact(up);
}

int caps_popcount(uint64_t mask)
{
	return __builtin_popcountll(mask);
}
