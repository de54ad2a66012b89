/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Strict JSON: one meaning per document or an error.
 *
 * The parser runs yajl's event parser over the whole input and builds a
 * compact tree in an arena; yajl checks every token, and the strings and
 * keys are read from the text between its other events (json.c).  Beyond RFC 8259 it refuses what two OCI runtimes
 * could read differently: duplicate keys and keys equal under case folding
 * (Go's encoding/json matches struct fields case-insensitively, yajl does
 * not), NUL in strings, invalid UTF-8 (overlong forms, surrogates, lone
 * surrogate escapes), comments, trailing data, nesting deeper than
 * JSON_MAX_DEPTH.  Errors carry the JSON pointer where they were found.
 */
#ifndef OH_JSON_H
#define OH_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

/* Deepest nesting accepted.  OCI configs need 7 (seccomp syscall args). */
#define JSON_MAX_DEPTH 64
/* The tree of a document may use at most this many times the input's size
 * plus the floor (a 50 MB config of environment and annotations needs a
 * third of its size); beyond it the document is refused. */
#define JSON_MEMORY_FACTOR 2u
#define JSON_MEMORY_FLOOR (8u * 1024u * 1024u)

enum jtype { J_NULL, J_FALSE, J_TRUE, J_NUMBER, J_STRING, J_OBJECT, J_ARRAY };

struct jmember;

/* 16 bytes: strings are NUL-terminated, numbers keep their source text. */
struct jval {
	uint8_t type;
	uint32_t len;   /* string/number: bytes; object/array: members/items */
	union {
		const char *str;       /* J_STRING (NUL-terminated), J_NUMBER (not) */
		struct jval *items;    /* J_ARRAY */
		struct jmember *members; /* J_OBJECT */
	} u;
};

struct jmember {
	const char *key;       /* NUL-terminated */
	uint32_t klen;
	struct jval val;
};

struct jdoc;

/*
 * Parses buf[0..len).  The document takes ownership of buf (malloc'd, with a
 * writable byte at buf[len]) and frees it.  name is used in messages.  The
 * root must be an object.
 */
int json_parse(char *buf, size_t len, const char *name, struct jdoc **out,
	       struct oh_error *err);
/* An empty document (a null root): an arena to build values in. */
struct jdoc *json_new(void);
void json_free(struct jdoc *doc);
struct jval *json_root(struct jdoc *doc);

/* Memory in the document's arena, freed with it. */
void *json_alloc(struct jdoc *doc, size_t n);
/* The same, for one large block asked for after the parse: it may be the
 * parser's own scratch memory, touched already (not zeroed). */
void *json_scratch(struct jdoc *doc, size_t n);
struct jval jv_str(struct jdoc *doc, const char *s);
struct jval jv_strn(struct jdoc *doc, const char *s, size_t n);
struct jval jv_bool(bool b);
struct jval jv_u64(struct jdoc *doc, uint64_t v);
struct jval jv_i64(struct jdoc *doc, int64_t v);
/* An object or array with room for n entries, all set to null. */
struct jval jv_object(struct jdoc *doc, uint32_t n);
struct jval jv_array(struct jdoc *doc, uint32_t n);

/* Exact-key member lookup; NULL when absent or obj is not an object. */
struct jval *jobj_get(const struct jval *obj, const char *key);
/*
 * Case-folded lookup, as Go's encoding/json matches struct fields.  Sets
 * *exact to whether the member found is spelled exactly like key.
 */
struct jmember *jobj_fold_get(const struct jval *obj, const char *key,
			      bool *exact);
/* Replaces the member's value, or appends the member. */
void jobj_set(struct jdoc *doc, struct jval *obj, const char *key,
	      struct jval v);
/* Removes the member with that key, if present. */
void jobj_del(struct jval *obj, const char *key);
/* Sets member i of a fresh object made by jv_object(). */
void jobj_init_member(struct jdoc *doc, struct jval *obj, uint32_t i,
		      const char *key, struct jval v);

bool jv_is_str(const struct jval *v, const char *s);
/* Parses an integer number exactly (no fraction, no exponent). */
bool jv_get_u64(const struct jval *v, uint64_t *out);
bool jv_get_i64(const struct jval *v, int64_t *out);
const char *jtype_name(enum jtype t);

/* Key comparison under the case folding above. */
bool json_keys_fold_equal(const char *a, size_t alen, const char *b,
			  size_t blen);
/* SipHash-1-3 of the bytes under the parser's per-process random key: for
 * tables of strings from the input, which no input can flood. */
uint64_t json_key_hash(const char *s, size_t n);
/* The keyed hash of a key's case-folded form, the duplicate-key table's:
 * keys that fold alike hash alike.  general: rune by rune only, without
 * the way most keys take (for tests: the two must agree). */
uint64_t json_fold_hash(const char *s, size_t n, bool general);
/* Strict UTF-8 check (RFC 3629). */
bool json_utf8_valid(const unsigned char *s, size_t n);

/* Output: a buffered sink over an fd or into memory. */
struct jsink;
struct jsink *jsink_fd(int fd);
struct jsink *jsink_mem(void);
/* Flushes; returns -1 (errno set) if any write failed. */
int jsink_finish(struct jsink *s);
/* For a memory sink: takes the bytes (NUL-terminated). */
char *jsink_take(struct jsink *s, size_t *len);
void jsink_free(struct jsink *s);

void jsink_raw(struct jsink *s, const char *p, size_t n);
void jsink_str(struct jsink *s, const char *p, size_t n);

/* Strings that lie in doc's parsed text need no escape: written as they
 * are (for a tree of that document). */
void jsink_text_of(struct jsink *s, const struct jdoc *doc);
/* Serializes v; indent 0 is compact, else tab-indented like `runc spec`. */
void json_write(struct jsink *s, const struct jval *v, bool pretty);

/*
 * A streaming writer for reports: objects and arrays are opened and closed
 * explicitly, commas and indentation are handled here.
 */
struct jw;
struct jw *jw_new(struct jsink *s, bool pretty);
void jw_free(struct jw *w);
void jw_obj(struct jw *w);
void jw_end_obj(struct jw *w);
void jw_arr(struct jw *w);
void jw_end_arr(struct jw *w);
void jw_key(struct jw *w, const char *k);
void jw_str(struct jw *w, const char *s);
void jw_strn(struct jw *w, const char *s, size_t n);
void jw_int(struct jw *w, long long v);
void jw_bool(struct jw *w, bool b);
void jw_null(struct jw *w);
/* A number already formatted as JSON ("0.041"). */
void jw_raw_number(struct jw *w, const char *text);
void jw_val(struct jw *w, const struct jval *v);
/* key + value shorthands */
void jw_kstr(struct jw *w, const char *k, const char *s);
void jw_kint(struct jw *w, const char *k, long long v);
void jw_kbool(struct jw *w, const char *k, bool b);

/*
 * Where the member a JSON pointer names starts in a valid document's text:
 * 1-based line and column of its key (or array element).  When the member
 * is absent, the deepest ancestor that exists.  For reports that point into
 * the file (SARIF regions).
 */
void json_locate(const char *text, size_t len, const char *pointer,
		 unsigned *line, unsigned *column);

/*
 * The whole region of that member: from where json_locate puts its start to
 * just after its value (an absent member: its deepest ancestor's whole
 * value).  Lines and columns are 1-based; columns count Unicode code points
 * (UTF-8 sequences), as SARIF's columnKind unicodeCodePoints says; the end
 * column is the one after the value's last character, as SARIF's endColumn.
 */
struct json_region {
	unsigned start_line, start_column, end_line, end_column;
};
void json_region(const char *text, size_t len, const char *pointer,
		 struct json_region *rg);

/* JSON pointer building (RFC 6901): starts ptr as a copy of base (cut to
 * fit), appends "/" + escaped token, appends "/" + index. */
void json_ptr_set(char *ptr, size_t cap, const char *base);
void json_ptr_append(char *ptr, size_t cap, const char *tok, size_t n);
void json_ptr_append_index(char *ptr, size_t cap, size_t idx);

#endif
