/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Duplicates among many items by their hashes, a cache-sized piece at a
 * time.  One hash table over millions of items makes nearly every insertion
 * a cache and TLB miss: 2.5 million annotation keys of a 64 MiB config kept
 * the hook waiting on the table's memory for half of its time.  Split by
 * the top bits of the hash, each piece's table stays in cache, and the
 * passes between pieces go through memory in order.
 */
#ifndef OH_DEDUP_H
#define OH_DEDUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Whether items i and j are equal; asked only when their hashes are. */
typedef bool (*oh_dedup_same)(void *ctx, size_t i, size_t j);

/*
 * For each of the n items (n < 2^32), sets first[i] to the first item equal
 * to item i: i itself when none comes before it.  Equal items must have
 * equal hashes; for hashes nobody can steer (keyed, as json_key_hash) the
 * expected cost is linear in n.
 */
void oh_dedup(const uint64_t *hash, size_t n, oh_dedup_same same, void *ctx,
	      uint32_t *first);

/*
 * The same, told as a count: returns the number of distinct items, and
 * marks in firsts (n bits, (n + 63) / 64 words) the items that come first
 * of their kind.  Fresh memory of a bit an item, not four bytes: millions
 * of names need only be counted and the first few shown.
 */
size_t oh_dedup_count(const uint64_t *hash, size_t n, oh_dedup_same same, void *ctx,
		      uint64_t *firsts);

#endif
