/* SPDX-License-Identifier: Apache-2.0 */
#include "caps.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define CAPS_MAX 64
/* Slots of the name table: a power of two, at least twice CAPS_MAX. */
#define CAPS_SLOTS 256
/* Longer than any capability name: a longer string is none. */
#define CAPS_NAME_MAX 40

static const char *names[CAPS_MAX];
static unsigned char lens[CAPS_MAX];
static int known = -1;
/* Name -> number: slot[h] is the number + 1, 0 for an empty slot.  The
 * names are libcap's and fixed, so a probe sequence is at most as long as
 * the longest chain among them, whatever string is looked up: a config's
 * capability list costs one hash and about one comparison per name. */
static unsigned char slot[CAPS_SLOTS];

/* Of a name of n bytes (4 < n <= CAPS_NAME_MAX) starting with CAP_: the
 * length and three letters tell libcap's names apart well enough, for a
 * few instructions. */
static unsigned hash3(size_t n, unsigned char a, unsigned char b, unsigned char c)
{
	return (unsigned)(n * 37u + a * 11u + b * 5u + c) & (CAPS_SLOTS - 1);
}

static unsigned name_hash(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;

	return hash3(n, u[4], u[n / 2 + 2], u[n - 1]);
}

static unsigned char ascii_upper(char ch)
{
	return (unsigned char)(ch >= 'a' && ch <= 'z' ? ch - 32 : ch);
}

/* The names again, NUL-padded: compared a word at a time. */
#define CAPS_NAME_PAD 48
static char padded[CAPS_MAX][CAPS_NAME_PAD];

static inline uint64_t load64(const void *p)
{
	uint64_t w;
	memcpy(&w, p, 8);
	return w;
}

/* Whether the n bytes of s (8 <= n <= CAPS_NAME_MAX) are those of the
 * padded name: a word at a time, the last one overlapping the one before
 * (every read inside s). */
static inline bool same_words(const char *name, const char *s, size_t n)
{
	size_t i = 0;

	for (; i + 8 < n; i += 8)
		if (load64(name + i) != load64(s + i))
			return false;
	return load64(name + n - 8) == load64(s + n - 8);
}

static int lookup(const char *s, size_t n)
{
	if (n <= 4 || n > CAPS_NAME_MAX || memcmp(s, "CAP_", 4) != 0)
		return -1;
	for (unsigned h = name_hash(s, n); slot[h] != 0; h = (h + 1) & (CAPS_SLOTS - 1)) {
		int cap = slot[h] - 1;
		if (lens[cap] != n)
			continue;
		if (n >= 8 ? same_words(padded[cap], s, n) : memcmp(names[cap], s, n) == 0)
			return cap;
	}
	return -1;
}

/*
 * libcap's names, taken at build time (tools/embed-capnames.c), so that the
 * binary does not load libcap at every start: its start-up costs about as
 * much as the rest of the library loading (bench/RESULTS.md, run H4).
 * They are the names libcap has when the binary is built, as cap_to_name
 * gave them at run time before: libcap's own table is fixed when libcap is
 * built, so a later libcap only ever adds names.  A name the table lacks
 * reads as unknown, which the rules refuse, never admit.
 */
extern const char *const oh_cap_names[];
extern const int oh_cap_names_count;

static void init(void)
{
	if (known >= 0)
		return;
	known = 0;
	for (int i = 0; i < oh_cap_names_count && i < CAPS_MAX; i++) {
		const char *up = oh_cap_names[i];
		size_t len = strnlen(up, CAPS_NAME_MAX + 1);
		if (len > CAPS_NAME_MAX)
			break;
		names[i] = up;
		lens[i] = (unsigned char)len;
		if (len < CAPS_NAME_PAD)
			memcpy(padded[i], up, len);
		known = i + 1;
		unsigned h = name_hash(up, len);
		while (slot[h] != 0)
			h = (h + 1) & (CAPS_SLOTS - 1);
		slot[h] = (unsigned char)(i + 1);
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
	return caps_from_exact_n(s, strnlen(s, CAPS_NAME_MAX + 1));
}

int caps_from_exact_n(const char *s, size_t n)
{
	init();
	return lookup(s, n);
}

/* A word of ASCII bytes with its letters in upper case: a byte loses 0x20
 * where it is at least 'a' and at most 'z' (no byte carries into the next,
 * all are below 0x80). */
static inline uint64_t ascii_upper_word(uint64_t w)
{
	const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
	uint64_t ge_a = w + ones * (0x80 - 'a'), gt_z = w + ones * (0x80 - 'z' - 1);

	return w & ~(((ge_a ^ gt_z) & high) >> 2);
}

/* Whether the n bytes of s, letters taken in upper case, are those of the
 * upper-case name: eight at a time, as a config's sets repeat the same
 * names in every judgement and strcasecmp went through the locale (and the
 * library) for each. */
static bool upper_equal(const char *name, const char *s, size_t n)
{
	size_t i = 0;

	if (n >= 8) {
		/* The last word overlaps the one before: no byte loop. */
		for (; i + 8 < n; i += 8) {
			uint64_t b = load64(s + i);
			if ((b & 0x8080808080808080ull) || load64(name + i) != ascii_upper_word(b))
				return false;
		}
		uint64_t b = load64(s + n - 8);
		return !(b & 0x8080808080808080ull) && load64(name + n - 8) == ascii_upper_word(b);
	}
	for (; i < n; i++)
		if ((unsigned char)name[i] != ascii_upper(s[i]))
			return false;
	return true;
}

int caps_from_loose(const char *s)
{
	return caps_from_loose_n(s, strnlen(s, CAPS_NAME_MAX + 1));
}

static int loose(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t off = 4, len;

	/* libcap also reads bare numbers; a runtime would not, so neither do we.
	 * The names are libcap's (init), so this matches as cap_from_name
	 * does, case-insensitively (ASCII), with or without the CAP_ prefix. */
	init();
	if (n == 0 || (unsigned)(u[0] - '0') < 10u || n > CAPS_NAME_MAX)
		return -1;
	/* x | 0x20 is 'c' for C and c only, and so on. */
	if (n >= 4 && (u[0] | 0x20) == 'c' && (u[1] | 0x20) == 'a' &&
	    (u[2] | 0x20) == 'p' && u[3] == '_')
		off = 0;
	/* The name with the prefix: byte i of it is s[i - off] (i >= 4).  It
	 * is hashed as lookup() hashes, in upper case, without a copy. */
	len = n + off;
	if (len <= 4 || len > CAPS_NAME_MAX)
		return -1;
	const char *tail = s + 4 - off;   /* the len - 4 bytes after CAP_ */
	unsigned h = hash3(len, ascii_upper(tail[0]), ascii_upper(tail[len / 2 - 2]),
			   ascii_upper(tail[len - 5]));
	for (; slot[h] != 0; h = (h + 1) & (CAPS_SLOTS - 1)) {
		int cap = slot[h] - 1;
		if (lens[cap] == len && upper_equal(padded[cap] + 4, tail, len - 4))
			return cap;
	}
	return -1;
}

/* Whether a word of bytes below 0x80 holds a lower-case letter. */
static inline bool word_has_lower(uint64_t w)
{
	const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;

	return ((w + ones * (0x80 - 'a')) ^ (w + ones * (0x80 - 'z' - 1))) & high;
}

/*
 * Most names a config holds are spelled exactly, and an unknown one is
 * mostly in upper case with the prefix: the exact lookup first, which
 * answers both (a string with the prefix and without lower-case letters or
 * bytes above 0x7F reads loosely as it reads exactly), then the loose one.
 */
int caps_read_n(const char *s, size_t n, bool *exact)
{
	init();
	*exact = false;
	if (n > 4 && n < 8) {
		/* CAP_BPF: too short for the words below. */
		int cap = lookup(s, n);
		if (cap >= 0) {
			*exact = true;
			return cap;
		}
		return loose(s, n);
	}
	if (n >= 8 && n <= CAPS_NAME_MAX && memcmp(s, "CAP_", 4) == 0) {
		for (unsigned h = name_hash(s, n); slot[h] != 0; h = (h + 1) & (CAPS_SLOTS - 1)) {
			int cap = slot[h] - 1;
			if (lens[cap] == n && same_words(padded[cap], s, n)) {
				*exact = true;
				return cap;
			}
		}
		bool plain = true;
		for (size_t i = 0; plain && i + 8 < n; i += 8) {
			uint64_t w = load64(s + i);
			plain = !(w & 0x8080808080808080ull) && !word_has_lower(w);
		}
		uint64_t w = load64(s + n - 8);
		if (plain && (w & 0x8080808080808080ull))
			return -1;   /* no ASCII name matches a byte above 0x7F */
		if (plain && !word_has_lower(w))
			return -1;
	}
	return loose(s, n);
}

int caps_from_loose_n(const char *s, size_t n)
{
	bool exact;

	return caps_read_n(s, n, &exact);
}

int caps_popcount(uint64_t mask)
{
	return __builtin_popcountll(mask);
}
