/* SPDX-License-Identifier: Apache-2.0 */
/* The seccomp audit record parser: kmsg, dmesg and audit.log lines, and
 * hostile ones (forged kmsg records, repeated fields, overlong lines). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "denials.h"
#include "util.h"

struct line_case {
	const char *line;
	enum oh_denial_line want;
	long pid, nr;
	uint32_t arch, code;
	const char *comm;
};

#define REC(s) " auid=4294967295 uid=0 gid=0 ses=4294967295 " s

static const struct line_case cases[] = {
	/* /dev/kmsg as read(2) gives it */
	{ "6,18683,10195800790,-;audit: type=1326 audit(1796125374.713:18683):"
	  REC("pid=1374 comm=\"rawcall\" exe=\"/bin/rawcall\" sig=0 arch=c000003e syscall=250 "
	      "compat=0 ip=0x439419 code=0x50000"),
	  OH_DL_RECORD, 1374, 250, 0xc000003e, 0x50000, "rawcall" },
	/* dmesg's text */
	{ "[ 9326.412325] audit: type=1326 audit(1796124505.325:17288):"
	  REC("pid=7077 comm=\"syscall-probe\" exe=\"/bin/syscall-probe\" sig=31 arch=40000003 "
	      "syscall=20 compat=1 ip=0x401890 code=0x0"),
	  OH_DL_RECORD, 7077, 20, 0x40000003, 0, "syscall-probe" },
	/* audit.log, with auditd's enriched fields after a GS */
	{ "type=SECCOMP msg=audit(1700000000.123:456): auid=1000 uid=0 gid=0 ses=3 "
	  "subj=unconfined pid=42 comm=\"unshare\" exe=\"/usr/bin/unshare\" sig=0 "
	  "arch=c000003e syscall=272 compat=0 ip=0x7f code=0x7ffc0000"
	  "\x1d" "AUID=\"u\" UID=\"root\" ARCH=x86_64 SYSCALL=unshare",
	  OH_DL_RECORD, 42, 272, 0xc000003e, 0x7ffc0000, "unshare" },
	/* a comm with a space, hex-encoded by the kernel */
	{ "type=1326 audit(1.000:1): pid=9 comm=6120622063 exe=\"/x\" arch=c000003e "
	  "syscall=1 code=0x80000000",
	  OH_DL_RECORD, 9, 1, 0xc000003e, 0x80000000, "a b c" },
	/* the errno the data bits hold is dropped: the kernel logs the action */
	{ "type=1326 pid=9 arch=c000003e syscall=1 code=0x50001",
	  OH_DL_RECORD, 9, 1, 0xc000003e, 0x50000, "" },
	/* other records and text */
	{ "6,1,2,-;cni-podman0: port 1(veth) entered disabled state", OH_DL_OTHER, 0, 0, 0, 0, NULL },
	{ "type=SYSCALL msg=audit(1.0:1): arch=c000003e syscall=59", OH_DL_OTHER, 0, 0, 0, 0, NULL },
	{ "", OH_DL_OTHER, 0, 0, 0, 0, NULL },
	{ "subtype=1326 pid=1 arch=c000003e syscall=1 code=0", OH_DL_OTHER, 0, 0, 0, 0, NULL },
	/* userspace wrote it to /dev/kmsg: facility user, not the kernel's */
	{ "14,5,6,-;audit: type=1326 audit(1.000:1): pid=1 arch=c000003e syscall=1 code=0",
	  OH_DL_OTHER, 0, 0, 0, 0, NULL },
	/* the words inside another record or a program's line: no record */
	{ "type=SYSCALL msg=audit(1.0:1): arch=c000003e syscall=59 proctitle=\"a type=1326 pid=1 "
	  "arch=c000003e syscall=1 code=0\"", OH_DL_OTHER, 0, 0, 0, 0, NULL },
	{ "[ 1.0] myapp: type=1326 pid=1 arch=c000003e syscall=1 code=0", OH_DL_OTHER, 0, 0, 0, 0, NULL },
	{ "Dec 01 host app[5]: type=SECCOMP pid=1 arch=c000003e syscall=1 code=0", OH_DL_OTHER, 0, 0, 0, 0, NULL },
	{ "[ 1.0 audit: type=1326 pid=1 arch=c000003e syscall=1 code=0", OH_DL_OTHER, 0, 0, 0, 0, NULL },
	/* a kernel line that mentions the words but is no audit record */
	{ "6,5,6,-;foo: type=1326 pid=1 arch=c000003e syscall=1 code=0", OH_DL_OTHER, 0, 0, 0, 0, NULL },
	/* malformed records */
	{ "type=1326 pid=1 arch=c000003e syscall=1", OH_DL_MALFORMED, 0, 0, 0, 0, NULL },
	{ "type=1326 pid=1 pid=2 arch=c000003e syscall=1 code=0", OH_DL_MALFORMED, 0, 0, 0, 0, NULL },
	{ "type=1326 pid=-1 arch=c000003e syscall=1 code=0", OH_DL_MALFORMED, 0, 0, 0, 0, NULL },
	{ "type=1326 pid=0 arch=c000003e syscall=1 code=0", OH_DL_MALFORMED, 0, 0, 0, 0, NULL },
	{ "type=1326 pid=99999999999999999999999 arch=c000003e syscall=1 code=0",
	  OH_DL_MALFORMED, 0, 0, 0, 0, NULL },
	{ "type=1326 pid=1 arch=zz syscall=1 code=0", OH_DL_MALFORMED, 0, 0, 0, 0, NULL },
	{ "type=1326 pid=1 arch=c000003e syscall=1 code=0x1ffffffff", OH_DL_MALFORMED, 0, 0, 0, 0, NULL },
	{ "type=1326 pid=1 comm=\"unterminated arch=c000003e syscall=1 code=0", OH_DL_MALFORMED, 0, 0, 0, 0, NULL },
	{ "type=1326 pid=1 comm=abc arch=c000003e syscall=1 code=0", OH_DL_MALFORMED, 0, 0, 0, 0, NULL },
	{ "type=1326 pid=\"1\" arch=c000003e syscall=1 code=0", OH_DL_MALFORMED, 0, 0, 0, 0, NULL },
	{ "type=1326 = == === pid=", OH_DL_MALFORMED, 0, 0, 0, 0, NULL },
	/* a quoted value cannot smuggle a field in */
	{ "type=1326 pid=5 comm=\"x pid=6 syscall=7\" arch=c000003e syscall=1 code=0",
	  OH_DL_RECORD, 5, 1, 0xc000003e, 0, "x pid=6 syscall=7" },
};

static void test_lines(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct line_case *c = &cases[i];
		struct oh_denial d;
		enum oh_denial_line got = oh_denial_parse(c->line, strlen(c->line), &d);

		if (got != c->want)
			fail_msg("case %zu (%s): got %d, want %d", i, c->line, got, c->want);
		if (c->want != OH_DL_RECORD)
			continue;
		assert_int_equal(d.pid, c->pid);
		assert_int_equal(d.nr, c->nr);
		assert_int_equal(d.arch, c->arch);
		assert_int_equal(d.code, c->code);
		assert_string_equal(d.comm, c->comm);
	}
}

/* Control characters and non-ASCII in a name never reach the terminal. */
static void test_names_are_printable(void **state)
{
	const char *line = "type=1326 pid=1 comm=1b5b324a07ff exe=\"/a\tb\" arch=c000003e "
			   "syscall=1 code=0";
	struct oh_denial d;
	(void)state;

	assert_int_equal(oh_denial_parse(line, strlen(line), &d), OH_DL_RECORD);
	assert_string_equal(d.comm, "?[2J??");
	assert_string_equal(d.exe, "/a?b");
}

/* The parser never reads past len: a line cut in the middle of a quote or
 * a field is malformed, not a read beyond the buffer. */
static void test_every_prefix(void **state)
{
	const char *line = cases[0].line;
	size_t n = strlen(line);
	(void)state;

	for (size_t k = 0; k <= n; k++) {
		char *copy = xmalloc(k ? k : 1);
		struct oh_denial d;
		memcpy(copy, line, k);
		enum oh_denial_line got = oh_denial_parse(copy, k, &d);
		assert_true(got == OH_DL_OTHER || got == OH_DL_MALFORMED || got == OH_DL_RECORD);
		free(copy);
	}
}

struct sink {
	size_t n;
	long last_pid;
};

static void collect(void *ctx, const struct oh_denial *d)
{
	struct sink *s = ctx;
	s->n++;
	s->last_pid = d->pid;
}

/* A stream: records counted, malformed and overlong lines skipped with a
 * count, the last line without a newline read too. */
static void test_stream(void **state)
{
	struct oh_denial_counts c = { 0 };
	struct oh_error err = { 0 };
	struct sink s = { 0 };
	char *big = xmalloc(OH_DENIAL_LINE_MAX * 2 + 1);
	(void)state;

	memset(big, 'a', OH_DENIAL_LINE_MAX * 2);
	big[OH_DENIAL_LINE_MAX * 2] = '\0';
	char *text = xasprintf("%s\nnoise\ntype=1326 pid=1 code=0\n%s\n%s", cases[2].line, big,
			       cases[0].line);
	FILE *f = fmemopen(text, strlen(text), "r");
	assert_non_null(f);
	assert_int_equal(oh_denials_read_stream(f, "mem", collect, &s, &c, &err), 0);
	fclose(f);
	assert_int_equal(c.lines, 5);
	assert_int_equal(c.records, 2);
	assert_int_equal(c.malformed, 2);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.last_pid, 1374);
	free(text);
	free(big);
}

static void test_actions(void **state)
{
	(void)state;
	assert_string_equal(oh_denial_action(0x50000), "SCMP_ACT_ERRNO");
	assert_string_equal(oh_denial_action(0x80000000), "SCMP_ACT_KILL_PROCESS");
	assert_string_equal(oh_denial_action(0), "SCMP_ACT_KILL_THREAD");
	assert_string_equal(oh_denial_action(0x7ffc0000), "SCMP_ACT_LOG");
	assert_true(oh_denial_denies(0x50000));
	assert_false(oh_denial_denies(0x7ffc0000));
	assert_false(oh_denial_denies(0x7fff0000));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_names_are_printable),
		cmocka_unit_test(test_every_prefix),
		cmocka_unit_test(test_stream),
		cmocka_unit_test(test_actions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
