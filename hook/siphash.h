/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SipHash (Aumasson and Bernstein, "SipHash: a fast short-input PRF", 2012),
 * written from the paper's description: a keyed hash whose outputs an
 * attacker who does not know the key cannot steer, so a table keyed with a
 * secret per-process seed cannot be flooded with colliding keys (the way an
 * unkeyed FNV-1a table can).
 *
 * A streaming form, fed one byte at a time, because the duplicate-key check
 * hashes the case-folded form of a key that is produced rune by rune.
 * C compression rounds per 8-byte word and D finalization rounds are the
 * caller's choice: SipHash-2-4 for the paper's test vectors, SipHash-1-3
 * for the parser's table.
 */
#ifndef OH_SIPHASH_H
#define OH_SIPHASH_H

#include <stdint.h>

struct oh_sip {
	uint64_t v0, v1, v2, v3;
	uint64_t m;       /* the word being filled, little-endian */
	unsigned nm;      /* bytes in m */
	uint64_t len;     /* bytes fed */
};

static inline uint64_t oh_sip_rotl(uint64_t x, unsigned b)
{
	return (x << b) | (x >> (64 - b));
}

static inline void oh_sip_round(struct oh_sip *s)
{
	s->v0 += s->v1; s->v1 = oh_sip_rotl(s->v1, 13); s->v1 ^= s->v0;
	s->v0 = oh_sip_rotl(s->v0, 32);
	s->v2 += s->v3; s->v3 = oh_sip_rotl(s->v3, 16); s->v3 ^= s->v2;
	s->v0 += s->v3; s->v3 = oh_sip_rotl(s->v3, 21); s->v3 ^= s->v0;
	s->v2 += s->v1; s->v1 = oh_sip_rotl(s->v1, 17); s->v1 ^= s->v2;
	s->v2 = oh_sip_rotl(s->v2, 32);
}

/* k0 and k1: the 128-bit key as two little-endian words. */
static inline void oh_sip_init(struct oh_sip *s, uint64_t k0, uint64_t k1)
{
	s->v0 = k0 ^ 0x736f6d6570736575ull;   /* "somepseudorandomlygeneratedbytes" */
	s->v1 = k1 ^ 0x646f72616e646f6dull;
	s->v2 = k0 ^ 0x6c7967656e657261ull;
	s->v3 = k1 ^ 0x7465646279746573ull;
	s->m = 0;
	s->nm = 0;
	s->len = 0;
}

static inline void oh_sip_word(struct oh_sip *s, uint64_t m, int crounds)
{
	s->v3 ^= m;
	for (int i = 0; i < crounds; i++)
		oh_sip_round(s);
	s->v0 ^= m;
}

static inline void oh_sip_byte(struct oh_sip *s, unsigned char b, int crounds)
{
	s->m |= (uint64_t)b << (8 * s->nm);
	s->len++;
	if (++s->nm == 8) {
		oh_sip_word(s, s->m, crounds);
		s->m = 0;
		s->nm = 0;
	}
}

static inline uint64_t oh_sip_final(struct oh_sip *s, int crounds, int drounds)
{
	/* The last word: the remaining bytes, and the length mod 256 in the
	 * top byte. */
	oh_sip_word(s, s->m | (s->len << 56), crounds);
	s->v2 ^= 0xff;
	for (int i = 0; i < drounds; i++)
		oh_sip_round(s);
	return s->v0 ^ s->v1 ^ s->v2 ^ s->v3;
}

#endif
