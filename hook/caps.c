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
	for (int i = 0; i < known; i++)
		if (strcmp(names[i], s) == 0)
			return i;
	return -1;
}

int caps_from_loose(const char *s)
{
	cap_value_t v;

	init();
	/* libcap also reads bare numbers; a runtime would not, so neither do we. */
	if (s[0] == '\0' || isdigit((unsigned char)s[0]))
		return -1;
	if (cap_from_name(s, &v) == 0 && v >= 0 && v < known)
		return (int)v;
	if (strncasecmp(s, "CAP_", 4) != 0) {
		char tmp[64];
		size_t n = strlen(s);
		if (n + 5 > sizeof(tmp))
			return -1;
		memcpy(tmp, "CAP_", 4);
		memcpy(tmp + 4, s, n + 1);
		if (cap_from_name(tmp, &v) == 0 && v >= 0 && v < known)
			return (int)v;
	}
	return -1;
}

int caps_popcount(uint64_t mask)
{
	return __builtin_popcountll(mask);
}
