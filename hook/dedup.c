/* SPDX-License-Identifier: Apache-2.0 */
#include "dedup.h"

#include <string.h>

#include "util.h"

/* Items per piece, on average: a piece's table (two slots per item, 16
 * bytes a slot) is then 128 KiB, inside a core's L2 cache. */
#define PIECE 4096u
/* At most 2^16 pieces: the pass that deals items out to them writes to as
 * many places at once, and more would miss the TLB there instead. */
#define PIECE_BITS_MAX 16u

struct slot {
	uint64_t hash;   /* its hash: compared before same() is asked */
	uint32_t idx;    /* the first item of its kind */
	uint32_t piece;  /* the piece (from 1) it was filled for: others' are empty */
};

static size_t table_size(size_t n)
{
	size_t cap = 16;

	while (cap < n * 2)
		cap *= 2;
	return cap;
}

/*
 * Sets first[i] (when first is not NULL) and the bit i of firsts (when
 * firsts is not NULL) for each item; returns the number of distinct items.
 */
static size_t dedup_run(const uint64_t *hash, size_t n, oh_dedup_same same, void *ctx,
			uint32_t *first, uint64_t *firsts)
{
	unsigned bits = 0;
	size_t distinct = 0;

	while (bits < PIECE_BITS_MAX && ((size_t)PIECE << bits) < n)
		bits++;
	size_t pieces = (size_t)1 << bits;
#define PIECE_OF(h) (bits ? (size_t)((h) >> (64 - bits)) : 0)

	/* Deal the items out to their pieces, in order within each. */
	cleanup_free size_t *start = xcalloc(pieces + 1, sizeof(*start));
	cleanup_free size_t *at = xmalloc(pieces * sizeof(*at));
	/* Each item goes with its hash, so that a piece is read in order;
	 * packed, as millions of them are fresh memory. */
	struct __attribute__((packed)) item {
		uint64_t hash;
		uint32_t idx;
	};
	size_t order_bytes = oh_big_size((n ? n : 1) * sizeof(struct item));
	struct item *order = oh_big_grow(NULL, 0, order_bytes);
	for (size_t i = 0; i < n; i++)
		start[PIECE_OF(hash[i]) + 1]++;
	size_t largest = 0;
	for (size_t p = 0; p < pieces; p++) {
		if (start[p + 1] > largest)
			largest = start[p + 1];
		start[p + 1] += start[p];
		at[p] = start[p];
	}
	for (size_t i = 0; i < n; i++)
		order[at[PIECE_OF(hash[i])]++] = (struct item){ hash[i], (uint32_t)i };
	if (firsts != NULL)
		memset(firsts, 0, ((n + 63) / 64) * sizeof(*firsts));

	/* Each piece through one table, sized for the largest piece and
	 * cleared once: a slot is empty for a piece when another piece filled
	 * it (a table of two slots an item, cleared for each piece, was 128 MB
	 * of writes for 3.5 million names). */
	cleanup_free struct slot *slot = xcalloc(table_size(largest), sizeof(*slot));
	for (size_t p = 0; p < pieces; p++) {
		size_t cap = table_size(start[p + 1] - start[p]);
		uint32_t piece = (uint32_t)p + 1;

		for (size_t k = start[p]; k < start[p + 1]; k++) {
			uint32_t i = order[k].idx;
			uint64_t full = order[k].hash;
			size_t h = (size_t)full & (cap - 1);
			uint32_t f = i;

			for (; slot[h].piece == piece; h = (h + 1) & (cap - 1))
				if (slot[h].hash == full && same(ctx, i, slot[h].idx)) {
					f = slot[h].idx;
					break;
				}
			if (f == i) {
				slot[h].idx = i;
				slot[h].hash = full;
				slot[h].piece = piece;
				distinct++;
				if (firsts != NULL)
					firsts[i / 64] |= 1ull << (i % 64);
			}
			if (first != NULL)
				first[i] = f;
		}
	}
#undef PIECE_OF
	oh_big_free(order, order_bytes);
	return distinct;
}

void oh_dedup(const uint64_t *hash, size_t n, oh_dedup_same same, void *ctx,
	      uint32_t *first)
{
	dedup_run(hash, n, same, ctx, first, NULL);
}

size_t oh_dedup_count(const uint64_t *hash, size_t n, oh_dedup_same same, void *ctx,
		      uint64_t *firsts)
{
	return dedup_run(hash, n, same, ctx, NULL, firsts);
}
