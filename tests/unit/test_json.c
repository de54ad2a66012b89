/* SPDX-License-Identifier: Apache-2.0 */
/* Strict JSON: every document has one meaning or is refused, with a pointer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "dedup.h"
#include "json.h"
#include "siphash.h"
#include "util.h"

struct pcase {
	const char *name;
	const char *input;
	size_t len;          /* 0: strlen(input) */
	const char *error;   /* NULL: must parse; else a substring of the error */
};

#define OK(n, in) { n, in, 0, NULL }
#define BAD(n, in, e) { n, in, 0, e }

static const struct pcase cases[] = {
	OK("empty object", "{}"),
	OK("nested values", "{\"a\":[1,-2.5e3,true,false,null,{\"b\":\"c\"}]}"),
	OK("escapes decode", "{\"a\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\"}"),
	OK("keys differing in more than case", "{\"ab\":1,\"ba\":2}"),
	OK("unicode keys that do not fold together", "{\"\\u00e9\":1,\"e\":2}"),
	BAD("empty input", "", "empty input"),
	BAD("blank input", "  \n\t", "empty input"),
	BAD("array root", "[]", "root must be an object"),
	BAD("string root", "\"x\"", "root must be an object"),
	BAD("number root", "1", "root must be an object"),
	BAD("truncated object", "{\"a\":1", "truncated"),
	BAD("truncated string", "{\"a\":\"x", "truncated"),
	BAD("truncated nested", "{\"a\":[1,{\"b\":", "truncated"),
	BAD("trailing data", "{} {}", "trailing garbage"),
	BAD("trailing junk", "{}x", "trailing garbage"),
	BAD("line comment", "{} // c", "invalid JSON"),
	BAD("block comment", "{/* c */}", "comment"),
	BAD("duplicate key", "{\"a\":1,\"a\":2}", "duplicate key \"a\""),
	BAD("duplicate key deep", "{\"x\":{\"y\":[{\"a\":1,\"a\":1}]}}", "/x/y/0/a: duplicate"),
	BAD("case-only difference", "{\"noNewPrivileges\":true,\"NoNewPrivileges\":false}",
	    "differ only in letter case"),
	BAD("long s folds to s", "{\"names\":[],\"name\\u017f\":[]}", "differ only in letter case"),
	BAD("kelvin sign folds to k", "{\"kill\":1,\"\\u212aill\":2}", "differ only in letter case"),
	BAD("unicode case pair", "{\"\\u00e9\":1,\"\\u00c9\":2}", "differ only in letter case"),
	BAD("escaped NUL in string", "{\"a\":\"x\\u0000y\"}", "NUL"),
	BAD("escaped NUL in key", "{\"a\\u0000\":1}", "NUL"),
	BAD("lone high surrogate", "{\"a\":\"\\ud800\"}", "surrogate"),
	BAD("high surrogate then letter", "{\"a\":\"\\ud800\\u0041\"}", "surrogate"),
	BAD("lone low surrogate", "{\"a\":\"\\udc00\"}", "surrogate"),
	BAD("bad escape", "{\"a\":\"\\x\"}", "invalid"),
	BAD("raw control char", "{\"a\":\"\x01\"}", "invalid"),
	BAD("overlong UTF-8", "{\"a\":\"\xc0\xaf\"}", "UTF-8"),
	BAD("encoded surrogate UTF-8", "{\"a\":\"\xed\xa0\x80\"}", "UTF-8"),
	BAD("beyond U+10FFFF", "{\"a\":\"\xf4\x90\x80\x80\"}", "UTF-8"),
	BAD("truncated UTF-8", "{\"a\":\"\xe2\x82\"}", "UTF"),
	BAD("leading zero", "{\"a\":01}", "invalid JSON"),
	BAD("bare minus", "{\"a\":-}", "invalid JSON"),
	BAD("single quotes", "{'a':1}", "invalid JSON"),
	BAD("unquoted key", "{a:1}", "invalid JSON"),
	BAD("trailing comma", "{\"a\":1,}", "invalid JSON"),
	BAD("byte order mark", "\xef\xbb\xbf{}", "invalid JSON"),
	BAD("NaN", "{\"a\":NaN}", "invalid JSON"),
};

static void test_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct pcase *c = &cases[i];
		size_t len = c->len ? c->len : strlen(c->input);
		char *buf = xmalloc(len + 1);
		struct oh_error err = { 0 };
		struct jdoc *doc = NULL;

		memcpy(buf, c->input, len);
		buf[len] = '\0';
		int rc = json_parse(buf, len, "t", &doc, &err);
		if (c->error == NULL) {
			if (rc != 0)
				fail_msg("%s: unexpected error: %s", c->name, err.msg);
		} else {
			if (rc == 0)
				fail_msg("%s: parsed but should fail with \"%s\"", c->name, c->error);
			if (strstr(err.msg, c->error) == NULL)
				fail_msg("%s: error \"%s\" lacks \"%s\"", c->name, err.msg, c->error);
		}
		json_free(doc);
	}
}

static void test_raw_nul_byte(void **state)
{
	(void)state;
	static const char in[] = "{\"a\":\"x\0y\"}";
	char *buf = xmalloc(sizeof(in));
	struct oh_error err = { 0 };
	struct jdoc *doc = NULL;

	memcpy(buf, in, sizeof(in));
	assert_int_equal(json_parse(buf, sizeof(in) - 1, "t", &doc, &err), -1);
	assert_non_null(strstr(err.msg, "invalid"));
}

/*
 * A document of tiny values passes the memory budget where the parser's
 * accounting says, in the same words whichever way the values come (the
 * checks before a value is pushed are answered once for a run of values):
 * {"x":[ITEM,ITEM,...]} of about 2,000,000 bytes, refused where (and in
 * the words) the parser refused it before those checks were batched, or
 * admitted as it was.
 */
static void test_budget_where_it_was(void **state)
{
	(void)state;
	static const struct { const char *item, *at; } docs[] = {
		{ "0", "t: /x/524289: the document needs more than 12388602 bytes" },
		{ "\"a\"", "t: /x: the document needs more than 12388598 bytes" },
		{ "\"\\\\n\"", "t: /x: the document needs more than 12388594 bytes" },
		{ "{\"k\":0}", "t: /x: the document needs more than 12388590 bytes" },
		{ "[0]", "t: /x/262144: the document needs more than 12388598 bytes" },
		{ "{\"k\":\"\\t\",\"l\":[1,\"b\"]}",
		  "t: /x: the document needs more than 12388598 bytes" },
		{ "{\"k\":\"\\\\t\",\"l\":[1,\"b\"]}", NULL },
	};

	for (size_t c = 0; c < sizeof(docs) / sizeof(docs[0]); c++) {
		size_t il = strlen(docs[c].item), n = (2000000 - 10) / (il + 1);
		char *buf = xmalloc(n * (il + 1) + 16), *p = buf;
		struct oh_error err = { 0 };
		struct jdoc *doc = NULL;

		p += sprintf(p, "{\"x\":[");
		for (size_t i = 0; i < n; i++, p += il + 1) {
			memcpy(p, docs[c].item, il);
			p[il] = ',';
		}
		strcpy(p - 1, "]}");
		int rc = json_parse(buf, strlen(buf), "t", &doc, &err);
		if (docs[c].at == NULL) {
			if (rc != 0)
				fail_msg("%s: %s", docs[c].item, err.msg);
			assert_int_equal(json_root(doc)->u.members[0].val.len, n);
			json_free(doc);
		} else {
			assert_int_equal(rc, -1);
			if (strncmp(err.msg, docs[c].at, strlen(docs[c].at)) != 0)
				fail_msg("%s: %s, want %s", docs[c].item, err.msg, docs[c].at);
		}
	}
}

/* "{"a":" x (depth-1), "{}", "}" x (depth-1): objects nested depth deep. */
static char *nested(size_t depth, size_t *len)
{
	char *s = xmalloc(depth * 6 + 3), *p = s;

	for (size_t i = 1; i < depth; i++, p += 5)
		memcpy(p, "{\"a\":", 5);
	memcpy(p, "{}", 2);
	p += 2;
	for (size_t i = 1; i < depth; i++)
		*p++ = '}';
	*p = '\0';
	*len = (size_t)(p - s);
	return s;
}

static void test_depth_limit(void **state)
{
	(void)state;
	struct oh_error err = { 0 };
	struct jdoc *doc = NULL;
	size_t len;

	char *ok = nested(JSON_MAX_DEPTH, &len);
	assert_int_equal(json_parse(ok, len, "t", &doc, &err), 0);
	json_free(doc);

	char *over = nested(JSON_MAX_DEPTH + 1, &len);
	assert_int_equal(json_parse(over, len, "t", &doc, &err), -1);
	assert_non_null(strstr(err.msg, "nesting deeper"));

	/* 200,000 levels are refused as soon as the limit is passed. */
	size_t n = 200000;
	char *deep = xmalloc(2 * n + 8);
	memcpy(deep, "{\"a\":", 5);
	memset(deep + 5, '[', n);
	memset(deep + 5 + n, ']', n);
	deep[5 + 2 * n] = '}';
	deep[6 + 2 * n] = '\0';
	assert_int_equal(json_parse(deep, 6 + 2 * n, "t", &doc, &err), -1);
	assert_non_null(strstr(err.msg, "nesting deeper"));
}

static void test_roundtrip(void **state)
{
	(void)state;
	const char *in = "{\"b\":[1,2.50,\"x\\ny\"],\"a\":{\"k\":null,\"t\":true},"
			 "\"u\":\"\\u00e9\\ud83d\\ude00\"}";
	char *buf = xstrdup(in);
	struct oh_error err = { 0 };
	struct jdoc *doc;
	size_t len;

	assert_int_equal(json_parse(buf, strlen(in), "t", &doc, &err), 0);
	struct jsink *s = jsink_mem();
	json_write(s, json_root(doc), false);
	char *out = jsink_take(s, &len);
	/* Members keep their order, numbers their spelling. */
	assert_string_equal(out, "{\"b\":[1,2.50,\"x\\ny\"],\"a\":{\"k\":null,\"t\":true},"
				 "\"u\":\"\xc3\xa9\xf0\x9f\x98\x80\"}");
	free(out);
	jsink_free(s);
	json_free(doc);
}

/* The strings and keys are read from the text between yajl's other events
 * (json.c): every blank yajl skips, keys after blanks, strings as long as
 * a block of 16 bytes and longer, escapes where a block ends, strings
 * next to numbers, literals and brackets, each read as a key or a value
 * as its place says. */
static void test_token_reading(void **state)
{
	(void)state;
	const char *in =
		"\v{\f\"a\" \t:\r\n\"0123456789abcde\" , \"k\\u00e9y\":[\"\",\"x\",1,"
		"\"0123456789abcdef\",true,\"0123456789abcd\\\\\",null,"
		"\"0123456789abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
		"0123456789\\\"x\"],\"b\":{\"c\":\"d\"},\"e\":-0.5,\"f\":\"g\"}\f";
	char *buf = xstrdup(in);
	struct oh_error err = { 0 };
	struct jdoc *doc;
	size_t len;

	assert_int_equal(json_parse(buf, strlen(in), "t", &doc, &err), 0);
	struct jsink *s = jsink_mem();
	json_write(s, json_root(doc), false);
	char *out = jsink_take(s, &len);
	assert_string_equal(out,
		"{\"a\":\"0123456789abcde\",\"k\xc3\xa9y\":[\"\",\"x\",1,"
		"\"0123456789abcdef\",true,\"0123456789abcd\\\\\",null,"
		"\"0123456789abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
		"0123456789\\\"x\"],\"b\":{\"c\":\"d\"},\"e\":-0.5,\"f\":\"g\"}");
	free(out);
	jsink_free(s);
	json_free(doc);

	/* Where a document cut short or broken is refused: the strings read
	 * before the fault name the place, as they did at their own events. */
	static const struct { const char *in, *ptr; } cut[] = {
		{ "{\"a\"\t:\"1.0.", "/a" },
		{ "{\"a\":[\"x\",\"", "/a/1" },
		{ "{\"a\":{\"b\"", "/a/b" },
		{ "{\"a\":[\"x\" \"y\"]}", "/a/1" },
		{ "{\"a\":\"\\ud800\"}", "/a" },
		{ "{\"a\":[\"x\",\"\\u0000\"]}", "/a/1" },
	};
	for (size_t i = 0; i < sizeof(cut) / sizeof(cut[0]); i++) {
		char want[64];
		buf = xstrdup(cut[i].in);
		err = (struct oh_error){ 0 };
		assert_int_not_equal(json_parse(buf, strlen(cut[i].in), "t", &doc, &err), 0);
		snprintf(want, sizeof(want), "t: %s: ", cut[i].ptr);
		if (strncmp(err.msg, want, strlen(want)) != 0)
			fail_msg("%s: error \"%s\" does not start with \"%s\"", cut[i].in,
				 err.msg, want);
	}
}

static void test_mutation(void **state)
{
	(void)state;
	char *buf = xstrdup("{\"a\":1,\"b\":2}");
	struct oh_error err = { 0 };
	struct jdoc *doc;
	size_t len;

	assert_int_equal(json_parse(buf, strlen(buf), "t", &doc, &err), 0);
	struct jval *root = json_root(doc);
	jobj_set(doc, root, "c", jv_bool(true));
	jobj_set(doc, root, "a", jv_str(doc, "x"));
	jobj_del(root, "b");
	struct jsink *s = jsink_mem();
	json_write(s, root, false);
	char *out = jsink_take(s, &len);
	assert_string_equal(out, "{\"a\":\"x\",\"c\":true}");
	free(out);
	jsink_free(s);
	json_free(doc);
}

static void test_fold_lookup(void **state)
{
	(void)state;
	char *buf = xstrdup("{\"Process\":{}}");
	struct oh_error err = { 0 };
	struct jdoc *doc;
	bool exact = true;

	assert_int_equal(json_parse(buf, strlen(buf), "t", &doc, &err), 0);
	assert_null(jobj_get(json_root(doc), "process"));
	assert_non_null(jobj_fold_get(json_root(doc), "process", &exact));
	assert_false(exact);
	json_free(doc);
}

static void test_integers(void **state)
{
	(void)state;
	struct { const char *text; bool ok; uint64_t v; } t[] = {
		{ "0", true, 0 }, { "18446744073709551615", true, UINT64_MAX },
		{ "18446744073709551616", false, 0 }, { "1.0", false, 0 },
		{ "1e3", false, 0 }, { "-1", false, 0 },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct jval v = { .type = J_NUMBER, .len = (uint32_t)strlen(t[i].text),
				  .u.str = t[i].text };
		uint64_t out = 0;
		assert_int_equal(jv_get_u64(&v, &out), t[i].ok);
		if (t[i].ok)
			assert_true(out == t[i].v);
	}
}

/* What jsink_str must write: the reference, one byte at a time. */
static void escape_ref(struct oh_buf *b, const char *p, size_t n)
{
	oh_buf_add(b, "\"", 1);
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)p[i];
		switch (ch) {
		case '"': oh_buf_puts(b, "\\\""); break;
		case '\\': oh_buf_puts(b, "\\\\"); break;
		case '\n': oh_buf_puts(b, "\\n"); break;
		case '\t': oh_buf_puts(b, "\\t"); break;
		case '\r': oh_buf_puts(b, "\\r"); break;
		case '\b': oh_buf_puts(b, "\\b"); break;
		case '\f': oh_buf_puts(b, "\\f"); break;
		default:
			if (ch < 0x20)
				oh_buf_printf(b, "\\u%04x", ch);
			else
				oh_buf_add(b, &ch, 1);
		}
	}
	oh_buf_add(b, "\"", 1);
}

/*
 * Strings are escaped a word at a time with a byte-wise tail: every length
 * around the word size, with each kind of byte at each position, and
 * strings that straddle the sink's 64 KiB buffer or exceed it.
 */
static void test_string_escapes(void **state)
{
	(void)state;
	static const char special[] = { '"', '\\', '\n', '\t', '\r', '\b', '\f',
					0x01, 0x1f, 0x7f, (char)0xc3, ' ', '/', '~' };
	struct jsink *s = jsink_mem();
	struct oh_buf want = { 0 };
	char str[40];
	size_t len;

	for (size_t n = 0; n <= 24; n++) {
		for (size_t at = 0; at < (n ? n : 1); at++) {
			for (size_t k = 0; k < sizeof(special); k++) {
				memset(str, 'a' + (int)(n % 26), n);
				if (n > 0)
					str[at] = special[k];
				jsink_str(s, str, n);
				escape_ref(&want, str, n);
			}
		}
	}
	/* Fill the buffer to just below its end, then cross it. */
	char *big = xmalloc(200000);
	memset(big, 'x', 200000);
	big[150000] = '"';
	for (size_t fill = 65536 - 40; fill < 65536 + 2; fill += 7) {
		jsink_raw(s, big, fill % 65536);
		oh_buf_add(&want, big, fill % 65536);
		jsink_str(s, big + 1, 30);
		escape_ref(&want, big + 1, 30);
	}
	jsink_str(s, big, 200000);
	escape_ref(&want, big, 200000);
	char *out = jsink_take(s, &len);
	assert_int_equal(len, want.len);
	assert_memory_equal(out, want.data, len);
	free(out);
	free(big);
	oh_buf_free(&want);
	jsink_free(s);
}

/* json_parse checks UTF-8 once over the whole input; a failure still names
 * the string at fault, and valid multi-byte text in keys and values passes. */
static void test_utf8_pointers(void **state)
{
	(void)state;
	static const struct { const char *in, *error; } t[] = {
		{ "{\"k\xc3\xa9y\":[\"\xf0\x9f\x98\x80\",\"caf\xc3\xa9\"],\"b\":\"\\n\xc3\xa9\"}", NULL },
		{ "{\"a\":\"ok\",\"x\":[\"\xc3\xa9\",\"\xc0\xaf\"]}", "t: /x/1: invalid UTF-8 in a string" },
		{ "{\"a\":{\"\xed\xa0\x80\":1}}", "t: /a: invalid UTF-8 in a string" },
		{ "{\"a\":\"\\n\xf4\x90\x80\x80\"}", "t: /a: invalid UTF-8 in a string" },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		char *buf = xstrdup(t[i].in);
		struct oh_error err = { 0 };
		struct jdoc *doc = NULL;
		int rc = json_parse(buf, strlen(buf), "t", &doc, &err);

		if (t[i].error == NULL && rc != 0)
			fail_msg("case %zu: %s", i, err.msg);
		if (t[i].error != NULL && (rc == 0 || strstr(err.msg, t[i].error) == NULL))
			fail_msg("case %zu: error \"%s\" lacks \"%s\"", i, err.msg, t[i].error);
		json_free(doc);
	}
}

/* Large objects are checked through a hash table: keys sharing a long
 * prefix pass, a case-folded twin anywhere among them does not, whether
 * the hash reads it eight ASCII bytes at a time or rune by rune. */
static void test_large_object_keys(void **state)
{
	(void)state;
	static const char *const twins[] = {
		"KEY.0500.SUFFIX.S", "\\u212aey.0500.suffix.s", "key.0500.suffix.\\u017f",
		"key.0500.\\u017fuffix.s", "\\u017fEY.0500.suffix.s" /* no twin */,
		"key.0500.suffix.s", NULL,
	};
	static const char *const errors[] = {
		"differ only in letter case", "differ only in letter case",
		"differ only in letter case", "differ only in letter case", NULL,
		"duplicate key \"key.0500.suffix.s\"", NULL,
	};
	struct oh_buf b = { 0 };

	for (size_t t = 0; t < sizeof(twins) / sizeof(twins[0]); t++) {
		struct oh_error err = { 0 };
		struct jdoc *doc = NULL;

		oh_buf_puts(&b, "{");
		for (int i = 0; i < 1000; i++)
			oh_buf_printf(&b, "%s\"key.%04d.suffix.s\":%d", i ? "," : "", i, i);
		if (twins[t] != NULL)
			oh_buf_printf(&b, ",\"%s\":0", twins[t]);
		oh_buf_puts(&b, "}");
		char *buf = xstrdup(b.data);
		int rc = json_parse(buf, b.len, "t", &doc, &err);
		if (errors[t] == NULL) {
			assert_int_equal(rc, 0);
			assert_int_equal(json_root(doc)->len, twins[t] ? 1001 : 1000);
		} else {
			assert_int_equal(rc, -1);
			assert_non_null(strstr(err.msg, errors[t]));
		}
		json_free(doc);
		oh_buf_free(&b);
	}
}

/* Keys of lower-case non-ASCII letters are hashed from their bytes, keys
 * with an upper-case one rune by rune: the two ways must agree, with the
 * letters anywhere in a word (a two-byte rune across a word's edge too). */
static void test_large_object_folded_runes(void **state)
{
	(void)state;
	static const char *const twins[] = {
		"\\u00c9T\\u00c9.0500.SUFFIX.S", "\\u00e9t\\u00e9.0500.SUFFIX.s",
		"\\u00e9t\\u00c9.0500.suffix.s", "\\u00e9t\\u00e9.0500.suffix.\\u0391\\u0416",
		"\\u00e9t\\u00e9.0500.suff\\u00edx.s" /* no twin */,
		"ete.0500.suffix.s" /* no twin */, "\\u00e9t\\u00e9.0500.suffix.s",
	};
	static const char *const errors[] = {
		"differ only in letter case", "differ only in letter case",
		"differ only in letter case", "differ only in letter case", NULL, NULL,
		"duplicate key",
	};
	struct oh_buf b = { 0 };

	for (size_t t = 0; t < sizeof(twins) / sizeof(twins[0]); t++) {
		struct oh_error err = { 0 };
		struct jdoc *doc = NULL;

		oh_buf_puts(&b, "{");
		for (int i = 0; i < 1000; i++)
			oh_buf_printf(&b, "%s\"\\u00e9t\\u00e9.%04d.suffix.%s\":%d", i ? "," : "", i,
				      i == 500 && t == 3 ? "\\u03b1\\u0436" : "s", i);
		oh_buf_printf(&b, ",\"%s\":0}", twins[t]);
		char *buf = xstrdup(b.data);
		int rc = json_parse(buf, b.len, "t", &doc, &err);
		if (errors[t] == NULL) {
			assert_int_equal(rc, 0);
			assert_int_equal(json_root(doc)->len, 1001);
		} else {
			assert_int_equal(rc, -1);
			assert_non_null(strstr(err.msg, errors[t]));
		}
		json_free(doc);
		oh_buf_free(&b);
	}
}

/* The hash of a key's folded form, the way most keys take (their bytes,
 * in one pass) and rune by rune: the same for a million random keys of
 * ASCII (letters of both cases), two-byte runes that fold to themselves
 * or not, and three- and four-byte runes, of every length up to 40 (the
 * tail of every length, runes across words' edges), at every alignment;
 * keys that fold alike hash alike either way. */
static void test_fold_hash_two_ways(void **state)
{
	(void)state;
	static const char *const runes[] = {
		"a", "Z", "k", "-", "0", "\xc3\xa9" /* é */, "\xc3\x89" /* É */,
		"\xce\xb1" /* α */, "\xce\x91" /* Α */, "\xd0\xb6" /* ж */,
		"\xd0\x96" /* Ж */, "\xc4\x81" /* ā */, "\xc5\xbf" /* ſ */,
		"\xc2\xb5" /* µ */, "\xe2\x84\xaa" /* Kelvin */, "\xe2\x82\xac" /* € */,
		"\xf0\x9f\x98\x80" /* U+1F600 */, "\xdf\xbf" /* U+07FF */,
	};
	const size_t nr = sizeof(runes) / sizeof(runes[0]);
	char buf[8 + 200];
	uint64_t x = 0x9e3779b97f4a7c15ull;

	for (int t = 0; t < 1000000; t++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		size_t off = x % 8, len = 0, want = (x >> 3) % 41;
		/* Mostly runes that keep their case (the byte-wise way), an
		 * upper-case or long rune in every fourth key. */
		bool any = ((x >> 9) & 3) == 0;
		uint64_t y = x;
		while (len < want) {
			y = y * 6364136223846793005ull + 1442695040888963407ull;
			const char *r = runes[(y >> 33) % nr];
			bool folds = r[0] == 'Z' || !strcmp(r, "\xc3\x89") || !strcmp(r, "\xce\x91") ||
				     !strcmp(r, "\xd0\x96") || !strcmp(r, "\xc5\xbf") ||
				     !strcmp(r, "\xc2\xb5") || strlen(r) > 2;
			if (folds && !any && r[0] != 'Z')
				continue;
			if (len + strlen(r) > 40)
				break;
			memcpy(buf + off + len, r, strlen(r));
			len += strlen(r);
		}
		buf[off + len] = '\0';
		assert_true(json_utf8_valid((const unsigned char *)buf + off, len));
		if (json_fold_hash(buf + off, len, false) != json_fold_hash(buf + off, len, true))
			fail_msg("key \"%s\" (%zu bytes at %zu): the two ways differ", buf + off,
				 len, off);
	}
	assert_true(json_fold_hash("\xc3\xa9t\xc3\xa9-ABC", 9, false) ==
		    json_fold_hash("\xc3\x89T\xc3\x89-abc", 9, false));
	assert_true(json_fold_hash("key.0001.suffix", 15, false) ==
		    json_fold_hash("KEY.0001.SUFFIX", 15, true));
	assert_true(json_fold_hash("key.0001.suffix", 15, false) !=
		    json_fold_hash("key.0002.suffix", 15, false));
}

/* A tree written with its strings from the parsed text copied as they are
 * (jsink_text_of) is the bytes the writer gives escaping every string:
 * strings with escapes decoded, runes, DEL, keys, a string longer than the
 * writer's buffer, and strings added after the parse that need escapes. */
static void test_write_text_strings_as_they_are(void **state)
{
	(void)state;
	struct oh_buf b = { 0 };

	oh_buf_puts(&b, "{\"plain\":\"abc\",\"\":\"\",\"esc\":\"a\\\"b\\\\c\\nd\\u0001\\u00e9\",");
	oh_buf_puts(&b, "\"k\\tey\":[\"\xc3\xa9t\xc3\xa9\",\"\x7f\",\"/a/b/c/d/e/f/g/h/i/j/k\",1,-2.5e3,true,null],");
	oh_buf_puts(&b, "\"long\":\"");
	for (int i = 0; i < 70000; i++)
		oh_buf_puts(&b, i % 7 ? "x" : "\xce\xb1");
	oh_buf_puts(&b, "\",\"many\":[");
	for (int i = 0; i < 20000; i++)
		oh_buf_printf(&b, "%s\"s%05d-%.*s\"", i ? "," : "", i, i % 40, "abcdefghijklmnopqrstuvwxyz0123456789ABCD");
	oh_buf_puts(&b, "]}");
	for (int pretty = 0; pretty < 2; pretty++) {
		struct oh_error err = { 0 };
		struct jdoc *doc = NULL;
		char *buf = xstrdup(b.data);

		assert_int_equal(json_parse(buf, b.len, "t", &doc, &err), 0);
		struct jval *root = json_root(doc);
		jobj_set(doc, root, "added", jv_str(doc, "a \"quote\" and a \\ and a\ttab"));
		jobj_set(doc, root, "plain", jv_str(doc, "abc"));
		struct jsink *plain = jsink_mem(), *text = jsink_mem();
		size_t la, lb;

		json_write(plain, root, pretty);
		jsink_text_of(text, doc);
		json_write(text, root, pretty);
		char *a = jsink_take(plain, &la), *t = jsink_take(text, &lb);
		assert_int_equal(la, lb);
		assert_memory_equal(a, t, la);
		assert_non_null(strstr(t, "a \\\"quote\\\" and a \\\\ and a\\ttab"));
		free(a);
		free(t);
		jsink_free(plain);
		jsink_free(text);
		json_free(doc);
	}
	oh_buf_free(&b);
}

/* Items are equal when their values are; the hash is a few bits of the
 * value, so that unequal items share hashes too. */
static bool same_value(void *ctx, size_t i, size_t j)
{
	const uint32_t *v = ctx;

	return v[i] == v[j];
}

/* oh_dedup and oh_dedup_count against the quadratic answer, from one item
 * to many pieces (the table is cleared once for all of them), with hashes
 * that collide across unequal items and items repeated near and far. */
static void test_dedup_as_quadratic(void **state)
{
	(void)state;
	static const size_t sizes[] = { 1, 2, 13, 4096, 4097, 20000, 70000 };
	uint64_t x = 88172645463325252ull;

	for (size_t t = 0; t < sizeof(sizes) / sizeof(sizes[0]); t++) {
		size_t n = sizes[t];
		uint32_t *v = xmalloc(n * sizeof(*v)), *first = xmalloc(n * sizeof(*first));
		uint64_t *hash = xmalloc(n * sizeof(*hash));
		uint64_t *firsts = xmalloc(((n + 63) / 64) * sizeof(*firsts));
		uint32_t *seen = xcalloc(1u << 20, sizeof(*seen));   /* value -> first + 1 */
		size_t distinct = 0;

		for (size_t i = 0; i < n; i++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			v[i] = (uint32_t)(x % (n / 2 + 1)) & 0xFFFFF;
			/* the top bits pick the piece, the low ones the slot: few
			 * distinct hashes for many values */
			hash[i] = ((uint64_t)(v[i] * 2654435761u) << 32) ^ (v[i] % 97);
			hash[i] = (hash[i] & 0xFFFF00000000000Full) | ((v[i] & 7) << 8);
		}
		oh_dedup(hash, n, same_value, v, first);
		size_t count = oh_dedup_count(hash, n, same_value, v, firsts);
		for (size_t i = 0; i < n; i++) {
			uint32_t want = seen[v[i]] ? seen[v[i]] - 1 : (uint32_t)i;
			if (!seen[v[i]]) {
				seen[v[i]] = (uint32_t)i + 1;
				distinct++;
			}
			if (first[i] != want)
				fail_msg("n %zu: first[%zu] %u, want %u", n, i, first[i], want);
			assert_int_equal((firsts[i / 64] >> (i % 64)) & 1, want == i);
		}
		assert_int_equal(count, distinct);
		free(v), free(first), free(hash), free(firsts), free(seen);
	}
}

/* Strings of every length to 70, plain or with an escape at any place,
 * as a key and as a value, near the end of the text and far from it: the
 * parser finds each string's end in its first, second or later 16 bytes
 * of text, and decodes the same string whichever. */
static void test_string_ends(void **state)
{
	(void)state;
	for (size_t len = 0; len <= 70; len++) {
		for (size_t at = 0; at <= len; at++) {   /* at == len: no escape */
			for (int tail = 0; tail < 2; tail++) {
				char want[80], text[256];
				size_t w = 0;
				/* an escape "\\n" in place of byte at */
				char esc[96];
				size_t e = 0;
				for (size_t i = 0; i < len; i++) {
					if (i == at) {
						esc[e++] = '\\';
						esc[e++] = 'n';
						want[w++] = '\n';
					} else {
						esc[e++] = (char)('a' + i % 26);
						want[w++] = (char)('a' + i % 26);
					}
				}
				esc[e] = '\0';
				want[w] = '\0';
				int n = snprintf(text, sizeof(text), tail ? "{\"%s\":\"%s\"}" :
						 "{\"%s\":\"%s\",\"pad\":\"%040d\"}", esc, esc, 0);
				struct oh_error err = { 0 };
				struct jdoc *doc = NULL;
				char *buf = xstrdup(text);
				assert_int_equal(json_parse(buf, (size_t)n, "t", &doc, &err), 0);
				struct jmember *m = &json_root(doc)->u.members[0];
				assert_int_equal(m->klen, w);
				assert_memory_equal(m->key, want, w + 1);
				assert_int_equal(m->val.len, w);
				assert_memory_equal(m->val.u.str, want, w + 1);
				json_free(doc);
			}
		}
	}
}

/* The test vector of the SipHash paper (appendix A): SipHash-2-4 with key
 * 00..0f of the 15 bytes 00..0e. */
static void test_siphash_vector(void **state)
{
	(void)state;
	struct oh_sip h;

	oh_sip_init(&h, 0x0706050403020100ull, 0x0f0e0d0c0b0a0908ull);
	for (unsigned char i = 0; i < 15; i++)
		oh_sip_byte(&h, i, 2);
	assert_true(oh_sip_final(&h, 2, 4) == 0xa129ca6149be45e5ull);
}

static void test_pointer_index(void **state)
{
	(void)state;
	char ptr[64] = "/a";

	json_ptr_append_index(ptr, sizeof(ptr), 0);
	json_ptr_append_index(ptr, sizeof(ptr), 10);
	json_ptr_append_index(ptr, sizeof(ptr), 4294967295u);
	json_ptr_append(ptr, sizeof(ptr), "b/c~", 4);
	assert_string_equal(ptr, "/a/0/10/4294967295/b~1c~0");
}

static void test_locate(void **state)
{
	(void)state;
	static const char doc[] =
		"{\n"
		"\t\"process\": {\n"
		"\t\t\"args\": [\"sh\", \"-c\"],\n"
		"\t\t\"a/b~c\": {\"x\": 1},\n"
		"\t\t\"caf\u00e9\": true, \"n\\u006fNewPrivileges\": false\n"
		"\t},\n"
		"\t\"linux\": {}\n"
		"}\n";
	static const struct {
		const char *ptr;
		unsigned line, col;
	} t[] = {
		{ "", 1, 1 },
		{ "/process", 2, 2 },
		{ "/process/args", 3, 3 },
		{ "/process/args/1", 3, 18 },
		{ "/process/a~1b~0c/x", 4, 13 },
		{ "/process/noNewPrivileges", 5, 17 },   /* escaped in the key; é is one column */
		{ "/linux/seccomp", 7, 2 },              /* absent: its parent */
		{ "/nothing/here", 1, 1 },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		unsigned line, col;
		json_locate(doc, sizeof(doc) - 1, t[i].ptr, &line, &col);
		if (line != t[i].line || col != t[i].col)
			fail_msg("%s: at %u:%u, want %u:%u", t[i].ptr, line, col, t[i].line,
				 t[i].col);
	}
}

static void test_numbers_built(void **state)
{
	(void)state;
	struct jdoc *doc = json_new();
	static const struct { uint64_t v; const char *want; } u[] = {
		{ 0, "0" }, { 7, "7" }, { 10, "10" }, { 38, "38" },
		{ 4294967296u, "4294967296" }, { UINT64_MAX, "18446744073709551615" },
	};
	static const struct { int64_t v; const char *want; } s[] = {
		{ 0, "0" }, { -1, "-1" }, { 1, "1" }, { -100, "-100" },
		{ INT64_MAX, "9223372036854775807" }, { INT64_MIN, "-9223372036854775808" },
	};

	for (size_t i = 0; i < sizeof(u) / sizeof(u[0]); i++) {
		struct jval v = jv_u64(doc, u[i].v);
		assert_int_equal(v.type, J_NUMBER);
		assert_int_equal(v.len, strlen(u[i].want));
		assert_memory_equal(v.u.str, u[i].want, v.len);
	}
	for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++) {
		struct jval v = jv_i64(doc, s[i].v);
		assert_int_equal(v.type, J_NUMBER);
		assert_int_equal(v.len, strlen(s[i].want));
		assert_memory_equal(v.u.str, s[i].want, v.len);
	}
	json_free(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_numbers_built),
		cmocka_unit_test(test_raw_nul_byte),
		cmocka_unit_test(test_depth_limit),
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_token_reading),
		cmocka_unit_test(test_mutation),
		cmocka_unit_test(test_fold_lookup),
		cmocka_unit_test(test_large_object_folded_runes),
		cmocka_unit_test(test_budget_where_it_was),
		cmocka_unit_test(test_fold_hash_two_ways),
		cmocka_unit_test(test_write_text_strings_as_they_are),
		cmocka_unit_test(test_dedup_as_quadratic),
		cmocka_unit_test(test_string_ends),
		cmocka_unit_test(test_integers),
		cmocka_unit_test(test_locate),
		cmocka_unit_test(test_string_escapes),
		cmocka_unit_test(test_utf8_pointers),
		cmocka_unit_test(test_large_object_keys),
		cmocka_unit_test(test_pointer_index),
		cmocka_unit_test(test_siphash_vector),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
