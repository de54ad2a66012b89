/* SPDX-License-Identifier: Apache-2.0 */
#include "scstrength.h"

#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpf.h"
#include "bpfeval.h"
#include "caps.h"
#include "ohseccomp.h"
#include "util.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/*
 * The must-block set, sorted by name.  Each call is one Docker's default
 * and containers-common's default both refuse to a container without the
 * capabilities named (with one of them the engines allow it, and the
 * kernel checks the capability itself).  Left out on purpose:
 * - mount, umount2, the new mount API, pivot_root, unshare, clone and
 *   clone3 with CLONE_NEWUSER, setns, keyctl, reboot: containers-common's
 *   profile (podman 4.3, CRI-O) allows them to every container so that
 *   containers can nest; judging them would call every podman container
 *   weak.  The bundled default and strict profiles refuse them.
 * - ptrace: Docker's default allows it on kernels since 4.8, where the
 *   filter runs again after a tracer changed the call, so ptrace no longer
 *   bypasses seccomp; workloads need it for strace and debuggers.
 */
static const struct must_block {
	const char *name;
	const char *caps[2];
	const char *why;
} must_block[] = {
	{ "acct", { "CAP_SYS_PACCT" }, "switches process accounting on host-wide" },
	{ "add_key", { NULL }, "the kernel keyring is not namespaced" },
	{ "bpf", { "CAP_SYS_ADMIN", "CAP_BPF" }, "loads programs into the kernel" },
	{ "delete_module", { "CAP_SYS_MODULE" }, "unloads kernel modules" },
	{ "finit_module", { "CAP_SYS_MODULE" }, "loads kernel modules" },
	{ "init_module", { "CAP_SYS_MODULE" }, "loads kernel modules" },
	{ "ioperm", { "CAP_SYS_RAWIO" }, "reaches I/O ports" },
	{ "iopl", { "CAP_SYS_RAWIO" }, "reaches I/O ports" },
	{ "kexec_file_load", { "CAP_SYS_BOOT" }, "replaces the running kernel" },
	{ "kexec_load", { "CAP_SYS_BOOT" }, "replaces the running kernel" },
	{ "lookup_dcookie", { "CAP_SYS_ADMIN" }, "reads host paths of kernel objects" },
	{ "open_by_handle_at", { "CAP_DAC_READ_SEARCH" }, "opens host files by handle (shocker)" },
	{ "perf_event_open", { "CAP_PERFMON", "CAP_SYS_ADMIN" }, "observes the host's kernel and processes" },
	{ "quotactl", { "CAP_SYS_ADMIN" }, "changes host disk quotas" },
	{ "request_key", { NULL }, "the kernel keyring is not namespaced" },
	{ "swapoff", { "CAP_SYS_ADMIN" }, "changes the host's swap" },
	{ "swapon", { "CAP_SYS_ADMIN" }, "changes the host's swap" },
	{ "userfaultfd", { "CAP_SYS_PTRACE" }, "stalls kernel page faults, a kernel exploit primitive" },
};

size_t oh_sc_must_block_count(void)
{
	return N(must_block);
}

const char *oh_sc_must_block_name(size_t i, const char **why)
{
	if (why != NULL)
		*why = must_block[i].why;
	return must_block[i].name;
}

static bool holds_mask(uint64_t bounding, const char *cap);

bool oh_sc_must_block_held(size_t i, uint64_t bounding)
{
	return holds_mask(bounding, must_block[i].caps[0]) ||
	       holds_mask(bounding, must_block[i].caps[1]);
}

static int by_name(const void *key, const void *elem)
{
	return strcmp(key, ((const struct must_block *)elem)->name);
}

/*
 * A 1024-bit filter over a name's length and first, second and last
 * bytes: of the 400 names of a profile all but a handful leave at one
 * test, so the strength check costs little more than a walk over the names.
 */
static unsigned hash(const char *s, size_t len)
{
	if (len < 2)
		return 0;
	return ((unsigned char)s[0] * 31u + (unsigned char)s[1] +
		(unsigned char)s[len - 1] * 7u + (unsigned)len * 131u) & 1023u;
}

static uint64_t filter[16];
static bool filter_ready;

static long find_slow(const struct jval *name);

/* The filter inline, the search only for the few names that pass it. */
static inline long find(const struct jval *name)
{
	unsigned h;

	if (!filter_ready)
		return find_slow(name);
	h = hash(name->u.str, name->len);
	if ((filter[h >> 6] & (1ull << (h & 63))) == 0)
		return -1;
	return find_slow(name);
}

static long find_slow(const struct jval *name)
{
	if (!filter_ready) {
		for (size_t i = 0; i < N(must_block); i++) {
			unsigned h = hash(must_block[i].name, strlen(must_block[i].name));
			filter[h >> 6] |= 1ull << (h & 63);
		}
		filter_ready = true;
	}
	unsigned h = hash(name->u.str, name->len);
	if ((filter[h >> 6] & (1ull << (h & 63))) == 0)
		return -1;
	const struct must_block *b = bsearch(name->u.str, must_block, N(must_block),
					     sizeof(must_block[0]), by_name);
	return b != NULL ? b - must_block : -1;
}

static bool holds(const struct jval *bounding, const char *cap)
{
	for (uint32_t i = 0; cap != NULL && bounding != NULL && i < bounding->len; i++)
		if (jv_is_str(&bounding->u.items[i], cap))
			return true;
	return false;
}

/* Architectures whose programs the host runs besides its own. */
static const struct {
	const char *native;
	const char *compat[2];
} compat[] = {
	{ "SCMP_ARCH_X86_64", { "SCMP_ARCH_X86", "SCMP_ARCH_X32" } },
	{ "SCMP_ARCH_AARCH64", { "SCMP_ARCH_ARM" } },
	{ "SCMP_ARCH_PPC64", { "SCMP_ARCH_PPC" } },
	{ "SCMP_ARCH_S390X", { "SCMP_ARCH_S390" } },
	{ "SCMP_ARCH_MIPS64", { "SCMP_ARCH_MIPS", "SCMP_ARCH_MIPS64N32" } },
	{ "SCMP_ARCH_MIPSEL64", { "SCMP_ARCH_MIPSEL", "SCMP_ARCH_MIPSEL64N32" } },
	{ "SCMP_ARCH_PARISC64", { "SCMP_ARCH_PARISC" } },
};

static size_t host_arches(const struct host_facts *h, const struct oh_sc_arch **out)
{
	size_t n = 0;
	const struct oh_sc_arch *a = oh_sc_arch_by_name(h->arch);

	if (a == NULL)
		return 0;
	out[n++] = a;
	for (size_t i = 0; i < N(compat); i++) {
		if (strcmp(compat[i].native, h->arch) != 0)
			continue;
		for (size_t k = 0; k < 2 && compat[i].compat[k] != NULL; k++) {
			const struct oh_sc_arch *c = oh_sc_arch_by_name(compat[i].compat[k]);
			if (c != NULL && oh_sc_arch_token(c) != 0)
				out[n++] = c;
		}
	}
	return n;
}

static void add_allowed(struct oh_sc_strength *out, const char *name, bool notified)
{
	for (size_t i = 0; i < out->nallowed; i++)
		if (out->allowed[i] == name) {
			out->notified[i] = out->notified[i] || notified;
			return;
		}
	if (out->nallowed < OH_SC_MUST_BLOCK_MAX) {
		out->notified[out->nallowed] = notified;
		out->allowed[out->nallowed++] = name;
	}
}

/* Whether a must-block call counts for this container: not when it holds
 * a capability that makes engines allow it.  Asked lazily: most profiles
 * name none of the set in a rule that allows. */
static bool counts(const struct jval *bounding, signed char *memo, long b)
{
	if (memo[b] == 0)
		memo[b] = holds(bounding, must_block[b].caps[0]) ||
			  holds(bounding, must_block[b].caps[1]) ? -1 : 1;
	return memo[b] > 0;
}

int oh_seccomp_model_strength(const struct oh_sc_profile *m, const struct jval *bounding,
			      const struct host_facts *h, struct oh_sc_strength *out,
			      struct oh_error *err)
{
	signed char memo[N(must_block)] = { 0 };
	bool allow_named = false;
	size_t hits = 0;

	memset(out, 0, sizeof(*out));
	out->blocks_something = oh_seccomp_model_blocks_something(m);
	/* First only look: does a rule that lets calls through name one?
	 * Denying rules cannot make a deny-by-default filter allow. */
	for (uint32_t i = 0; i < m->nrules && !allow_named; i++) {
		const struct oh_sc_rule *r = &m->rules[i];
		if (oh_sc_action_denies(r->action) && oh_sc_action_denies(m->def))
			continue;
		for (uint32_t k = 0; k < r->nnames && !allow_named; k++) {
			long b = find(&r->names[k]);
			allow_named = b >= 0 && counts(bounding, memo, b);
		}
	}
	/*
	 * Deny by default and only denying rules name them: whatever
	 * libseccomp makes of it, each of these calls is denied, and this is
	 * the case of every engine's default profile, at every container
	 * start.  Anything else is compiled and run.
	 */
	if (oh_sc_action_denies(m->def) && !allow_named) {
		out->confining = true;
		return 0;
	}

	for (uint32_t i = 0; i < m->nrules; i++)
		hits += m->rules[i].nnames;
	/* The entries that name must-block calls, with only those names. */
	cleanup_free struct oh_sc_rule *rules = xcalloc(m->nrules + 1, sizeof(*rules));
	cleanup_free struct jval *names = xcalloc(hits + 1, sizeof(*names));
	uint32_t nrules = 0;
	size_t used = 0;
	for (uint32_t i = 0; i < m->nrules; i++) {
		const struct oh_sc_rule *r = &m->rules[i];
		size_t first = used;

		for (uint32_t k = 0; k < r->nnames; k++) {
			long b = find(&r->names[k]);
			if (b >= 0 && counts(bounding, memo, b))
				names[used++] = r->names[k];
		}
		if (used == first)
			continue;
		rules[nrules] = *r;
		rules[nrules].names = &names[first];
		rules[nrules].nnames = (uint32_t)(used - first);
		rules[nrules].names_v = NULL;
		nrules++;
	}
	struct oh_sc_profile reduced = *m;
	reduced.rules = rules;
	reduced.nrules = nrules;
	reduced.notes = NULL;
	reduced.nnotes = 0;
	reduced.arena = NULL;
	struct oh_bpf_prog prog = { 0 };
	size_t insns;
	int rc = bpf_compile_prog(&reduced, NULL, 0, &insns, &prog, NULL, NULL, err);
	if (rc < 0)
		return -1;
	if (rc > 0)
		return oh_err(err, 0, "libseccomp refuses the profile; runc would not "
			      "start the container");
	out->compiled = true;

	/* Each call with its arguments 0: none of the set is dangerous only
	 * for some arguments. */
	const struct oh_sc_arch *arches[4];
	size_t narches = host_arches(h, arches);
	for (size_t a = 0; a < narches; a++) {
		uint32_t tok = oh_sc_arch_token(arches[a]);
		for (size_t i = 0; i < N(must_block); i++) {
			int nr;
			uint32_t ret;
			if (!counts(bounding, memo, (long)i))
				continue;
			nr = seccomp_syscall_resolve_name_arch(tok, must_block[i].name);
			if (nr < 0)
				continue;  /* not a call of this architecture */
			struct seccomp_data d = { .nr = nr, .arch = arches[a]->audit };
			if (oh_bpf_run(prog.insns, prog.len, &d, &ret, err) < 0) {
				oh_bpf_prog_free(&prog);
				return -1;
			}
			if (oh_sc_ret_allows(ret))
				add_allowed(out, must_block[i].name, false);
		}
	}
	oh_bpf_prog_free(&prog);
	out->confining = out->nallowed == 0;
	return 0;
}

/*
 * The common case at every container start, on the tree itself: a
 * deny-by-default object in which no rule that lets calls through names a
 * must-block call.  It is what the model path decides first; answering it
 * here saves decoding the object a second time (spec_load decoded it to
 * validate it), a tenth of a precreate hook's instructions.  Anything else
 * goes the full way.
 */
static bool quick_confining(const struct jval *obj, const struct jval *bounding)
{
	const struct jval *def = jobj_get(obj, "defaultAction");
	const struct jval *sys = jobj_get(obj, "syscalls");
	enum oh_sc_action act;
	signed char memo[N(must_block)] = { 0 };

	if (def == NULL || def->type != J_STRING || oh_sc_action_parse(def->u.str, &act) < 0 ||
	    !oh_sc_action_denies(act))
		return false;
	for (uint32_t i = 0; sys != NULL && sys->type == J_ARRAY && i < sys->len; i++) {
		const struct jval *a = jobj_get(&sys->u.items[i], "action");
		const struct jval *names = jobj_get(&sys->u.items[i], "names");
		if (a == NULL || a->type != J_STRING || oh_sc_action_parse(a->u.str, &act) < 0)
			return false;
		if (oh_sc_action_denies(act) || names == NULL || names->type != J_ARRAY)
			continue;
		for (uint32_t k = 0; k < names->len; k++) {
			const struct jval *n = &names->u.items[k];
			if (n->type != J_STRING)
				return false;
			long b = find(n);
			if (b >= 0 && counts(bounding, memo, b))
				return false;
		}
	}
	return true;
}

int oh_seccomp_strength(const struct jval *oci_seccomp, const struct jval *bounding,
			const struct host_facts *h, struct oh_sc_strength *out,
			struct oh_error *err)
{
	struct oh_sc_profile m;

	if (quick_confining(oci_seccomp, bounding)) {
		memset(out, 0, sizeof(*out));
		out->blocks_something = out->confining = true;
		return 0;
	}

	if (oh_seccomp_decode(oci_seccomp, false, "linux.seccomp", &m, err) < 0)
		return -1;
	int rc = oh_seccomp_model_strength(&m, bounding, h, out, err);
	oh_sc_profile_free(&m);
	return rc;
}

/* Whether a bounding mask holds a capability named in the must-block table. */
static bool holds_mask(uint64_t bounding, const char *cap)
{
	int c = cap != NULL ? caps_from_exact(cap) : -1;

	return c >= 0 && (bounding & (1ull << c)) != 0;
}

int oh_sc_filters_strength(const struct oh_bpf_prog *progs, size_t nprogs,
			   uint64_t bounding, const struct host_facts *h,
			   struct oh_sc_strength *out, struct oh_error *err)
{
	const struct oh_sc_arch *arches[4];
	size_t narches = host_arches(h, arches);

	memset(out, 0, sizeof(*out));
	if (nprogs == 0)
		return 0;
	if (narches == 0)
		return oh_err(err, 0, "no seccomp architecture known for %s", h->arch);
	for (size_t a = 0; a < narches; a++) {
		uint32_t tok = oh_sc_arch_token(arches[a]);
		for (size_t i = 0; i < N(must_block); i++) {
			int nr;
			bool allowed = true;

			if (holds_mask(bounding, must_block[i].caps[0]) ||
			    holds_mask(bounding, must_block[i].caps[1]))
				continue;
			nr = seccomp_syscall_resolve_name_arch(tok, must_block[i].name);
			if (nr < 0)
				continue;
			struct seccomp_data d = { .nr = nr, .arch = arches[a]->audit };
			bool notified = false;
			for (size_t f = 0; f < nprogs && allowed; f++) {
				uint32_t ret;
				if (oh_bpf_run(progs[f].insns, progs[f].len, &d, &ret, err) < 0)
					return -1;
				/* A listener of unknown origin decides: fail closed. */
				if ((ret & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_USER_NOTIF)
					notified = true;
				else
					allowed = oh_sc_ret_allows(ret);
			}
			if (allowed)
				add_allowed(out, must_block[i].name, notified);
			else
				out->blocks_something = true;
		}
	}
	out->confining = out->nallowed == 0;
	return 0;
}

static size_t put(char *buf, size_t cap, size_t n, const char *fmt, const char *a,
		  const char *b)
{
	if (n + 1 >= cap)
		return n;
	int k = snprintf(buf + n, cap - n, fmt, a, b);
	return k < 0 ? n : n + (size_t)k >= cap ? cap - 1 : n + (size_t)k;
}

void oh_sc_strength_list(const struct oh_sc_strength *s, char *buf, size_t cap)
{
	size_t n = 0, k = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < s->nallowed; i++)
		n = put(buf, cap, n, "%s%s", i ? ", " : "", s->allowed[i]);
	for (size_t i = 0; i < s->nallowed; i++)
		if (s->notified[i])
			n = put(buf, cap, n, "%s%s", k++ ? ", " : " (SCMP_ACT_NOTIFY for ",
				s->allowed[i]);
	if (k > 0)
		put(buf, cap, n, "%s%s", ": a listener oci-harden knows nothing of decides, "
		    "and it may let the call run", ")");
}
