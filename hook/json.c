/* SPDX-License-Identifier: Apache-2.0 */
#include "json.h"

#include <errno.h>
#include <inttypes.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>
#include <wctype.h>
#include <yajl/yajl_parse.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "dedup.h"
#include "siphash.h"
#include "util.h"

/* ---------------------------------------------------------------- arena */

struct chunk {
	struct chunk *next;
	size_t used, cap;
	size_t mapped;   /* bytes mapped with mmap (0: from malloc) */
	max_align_t data[];
};

struct jdoc {
	char *input;
	size_t input_len;
	struct chunk *chunks;
	/* The parse's memory budget counts the bytes chunks of CHUNK_MIN (or
	 * one block for a larger request) would take, whatever the chunks
	 * really are: vused and vcap are the one such chunk being filled. */
	size_t allocated;
	size_t vused, vcap;
	size_t physical;       /* bytes of the real chunks */
	/* The parser's value stack, kept when large: its pages are touched
	 * already, and the first block a view of the document asks for
	 * after the parse (json_scratch) is cheaper there than in fresh
	 * memory, which this machine's kernel zeroes first. */
	void *scratch;
	size_t scratch_len;
	bool scratch_given;
	struct jval root;
};

#define CHUNK_MIN (64u * 1024u)
/* Past this much tree, chunks grow with it and are mapped on huge pages
 * where the kernel offers them (transparent huge pages, "madvise"): a
 * tree of a million mounts is 100 MB, and a first touch of every 4 KiB
 * page of it costs more than building it.  Here a fault costs about a
 * microsecond, a 2 MiB huge page's about what 40 small ones do: a tree of
 * a few MB (a 2 MiB config of short keys) spent a tenth of the hook's
 * time faulting its pages in one by one. */
#define CHUNK_BIG_AFTER OH_BIG_AFTER
#define CHUNK_HUGE (2u * 1024u * 1024u)
#define CHUNK_BIG_MAX (64u * 1024u * 1024u)

static void measure(struct jdoc *doc, size_t n)
{
	if (doc->vcap != 0 && doc->vcap - doc->vused >= n) {
		doc->vused += n;
	} else if (doc->vcap != 0 && n > CHUNK_MIN) {
		doc->allocated += n;   /* a block of its own, behind */
	} else {
		doc->vcap = n > CHUNK_MIN ? n : CHUNK_MIN;
		doc->vused = n;
		doc->allocated += doc->vcap;
	}
}

static struct chunk *chunk_map(size_t cap)
{
	size_t len = (sizeof(struct chunk) + cap + CHUNK_HUGE - 1) & ~(size_t)(CHUNK_HUGE - 1);
	/* Over-map by a huge page to cut an aligned run out of it. */
	char *p = mmap(NULL, len + CHUNK_HUGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	char *a = (char *)(((uintptr_t)p + CHUNK_HUGE - 1) & ~(uintptr_t)(CHUNK_HUGE - 1));
	if (a > p)
		munmap(p, (size_t)(a - p));
	if (a + len < p + len + CHUNK_HUGE)
		munmap(a + len, (size_t)(p + len + CHUNK_HUGE - (a + len)));
	(void)madvise(a, len, MADV_HUGEPAGE);
	struct chunk *c = (struct chunk *)(void *)a;
	c->mapped = len;
	c->cap = len - sizeof(struct chunk);
	return c;
}

void *json_alloc(struct jdoc *doc, size_t n)
{
	struct chunk *c = doc->chunks;

	n = (n + 7) & ~(size_t)7;
	measure(doc, n);
	if (c == NULL || c->cap - c->used < n) {
		struct chunk *nc = NULL;
		/* A large tree, or one large block (a long string's decoded
		 * form, a big array's items). */
		if (doc->physical >= CHUNK_BIG_AFTER || n >= CHUNK_BIG_AFTER) {
			size_t want = doc->physical / 2 < CHUNK_BIG_MAX ? doc->physical / 2
									: CHUNK_BIG_MAX;
			nc = chunk_map(n > want ? n : want);
		}
		if (nc != NULL) {
			/* The rest of the current chunk is left: at most n bytes of
			 * a chunk half the tree's size. */
			nc->next = c;
			doc->chunks = nc;
		} else {
			size_t cap = n > CHUNK_MIN ? n : CHUNK_MIN;
			nc = xmalloc(sizeof(*nc) + cap);
			nc->cap = cap;
			nc->mapped = 0;
			/* A large one-off block goes behind the current chunk so
			 * the current chunk's free space is not abandoned. */
			if (c != NULL && n > CHUNK_MIN) {
				nc->next = c->next;
				c->next = nc;
			} else {
				nc->next = c;
				doc->chunks = nc;
			}
		}
		nc->used = 0;
		doc->physical += nc->cap;
		c = nc;
	}
	void *p = (char *)c->data + c->used;
	c->used += n;
	return p;
}

static struct jdoc *doc_new(char *buf, size_t len)
{
	struct jdoc *doc = xcalloc(1, sizeof(*doc));

	doc->input = buf;
	doc->input_len = len;
	return doc;
}

struct jdoc *json_new(void)
{
	return doc_new(NULL, 0);
}

void json_free(struct jdoc *doc)
{
	if (doc == NULL)
		return;
	oh_big_free(doc->scratch, doc->scratch_len);
	for (struct chunk *c = doc->chunks, *n; c != NULL; c = n) {
		n = c->next;
		if (c->mapped)
			munmap(c, c->mapped);
		else
			free(c);
	}
	free(doc->input);
	free(doc);
}

void *json_scratch(struct jdoc *doc, size_t n)
{
	if (doc->scratch == NULL || doc->scratch_given || n < OH_BIG_MIN)
		return json_alloc(doc, n);
	if (n > doc->scratch_len) {
		doc->scratch = oh_big_grow(doc->scratch, doc->scratch_len, n);
		doc->scratch_len = n;
	}
	doc->scratch_given = true;
	return doc->scratch;
}

struct jval *json_root(struct jdoc *doc)
{
	return &doc->root;
}

/* ---------------------------------------------------------------- UTF-8 */

bool json_utf8_valid(const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		/* ASCII fast path, 32 then eight bytes at a time: a whole
		 * document is checked in one pass (json_parse). */
		while (i + 32 <= n) {
			uint64_t w[4];
			memcpy(w, s + i, 32);
			if ((w[0] | w[1] | w[2] | w[3]) & 0x8080808080808080ull)
				break;
			i += 32;
		}
#ifdef __SSE2__
		/* Text of ASCII and two-byte runes (Latin, Greek, Cyrillic
		 * letters), 16 bytes at a time: every byte above 0x7F is either
		 * a lead of two bytes (C2-DF) or a continuation (80-BF), and
		 * the continuations are exactly the bytes after the leads (the
		 * last lead of a block carried into the next).  Anything else
		 * is left to the bytewise reading below, from a rune's start. */
		unsigned carry = 0;
		while (i + 16 <= n) {
			__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
			unsigned hi = (unsigned)_mm_movemask_epi8(x);
			unsigned cont = (unsigned)_mm_movemask_epi8(
				_mm_cmplt_epi8(x, _mm_set1_epi8((char)0xC0)));
			unsigned lead = (unsigned)_mm_movemask_epi8(
				_mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8((char)0xC1)),
					      _mm_cmplt_epi8(x, _mm_set1_epi8((char)0xE0))));
			if ((lead | cont) != hi || (((lead << 1) | carry) & 0xFFFFu) != cont)
				break;
			carry = lead >> 15;
			i += 16;
		}
		i -= carry;   /* back to the rune's lead */
#endif
		while (i + 8 <= n) {
			uint64_t w;
			memcpy(&w, s + i, 8);
			if (w & 0x8080808080808080ull)
				break;
			i += 8;
		}
		if (i >= n)
			break;
		/* Text of non-ASCII letters mixes them with ASCII: stay byte by
		 * byte for a stretch rather than retrying the word tests after
		 * every ASCII byte.  Two-byte sequences (Latin, Greek, Cyrillic
		 * letters) go without the general decoding below. */
		size_t stretch = n - i < 32 ? n : i + 32;
		while (i < stretch) {
			unsigned char b = s[i];
			if (b < 0x80)
				i++;
			else if (b >= 0xC2 && b <= 0xDF && i + 1 < n && (s[i + 1] & 0xC0) == 0x80)
				i += 2;
			else
				break;
		}
		if (i >= stretch)
			continue;
		unsigned char c = s[i];
		size_t need;
		uint32_t cp, min;
		if (c >= 0xC2 && c <= 0xDF) {
			need = 1; cp = c & 0x1F; min = 0x80;
		} else if (c >= 0xE0 && c <= 0xEF) {
			need = 2; cp = c & 0x0F; min = 0x800;
		} else if (c >= 0xF0 && c <= 0xF4) {
			need = 3; cp = c & 0x07; min = 0x10000;
		} else {
			return false;
		}
		if (n - i - 1 < need)
			return false;
		for (size_t k = 1; k <= need; k++) {
			unsigned char cc = s[i + k];
			if ((cc & 0xC0) != 0x80)
				return false;
			cp = (cp << 6) | (cc & 0x3F);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return false;
		i += need + 1;
	}
	return true;
}

/* Decodes one rune of valid UTF-8. */
static uint32_t next_rune(const unsigned char **pp)
{
	const unsigned char *p = *pp;
	uint32_t c = *p++;

	if (c >= 0xF0) {
		c = ((c & 0x07) << 18) | ((uint32_t)(p[0] & 0x3F) << 12) |
		    ((uint32_t)(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
		p += 3;
	} else if (c >= 0xE0) {
		c = ((c & 0x0F) << 12) | ((uint32_t)(p[0] & 0x3F) << 6) | (p[1] & 0x3F);
		p += 2;
	} else if (c >= 0xC0) {
		c = ((c & 0x1F) << 6) | (p[0] & 0x3F);
		p += 1;
	}
	*pp = p;
	return c;
}

/* ---------------------------------------------------------- case folding */

/*
 * Maps a rune to a representative of its case-folding class.  Go's
 * encoding/json folds ASCII letters and, for the letters k and s, the Kelvin
 * sign U+212A and the long s U+017F; other runes are folded through the
 * C.UTF-8 locale's simple case mappings (lower(upper(c))), a superset of
 * what Go folds, so anything Go could match is refused as ambiguous.
 */
static locale_t fold_locale(void)
{
	static locale_t loc;
	static bool tried;

	if (!tried) {
		tried = true;
		loc = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
	}
	return loc;
}

/* The folding of every two-byte rune, filled on first use (0: not asked
 * yet, as no rune folds to NUL). */
static uint32_t two_byte[0x800];

static uint32_t fold_rune(uint32_t c)
{
	if (c < 0x80)
		return (c >= 'A' && c <= 'Z') ? c + 32 : c;
	if (c == 0x017F)
		return 's';
	if (c == 0x212A)
		return 'k';
	/* The locale's mappings cost two calls a rune, so answers are kept:
	 * every two-byte rune (Latin, Greek, Cyrillic...) has its own slot,
	 * filled on first use (0: not asked yet, as no rune folds to NUL);
	 * other runes share a cache of the last answers. */
	static struct { uint32_t rune, folded; } cache[256];
	if (c < 0x800 && two_byte[c] != 0)
		return two_byte[c];
	unsigned at = (c ^ (c >> 8)) & 255;
	if (c >= 0x800 && cache[at].rune == c)
		return cache[at].folded;
	uint32_t f = c;
	locale_t loc = fold_locale();
	if (loc != (locale_t)0)
		f = (uint32_t)towlower_l(towupper_l((wint_t)c, loc), loc);
	if (f == 0)
		f = c;
	if (c < 0x800) {
		two_byte[c] = f;
	} else {
		cache[at].rune = c;
		cache[at].folded = f;
	}
	return f;
}

bool json_keys_fold_equal(const char *a, size_t alen, const char *b,
			  size_t blen)
{
	const unsigned char *p = (const unsigned char *)a, *pe = p + alen;
	const unsigned char *q = (const unsigned char *)b, *qe = q + blen;

	while (p < pe && q < qe) {
		if (*p < 0x80 && *q < 0x80) {
			/* ASCII folds by its letters alone: inline, as small
			 * objects compare every pair of keys. */
			unsigned x = *p++, y = *q++;
			if (x != y && (x | 0x20) != (y | 0x20))
				return false;
			if (x != y && (unsigned)((x | 0x20) - 'a') >= 26u)
				return false;
			continue;
		}
		if (fold_rune(next_rune(&p)) != fold_rune(next_rune(&q)))
			return false;
	}
	return p == pe && q == qe;
}

/* --------------------------------------------------------------- parser */

struct key {
	const char *s;
	uint32_t n;
};

struct frame {
	uint32_t start;   /* first child in vals */
	uint32_t kstart;  /* first key in keys (objects) */
	bool is_obj;
	const char *pkey; /* key of this container in its parent object */
	uint32_t pklen;
};

struct pctx {
	struct jdoc *doc;
	const char *name;
	unsigned char *in;
	size_t inlen;
	yajl_handle h;

	struct jval *vals;
	size_t nvals, capvals;
	size_t vals_bytes;    /* the memory behind vals (stack_grow) */
	struct key *keys;
	size_t nkeys, capkeys;
	size_t keys_bytes;

	struct frame frames[JSON_MAX_DEPTH + 1];
	int depth;
	bool in_obj;          /* the innermost container is an object */
	/* How many values add_value may push without its checks (push_room):
	 * set where the stacks, the depth or the memory used change, 0 where
	 * that is not worked out again (0 is always safe: the checks then run
	 * and set it). */
	size_t room;
	const char *key;
	uint32_t klen;

	struct oh_error *err;
	bool failed;
	size_t budget;        /* most bytes the tree and its scratch may use */
	/* The whole input is valid UTF-8, so no string needs checking on its
	 * own.  Checking one pass over the input costs a fraction of checking
	 * each of thousands of strings; when it fails, the strings are checked
	 * one by one to name the one at fault. */
	bool utf8_ok;
	size_t scan;          /* where the tokens not yet read start (take_strings) */
};

static void build_pointer(struct pctx *c, char *ptr, size_t cap)
{
	ptr[0] = '\0';
	for (int i = 0; i < c->depth; i++) {
		struct frame *f = &c->frames[i];
		if (f->is_obj) {
			const char *k = i + 1 < c->depth ? c->frames[i + 1].pkey : c->key;
			uint32_t kl = i + 1 < c->depth ? c->frames[i + 1].pklen : c->klen;
			if (k == NULL)
				break;
			json_ptr_append(ptr, cap, k, kl);
		} else {
			size_t end = i + 1 < c->depth ? c->frames[i + 1].start : c->nvals;
			json_ptr_append_index(ptr, cap, end - f->start);
		}
	}
}

static int fail(struct pctx *c, const char *fmt, const char *arg)
{
	char ptr[512], msg[600];

	build_pointer(c, ptr, sizeof(ptr));
	snprintf(msg, sizeof(msg), fmt, arg ? arg : "");
	oh_err(c->err, 0, "%s: %s: %s", c->name, ptr[0] ? ptr : "/", msg);
	c->failed = true;
	return 0;
}

/* A stack's memory, on huge pages past OH_BIG_AFTER (oh_big_size): its
 * capacity in values, which the budget counts, doubles as before. */
static void *stack_grow(void *p, size_t *bytes, size_t need)
{
	size_t n = oh_big_size(need);

	if (n <= *bytes)
		return p;
	p = oh_big_grow(p, *bytes, n);
	*bytes = n;
	return p;
}

static inline void push_val(struct pctx *c, struct jval v)
{
	if (c->nvals == c->capvals) {
		c->capvals = c->capvals ? c->capvals * 2 : 256;
		c->vals = stack_grow(c->vals, &c->vals_bytes, c->capvals * sizeof(*c->vals));
	}
	c->vals[c->nvals++] = v;
}

static inline void push_key(struct pctx *c, const char *s, uint32_t n)
{
	if (c->nkeys == c->capkeys) {
		c->capkeys = c->capkeys ? c->capkeys * 2 : 128;
		c->keys = stack_grow(c->keys, &c->keys_bytes, c->capkeys * sizeof(*c->keys));
	}
	c->keys[c->nkeys].s = s;
	c->keys[c->nkeys].n = n;
	c->nkeys++;
}

static int over_budget(struct pctx *c)
{
	char limit[32];

	snprintf(limit, sizeof(limit), "%zu", c->budget);
	return fail(c, "the document needs more than %s bytes of memory: too "
		    "many values for its size", limit);
}

/* How many values add_value may push from here without growing a stack
 * or passing the budget: its checks, answered once for a run of values
 * (c->room). */
static inline size_t push_room(const struct pctx *c, bool obj)
{
	if (c->depth == 0 ||
	    c->doc->allocated + (c->capvals + c->capkeys) * sizeof(struct jval) > c->budget)
		return 0;
	size_t r = c->capvals - c->nvals;
	if (obj && c->capkeys - c->nkeys < r)
		r = c->capkeys - c->nkeys;
	return r;
}

static int add_value_slow(struct pctx *c, struct jval v)
{
	if (c->depth == 0) {
		if (v.type != J_OBJECT)
			return fail(c, "the document root must be an object, not %s",
				    jtype_name(v.type));
		c->doc->root = v;
		return 1;
	}
	/* Each value costs a fixed 16 to 48 bytes however short its text, so
	 * a document of tiny values ([0,0,...]) could cost 20 times its size.
	 * The tree may use at most JSON_MEMORY_FACTOR times the input (plus a
	 * floor for small documents); real configs need well under one. */
	if (c->doc->allocated + (c->capvals + c->capkeys) * sizeof(struct jval) >
	    c->budget)
		return over_budget(c);
	push_val(c, v);
	if (c->in_obj)
		push_key(c, c->key, c->klen);
	c->room = push_room(c, c->in_obj);
	return 1;
}

/* add_value_slow, without a call or its checks while there is room (a
 * value per token: a few stores; half a million numbers spent a fifth of
 * their parse in the checks). */
static inline int add_value(struct pctx *c, struct jval v)
{
	if (c->room == 0)
		return add_value_slow(c, v);
	c->room--;
	c->vals[c->nvals++] = v;
	if (c->in_obj) {
		c->keys[c->nkeys].s = c->key;
		c->keys[c->nkeys].n = c->klen;
		c->nkeys++;
	}
	return 1;
}

/* Hex digit values plus one, 0 for other bytes: one load per digit of a
 * \u escape, of which a string may hold millions. */
static const unsigned char hex_digit1[256] = {
	['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5,
	['5'] = 6, ['6'] = 7, ['7'] = 8, ['8'] = 9, ['9'] = 10,
	['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16,
	['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
};

static inline int read_hex4(const unsigned char *p, const unsigned char *e,
			    uint32_t *out)
{
	if (e - p < 4)
		return -1;
	unsigned a = hex_digit1[p[0]], b = hex_digit1[p[1]], c = hex_digit1[p[2]],
		 d = hex_digit1[p[3]];
	if (a == 0 || b == 0 || c == 0 || d == 0)
		return -1;
	*out = ((a - 1) << 12) | ((b - 1) << 8) | ((c - 1) << 4) | (d - 1);
	return 0;
}

static inline size_t put_utf8(unsigned char *o, uint32_t cp)
{
	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (unsigned char)(0xC0 | (cp >> 6));
		o[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (unsigned char)(0xE0 | (cp >> 12));
		o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (unsigned char)(0xF0 | (cp >> 18));
	o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
	o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
	o[3] = (unsigned char)(0x80 | (cp & 0x3F));
	return 4;
}

/*
 * Decodes the raw text of a string token with escapes.  yajl's own decoder
 * turns a lone or mismatched surrogate into '?' or a bogus code point, so the
 * escapes are decoded here from the source, strictly.
 */
static int decode_escaped(struct pctx *c, const unsigned char *p,
			  const unsigned char *e, const char **out,
			  uint32_t *outlen)
{
	/* The decoded form is never longer than the source. */
	unsigned char *o = json_alloc(c->doc, (size_t)(e - p) + 1), *start = o;

	while (p < e) {
		if (*p != '\\') {
			*o++ = *p++;
			continue;
		}
		p++;
		if (p >= e)
			return fail(c, "truncated escape in a string", NULL);
		unsigned char ch = *p++;
		switch (ch) {
		case '"': *o++ = '"'; break;
		case '\\': *o++ = '\\'; break;
		case '/': *o++ = '/'; break;
		case 'b': *o++ = '\b'; break;
		case 'f': *o++ = '\f'; break;
		case 'n': *o++ = '\n'; break;
		case 'r': *o++ = '\r'; break;
		case 't': *o++ = '\t'; break;
		case 'u': {
			uint32_t cp, lo;
			if (read_hex4(p, e, &cp) < 0)
				return fail(c, "invalid \\u escape in a string", NULL);
			p += 4;
			if (cp >= 0xDC00 && cp <= 0xDFFF)
				return fail(c, "a string holds a lone low surrogate escape", NULL);
			if (cp >= 0xD800 && cp <= 0xDBFF) {
				if (e - p < 6 || p[0] != '\\' || p[1] != 'u' ||
				    read_hex4(p + 2, e, &lo) < 0 || lo < 0xDC00 || lo > 0xDFFF)
					return fail(c, "a string holds a lone high surrogate escape",
						    NULL);
				p += 6;
				cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
			}
			if (cp == 0)
				return fail(c, "a string holds a NUL character (\\u0000)", NULL);
			o += put_utf8(o, cp);
			break;
		}
		default:
			return fail(c, "invalid escape in a string", NULL);
		}
	}
	*o = '\0';
	*out = (const char *)start;
	*outlen = (uint32_t)(o - start);
	return 1;
}

/*
 * The strings and keys are found here, not through yajl's callbacks.
 * yajl lexes and checks every token, but it decodes each string with
 * escapes into a buffer of its own, which the strict decoding below has
 * to do again from the source (yajl turns a lone surrogate into "?"), and
 * a callback per string is most of the cost of a document of short
 * strings.  So yajl is given no string or key callbacks: at each event it
 * does report (a container opened or closed, a number, a boolean, null)
 * the text since the last one holds only what yajl has lexed and
 * accepted: blanks, commas, colons and string tokens, read here in order.
 * In an object, a string after '{' or ',' is a key.  Each event's own token must be
 * where that reading stops, or the document is refused (an internal
 * error, never a misreading).
 */

/* 1: a byte yajl's lexer skips between tokens (it takes \v and \f for
 * blanks too); 2: a separator. */
static const unsigned char between[256] = {
	[' '] = 1, ['\t'] = 1, ['\n'] = 1, ['\v'] = 1, ['\f'] = 1, ['\r'] = 1,
	[','] = 2, [':'] = 2,
};

/*
 * Which of the 16 bytes at p (all in the input) are '"' or '\\', a bit
 * each: SSE2 (every x86-64 has it) or two words of the "has zero byte"
 * trick, whose lowest marked byte is exact (the borrow marks only bytes
 * above a true match), which is all the callers use.
 */
#ifdef __SSE2__
static inline unsigned quote_or_backslash16(const unsigned char *p)
{
	__m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);

	return (unsigned)_mm_movemask_epi8(
		_mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('"')),
			     _mm_cmpeq_epi8(x, _mm_set1_epi8('\\'))));
}
#define OH_QB16 1
#elif defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
static inline uint64_t quote_or_backslash(uint64_t w)
{
	const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
	uint64_t q = w ^ (ones * '"'), b = w ^ (ones * '\\');

	return (((q - ones) & ~q) | ((b - ones) & ~b)) & high;
}

static inline unsigned quote_or_backslash16(const unsigned char *p)
{
	uint64_t w[2];
	memcpy(w, p, 16);
	uint64_t lo = quote_or_backslash(w[0]), hi = quote_or_backslash(w[1]);
	if (lo != 0)
		return 1u << (__builtin_ctzll(lo) / 8);
	return hi != 0 ? 1u << (8 + __builtin_ctzll(hi) / 8) : 0;
}
#define OH_QB16 1
#else
#define OH_QB16 0
static inline unsigned quote_or_backslash16(const unsigned char *p)
{
	(void)p;
	return 0;
}
#endif

/*
 * The index of the closing quote of the string token whose opening quote
 * is before in[i] and which holds no '"' or '\\' before in[i], or the
 * input's length if there is none; sets *esc if the token holds an
 * escape.  One pass, 16 bytes at a time and 64 in a long run (yajl has
 * just read these bytes: a long string is read once more here, not twice).
 */
static size_t string_end(const struct pctx *c, size_t i, bool *esc)
{
	const unsigned char *in = c->in;
	size_t n = c->inlen;

	while (i < n) {
#ifdef __SSE2__
		while (i + 64 <= n) {
			const __m128i q = _mm_set1_epi8('"'), b = _mm_set1_epi8('\\');
			__m128i x0 = _mm_loadu_si128((const __m128i *)(const void *)(in + i));
			__m128i x1 = _mm_loadu_si128((const __m128i *)(const void *)(in + i + 16));
			__m128i x2 = _mm_loadu_si128((const __m128i *)(const void *)(in + i + 32));
			__m128i x3 = _mm_loadu_si128((const __m128i *)(const void *)(in + i + 48));
			__m128i m = _mm_or_si128(
				_mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x0, q), _mm_cmpeq_epi8(x0, b)),
					     _mm_or_si128(_mm_cmpeq_epi8(x1, q), _mm_cmpeq_epi8(x1, b))),
				_mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x2, q), _mm_cmpeq_epi8(x2, b)),
					     _mm_or_si128(_mm_cmpeq_epi8(x3, q), _mm_cmpeq_epi8(x3, b))));
			if (_mm_movemask_epi8(m) != 0)
				break;
			i += 64;
		}
#endif
		unsigned m = 0;
		while (OH_QB16 && i + 16 <= n && (m = quote_or_backslash16(in + i)) == 0)
			i += 16;
		if (m != 0)
			i += (size_t)__builtin_ctz(m);
		else
			while (i < n && in[i] != '"' && in[i] != '\\')
				i++;
		if (i >= n)
			break;
		if (in[i] == '"')
			return i;
		*esc = true;
		i += 2;
	}
	return n;
}

/*
 * Reads the string tokens from where the last event's token ended up to
 * the next token that is not one (the current event's); with limit below
 * the input's length (after a yajl error), only those that end before it,
 * which yajl had accepted.  in[inlen] is a NUL (json_parse), which ends
 * every loop over blanks.
 */
static int take_strings(struct pctx *c, size_t limit)
{
	unsigned char *in = c->in;
	size_t i = c->scan, n = c->inlen;
	/* A string must end before stop: the input's end, or before limit. */
	size_t stop = limit >= n ? n : limit > 0 ? limit - 1 : 0;
	/* In an object, a string after '{' or ',' is a key (one after ':' a
	 * value), blanks between: sep is the last byte before it that is no
	 * blank, starting with the last of the token before (never a blank). */
	bool obj = c->in_obj;
	unsigned char sep = i > 0 ? in[i - 1] : 0;
	size_t room = c->room;   /* in a register for the run; c->room after */

	for (;;) {
		unsigned char ch = in[i];
		if (ch != '"') {
			if (between[ch] == 0)
				break;
			if (between[ch] == 2)
				sep = ch;
			i++;
			continue;
		}
		bool esc = false;
		size_t e = i + 1;
		/* A string shorter than 16 bytes: its quote in the first block;
		 * shorter than 32 (a key of an annotation, a variable), in the
		 * second. */
		unsigned m = OH_QB16 && e + 16 <= n ? quote_or_backslash16(in + e) : 0;
		size_t from = e;   /* no '"' or '\\' before: where string_end goes on */
		if (m == 0 && OH_QB16 && e + 32 <= n) {
			from = e + 16;
			m = quote_or_backslash16(in + from);
		}
		if (m != 0 && in[from + (size_t)__builtin_ctz(m)] == '"')
			e = from + (size_t)__builtin_ctz(m);
		else
			e = string_end(c, m == 0 && OH_QB16 && from + 16 <= n ? from + 16 : from, &esc);
		if (e >= stop)
			break;
		size_t a = i + 1, len = e - a;
		const char *s = (const char *)in + a;
		uint32_t slen = (uint32_t)len;
		if (!c->utf8_ok && !json_utf8_valid(in + a, len)) {
			c->room = 0;
			return fail(c, "invalid UTF-8 in a string", NULL);
		}
		if (esc) {
			c->room = 0;   /* the decoded form takes memory */
			if (!decode_escaped(c, in + a, in + e, &s, &slen))
				return 0;
			room = push_room(c, obj);   /* the decoded form took memory */
		} else {
			in[e] = '\0';   /* the closing quote becomes the terminator */
		}
		i = e + 1;
		if (obj && (sep == '{' || sep == ',')) {
			c->key = s;
			c->klen = slen;
		} else if (room > 0) {
			room--;
			c->vals[c->nvals++] = (struct jval){ .type = J_STRING, .len = slen, .u.str = s };
			if (obj) {
				c->keys[c->nkeys].s = c->key;
				c->keys[c->nkeys].n = c->klen;
				c->nkeys++;
			}
		} else {
			c->room = 0;
			if (!add_value(c, (struct jval){ .type = J_STRING, .len = slen, .u.str = s }))
				return 0;
			room = c->room;
		}
		sep = '"';
	}
	c->scan = i;
	c->room = room;
	return 1;
}

/* Before an event: the strings since the last one, then the event's own
 * token, n bytes spelled tok (NULL: any), which must come next. */
static inline int take_token(struct pctx *c, const char *tok, size_t n)
{
	/* Most tokens follow the last one directly or after a comma alone
	 * ([0,0,...], "},{", a rule's "args" numbers): take_strings would
	 * skip that comma and stop, so the call is spared (a million
	 * numbers are a million events). */
	size_t i = c->scan + (c->in[c->scan] == ',');
	unsigned char ch = c->in[i];
	if (ch != '"' && between[ch] == 0)
		c->scan = i;
	else if (!take_strings(c, c->inlen))
		return 0;
	/* A bracket is one byte: compared without a call (a million mounts
	 * are two million brackets). */
	if (c->inlen - c->scan < n ||
	    (tok != NULL && (c->in[c->scan] != (unsigned char)tok[0] ||
			     (n > 1 && memcmp(c->in + c->scan, tok, n) != 0))))
		return fail(c, "internal error reading the document's tokens", NULL);
	c->scan += n;
	return 1;
}

static int cb_null(void *ctx)
{
	struct jval v = { .type = J_NULL };
	return take_token(ctx, "null", 4) && add_value(ctx, v);
}

static int cb_boolean(void *ctx, int b)
{
	struct jval v = { .type = b ? J_TRUE : J_FALSE };
	return take_token(ctx, b ? "true" : "false", b ? 4 : 5) && add_value(ctx, v);
}

static int cb_number(void *ctx, const char *s, size_t len)
{
	struct pctx *c = ctx;
	struct jval v = { .type = J_NUMBER, .len = (uint32_t)len, .u.str = s };

	if (!take_token(c, NULL, len))
		return 0;
	/* The whole document is given to yajl at once: a number's text is
	 * in it, where the reading of tokens is, unless it ends the document
	 * (a number as the root, refused below), when yajl has a copy. */
	const char *in = (const char *)c->in;
	if (s == in + c->scan - len) {
		/* where the token was read: the common case */
	} else if (s >= in && s + len <= in + c->inlen) {
		return fail(c, "internal error reading the document's tokens", NULL);
	} else {
		char *copy = json_alloc(c->doc, len + 1);
		memcpy(copy, s, len);
		copy[len] = '\0';
		v.u.str = copy;
		c->room = 0;   /* the copy took memory */
	}
	return add_value(c, v);
}

static int open_container(struct pctx *c, bool is_obj)
{
	if (c->depth == 0 && !is_obj)
		return fail(c, "the document root must be an object, not an array",
			    NULL);
	if (c->depth >= JSON_MAX_DEPTH)
		return fail(c, "nesting deeper than the limit of " "64" " levels",
			    NULL);
	struct frame *f = &c->frames[c->depth];
	f->start = (uint32_t)c->nvals;
	f->kstart = (uint32_t)c->nkeys;
	f->is_obj = is_obj;
	if (c->depth > 0 && c->frames[c->depth - 1].is_obj) {
		f->pkey = c->key;
		f->pklen = c->klen;
	} else {
		f->pkey = NULL;
		f->pklen = 0;
	}
	c->depth++;
	c->in_obj = is_obj;
	c->room = push_room(c, is_obj);
	c->key = NULL;
	c->klen = 0;
	return 1;
}

static int cb_start_map(void *ctx)
{
	return take_token(ctx, "{", 1) && open_container(ctx, true);
}

static int cb_start_array(void *ctx)
{
	return take_token(ctx, "[", 1) && open_container(ctx, false);
}

/*
 * The key of the duplicate-key table's hash: random per process, so nobody
 * can compute keys that collide in it.  An unkeyed hash (FNV-1a, as here
 * before) let 2^18 keys that agree in the low bits of their hash take 28 s
 * instead of 0.09 s.  Without getrandom(2) (before Linux 3.17, or no entropy
 * yet at boot) the key is made of what differs from run to run anyway;
 * weaker, but a table is never refused for it.
 */
static const uint64_t *hash_key(void)
{
	static uint64_t key[2];
	static bool have;

	if (!have) {
		if (getrandom(key, sizeof(key), GRND_NONBLOCK) != (ssize_t)sizeof(key)) {
			struct timespec t;
			clock_gettime(CLOCK_MONOTONIC, &t);
			key[0] = ((uint64_t)t.tv_sec << 32) ^ (uint64_t)t.tv_nsec ^
				 (uint64_t)(uintptr_t)&key;
			key[1] = ((uint64_t)getpid() << 32) ^ (uint64_t)(uintptr_t)&t ^
				 0x9e3779b97f4a7c15ull;
		}
		have = true;
	}
	return key;
}

/* A word loaded from memory as SipHash reads it: little-endian. */
static inline uint64_t le64(uint64_t w)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	return __builtin_bswap64(w);
#else
	return w;
#endif
}

/* ASCII letters of a word of ASCII bytes to lower case: a byte gets 0x20
 * where it is at least 'A' and at most 'Z' (no byte carries into the
 * next, all are below 0x80). */
static inline uint64_t ascii_lower_word(uint64_t w)
{
	const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
	uint64_t ge_a = w + ones * (0x80 - 'A'), gt_z = w + ones * (0x80 - 'Z' - 1);

	return w | (((ge_a ^ gt_z) & high) >> 2);
}

/* Feeds the whole words of buf[0..*m) to h and keeps the rest at the
 * start of buf: h is at a word boundary before and after. */
static inline void sip_words(struct oh_sip *h, unsigned char *buf, size_t *m)
{
	size_t w = *m & ~(size_t)7;

	for (size_t i = 0; i < w; i += 8) {
		uint64_t x;
		memcpy(&x, buf + i, 8);
		oh_sip_word(h, le64(x), 1);
	}
	h->len += w;
	for (size_t i = w; i < *m; i++)
		buf[i - w] = buf[i];
	*m -= w;
}

/* ASCII letters of any word to lower case, other bytes (those of
 * multi-byte runes too) as they are: ascii_lower_word on the low seven
 * bits of each byte, kept to the bytes below 0x80. */
static inline uint64_t ascii_lower_any(uint64_t w)
{
	const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
	uint64_t x = w & ~high;
	uint64_t ge_a = x + ones * (0x80 - 'A'), gt_z = x + ones * (0x80 - 'Z' - 1);

	return w | (((ge_a ^ gt_z) & ~w & high) >> 2);
}

/* The folded form of a two-byte rune c, as UTF-8: its bytes (the low
 * three, in order) and their count (the top one); 0 when it needs four
 * bytes (not in Unicode).  Filled on first use. */
static uint32_t folded_utf8[0x800];

static inline uint32_t fold_two(uint32_t c)
{
	uint32_t u = folded_utf8[c];

	if (u == 0) {
		unsigned char b[4] = { 0, 0, 0, 0 };
		size_t len = put_utf8(b, fold_rune(c));
		if (len > 3)
			return 0;
		u = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
		    (uint32_t)len << 24;
		folded_utf8[c] = u;
	}
	return u;
}

/* Words of keys found to keep their runes (kept_runes): keys share their
 * prefixes.  0: empty (a word of NULs has no rune). */
static uint64_t kept_words[256];

/* Whether folding leaves the runes that lead in word w (the bytes at p,
 * valid UTF-8, n of them, 1 <= n <= 8) as they are: no rune of more than
 * two bytes, each two-byte one its own folded form (é, α, ж: lower-case
 * letters, and runes with no case at all).  Only the lead bytes of runes
 * (the top two bits set) are looked at, a rune's second byte maybe in the
 * next word; a whole word found to keep its runes is remembered, unless
 * its last byte leads a rune (whose second byte is not in it).  The cache
 * holds words, not answers of another kind: a miss costs the look-up of
 * each rune, as without it. */
static inline bool kept_runes(uint64_t w, const unsigned char *p, size_t n)
{
	const uint64_t high = 0x8080808080808080ull;
	uint64_t lead = w & (w << 1) & high;

	if (lead == 0)
		return true;
	if (lead & (w << 2))   /* a lead of three or four bytes */
		return false;
	uint64_t *slot = &kept_words[(w * 0x9e3779b97f4a7c15ull) >> 56];
	if (*slot == w)
		return true;
	for (uint64_t l = lead; l != 0; l &= l - 1) {
		const unsigned char *r = p + __builtin_ctzll(l) / 8;
		uint32_t c = ((uint32_t)(r[0] & 0x1F) << 6) | (r[1] & 0x3F);
		if (fold_two(c) != ((uint32_t)r[0] | (uint32_t)r[1] << 8 | 2u << 24))
			return false;
	}
	if (!(lead >> 63) && n == 8)
		*slot = w;
	return true;
}

/*
 * fold_hash of a key whose runes fold to themselves but for ASCII letters
 * (every key of ASCII, and most others): its folded form is its bytes with
 * those letters lowered, hashed straight from them in one pass, a word at
 * a time, the last bytes as oh_sip_byte would have gathered them.  False,
 * and nothing in *out, for a key with a rune that folds to another.
 */
static bool fold_hash_kept(const unsigned char *p, size_t n, const uint64_t *k,
			   uint64_t *out)
{
	const unsigned char *e = p + n;
	struct oh_sip h;
	uint64_t w;

	oh_sip_init(&h, k[0], k[1]);
	for (; e - p >= 8; p += 8) {
		memcpy(&w, p, 8);
		w = le64(w);
		if ((w & 0x8080808080808080ull) && !kept_runes(w, p, 8))
			return false;
		oh_sip_word(&h, ascii_lower_any(w), 1);
	}
	size_t t = (size_t)(e - p);
	w = 0;
	if (t > 0) {
		if (n >= 8) {
			/* The last eight bytes, those before the tail shifted out. */
			memcpy(&w, e - 8, 8);
			w = le64(w) >> (8 * (8 - t));
		} else {
			for (size_t i = 0; i < t; i++)
				w |= (uint64_t)p[i] << (8 * i);
		}
		if ((w & 0x8080808080808080ull) && !kept_runes(w, p, t))
			return false;
		w = ascii_lower_any(w);
	}
	h.m = w;
	h.nm = (unsigned)t;
	h.len = n;
	*out = oh_sip_final(&h, 1, 3);
	return true;
}

/*
 * SipHash-1-3 of the key's case-folded form (each rune folded, as UTF-8):
 * keys that fold alike hash alike.  Most keys are hashed straight from
 * their bytes (fold_hash_kept); others gather their folded bytes in a
 * small buffer, hashed a word at a time (fed byte by byte, a key of
 * non-ASCII letters cost the hash an update per byte).  The same bytes
 * reach the hash either way.  This is the second way (out of line: the
 * first does not pay for its buffer).
 */
static __attribute__((noinline)) uint64_t fold_hash_runes(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *e = p + n;
	const uint64_t *k = hash_key();
	unsigned char buf[264];
	size_t m = 0;
	struct oh_sip h;

	oh_sip_init(&h, k[0], k[1]);
	/* A leading ASCII run straight from the key, a word at a time: no
	 * copy. */
	while (e - p >= 8) {
		uint64_t w;
		memcpy(&w, p, 8);
		if (w & 0x8080808080808080ull)
			break;
		oh_sip_word(&h, le64(ascii_lower_word(w)), 1);
		h.len += 8;
		p += 8;
	}
	while (p < e) {
		/* Most keys fit the buffer whole: words only at the end. */
		if (m > 256)
			sip_words(&h, buf, &m);
		if (*p < 0x80 && e - p >= 8) {
			uint64_t w;
			memcpy(&w, p, 8);
			if (!(w & 0x8080808080808080ull)) {
				w = ascii_lower_word(w);
				memcpy(buf + m, &w, 8);
				m += 8;
				p += 8;
				continue;
			}
		}
		if (*p < 0x80) {
			unsigned char b = *p++;
			buf[m++] = (unsigned char)((unsigned)(b - 'A') < 26u ? b + 32 : b);
			continue;
		}
		if (*p < 0xE0) {
			/* A two-byte rune (the key is valid UTF-8): decoded here,
			 * its folded form's bytes a table look-up. */
			uint32_t c = ((uint32_t)(p[0] & 0x1F) << 6) | (p[1] & 0x3F);
			uint32_t u = fold_two(c);
			if (u == 0) {   /* not in Unicode; kept exact anyway */
				m += put_utf8(buf + m, fold_rune(c));
				p += 2;
				continue;
			}
			buf[m] = (unsigned char)u;
			buf[m + 1] = (unsigned char)(u >> 8);
			buf[m + 2] = (unsigned char)(u >> 16);
			m += u >> 24;
			p += 2;
			continue;
		}
		m += put_utf8(buf + m, fold_rune(next_rune(&p)));
	}
	sip_words(&h, buf, &m);
	/* The last bytes, as oh_sip_byte would have gathered them. */
	uint64_t t;
	memset(buf + m, 0, 8);
	memcpy(&t, buf, 8);
	h.m = le64(t);
	h.nm = (unsigned)m;
	h.len += m;
	return oh_sip_final(&h, 1, 3);
}

static inline uint64_t fold_hash(const char *s, size_t n)
{
	uint64_t h;

	if (fold_hash_kept((const unsigned char *)s, n, hash_key(), &h))
		return h;
	return fold_hash_runes(s, n);
}

uint64_t json_fold_hash(const char *s, size_t n, bool general)
{
	return general ? fold_hash_runes(s, n) : fold_hash(s, n);
}

uint64_t json_key_hash(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *e = p + n;
	const uint64_t *k = hash_key();
	struct oh_sip h;

	oh_sip_init(&h, k[0], k[1]);
	for (; e - p >= 8; p += 8) {
		uint64_t w;
		memcpy(&w, p, 8);
		oh_sip_word(&h, le64(w), 1);
		h.len += 8;
	}
	while (p < e)
		oh_sip_byte(&h, *p++, 1);
	return oh_sip_final(&h, 1, 3);
}

static int key_clash(struct pctx *c, const struct key *k, const struct key *o)
{
	char msg[300];

	c->key = k->s;
	c->klen = k->n;
	if (k->n == o->n && memcmp(k->s, o->s, k->n) == 0)
		return fail(c, "duplicate key \"%s\"", k->s);
	snprintf(msg, sizeof(msg), "\"%.100s\" and \"%.100s\"", o->s, k->s);
	return fail(c, "keys %s differ only in letter case; runc matches keys "
		    "case-insensitively and crun exactly, so they would read the "
		    "object differently", msg);
}

struct key_set {
	const struct key *k;
};

static bool keys_same(void *ctx, size_t i, size_t j)
{
	const struct key *k = ((struct key_set *)ctx)->k;

	return json_keys_fold_equal(k[i].s, k[i].n, k[j].s, k[j].n);
}

/* Refuses keys equal under case folding within one object. */
static int check_keys(struct pctx *c, const struct key *k, size_t n)
{
	if (n < 2)
		return 1;
	if (n <= 12) {
		/* Two ASCII first bytes that differ in more than the bit of
		 * letter case start keys that cannot fold alike: most pairs
		 * of a small object ({"destination", "type", "source",
		 * "options"} has none other) end there, without a call.  Keys
		 * are NUL-terminated, so an empty key's first byte is 0. */
		for (size_t i = 1; i < n; i++) {
			unsigned char a = (unsigned char)k[i].s[0];
			for (size_t j = 0; j < i; j++) {
				unsigned char b = (unsigned char)k[j].s[0];
				if (((a | b) & 0x80) == 0 && ((a ^ b) & ~0x20u) != 0)
					continue;
				if (json_keys_fold_equal(k[i].s, k[i].n, k[j].s, k[j].n))
					return key_clash(c, &k[i], &k[j]);
			}
		}
		return 1;
	}

	/* Keys hashed in their folded form (fold_hash, keyed: nobody can make
	 * them collide), then compared only where hashes agree, a cache-sized
	 * piece at a time (oh_dedup): O(n) expected.  The first key that
	 * repeats an earlier one is reported, with that one. */
	size_t hash_bytes = oh_big_size(n * sizeof(uint64_t));
	uint64_t *hash = oh_big_grow(NULL, 0, hash_bytes);
	cleanup_free uint64_t *firsts = xmalloc(((n + 63) / 64) * sizeof(*firsts));
	struct key_set ks = { k };
	int rc = -1;
	for (size_t i = 0; i < n; i++)
		hash[i] = fold_hash(k[i].s, k[i].n);
	if (oh_dedup_count(hash, n, keys_same, &ks, firsts) == n)
		rc = 1;
	/* The first key not first of its kind; the earliest key it folds
	 * like is the first of that kind (folding alike is an equivalence). */
	for (size_t i = 0; rc < 0 && i < n; i++) {
		if (firsts[i / 64] & (1ull << (i % 64)))
			continue;
		for (size_t j = 0; rc < 0 && j < i; j++)
			if (hash[j] == hash[i] && keys_same(&ks, i, j))
				rc = key_clash(c, &k[i], &k[j]);
	}
	if (rc < 0)
		rc = fail(c, "internal error checking keys", NULL);
	oh_big_free(hash, hash_bytes);
	return rc;
}

static int close_container(struct pctx *c)
{
	struct frame *f = &c->frames[c->depth - 1];
	size_t n = c->nvals - f->start;
	struct jval v = { .type = f->is_obj ? J_OBJECT : J_ARRAY,
			  .len = (uint32_t)n };

	/* A container whose members' room alone takes the tree past the
	 * budget would be refused by add_value below, once built: it is
	 * refused now, in the same words, before its keys are hashed and
	 * compared (a document too large for its size is refused cheaply).
	 * Not the root (depth 1), which add_value does not measure. */
	size_t room = n * (f->is_obj ? sizeof(struct jmember) : sizeof(struct jval));
	if (c->depth > 1 &&
	    c->doc->allocated + room + (c->capvals + c->capkeys) * sizeof(struct jval) >
	    c->budget) {
		c->nvals = f->start;
		c->nkeys = f->kstart;
		c->key = f->pkey;
		c->klen = f->pklen;
		c->depth--;
		c->in_obj = c->depth > 0 && c->frames[c->depth - 1].is_obj;
		c->room = 0;
		return over_budget(c);
	}
	if (f->is_obj) {
		/* An empty object may come before any key was pushed, when keys
		 * is still NULL: NULL + 0 is undefined in C. */
		if (n > 0 && !check_keys(c, c->keys + f->kstart, n))
			return 0;
		struct jmember *m = json_alloc(c->doc, n * sizeof(*m));
		for (size_t i = 0; i < n; i++) {
			m[i].key = c->keys[f->kstart + i].s;
			m[i].klen = c->keys[f->kstart + i].n;
			m[i].val = c->vals[f->start + i];
		}
		v.u.members = m;
		c->nkeys = f->kstart;
	} else {
		v.u.items = json_alloc(c->doc, n * sizeof(struct jval));
		if (n > 0)
			memcpy(v.u.items, c->vals + f->start, n * sizeof(struct jval));
	}
	c->nvals = f->start;
	c->key = f->pkey;
	c->klen = f->pklen;
	c->depth--;
	c->in_obj = c->depth > 0 && c->frames[c->depth - 1].is_obj;
	c->room = push_room(c, c->in_obj);   /* the members took memory */
	return add_value(c, v);
}

static int cb_end(void *ctx)
{
	struct pctx *c = ctx;

	return take_token(c, c->frames[c->depth - 1].is_obj ? "}" : "]", 1) &&
	       close_container(c);
}

static const yajl_callbacks callbacks = {
	.yajl_null = cb_null,
	.yajl_boolean = cb_boolean,
	.yajl_number = cb_number,
	.yajl_start_map = cb_start_map,
	.yajl_end_map = cb_end,
	.yajl_start_array = cb_start_array,
	.yajl_end_array = cb_end,
};

/*
 * yajl's own memory: the buffer it decodes a string with escapes into is
 * as long as the string (tens of MB), grown by doubling; on huge pages
 * past OH_BIG_MIN like the parser's scratch.  Each block carries its size
 * (oh_big_free needs it), in a header that keeps the block aligned.
 */
#define YHDR sizeof(max_align_t)

static void *y_malloc(void *ctx, size_t n)
{
	(void)ctx;
	char *p = oh_big_grow(NULL, 0, n + YHDR);
	*(size_t *)(void *)p = n + YHDR;
	return p + YHDR;
}

static void *y_realloc(void *ctx, void *q, size_t n)
{
	if (q == NULL)
		return y_malloc(ctx, n);
	char *p = (char *)q - YHDR;
	size_t have = *(size_t *)(void *)p;
	if (n + YHDR <= have)
		return q;
	p = oh_big_grow(p, have, n + YHDR);
	*(size_t *)(void *)p = n + YHDR;
	return p + YHDR;
}

static void y_free(void *ctx, void *q)
{
	(void)ctx;
	if (q == NULL)
		return;
	char *p = (char *)q - YHDR;
	oh_big_free(p, *(size_t *)(void *)p);
}

static yajl_alloc_funcs yajl_memory = {
	.malloc = y_malloc, .realloc = y_realloc, .free = y_free,
};

static bool all_blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
			return false;
	return true;
}

int json_parse(char *buf, size_t len, const char *name, struct jdoc **out,
	       struct oh_error *err)
{
	struct jdoc *doc = doc_new(buf, len);
	struct pctx c = { .doc = doc, .name = name, .in = (unsigned char *)buf,
			  .inlen = len, .err = err };
	yajl_status st;

	*out = NULL;
	if (len > UINT32_MAX / 2) {
		json_free(doc);
		return oh_err(err, 0, "%s: document too large", name);
	}
	if (all_blank(buf, len)) {
		json_free(doc);
		return oh_err(err, 0, "%s: empty input, expected a JSON object", name);
	}
	/* JSON text has no place for a raw NUL byte.  yajl would stop at one
	 * with "invalid char", which does not tell the user what is wrong. */
	const char *nul = memchr(buf, '\0', len);
	if (nul != NULL) {
		size_t at = (size_t)(nul - buf);
		json_free(doc);
		return oh_err(err, 0, "%s: invalid JSON: a NUL byte at byte %zu; "
			      "JSON text cannot hold one", name, at);
	}
	c.utf8_ok = json_utf8_valid((const unsigned char *)buf, len);
	buf[len] = '\0';   /* ends the reading of tokens (take_strings) */
	c.budget = JSON_MEMORY_FACTOR * len + JSON_MEMORY_FLOOR;
	c.h = yajl_alloc(&callbacks, &yajl_memory, &c);
	if (c.h == NULL) {
		json_free(doc);
		return oh_err(err, ENOMEM, "%s: cannot allocate the parser", name);
	}
	/* The defaults are strict already (no comments, no trailing data); state
	 * them so a change of yajl defaults cannot loosen us. */
	yajl_config(c.h, yajl_allow_comments, 0);
	/* Every string's UTF-8 is checked here (utf8_ok, take_string), more
	 * strictly than yajl does and in one pass over the input: yajl's own
	 * check, a call for every non-ASCII byte, is redundant.  Bytes above
	 * 0x7F outside strings stay invalid characters to yajl's lexer. */
	yajl_config(c.h, yajl_dont_validate_strings, 1);
	yajl_config(c.h, yajl_allow_trailing_garbage, 0);
	yajl_config(c.h, yajl_allow_multiple_values, 0);
	yajl_config(c.h, yajl_allow_partial_values, 0);

	st = yajl_parse(c.h, (const unsigned char *)buf, len);
	/* Where yajl stopped; at the end, every whole token was accepted
	 * (yajl_complete_parse only finds the document cut short). */
	size_t limit = yajl_get_bytes_consumed(c.h);
	if (st == yajl_status_ok) {
		st = yajl_complete_parse(c.h);
		limit = len;
	}
	/* The strings yajl accepted before its error, read as they would
	 * have been at their own callbacks: one of them may be what is
	 * wrong first. */
	if (st == yajl_status_error && !c.failed)
		(void)take_strings(&c, limit);
	/* A document that is one string (no event followed it). */
	if (st == yajl_status_ok && (!take_strings(&c, len) || c.scan != len) && !c.failed)
		(void)fail(&c, "internal error reading the document's tokens", NULL);
	if (st != yajl_status_ok && !c.failed) {
		unsigned char *msg = yajl_get_error(c.h, 0, NULL, 0);
		size_t at = yajl_get_bytes_consumed(c.h);
		char ptr[512];
		char *m = (char *)msg;
		size_t ml = m ? strlen(m) : 0;

		while (ml > 0 && (m[ml - 1] == '\n' || m[ml - 1] == '.'))
			m[--ml] = '\0';
		build_pointer(&c, ptr, sizeof(ptr));
		if (st == yajl_status_error && m && strstr(m, "premature EOF"))
			oh_err(err, 0, "%s: %s: truncated JSON: the document ends early",
			       name, ptr[0] ? ptr : "/");
		else
			oh_err(err, 0, "%s: %s: invalid JSON near byte %zu: %s", name,
			       ptr[0] ? ptr : "/", at, m ? m : "parse error");
		if (msg)
			yajl_free_error(c.h, msg);
		c.failed = true;
	}
	yajl_free(c.h);
	oh_big_free(c.keys, c.keys_bytes);
	if (c.failed) {
		oh_big_free(c.vals, c.vals_bytes);
		json_free(doc);
		return -1;
	}
	if (c.vals_bytes >= OH_BIG_MIN) {
		doc->scratch = c.vals;
		doc->scratch_len = c.vals_bytes;
	} else {
		oh_big_free(c.vals, c.vals_bytes);
	}
	*out = doc;
	return 0;
}

/* ---------------------------------------------------------------- values */

const char *jtype_name(enum jtype t)
{
	switch (t) {
	case J_NULL: return "null";
	case J_FALSE:
	case J_TRUE: return "a boolean";
	case J_NUMBER: return "a number";
	case J_STRING: return "a string";
	case J_OBJECT: return "an object";
	case J_ARRAY: return "an array";
	}
	return "?";
}

struct jval jv_strn(struct jdoc *doc, const char *s, size_t n)
{
	char *p = json_alloc(doc, n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return (struct jval){ .type = J_STRING, .len = (uint32_t)n, .u.str = p };
}

struct jval jv_str(struct jdoc *doc, const char *s)
{
	return jv_strn(doc, s, strlen(s));
}

struct jval jv_bool(bool b)
{
	return (struct jval){ .type = b ? J_TRUE : J_FALSE };
}

/* Decimal digits of v, written backwards from end; returns the first. */
static char *u64_digits(uint64_t v, char *end)
{
	do {
		*--end = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	return end;
}

struct jval jv_u64(struct jdoc *doc, uint64_t v)
{
	char tmp[24];
	char *p = u64_digits(v, tmp + sizeof(tmp));
	struct jval r = jv_strn(doc, p, (size_t)(tmp + sizeof(tmp) - p));

	r.type = J_NUMBER;
	return r;
}

struct jval jv_i64(struct jdoc *doc, int64_t v)
{
	char tmp[24];
	/* The magnitude as unsigned: -INT64_MIN does not fit an int64_t. */
	uint64_t mag = v < 0 ? -(uint64_t)v : (uint64_t)v;
	char *p = u64_digits(mag, tmp + sizeof(tmp));

	if (v < 0)
		*--p = '-';
	struct jval r = jv_strn(doc, p, (size_t)(tmp + sizeof(tmp) - p));

	r.type = J_NUMBER;
	return r;
}

struct jval jv_object(struct jdoc *doc, uint32_t n)
{
	struct jmember *m = json_alloc(doc, (size_t)n * sizeof(*m));

	memset(m, 0, (size_t)n * sizeof(*m));
	return (struct jval){ .type = J_OBJECT, .len = n, .u.members = m };
}

struct jval jv_array(struct jdoc *doc, uint32_t n)
{
	struct jval *a = json_alloc(doc, (size_t)n * sizeof(*a));

	memset(a, 0, (size_t)n * sizeof(*a));
	return (struct jval){ .type = J_ARRAY, .len = n, .u.items = a };
}

void jobj_init_member(struct jdoc *doc, struct jval *obj, uint32_t i,
		      const char *key, struct jval v)
{
	struct jval k = jv_str(doc, key);

	obj->u.members[i].key = k.u.str;
	obj->u.members[i].klen = k.len;
	obj->u.members[i].val = v;
}

struct jval *jobj_get(const struct jval *obj, const char *key)
{
	size_t n;

	if (obj == NULL || obj->type != J_OBJECT)
		return NULL;
	n = strlen(key);
	for (uint32_t i = 0; i < obj->len; i++) {
		struct jmember *m = &obj->u.members[i];
		if (m->klen == n && memcmp(m->key, key, n) == 0)
			return &m->val;
	}
	return NULL;
}

struct jmember *jobj_fold_get(const struct jval *obj, const char *key,
			      bool *exact)
{
	size_t n;

	if (obj == NULL || obj->type != J_OBJECT)
		return NULL;
	n = strlen(key);
	for (uint32_t i = 0; i < obj->len; i++) {
		struct jmember *m = &obj->u.members[i];
		if (json_keys_fold_equal(m->key, m->klen, key, n)) {
			if (exact)
				*exact = m->klen == n && memcmp(m->key, key, n) == 0;
			return m;
		}
	}
	return NULL;
}

void jobj_set(struct jdoc *doc, struct jval *obj, const char *key,
	      struct jval v)
{
	struct jval *cur = jobj_get(obj, key);

	if (cur != NULL) {
		*cur = v;
		return;
	}
	struct jmember *m = json_alloc(doc, ((size_t)obj->len + 1) * sizeof(*m));
	if (obj->len > 0)
		memcpy(m, obj->u.members, obj->len * sizeof(*m));
	obj->u.members = m;
	jobj_init_member(doc, obj, obj->len, key, v);
	obj->len++;
}

void jobj_del(struct jval *obj, const char *key)
{
	size_t n = strlen(key);

	if (obj == NULL || obj->type != J_OBJECT)
		return;
	for (uint32_t i = 0; i < obj->len; i++) {
		struct jmember *m = &obj->u.members[i];
		if (m->klen == n && memcmp(m->key, key, n) == 0) {
			memmove(m, m + 1, (obj->len - i - 1) * sizeof(*m));
			obj->len--;
			return;
		}
	}
}

bool jv_is_str(const struct jval *v, const char *s)
{
	return v != NULL && v->type == J_STRING && strcmp(v->u.str, s) == 0;
}

bool jv_get_u64(const struct jval *v, uint64_t *out)
{
	uint64_t r = 0;

	if (v == NULL || v->type != J_NUMBER || v->len == 0)
		return false;
	for (uint32_t i = 0; i < v->len; i++) {
		char ch = v->u.str[i];
		if (ch < '0' || ch > '9')
			return false;
		if (r > (UINT64_MAX - (uint64_t)(ch - '0')) / 10)
			return false;
		r = r * 10 + (uint64_t)(ch - '0');
	}
	*out = r;
	return true;
}

bool jv_get_i64(const struct jval *v, int64_t *out)
{
	uint64_t u;

	if (v == NULL || v->type != J_NUMBER || v->len == 0)
		return false;
	if (v->u.str[0] == '-') {
		struct jval t = *v;
		t.u.str++;
		t.len--;
		if (!jv_get_u64(&t, &u) || u > (uint64_t)INT64_MAX + 1)
			return false;
		*out = u == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)u;
		return true;
	}
	if (!jv_get_u64(v, &u) || u > INT64_MAX)
		return false;
	*out = (int64_t)u;
	return true;
}

/* ---------------------------------------------------------------- output */

#define SINK_BUF (64u * 1024u)

struct jsink {
	int fd;          /* -1: memory */
	bool failed;
	int saved_errno;
	struct oh_buf mem;
	size_t n;
	/* A parsed document's text (jsink_text_of): a string in it goes out
	 * as it is.  NULL: none. */
	const char *text;
	size_t textlen;
	char buf[SINK_BUF];
};

/* Not calloc: zeroing the 64 KiB buffer would touch (fault in) every page
 * of it, when a config needs a few. */
static struct jsink *sink_new(int fd)
{
	struct jsink *s = xmalloc(sizeof(*s));

	s->fd = fd;
	s->failed = false;
	s->saved_errno = 0;
	s->mem = (struct oh_buf){ 0 };
	s->n = 0;
	s->text = NULL;
	s->textlen = 0;
	return s;
}

/*
 * The parser takes a string from the document's text only when it holds
 * no escape (one with escapes is decoded into the tree's memory), and JSON
 * text holds no '"' and no control character inside a string: yajl
 * refuses one ("invalid character inside string").  So a string whose
 * bytes lie in that text needs no escape and is copied as it is, without
 * a test of each word (the text is not written to after the parse).
 */
void jsink_text_of(struct jsink *s, const struct jdoc *doc)
{
	s->text = doc->input;
	s->textlen = doc->input_len;
}

struct jsink *jsink_fd(int fd)
{
	return sink_new(fd);
}

struct jsink *jsink_mem(void)
{
	return sink_new(-1);
}

static void sink_flush(struct jsink *s)
{
	if (s->n == 0)
		return;
	if (s->fd < 0) {
		oh_buf_add(&s->mem, s->buf, s->n);
	} else if (!s->failed && oh_write_all(s->fd, s->buf, s->n) < 0) {
		s->failed = true;
		s->saved_errno = errno;
	}
	s->n = 0;
}

void jsink_raw(struct jsink *s, const char *p, size_t n)
{
	if (n > SINK_BUF - s->n) {
		sink_flush(s);
		if (n >= SINK_BUF) {
			if (s->fd < 0)
				oh_buf_add(&s->mem, p, n);
			else if (!s->failed && oh_write_all(s->fd, p, n) < 0) {
				s->failed = true;
				s->saved_errno = errno;
			}
			return;
		}
	}
	memcpy(s->buf + s->n, p, n);
	s->n += n;
}

static inline void sink_ch(struct jsink *s, char ch)
{
	if (s->n == SINK_BUF)
		sink_flush(s);
	s->buf[s->n++] = ch;
}

int jsink_finish(struct jsink *s)
{
	sink_flush(s);
	if (s->failed) {
		errno = s->saved_errno;
		return -1;
	}
	return 0;
}

char *jsink_take(struct jsink *s, size_t *len)
{
	char *p;

	sink_flush(s);
	if (s->mem.data == NULL)
		oh_buf_add(&s->mem, "", 0);
	p = s->mem.data;
	if (len)
		*len = s->mem.len;
	s->mem.data = NULL;
	s->mem.len = s->mem.cap = 0;
	return p;
}

void jsink_free(struct jsink *s)
{
	if (s == NULL)
		return;
	oh_buf_free(&s->mem);
	free(s);
}

/*
 * Whether any of the eight bytes of w must be escaped: below 0x20, '"' or
 * '\\' (the "has zero byte" and "has byte less than" tricks; exact, and
 * bytes of 0x80 and above never match).  Output is mostly plain strings;
 * testing a word at a time halved the cost of serializing a config.
 */
static inline bool word_needs_escape(uint64_t w)
{
	const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
	uint64_t q = w ^ (ones * '"'), b = w ^ (ones * '\\');

	return (((w - ones * 0x20) & ~w) | ((q - ones) & ~q) | ((b - ones) & ~b)) &
	       high;
}

static inline bool word4_needs_escape(uint32_t w)
{
	const uint32_t ones = 0x01010101u, high = 0x80808080u;
	uint32_t q = w ^ (ones * '"'), b = w ^ (ones * '\\');

	return (((w - ones * 0x20) & ~w) | ((q - ones) & ~q) | ((b - ones) & ~b)) &
	       high;
}

/*
 * Copies p[0..n) to o when no byte needs an escape; false (o half-written)
 * otherwise.  A string of eight bytes or more is copied a word at a time,
 * its tail as one last word overlapping the one before.
 */
static bool copy_plain(char *o, const char *p, size_t n)
{
	uint64_t w;
	size_t i;

	if (n < 8) {
		/* Four bytes or more: two words of four that overlap. */
		if (n >= 4) {
			uint32_t a, b;
			memcpy(&a, p, 4);
			memcpy(&b, p + n - 4, 4);
			if (word4_needs_escape(a) || word4_needs_escape(b))
				return false;
			memcpy(o, &a, 4);
			memcpy(o + n - 4, &b, 4);
			return true;
		}
		for (i = 0; i < n; i++) {
			unsigned char ch = (unsigned char)p[i];
			if (ch < 0x20 || ch == '"' || ch == '\\')
				return false;
			o[i] = (char)ch;
		}
		return true;
	}
	for (i = 0; i + 8 <= n; i += 8) {
		memcpy(&w, p + i, 8);
		if (word_needs_escape(w))
			return false;
		memcpy(o + i, &w, 8);
	}
	if (i < n) {
		memcpy(&w, p + n - 8, 8);
		if (word_needs_escape(w))
			return false;
		memcpy(o + n - 8, &w, 8);
	}
	return true;
}

void jsink_str(struct jsink *s, const char *p, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i = 0;

	/* Most strings need no escape and fit the buffer: copy them straight
	 * in.  Anything else takes the general path below from the start. */
	if (n + 2 <= SINK_BUF - s->n && copy_plain(s->buf + s->n + 1, p, n)) {
		s->buf[s->n] = '"';
		s->buf[s->n + n + 1] = '"';
		s->n += n + 2;
		return;
	}
	sink_ch(s, '"');
	/* The plain start of the string goes out as it is (a long one without
	 * a copy, jsink_raw), the rest a chunk at a time straight into the
	 * buffer, with room for the worst case (every byte a six-byte \u00XX):
	 * a string of many escapes costs no call per escape. */
	for (;;) {
		uint64_t w;
		if (n - i >= 8) {
			memcpy(&w, p + i, 8);
			if (!word_needs_escape(w)) {
				i += 8;
				continue;
			}
		}
		while (i < n) {
			unsigned char ch = (unsigned char)p[i];
			if (ch < 0x20 || ch == '"' || ch == '\\')
				break;
			i++;
		}
		break;
	}
	jsink_raw(s, p, i);
	while (i < n) {
		enum { CHUNK = 4096 };
		size_t end = n - i < CHUNK ? n : i + CHUNK;
		if (SINK_BUF - s->n < 6 * CHUNK)
			sink_flush(s);
		char *o = s->buf + s->n;
		while (i < end) {
			size_t stop = i + 1;
			if (end - i >= 8) {
				uint64_t w;
				memcpy(&w, p + i, 8);
				if (!word_needs_escape(w)) {
					memcpy(o, &w, 8);
					o += 8;
					i += 8;
					continue;
				}
				/* A word with an escape: its eight bytes one by one,
				 * without testing a word again at each. */
				stop = i + 8;
			}
			while (i < stop) {
				unsigned char ch = (unsigned char)p[i++];
				if (ch >= 0x20 && ch != '"' && ch != '\\') {
					*o++ = (char)ch;
					continue;
				}
				*o++ = '\\';
				switch (ch) {
				case '"': *o++ = '"'; break;
				case '\\': *o++ = '\\'; break;
				case '\n': *o++ = 'n'; break;
				case '\t': *o++ = 't'; break;
				case '\r': *o++ = 'r'; break;
				case '\b': *o++ = 'b'; break;
				case '\f': *o++ = 'f'; break;
				default:
					memcpy(o, "u00", 3);
					o[3] = hex[ch >> 4];
					o[4] = hex[ch & 15];
					o += 5;
				}
			}
		}
		s->n = (size_t)(o - s->buf);
	}
	sink_ch(s, '"');
}

static void indent(struct jsink *s, int level)
{
	sink_ch(s, '\n');
	for (int i = 0; i < level; i++)
		sink_ch(s, '\t');
}

/*
 * Copies a string of at most 16 bytes to o when none of them needs an
 * escape, in words that overlap (false, o half-written, otherwise).
 */
static inline __attribute__((always_inline)) bool short_plain(char *o, const char *p,
								size_t n)
{
	if (n >= 8) {
		uint64_t a, b;
		memcpy(&a, p, 8);
		memcpy(&b, p + n - 8, 8);
		if (word_needs_escape(a) || word_needs_escape(b))
			return false;
		memcpy(o, &a, 8);
		memcpy(o + n - 8, &b, 8);
		return true;
	}
	if (n >= 4) {
		uint32_t a, b;
		memcpy(&a, p, 4);
		memcpy(&b, p + n - 4, 4);
		if (word4_needs_escape(a) || word4_needs_escape(b))
			return false;
		memcpy(o, &a, 4);
		memcpy(o + n - 4, &b, 4);
		return true;
	}
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)p[i];
		if (ch < 0x20 || ch == '"' || ch == '\\')
			return false;
		o[i] = (char)ch;
	}
	return true;
}

/* A string: one from the parsed text (jsink_text_of) as it is, a short
 * one that needs no escape straight into the buffer (most of a config's
 * keys and values), else jsink_str. */
static inline __attribute__((always_inline)) void put_str(struct jsink *s, const char *p,
							     size_t n)
{
	size_t at = (uintptr_t)p - (uintptr_t)s->text;
	if (at < s->textlen && n <= s->textlen - at && n + 2 <= SINK_BUF - s->n) {
		char *o = s->buf + s->n;
		o[0] = '"';
		memcpy(o + 1, p, n);
		o[n + 1] = '"';
		s->n += n + 2;
		return;
	}
	if (n <= 16 && SINK_BUF - s->n >= 18 && short_plain(s->buf + s->n + 1, p, n)) {
		s->buf[s->n] = '"';
		s->buf[s->n + n + 1] = '"';
		s->n += n + 2;
		return;
	}
	jsink_str(s, p, n);
}

static void write_val(struct jsink *s, const struct jval *v, bool pretty,
		      int level)
{
	switch (v->type) {
	case J_NULL: jsink_raw(s, "null", 4); return;
	case J_TRUE: jsink_raw(s, "true", 4); return;
	case J_FALSE: jsink_raw(s, "false", 5); return;
	case J_NUMBER: jsink_raw(s, v->u.str, v->len); return;
	case J_STRING: put_str(s, v->u.str, v->len); return;
	case J_ARRAY:
		sink_ch(s, '[');
		for (uint32_t i = 0; i < v->len; i++) {
			if (i > 0)
				sink_ch(s, ',');
			if (pretty)
				indent(s, level + 1);
			const struct jval *it = &v->u.items[i];
			/* a string without a call: a config of a million mounts
			 * is ten million strings */
			if (it->type == J_STRING)
				put_str(s, it->u.str, it->len);
			else
				write_val(s, it, pretty, level + 1);
		}
		if (pretty && v->len > 0)
			indent(s, level);
		sink_ch(s, ']');
		return;
	case J_OBJECT:
		sink_ch(s, '{');
		for (uint32_t i = 0; i < v->len; i++) {
			const struct jmember *m = &v->u.members[i];
			if (i > 0)
				sink_ch(s, ',');
			if (pretty)
				indent(s, level + 1);
			put_str(s, m->key, m->klen);
			sink_ch(s, ':');
			if (pretty)
				sink_ch(s, ' ');
			if (m->val.type == J_STRING)
				put_str(s, m->val.u.str, m->val.len);
			else
				write_val(s, &m->val, pretty, level + 1);
		}
		if (pretty && v->len > 0)
			indent(s, level);
		sink_ch(s, '}');
		return;
	}
}

void json_write(struct jsink *s, const struct jval *v, bool pretty)
{
	write_val(s, v, pretty, 0);
	if (pretty)
		sink_ch(s, '\n');
}

/* -------------------------------------------------------- stream writer */

#define JW_MAX_DEPTH 32

struct jw {
	struct jsink *s;
	bool pretty;
	int depth;
	bool first[JW_MAX_DEPTH];
	bool after_key;
};

struct jw *jw_new(struct jsink *s, bool pretty)
{
	struct jw *w = xcalloc(1, sizeof(*w));

	w->s = s;
	w->pretty = pretty;
	return w;
}

void jw_free(struct jw *w)
{
	free(w);
}

static void jw_sep(struct jw *w)
{
	if (w->after_key) {
		w->after_key = false;
		return;
	}
	if (w->depth == 0)
		return;
	if (!w->first[w->depth - 1])
		sink_ch(w->s, ',');
	w->first[w->depth - 1] = false;
	if (w->pretty)
		indent(w->s, w->depth);
}

static void jw_open(struct jw *w, char ch)
{
	jw_sep(w);
	sink_ch(w->s, ch);
	if (w->depth < JW_MAX_DEPTH)
		w->first[w->depth] = true;
	w->depth++;
}

static void jw_close(struct jw *w, char ch)
{
	w->depth--;
	if (w->pretty && w->depth < JW_MAX_DEPTH && !w->first[w->depth])
		indent(w->s, w->depth);
	sink_ch(w->s, ch);
	if (w->depth == 0 && w->pretty)
		sink_ch(w->s, '\n');
}

void jw_obj(struct jw *w) { jw_open(w, '{'); }
void jw_end_obj(struct jw *w) { jw_close(w, '}'); }
void jw_arr(struct jw *w) { jw_open(w, '['); }
void jw_end_arr(struct jw *w) { jw_close(w, ']'); }

void jw_key(struct jw *w, const char *k)
{
	jw_sep(w);
	jsink_str(w->s, k, strlen(k));
	sink_ch(w->s, ':');
	if (w->pretty)
		sink_ch(w->s, ' ');
	w->after_key = true;
}

void jw_strn(struct jw *w, const char *s, size_t n)
{
	jw_sep(w);
	jsink_str(w->s, s, n);
}

void jw_str(struct jw *w, const char *s)
{
	jw_strn(w, s, strlen(s));
}

void jw_int(struct jw *w, long long v)
{
	char tmp[32];
	int n = snprintf(tmp, sizeof(tmp), "%lld", v);

	jw_sep(w);
	jsink_raw(w->s, tmp, (size_t)n);
}

void jw_bool(struct jw *w, bool b)
{
	jw_sep(w);
	jsink_raw(w->s, b ? "true" : "false", b ? 4 : 5);
}

void jw_null(struct jw *w)
{
	jw_sep(w);
	jsink_raw(w->s, "null", 4);
}

void jw_raw_number(struct jw *w, const char *text)
{
	jw_sep(w);
	jsink_raw(w->s, text, strlen(text));
}

void jw_val(struct jw *w, const struct jval *v)
{
	jw_sep(w);
	write_val(w->s, v, false, 0);
}

void jw_kstr(struct jw *w, const char *k, const char *s)
{
	jw_key(w, k);
	jw_str(w, s);
}

void jw_kint(struct jw *w, const char *k, long long v)
{
	jw_key(w, k);
	jw_int(w, v);
}

void jw_kbool(struct jw *w, const char *k, bool b)
{
	jw_key(w, k);
	jw_bool(w, b);
}

/* --------------------------------------------------------------- pointer */

void json_ptr_set(char *ptr, size_t cap, const char *base)
{
	size_t n = strnlen(base, cap - 1);

	memcpy(ptr, base, n);
	ptr[n] = '\0';
}

void json_ptr_append(char *ptr, size_t cap, const char *tok, size_t n)
{
	size_t len = strlen(ptr);

	if (len + 1 >= cap)
		return;
	ptr[len++] = '/';
	for (size_t i = 0; i < n && len + 3 < cap; i++) {
		if (tok[i] == '~') {
			ptr[len++] = '~';
			ptr[len++] = '0';
		} else if (tok[i] == '/') {
			ptr[len++] = '~';
			ptr[len++] = '1';
		} else {
			ptr[len++] = tok[i];
		}
	}
	ptr[len] = '\0';
}

void json_ptr_append_index(char *ptr, size_t cap, size_t idx)
{
	char tmp[24];
	char *p = u64_digits(idx, tmp + sizeof(tmp));

	json_ptr_append(ptr, cap, p, (size_t)(tmp + sizeof(tmp) - p));
}

/* --------------------------------------------------------------- locate */

struct loc {
	const char *t;
	size_t len, pos;
	unsigned line, col;     /* of t[pos] */
};

static void loc_adv(struct loc *l)
{
	if (l->t[l->pos] == '\n') {
		l->line++;
		l->col = 1;
	} else if (((unsigned char)l->t[l->pos] & 0xC0) != 0x80) {
		l->col++;    /* columns count characters, not UTF-8 bytes */
	}
	l->pos++;
}

static void loc_ws(struct loc *l)
{
	while (l->pos < l->len && strchr(" \t\r\n", l->t[l->pos]) && l->t[l->pos])
		loc_adv(l);
}

/* Reads a string at l->pos into out (escapes decoded as far as pointer
 * tokens need: the common ones and \u for ASCII). */
static void loc_string(struct loc *l, struct oh_buf *out)
{
	loc_adv(l);   /* the opening quote */
	while (l->pos < l->len && l->t[l->pos] != '"') {
		char ch = l->t[l->pos];
		if (ch == '\\' && l->pos + 1 < l->len) {
			loc_adv(l);
			ch = l->t[l->pos];
			if (ch == 'u' && l->pos + 4 < l->len) {
				uint32_t cp = 0;
				if (read_hex4((const unsigned char *)l->t + l->pos + 1,
					      (const unsigned char *)l->t + l->len, &cp) == 0 && cp < 0x80)
					ch = (char)cp;
				for (int i = 0; i < 4; i++)
					loc_adv(l);
			} else if (ch == 'n') {
				ch = '\n';
			} else if (ch == 't') {
				ch = '\t';
			}
		}
		if (out)
			oh_buf_add(out, &ch, 1);
		loc_adv(l);
	}
	if (l->pos < l->len)
		loc_adv(l);   /* the closing quote */
}

static void loc_skip(struct loc *l)
{
	int depth = 0;

	do {
		loc_ws(l);
		if (l->pos >= l->len)
			return;
		char ch = l->t[l->pos];
		if (ch == '"') {
			loc_string(l, NULL);
		} else if (ch == '{' || ch == '[') {
			depth++;
			loc_adv(l);
		} else if (ch == '}' || ch == ']') {
			depth--;
			loc_adv(l);
		} else {
			/* numbers, literals, and ',' ':' inside containers */
			loc_adv(l);
			while (l->pos < l->len && !strchr(",:]} \t\r\n\"{[", l->t[l->pos]))
				loc_adv(l);
		}
	} while (depth > 0);
}

/* The next pointer token into tok (unescaped); returns the rest. */
static const char *ptr_token(const char *p, struct oh_buf *tok)
{
	tok->len = 0;
	oh_buf_add(tok, "", 0);
	for (; *p && *p != '/'; p++) {
		char ch = *p;
		if (ch == '~' && (p[1] == '0' || p[1] == '1'))
			ch = *++p == '0' ? '~' : '/';
		oh_buf_add(tok, &ch, 1);
	}
	return p;
}

/* json_region; the end only when want_end (json_locate needs the start,
 * and skipping a large value would double its cost). */
static void region(const char *text, size_t len, const char *pointer,
		   struct json_region *rg, bool want_end)
{
	struct loc l = { .t = text, .len = len, .line = 1, .col = 1 };
	struct oh_buf tok = { 0 }, key = { 0 };
	const char *p = pointer;

	loc_ws(&l);
	rg->start_line = l.line;
	rg->start_column = l.col;
	/* Where the value of the deepest member found starts: its end is the
	 * region's end, a whole container when the member below is absent. */
	struct loc value = l;
	while (*p == '/' && l.pos < l.len) {
		p = ptr_token(p + 1, &tok);
		char open = l.t[l.pos];
		bool found = false;
		if (open != '{' && open != '[')
			break;
		loc_adv(&l);
		for (size_t index = 0;; index++) {
			loc_ws(&l);
			if (l.pos >= l.len || l.t[l.pos] == '}' || l.t[l.pos] == ']')
				break;
			unsigned at_line = l.line, at_col = l.col;
			bool match;
			if (open == '{') {
				key.len = 0;
				oh_buf_add(&key, "", 0);
				loc_string(&l, &key);
				match = key.len == tok.len && memcmp(key.data, tok.data, key.len) == 0;
				loc_ws(&l);
				if (l.pos < l.len && l.t[l.pos] == ':')
					loc_adv(&l);
				loc_ws(&l);
			} else {
				char idx[24];
				snprintf(idx, sizeof(idx), "%zu", index);
				match = strcmp(idx, tok.data) == 0;
			}
			if (match) {
				rg->start_line = at_line;
				rg->start_column = at_col;
				value = l;
				found = true;
				break;
			}
			loc_skip(&l);
			loc_ws(&l);
			if (l.pos < l.len && l.t[l.pos] == ',')
				loc_adv(&l);
		}
		if (!found)
			break;
	}
	if (want_end)
		loc_skip(&value);
	rg->end_line = value.line;
	rg->end_column = value.col;
	oh_buf_free(&tok);
	oh_buf_free(&key);
}

void json_region(const char *text, size_t len, const char *pointer,
		 struct json_region *rg)
{
	region(text, len, pointer, rg, true);
}

void json_locate(const char *text, size_t len, const char *pointer,
		 unsigned *line, unsigned *column)
{
	struct json_region rg;

	region(text, len, pointer, &rg, false);
	*line = rg.start_line;
	*column = rg.start_column;
}
