/* SPDX-License-Identifier: Apache-2.0 */
/*
 * inspect's pieces: /proc/net parsing as a table of socket lines written the
 * way the kernel writes them; the kernel-view rules as a table of process
 * views -> verdict and rules that must and must not fire; runc state
 * directories built in a temporary directory; and this test process itself
 * read through /proc.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <linux/capability.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "caps.h"
#include "host.h"
#include "inspect.h"
#include "policy.h"
#include "rules.h"
#include "util.h"

#include "testutil.h"

/* ------------------------------------------------------------ /proc/net */

struct sock {
	const char *proto;
	const char *local;
	unsigned lport;
	const char *remote;
	unsigned rport;
	unsigned state;       /* 0x0A LISTEN, 0x01 ESTABLISHED, 0x07 CLOSE */
	bool listed;
	const char *shown;    /* the address inspect reports */
	bool any;
};

static const struct sock socks[] = {
	{ "tcp", "0.0.0.0", 80, "0.0.0.0", 0, 0x0A, true, "0.0.0.0", true },
	{ "tcp", "127.0.0.1", 8080, "0.0.0.0", 0, 0x0A, true, "127.0.0.1", false },
	{ "tcp", "10.0.0.2", 22, "10.0.0.9", 51000, 0x01, false, NULL, false },
	{ "tcp", "10.0.0.2", 22, "10.0.0.9", 51000, 0x06, false, NULL, false },
	{ "tcp6", "::", 8080, "::", 0, 0x0A, true, "::", true },
	{ "tcp6", "::1", 631, "::", 0, 0x0A, true, "::1", false },
	{ "tcp6", "::ffff:127.0.0.1", 9000, "::", 0, 0x0A, true, "::ffff:127.0.0.1", false },
	{ "tcp6", "fd00::5", 443, "fd00::9", 40000, 0x01, false, NULL, false },
	{ "udp", "0.0.0.0", 53, "0.0.0.0", 0, 0x07, true, "0.0.0.0", true },
	{ "udp", "192.168.1.4", 123, "0.0.0.0", 0, 0x07, true, "192.168.1.4", false },
	/* a connected UDP socket talks to one peer: not a listener */
	{ "udp", "10.0.0.2", 40001, "10.0.0.53", 53, 0x01, false, NULL, false },
	{ "udp6", "::", 5353, "::", 0, 0x07, true, "::", true },
	{ "udp6", "fe80::1", 546, "::", 0, 0x07, true, "fe80::1", false },
};

/* One line as net/ipv4/tcp_ipv4.c and net/ipv6/tcp_ipv6.c print it: each
 * 32-bit word of the address is the %08X of its value in memory. */
static void kernel_line(struct oh_buf *b, int sl, const struct sock *s,
			unsigned long inode)
{
	bool v6 = strchr(s->proto, '6') != NULL;
	unsigned char l[16], r[16];
	uint32_t w;

	inet_pton(v6 ? AF_INET6 : AF_INET, s->local, l);
	inet_pton(v6 ? AF_INET6 : AF_INET, s->remote, r);
	oh_buf_printf(b, "%4d: ", sl);
	for (int i = 0; i < (v6 ? 4 : 1); i++) {
		memcpy(&w, l + 4 * i, 4);
		oh_buf_printf(b, "%08X", w);
	}
	oh_buf_printf(b, ":%04X ", s->lport);
	for (int i = 0; i < (v6 ? 4 : 1); i++) {
		memcpy(&w, r + 4 * i, 4);
		oh_buf_printf(b, "%08X", w);
	}
	oh_buf_printf(b, ":%04X %02X 00000000:00000000 00:00000000 00000000  1000        0 %lu "
		      "1 0000000000000000 100 0 0 10 0\n", s->rport, s->state, inode);
}

static const char header[] =
	"  sl  local_address rem_address   st tx_queue rx_queue tr tm->when "
	"retrnsmt   uid  timeout inode\n";

static void test_parse_net_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(socks) / sizeof(socks[0]); i++) {
		const struct sock *s = &socks[i];
		struct oh_error err = { 0 };
		struct oh_buf b = { 0 };
		struct listener *ls = NULL;
		size_t n = 0;

		oh_buf_puts(&b, header);
		kernel_line(&b, 0, s, 4242 + i);
		if (inspect_parse_net(b.data, s->proto, &ls, &n, &err) < 0)
			fail_msg("%s %s: %s", s->proto, s->local, err.msg);
		if (n != (s->listed ? 1u : 0u))
			fail_msg("%s %s:%u state %02X: %zu listeners, want %d", s->proto,
				 s->local, s->lport, s->state, n, s->listed);
		if (s->listed) {
			assert_string_equal(ls[0].proto, s->proto);
			assert_string_equal(ls[0].address, s->shown);
			assert_int_equal(ls[0].port, s->lport);
			assert_int_equal(ls[0].any, s->any);
			assert_int_equal(ls[0].inode, 4242 + i);
			assert_int_equal(ls[0].pid, 0);
		}
		free(ls);
		oh_buf_free(&b);
	}
}

static void test_parse_net_appends_and_refuses_garbage(void **state)
{
	(void)state;
	struct oh_error err = { 0 };
	struct oh_buf b = { 0 };
	struct listener *ls = NULL;
	size_t n = 0;

	/* a header alone, and an empty file, have no sockets */
	assert_int_equal(inspect_parse_net(header, "tcp", &ls, &n, &err), 0);
	assert_int_equal(inspect_parse_net("", "tcp", &ls, &n, &err), 0);
	assert_int_equal(n, 0);
	/* several lines, appended to what is there */
	oh_buf_puts(&b, header);
	kernel_line(&b, 0, &socks[0], 1);
	kernel_line(&b, 1, &socks[2], 2);
	kernel_line(&b, 2, &socks[1], 3);
	assert_int_equal(inspect_parse_net(b.data, "tcp", &ls, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_int_equal(inspect_parse_net(b.data, "tcp", &ls, &n, &err), 0);
	assert_int_equal(n, 4);
	free(ls);
	ls = NULL;
	n = 0;
	oh_buf_free(&b);
	/* a line that is not a socket line is an error, not a silent skip */
	static const char *const bad[] = {
		"h\n   0: nonsense\n",
		"h\n   0: 0100007F:1F90 00000000:0000\n",
		/* a tcp6 line in the tcp table: the address length gives it away */
		"h\n   0: 00000000000000000000000000000000:1F90 00000000000000000000000000000000:0000 0A "
		"00000000:00000000 00:00000000 00000000     0        0 1 1\n",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (inspect_parse_net(bad[i], "tcp", &ls, &n, &err) == 0)
			fail_msg("accepted: %s", bad[i]);
		assert_non_null(strstr(err.msg, "/proc/net/tcp: cannot read the line"));
	}
	free(ls);
}

/* ------------------------------------------------- kernel-view rules */

#define CAP(n) (1ull << (n))
#define OK_CAPS (CAP(CAP_CHOWN) | CAP(CAP_KILL))
#define BASE_ALL ((1ull << CAPS_BASE_COUNT) - 1)


struct pv {
	int nnp, seccomp;
	uint64_t bnd, eff;
	unsigned uid;
	const char *label;
};

#define CONFINED { 1, 2, OK_CAPS, OK_CAPS, 1000, "" }

struct kcase {
	const char *name;
	struct pv procs[3];     /* a zero nnp-and-seccomp entry ends the list */
	size_t nprocs;
	const char *listen[3];  /* "tcp6 :: 8080" */
	enum host host;
	const char *policy;
	const char *annotation; /* "key=value" the container carries, or NULL */
	enum verdict verdict;
	const char *fires;
	const char *silent;
};

static const char *const never_on_kernel =
	" privileged masked-paths-removed host-namespaces writable-rootfs suid-files "
	"phone-home-tools package-manager compiler";

static const struct kcase kcases[] = {
	{ "confined, unprivileged, listening on loopback", { CONFINED }, 1,
	  { "tcp 127.0.0.1 8080" }, PLAIN, NULL, NULL, V_COMPLIANT, "",
	  "no-new-privileges seccomp-unconfined cap-all cap-not-allowed root-user "
	  "listening-all-interfaces apparmor-unconfined selinux-disabled" },
	{ "NoNewPrivs 0", { { 0, 2, OK_CAPS, OK_CAPS, 1000, "" } }, 1, { NULL }, PLAIN, NULL,
	  NULL, V_FIXABLE, "no-new-privileges", "seccomp-unconfined" },
	{ "Seccomp 0", { { 1, 0, OK_CAPS, OK_CAPS, 1000, "" } }, 1, { NULL }, PLAIN, NULL, NULL,
	  V_FIXABLE, "seccomp-unconfined", "no-new-privileges" },
	{ "Seccomp 1 (strict) is confined", { { 1, 1, OK_CAPS, OK_CAPS, 1000, "" } }, 1,
	  { NULL }, PLAIN, NULL, NULL, V_COMPLIANT, "", "seccomp-unconfined" },
	{ "all 38 base capabilities", { { 1, 2, BASE_ALL, BASE_ALL, 1000, "" } }, 1, { NULL },
	  PLAIN, NULL, NULL, V_DENIED, "cap-all cap-not-allowed", "" },
	{ "36 of 38 is still cap-all",
	  { { 1, 2, BASE_ALL & ~CAP(CAP_SYS_ADMIN) & ~CAP(CAP_SYS_RESOURCE), OK_CAPS, 1000, "" } },
	  1, { NULL }, PLAIN, NULL, NULL, V_DENIED, "cap-all", "" },
	{ "35 of 38 is not cap-all",
	  { { 1, 2, BASE_ALL & ~CAP(CAP_SYS_ADMIN) & ~CAP(CAP_SYS_RESOURCE) & ~CAP(CAP_BPF) &
		      ~CAP(CAP_AUDIT_READ), OK_CAPS, 1000, "" } },
	  1, { NULL }, PLAIN, NULL, NULL, V_FIXABLE, "cap-not-allowed", "cap-all" },
	{ "a runc exec process with CAP_SYS_ADMIN",
	  { CONFINED, { 1, 2, OK_CAPS | CAP(CAP_SYS_ADMIN), CAP(CAP_SYS_ADMIN), 1000, "" } }, 2,
	  { NULL }, PLAIN, NULL, NULL, V_FIXABLE, "cap-not-allowed", "cap-all no-new-privileges" },
	{ "a second process without no-new-privileges",
	  { CONFINED, { 0, 2, OK_CAPS, OK_CAPS, 1000, "" } }, 2, { NULL }, PLAIN, NULL, NULL,
	  V_FIXABLE, "no-new-privileges", "" },
	{ "the policy allows the capability", { { 1, 2, CAP(CAP_NET_RAW), 0, 1000, "" } }, 1,
	  { NULL }, PLAIN, "{\"capabilities\":{\"allowed\":[\"CAP_NET_RAW\"]}}", NULL, V_COMPLIANT,
	  "", "cap-not-allowed" },
	{ "uid 0 is a warning", { { 1, 2, OK_CAPS, OK_CAPS, 0, "" } }, 1, { NULL }, PLAIN, NULL,
	  NULL, V_COMPLIANT, "root-user", "" },
	{ "listening on every interface, IPv4 and IPv6", { CONFINED }, 1,
	  { "tcp 0.0.0.0 80", "udp6 :: 5353" }, PLAIN, NULL, NULL, V_COMPLIANT,
	  "listening-all-interfaces", "" },
	{ "listening on every interface, raised to deny by the policy", { CONFINED }, 1,
	  { "tcp6 :: 8080" }, PLAIN, "{\"rules\":{\"listening-all-interfaces\":\"deny\"}}", NULL,
	  V_DENIED, "listening-all-interfaces", "" },
	{ "AppArmor host, unconfined", { { 1, 2, OK_CAPS, OK_CAPS, 1000, "unconfined" } }, 1,
	  { NULL }, APPARMOR, NULL, NULL, V_FIXABLE, "apparmor-unconfined", "" },
	{ "AppArmor host, a profile in force",
	  { { 1, 2, OK_CAPS, OK_CAPS, 1000, "docker-default (enforce)" } }, 1, { NULL }, APPARMOR,
	  NULL, NULL, V_COMPLIANT, "", "apparmor-unconfined" },
	{ "no AppArmor on the host, no label", { CONFINED }, 1, { NULL }, PLAIN, NULL, NULL,
	  V_COMPLIANT, "", "apparmor-unconfined" },
	{ "SELinux host, spc_t", { { 1, 2, OK_CAPS, OK_CAPS, 1000, "system_u:system_r:spc_t:s0" } },
	  1, { NULL }, SELINUX, NULL, NULL, V_COMPLIANT, "selinux-disabled", "" },
	{ "SELinux host, container_t",
	  { { 1, 2, OK_CAPS, OK_CAPS, 1000, "system_u:system_r:container_t:s0:c1,c2" } }, 1,
	  { NULL }, SELINUX, NULL, NULL, V_COMPLIANT, "", "selinux-disabled" },
	{ "policy: no-new-privileges off", { { 0, 2, OK_CAPS, OK_CAPS, 1000, "" } }, 1, { NULL },
	  PLAIN, "{\"rules\":{\"no-new-privileges\":\"off\"}}", NULL, V_COMPLIANT, "",
	  "no-new-privileges" },
	{ "policy: exempted by the container's annotation",
	  { { 0, 2, OK_CAPS, OK_CAPS, 1000, "" } }, 1, { NULL }, PLAIN,
	  "{\"exemptions\":[{\"annotations\":{\"team\":\"infra\"},\"rules\":[\"no-new-privileges\"]}]}",
	  "team=infra", V_COMPLIANT, "", "no-new-privileges" },
	{ "policy: the exemption needs the annotation",
	  { { 0, 2, OK_CAPS, OK_CAPS, 1000, "" } }, 1, { NULL }, PLAIN,
	  "{\"exemptions\":[{\"annotations\":{\"team\":\"infra\"},\"rules\":[\"no-new-privileges\"]}]}",
	  "team=web", V_FIXABLE, "no-new-privileges", "" },
};

static void expect_ids(const char *name, const struct decision *d, const char *list,
		       bool want)
{
	char buf[512];

	snprintf(buf, sizeof(buf), "%s", list);
	for (char *save, *t = strtok_r(buf, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
		if (rule_by_id(t) < 0)
			fail_msg("%s: unknown rule %s in the table", name, t);
		if (fired(d, t) != want)
			fail_msg("%s: %s %s", name, t, want ? "did not fire" : "fired");
	}
}

static void add_listener(struct kernel_view *k, const char *spec)
{
	char proto[sizeof(((struct listener *)0)->proto)], addr[INET6_ADDRSTRLEN];
	unsigned port;
	unsigned char bytes[16] = { 0 };

	assert_int_equal(sscanf(spec, "%4s %45s %u", proto, addr, &port), 3);
	k->listening = xrealloc(k->listening, (k->nlistening + 1) * sizeof(*k->listening));
	struct listener *l = &k->listening[k->nlistening++];
	memset(l, 0, sizeof(*l));
	snprintf(l->proto, sizeof(l->proto), "%s", proto);
	snprintf(l->address, sizeof(l->address), "%s", addr);
	l->port = port;
	inet_pton(strchr(addr, ':') ? AF_INET6 : AF_INET, addr, bytes);
	l->any = true;
	for (int i = 0; i < 16; i++)
		l->any = l->any && bytes[i] == 0;
}

/* A spec with only annotations, as inspect builds one from runc's labels. */
static void with_annotation(const char *kv, struct spec *s)
{
	struct oh_error err = { 0 };
	char json[256];
	const char *eq = strchr(kv, '=');

	snprintf(json, sizeof(json), "{\"annotations\":{\"%.*s\":\"%s\"}}", (int)(eq - kv), kv,
		 eq + 1);
	char *buf = xstrdup(json);
	if (spec_parse(buf, strlen(buf), "state", s, &err) < 0)
		fail_msg("%s", err.msg);
}

static void test_kernel_rules_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(kcases) / sizeof(kcases[0]); i++) {
		const struct kcase *c = &kcases[i];
		struct oh_error err = { 0 };
		struct kernel_view k = { 0 };
		struct decision d;
		struct policy *p;
		struct spec ann, *annp = NULL;

		set_host(c->host);
		if (c->policy) {
			char *pb = xstrdup(c->policy);
			if (policy_parse(pb, strlen(pb), "policy", &p, &err) < 0)
				fail_msg("%s: policy: %s", c->name, err.msg);
		} else {
			p = policy_defaults();
		}
		k.procs = xcalloc(c->nprocs, sizeof(*k.procs));
		k.nprocs = c->nprocs;
		for (size_t j = 0; j < c->nprocs; j++) {
			struct procview *v = &k.procs[j].v;
			k.procs[j].pid = (pid_t)(100 + j);
			snprintf(v->comm, sizeof(v->comm), "proc%zu", j);
			v->nnp = c->procs[j].nnp;
			v->seccomp = c->procs[j].seccomp;
			v->seccomp_filters = v->seccomp == 2 ? 1 : 0;
			v->cap_bnd = c->procs[j].bnd;
			v->cap_eff = v->cap_prm = c->procs[j].eff;
			v->uid = c->procs[j].uid;
			snprintf(v->label, sizeof(v->label), "%s", c->procs[j].label);
		}
		for (size_t j = 0; j < 3 && c->listen[j]; j++)
			add_listener(&k, c->listen[j]);
		if (c->annotation) {
			with_annotation(c->annotation, &ann);
			annp = &ann;
		}
		assert_int_equal(rules_evaluate_kernel(&k, annp, p, host_facts(), &d, &err), 0);
		if (d.verdict != c->verdict)
			fail_msg("%s: verdict %s, want %s", c->name, verdict_name(d.verdict),
				 verdict_name(c->verdict));
		expect_ids(c->name, &d, c->fires, true);
		expect_ids(c->name, &d, c->silent, false);
		expect_ids(c->name, &d, never_on_kernel, false);
		if (c->annotation && strcmp(c->annotation, "team=infra") == 0)
			assert_true(d.exempted & RULE_BIT(R_NO_NEW_PRIVILEGES));
		decision_free(&d);
		kernel_view_free(&k);
		if (annp)
			spec_free(annp);
		policy_free(p);
	}
}

static void test_kernel_messages_name_processes(void **state)
{
	(void)state;
	struct oh_error err = { 0 };
	struct policy *p = policy_defaults();
	struct kernel_proc procs[2] = { { .pid = 7 }, { .pid = 9 } };
	struct listener l = { .proto = "tcp6", .address = "::", .any = true, .port = 8080,
			      .pid = 9, .process = "nc" };
	struct kernel_view k = { .procs = procs, .nprocs = 2, .listening = &l, .nlistening = 1 };
	struct decision d;

	set_host(PLAIN);
	snprintf(procs[0].v.comm, sizeof(procs[0].v.comm), "sh");
	snprintf(procs[1].v.comm, sizeof(procs[1].v.comm), "nc");
	procs[1].v.cap_eff = CAP(CAP_SYS_ADMIN) | CAP(CAP_NET_RAW);
	assert_int_equal(rules_evaluate_kernel(&k, NULL, p, host_facts(), &d, &err), 0);
	for (size_t i = 0; i < d.nfindings; i++) {
		const struct finding *f = &d.findings[i];
		const char *want = NULL;
		switch (f->rule) {
		case R_NO_NEW_PRIVILEGES:
			want = "processes 7 (sh), 9 (nc) run without no-new-privileges";
			break;
		case R_CAP_NOT_ALLOWED:
			want = "2 capabilities that are not in the allowlist: CAP_NET_RAW, "
			       "CAP_SYS_ADMIN (in effective)";
			break;
		case R_LISTENING_ALL_INTERFACES:
			want = "1 socket listens on every interface: tcp6 [::]:8080 (nc, pid 9)";
			break;
		default:
			continue;
		}
		if (strstr(f->message, want) == NULL)
			fail_msg("%s: \"%s\" lacks \"%s\"", rule_table[f->rule].id, f->message, want);
	}
	assert_true(fired(&d, "listening-all-interfaces"));
	decision_free(&d);
	policy_free(p);
}

/*
 * What only the verifier (verify.h) reads: the capabilities the config
 * grants, and the strength of the filters the kernel holds.  A kernel view
 * without them (inspect's) is judged as before.
 */
static void test_kernel_against_the_verifier_s_readings(void **state)
{
	(void)state;
	struct oh_error err = { 0 };
	struct policy *p = policy_defaults();
	struct kernel_proc proc = { .pid = 7 };
	struct kernel_view k = { .procs = &proc, .nprocs = 1 };
	struct decision d;

	set_host(PLAIN);
	snprintf(proc.v.comm, sizeof(proc.v.comm), "sh");
	proc.v.nnp = true;
	proc.v.seccomp = 2;
	proc.v.uid = 1000;
	/* CAP_CHOWN is in the allowlist */
	proc.v.cap_bnd = proc.v.cap_eff = proc.v.cap_prm = OK_CAPS;
	assert_int_equal(rules_evaluate_kernel(&k, NULL, p, host_facts(), &d, &err), 0);
	assert_int_equal(d.verdict, V_COMPLIANT);
	decision_free(&d);

	/* the config grants CAP_KILL only */
	k.granted_known = true;
	k.granted = CAP(CAP_KILL);
	assert_int_equal(rules_evaluate_kernel(&k, NULL, p, host_facts(), &d, &err), 0);
	assert_int_equal(d.verdict, V_FIXABLE);
	assert_true(fired(&d, "cap-not-allowed"));
	assert_false(fired(&d, "seccomp-unconfined"));
	for (size_t i = 0; i < d.nfindings; i++)
		if (d.findings[i].rule == R_CAP_NOT_ALLOWED)
			assert_non_null(strstr(d.findings[i].message, "the kernel shows CAP_CHOWN (in "
					       "bounding, effective, permitted), which the container's "
					       "config does not grant"));
	decision_free(&d);

	/* granted, and a filter that lets bpf through */
	k.granted = OK_CAPS;
	proc.v.filters_read = true;
	proc.v.filters_confining = false;
	snprintf(proc.v.filters_allow, sizeof(proc.v.filters_allow), "bpf, kexec_load");
	assert_int_equal(rules_evaluate_kernel(&k, NULL, p, host_facts(), &d, &err), 0);
	assert_int_equal(d.verdict, V_FIXABLE);
	assert_false(fired(&d, "cap-not-allowed"));
	assert_true(fired(&d, "seccomp-unconfined"));
	assert_non_null(strstr(d.findings[0].message, "process 7 (sh) runs under seccomp filters "
			       "that only look confining: they let through bpf, kexec_load"));
	decision_free(&d);

	/* a confining filter */
	proc.v.filters_confining = true;
	assert_int_equal(rules_evaluate_kernel(&k, NULL, p, host_facts(), &d, &err), 0);
	assert_int_equal(d.verdict, V_COMPLIANT);
	decision_free(&d);
	policy_free(p);
}

/* ------------------------------------------------------- runc's state */

static unsigned long long own_start_time(void)
{
	struct oh_error err = { 0 };
	char *buf;
	size_t len;
	unsigned long long t = 0;

	if (oh_read_file("/proc/self/stat", 4096, &buf, &len, &err) < 0)
		fail_msg("%s", err.msg);
	const char *p = strrchr(buf, ')');
	for (int field = 2; p && field < 22; field++)
		p = strchr(p + 1, ' ');
	assert_non_null(p);
	t = strtoull(p + 1, NULL, 10);
	free(buf);
	return t;
}

static void put_state(const char *root, const char *id, long pid,
		      unsigned long long start, const char *labels)
{
	cleanup_free char *dir = oh_path_join(root, id);
	cleanup_free char *file = oh_path_join(dir, "state.json");
	cleanup_free char *json = xasprintf(
		"{\"id\":\"%s\",\"init_process_pid\":%ld,\"init_process_start\":%llu,"
		"\"config\":{\"labels\":%s,\"rootfs\":\"/x\"}}", id, pid, start, labels);
	FILE *f;

	mkdir(dir, 0700);
	f = fopen(file, "w");
	assert_non_null(f);
	fputs(json, f);
	fclose(f);
}

static void test_runc_state(void **state)
{
	(void)state;
	char root[] = "/tmp/oh-test-runc-XXXXXX";
	struct oh_error err = { 0 };
	struct runc_state st;
	unsigned long long start = own_start_time();
	char **ids;
	size_t n;

	assert_non_null(mkdtemp(root));
	put_state(root, "web-1", (long)getpid(), start,
		  "[\"team=infra\",\"app=a=b\",\"bundle=/srv/web\",\"team=other\"]");
	put_state(root, "old", (long)getpid(), start + 1, "[]");
	put_state(root, "123", (long)getpid(), start, "[]");

	assert_int_equal(runc_state_read(root, "web-1", &st, &err), 0);
	assert_int_equal(st.pid, getpid());
	assert_true(st.running);
	assert_false(st.created);
	struct spec ann = { .annotations = st.annotations };
	/* the first of a key wins: runc lists annotations before its own labels */
	assert_string_equal(spec_annotation(&ann, "team"), "infra");
	assert_string_equal(spec_annotation(&ann, "app"), "a=b");
	assert_string_equal(spec_annotation(&ann, "bundle"), "/srv/web");
	runc_state_free(&st);

	/* exec.fifo exists between runc create and runc start */
	cleanup_free char *fifo = xasprintf("%s/web-1/exec.fifo", root);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	assert_int_equal(runc_state_read(root, "web-1", &st, &err), 0);
	assert_true(st.created);
	runc_state_free(&st);

	/* the pid now names another process (another start time): stopped */
	assert_int_equal(runc_state_read(root, "old", &st, &err), 0);
	assert_false(st.running);
	runc_state_free(&st);

	static const char *const missing[] = { "nope", "../etc", ".", "a/b", "" };
	for (size_t i = 0; i < sizeof(missing) / sizeof(missing[0]); i++) {
		assert_int_equal(runc_state_read(root, missing[i], &st, &err), -1);
		assert_int_equal(err.errnum, ENOENT);
	}
	/* a symlinked container directory is not followed */
	cleanup_free char *link = oh_path_join(root, "linked");
	cleanup_free char *target = oh_path_join(root, "web-1");
	assert_int_equal(symlink(target, link), 0);
	assert_int_equal(runc_state_read(root, "linked", &st, &err), -1);
	assert_int_equal(err.errnum, ENOENT);

	/* a state file without the pid is an error naming the file */
	put_state(root, "broken", 0, 0, "[]");
	assert_int_equal(runc_state_read(root, "broken", &st, &err), -1);
	assert_non_null(strstr(err.msg, "broken/state.json: no init_process_pid"));

	/* --all: sorted, directories with a state file, no symlinks */
	cleanup_free char *empty = oh_path_join(root, "empty");
	assert_int_equal(mkdir(empty, 0700), 0);
	assert_int_equal(runc_list(root, &ids, &n, &err), 0);
	const char *want[] = { "123", "broken", "old", "web-1" };
	assert_int_equal(n, 4);
	for (size_t i = 0; i < n; i++) {
		assert_string_equal(ids[i], want[i]);
		free(ids[i]);
	}
	free(ids);
	/* an absent root lists nothing */
	assert_int_equal(runc_list("/nonexistent/runc", &ids, &n, &err), 0);
	assert_int_equal(n, 0);

	cleanup_free char *cmd = xasprintf("rm -rf '%s'", root);
	assert_int_equal(system(cmd), 0);
}

/* ----------------------------------------------- this process via /proc */

static void test_inspect_self(void **state)
{
	(void)state;
	struct oh_error err = { 0 };
	struct kernel_view k;
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct sockaddr_in any = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	int t = socket(AF_INET, SOCK_STREAM, 0), u = socket(AF_INET, SOCK_DGRAM, 0);
	bool tcp_seen = false, udp_seen = false;

	assert_true(t >= 0 && u >= 0);
	assert_int_equal(bind(t, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(t, 1), 0);
	assert_int_equal(getsockname(t, (struct sockaddr *)&a, &len), 0);
	assert_int_equal(bind(u, (struct sockaddr *)&any, sizeof(any)), 0);
	len = sizeof(any);
	assert_int_equal(getsockname(u, (struct sockaddr *)&any, &len), 0);

	assert_int_equal(inspect_pid(getpid(), false, &k, &err), 0);
	assert_int_equal(k.nprocs, 1);
	assert_int_equal(k.procs[0].pid, getpid());
	assert_string_equal(k.procs[0].v.comm, "test_inspect");
	for (size_t i = 0; i < k.nlistening; i++) {
		const struct listener *l = &k.listening[i];
		if (strcmp(l->proto, "tcp") == 0 && l->port == ntohs(a.sin_port) &&
		    strcmp(l->address, "127.0.0.1") == 0) {
			tcp_seen = true;
			assert_false(l->any);
			/* the owner is found through our own fd table */
			assert_int_equal(l->pid, getpid());
			assert_string_equal(l->process, "test_inspect");
		}
		if (strcmp(l->proto, "udp") == 0 && l->port == ntohs(any.sin_port)) {
			udp_seen = true;
			assert_true(l->any);
			assert_int_equal(l->pid, getpid());
		}
	}
	assert_true(tcp_seen);
	assert_true(udp_seen);
	kernel_view_free(&k);
	close(t);
	close(u);

	/* a pid that does not exist */
	assert_int_equal(inspect_pid(0x3ffffff0, false, &k, &err), -1);
	assert_int_equal(err.errnum, ESRCH);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_net_table),
		cmocka_unit_test(test_parse_net_appends_and_refuses_garbage),
		cmocka_unit_test(test_kernel_rules_table),
		cmocka_unit_test(test_kernel_messages_name_processes),
		cmocka_unit_test(test_kernel_against_the_verifier_s_readings),
		cmocka_unit_test(test_runc_state),
		cmocka_unit_test(test_inspect_self),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
