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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host.h"
#include "json.h"
#include "seccomp.h"
#include "util.h"

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

static char *unquote(const char *s)
{
	char *r = xstrdup(s);

	for (char *p = r; *p; p++)
		if (*p == '\'')
			*p = '"';
	return r;
}

static struct profile *load(const char *text)
{
	struct oh_error err = { 0 };
	struct profile *p;
	char *buf = unquote(text);

	if (profile_parse(buf, strlen(buf), "profile", &p, &err) < 0)
		fail_msg("%s", err.msg);
	return p;
}

static struct jdoc *empty_doc(void)
{
	struct oh_error err = { 0 };
	struct jdoc *doc;
	char *buf = xstrdup("{}");

	assert_int_equal(json_parse(buf, 2, "doc", &doc, &err), 0);
	return doc;
}

static void set_host(const char *arch, const char *kernel)
{
	struct host_facts f = { 0 };

	snprintf(f.arch, sizeof(f.arch), "%s", arch);
	snprintf(f.goarch, sizeof(f.goarch), "%s", host_goarch_of(arch));
	host_parse_kernel(kernel, f.kernel);
	host_facts_set(&f);
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
		struct jdoc *doc = empty_doc();
		struct jval out, bnd = caps_array(doc, c->caps);
		char got[512];

		set_host(c->arch, c->kernel);
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
	struct jdoc *doc = empty_doc();
	struct jval out, bnd = caps_array(doc, "CAP_CHOWN");
	size_t len;

	set_host("SCMP_ARCH_X86_64", "6.1");
	assert_int_equal(profile_translate(p, doc, &bnd, host_facts(), &out, &err), 0);
	struct jsink *s = jsink_mem();
	json_write(s, &out, false);
	char *text = jsink_take(s, &len);
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
	jsink_free(s);
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
		assert_true(seccomp_blocks_something(profile_root(p)));
		profile_free(p);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_exact_output),
		cmocka_unit_test(test_bad_profiles),
		cmocka_unit_test(test_bundled),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
