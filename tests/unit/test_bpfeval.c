/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The classic-BPF evaluator: against hand-built programs, against runc's
 * -ENOSYS stub, and against the kernel itself (as systemd's seccomp tests
 * do): a filter is loaded in a forked child, which makes each call of a
 * table and reports the errno; the evaluator must have said the same.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bpf.h"
#include "bpfeval.h"
#include "caps.h"
#include "host.h"
#include "json.h"
#include "ohseccomp.h"
#include "scmodel.h"
#include "scstrength.h"
#include "util.h"

#include "testutil.h"

#define ST(code, k) { (unsigned short)(code), 0, 0, (k) }
#define JMP(code, k, jt, jf) { (unsigned short)(code), (jt), (jf), (k) }
#define OFF_NR offsetof(struct seccomp_data, nr)
#define OFF_ARCH offsetof(struct seccomp_data, arch)
#define OFF_ARG0_LO offsetof(struct seccomp_data, args[0])
#define OFF_ARG0_HI (offsetof(struct seccomp_data, args[0]) + 4)

/* ------------------------------------------------ hand-built programs */

static const struct sock_filter p_ret[] = { ST(BPF_RET | BPF_K, SECCOMP_RET_ALLOW) };
/* nr == 39 ? ERRNO(5) : ALLOW */
static const struct sock_filter p_nr[] = {
	ST(BPF_LD | BPF_W | BPF_ABS, OFF_NR),
	JMP(BPF_JMP | BPF_JEQ | BPF_K, 39, 0, 1),
	ST(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 5),
	ST(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
};
/* the arch, then arg0's high word and a mask on its low word */
static const struct sock_filter p_args[] = {
	ST(BPF_LD | BPF_W | BPF_ABS, OFF_ARCH),
	JMP(BPF_JMP | BPF_JEQ | BPF_K, 0xc000003e, 1, 0),
	ST(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
	ST(BPF_LD | BPF_W | BPF_ABS, OFF_ARG0_HI),
	JMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 1, 0),
	ST(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 1),
	ST(BPF_LD | BPF_W | BPF_ABS, OFF_ARG0_LO),
	JMP(BPF_JMP | BPF_JSET | BPF_K, 0x10000000, 0, 1),
	ST(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 2),
	ST(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
};
/* scratch memory, X, ALU: returns ERRNO(((nr + 3) << 2) & 0xff) via A */
static const struct sock_filter p_alu[] = {
	ST(BPF_LD | BPF_W | BPF_ABS, OFF_NR),
	ST(BPF_ST, 3),
	ST(BPF_LDX | BPF_IMM, 3),
	ST(BPF_LD | BPF_MEM, 3),
	ST(BPF_ALU | BPF_ADD | BPF_X, 0),
	ST(BPF_ALU | BPF_LSH | BPF_K, 2),
	ST(BPF_ALU | BPF_AND | BPF_K, 0xff),
	ST(BPF_MISC | BPF_TAX, 0),
	ST(BPF_LD | BPF_IMM, SECCOMP_RET_ERRNO),
	ST(BPF_ALU | BPF_OR | BPF_X, 0),
	ST(BPF_RET | BPF_A, 0),
};
/* X compared: nr >= X (100) */
static const struct sock_filter p_jx[] = {
	ST(BPF_LDX | BPF_IMM, 100),
	ST(BPF_LD | BPF_W | BPF_ABS, OFF_NR),
	JMP(BPF_JMP | BPF_JGE | BPF_X, 0, 0, 1),
	ST(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 38),
	JMP(BPF_JMP | BPF_JA, 0, 0, 0),
	ST(BPF_RET | BPF_K, SECCOMP_RET_TRAP),
};
/* division by zero ends the program with 0: kill */
static const struct sock_filter p_div0[] = {
	ST(BPF_LD | BPF_IMM, 7),
	ST(BPF_LDX | BPF_IMM, 0),
	ST(BPF_ALU | BPF_DIV | BPF_X, 0),
	ST(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
};
static const struct sock_filter p_oob_load[] = {
	ST(BPF_LD | BPF_W | BPF_ABS, 64),
	ST(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
};
static const struct sock_filter p_unaligned[] = {
	ST(BPF_LD | BPF_W | BPF_ABS, 2),
	ST(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
};
static const struct sock_filter p_oob_jump[] = {
	JMP(BPF_JMP | BPF_JA, 5, 0, 0),
	ST(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
};
static const struct sock_filter p_noret[] = { ST(BPF_LD | BPF_IMM, 1) };

#define PROG(p) p, sizeof(p) / sizeof(p[0])

static const struct hand_case {
	const char *what;
	const struct sock_filter *prog;
	size_t len;
	int nr;
	uint64_t arg0;
	int rc;
	uint32_t want;
} hand[] = {
	{ "a lone return", PROG(p_ret), 0, 0, 0, SECCOMP_RET_ALLOW },
	{ "the number matches", PROG(p_nr), 39, 0, 0, SECCOMP_RET_ERRNO | 5 },
	{ "the number does not", PROG(p_nr), 40, 0, 0, SECCOMP_RET_ALLOW },
	{ "arg0 within 32 bits, flag clear", PROG(p_args), 1, 0x11, 0, SECCOMP_RET_ALLOW },
	{ "arg0 with the flag", PROG(p_args), 1, 0x10000011, 0, SECCOMP_RET_ERRNO | 2 },
	{ "arg0 above 32 bits", PROG(p_args), 1, 0x100000000ull, 0, SECCOMP_RET_ERRNO | 1 },
	{ "memory, X and the ALU", PROG(p_alu), 5, 0, 0, SECCOMP_RET_ERRNO | 32 },
	{ "jump on X, taken", PROG(p_jx), 100, 0, 0, SECCOMP_RET_ERRNO | 38 },
	{ "jump on X, not taken, then always", PROG(p_jx), 99, 0, 0, SECCOMP_RET_TRAP },
	{ "division by zero kills", PROG(p_div0), 0, 0, 0, 0 },
	{ "a load beyond seccomp_data", PROG(p_oob_load), 0, 0, -1, 0 },
	{ "an unaligned load", PROG(p_unaligned), 0, 0, -1, 0 },
	{ "a jump out of the program", PROG(p_oob_jump), 0, 0, -1, 0 },
	{ "no return", PROG(p_noret), 0, 0, -1, 0 },
};

static void test_hand_built(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(hand) / sizeof(hand[0]); i++) {
		const struct hand_case *c = &hand[i];
		struct seccomp_data d = { .nr = c->nr, .arch = 0xc000003e, .args = { c->arg0 } };
		struct oh_error err = { 0 };
		uint32_t ret = 0xdead;

		int rc = oh_bpf_run(c->prog, c->len, &d, &ret, &err);
		if (rc != c->rc || (rc == 0 && ret != c->want))
			fail_msg("%s: rc %d ret %#x, want %d %#x (%s)", c->what, rc, ret,
				 c->rc, c->want, err.msg);
	}
}

/* ------------------------------------------- libseccomp's own programs */

/* An OCI profile decoded and compiled for the native architecture. */
static void compile(const char *text, struct oh_sc_profile *m, struct jdoc **doc,
		    struct oh_bpf_prog *prog)
{
	struct oh_error err = { 0 };
	char *buf = unquote(text);
	size_t insns;

	if (json_parse(buf, strlen(buf), "test", doc, &err) < 0 ||
	    oh_seccomp_decode(json_root(*doc), false, "test", m, &err) < 0)
		fail_msg("%s: %s", text, err.msg);
	if (bpf_compile_prog(m, NULL, 0, &insns, prog, NULL, NULL, &err) != 0)
		fail_msg("%s: does not compile: %s", text, err.msg);
}

/* The errno the call gets in a child under prog (0: it succeeded). */
static int errno_under(const struct oh_bpf_prog *prog, long nr, long a0, long a1, long a2)
{
	int fds[2];
	pid_t pid;
	int got = -1, status;

	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct sock_fprog fp = { .len = (unsigned short)prog->len, .filter = prog->insns };
		int e = 0;
		/* Whatever goes wrong under the filter ends the child, never
		 * wedges it: no test framework handler, and a time limit. */
		signal(SIGABRT, SIG_DFL);
		signal(SIGSEGV, SIG_DFL);
		alarm(10);
		close(fds[0]);
		if (prog->insns != NULL &&
		    (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
		     syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fp) != 0))
			e = -1000 - errno;
		else if (syscall(nr, a0, a1, a2) < 0)
			e = errno;
		if (write(fds[1], &e, sizeof(e)) != sizeof(e))
			_exit(2);
		_exit(0);
	}
	close(fds[1]);
	if (read(fds[0], &got, sizeof(got)) != sizeof(got))
		got = -2000;
	close(fds[0]);
	waitpid(pid, &status, 0);
	return got;
}

#define P_ARGS                                                                  \
	"{'defaultAction':'SCMP_ACT_ERRNO','defaultErrnoRet':77,'syscalls':["   \
	"{'names':['dup','close','fchdir','fcntl','write','exit','exit_group'],'action':'SCMP_ACT_ALLOW'},"   \
	"{'names':['socket'],'action':'SCMP_ACT_ERRNO','errnoRet':88,'args':[{'index':0,'value':40,'op':'SCMP_CMP_EQ'}]}," \
	"{'names':['socket'],'action':'SCMP_ACT_ALLOW','args':[{'index':0,'value':40,'op':'SCMP_CMP_NE'}]}," \
	"{'names':['lseek'],'action':'SCMP_ACT_ERRNO','errnoRet':66,'args':[{'index':2,'value':4,'valueTwo':4,'op':'SCMP_CMP_MASKED_EQ'}]}," \
	"{'names':['lseek'],'action':'SCMP_ACT_ALLOW'}]}"
#define P_ALLOW                                                                 \
	"{'defaultAction':'SCMP_ACT_ALLOW','syscalls':["                          \
	"{'names':['fchdir'],'action':'SCMP_ACT_ERRNO','errnoRet':55},"           \
	"{'names':['dup','dup3'],'action':'SCMP_ACT_ERRNO'}]}"

static const struct kernel_case {
	const char *profile;
	long nr, a0, a1, a2;
} kernel[] = {
	{ P_ARGS, SYS_dup, -1, 0, 0 },
	{ P_ARGS, SYS_close, -1, 0, 0 },
	{ P_ARGS, SYS_fchdir, -1, 0, 0 },
	{ P_ARGS, SYS_fcntl, -1, 1, 0 },
	{ P_ARGS, SYS_socket, 40, 99, 0 },
	{ P_ARGS, SYS_socket, 2, 99, 0 },
	{ P_ARGS, SYS_lseek, -1, 0, 4 },
	{ P_ARGS, SYS_lseek, -1, 0, 3 },
	{ P_ARGS, SYS_getcwd, 0, 0, 0 },
	{ P_ARGS, SYS_dup3, -1, -1, 0 },
	{ P_ALLOW, SYS_fchdir, -1, 0, 0 },
	{ P_ALLOW, SYS_dup, -1, 0, 0 },
	{ P_ALLOW, SYS_dup3, -1, -1, 0 },
	{ P_ALLOW, SYS_close, -1, 0, 0 },
	/* a number no kernel has */
	{ P_ARGS, 4000, 0, 0, 0 },
	{ P_ALLOW, 4000, 0, 0, 0 },
};

/*
 * A sanitizer's runtime makes system calls of its own (sigaltstack, mmap)
 * in the child under the test filter, which refuses them: under ASan the
 * child wedges in its error path.  The comparison with the kernel is made
 * in the plain build; the evaluator's own cases run in every build.
 */
#if defined(__SANITIZE_ADDRESS__)
#define OH_UNDER_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define OH_UNDER_SANITIZER 1
#endif
#endif

static void test_agrees_with_the_kernel(void **state)
{
#ifdef OH_UNDER_SANITIZER
	(void)state;
	skip();
#endif
	(void)state;
	if (seccomp_arch_native() != SCMP_ARCH_X86_64)
		skip();
	for (size_t i = 0; i < sizeof(kernel) / sizeof(kernel[0]); i++) {
		const struct kernel_case *c = &kernel[i];
		struct oh_sc_profile m;
		struct jdoc *doc;
		struct oh_bpf_prog prog = { 0 }, none = { 0 };
		struct oh_error err = { 0 };
		uint32_t ret;

		compile(c->profile, &m, &doc, &prog);
		struct seccomp_data d = { .nr = (int)c->nr, .arch = AUDIT_ARCH_X86_64,
					  .args = { (uint64_t)c->a0, (uint64_t)c->a1, (uint64_t)c->a2 } };
		assert_int_equal(oh_bpf_run(prog.insns, prog.len, &d, &ret, &err), 0);
		int got = errno_under(&prog, c->nr, c->a0, c->a1, c->a2);
		int want;
		if ((ret & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_ERRNO)
			want = (int)(ret & SECCOMP_RET_DATA);
		else if (ret == SECCOMP_RET_ALLOW)
			want = errno_under(&none, c->nr, c->a0, c->a1, c->a2);
		else
			fail_msg("case %zu: the evaluator says %#x", i, ret);
		if (got != want)
			fail_msg("case %zu (nr %ld): the kernel gave errno %d, the evaluator "
				 "says %#x (errno %d)", i, c->nr, got, ret, want);
		oh_bpf_prog_free(&prog);
		oh_sc_profile_free(&m);
		json_free(doc);
	}
}

/* ------------------------------------------------- runc's -ENOSYS stub */

static const struct stub_case {
	const char *what;
	const char *profile;
	const char *call;
	bool stub;              /* the stub answers ENOSYS */
} stubs[] = {
	{ "a call above every number the profile names",
	  "{'defaultAction':'SCMP_ACT_ERRNO','architectures':['SCMP_ARCH_X86_64'],"
	  "'syscalls':[{'names':['read','write'],'action':'SCMP_ACT_ALLOW'}]}", "close", true },
	{ "a call below the highest falls to the filter",
	  "{'defaultAction':'SCMP_ACT_ERRNO','architectures':['SCMP_ARCH_X86_64'],"
	  "'syscalls':[{'names':['read','close'],'action':'SCMP_ACT_ALLOW'}]}", "write", false },
	{ "mseal (unknown to libseccomp) under an EPERM default",
	  "{'defaultAction':'SCMP_ACT_ERRNO','architectures':['SCMP_ARCH_X86_64'],"
	  "'syscalls':[{'names':['read','futex_requeue','mseal'],'action':'SCMP_ACT_ALLOW'}]}", "mseal", true },
	{ "no stub when the default already returns ENOSYS",
	  "{'defaultAction':'SCMP_ACT_ERRNO','defaultErrnoRet':38,'architectures':['SCMP_ARCH_X86_64'],"
	  "'syscalls':[{'names':['read'],'action':'SCMP_ACT_ALLOW'}]}", "close", false },
	{ "no stub when the default allows",
	  "{'defaultAction':'SCMP_ACT_ALLOW','architectures':['SCMP_ARCH_X86_64'],"
	  "'syscalls':[{'names':['read'],'action':'SCMP_ACT_ERRNO'}]}", "close", false },
	{ "no stub for a tracer either",
	  "{'defaultAction':'SCMP_ACT_TRACE','architectures':['SCMP_ARCH_X86_64'],"
	  "'syscalls':[{'names':['read'],'action':'SCMP_ACT_ALLOW'}]}", "close", false },
	{ "no stub without architectures: runc 1.1 looks only at the listed ones",
	  "{'defaultAction':'SCMP_ACT_ERRNO','syscalls':[{'names':['read'],'action':'SCMP_ACT_ALLOW'}]}",
	  "close", false },
};

static void test_runc_stub(void **state)
{
	(void)state;
	const struct oh_sc_arch *x86_64 = oh_sc_arch_by_name("SCMP_ARCH_X86_64");
	for (size_t i = 0; i < sizeof(stubs) / sizeof(stubs[0]); i++) {
		const struct stub_case *c = &stubs[i];
		struct oh_sc_profile m;
		struct jdoc *doc;
		struct oh_error err = { 0 };
		char *buf = unquote(c->profile);
		uint32_t ret = 0;
		int nr, hi;

		assert_int_equal(json_parse(buf, strlen(buf), "test", &doc, &err), 0);
		assert_int_equal(oh_seccomp_decode(json_root(doc), false, "test", &m, &err), 0);
		assert_int_equal(oh_sc_syscall_nr(x86_64, c->call, &nr, NULL), 0);
		struct seccomp_data d = { .nr = nr, .arch = x86_64->audit };
		bool got = oh_runc_enosys(&m, &d, &ret, &hi);
		if (got != c->stub || (got && ret != (SECCOMP_RET_ERRNO | ENOSYS)))
			fail_msg("%s: stub %d ret %#x, want %d", c->what, got, ret, c->stub);
		oh_sc_profile_free(&m);
		json_free(doc);
	}
}

/* Numbers for calls the running libseccomp may not know. */
/*
 * The strength of filters as the kernel holds them (what the verifier reads
 * from a restored process): every filter runs and the most restrictive
 * answer wins, so a must-block call counts as let through only when every
 * filter allows it.
 */
static void test_filters_strength(void **state)
{
	(void)state;
	struct oh_error err = { 0 };
	struct oh_sc_profile weak_m, strong_m;
	struct jdoc *weak_doc, *strong_doc;
	struct oh_bpf_prog both[2];
	struct oh_sc_strength st;
	char list[512];

	compile("{'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['mkdir'],"
		"'action':'SCMP_ACT_ERRNO'}]}", &weak_m, &weak_doc, &both[0]);
	compile("{'defaultAction':'SCMP_ACT_ERRNO','syscalls':[{'names':['read','write',"
		"'exit_group'],'action':'SCMP_ACT_ALLOW'}]}", &strong_m, &strong_doc, &both[1]);

	/* only looks confining: it refuses mkdir, lets bpf and the rest through */
	assert_int_equal(oh_sc_filters_strength(&both[0], 1, 0, host_facts(), &st, &err), 0);
	assert_false(st.confining);
	oh_sc_strength_list(&st, list, sizeof(list));
	assert_non_null(strstr(list, "bpf"));
	assert_non_null(strstr(list, "kexec_load"));
	/* a bounding set holding CAP_SYS_ADMIN: engines allow bpf then */
	uint64_t admin = 1ull << caps_from_exact("CAP_SYS_ADMIN");
	assert_int_equal(oh_sc_filters_strength(&both[0], 1, admin, host_facts(), &st, &err), 0);
	oh_sc_strength_list(&st, list, sizeof(list));
	assert_null(strstr(list, "bpf"));
	assert_non_null(strstr(list, "kexec_load"));
	/* deny by default */
	assert_int_equal(oh_sc_filters_strength(&both[1], 1, 0, host_facts(), &st, &err), 0);
	assert_true(st.confining);
	/* the weak one stacked on the strong one: the strong one decides */
	assert_int_equal(oh_sc_filters_strength(both, 2, 0, host_facts(), &st, &err), 0);
	assert_true(st.confining);
	/* no filter confines nothing */
	assert_int_equal(oh_sc_filters_strength(both, 0, 0, host_facts(), &st, &err), 0);
	assert_false(st.confining);

	/* Calls sent to a listener: it may answer "continue", so read from
	 * the kernel they are let through, and the list says why.  Stacked
	 * on a filter that refuses them, the refusal wins (it ranks above
	 * USER_NOTIF). */
	struct oh_sc_profile notify_m;
	struct jdoc *notify_doc;
	struct oh_bpf_prog notify[2];
	compile("{'defaultAction':'SCMP_ACT_ERRNO','syscalls':[{'names':['read','write',"
		"'exit_group'],'action':'SCMP_ACT_ALLOW'},{'names':['bpf','userfaultfd'],"
		"'action':'SCMP_ACT_NOTIFY'}]}", &notify_m, &notify_doc, &notify[0]);
	notify[1] = both[1];
	assert_int_equal(oh_sc_filters_strength(notify, 1, 0, host_facts(), &st, &err), 0);
	assert_false(st.confining);
	oh_sc_strength_list(&st, list, sizeof(list));
	assert_string_equal(list, "bpf, userfaultfd (SCMP_ACT_NOTIFY for bpf, userfaultfd: a "
			    "listener oci-harden knows nothing of decides, and it may let the "
			    "call run)");
	assert_int_equal(oh_sc_filters_strength(notify, 2, 0, host_facts(), &st, &err), 0);
	assert_true(st.confining);
	/* notify and allow-all stacked: notify only for the notified calls */
	notify[1] = both[0];
	assert_int_equal(oh_sc_filters_strength(notify, 2, 0, host_facts(), &st, &err), 0);
	assert_false(st.confining);
	oh_sc_strength_list(&st, list, sizeof(list));
	assert_non_null(strstr(list, "(SCMP_ACT_NOTIFY for bpf, userfaultfd:"));
	/* a list cut short stays a string */
	char tiny[24];
	oh_sc_strength_list(&st, tiny, sizeof(tiny));
	assert_int_equal(strlen(tiny), sizeof(tiny) - 1);
	/* The config's model still counts a notified call as refused: a
	 * config's listenerPath is its own finding (check_seccomp). */
	assert_int_equal(oh_seccomp_model_strength(&notify_m, NULL, host_facts(), &st, &err), 0);
	assert_true(st.confining);
	oh_bpf_prog_free(&notify[0]);
	oh_sc_profile_free(&notify_m);
	json_free(notify_doc);

	oh_bpf_prog_free(&both[0]);
	oh_bpf_prog_free(&both[1]);
	oh_sc_profile_free(&weak_m);
	oh_sc_profile_free(&strong_m);
	json_free(weak_doc);
	json_free(strong_doc);
}

static void test_numbers(void **state)
{
	(void)state;
	static const struct {
		const char *arch, *call;
		int rc, nr;
	} cases[] = {
		{ "SCMP_ARCH_X86_64", "read", 0, 0 },
		{ "SCMP_ARCH_X86_64", "mseal", 0, 462 },
		{ "SCMP_ARCH_X86", "mseal", 0, 462 },
		{ "SCMP_ARCH_X32", "mseal", 0, 0x40000000 + 462 },
		{ "SCMP_ARCH_MIPS64", "listmount", 0, 5458 },
		{ "SCMP_ARCH_AARCH64", "statmount", 0, 457 },
		{ "SCMP_ARCH_X86_64", "_llseek", -1, 0 },
		{ "SCMP_ARCH_X86_64", "no_such_call", -1, 0 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int nr = -1;
		int rc = oh_sc_syscall_nr(oh_sc_arch_by_name(cases[i].arch), cases[i].call, &nr, NULL);
		if (rc != cases[i].rc || (rc == 0 && nr != cases[i].nr))
			fail_msg("%s on %s: rc %d nr %d", cases[i].call, cases[i].arch, rc, nr);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hand_built),
		cmocka_unit_test(test_agrees_with_the_kernel),
		cmocka_unit_test(test_runc_stub),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_filters_strength),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
