/* SPDX-License-Identifier: Apache-2.0 */
/* Capability names, as libcap knows them, and sets of them as bit masks. */
#ifndef OH_CAPS_H
#define OH_CAPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Capabilities every kernel since Linux 3.16 has: CAP_CHOWN..CAP_AUDIT_READ. */
#define CAPS_BASE_COUNT 38

/* Number of capabilities libcap knows (CAP_LAST_CAP + 1 at build time). */
int caps_known(void);
/* Canonical name, "CAP_SYS_ADMIN"; NULL for an unknown number. */
const char *caps_name(int cap);
/* The number of a canonical name ("CAP_SYS_ADMIN" exactly), or -1. */
int caps_from_exact(const char *s);
/* The number libcap reads from s (any letter case, with or without the
 * CAP_ prefix, as crun would), or -1. */
int caps_from_loose(const char *s);
/* The same for a string of n bytes (n = strlen(s)): a config's strings
 * come with their lengths, and a capability set is read many times. */
int caps_from_exact_n(const char *s, size_t n);
int caps_from_loose_n(const char *s, size_t n);
/* caps_from_loose_n, and in *exact whether caps_from_exact_n reads the
 * same (the string is the canonical name). */
int caps_read_n(const char *s, size_t n, bool *exact);
int caps_popcount(uint64_t mask);

#endif
