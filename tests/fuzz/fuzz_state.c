/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target: one input as the container state a runtime hands the
 * hook stages after precreate (createRuntime, poststart, ...) on stdin.
 *
 *   oh_state_parse (json_parse + the state's fields)
 *
 * Besides the sanitizers (and leak checking: a refused state frees what it
 * parsed), it checks properties a crash would not reveal, and aborts when
 * one fails, so libFuzzer keeps the input:
 *
 * - an accepted state has a non-empty id, an absolute bundle, a pid of 0
 *   (absent) or in 1..PID_MAX_LIMIT, and annotations that are absent or an
 *   object of strings;
 * - a refused one has a message saying why;
 * - an accepted state written back and parsed again is accepted with the
 *   same id, bundle, pid and annotations.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "state.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* PID_MAX_LIMIT, as state.c bounds pids. */
#define PID_LIMIT 4194304

__attribute__((noreturn, format(printf, 1, 2)))
static void finding(const char *fmt, ...)
{
	va_list ap;

	fputs("fuzz_state: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

static char *copy_input(const uint8_t *data, size_t size)
{
	char *buf = xmalloc(size + 1);

	if (size > 0)
		memcpy(buf, data, size);
	buf[size] = '\0';
	return buf;
}

static void check_fields(const struct oh_state *st)
{
	if (st->id == NULL || st->id[0] == '\0')
		finding("an accepted state has no id");
	if (st->bundle == NULL || st->bundle[0] != '/')
		finding("an accepted state has a bundle that is not absolute");
	if (st->pid < 0 || st->pid > PID_LIMIT)
		finding("an accepted state has the pid %ld", st->pid);
	if (st->annotations != NULL) {
		if (st->annotations->type != J_OBJECT)
			finding("accepted annotations that are not an object");
		for (uint32_t i = 0; i < st->annotations->len; i++)
			if (st->annotations->u.members[i].val.type != J_STRING)
				finding("an accepted annotation that is not a string");
	}
}

static bool same_str(const char *a, const char *b)
{
	return a == NULL ? b == NULL : b != NULL && strcmp(a, b) == 0;
}

/* Written back and parsed again: the same state. */
static void check_round_trip(const struct oh_state *st)
{
	struct oh_error err = { 0 };
	struct oh_state again;
	struct jsink *s = jsink_mem();
	size_t n;

	json_write(s, json_root(st->doc), false);
	char *text = jsink_take(s, &n);
	jsink_free(s);
	if (oh_state_parse(text, n, &again, &err) < 0)
		finding("an accepted state, written back, is refused: %s", err.msg);
	if (!same_str(st->id, again.id) || !same_str(st->bundle, again.bundle) ||
	    st->pid != again.pid)
		finding("an accepted state, written back, reads differently");
	uint32_t n1 = st->annotations ? st->annotations->len : 0;
	uint32_t n2 = again.annotations ? again.annotations->len : 0;
	if ((st->annotations == NULL) != (again.annotations == NULL) || n1 != n2)
		finding("an accepted state's annotations, written back, differ");
	for (uint32_t i = 0; i < n1; i++) {
		const struct jmember *a = &st->annotations->u.members[i];
		const struct jmember *b = &again.annotations->u.members[i];
		if (a->klen != b->klen || memcmp(a->key, b->key, a->klen) != 0 ||
		    a->val.len != b->val.len ||
		    memcmp(a->val.u.str, b->val.u.str, a->val.len) != 0)
			finding("annotation %u, written back, differs", i);
	}
	oh_state_free(&again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct oh_error err = { 0 };
	struct oh_state st;

	if (oh_state_parse(copy_input(data, size), size, &st, &err) < 0) {
		if (err.msg[0] == '\0')
			finding("a refused state without a message");
		oh_state_free(&st);
		return 0;
	}
	check_fields(&st);
	check_round_trip(&st);
	oh_state_free(&st);
	return 0;
}
