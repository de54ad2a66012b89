/* SPDX-License-Identifier: Apache-2.0 */
#include "scmodel.h"

#include <errno.h>
#include <seccomp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ------------------------------------------------------------ actions */

static const struct {
	const char *name;
	bool denies;
	bool takes_errno;
} actions[OH_SC_ACTION_COUNT] = {
	[OH_SC_KILL] = { "SCMP_ACT_KILL", true, false },
	[OH_SC_KILL_PROCESS] = { "SCMP_ACT_KILL_PROCESS", true, false },
	[OH_SC_KILL_THREAD] = { "SCMP_ACT_KILL_THREAD", true, false },
	[OH_SC_TRAP] = { "SCMP_ACT_TRAP", true, false },
	[OH_SC_ERRNO] = { "SCMP_ACT_ERRNO", true, true },
	[OH_SC_TRACE] = { "SCMP_ACT_TRACE", true, true },
	[OH_SC_ALLOW] = { "SCMP_ACT_ALLOW", false, false },
	[OH_SC_LOG] = { "SCMP_ACT_LOG", false, false },
	[OH_SC_NOTIFY] = { "SCMP_ACT_NOTIFY", true, false },
};

int oh_sc_action_parse(const char *name, enum oh_sc_action *out)
{
	/* Every rule of every profile passes here, several times per
	 * container start: pick the candidates by the letter after the
	 * prefix, then compare whole names. */
	static const char prefix[] = "SCMP_ACT_";
	static const enum oh_sc_action by_letter[][3] = {
		['A' - 'A'] = { OH_SC_ALLOW, OH_SC_ACTION_COUNT },
		['E' - 'A'] = { OH_SC_ERRNO, OH_SC_ACTION_COUNT },
		['K' - 'A'] = { OH_SC_KILL, OH_SC_KILL_PROCESS, OH_SC_KILL_THREAD },
		['L' - 'A'] = { OH_SC_LOG, OH_SC_ACTION_COUNT },
		['N' - 'A'] = { OH_SC_NOTIFY, OH_SC_ACTION_COUNT },
		['T' - 'A'] = { OH_SC_TRAP, OH_SC_TRACE, OH_SC_ACTION_COUNT },
	};
	unsigned char c;

	if (strncmp(name, prefix, sizeof(prefix) - 1) != 0)
		return -1;
	c = (unsigned char)name[sizeof(prefix) - 1];
	if (c < 'A' || c > 'T')
		return -1;
	for (size_t i = 0; i < 3; i++) {
		enum oh_sc_action a = by_letter[c - 'A'][i];
		/* Unlisted letters are all zero, OH_SC_KILL: compared like
		 * the rest, they fail. */
		if (a == OH_SC_ACTION_COUNT)
			break;
		if (strcmp(actions[a].name, name) == 0) {
			*out = a;
			return 0;
		}
	}
	return -1;
}

const char *oh_sc_action_name(enum oh_sc_action a)
{
	return actions[a].name;
}

bool oh_sc_action_denies(enum oh_sc_action a)
{
	return actions[a].denies;
}

bool oh_sc_action_takes_errno(enum oh_sc_action a)
{
	return actions[a].takes_errno;
}

uint32_t oh_sc_action_value(enum oh_sc_action a, bool has_errno, uint32_t e)
{
	uint16_t e16 = has_errno ? (uint16_t)(e & 0xffff) : EPERM;

	switch (a) {
	case OH_SC_KILL:
	case OH_SC_KILL_THREAD:
		return SCMP_ACT_KILL_THREAD;
	case OH_SC_KILL_PROCESS:
		return SCMP_ACT_KILL_PROCESS;
	case OH_SC_TRAP:
		return SCMP_ACT_TRAP;
	case OH_SC_ERRNO:
		return SCMP_ACT_ERRNO(e16);
	case OH_SC_TRACE:
		return SCMP_ACT_TRACE(e16);
	case OH_SC_LOG:
		return SCMP_ACT_LOG;
	case OH_SC_NOTIFY:
		return SCMP_ACT_NOTIFY;
	case OH_SC_ALLOW:
	default:
		return SCMP_ACT_ALLOW;
	}
}

/* -------------------------------------------------------- comparisons */

static const struct {
	const char *name;
	const char *sym;
	enum scmp_compare scmp;
} ops[OH_SC_OP_COUNT] = {
	[OH_SC_NE] = { "SCMP_CMP_NE", "!=", SCMP_CMP_NE },
	[OH_SC_LT] = { "SCMP_CMP_LT", "<", SCMP_CMP_LT },
	[OH_SC_LE] = { "SCMP_CMP_LE", "<=", SCMP_CMP_LE },
	[OH_SC_EQ] = { "SCMP_CMP_EQ", "==", SCMP_CMP_EQ },
	[OH_SC_GE] = { "SCMP_CMP_GE", ">=", SCMP_CMP_GE },
	[OH_SC_GT] = { "SCMP_CMP_GT", ">", SCMP_CMP_GT },
	[OH_SC_MASKED_EQ] = { "SCMP_CMP_MASKED_EQ", "&", SCMP_CMP_MASKED_EQ },
};

int oh_sc_op_parse(const char *name, enum oh_sc_op *out)
{
	for (size_t i = 0; i < N(ops); i++)
		if (strcmp(ops[i].name, name) == 0) {
			*out = (enum oh_sc_op)i;
			return 0;
		}
	return -1;
}

const char *oh_sc_op_name(enum oh_sc_op op)
{
	return ops[op].name;
}

const char *oh_sc_op_symbol(enum oh_sc_op op)
{
	return ops[op].sym;
}

int oh_sc_op_scmp(enum oh_sc_op op)
{
	return (int)ops[op].scmp;
}

/* ------------------------------------------------------ architectures */

/*
 * Every architecture some libseccomp release knows.  The AUDIT_ARCH_*
 * values are the kernel ABI (seccomp_data.arch), written out because older
 * headers lack the newest; the token comes from the running libseccomp,
 * which may not know all of them.
 */
static const struct oh_sc_arch arches[] = {
	{ "SCMP_ARCH_X86", "386", "x86", 0x40000003u, 0 },
	{ "SCMP_ARCH_X86_64", "amd64", "x86_64", 0xc000003eu, 0 },
	{ "SCMP_ARCH_X32", "x32", "x32", 0xc000003eu, 0x40000000u },
	{ "SCMP_ARCH_ARM", "arm", "arm", 0x40000028u, 0 },
	{ "SCMP_ARCH_AARCH64", "arm64", "aarch64", 0xc00000b7u, 0 },
	{ "SCMP_ARCH_MIPS", "mips", "mips", 0x00000008u, 0 },
	{ "SCMP_ARCH_MIPS64", "mips64", "mips64", 0x80000008u, 0 },
	{ "SCMP_ARCH_MIPS64N32", "mips64n32", "mips64n32", 0xa0000008u, 0 },
	{ "SCMP_ARCH_MIPSEL", "mipsle", "mipsel", 0x40000008u, 0 },
	{ "SCMP_ARCH_MIPSEL64", "mips64le", "mipsel64", 0xc0000008u, 0 },
	{ "SCMP_ARCH_MIPSEL64N32", "mips64len32", "mipsel64n32", 0xe0000008u, 0 },
	{ "SCMP_ARCH_PPC", "ppc", "ppc", 0x00000014u, 0 },
	{ "SCMP_ARCH_PPC64", "ppc64", "ppc64", 0x80000015u, 0 },
	{ "SCMP_ARCH_PPC64LE", "ppc64le", "ppc64le", 0xc0000015u, 0 },
	{ "SCMP_ARCH_S390", "s390", "s390", 0x00000016u, 0 },
	{ "SCMP_ARCH_S390X", "s390x", "s390x", 0x80000016u, 0 },
	{ "SCMP_ARCH_PARISC", "parisc", "parisc", 0x0000000fu, 0 },
	{ "SCMP_ARCH_PARISC64", "parisc64", "parisc64", 0x8000000fu, 0 },
	{ "SCMP_ARCH_RISCV64", "riscv64", "riscv64", 0xc00000f3u, 0 },
	{ "SCMP_ARCH_LOONGARCH64", "loong64", "loongarch64", 0xc0000102u, 0 },
	{ "SCMP_ARCH_M68K", "m68k", "m68k", 0x00000004u, 0 },
	{ "SCMP_ARCH_SH", "sh", "sh", 0x4000002au, 0 },
	{ "SCMP_ARCH_SHEB", "sheb", "sheb", 0x0000002au, 0 },
};

const struct oh_sc_arch *oh_sc_arch_by_name(const char *scmp)
{
	for (size_t i = 0; i < N(arches); i++)
		if (strcmp(arches[i].scmp, scmp) == 0)
			return &arches[i];
	return NULL;
}

uint32_t oh_sc_arch_token(const struct oh_sc_arch *a)
{
	/* Resolved once per entry: libseccomp compares names each time. */
	static uint32_t tokens[N(arches)];
	static bool resolved[N(arches)];
	size_t i = (size_t)(a - arches);

	if (!resolved[i]) {
		tokens[i] = seccomp_arch_resolve_name(a->lib);
		resolved[i] = true;
	}
	return tokens[i];
}

const struct oh_sc_arch *oh_sc_arch_by_token(uint32_t token)
{
	for (size_t i = 0; i < N(arches); i++)
		if (token != 0 && oh_sc_arch_token(&arches[i]) == token)
			return &arches[i];
	return NULL;
}

/*
 * libseccomp takes its native architecture from the compiler's macros when
 * it is built (arch_def_native), for the ABI it is built for, which is the
 * one this binary runs as: the same macros name it here, so that judging a
 * config does not load libseccomp (hook/scload.c).  Where they do not (MIPS,
 * PA-RISC, SuperH: their ABIs take more than one macro), libseccomp says.
 */
const struct oh_sc_arch *oh_sc_arch_native(void)
{
	const char *name = NULL;

#if defined(__x86_64__) && defined(__ILP32__)
	name = "SCMP_ARCH_X32";
#elif defined(__x86_64__)
	name = "SCMP_ARCH_X86_64";
#elif defined(__i386__)
	name = "SCMP_ARCH_X86";
#elif defined(__aarch64__)
	name = "SCMP_ARCH_AARCH64";
#elif defined(__arm__)
	name = "SCMP_ARCH_ARM";
#elif defined(__riscv) && __riscv_xlen == 64
	name = "SCMP_ARCH_RISCV64";
#elif defined(__loongarch__) && defined(__loongarch64)
	name = "SCMP_ARCH_LOONGARCH64";
#elif defined(__powerpc64__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	name = "SCMP_ARCH_PPC64LE";
#elif defined(__powerpc64__)
	name = "SCMP_ARCH_PPC64";
#elif defined(__powerpc__)
	name = "SCMP_ARCH_PPC";
#elif defined(__s390x__)
	name = "SCMP_ARCH_S390X";
#elif defined(__s390__)
	name = "SCMP_ARCH_S390";
#endif
	if (name != NULL)
		return oh_sc_arch_by_name(name);
	return oh_sc_arch_by_token(seccomp_arch_native());
}

size_t oh_sc_arch_count(void)
{
	return N(arches);
}

const struct oh_sc_arch *oh_sc_arch_at(size_t i)
{
	return &arches[i];
}

/* -------------------------------------------------------------- flags */

uint32_t oh_sc_flag_parse(const char *name)
{
	static const struct {
		const char *name;
		uint32_t bit;
	} flags[] = {
		{ "SECCOMP_FILTER_FLAG_TSYNC", OH_SC_FLAG_TSYNC },
		{ "SECCOMP_FILTER_FLAG_LOG", OH_SC_FLAG_LOG },
		{ "SECCOMP_FILTER_FLAG_SPEC_ALLOW", OH_SC_FLAG_SPEC_ALLOW },
		{ "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", OH_SC_FLAG_WAIT_KILLABLE_RECV },
	};

	for (size_t i = 0; i < N(flags); i++)
		if (strcmp(flags[i].name, name) == 0)
			return flags[i].bit;
	return 0;
}

/* -------------------------------------------------------------- model */

void oh_sc_profile_note(struct oh_sc_profile *m, const char *fmt, ...)
{
	va_list ap;
	char buf[512];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (m->nnotes == 0 || (m->nnotes & (m->nnotes - 1)) == 0)
		m->notes = xrealloc(m->notes, (m->nnotes ? m->nnotes * 2 : 1) * sizeof(*m->notes));
	m->notes[m->nnotes++] = xstrdup(buf);
}

void oh_sc_profile_free(struct oh_sc_profile *m)
{
	if (m == NULL)
		return;
	for (size_t i = 0; i < m->nnotes; i++)
		free(m->notes[i]);
	free(m->notes);
	json_free(m->arena);
	memset(m, 0, sizeof(*m));
}

bool oh_sc_rule_names(const struct oh_sc_rule *r, const char *name)
{
	for (uint32_t i = 0; i < r->nnames; i++)
		if (strcmp(r->names[i].u.str, name) == 0)
			return true;
	return false;
}
