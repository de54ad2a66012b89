/* SPDX-License-Identifier: Apache-2.0 */
/*
 * exec clamped to its container: the process files Docker passes
 * (tests/fixtures/docker) against a hardened container's runc state.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "caps.h"
#include "exec_clamp.h"
#include "policy.h"
#include "util.h"

#include "testutil.h"

/* A hardened container: podman's default set, seccomp, no-new-privileges. */
static const char *const state_text =
	"{'id':'c','config':{'no_new_privileges':true,'seccomp':{'default_action':2},"
	"'capabilities':{'Bounding':%s,'Effective':%s,'Permitted':%s,'Inheritable':null,"
	"'Ambient':null},'labels':[%s'bundle=/b']}}";
#define CAPS "['CAP_CHOWN','CAP_KILL','CAP_NET_BIND_SERVICE','CAP_SETUID','CAP_SETGID']"

static void load_creds(const char *labels, struct container_creds *c)
{
	struct oh_error err = { 0 };
	char *t = xasprintf(state_text, CAPS, CAPS, CAPS, labels);
	char *text = unquote(t);

	free(t);
	if (creds_from_runc_state(text, strlen(text), "state.json", c, &err) < 0)
		fail_msg("%s", err.msg);
}

static void load_process(const char *fixture, struct spec *s)
{
	struct oh_error err = { 0 };
	char *path = xasprintf("%s/fixtures/docker/%s", OH_TEST_DIR, fixture);

	if (exec_process_load(path, s, &err) < 0)
		fail_msg("%s", err.msg);
	free(path);
}

static uint64_t mask_of(const struct spec *s, int set)
{
	uint64_t m = 0;
	const struct jval *a = s->capset[set];

	for (uint32_t i = 0; a && i < a->len; i++)
		m |= 1ull << caps_from_exact(a->u.items[i].u.str);
	return m;
}

static struct policy *policy(const char *text)
{
	struct oh_error err = { 0 };
	struct policy *p;
	char *t = unquote(text);

	if (policy_parse(t, strlen(t), "policy", &p, &err) < 0)
		fail_msg("%s", err.msg);
	return p;
}

struct clamp_case {
	const char *fixture;
	const char *policy;
	const char *labels;
	const char *flag_cap;
	enum verdict verdict;
	int rule;            /* the refusing rule, or -1 */
};

static const struct clamp_case cases[] = {
	/* a plain docker exec: Docker's 14 capabilities, clamped silently */
	{ "exec-process.json", "{}", "", NULL, V_COMPLIANT, -1 },
	{ "exec-user-process.json", "{}", "", NULL, V_COMPLIANT, -1 },
	/* docker exec --privileged: refused, or clamped when the policy says */
	{ "exec-privileged-process.json", "{}", "", NULL, V_DENIED, R_CAP_ALL },
	{ "exec-privileged-process.json", "{'runtime':{'exec':'clamp'}}", "", NULL,
	  V_FIXABLE, R_CAP_ALL },
	/* an exemption on the container's annotations lets it through, clamped */
	{ "exec-privileged-process.json",
	  "{'exemptions':[{'annotations':{'team':'ops'},'rules':['cap-all']}]}",
	  "'team=ops',", NULL, V_COMPLIANT, -1 },
	/* a label that could be read with two keys matches no exemption */
	{ "exec-privileged-process.json",
	  "{'exemptions':[{'annotations':{'team':'ops=x'},'rules':['cap-all']}]}",
	  "'team=ops=x',", NULL, V_DENIED, R_CAP_ALL },
	/* --cap outside the container's bounding set */
	{ "exec-process.json", "{}", "", "CAP_SYS_ADMIN", V_DENIED, R_CAP_NOT_ALLOWED },
	{ "exec-process.json", "{}", "", "CAP_CHOWN", V_COMPLIANT, -1 },
};

static void test_clamp_table(void **state)
{
	(void)state;
	host_at("x86_64", "6.1.0");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct clamp_case *k = &cases[i];
		struct oh_error err = { 0 };
		struct container_creds c;
		struct spec s;
		struct decision d = { .exemption = -1 };
		struct policy *p = policy(k->policy);
		const char *caps[1] = { k->flag_cap };

		load_creds(k->labels, &c);
		load_process(k->fixture, &s);
		if (exec_clamp(&s, &c, p, caps, k->flag_cap ? 1 : 0, NULL, &d, &err) < 0)
			fail_msg("case %zu: %s", i, err.msg);
		if (d.verdict != k->verdict)
			fail_msg("case %zu (%s): verdict %s, want %s", i, k->fixture,
				 verdict_name(d.verdict), verdict_name(k->verdict));
		if (k->rule >= 0 && (d.nfindings == 0 || d.findings[0].rule != k->rule))
			fail_msg("case %zu: want rule %s", i, rule_table[k->rule].id);
		/* whatever the verdict, the document is within the container */
		uint64_t allowed = c.caps[CS_BOUNDING] & p->allowed_caps;
		for (int set = 0; set < CS_COUNT; set++)
			assert_int_equal(mask_of(&s, set) & ~allowed, 0);
		assert_non_null(s.nnp);
		assert_int_equal(s.nnp->type, J_TRUE);
		decision_free(&d);
		spec_free(&s);
		creds_free(&c);
		policy_free(p);
	}
}

static void test_plain_exec_keeps_the_container_caps(void **state)
{
	struct oh_error err = { 0 };
	struct container_creds c;
	struct spec s;
	struct decision d = { .exemption = -1 };
	struct policy *p = policy("{}");
	(void)state;

	load_creds("", &c);
	assert_string_equal(c.bundle, "/b");
	load_process("exec-process.json", &s);
	assert_int_equal(exec_clamp(&s, &c, p, NULL, 0, NULL, &d, &err), 0);
	/* Docker's set minus MKNOD, NET_RAW, AUDIT_WRITE and the rest the
	 * container was not given: exactly the container's */
	assert_int_equal(mask_of(&s, CS_BOUNDING), c.caps[CS_BOUNDING]);
	assert_int_equal(mask_of(&s, CS_EFFECTIVE), c.caps[CS_BOUNDING]);
	decision_free(&d);
	spec_free(&s);
	creds_free(&c);
	policy_free(p);
}

static void test_strict_process_file(void **state)
{
	static const char *const bad[] = {
		"{\"args\":[\"true\"]} {\"args\":[\"sh\"]}",
		"[\"args\"]",
		"{\"args\":[\"true\"],\"NoNewPrivileges\":true}",
	};
	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char path[] = "/tmp/oh-exec-clamp-XXXXXX";
		int fd = mkstemp(path);
		assert_true(fd >= 0);
		assert_int_equal(oh_write_all(fd, bad[i], strlen(bad[i])), 0);
		close(fd);
		struct oh_error err = { 0 };
		struct spec s;
		int rc = exec_process_load(path, &s, &err);
		if (rc == 0) {
			struct container_creds c;
			struct decision d = { .exemption = -1 };
			struct policy *p = policy("{}");
			load_creds("", &c);
			rc = exec_clamp(&s, &c, p, NULL, 0, NULL, &d, &err);
			decision_free(&d);
			creds_free(&c);
			policy_free(p);
			spec_free(&s);
		}
		unlink(path);
		if (rc == 0)
			fail_msg("accepted: %s", bad[i]);
	}
}

/* An exec under another SELinux label leaves the container's confinement
 * (runc and crun take the exec's over the container's): it gets the
 * container's label, or none (the container's own) when it has none. */
static void test_exec_gets_the_container_label(void **state)
{
	static const char *const label = "system_u:system_r:container_t:s0:c1,c2";
	static const struct {
		bool container;     /* the container has the label above */
		const char *asked;  /* the exec's selinuxLabel, or NULL */
		const char *policy;
		enum verdict verdict;
	} label_cases[] = {
		{ true, "system_u:system_r:spc_t:s0", "{}", V_COMPLIANT },
		{ true, "system_u:system_r:spc_t:s0", "{'rules':{'selinux-disabled':'deny'}}",
		  V_DENIED },
		{ true, "system_u:system_r:container_t:s0:c1,c2", "{'rules':{'selinux-disabled':'deny'}}",
		  V_COMPLIANT },
		{ true, NULL, "{'rules':{'selinux-disabled':'deny'}}", V_COMPLIANT },
		{ false, "system_u:system_r:spc_t:s0", "{}", V_COMPLIANT },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(label_cases) / sizeof(label_cases[0]); i++) {
		struct oh_error err = { 0 };
		struct container_creds c;
		struct spec s;
		struct decision d = { .exemption = -1 };
		struct policy *p = policy(label_cases[i].policy);
		char *st = xasprintf("{\"id\":\"c\",\"config\":{\"no_new_privileges\":true,"
				     "\"seccomp\":{\"default_action\":2},%s\"capabilities\":"
				     "{\"Bounding\":[\"CAP_KILL\"]},\"labels\":[\"bundle=/b\"]}}",
				     label_cases[i].container ? "\"process_label\":\"system_u:system_r:"
				     "container_t:s0:c1,c2\"," : "");
		char path[] = "/tmp/oh-exec-label-XXXXXX";
		int fd = mkstemp(path);
		char *doc = label_cases[i].asked
			? xasprintf("{\"args\":[\"true\"],\"selinuxLabel\":\"%s\"}", label_cases[i].asked)
			: xstrdup("{\"args\":[\"true\"]}");

		assert_true(fd >= 0);
		assert_int_equal(oh_write_all(fd, doc, strlen(doc)), 0);
		close(fd);
		if (creds_from_runc_state(st, strlen(st), "state.json", &c, &err) < 0 ||
		    exec_process_load(path, &s, &err) < 0 ||
		    exec_clamp(&s, &c, p, NULL, 0, NULL, &d, &err) < 0)
			fail_msg("case %zu: %s", i, err.msg);
		unlink(path);
		if (d.verdict != label_cases[i].verdict)
			fail_msg("case %zu: verdict %s, want %s", i, verdict_name(d.verdict),
				 verdict_name(label_cases[i].verdict));
		bool other = label_cases[i].asked != NULL &&
			     (!label_cases[i].container || strcmp(label_cases[i].asked, label) != 0);
		bool found = false;
		for (size_t f = 0; f < d.nfindings; f++)
			found |= d.findings[f].rule == R_SELINUX_DISABLED;
		assert_int_equal(found, other);
		if (label_cases[i].container) {
			assert_non_null(s.selinux_label);
			assert_string_equal(s.selinux_label->u.str, label);
		} else {
			assert_null(s.selinux_label);
		}
		free(doc);
		decision_free(&d);
		spec_free(&s);
		creds_free(&c);
		policy_free(p);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clamp_table),
		cmocka_unit_test(test_plain_exec_keeps_the_container_caps),
		cmocka_unit_test(test_strict_process_file),
		cmocka_unit_test(test_exec_gets_the_container_label),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
