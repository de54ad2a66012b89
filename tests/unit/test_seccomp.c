/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Translation of docker-format profiles to OCI linux.seccomp, as a table in
 * the spirit of libseccomp's .tests files: (capabilities, arch, kernel) ->
 * the rules emitted, in order.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host.h"
#include "json.h"
#include "ohseccomp.h"
#include "scmodel.h"
#include "scstrength.h"
#include "util.h"

#include "testutil.h"

static const char profile[] =
	"{'defaultAction':'SCMP_ACT_ERRNO','defaultErrnoRet':38,"
	"'archMap':[{'architecture':'SCMP_ARCH_X86_64','subArchitectures':['SCMP_ARCH_X86','SCMP_ARCH_X32']},"
	"{'architecture':'SCMP_ARCH_AARCH64','subArchitectures':['SCMP_ARCH_ARM']}],"
	"'syscalls':["
	"{'names':['read','write'],'action':'SCMP_ACT_ALLOW','comment':'basic io'},"
	"{'names':['ptrace'],'action':'SCMP_ACT_ALLOW','includes':{'caps':['CAP_SYS_PTRACE']}},"
	"{'names':['mount'],'action':'SCMP_ACT_ALLOW','includes':{'caps':['CAP_SYS_ADMIN','CAP_SYS_CHROOT']}},"
	"{'names':['chown'],'action':'SCMP_ACT_ERRNO','errnoRet':1,'excludes':{'caps':['CAP_CHOWN']}},"
	"{'names':['arch_prctl'],'action':'SCMP_ACT_ALLOW','includes':{'arches':['amd64','x32']}},"
	"{'names':['sync_file_range2'],'action':'SCMP_ACT_ALLOW','includes':{'arches':['arm64']}},"
	"{'names':['newcall'],'action':'SCMP_ACT_ALLOW','includes':{'minKernel':'6.2'}},"
	"{'names':['oldcall'],'action':'SCMP_ACT_ALLOW','excludes':{'arches':['amd64']}},"
	"{'name':'single','action':'SCMP_ACT_ALLOW'},"
	"{'names':[],'action':'SCMP_ACT_ALLOW'},"
	"{'names':['personality'],'action':'SCMP_ACT_ALLOW','args':["
	"{'index':0,'value':8,'op':'SCMP_CMP_EQ'},"
	"{'index':1,'value':255,'valueTwo':8,'op':'SCMP_CMP_MASKED_EQ'},"
	"{'index':2,'value':0,'valueTwo':0,'op':'SCMP_CMP_EQ'}]},"
	"{'names':['kill'],'action':'SCMP_ACT_ERRNO','errno':'EPERM','errnoRet':99}"
	"]}";

struct tcase {
	const char *caps;     /* bounding set, space-separated */
	const char *arch;     /* SCMP_ARCH_... */
	const char *kernel;
	const char *rules;    /* first name of each emitted rule, in order */
	const char *arches;   /* architectures emitted */
};

static const struct tcase cases[] = {
	{ "CAP_CHOWN", "SCMP_ARCH_X86_64", "6.1",
	  "read arch_prctl single personality kill", "SCMP_ARCH_X86_64 SCMP_ARCH_X86 SCMP_ARCH_X32" },
	{ "", "SCMP_ARCH_X86_64", "6.1",
	  "read chown arch_prctl single personality kill", "SCMP_ARCH_X86_64 SCMP_ARCH_X86 SCMP_ARCH_X32" },
	{ "CAP_SYS_PTRACE CAP_SYS_ADMIN", "SCMP_ARCH_X86_64", "6.1",
	  "read ptrace chown arch_prctl single personality kill", "SCMP_ARCH_X86_64 SCMP_ARCH_X86 SCMP_ARCH_X32" },
	{ "CAP_SYS_ADMIN CAP_SYS_CHROOT CAP_CHOWN", "SCMP_ARCH_X86_64", "6.2",
	  "read mount arch_prctl newcall single personality kill", "SCMP_ARCH_X86_64 SCMP_ARCH_X86 SCMP_ARCH_X32" },
	{ "CAP_CHOWN", "SCMP_ARCH_X86_64", "6.10.3",
	  "read arch_prctl newcall single personality kill", "SCMP_ARCH_X86_64 SCMP_ARCH_X86 SCMP_ARCH_X32" },
	{ "CAP_CHOWN", "SCMP_ARCH_AARCH64", "5.10",
	  "read sync_file_range2 oldcall single personality kill", "SCMP_ARCH_AARCH64 SCMP_ARCH_ARM" },
	{ "CAP_CHOWN", "SCMP_ARCH_S390X", "5.10",
	  "read oldcall single personality kill", "" },
	/* capability names compare exactly, as podman compares them */
	{ "cap_sys_ptrace CAP_CHOWN", "SCMP_ARCH_X86_64", "6.1",
	  "read arch_prctl single personality kill", "SCMP_ARCH_X86_64 SCMP_ARCH_X86 SCMP_ARCH_X32" },
};

static struct profile *load(const char *text)
{
	struct oh_error err = { 0 };
	struct profile *p;
	char *buf = unquote(text);

	if (profile_parse(buf, strlen(buf), "profile", &p, &err) < 0)
		fail_msg("%s", err.msg);
	return p;
}

static struct jval caps_array(struct jdoc *doc, const char *list)
{
	char buf[256];
	const char *names[16];
	uint32_t n = 0;

	snprintf(buf, sizeof(buf), "%s", list);
	for (char *save, *t = strtok_r(buf, " ", &save); t; t = strtok_r(NULL, " ", &save))
		names[n++] = t;
	struct jval a = jv_array(doc, n);
	for (uint32_t i = 0; i < n; i++)
		a.u.items[i] = jv_str(doc, names[i]);
	return a;
}

static void join_first_names(const struct jval *rules, char *out, size_t cap)
{
	out[0] = '\0';
	for (uint32_t i = 0; rules != NULL && i < rules->len; i++) {
		const struct jval *names = jobj_get(&rules->u.items[i], "names");
		if (out[0])
			strncat(out, " ", cap - strlen(out) - 1);
		strncat(out, names->u.items[0].u.str, cap - strlen(out) - 1);
	}
}

static void join_strings(const struct jval *arr, char *out, size_t cap)
{
	out[0] = '\0';
	for (uint32_t i = 0; arr != NULL && i < arr->len; i++) {
		if (out[0])
			strncat(out, " ", cap - strlen(out) - 1);
		strncat(out, arr->u.items[i].u.str, cap - strlen(out) - 1);
	}
}

static void test_table(void **state)
{
	(void)state;
	struct profile *p = load(profile);

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct tcase *c = &cases[i];
		struct oh_error err = { 0 };
		struct jdoc *doc = json_new();
		struct jval out, bnd = caps_array(doc, c->caps);
		char got[512];

		host_at(c->arch, c->kernel);
		assert_int_equal(profile_translate(p, doc, &bnd, host_facts(), &out, &err), 0);
		join_first_names(jobj_get(&out, "syscalls"), got, sizeof(got));
		if (strcmp(got, c->rules) != 0)
			fail_msg("case %zu: rules \"%s\", want \"%s\"", i, got, c->rules);
		join_strings(jobj_get(&out, "architectures"), got, sizeof(got));
		if (strcmp(got, c->arches) != 0)
			fail_msg("case %zu: arches \"%s\", want \"%s\"", i, got, c->arches);
		json_free(doc);
	}
	profile_free(p);
}

/* The exact OCI form, with podman's key order and omissions. */
static void test_exact_output(void **state)
{
	(void)state;
	struct profile *p = load(profile);
	struct oh_error err = { 0 };
	struct jdoc *doc = json_new();
	struct jval out, bnd = caps_array(doc, "CAP_CHOWN");

	host_at("SCMP_ARCH_X86_64", "6.1");
	assert_int_equal(profile_translate(p, doc, &bnd, host_facts(), &out, &err), 0);
	char *text = json_text(&out);
	char *want = unquote(
		"{'defaultAction':'SCMP_ACT_ERRNO','defaultErrnoRet':38,"
		"'architectures':['SCMP_ARCH_X86_64','SCMP_ARCH_X86','SCMP_ARCH_X32'],"
		"'syscalls':[{'names':['read','write'],'action':'SCMP_ACT_ALLOW'},"
		"{'names':['arch_prctl'],'action':'SCMP_ACT_ALLOW'},"
		"{'names':['single'],'action':'SCMP_ACT_ALLOW'},"
		"{'names':['personality'],'action':'SCMP_ACT_ALLOW','args':["
		"{'index':0,'value':8,'op':'SCMP_CMP_EQ'},"
		"{'index':1,'value':255,'valueTwo':8,'op':'SCMP_CMP_MASKED_EQ'},"
		"{'index':2,'value':0,'op':'SCMP_CMP_EQ'}]},"
		"{'names':['kill'],'action':'SCMP_ACT_ERRNO','errnoRet':1}]}");
	assert_string_equal(text, want);
	free(want);
	free(text);
	json_free(doc);
	profile_free(p);
}

static const struct {
	const char *profile;
	const char *error;
} bad[] = {
	{ "{'syscalls':[]}", "needs a defaultAction" },
	{ "{'defaultAction':'SCMP_ACT_NOPE'}", "/defaultAction: unknown seccomp action" },
	{ "{'defaultAction':'SCMP_ACT_ERRNO','syscalls':[{'names':['x']}]}", "/syscalls/0: a syscall rule needs an action" },
	{ "{'defaultAction':'SCMP_ACT_ERRNO','syscalls':[{'names':['x'],'action':'SCMP_ACT_ALLOW','include':{}}]}", "/syscalls/0/include: unknown key" },
	{ "{'defaultAction':'SCMP_ACT_ERRNO','syscalls':[{'names':['x'],'action':'SCMP_ACT_ALLOW','includes':{'minKernel':'new'}}]}", "/syscalls/0/includes/minKernel: not a kernel version" },
	{ "{'defaultAction':'SCMP_ACT_ERRNO','syscalls':[{'names':['x'],'action':'SCMP_ACT_ALLOW','args':[{'index':6,'value':0,'op':'SCMP_CMP_EQ'}]}]}", "/syscalls/0/args/0/index" },
	{ "{'defaultAction':'SCMP_ACT_ERRNO','syscalls':[{'names':['x'],'action':'SCMP_ACT_ERRNO','errno':'ENOPE'}]}", "/syscalls/0/errno: unknown errno name" },
	{ "{'defaultAction':'SCMP_ACT_ERRNO','architectures':['SCMP_ARCH_VAX']}", "/architectures/0: unknown architecture" },
	{ "{'defaultAction':'SCMP_ACT_ERRNO','syscalls':[{'name':'a','names':['b'],'action':'SCMP_ACT_ALLOW'}]}", "both name and names" },
	{ "{'defaultAction':'SCMP_ACT_ERRNO','flags':['SECCOMP_FILTER_FLAG_MAGIC']}", "unknown seccomp flag" },
	/* Pointers are rendered only for the message: each kind of step. */
	{ "{'defaultAction':'SCMP_ACT_ERRNO','archMap':[{'architecture':'SCMP_ARCH_X86_64','subArchitectures':['SCMP_ARCH_VAX']}]}", "profile: /archMap/0/subArchitectures/0: unknown architecture" },
	{ "{'defaultAction':'SCMP_ACT_ERRNO','archMap':[{'architecture':'SCMP_ARCH_X86_64'},{'architecture':'SCMP_ARCH_X86','sub':[]}]}", "profile: /archMap/1/sub: unknown key" },
	{ "{'defaultAction':'SCMP_ACT_ERRNO','syscalls':[{'names':['x'],'action':'SCMP_ACT_ALLOW'},{'names':['y',1],'action':'SCMP_ACT_ALLOW'}]}", "profile: /syscalls/1/names/1: must be a string, not a number" },
	{ "{'defaultAction':'SCMP_ACT_ERRNO','syscalls':[{'names':['x'],'action':'SCMP_ACT_ALLOW','a/b~c':1}]}", "profile: /syscalls/0/a~1b~0c: unknown key" },
	{ "{'defaultAction':'SCMP_ACT_ERRNO','syscalls':[{'names':['x'],'action':'SCMP_ACT_ALLOW','args':[{'index':0,'op':'SCMP_CMP_EQ'},{'index':1,'op':'SCMP_CMP_LIKE'}]}]}", "profile: /syscalls/0/args/1/op: unknown comparison operator" },
};

static void test_bad_profiles(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct oh_error err = { 0 };
		struct profile *p;
		char *buf = unquote(bad[i].profile);

		if (profile_parse(buf, strlen(buf), "profile", &p, &err) == 0)
			fail_msg("%s: accepted", bad[i].profile);
		if (strstr(err.msg, bad[i].error) == NULL)
			fail_msg("%s: error \"%s\" lacks \"%s\"", bad[i].profile, err.msg, bad[i].error);
	}
}

/* The bundled profiles load and deny by default. */
static void test_bundled(void **state)
{
	(void)state;
	const char *names[] = { "default.json", "strict.json" };
	for (size_t i = 0; i < 2; i++) {
		char path[512];
		struct oh_error err = { 0 };
		struct profile *p;

		snprintf(path, sizeof(path), "%s/../seccomp-profiles/%s", OH_TEST_DIR, names[i]);
		if (profile_load(path, &p, &err) < 0)
			fail_msg("%s", err.msg);
		assert_true(jv_is_str(jobj_get(profile_root(p), "defaultAction"), "SCMP_ACT_ERRNO"));
		assert_true(oh_seccomp_blocks_something(profile_root(p)));
		profile_free(p);
	}
}

/*
 * One entry at a time: (entry, bounding set, arch, kernel) -> the rule
 * emitted, or "" when the entry is dropped.  Each row is a rule of the
 * translation podman and moby share (see podman_seccomp.bats for the
 * comparison with podman itself).
 */
static const struct entry_case {
	const char *entry;
	const char *caps;
	const char *arch;
	const char *kernel;
	const char *want;
} entry_cases[] = {
	/* errno: the name wins over errnoRet; errnoRet is kept even when 0
	 * and on actions that ignore it, as podman copies it */
	{ "{'names':['kill'],'action':'SCMP_ACT_ERRNO','errno':'EACCES','errnoRet':99}", "", "SCMP_ARCH_X86_64", "6.1",
	  "{'names':['kill'],'action':'SCMP_ACT_ERRNO','errnoRet':13}" },
	{ "{'names':['kill'],'action':'SCMP_ACT_ERRNO','errnoRet':11}", "", "SCMP_ARCH_X86_64", "6.1",
	  "{'names':['kill'],'action':'SCMP_ACT_ERRNO','errnoRet':11}" },
	{ "{'names':['kill'],'action':'SCMP_ACT_ERRNO','errnoRet':0}", "", "SCMP_ARCH_X86_64", "6.1",
	  "{'names':['kill'],'action':'SCMP_ACT_ERRNO','errnoRet':0}" },
	{ "{'names':['kill'],'action':'SCMP_ACT_ALLOW','errnoRet':5}", "", "SCMP_ARCH_X86_64", "6.1",
	  "{'names':['kill'],'action':'SCMP_ACT_ALLOW','errnoRet':5}" },
	{ "{'names':['kill'],'action':'SCMP_ACT_ERRNO','errno':'38'}", "", "SCMP_ARCH_X86_64", "6.1",
	  "{'names':['kill'],'action':'SCMP_ACT_ERRNO','errnoRet':38}" },
	/* actions other than ERRNO pass through */
	{ "{'names':['acct'],'action':'SCMP_ACT_TRAP'}", "", "SCMP_ARCH_X86_64", "6.1",
	  "{'names':['acct'],'action':'SCMP_ACT_TRAP'}" },
	{ "{'names':['acct'],'action':'SCMP_ACT_KILL_PROCESS','comment':'not copied'}", "", "SCMP_ARCH_X86_64", "6.1",
	  "{'names':['acct'],'action':'SCMP_ACT_KILL_PROCESS'}" },
	/* name, names, neither */
	{ "{'name':'getpgrp','action':'SCMP_ACT_ALLOW'}", "", "SCMP_ARCH_X86_64", "6.1",
	  "{'names':['getpgrp'],'action':'SCMP_ACT_ALLOW'}" },
	{ "{'names':[],'action':'SCMP_ACT_ALLOW'}", "", "SCMP_ARCH_X86_64", "6.1", "" },
	{ "{'name':'','action':'SCMP_ACT_ALLOW'}", "", "SCMP_ARCH_X86_64", "6.1", "" },
	/* args: index, value, valueTwo (left out when 0), op; value defaults to 0 */
	{ "{'names':['socket'],'action':'SCMP_ACT_ALLOW','args':[{'index':1,'value':255,'valueTwo':1,'op':'SCMP_CMP_MASKED_EQ'},"
	  "{'index':0,'value':2,'valueTwo':0,'op':'SCMP_CMP_EQ'},{'index':2,'op':'SCMP_CMP_GE'}]}", "", "SCMP_ARCH_X86_64", "6.1",
	  "{'names':['socket'],'action':'SCMP_ACT_ALLOW','args':[{'index':1,'value':255,'valueTwo':1,'op':'SCMP_CMP_MASKED_EQ'},"
	  "{'index':0,'value':2,'op':'SCMP_CMP_EQ'},{'index':2,'value':0,'op':'SCMP_CMP_GE'}]}" },
	{ "{'names':['x'],'action':'SCMP_ACT_ALLOW','args':[{'index':0,'value':18446744073709551615,'op':'SCMP_CMP_NE'}]}",
	  "", "SCMP_ARCH_X86_64", "6.1",
	  "{'names':['x'],'action':'SCMP_ACT_ALLOW','args':[{'index':0,'value':18446744073709551615,'op':'SCMP_CMP_NE'}]}" },
	{ "{'names':['x'],'action':'SCMP_ACT_ALLOW','args':null}", "", "SCMP_ARCH_X86_64", "6.1",
	  "{'names':['x'],'action':'SCMP_ACT_ALLOW'}" },
	/* includes.caps: all of them; excludes.caps: any of them */
	{ "{'names':['ptrace'],'action':'SCMP_ACT_ALLOW','includes':{'caps':['CAP_SYS_PTRACE','CAP_SYS_ADMIN']}}",
	  "CAP_SYS_PTRACE", "SCMP_ARCH_X86_64", "6.1", "" },
	{ "{'names':['ptrace'],'action':'SCMP_ACT_ALLOW','includes':{'caps':['CAP_SYS_PTRACE','CAP_SYS_ADMIN']}}",
	  "CAP_SYS_ADMIN CAP_SYS_PTRACE", "SCMP_ARCH_X86_64", "6.1", "{'names':['ptrace'],'action':'SCMP_ACT_ALLOW'}" },
	{ "{'names':['reboot'],'action':'SCMP_ACT_ERRNO','errnoRet':1,'excludes':{'caps':['CAP_SYS_BOOT','CAP_SYS_ADMIN']}}",
	  "CAP_SYS_ADMIN", "SCMP_ARCH_X86_64", "6.1", "" },
	{ "{'names':['reboot'],'action':'SCMP_ACT_ERRNO','errnoRet':1,'excludes':{'caps':['CAP_SYS_BOOT','CAP_SYS_ADMIN']}}",
	  "CAP_CHOWN", "SCMP_ARCH_X86_64", "6.1", "{'names':['reboot'],'action':'SCMP_ACT_ERRNO','errnoRet':1}" },
	/* exact spelling, as podman compares */
	{ "{'names':['mount'],'action':'SCMP_ACT_ALLOW','includes':{'caps':['CAP_SYS_ADMIN']}}",
	  "cap_sys_admin SYS_ADMIN", "SCMP_ARCH_X86_64", "6.1", "" },
	{ "{'names':['mount'],'action':'SCMP_ACT_ALLOW','includes':{'caps':[]}}",
	  "", "SCMP_ARCH_X86_64", "6.1", "{'names':['mount'],'action':'SCMP_ACT_ALLOW'}" },
	/* arches: the native arch's Go name only, not its sub-architectures */
	{ "{'names':['modify_ldt'],'action':'SCMP_ACT_ALLOW','includes':{'arches':['x32','386']}}",
	  "", "SCMP_ARCH_X86_64", "6.1", "" },
	{ "{'names':['modify_ldt'],'action':'SCMP_ACT_ALLOW','includes':{'arches':['amd64']}}",
	  "", "SCMP_ARCH_X86_64", "6.1", "{'names':['modify_ldt'],'action':'SCMP_ACT_ALLOW'}" },
	{ "{'names':['iopl'],'action':'SCMP_ACT_ALLOW','excludes':{'arches':['arm64']}}",
	  "", "SCMP_ARCH_AARCH64", "6.1", "" },
	{ "{'names':['iopl'],'action':'SCMP_ACT_ALLOW','excludes':{'arches':['arm64']}}",
	  "", "SCMP_ARCH_PPC64LE", "6.1", "{'names':['iopl'],'action':'SCMP_ACT_ALLOW'}" },
	/* minKernel: includes needs at least it, excludes drops from it on */
	{ "{'names':['x'],'action':'SCMP_ACT_ALLOW','includes':{'minKernel':'5.10'}}", "", "SCMP_ARCH_X86_64", "5.10",
	  "{'names':['x'],'action':'SCMP_ACT_ALLOW'}" },
	{ "{'names':['x'],'action':'SCMP_ACT_ALLOW','includes':{'minKernel':'5.10'}}", "", "SCMP_ARCH_X86_64", "5.9.300", "" },
	{ "{'names':['x'],'action':'SCMP_ACT_ALLOW','includes':{'minKernel':'5.10.2'}}", "", "SCMP_ARCH_X86_64", "5.10.1", "" },
	{ "{'names':['x'],'action':'SCMP_ACT_ALLOW','excludes':{'minKernel':'5.4'}}", "", "SCMP_ARCH_X86_64", "5.3.18",
	  "{'names':['x'],'action':'SCMP_ACT_ALLOW'}" },
	{ "{'names':['x'],'action':'SCMP_ACT_ALLOW','excludes':{'minKernel':'5.4'}}", "", "SCMP_ARCH_X86_64", "5.4", "" },
	/* several conditions: every one must hold */
	{ "{'names':['x'],'action':'SCMP_ACT_ALLOW','includes':{'caps':['CAP_BPF'],'arches':['arm64'],'minKernel':'5.8'},"
	  "'excludes':{'caps':['CAP_SYS_ADMIN']}}", "CAP_BPF", "SCMP_ARCH_AARCH64", "5.8",
	  "{'names':['x'],'action':'SCMP_ACT_ALLOW'}" },
	{ "{'names':['x'],'action':'SCMP_ACT_ALLOW','includes':{'caps':['CAP_BPF'],'arches':['arm64'],'minKernel':'5.8'},"
	  "'excludes':{'caps':['CAP_SYS_ADMIN']}}", "CAP_BPF CAP_SYS_ADMIN", "SCMP_ARCH_AARCH64", "5.8", "" },
	{ "{'names':['x'],'action':'SCMP_ACT_ALLOW','includes':{'caps':['CAP_BPF'],'arches':['arm64'],'minKernel':'5.8'}}",
	  "CAP_BPF", "SCMP_ARCH_X86_64", "5.8", "" },
};

static void test_entry_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(entry_cases) / sizeof(entry_cases[0]); i++) {
		const struct entry_case *c = &entry_cases[i];
		char *text = xasprintf("{'defaultAction':'SCMP_ACT_ERRNO','syscalls':[%s]}", c->entry);
		struct profile *p = load(text);
		struct oh_error err = { 0 };
		struct jdoc *doc = json_new();
		struct jval out, bnd = caps_array(doc, c->caps);
		char *want = unquote(c->want);
		char *got = xstrdup("");

		host_at(c->arch, c->kernel);
		assert_int_equal(profile_translate(p, doc, &bnd, host_facts(), &out, &err), 0);
		const struct jval *rules = jobj_get(&out, "syscalls");
		if (rules != NULL && rules->len > 0) {
			assert_int_equal(rules->len, 1);
			free(got);
			got = json_text(&rules->u.items[0]);
		}
		if (strcmp(got, want) != 0)
			fail_msg("case %zu %s\n  caps \"%s\" %s %s\n  got  %s\n  want %s", i, c->entry,
				 c->caps, c->arch, c->kernel, got, want);
		free(got);
		free(want);
		free(text);
		json_free(doc);
		profile_free(p);
	}
}

/* The profile's own fields: default errno, architectures, flags. */
static const struct {
	const char *top;      /* members besides the syscalls */
	const char *arch;
	const char *want;     /* the emitted object */
} top_cases[] = {
	{ "'defaultAction':'SCMP_ACT_ERRNO','defaultErrno':'ENOSYS','defaultErrnoRet':1", "SCMP_ARCH_X86_64",
	  "{'defaultAction':'SCMP_ACT_ERRNO','defaultErrnoRet':38}" },
	{ "'defaultAction':'SCMP_ACT_KILL_PROCESS'", "SCMP_ARCH_X86_64",
	  "{'defaultAction':'SCMP_ACT_KILL_PROCESS'}" },
	/* an explicit list is copied as it is, the native arch not added */
	{ "'defaultAction':'SCMP_ACT_ERRNO','architectures':['SCMP_ARCH_X86','SCMP_ARCH_ARM']", "SCMP_ARCH_X86_64",
	  "{'defaultAction':'SCMP_ACT_ERRNO','architectures':['SCMP_ARCH_X86','SCMP_ARCH_ARM']}" },
	/* an archMap without the host's arch gives no list: the runtime's native */
	{ "'defaultAction':'SCMP_ACT_ERRNO','archMap':[{'architecture':'SCMP_ARCH_AARCH64','subArchitectures':['SCMP_ARCH_ARM']}]",
	  "SCMP_ARCH_X86_64", "{'defaultAction':'SCMP_ACT_ERRNO'}" },
	{ "'defaultAction':'SCMP_ACT_ERRNO','archMap':[{'architecture':'SCMP_ARCH_RISCV64'}]",
	  "SCMP_ARCH_RISCV64", "{'defaultAction':'SCMP_ACT_ERRNO','architectures':['SCMP_ARCH_RISCV64']}" },
	{ "'defaultAction':'SCMP_ACT_ERRNO','flags':['SECCOMP_FILTER_FLAG_SPEC_ALLOW','SECCOMP_FILTER_FLAG_LOG'],"
	  "'listenerPath':'/run/agent.sock','listenerMetadata':'m'", "SCMP_ARCH_X86_64",
	  "{'defaultAction':'SCMP_ACT_ERRNO','flags':['SECCOMP_FILTER_FLAG_SPEC_ALLOW','SECCOMP_FILTER_FLAG_LOG'],"
	  "'listenerPath':'/run/agent.sock','listenerMetadata':'m'}" },
};

static void test_top_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(top_cases) / sizeof(top_cases[0]); i++) {
		char *text = xasprintf("{%s}", top_cases[i].top);
		struct profile *p = load(text);
		struct oh_error err = { 0 };
		struct jdoc *doc = json_new();
		struct jval out, bnd = caps_array(doc, "");
		char *want = unquote(top_cases[i].want);

		host_at(top_cases[i].arch, "6.1");
		assert_int_equal(profile_translate(p, doc, &bnd, host_facts(), &out, &err), 0);
		char *got = json_text(&out);
		if (strcmp(got, want) != 0)
			fail_msg("case %zu\n  got  %s\n  want %s", i, got, want);
		free(got);
		free(want);
		free(text);
		json_free(doc);
		profile_free(p);
	}
}

/* explain's reasons come from the function translation asks, and say
 * which condition decided. */
static const struct {
	const char *entry;
	const char *caps;
	const char *kernel;
	bool applies;
	const char *why;
} why_cases[] = {
	{ "{'names':['x'],'action':'SCMP_ACT_ALLOW'}", "", "6.1", true, "" },
	{ "{'names':['x'],'action':'SCMP_ACT_ALLOW','includes':{'caps':['CAP_A','CAP_B']}}", "CAP_A", "6.1", false,
	  "includes.caps: the container lacks CAP_B" },
	{ "{'names':['x'],'action':'SCMP_ACT_ALLOW','includes':{'caps':['CAP_A'],'minKernel':'4.8'}}", "CAP_A", "6.1", true,
	  "includes.caps: the container has all of them; includes.minKernel 4.8: the kernel is 6.1.0" },
	{ "{'names':['x'],'action':'SCMP_ACT_ALLOW','excludes':{'caps':['CAP_A','CAP_B']}}", "CAP_B", "6.1", false,
	  "excludes.caps: the container has CAP_B" },
	{ "{'names':['x'],'action':'SCMP_ACT_ALLOW','includes':{'caps':['CAP_A']},'excludes':{'arches':['amd64']}}", "", "6.1", false,
	  "excludes.arches names amd64, the host's architecture" },
	{ "{'names':['x'],'action':'SCMP_ACT_ALLOW','includes':{'minKernel':'6.2'}}", "", "6.1.7", false,
	  "includes.minKernel 6.2: the kernel 6.1.7 is older" },
	{ "{'names':['x'],'action':'SCMP_ACT_ALLOW','includes':{'arches':['s390x']}}", "", "6.1", false,
	  "includes.arches does not name amd64, the host's architecture" },
};

static void test_why_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(why_cases) / sizeof(why_cases[0]); i++) {
		char *text = unquote(why_cases[i].entry);
		struct oh_error err = { 0 };
		struct jdoc *doc, *scratch = json_new();
		struct jval bnd = caps_array(scratch, why_cases[i].caps);
		char why[512];

		assert_int_equal(json_parse(text, strlen(text), "entry", &doc, &err), 0);
		host_at("SCMP_ARCH_X86_64", why_cases[i].kernel);
		bool applies = profile_entry_applies(json_root(doc), &bnd, host_facts(), why, sizeof(why));
		if (applies != why_cases[i].applies || strcmp(why, why_cases[i].why) != 0)
			fail_msg("case %zu: %s \"%s\", want %s \"%s\"", i, applies ? "applies" : "skipped",
				 why, why_cases[i].applies ? "applies" : "skipped", why_cases[i].why);
		/* and without a buffer it decides the same */
		assert_int_equal(profile_entry_applies(json_root(doc), &bnd, host_facts(), NULL, 0), applies);
		json_free(doc);
		json_free(scratch);
	}
}

/* The index map says where each emitted rule came from. */
static void test_translate_indexed(void **state)
{
	(void)state;
	struct profile *p = load(profile);
	struct oh_error err = { 0 };
	struct jdoc *doc = json_new();
	struct jval out, bnd = caps_array(doc, "CAP_CHOWN");
	uint32_t src[16];
	static const uint32_t want[] = { 0, 4, 8, 10, 11 };

	assert_int_equal(profile_entry_count(p), 12);
	host_at("SCMP_ARCH_X86_64", "6.1");
	assert_int_equal(profile_translate_indexed(p, doc, &bnd, host_facts(), &out, src, &err), 0);
	const struct jval *rules = jobj_get(&out, "syscalls");
	assert_int_equal(rules->len, sizeof(want) / sizeof(want[0]));
	for (uint32_t k = 0; k < rules->len; k++)
		assert_int_equal(src[k], want[k]);
	json_free(doc);
	profile_free(p);
}

/* ------------------------------------------------------------ strength */

static struct jdoc *parse_text(const char *text)
{
	struct oh_error err = { 0 };
	struct jdoc *doc;
	char *buf = unquote(text);

	if (json_parse(buf, strlen(buf), "test", &doc, &err) < 0)
		fail_msg("%s: %s", text, err.msg);
	return doc;
}

static void strength_of(const struct jval *obj, const char *caps, struct oh_sc_strength *st)
{
	struct oh_error err = { 0 };
	struct jdoc *scratch = json_new();
	struct jval bnd = caps_array(scratch, caps);

	if (oh_seccomp_strength(obj, &bnd, host_facts(), st, &err) < 0)
		fail_msg("%s", err.msg);
	json_free(scratch);
}

static bool allowed(const struct oh_sc_strength *st, const char *call)
{
	for (size_t i = 0; i < st->nallowed; i++)
		if (strcmp(st->allowed[i], call) == 0)
			return true;
	return false;
}

/* A deny default and one ALLOW rule naming every x86_64 call: weak. */
static void test_strength_allow_everything(void **state)
{
	(void)state;
	struct oh_buf b = { 0 };

	host_at("SCMP_ARCH_X86_64", "6.1");
	oh_buf_puts(&b, "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"architectures\":"
		    "[\"SCMP_ARCH_X86_64\",\"SCMP_ARCH_X86\",\"SCMP_ARCH_X32\"],"
		    "\"syscalls\":[{\"action\":\"SCMP_ACT_ALLOW\",\"names\":[");
	int n = 0;
	for (int nr = 0; nr < 1024; nr++) {
		char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_X86_64, nr);
		if (name == NULL)
			continue;
		oh_buf_printf(&b, "%s\"%s\"", n++ ? "," : "", name);
		free(name);
	}
	oh_buf_puts(&b, "]}]}");
	assert_true(n > 300);
	struct jdoc *doc = parse_text(b.data);
	struct oh_sc_strength st;
	strength_of(json_root(doc), "CAP_CHOWN CAP_KILL", &st);
	assert_true(st.blocks_something);
	assert_false(st.confining);
	assert_true(st.compiled);
	for (size_t i = 0; i < oh_sc_must_block_count(); i++)
		if (!allowed(&st, oh_sc_must_block_name(i, NULL)))
			fail_msg("%s is not reported as allowed", oh_sc_must_block_name(i, NULL));
	json_free(doc);
	oh_buf_free(&b);
}

static const struct strength_case {
	const char *what;
	const char *profile;    /* OCI linux.seccomp */
	const char *caps;
	bool blocks, confining;
	const char *allowed;    /* one call that must be reported, or NULL */
} strength_cases[] = {
	{ "deny everything", "{'defaultAction':'SCMP_ACT_ERRNO'}", "", true, true, NULL },
	{ "allow everything", "{'defaultAction':'SCMP_ACT_ALLOW'}", "", false, false, "bpf" },
	{ "the only deny rule names a call x86_64 lacks",
	  "{'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['socketcall'],'action':'SCMP_ACT_ERRNO'}]}",
	  "", false, false, "kexec_load" },
	{ "deny default, bpf allowed only with an argument test that never matches at 0",
	  "{'defaultAction':'SCMP_ACT_ERRNO','syscalls':[{'names':['bpf'],'action':'SCMP_ACT_ALLOW',"
	  "'args':[{'index':0,'value':5,'op':'SCMP_CMP_EQ'}]}]}", "", true, true, NULL },
	{ "deny default, userfaultfd allowed", "{'defaultAction':'SCMP_ACT_ERRNO','syscalls':["
	  "{'names':['read','userfaultfd'],'action':'SCMP_ACT_ALLOW'}]}", "", true, false, "userfaultfd" },
	{ "bpf allowed to a container holding CAP_BPF is the kernel's business",
	  "{'defaultAction':'SCMP_ACT_ERRNO','syscalls':[{'names':['bpf'],'action':'SCMP_ACT_ALLOW'}]}",
	  "CAP_BPF", true, true, NULL },
	{ "a LOG rule lets the call through",
	  "{'defaultAction':'SCMP_ACT_ERRNO','syscalls':[{'names':['init_module'],'action':'SCMP_ACT_LOG'}]}",
	  "", true, false, "init_module" },
	{ "allow default, deny rules for the whole set",
	  "{'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['acct','add_key','bpf',"
	  "'delete_module','finit_module','init_module','ioperm','iopl','kexec_file_load','kexec_load',"
	  "'lookup_dcookie','open_by_handle_at','perf_event_open','quotactl','request_key','swapoff',"
	  "'swapon','userfaultfd'],'action':'SCMP_ACT_ERRNO'}]}", "", true, true, NULL },
	{ "the same on both ABIs the profile lists, argument tests tried with 0",
	  "{'defaultAction':'SCMP_ACT_ALLOW','architectures':['SCMP_ARCH_X86_64','SCMP_ARCH_X86'],"
	  "'syscalls':[{'names':['acct','add_key','bpf',"
	  "'delete_module','finit_module','init_module','ioperm','iopl','kexec_file_load','kexec_load',"
	  "'lookup_dcookie','open_by_handle_at','perf_event_open','quotactl','request_key','swapoff',"
	  "'swapon','userfaultfd'],'action':'SCMP_ACT_ERRNO','args':[{'index':1,'value':0,'op':'SCMP_CMP_EQ'}]}]}",
	  "", true, true, NULL },
};

static void test_strength_table(void **state)
{
	(void)state;
	host_at("SCMP_ARCH_X86_64", "6.1");
	for (size_t i = 0; i < sizeof(strength_cases) / sizeof(strength_cases[0]); i++) {
		const struct strength_case *c = &strength_cases[i];
		struct jdoc *doc = parse_text(c->profile);
		struct oh_sc_strength st;

		strength_of(json_root(doc), c->caps, &st);
		if (st.blocks_something != c->blocks || st.confining != c->confining)
			fail_msg("%s: blocks %d confining %d, want %d %d", c->what,
				 st.blocks_something, st.confining, c->blocks, c->confining);
		if (c->allowed != NULL && !allowed(&st, c->allowed))
			fail_msg("%s: %s not reported", c->what, c->allowed);
		json_free(doc);
	}
}

/* The engines' defaults and the bundled profiles confine. */
static void test_strength_of_defaults(void **state)
{
	(void)state;
	struct oh_error err = { 0 };
	char path[512], *buf;
	size_t len;
	struct jdoc *doc;
	struct oh_sc_strength st;

	host_at("SCMP_ARCH_X86_64", "6.1");
	snprintf(path, sizeof(path), "%s/fixtures/podman/default.json", OH_TEST_DIR);
	assert_int_equal(oh_read_file(path, OH_MAX_INPUT, &buf, &len, &err), 0);
	assert_int_equal(json_parse(buf, len, path, &doc, &err), 0);
	const struct jval *lin = jobj_get(json_root(doc), "linux");
	const struct jval *proc = jobj_get(json_root(doc), "process");
	const struct jval *bnd = jobj_get(jobj_get(proc, "capabilities"), "bounding");
	assert_int_equal(oh_seccomp_strength(jobj_get(lin, "seccomp"), bnd, host_facts(), &st, &err), 0);
	assert_true(st.confining);
	json_free(doc);

	const char *bundled[] = { "default", "strict" };
	for (size_t i = 0; i < 2; i++) {
		struct profile *p;
		struct jval out;
		struct jdoc *scratch = json_new();
		struct jval caps = caps_array(scratch, "CAP_CHOWN CAP_KILL CAP_NET_BIND_SERVICE");
		assert_int_equal(profile_load(bundled[i], &p, &err), 0);
		assert_int_equal(profile_translate(p, scratch, &caps, host_facts(), &out, &err), 0);
		assert_int_equal(oh_seccomp_strength(&out, &caps, host_facts(), &st, &err), 0);
		if (!st.confining)
			fail_msg("%s is weak", bundled[i]);
		/* and on the full path, not only the quick one */
		struct oh_sc_profile m;
		assert_int_equal(oh_seccomp_decode(&out, false, "x", &m, &err), 0);
		assert_int_equal(oh_seccomp_model_strength(&m, &caps, host_facts(), &st, &err), 0);
		assert_true(st.confining);
		oh_sc_profile_free(&m);
		profile_free(p);
		json_free(scratch);
	}
}

/* The model built into the binary is the one decoding the file gives. */
static void same_strings(const struct jval *a, const struct jval *b, uint32_t n, const char *what)
{
	for (uint32_t i = 0; i < n; i++)
		if (strcmp(a[i].u.str, b[i].u.str) != 0)
			fail_msg("%s %u: %s, the file says %s", what, i, a[i].u.str, b[i].u.str);
}

static void same_filter(const struct oh_sc_filter *a, const struct oh_sc_filter *b, const char *what)
{
	assert_int_equal(a->ncaps, b->ncaps);
	assert_int_equal(a->narches, b->narches);
	same_strings(a->caps, b->caps, a->ncaps, what);
	same_strings(a->arches, b->arches, a->narches, what);
	assert_true((a->min_kernel == NULL) == (b->min_kernel == NULL));
	if (a->min_kernel != NULL)
		assert_string_equal(a->min_kernel, b->min_kernel);
	assert_memory_equal(a->min_kernel_v, b->min_kernel_v, sizeof(a->min_kernel_v));
}

static void test_builtin_model(void **state)
{
	(void)state;
	const char *names[] = { "default", "strict" };
	for (size_t i = 0; i < 2; i++) {
		char path[512];
		struct oh_error err = { 0 };
		struct profile *bp, *fp;

		snprintf(path, sizeof(path), "%s/../seccomp-profiles/%s.json", OH_TEST_DIR, names[i]);
		assert_int_equal(profile_load(names[i], &bp, &err), 0);
		assert_int_equal(profile_load(path, &fp, &err), 0);
		const struct oh_sc_profile *a = profile_model(bp), *b = profile_model(fp);
		assert_int_equal(a->def, b->def);
		assert_int_equal(a->has_def_errno, b->has_def_errno);
		assert_int_equal(a->def_errno, b->def_errno);
		assert_int_equal(a->narches, b->narches);
		assert_int_equal(a->narchmap, b->narchmap);
		for (uint32_t k = 0; k < a->narchmap; k++) {
			assert_ptr_equal(a->archmap[k].arch, b->archmap[k].arch);
			assert_int_equal(a->archmap[k].nsub, b->archmap[k].nsub);
			for (uint32_t j = 0; j < a->archmap[k].nsub; j++)
				assert_ptr_equal(a->archmap[k].sub[j], b->archmap[k].sub[j]);
			assert_true((a->archmap[k].sub_v == NULL) == (b->archmap[k].sub_v == NULL));
		}
		assert_int_equal(a->flags, b->flags);
		assert_int_equal(a->nrules, b->nrules);
		for (uint32_t k = 0; k < a->nrules; k++) {
			const struct oh_sc_rule *x = &a->rules[k], *y = &b->rules[k];
			assert_int_equal(x->action, y->action);
			assert_string_equal(x->action_v->u.str, y->action_v->u.str);
			assert_int_equal(x->has_errno, y->has_errno);
			assert_int_equal(x->errno_ret, y->errno_ret);
			assert_int_equal(x->nnames, y->nnames);
			same_strings(x->names, y->names, x->nnames, "name");
			assert_true((x->names_v == NULL) == (y->names_v == NULL));
			assert_true((x->comment == NULL) == (y->comment == NULL));
			assert_int_equal(x->nargs, y->nargs);
			for (uint32_t j = 0; j < x->nargs; j++) {
				assert_int_equal(x->args[j].index, y->args[j].index);
				assert_int_equal(x->args[j].op, y->args[j].op);
				assert_int_equal(x->args[j].value, y->args[j].value);
				assert_int_equal(x->args[j].value_two, y->args[j].value_two);
				assert_true((x->args[j].value_two_v == NULL) == (y->args[j].value_two_v == NULL));
			}
			assert_int_equal(x->has_includes, y->has_includes);
			assert_int_equal(x->has_excludes, y->has_excludes);
			same_filter(&x->includes, &y->includes, "includes");
			same_filter(&x->excludes, &y->excludes, "excludes");
		}
		profile_free(bp);
		profile_free(fp);
	}
}

/* The must-block set is sorted (it is searched) and documented. */
static void test_must_block_table(void **state)
{
	(void)state;
	const char *docs[] = { "/../README.md", "/../doc/oci-harden.1" };
	for (size_t d = 0; d < 2; d++) {
		char path[512], *text;
		size_t len;
		struct oh_error err = { 0 };

		snprintf(path, sizeof(path), "%s%s", OH_TEST_DIR, docs[d]);
		assert_int_equal(oh_read_file(path, OH_MAX_INPUT, &text, &len, &err), 0);
		for (size_t i = 0; i < oh_sc_must_block_count(); i++) {
			const char *why, *name = oh_sc_must_block_name(i, &why);
			if (i > 0)
				assert_true(strcmp(oh_sc_must_block_name(i - 1, NULL), name) < 0);
			assert_true(why != NULL && why[0] != '\0');
			if (strstr(text, name) == NULL)
				fail_msg("%s does not name %s", docs[d], name);
		}
		free(text);
	}
}

/* The native architecture the hook names without libseccomp is the one
 * libseccomp names (loaded here on first use, hook/scload.c). */
static void test_native_arch_is_libseccomps(void **state)
{
	(void)state;
	const struct oh_sc_arch *mine = oh_sc_arch_native();

	assert_non_null(mine);
	assert_ptr_equal(mine, oh_sc_arch_by_token(seccomp_arch_native()));
	assert_string_equal(host_facts()->arch, mine->scmp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_exact_output),
		cmocka_unit_test(test_bad_profiles),
		cmocka_unit_test(test_bundled),
		cmocka_unit_test(test_entry_table),
		cmocka_unit_test(test_top_table),
		cmocka_unit_test(test_why_table),
		cmocka_unit_test(test_translate_indexed),
		cmocka_unit_test(test_builtin_model),
		cmocka_unit_test(test_strength_allow_everything),
		cmocka_unit_test(test_strength_table),
		cmocka_unit_test(test_must_block_table),
		cmocka_unit_test(test_strength_of_defaults),
		cmocka_unit_test(test_native_arch_is_libseccomps),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
