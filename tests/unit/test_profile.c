/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The libseccomp side of `oci-harden profile`: compiling OCI seccomp objects
 * rule by rule as runc does, resolving names per architecture, mapping
 * actions, and reporting every problem of a profile with its entry.
 * Tables of (input -> expected), like libseccomp's own tests.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpf.h"
#include "builtin.h"
#include "json.h"
#include "ohseccomp.h"
#include "util.h"

#include "testutil.h"

static struct jdoc *parse(const char *text)
{
	struct oh_error err = { 0 };
	struct jdoc *doc;
	char *buf = unquote(text);

	if (json_parse(buf, strlen(buf), "test", &doc, &err) < 0)
		fail_msg("%s: %s", text, err.msg);
	return doc;
}

/* ------------------------------------------------------------ compile */

/* An OCI object decoded, then compiled; a decoding error is a failure. */
static int compile_json(const struct jval *obj, const char *const *arches, size_t narches,
			size_t *insns, bpf_note_fn fn, void *ctx, struct oh_error *err)
{
	struct oh_sc_profile m;

	if (oh_seccomp_decode(obj, false, "test", &m, err) < 0)
		fail_msg("%s", err->msg);
	int rc = bpf_compile(&m, arches, narches, insns, fn, ctx, err);
	oh_sc_profile_free(&m);
	return rc;
}

#define SOCKETS                                                              \
	"{'names':['socket'],'action':'SCMP_ACT_ALLOW','args':[{'index':0,'value':2,'op':'SCMP_CMP_EQ'}]}," \
	"{'names':['socket'],'action':'SCMP_ACT_ERRNO','errnoRet':1,'args':[{'index':0,'value':40,'op':'SCMP_CMP_EQ'}]}"

static const struct compile_case {
	const char *what;
	const char *profile;   /* OCI linux.seccomp */
	const char *arch;
	int errors;            /* bpf_compile's result; -1 when nothing compiles */
	const char *note;      /* a substring of the notes, "" for none at all */
	long rule;             /* the rule the first note names */
} compile_cases[] = {
	{ "allow and deny socket by family coexist on x86_64",
	  "{'defaultAction':'SCMP_ACT_ERRNO','defaultErrnoRet':38,'syscalls':[" SOCKETS "]}",
	  "SCMP_ARCH_X86_64", 0, "", -1 },
	{ "on i386 libseccomp folds them into socketcall, where they collide",
	  "{'defaultAction':'SCMP_ACT_ERRNO','defaultErrnoRet':38,'syscalls':[" SOCKETS "]}",
	  "SCMP_ARCH_X86", 1, "File exists", 1 },
	{ "a rule repeating the default action is left out, as runc does",
	  "{'defaultAction':'SCMP_ACT_ERRNO','syscalls':[{'names':['read'],'action':'SCMP_ACT_ERRNO'}]}",
	  "SCMP_ARCH_X86_64", 0, "", -1 },
	{ "the same rule with another errno is not the default",
	  "{'defaultAction':'SCMP_ACT_ERRNO','syscalls':[{'names':['read'],'action':'SCMP_ACT_ALLOW'},"
	  "{'names':['read'],'action':'SCMP_ACT_ERRNO','errnoRet':5}]}",
	  "SCMP_ARCH_X86_64", 0, "", -1 },
	{ "names libseccomp does not know are skipped without a word",
	  "{'defaultAction':'SCMP_ACT_ERRNO','syscalls':[{'names':['no_such_call','read'],'action':'SCMP_ACT_ALLOW'}]}",
	  "SCMP_ARCH_X86_64", 0, "", -1 },
	{ "two tests of one argument are split into ORed rules: a warning",
	  "{'defaultAction':'SCMP_ACT_ERRNO','syscalls':[{'names':['socket'],'action':'SCMP_ACT_ALLOW','args':["
	  "{'index':0,'value':38,'op':'SCMP_CMP_NE'},{'index':0,'value':40,'op':'SCMP_CMP_NE'}]}]}",
	  "SCMP_ARCH_X86_64", 0, "ORed", 0 },
	{ "runc refuses SCMP_ACT_NOTIFY on write",
	  "{'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['read','write'],'action':'SCMP_ACT_NOTIFY'}]}",
	  "SCMP_ARCH_X86_64", 1, "NOTIFY", 0 },
	{ "runc refuses SCMP_ACT_NOTIFY as the default action",
	  "{'defaultAction':'SCMP_ACT_NOTIFY'}", "SCMP_ARCH_X86_64", -1, "", -1 },
	{ "a big-endian architecture compiles on a little-endian host",
	  "{'defaultAction':'SCMP_ACT_ERRNO','syscalls':[{'names':['read','s390_sthyi'],'action':'SCMP_ACT_ALLOW'}]}",
	  "SCMP_ARCH_S390X", 0, "", -1 },
	{ "LOG, KILL_PROCESS and NOTIFY compile whatever the kernel under the test",
	  "{'defaultAction':'SCMP_ACT_ERRNO','syscalls':[{'names':['read'],'action':'SCMP_ACT_LOG'},"
	  "{'names':['acct'],'action':'SCMP_ACT_KILL_PROCESS'},{'names':['close'],'action':'SCMP_ACT_NOTIFY'}]}",
	  "SCMP_ARCH_X86_64", 0, "", -1 },
	{ "a call another architecture lacks is no error (set_tls on x86_64)",
	  "{'defaultAction':'SCMP_ACT_ERRNO','syscalls':[{'names':['set_tls'],'action':'SCMP_ACT_ALLOW'}]}",
	  "SCMP_ARCH_X86_64", 0, "", -1 },
};

struct notes {
	char text[2048];
	long first_rule;
	int count;
};

static void collect(void *ctx, const struct bpf_note *n)
{
	struct notes *ns = ctx;

	if (ns->count++ == 0)
		ns->first_rule = n->rule;
	snprintf(ns->text + strlen(ns->text), sizeof(ns->text) - strlen(ns->text),
		 "%s: %s\n", n->error ? "error" : "warning", n->msg);
}

static void test_compile_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(compile_cases) / sizeof(compile_cases[0]); i++) {
		const struct compile_case *c = &compile_cases[i];
		struct oh_error err = { 0 };
		struct notes ns = { .first_rule = -1 };
		struct jdoc *doc = parse(c->profile);
		const char *arches[] = { c->arch };
		size_t insns = 0;

		int rc = compile_json(json_root(doc), arches, 1, &insns, collect, &ns, &err);
		if (rc != c->errors)
			fail_msg("%s: %d errors, want %d (%s%s)", c->what, rc, c->errors,
				 ns.text, err.msg);
		if (c->note[0] == '\0' && ns.count != 0)
			fail_msg("%s: unexpected notes: %s", c->what, ns.text);
		if (c->note[0] != '\0' && strstr(ns.text, c->note) == NULL)
			fail_msg("%s: notes \"%s\" lack \"%s\"", c->what, ns.text, c->note);
		if (ns.count > 0 && ns.first_rule != c->rule)
			fail_msg("%s: first note names rule %ld, want %ld", c->what,
				 ns.first_rule, c->rule);
		if (rc >= 0 && insns < 4)
			fail_msg("%s: a %zu-instruction program", c->what, insns);
		json_free(doc);
	}
}

/* The program grows with the rules: the count measures what was compiled. */
static void test_instruction_count_grows(void **state)
{
	(void)state;
	static const char *const profiles[] = {
		"{'defaultAction':'SCMP_ACT_ERRNO'}",
		"{'defaultAction':'SCMP_ACT_ERRNO','syscalls':[{'names':['read'],'action':'SCMP_ACT_ALLOW'}]}",
		"{'defaultAction':'SCMP_ACT_ERRNO','syscalls':[{'names':['read','write','close'],'action':'SCMP_ACT_ALLOW'}]}",
		"{'defaultAction':'SCMP_ACT_ERRNO','syscalls':[{'names':['read','write','close'],'action':'SCMP_ACT_ALLOW'}," SOCKETS "]}",
	};
	size_t prev = 0;

	for (size_t i = 0; i < sizeof(profiles) / sizeof(profiles[0]); i++) {
		struct oh_error err = { 0 };
		struct jdoc *doc = parse(profiles[i]);
		const char *arches[] = { "SCMP_ARCH_X86_64" };
		size_t insns = 0;

		assert_int_equal(compile_json(json_root(doc), arches, 1, &insns, NULL, NULL, &err), 0);
		if (insns <= prev)
			fail_msg("profile %zu: %zu instructions, not more than %zu", i, insns, prev);
		prev = insns;
		json_free(doc);
	}
}

/* runc's filter: the native arch plus the listed ones, as one program. */
static void test_runc_filter_has_every_arch(void **state)
{
	(void)state;
	struct oh_error err = { 0 };
	struct jdoc *one = parse("{'defaultAction':'SCMP_ACT_ERRNO','architectures':['SCMP_ARCH_X86_64'],"
				 "'syscalls':[{'names':['read'],'action':'SCMP_ACT_ALLOW'}]}");
	struct jdoc *three = parse("{'defaultAction':'SCMP_ACT_ERRNO','architectures':"
				   "['SCMP_ARCH_X86_64','SCMP_ARCH_X86','SCMP_ARCH_X32'],"
				   "'syscalls':[{'names':['read'],'action':'SCMP_ACT_ALLOW'}]}");
	size_t n1 = 0, n3 = 0;

	if (seccomp_arch_native() != SCMP_ARCH_X86_64)
		skip();
	assert_int_equal(compile_json(json_root(one), NULL, 0, &n1, NULL, NULL, &err), 0);
	assert_int_equal(compile_json(json_root(three), NULL, 0, &n3, NULL, NULL, &err), 0);
	assert_true(n3 > n1);
	json_free(one);
	json_free(three);
}

/* --------------------------------------------------- names and actions */

static const struct {
	const char *arch;
	const char *name;
	enum bpf_name want;
} names[] = {
	{ "SCMP_ARCH_X86_64", "read", BPF_NAME_PRESENT },
	{ "SCMP_ARCH_X86_64", "_llseek", BPF_NAME_ABSENT },
	{ "SCMP_ARCH_X86", "_llseek", BPF_NAME_PRESENT },
	/* multiplexed through socketcall on i386, still a call */
	{ "SCMP_ARCH_X86", "socket", BPF_NAME_PRESENT },
	{ "SCMP_ARCH_ARM", "set_tls", BPF_NAME_PRESENT },
	{ "SCMP_ARCH_X86_64", "set_tls", BPF_NAME_ABSENT },
	{ "SCMP_ARCH_AARCH64", "open", BPF_NAME_ABSENT },
	{ "SCMP_ARCH_X86_64", "no_such_call", BPF_NAME_UNKNOWN },
	{ "SCMP_ARCH_X86_64", "READ", BPF_NAME_UNKNOWN },
	{ "SCMP_ARCH_VAX", "read", BPF_NAME_UNKNOWN },
};

static void test_resolve_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (bpf_resolve(names[i].arch, names[i].name) != names[i].want)
			fail_msg("%s on %s: %d, want %d", names[i].name, names[i].arch,
				 bpf_resolve(names[i].arch, names[i].name), names[i].want);
}

static const struct {
	const char *action;
	const char *errno_ret;   /* JSON number or NULL */
	int rc;
	uint32_t want;
} actions[] = {
	{ "SCMP_ACT_KILL", NULL, 0, SCMP_ACT_KILL_THREAD },
	{ "SCMP_ACT_KILL_PROCESS", NULL, 0, SCMP_ACT_KILL_PROCESS },
	{ "SCMP_ACT_ERRNO", NULL, 0, SCMP_ACT_ERRNO(EPERM) },
	{ "SCMP_ACT_ERRNO", "38", 0, SCMP_ACT_ERRNO(ENOSYS) },
	{ "SCMP_ACT_TRACE", NULL, 0, SCMP_ACT_TRACE(EPERM) },
	{ "SCMP_ACT_ALLOW", "38", 0, SCMP_ACT_ALLOW },
	{ "SCMP_ACT_LOG", NULL, 0, SCMP_ACT_LOG },
	{ "SCMP_ACT_NOTIFY", NULL, 0, SCMP_ACT_NOTIFY },
	{ "SCMP_ACT_ALOW", NULL, -1, 0 },
};

static void test_action_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(actions) / sizeof(actions[0]); i++) {
		enum oh_sc_action act;
		uint32_t got = 0;
		bool has = actions[i].errno_ret != NULL;
		uint32_t e = has ? (uint32_t)strtoul(actions[i].errno_ret, NULL, 10) : 0;

		int rc = oh_sc_action_parse(actions[i].action, &act);
		if (rc == 0)
			got = oh_sc_action_value(act, has, e);
		if (rc != actions[i].rc || (rc == 0 && got != actions[i].want))
			fail_msg("%s: rc %d action %#x, want %d %#x", actions[i].action, rc,
				 got, actions[i].rc, actions[i].want);
	}
}

/* ------------------------------------------------- every problem, once */

struct problems {
	long entries[8];
	size_t n;
	char text[2048];
};

static void on_problem(void *ctx, long entry, const char *msg)
{
	struct problems *p = ctx;

	if (p->n < 8)
		p->entries[p->n] = entry;
	p->n++;
	snprintf(p->text + strlen(p->text), sizeof(p->text) - strlen(p->text), "%s\n", msg);
}

static const struct {
	const char *profile;
	const char *entries;   /* the entries at fault, in order; -1 is the profile */
	const char *texts[3];  /* substrings of the messages */
} problem_cases[] = {
	{ "{'defaultAction':'SCMP_ACT_ERRNO','syscalls':[{'names':['read'],'action':'SCMP_ACT_ALLOW'}]}",
	  "", { NULL } },
	{ "{'defaultAction':'SCMP_ACT_ERRNO','syscalls':[{'names':['a'],'action':'SCMP_ACT_NOPE'},"
	  "{'names':['b'],'action':'SCMP_ACT_ALLOW'},{'names':['c']},"
	  "{'names':['d'],'action':'SCMP_ACT_ALLOW','args':[{'index':7,'op':'SCMP_CMP_EQ'}]}]}",
	  "0 2 3", { "/syscalls/0/action: unknown seccomp action",
		     "/syscalls/2: a syscall rule needs an action", "/syscalls/3/args/0/index" } },
	{ "{'defaultAction':'SCMP_ACT_BAD','architectures':['SCMP_ARCH_VAX'],"
	  "'syscalls':[{'names':['x'],'action':'SCMP_ACT_FOO'}]}",
	  "0 -1", { "/syscalls/0/action", "/defaultAction: unknown seccomp action", NULL } },
	{ "{'syscalls':{}}", "-1", { "/syscalls: must be an array", NULL } },
	/* containers-common's seccomp.json says "args": null */
	{ "{'defaultAction':'SCMP_ACT_ERRNO','syscalls':[{'names':['x'],'action':'SCMP_ACT_ALLOW','args':null}]}",
	  "", { NULL } },
};

static void test_problems_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(problem_cases) / sizeof(problem_cases[0]); i++) {
		struct problems p = { 0 };
		struct jdoc *doc = parse(problem_cases[i].profile);
		char got[128] = "";

		profile_problems(json_root(doc), "p.json", on_problem, &p);
		for (size_t k = 0; k < p.n && k < 8; k++)
			snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%ld",
				 k ? " " : "", p.entries[k]);
		if (strcmp(got, problem_cases[i].entries) != 0)
			fail_msg("case %zu: entries \"%s\", want \"%s\" (%s)", i, got,
				 problem_cases[i].entries, p.text);
		for (size_t k = 0; k < 3 && problem_cases[i].texts[k]; k++)
			if (strstr(p.text, problem_cases[i].texts[k]) == NULL)
				fail_msg("case %zu: \"%s\" lacks \"%s\"", i, p.text,
					 problem_cases[i].texts[k]);
		json_free(doc);
	}
}

/* ------------------------------------------------------------ built-in */

/* The profiles built into the binary are the files in seccomp-profiles/,
 * member for member and in order: a profile edited after the build would
 * show here (the build regenerates them when a file changes). */
static void test_builtin_profiles_match_files(void **state)
{
	(void)state;
	static const char *const builtin_names[] = { "default", "strict" };
	struct oh_error err = { 0 };

	assert_int_equal(oh_builtin_profile_count, 2);
	for (size_t i = 0; i < 2; i++) {
		struct profile *built, *file;
		char *path = xasprintf("%s/../seccomp-profiles/%s.json", OH_TEST_DIR, builtin_names[i]);

		assert_true(profile_is_builtin(builtin_names[i]));
		assert_int_equal(profile_load(builtin_names[i], &built, &err), 0);
		assert_int_equal(profile_load(path, &file, &err), 0);
		assert_ptr_not_equal(profile_root(built), profile_root(file));
		char *a = json_text(profile_root(built)), *b = json_text(profile_root(file));
		assert_true(strlen(a) > 1000);
		assert_string_equal(a, b);
		assert_string_equal(profile_path(built), builtin_names[i]);
		free(a), free(b), free(path);
		profile_free(built);
		profile_free(file);
	}
	/* Only the exact names: anything else is a path. */
	assert_false(profile_is_builtin("./default"));
	assert_false(profile_is_builtin("default.json"));
	assert_false(profile_is_builtin("Default"));
	assert_false(profile_is_builtin(""));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_compile_table),
		cmocka_unit_test(test_instruction_count_grows),
		cmocka_unit_test(test_runc_filter_has_every_arch),
		cmocka_unit_test(test_resolve_table),
		cmocka_unit_test(test_action_table),
		cmocka_unit_test(test_problems_table),
		cmocka_unit_test(test_builtin_profiles_match_files),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
