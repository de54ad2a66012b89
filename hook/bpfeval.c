/* SPDX-License-Identifier: Apache-2.0 */
#include "bpfeval.h"

#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* BPF_MEMWORDS scratch words, as the kernel's classic BPF has. */
#define MEMWORDS 16

int oh_bpf_run(const struct sock_filter *prog, size_t len,
	       const struct seccomp_data *d, uint32_t *ret, struct oh_error *err)
{
	uint32_t a = 0, x = 0, mem[MEMWORDS] = { 0 };
	const unsigned char *data = (const unsigned char *)d;

	/* Classic BPF jumps only forward: at most len steps. */
	for (size_t pc = 0; pc < len; pc++) {
		const struct sock_filter *f = &prog[pc];
		uint32_t k = f->k, src = BPF_SRC(f->code) == BPF_X ? x : k;

		switch (BPF_CLASS(f->code)) {
		case BPF_LD:
		case BPF_LDX: {
			uint32_t v;
			if (BPF_MODE(f->code) == BPF_ABS && BPF_CLASS(f->code) == BPF_LD &&
			    BPF_SIZE(f->code) == BPF_W) {
				/* seccomp allows only aligned 32-bit loads inside
				 * seccomp_data. */
				if (k % 4 != 0 || k > sizeof(*d) - 4)
					return oh_err(err, 0, "instruction %zu loads outside "
						      "seccomp_data (offset %u)", pc, k);
				memcpy(&v, data + k, 4);
			} else if (BPF_MODE(f->code) == BPF_IMM) {
				v = k;
			} else if (BPF_MODE(f->code) == BPF_MEM) {
				if (k >= MEMWORDS)
					return oh_err(err, 0, "instruction %zu reads M[%u]", pc, k);
				v = mem[k];
			} else if (BPF_MODE(f->code) == BPF_LEN) {
				v = (uint32_t)sizeof(*d);
			} else {
				return oh_err(err, 0, "instruction %zu: load mode %#x is not "
					      "allowed in seccomp", pc, BPF_MODE(f->code));
			}
			*(BPF_CLASS(f->code) == BPF_LD ? &a : &x) = v;
			break;
		}
		case BPF_ST:
		case BPF_STX:
			if (k >= MEMWORDS)
				return oh_err(err, 0, "instruction %zu writes M[%u]", pc, k);
			mem[k] = BPF_CLASS(f->code) == BPF_ST ? a : x;
			break;
		case BPF_ALU:
			switch (BPF_OP(f->code)) {
			case BPF_ADD: a += src; break;
			case BPF_SUB: a -= src; break;
			case BPF_MUL: a *= src; break;
			case BPF_DIV:
			case BPF_MOD:
				/* The kernel's classic BPF returns 0 (kill)
				 * on a division by zero. */
				if (src == 0) {
					*ret = 0;
					return 0;
				}
				a = BPF_OP(f->code) == BPF_DIV ? a / src : a % src;
				break;
			case BPF_OR: a |= src; break;
			case BPF_AND: a &= src; break;
			case BPF_XOR: a ^= src; break;
			case BPF_LSH: a = src < 32 ? a << src : 0; break;
			case BPF_RSH: a = src < 32 ? a >> src : 0; break;
			case BPF_NEG: a = -a; break;
			default:
				return oh_err(err, 0, "instruction %zu: unknown ALU op %#x",
					      pc, BPF_OP(f->code));
			}
			break;
		case BPF_JMP: {
			size_t skip;
			if (BPF_OP(f->code) == BPF_JA) {
				skip = k;
			} else {
				bool t;
				switch (BPF_OP(f->code)) {
				case BPF_JEQ: t = a == src; break;
				case BPF_JGT: t = a > src; break;
				case BPF_JGE: t = a >= src; break;
				case BPF_JSET: t = (a & src) != 0; break;
				default:
					return oh_err(err, 0, "instruction %zu: unknown jump %#x",
						      pc, BPF_OP(f->code));
				}
				skip = t ? f->jt : f->jf;
			}
			if (skip >= len - pc - 1)
				return oh_err(err, 0, "instruction %zu jumps out of the program", pc);
			pc += skip;
			break;
		}
		case BPF_RET:
			if (BPF_RVAL(f->code) == BPF_A)
				*ret = a;
			else if (BPF_RVAL(f->code) == BPF_K)
				*ret = k;
			else
				return oh_err(err, 0, "instruction %zu returns X", pc);
			return 0;
		case BPF_MISC:
			if (BPF_MISCOP(f->code) == BPF_TAX)
				x = a;
			else
				a = x;
			break;
		default:
			return oh_err(err, 0, "instruction %zu: unknown class", pc);
		}
	}
	return oh_err(err, 0, "the program ends without a return");
}

/*
 * Calls newer than some libseccomp in use, in the numbering every
 * architecture shares since Linux 5.1 (424 and up: pidfd_send_signal).
 * MIPS adds its ABI base, x32 its bit.
 */
static const struct {
	const char *name;
	int nr;
} unified[] = {
	{ "process_mrelease", 448 }, { "futex_waitv", 449 },
	{ "set_mempolicy_home_node", 450 }, { "cachestat", 451 },
	{ "fchmodat2", 452 }, { "map_shadow_stack", 453 },
	{ "futex_wake", 454 }, { "futex_wait", 455 }, { "futex_requeue", 456 },
	{ "statmount", 457 }, { "listmount", 458 },
	{ "lsm_get_self_attr", 459 }, { "lsm_set_self_attr", 460 },
	{ "lsm_list_modules", 461 }, { "mseal", 462 },
	{ "setxattrat", 463 }, { "getxattrat", 464 }, { "listxattrat", 465 },
	{ "removexattrat", 466 }, { "open_tree_attr", 467 },
	{ "file_getattr", 468 }, { "file_setattr", 469 },
};

int oh_sc_syscall_nr(const struct oh_sc_arch *a, const char *name, int *nr, bool *ours)
{
	uint32_t tok = oh_sc_arch_token(a);

	if (ours != NULL)
		*ours = false;
	if (tok != 0) {
		int n = seccomp_syscall_resolve_name_arch(tok, name);
		if (n >= 0) {
			*nr = n;
			return 0;
		}
		/* Known, but absent here (or only through a multiplexer). */
		if (n != __NR_SCMP_ERROR)
			return -1;
	}
	for (size_t i = 0; i < N(unified); i++) {
		if (strcmp(unified[i].name, name) != 0)
			continue;
		int n = unified[i].nr;
		if (strncmp(a->scmp, "SCMP_ARCH_MIPS", 14) == 0)
			n += strstr(a->scmp, "N32") ? 6000 : strstr(a->scmp, "64") ? 5000 : 4000;
		*nr = n | (int)a->x32_bit;
		if (ours != NULL)
			*ours = true;
		return 0;
	}
	return -1;
}

static bool allow_like(enum oh_sc_action act)
{
	/* runc's isAllowAction: a tracer handles new calls itself. */
	return act == OH_SC_ALLOW || act == OH_SC_LOG || act == OH_SC_TRACE;
}

/* The highest number the profile's rules name on one architecture, as
 * runc's findLastSyscalls computes it: every rule counts, even one that
 * repeats the default action. */
static int highest_nr(const struct oh_sc_profile *m, const struct oh_sc_arch *a)
{
	uint32_t tok = oh_sc_arch_token(a);
	int hi = 0;

	for (uint32_t i = 0; tok != 0 && i < m->nrules; i++)
		for (uint32_t k = 0; k < m->rules[i].nnames; k++) {
			int n = seccomp_syscall_resolve_name_arch(tok, oh_sc_rule_name(&m->rules[i], k));
			if (n > hi)
				hi = n;
		}
	return hi;
}

bool oh_runc_enosys(const struct oh_sc_profile *m, const struct seccomp_data *d,
		    uint32_t *ret, int *highest)
{
	if (m->has_def_errno && m->def_errno == ENOSYS)
		return false;
	if (allow_like(m->def))
		return false;
	bool x32_call = (d->nr & 0x40000000) != 0;
	bool have_native = false;
	int hi = 0;

	for (uint32_t i = 0; i < m->narches; i++) {
		const struct oh_sc_arch *a = m->arches[i];
		if (a->audit != d->arch || oh_sc_arch_token(a) == 0)
			continue;
		/* x86_64 and x32 share the audit arch: the ABI bit picks. */
		if (a->audit == 0xc000003eu && (a->x32_bit != 0) != x32_call)
			continue;
		int h = highest_nr(m, a);
		if (h == 0)
			continue;  /* runc warns and builds no section */
		have_native = true;
		hi = h;
	}
	if (!have_native)
		return false;
	*highest = hi;
	/* s390's setup(2), number 0, multiplexes calls the kernel lacks. */
	if ((d->arch == 0x80000016u || d->arch == 0x00000016u) && d->nr == 0) {
		*ret = SECCOMP_RET_ERRNO | ENOSYS;
		return true;
	}
	if ((uint32_t)d->nr > (uint32_t)hi) {
		*ret = SECCOMP_RET_ERRNO | ENOSYS;
		return true;
	}
	return false;
}

int oh_sc_evaluate(const struct oh_sc_profile *m, const struct oh_bpf_prog *prog,
		   const struct seccomp_data *d, struct oh_sc_verdict *out,
		   struct oh_error *err)
{
	memset(out, 0, sizeof(*out));
	if (oh_runc_enosys(m, d, &out->ret, &out->highest)) {
		out->from_stub = true;
		return 0;
	}
	return oh_bpf_run(prog->insns, prog->len, d, &out->ret, err);
}

static uint32_t rule_value(const struct oh_sc_rule *r)
{
	return oh_sc_action_value(r->action, r->has_errno, r->errno_ret);
}

int oh_sc_answer(const struct oh_sc_profile *m, const struct oh_bpf_prog *prog,
		 const struct oh_sc_arch *a, const char *name, int nr, bool ours,
		 struct oh_sc_answer *out, struct oh_error *err)
{
	uint32_t def = oh_sc_action_value(m->def, m->has_def_errno, m->def_errno);
	long uncond = -1;

	memset(out, 0, sizeof(*out));
	out->rule = -1;
	/* A rule repeating the default action is one runc leaves out. */
	for (uint32_t k = 0; !ours && k < m->nrules; k++) {
		const struct oh_sc_rule *r = &m->rules[k];

		if (!oh_sc_rule_names(r, name) || rule_value(r) == def)
			continue;
		if (r->nargs > 0)
			out->nconds++;
		else if (uncond < 0)
			uncond = k;
	}
	struct seccomp_data d = { .nr = nr, .arch = a->audit };
	if (oh_sc_evaluate(m, prog, &d, &out->v, err) < 0)
		return -1;
	if (out->v.from_stub)
		out->from = OH_SC_FROM_STUB;
	else if (uncond < 0 && out->nconds > 0)
		out->from = OH_SC_FROM_ARGS;
	else if (uncond >= 0 && rule_value(&m->rules[uncond]) == out->v.ret) {
		out->from = OH_SC_FROM_RULE;
		out->rule = uncond;
	} else if (out->v.ret == def)
		out->from = OH_SC_FROM_DEFAULT;
	else
		out->from = OH_SC_FROM_FILTER;
	return 0;
}

bool oh_sc_ret_allows(uint32_t ret)
{
	uint32_t act = ret & SECCOMP_RET_ACTION_FULL;

	return act == SECCOMP_RET_ALLOW || act == SECCOMP_RET_LOG ||
	       act == SECCOMP_RET_TRACE;
}

void oh_sc_ret_str(uint32_t ret, char *out, size_t cap)
{
	uint32_t act = ret & SECCOMP_RET_ACTION_FULL, data = ret & SECCOMP_RET_DATA;
	const char *en = data > 0 && data < 4096 ? strerrorname_np((int)data) : NULL;
	char num[16];

	snprintf(num, sizeof(num), "%u", data);
	switch (act) {
	case SECCOMP_RET_KILL_PROCESS:
		snprintf(out, cap, "SCMP_ACT_KILL_PROCESS");
		break;
	case SECCOMP_RET_KILL_THREAD:
		snprintf(out, cap, "SCMP_ACT_KILL_THREAD");
		break;
	case SECCOMP_RET_TRAP:
		snprintf(out, cap, "SCMP_ACT_TRAP");
		break;
	case SECCOMP_RET_ERRNO:
		snprintf(out, cap, "SCMP_ACT_ERRNO (%s)", en ? en : num);
		break;
	case SECCOMP_RET_TRACE:
		snprintf(out, cap, "SCMP_ACT_TRACE (%s)", en ? en : num);
		break;
	case SECCOMP_RET_USER_NOTIF:
		snprintf(out, cap, "SCMP_ACT_NOTIFY");
		break;
	case SECCOMP_RET_LOG:
		snprintf(out, cap, "SCMP_ACT_LOG");
		break;
	case SECCOMP_RET_ALLOW:
		snprintf(out, cap, "SCMP_ACT_ALLOW");
		break;
	default:
		snprintf(out, cap, "%#x", ret);
		break;
	}
}
