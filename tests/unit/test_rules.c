/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The rules and the verdict, as a table: config (a captured engine config or
 * an inline one), host facts, policy -> verdict and the rules that must and
 * must not fire.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>

#include "caps.h"
#include "host.h"
#include "outcome.h"
#include "pipeline.h"
#include "policy.h"
#include "rules.h"
#include "spec.h"
#include "util.h"

#include "testutil.h"

/* Inline configs are written with ' for " to stay readable. */
#define CFG(P, L) "{'ociVersion':'1.0.2','process':{" P "},'root':{'path':'rootfs'},'linux':{" L "}}"
#define NNP "'noNewPrivileges':true"
#define SECCOMP "'seccomp':{'defaultAction':'SCMP_ACT_ERRNO'}"
#define CAPS(list) "'capabilities':{'bounding':[" list "],'effective':[" list "]}"
#define OK_CAPS CAPS("'CAP_CHOWN','CAP_KILL'")
/* 35 of the 38 base capabilities: CAP_SYS_ADMIN, CAP_SYS_BOOT, CAP_AUDIT_READ left out. */
#define CAPS35 "'CAP_CHOWN','CAP_DAC_OVERRIDE','CAP_DAC_READ_SEARCH','CAP_FOWNER','CAP_FSETID'," \
	"'CAP_KILL','CAP_SETGID','CAP_SETUID','CAP_SETPCAP','CAP_LINUX_IMMUTABLE'," \
	"'CAP_NET_BIND_SERVICE','CAP_NET_BROADCAST','CAP_NET_ADMIN','CAP_NET_RAW'," \
	"'CAP_IPC_LOCK','CAP_IPC_OWNER','CAP_SYS_MODULE','CAP_SYS_RAWIO','CAP_SYS_CHROOT'," \
	"'CAP_SYS_PTRACE','CAP_SYS_PACCT','CAP_SYS_NICE','CAP_SYS_RESOURCE'," \
	"'CAP_SYS_TIME','CAP_SYS_TTY_CONFIG','CAP_MKNOD','CAP_LEASE','CAP_AUDIT_WRITE'," \
	"'CAP_AUDIT_CONTROL','CAP_SETFCAP','CAP_MAC_OVERRIDE','CAP_MAC_ADMIN','CAP_SYSLOG'," \
	"'CAP_WAKE_ALARM','CAP_BLOCK_SUSPEND'"
#define CAPS36 CAPS35 ",'CAP_AUDIT_READ'"


struct rcase {
	const char *name;
	const char *file;     /* fixture path under tests/, or NULL */
	const char *config;   /* inline config when file is NULL */
	enum host host;
	const char *policy;   /* inline policy, or NULL for the defaults */
	enum verdict verdict;
	const char *fires;    /* space-separated rule ids that must fire */
	const char *silent;   /* ... and that must not */
	const char *error;    /* for V_ERROR: substring of the message */
};

static const struct rcase cases[] = {
	/* Configs as podman 4.3 and runc 1.1 write them (captured here). */
	{ "podman default", "fixtures/podman/default.json", NULL, PLAIN, NULL, V_FIXABLE,
	  "no-new-privileges", "cap-all cap-not-allowed seccomp-unconfined privileged apparmor-unconfined", NULL },
	{ "podman --security-opt no-new-privileges", "fixtures/podman/no-new-privileges.json", NULL,
	  PLAIN, NULL, V_COMPLIANT, "", "no-new-privileges cap-not-allowed seccomp-unconfined", NULL },
	{ "podman --privileged", "fixtures/podman/privileged.json", NULL, PLAIN, NULL, V_DENIED,
	  "cap-all privileged seccomp-unconfined cap-not-allowed masked-paths-removed", "", NULL },
	{ "podman --cap-add=all", "fixtures/podman/cap-add-all.json", NULL, PLAIN, NULL, V_DENIED,
	  "cap-all cap-not-allowed", "privileged seccomp-unconfined", NULL },
	{ "podman --cap-add=sys_admin", "fixtures/podman/cap-add-sys-admin.json", NULL, PLAIN, NULL,
	  V_FIXABLE, "cap-not-allowed no-new-privileges", "cap-all", NULL },
	{ "podman --cap-drop=all", "fixtures/podman/cap-drop-all.json", NULL, PLAIN, NULL, V_FIXABLE,
	  "no-new-privileges", "cap-all cap-not-allowed", NULL },
	{ "podman seccomp=unconfined", "fixtures/podman/seccomp-unconfined.json", NULL, PLAIN, NULL,
	  V_FIXABLE, "seccomp-unconfined no-new-privileges", "privileged", NULL },
	{ "runc spec", "fixtures/runc/spec.json", NULL, PLAIN, NULL, V_FIXABLE,
	  "cap-not-allowed seccomp-unconfined", "no-new-privileges cap-all", NULL },

	/* no-new-privileges */
	{ "nnp false", NULL, CFG("'noNewPrivileges':false," OK_CAPS, SECCOMP), PLAIN, NULL,
	  V_FIXABLE, "no-new-privileges", "", NULL },
	{ "nnp absent", NULL, CFG(OK_CAPS, SECCOMP), PLAIN, NULL, V_FIXABLE, "no-new-privileges", "", NULL },
	{ "nnp true", NULL, CFG(NNP "," OK_CAPS, SECCOMP), PLAIN, NULL, V_COMPLIANT, "",
	  "no-new-privileges", NULL },

	/* capabilities */
	{ "36 of 38 base caps is cap-all", NULL, CFG(NNP "," CAPS(CAPS36), SECCOMP), PLAIN, NULL,
	  V_DENIED, "cap-all cap-not-allowed", "privileged", NULL },
	{ "35 of 38 base caps is not cap-all", NULL, CFG(NNP "," CAPS(CAPS35), SECCOMP), PLAIN, NULL,
	  V_FIXABLE, "cap-not-allowed", "cap-all", NULL },
	{ "lower-case name is not allowed", NULL, CFG(NNP "," CAPS("'cap_chown'"), SECCOMP), PLAIN,
	  NULL, V_FIXABLE, "cap-not-allowed", "cap-all", NULL },
	{ "unknown capability name", NULL, CFG(NNP "," CAPS("'CAP_NOPE'"), SECCOMP), PLAIN, NULL,
	  V_FIXABLE, "cap-not-allowed", "", NULL },
	{ "ambient-only extra cap", NULL,
	  CFG(NNP ",'capabilities':{'ambient':['CAP_NET_RAW']}", SECCOMP), PLAIN, NULL, V_FIXABLE,
	  "cap-not-allowed", "", NULL },
	{ "no capabilities object", NULL, CFG(NNP, SECCOMP), PLAIN, NULL, V_COMPLIANT, "",
	  "cap-not-allowed cap-all", NULL },

	/* seccomp */
	{ "seccomp absent", NULL, CFG(NNP "," OK_CAPS, ""), PLAIN, NULL, V_FIXABLE,
	  "seccomp-unconfined", "", NULL },
	{ "seccomp allow-all", NULL, CFG(NNP "," OK_CAPS, "'seccomp':{'defaultAction':'SCMP_ACT_ALLOW'}"),
	  PLAIN, NULL, V_FIXABLE, "seccomp-unconfined", "", NULL },
	{ "seccomp log-all", NULL, CFG(NNP "," OK_CAPS,
	  "'seccomp':{'defaultAction':'SCMP_ACT_LOG','syscalls':[{'names':['read'],'action':'SCMP_ACT_ALLOW'}]}"),
	  PLAIN, NULL, V_FIXABLE, "seccomp-unconfined", "", NULL },
	/* Blocking one call is not confining: bpf, kexec_load, ... stay
	 * open (profile strength, scstrength.h). */
	{ "seccomp allow with a denying rule only looks confining", NULL, CFG(NNP "," OK_CAPS,
	  "'seccomp':{'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['mount'],'action':'SCMP_ACT_ERRNO'}]}"),
	  PLAIN, NULL, V_FIXABLE, "seccomp-unconfined", "", NULL },
	{ "seccomp allow that denies the must-block set is confining", NULL, CFG(NNP "," OK_CAPS,
	  "'seccomp':{'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['acct','add_key','bpf',"
	  "'delete_module','finit_module','init_module','ioperm','iopl','kexec_file_load','kexec_load',"
	  "'lookup_dcookie','open_by_handle_at','perf_event_open','quotactl','request_key','swapoff',"
	  "'swapon','userfaultfd'],'action':'SCMP_ACT_ERRNO'}]}"),
	  PLAIN, NULL, V_COMPLIANT, "", "seccomp-unconfined", NULL },
	{ "seccomp denying rule without names", NULL, CFG(NNP "," OK_CAPS,
	  "'seccomp':{'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':[],'action':'SCMP_ACT_KILL'}]}"),
	  PLAIN, NULL, V_FIXABLE, "seccomp-unconfined", "", NULL },

	/* AppArmor, judged against the host facts */
	{ "apparmor unconfined, host without AppArmor", NULL,
	  CFG(NNP ",'apparmorProfile':'unconfined'," OK_CAPS, SECCOMP), PLAIN, NULL, V_FIXABLE,
	  "apparmor-unconfined", "", NULL },
	{ "apparmor unconfined, AppArmor host", NULL,
	  CFG(NNP ",'apparmorProfile':'unconfined'," OK_CAPS, SECCOMP), APPARMOR, NULL, V_FIXABLE,
	  "apparmor-unconfined", "", NULL },
	{ "no profile, AppArmor host", NULL, CFG(NNP "," OK_CAPS, SECCOMP), APPARMOR, NULL,
	  V_FIXABLE, "apparmor-unconfined", "", NULL },
	{ "empty profile, AppArmor host", NULL, CFG(NNP ",'apparmorProfile':''," OK_CAPS, SECCOMP),
	  APPARMOR, NULL, V_FIXABLE, "apparmor-unconfined", "", NULL },
	{ "no profile, host without AppArmor", NULL, CFG(NNP "," OK_CAPS, SECCOMP), PLAIN, NULL,
	  V_COMPLIANT, "", "apparmor-unconfined", NULL },
	{ "profile set, AppArmor host", NULL,
	  CFG(NNP ",'apparmorProfile':'docker-default'," OK_CAPS, SECCOMP), APPARMOR, NULL,
	  V_COMPLIANT, "", "apparmor-unconfined", NULL },

	/* warn-level rules never change the verdict */
	{ "host network namespace", NULL,
	  CFG(NNP "," OK_CAPS, SECCOMP ",'namespaces':[{'type':'pid'},{'type':'ipc'},{'type':'uts'},{'type':'mount'}]"),
	  PLAIN, NULL, V_COMPLIANT, "host-namespaces", "", NULL },
	{ "joining the host's network namespace", NULL,
	  CFG(NNP "," OK_CAPS, SECCOMP ",'namespaces':[{'type':'pid'},{'type':'ipc'},{'type':'uts'},"
	      "{'type':'mount'},{'type':'network','path':'/proc/1/ns/net'}]"),
	  PLAIN, NULL, V_COMPLIANT, "host-namespaces", "", NULL },
	{ "no mount namespace: chrooted into the host's file system", NULL,
	  CFG(NNP "," OK_CAPS, SECCOMP ",'namespaces':[{'type':'pid'},{'type':'ipc'},{'type':'uts'},{'type':'network'}]"),
	  PLAIN, NULL, V_DENIED, "mount-namespace host-namespaces", "", NULL },
	{ "a mount namespace joined by path", NULL,
	  CFG(NNP "," OK_CAPS, SECCOMP ",'namespaces':[{'type':'pid'},{'type':'ipc'},{'type':'uts'},{'type':'network'},"
	      "{'type':'mount','path':'/run/oh-test/mnt'}]"),
	  PLAIN, NULL, V_DENIED, "mount-namespace", "", NULL },
	{ "the container's own mount namespace", NULL,
	  CFG(NNP "," OK_CAPS, SECCOMP ",'namespaces':[{'type':'pid'},{'type':'ipc'},{'type':'uts'},{'type':'network'},"
	      "{'type':'mount'}]"),
	  PLAIN, NULL, V_COMPLIANT, "", "mount-namespace", NULL },
	{ "mount-namespace at warn only reports", NULL,
	  CFG(NNP "," OK_CAPS, SECCOMP ",'namespaces':[{'type':'pid'}]"),
	  PLAIN, "{'rules':{'mount-namespace':'warn'}}", V_COMPLIANT, "mount-namespace", "", NULL },
	{ "a namespace type listed twice has two readings", NULL,
	  CFG(NNP "," OK_CAPS, SECCOMP ",'namespaces':[{'type':'network','path':'/proc/1/ns/net'},{'type':'network'},"
	      "{'type':'mount'}]"),
	  PLAIN, NULL, V_ERROR, "", "", "/linux/namespaces/1: a second network namespace" },
	{ "cgroupsPath spelled in another case is runc's cgroupsPath", NULL,
	  CFG(NNP "," OK_CAPS, SECCOMP ",'CgroupsPath':'/'"),
	  PLAIN, NULL, V_ERROR, "", "", "key \"CgroupsPath\" must be spelled \"cgroupsPath\"" },
	{ "all namespaces private", NULL,
	  CFG(NNP "," OK_CAPS, SECCOMP ",'namespaces':[{'type':'pid'},{'type':'ipc'},{'type':'uts'},"
	      "{'type':'mount'},{'type':'network'}]"),
	  PLAIN, NULL, V_COMPLIANT, "", "host-namespaces", NULL },
	{ "non-root user", NULL, CFG(NNP ",'user':{'uid':1000,'gid':1000}," OK_CAPS, SECCOMP), PLAIN,
	  NULL, V_COMPLIANT, "", "root-user", NULL },
	{ "root user", NULL, CFG(NNP ",'user':{'uid':0,'gid':0}," OK_CAPS, SECCOMP), PLAIN, NULL,
	  V_COMPLIANT, "root-user", "", NULL },
	{ "read-only rootfs", NULL,
	  "{'process':{" NNP "},'root':{'path':'rootfs','readonly':true},'linux':{" SECCOMP "}}",
	  PLAIN, NULL, V_COMPLIANT, "", "writable-rootfs", NULL },
	{ "masked paths kept", NULL,
	  CFG(NNP, SECCOMP ",'maskedPaths':['/proc/kcore','/proc/keys','/proc/timer_list',"
	      "'/proc/sched_debug','/sys/firmware']"), PLAIN, NULL, V_COMPLIANT, "",
	  "masked-paths-removed", NULL },
	{ "SELinux host, label disabled", NULL, CFG(NNP, SECCOMP), SELINUX, NULL, V_COMPLIANT,
	  "selinux-disabled", "", NULL },
	{ "SELinux host, spc_t", NULL,
	  CFG(NNP ",'selinuxLabel':'system_u:system_r:spc_t:s0'", SECCOMP), SELINUX, NULL,
	  V_COMPLIANT, "selinux-disabled", "", NULL },
	{ "SELinux host, container_t", NULL,
	  CFG(NNP ",'selinuxLabel':'system_u:system_r:container_t:s0:c1,c2'", SECCOMP), SELINUX,
	  NULL, V_COMPLIANT, "", "selinux-disabled", NULL },
	{ "host without SELinux", NULL, CFG(NNP, SECCOMP), PLAIN, NULL, V_COMPLIANT, "",
	  "selinux-disabled", NULL },

	/* the policy decides the action */
	{ "policy: nnp deny", NULL, CFG(OK_CAPS, SECCOMP), PLAIN,
	  "{'rules':{'no-new-privileges':'deny'}}", V_DENIED, "no-new-privileges", "", NULL },
	{ "policy: nnp off", NULL, CFG(OK_CAPS, SECCOMP), PLAIN,
	  "{'rules':{'no-new-privileges':'off'}}", V_COMPLIANT, "", "no-new-privileges", NULL },
	{ "policy: nnp warn", NULL, CFG(OK_CAPS, SECCOMP), PLAIN,
	  "{'rules':{'no-new-privileges':'warn'}}", V_COMPLIANT, "no-new-privileges", "", NULL },
	{ "policy: wider allowlist", NULL, CFG(NNP "," CAPS("'CAP_NET_RAW'"), SECCOMP), PLAIN,
	  "{'capabilities':{'allowed':['CAP_NET_RAW']}}", V_COMPLIANT, "", "cap-not-allowed", NULL },
	{ "policy: exemption by annotation", NULL,
	  "{'process':{'noNewPrivileges':false},'linux':{" SECCOMP "},"
	  "'annotations':{'team':'infra','app':'agent-7'}}", PLAIN,
	  "{'exemptions':[{'annotations':{'team':'infra','app':'agent-[0-9]+'},'rules':['no-new-privileges']}]}",
	  V_COMPLIANT, "", "no-new-privileges", NULL },
	{ "policy: exemption needs every annotation", NULL,
	  "{'process':{'noNewPrivileges':false},'linux':{" SECCOMP "},'annotations':{'team':'infra'}}",
	  PLAIN,
	  "{'exemptions':[{'annotations':{'team':'infra','app':'agent-[0-9]+'},'rules':['no-new-privileges']}]}",
	  V_FIXABLE, "no-new-privileges", "", NULL },
	{ "policy: exemption regex is anchored", NULL,
	  "{'process':{'noNewPrivileges':false},'linux':{" SECCOMP "},'annotations':{'team':'not-infra'}}",
	  PLAIN, "{'exemptions':[{'annotations':{'team':'infra'},'rules':['no-new-privileges']}]}",
	  V_FIXABLE, "no-new-privileges", "", NULL },

	/* what cannot be judged */
	{ "nnp is a string", NULL, CFG("'noNewPrivileges':'yes'", SECCOMP), PLAIN, NULL, V_ERROR,
	  "", "", "/process/noNewPrivileges: must be a boolean, not a string" },
	{ "nnp is null", NULL, CFG("'noNewPrivileges':null", SECCOMP), PLAIN, NULL, V_ERROR, "", "",
	  "/process/noNewPrivileges: must be a boolean, not null" },
	{ "seccomp is null", NULL, CFG(NNP, "'seccomp':null"), PLAIN, NULL, V_ERROR, "", "",
	  "/linux/seccomp: must be an object, not null" },
	{ "key only runc reads", NULL, CFG("'NoNewPrivileges':true", SECCOMP), PLAIN, NULL, V_ERROR,
	  "", "", "must be spelled \"noNewPrivileges\"" },
	{ "capabilities under another case", NULL,
	  CFG(NNP ",'Capabilities':{'bounding':['CAP_SYS_ADMIN']}", SECCOMP), PLAIN, NULL, V_ERROR,
	  "", "", "/process/Capabilities" },
	{ "bounding is a string", NULL, CFG(NNP ",'capabilities':{'bounding':'CAP_KILL'}", SECCOMP),
	  PLAIN, NULL, V_ERROR, "", "", "/process/capabilities/bounding: must be an array" },
	{ "capability is a number", NULL, CFG(NNP ",'capabilities':{'bounding':[21]}", SECCOMP),
	  PLAIN, NULL, V_ERROR, "", "", "/process/capabilities/bounding/0: must be a string" },
	{ "unknown seccomp action", NULL, CFG(NNP, "'seccomp':{'defaultAction':'SCMP_ACT_MAYBE'}"),
	  PLAIN, NULL, V_ERROR, "", "", "/linux/seccomp/defaultAction: unknown seccomp action" },
	{ "unknown seccomp op", NULL, CFG(NNP, "'seccomp':{'defaultAction':'SCMP_ACT_ERRNO',"
	  "'syscalls':[{'names':['x'],'action':'SCMP_ACT_ALLOW','args':[{'index':0,'value':1,'op':'LT'}]}]}"),
	  PLAIN, NULL, V_ERROR, "", "", "/linux/seccomp/syscalls/0/args/0/op" },
	{ "process is an array", NULL, "{'process':[]}", PLAIN, NULL, V_ERROR, "", "",
	  "/process: must be an object" },
	{ "annotation value not a string", NULL, "{'annotations':{'a':1}}", PLAIN, NULL, V_ERROR,
	  "", "", "/annotations/a: must be a string" },
};

static void each_id(const char *list, void (*fn)(const char *id, void *ctx),
		    void *ctx)
{
	char buf[512];

	snprintf(buf, sizeof(buf), "%s", list);
	for (char *save, *t = strtok_r(buf, " ", &save); t; t = strtok_r(NULL, " ", &save))
		fn(t, ctx);
}

struct chk {
	const struct rcase *c;
	const struct decision *d;
	bool want;
};

static void check_id(const char *id, void *ctx)
{
	struct chk *k = ctx;

	if (rule_by_id(id) < 0)
		fail_msg("%s: the table names an unknown rule %s", k->c->name, id);
	if (fired(k->d, id) != k->want)
		fail_msg("%s: rule %s %s", k->c->name, id,
			 k->want ? "did not fire" : "fired but should not");
}

static void run_case(const struct rcase *c)
{
	struct oh_error err = { 0 };
	struct policy *p;
	struct spec s;
	struct decision d;
	char *buf;
	size_t len;

	set_host(c->host);
	if (c->policy) {
		char *pb = unquote(c->policy);
		if (policy_parse(pb, strlen(pb), "policy", &p, &err) < 0)
			fail_msg("%s: policy: %s", c->name, err.msg);
	} else {
		p = policy_defaults();
	}
	if (c->file) {
		char path[512];
		snprintf(path, sizeof(path), "%s/%s", OH_TEST_DIR, c->file);
		if (oh_read_file(path, OH_MAX_INPUT, &buf, &len, &err) < 0)
			fail_msg("%s: %s", c->name, err.msg);
	} else {
		buf = unquote(c->config);
		len = strlen(buf);
	}
	int rc = spec_parse(buf, len, "config.json", &s, &err);
	if (c->verdict == V_ERROR) {
		if (rc == 0)
			fail_msg("%s: loaded but should be an error", c->name);
		if (strstr(err.msg, c->error) == NULL)
			fail_msg("%s: error \"%s\" lacks \"%s\"", c->name, err.msg, c->error);
		policy_free(p);
		return;
	}
	if (rc < 0)
		fail_msg("%s: %s", c->name, err.msg);
	/* Most inline configs leave out the namespaces they do not concern;
	 * mount-namespace is judged where a case names it, and on every
	 * captured config. */
	if (c->file == NULL && strstr(c->fires, "mount-namespace") == NULL &&
	    strstr(c->silent, "mount-namespace") == NULL)
		p->action[R_MOUNT_NAMESPACE] = ACT_OFF;
	assert_int_equal(rules_evaluate(&s, p, host_facts(), &d, &err), 0);
	if (d.verdict != c->verdict)
		fail_msg("%s: verdict %s, want %s", c->name, verdict_name(d.verdict),
			 verdict_name(c->verdict));
	struct chk k = { c, &d, true };
	each_id(c->fires, check_id, &k);
	k.want = false;
	each_id(c->silent, check_id, &k);
	decision_free(&d);
	spec_free(&s);
	policy_free(p);
}

static void test_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		run_case(&cases[i]);
}

/* Fixing a fixable config yields a compliant one; fixing keeps the rest. */
static void test_fix_resolves(void **state)
{
	(void)state;
	const char *files[] = {
		"fixtures/podman/default.json", "fixtures/podman/cap-add-sys-admin.json",
		"fixtures/podman/seccomp-unconfined.json", "fixtures/podman/cap-drop-all.json",
		"fixtures/runc/spec.json", "fixtures/runc/spec-rootless.json",
	};
	for (int h = PLAIN; h <= APPARMOR; h++) {
		set_host((enum host)h);
		for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
			struct oh_error err = { 0 };
			struct policy *p = policy_defaults();
			struct spec s;
			struct decision d, after;
			char path[512], *buf;
			size_t len;

			snprintf(path, sizeof(path), "%s/%s", OH_TEST_DIR, files[i]);
			assert_int_equal(oh_read_file(path, OH_MAX_INPUT, &buf, &len, &err), 0);
			assert_int_equal(spec_parse(buf, len, path, &s, &err), 0);
			assert_int_equal(rules_evaluate(&s, p, host_facts(), &d, &err), 0);
			assert_int_equal(d.verdict, V_FIXABLE);
			if (rules_fix(&s, p, host_facts(), &d, &err) < 0)
				fail_msg("%s: %s", files[i], err.msg);
			assert_int_equal(rules_evaluate(&s, p, host_facts(), &after, &err), 0);
			assert_int_equal(after.verdict, V_COMPLIANT);
			assert_true(s.nnp != NULL && s.nnp->type == J_TRUE);
			assert_non_null(s.seccomp);
			if (h == APPARMOR)
				assert_string_equal(s.apparmor->u.str, "docker-default");
			decision_free(&d);
			decision_free(&after);
			spec_free(&s);
			policy_free(p);
		}
	}
}

static bool allows(const struct jval *seccomp, const char *name)
{
	const struct jval *rules = jobj_get(seccomp, "syscalls");

	for (uint32_t i = 0; rules != NULL && i < rules->len; i++) {
		const struct jval *r = &rules->u.items[i];
		const struct jval *names = jobj_get(r, "names");
		if (!jv_is_str(jobj_get(r, "action"), "SCMP_ACT_ALLOW"))
			continue;
		for (uint32_t k = 0; names != NULL && k < names->len; k++)
			if (jv_is_str(&names->u.items[k], name))
				return true;
	}
	return false;
}

/* podman translated its profile for CAP_SYS_ADMIN; once the fix drops the
 * capability, that profile would still allow unshare and mount. */
static void fix_for(const char *file, const char *policy, struct spec *s)
{
	struct oh_error err = { 0 };
	struct policy *p;
	struct decision d;
	char path[512], *buf;
	size_t len;

	set_host(PLAIN);
	if (policy != NULL) {
		char *pb = unquote(policy);
		assert_int_equal(policy_parse(pb, strlen(pb), "policy", &p, &err), 0);
	} else {
		p = policy_defaults();
	}
	snprintf(path, sizeof(path), "%s/%s", OH_TEST_DIR, file);
	assert_int_equal(oh_read_file(path, OH_MAX_INPUT, &buf, &len, &err), 0);
	assert_int_equal(spec_parse(buf, len, path, s, &err), 0);
	assert_int_equal(rules_evaluate(s, p, host_facts(), &d, &err), 0);
	if (rules_fix(s, p, host_facts(), &d, &err) < 0)
		fail_msg("%s", err.msg);
	decision_free(&d);
	policy_free(p);
}

static void test_cap_fix_reapplies_profile(void **state)
{
	(void)state;
	struct spec s;

	fix_for("fixtures/podman/cap-add-sys-admin.json", NULL, &s);
	assert_false(allows(s.seccomp, "unshare"));
	assert_false(allows(s.seccomp, "mount"));
	assert_true(allows(s.seccomp, "read"));
	spec_free(&s);

	/* No capability removed: the engine's profile stays. */
	fix_for("fixtures/podman/default.json", NULL, &s);
	assert_int_equal(jobj_get(s.seccomp, "syscalls")->len, 22);
	spec_free(&s);

	/* A policy that leaves seccomp alone leaves the profile too. */
	fix_for("fixtures/podman/cap-add-sys-admin.json",
		"{'rules':{'seccomp-unconfined':'warn'}}", &s);
	assert_true(allows(s.seccomp, "unshare"));
	spec_free(&s);
}

/* The masks a reload keeps for a set it need not read again (the same
 * array, the same length) are those a fresh load reads; a set edited in
 * place by dropping names, or replaced by another array of the same
 * length, is read again. */
static void assert_caps_as_fresh(struct spec *s)
{
	char *text = json_text(s->root);
	struct spec fresh;
	struct oh_error err;

	assert_int_equal(spec_parse(text, strlen(text), "fresh", &fresh, &err), 0);
	for (int i = 0; i < CS_COUNT; i++) {
		assert_true(s->capmask[i] == fresh.capmask[i]);
		assert_true(s->capexact[i] == fresh.capexact[i]);
		assert_int_equal(s->capinexact[i], fresh.capinexact[i]);
	}
	spec_free(&fresh);
}

static void test_reload_reads_changed_cap_sets(void **state)
{
	(void)state;
	char *buf = unquote("{'process': {'capabilities': {"
			    "'bounding': ['CAP_CHOWN', 'CAP_NO_1', 'cap_kill', 'CAP_SYS_ADMIN'],"
			    "'effective': ['CAP_CHOWN', 'CAP_NO_1'],"
			    "'permitted': ['CAP_NET_RAW', 'CAP_KILL'], 'ambient': []}}}");
	struct spec s;
	struct oh_error err;

	assert_int_equal(spec_parse(buf, strlen(buf), "config.json", &s, &err), 0);
	assert_true(s.capmask[CS_BOUNDING] == ((1ull << CAP_CHOWN) | (1ull << CAP_KILL) |
					       (1ull << CAP_SYS_ADMIN)));
	assert_int_equal(s.capinexact[CS_BOUNDING], 2);
	/* Nothing changed: kept, and as a fresh load reads it. */
	assert_int_equal(spec_reload(&s, &err), 0);
	assert_caps_as_fresh(&s);
	/* Names dropped in place (as fix_caps does): read again. */
	struct jval *b = s.capset[CS_BOUNDING];
	b->u.items[1] = b->u.items[3];
	b->len = 2;
	assert_int_equal(spec_reload(&s, &err), 0);
	assert_true(s.capmask[CS_BOUNDING] == ((1ull << CAP_CHOWN) | (1ull << CAP_SYS_ADMIN)));
	assert_int_equal(s.capinexact[CS_BOUNDING], 0);
	assert_caps_as_fresh(&s);
	/* Another array of the same length: read again. */
	struct jval arr = jv_array(s.doc, 2);
	arr.u.items[0] = jv_str(s.doc, "CAP_SETUID");
	arr.u.items[1] = jv_str(s.doc, "bogus");
	jobj_set(s.doc, s.caps, "effective", arr);
	assert_int_equal(spec_reload(&s, &err), 0);
	assert_true(s.capmask[CS_EFFECTIVE] == (1ull << CAP_SETUID));
	assert_int_equal(s.capinexact[CS_EFFECTIVE], 1);
	assert_caps_as_fresh(&s);
	/* A set removed, and one added where there was none. */
	jobj_del(s.caps, "permitted");
	jobj_set(s.doc, s.caps, "inheritable", arr);
	assert_int_equal(spec_reload(&s, &err), 0);
	assert_true(s.capset[CS_PERMITTED] == NULL);
	assert_true(s.capmask[CS_PERMITTED] == 0);
	assert_true(s.capmask[CS_INHERITABLE] == (1ull << CAP_SETUID));
	assert_caps_as_fresh(&s);
	spec_free(&s);
}

/* Capability names as a user or a config writes them, read as libcap
 * reads them (but never as bare numbers, which no runtime accepts). */
static void test_cap_names(void **state)
{
	(void)state;
	static const struct { const char *in; int want; } names[] = {
		{ "CAP_CHOWN", CAP_CHOWN }, { "cap_chown", CAP_CHOWN },
		{ "chown", CAP_CHOWN }, { "Cap_Sys_Admin", CAP_SYS_ADMIN },
		{ "SYS_ADMIN", CAP_SYS_ADMIN }, { "CAP_CHECKPOINT_RESTORE", 40 },
		{ "", -1 }, { "0", -1 }, { "21", -1 }, { "CAP_", -1 },
		{ "CAP_CHOWNX", -1 }, { "XCAP_CHOWN", -1 }, { "cap_chown ", -1 },
		{ "CAP_CAP_CHOWN", -1 }, { "ALL", -1 },
		{ "CAP_SYS_ADMIN_AND_A_NAME_FAR_LONGER_THAN_ANY_CAPABILITY_EVER_HAD", -1 },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (caps_from_loose(names[i].in) != names[i].want)
			fail_msg("loose \"%s\": %d, want %d", names[i].in,
				 caps_from_loose(names[i].in), names[i].want);
	assert_true(caps_known() >= 41);
	for (int c = 0; c < caps_known(); c++) {
		const char *name = caps_name(c);
		char lower[64];
		cap_value_t v;

		assert_int_equal(caps_from_exact(name), c);
		for (size_t k = 0; k <= strlen(name); k++)
			lower[k] = (char)(name[k] >= 'A' && name[k] <= 'Z' ? name[k] + 32 : name[k]);
		assert_int_equal(caps_from_exact(lower), -1);  /* exact is exact */
		assert_int_equal(caps_from_loose(lower), c);
		assert_int_equal(caps_from_loose(lower + 4), c);
		/* libcap agrees */
		assert_int_equal(cap_from_name(lower, &v), 0);
		assert_int_equal(v, c);
	}
}

/* A document only viewed (poststart's view_only) has no verdict: it reads
 * "not judged", and the outcome layer refuses it in every mode, audit
 * included, where a verdict left at its zero would have read compliant. */
static void test_view_only_is_not_judged(void **state)
{
	(void)state;
	static const char cfg[] = "{\"ociVersion\":\"1.0.2\",\"process\":{\"args\":[\"sh\"],"
				  "\"cwd\":\"/\"},\"root\":{\"path\":\"rootfs\"}}";
	struct pipeline_input in = PIPELINE_INPUT_INIT;
	struct pipeline_opts o = { .on = CTX_CONFIG, .scan = SCAN_NEVER, .view_only = true };
	cleanup_judgement struct judgement j = JUDGEMENT_INIT;
	struct oh_error err = { 0 };
	struct policy *p = policy_defaults();

	in.buf = xstrdup(cfg);
	in.len = strlen(cfg);
	in.source = "view";
	assert_int_equal(pipeline_run(&in, &o, p, &j, &err), 0);
	assert_int_equal(j.d.verdict, V_NOT_JUDGED);
	assert_string_equal(verdict_name(j.d.verdict), "not judged");
	assert_int_equal(outcome_decide(p, j.d.verdict, POWER_GATE), OUT_ERROR);
	assert_int_equal(outcome_decide(p, j.d.verdict, POWER_REWRITE), OUT_ERROR);
	p->audit = true;
	assert_int_equal(outcome_decide(p, j.d.verdict, POWER_GATE), OUT_ERROR);
	assert_int_equal(outcome_decide(p, V_ERROR, POWER_GATE), OUT_ADMIT);
	policy_free(p);

	/* Judged, the same document has a verdict. */
	cleanup_judgement struct judgement k = JUDGEMENT_INIT;
	struct pipeline_input in2 = PIPELINE_INPUT_INIT;
	struct pipeline_opts o2 = { .on = CTX_CONFIG, .scan = SCAN_NEVER };
	p = policy_defaults();
	in2.buf = xstrdup(cfg);
	in2.len = strlen(cfg);
	in2.source = "judged";
	assert_int_equal(pipeline_run(&in2, &o2, p, &k, &err), 0);
	assert_int_not_equal(k.d.verdict, V_NOT_JUDGED);
	policy_free(p);
}

/* A decision starts unjudged wherever it is made (the wrapper's exec and
 * restore make their own): only a judgement settles it, a decision with
 * no findings included. */
static void test_decision_starts_not_judged(void **state)
{
	(void)state;
	struct decision d;
	struct policy *p = policy_defaults();

	decision_init(&d);
	assert_int_equal(d.verdict, V_NOT_JUDGED);
	assert_int_equal(d.exemption, -1);
	assert_int_equal(outcome_decide(p, d.verdict, POWER_REWRITE), OUT_ERROR);
	decision_settle(&d);
	assert_int_equal(d.verdict, V_COMPLIANT);
	decision_free(&d);
	policy_free(p);
}

/* Findings and errors quote what configs say: no control byte survives in a
 * message, and a message cut to its buffer ends at a whole escape. */
static void test_messages_without_controls(void **state)
{
	(void)state;
	struct decision d = { 0 };
	decision_add(&d, 0, ACT_DENY, "/mounts/0", "at %s", "/x\nok\t\x7f.");
	assert_string_equal(d.findings[0].message, "at /x\\nok\\x09\\x7f.");
	decision_free(&d);

	struct oh_error err = { 0 };
	oh_err(&err, 0, "bad %s", "a\rb");
	assert_string_equal(err.msg, "bad a\\x0db");
	oh_err_wrap(&err, "in %s", "c\n");
	assert_string_equal(err.msg, "in c\\n: bad a\\x0db");

	char out[6];
	assert_int_equal(oh_escape_controls(out, sizeof(out), "ab\x01c"), 2);
	assert_string_equal(out, "ab");
	assert_int_equal(oh_escape_controls(out, sizeof(out), "abcdefg"), 5);
	assert_false(oh_controls_in("plain \xc3\xa9"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_view_only_is_not_judged),
		cmocka_unit_test(test_decision_starts_not_judged),
		cmocka_unit_test(test_cap_names),
		cmocka_unit_test(test_messages_without_controls),
		cmocka_unit_test(test_fix_resolves),
		cmocka_unit_test(test_cap_fix_reapplies_profile),
		cmocka_unit_test(test_reload_reads_changed_cap_sets),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
