/* SPDX-License-Identifier: Apache-2.0 */
/*
 * oci-harden profile: check a seccomp profile with libseccomp, explain what
 * it does with one system call for a given set of capabilities, and show
 * one (the built-in ones as the binary holds them).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bpf.h"
#include "bpfeval.h"
#include "caps.h"
#include "cli.h"
#include "host.h"
#include "json.h"
#include "ohseccomp.h"
#include "scstrength.h"
#include "util.h"

static const char usage[] =
	"oci-harden profile check [--strict] PROFILE\n"
	"       oci-harden profile explain [--cap CAP]... [--host-facts FILE] PROFILE SYSCALL\n"
	"       oci-harden profile show PROFILE\n"
	"       oci-harden profile learn [--policy FILE] [--socket PATH] [--keep-running] OUTPUT\n"
	"       oci-harden profile denials [--audit-log FILE | --kmsg FILE] [--root DIR]... [--format text|json]\n"
	"PROFILE is \"default\" or \"strict\" (built in) or a file.";

/* ------------------------------------------------------------ helpers */

static const struct jval *entry_names(const struct jval *e, const struct jval **single)
{
	const struct jval *names = jobj_get(e, "names");

	*single = NULL;
	if (names != NULL && names->type == J_ARRAY && names->len > 0)
		return names;
	*single = jobj_get(e, "name");
	return NULL;
}

/* "entry 12 (socket)" or "entry 0 (_llseek, +27 more)". */
static void entry_label(const struct jval *sys, long idx, char *out, size_t cap)
{
	const struct jval *single, *names;

	if (idx < 0 || sys == NULL || sys->type != J_ARRAY || (uint32_t)idx >= sys->len) {
		snprintf(out, cap, "profile");
		return;
	}
	names = entry_names(&sys->u.items[idx], &single);
	if (names != NULL && names->u.items[0].type == J_STRING) {
		if (names->len == 1)
			snprintf(out, cap, "entry %ld (%s)", idx, names->u.items[0].u.str);
		else
			snprintf(out, cap, "entry %ld (%s, +%u more)", idx,
				 names->u.items[0].u.str, names->len - 1);
	} else if (single != NULL && single->type == J_STRING) {
		snprintf(out, cap, "entry %ld (%s)", idx, single->u.str);
	} else {
		snprintf(out, cap, "entry %ld", idx);
	}
}

/* The profile's own messages start with its file name; we print it once. */
static const char *strip_source(const char *msg, const char *file)
{
	size_t n = strlen(file);

	if (strncmp(msg, file, n) == 0 && strncmp(msg + n, ": ", 2) == 0)
		return msg + n + 2;
	return msg;
}

/* ------------------------------------------------------------- check */

/* The keys seen, in a hash set (open addressing, at most half full):
 * a profile of many entries has as many notes, each asked about once per
 * variant and architecture. */
struct seen {
	char **keys;
	size_t n;
	uint32_t *slot;   /* index + 1 into keys, 0 for empty */
	size_t nslots;    /* a power of two, or 0 */
};

static void seen_put(struct seen *s, size_t k)
{
	size_t h = (size_t)json_key_hash(s->keys[k], strlen(s->keys[k])) & (s->nslots - 1);

	while (s->slot[h] != 0)
		h = (h + 1) & (s->nslots - 1);
	s->slot[h] = (uint32_t)(k + 1);
}

/* True the first time a key is seen: variants and arches repeat notes. */
static bool first_time(struct seen *s, const char *key)
{
	size_t len = strlen(key);

	if (s->nslots > 0) {
		size_t h = (size_t)json_key_hash(key, len) & (s->nslots - 1);
		for (; s->slot[h] != 0; h = (h + 1) & (s->nslots - 1))
			if (strcmp(s->keys[s->slot[h] - 1], key) == 0)
				return false;
	}
	if (s->n == 0 || (s->n & (s->n - 1)) == 0)
		s->keys = xrealloc(s->keys, (s->n ? s->n * 2 : 1) * sizeof(*s->keys));
	s->keys[s->n++] = xstrdup(key);
	if (s->n * 2 > s->nslots) {
		free(s->slot);
		s->nslots = s->nslots ? s->nslots * 2 : 16;
		s->slot = xcalloc(s->nslots, sizeof(*s->slot));
		for (size_t k = 0; k < s->n; k++)
			seen_put(s, k);
	} else {
		seen_put(s, s->n - 1);
	}
	return true;
}

static void seen_free(struct seen *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->keys[i]);
	free(s->keys);
	free(s->slot);
}

struct checker {
	const char *file;
	const struct jval *sys;   /* the profile's syscalls */
	bool strict;
	size_t errors, warnings;
	struct seen seen;
	/* while compiling one translation */
	const uint32_t *src;      /* emitted rule -> profile entry */
	const char *variant;      /* "with CAP_NET_RAW" */
};

static void report(struct checker *c, bool error, long entry, const char *msg)
{
	char label[160];

	entry_label(c->sys, entry, label, sizeof(label));
	printf("%s: %s: %s: %s\n", c->file, label, error ? "error" : "warning", msg);
	if (error)
		c->errors++;
	else
		c->warnings++;
}

static void on_problem(void *ctx, long entry, const char *msg)
{
	struct checker *c = ctx;

	report(c, true, entry, strip_source(msg, c->file));
}

static void on_bpf_note(void *ctx, const struct bpf_note *n)
{
	struct checker *c = ctx;
	long entry = n->rule >= 0 ? (long)c->src[n->rule] : -1;
	char key[700];

	/* One line per problem, not one per capability set it shows in. */
	snprintf(key, sizeof(key), "%ld %s %s", entry, n->name ? n->name : "", n->msg);
	if (!first_time(&c->seen, key))
		return;
	char *msg = xasprintf("%s (%s)", n->msg, c->variant);
	report(c, n->error, entry, msg);
	free(msg);
}

/* Every architecture the profile can be translated for (those the running
 * libseccomp does not know were noted when the profile was read). */
static void profile_arches(const struct oh_sc_profile *m, const struct host_facts *h,
			   const char ***out, size_t *n)
{
	*out = NULL;
	*n = 0;
	if (m->narches > 0) {
		*out = xcalloc(m->narches, sizeof(**out));
		for (uint32_t i = 0; i < m->narches; i++)
			(*out)[(*n)++] = m->arches[i]->scmp;
		return;
	}
	if (m->narchmap > 0) {
		size_t cap = 0;
		for (uint32_t i = 0; i < m->narchmap; i++)
			cap += 1 + m->archmap[i].nsub;
		*out = xcalloc(cap, sizeof(**out));
		for (uint32_t i = 0; i < m->narchmap; i++) {
			const struct oh_sc_archmap *am = &m->archmap[i];
			if (oh_sc_arch_token(am->arch) == 0)
				continue;
			(*out)[(*n)++] = am->arch->scmp;
			for (uint32_t k = 0; k < am->nsub; k++)
				(*out)[(*n)++] = am->sub[k]->scmp;
		}
		if (*n > 0)
			return;
	}
	free(*out);
	*out = xcalloc(1, sizeof(**out));
	(*out)[(*n)++] = h->arch;
}

/* Names libseccomp cannot resolve on any architecture of the profile:
 * runc drops them without a word, so the call gets the default action. */
static void check_names(struct checker *c, const struct oh_sc_profile *m,
			const char **arches, size_t narches)
{
	for (uint32_t i = 0; i < m->nrules; i++) {
		const struct oh_sc_rule *r = &m->rules[i];

		for (uint32_t k = 0; k < r->nnames; k++) {
			const char *name = oh_sc_rule_name(r, k);
			size_t unknown = 0;
			for (size_t a = 0; a < narches; a++)
				if (bpf_resolve(arches[a], name) == BPF_NAME_UNKNOWN)
					unknown++;
			if (unknown == 0)
				continue;
			char *msg = xasprintf("libseccomp %s does not know the system call "
					      "\"%s\"%s; runc skips it, so the call gets the "
					      "default action, or ENOSYS from runc's stub where "
					      "its number is above every one the profile names "
					      "(profile explain tells which)", bpf_libseccomp_version(),
					      name, unknown < narches ? " on some architectures" : "");
			report(c, c->strict, i, msg);
			free(msg);
		}
	}
}

/* Capabilities the profile's includes and excludes name, each once. */
static struct jval named_caps(struct jdoc *doc, const struct oh_sc_profile *m)
{
	const char *found[64];
	uint32_t n = 0;

	for (uint32_t i = 0; i < m->nrules; i++) {
		const struct oh_sc_filter *f[2] = { &m->rules[i].includes, &m->rules[i].excludes };
		for (size_t k = 0; k < 2; k++) {
			for (uint32_t j = 0; j < f[k]->ncaps; j++) {
				const char *cap = f[k]->caps[j].u.str;
				uint32_t x = 0;
				while (x < n && strcmp(found[x], cap) != 0)
					x++;
				if (x == n && n < sizeof(found) / sizeof(found[0]))
					found[n++] = cap;
			}
		}
	}
	struct jval arr = jv_array(doc, n);
	for (uint32_t i = 0; i < n; i++)
		arr.u.items[i] = jv_str(doc, found[i]);
	return arr;
}

/* One group of architectures translated together: an archMap entry, or
 * the profile's explicit list. */
struct group {
	struct host_facts facts;
	const char **arches;
	size_t narches;
	bool group;   /* arches[0] is the native one, the rest its sub-architectures */
};

static int compile_group(struct checker *c, const struct profile *p,
			 const struct group *g, const struct jval *caps,
			 struct oh_error *err)
{
	cleanup_free uint32_t *src = xcalloc(profile_entry_count(p) + 1, sizeof(*src));
	cleanup_free size_t *none = xcalloc(g->narches, sizeof(*none));
	cleanup_free size_t *all = xcalloc(g->narches, sizeof(*all));
	struct jdoc *doc = json_new();
	int rc = 0;

	/*
	 * No capability, each named capability alone, all of them: the
	 * pairs of includes/excludes entries switch at each, and a rule that
	 * collides with another usually collides in one of these.
	 */
	for (long v = -1; v <= (long)caps->len && rc == 0; v++) {
		struct jval bnd, out;
		char variant[160];

		if (v < 0) {
			bnd = jv_array(doc, 0);
			snprintf(variant, sizeof(variant), "with no capabilities");
		} else if (v < (long)caps->len) {
			bnd = jv_array(doc, 1);
			bnd.u.items[0] = caps->u.items[v];
			snprintf(variant, sizeof(variant), "with %s", caps->u.items[v].u.str);
		} else {
			if (caps->len < 2)
				continue;
			bnd = *caps;
			snprintf(variant, sizeof(variant), "with every capability the profile names");
		}
		if (profile_translate_indexed(p, doc, &bnd, &g->facts, &out, src, err) < 0) {
			rc = -1;
			break;
		}
		c->src = src;
		struct oh_sc_profile om;
		if (oh_seccomp_decode(&out, false, c->file, &om, err) < 0) {
			rc = -1;
			break;
		}
		for (size_t a = 0; a < g->narches; a++) {
			size_t insns = 0;
			char *vs = xasprintf("%s, for %s", variant, g->arches[a]);
			c->variant = vs;
			rc = bpf_compile(&om, &g->arches[a], 1, &insns, on_bpf_note, c, err);
			free(vs);
			if (rc < 0) {
				oh_err_wrap(err, "%s", g->arches[a]);
				break;
			}
			rc = 0;
			if (v < 0)
				none[a] = insns;
			all[a] = insns;
		}
		oh_sc_profile_free(&om);
	}
	json_free(doc);
	if (rc < 0)
		return -1;
	for (size_t a = 0; a < g->narches; a++) {
		char sub[96] = "";
		/* An archMap can list one sub-architecture under several. */
		if (a > 0 && g->group)
			snprintf(sub, sizeof(sub), " (under %s)", g->arches[0]);
		if (caps->len == 0)
			printf("%s: %s%s: %zu BPF instructions\n", c->file, g->arches[a],
			       sub, none[a]);
		else
			printf("%s: %s%s: %zu BPF instructions without capabilities, %zu with "
			       "all %u the profile names\n", c->file, g->arches[a], sub,
			       none[a], all[a], caps->len);
	}
	return 0;
}

static int compile_all(struct checker *c, const struct profile *p,
		       struct oh_error *err)
{
	const struct oh_sc_profile *m = profile_model(p);
	const struct host_facts *h = host_facts();
	struct jdoc *doc = json_new();
	struct jval caps = named_caps(doc, m);
	int rc = 0;

	if (m->narches == 0 && m->narchmap > 0) {
		/* Each archMap entry as if it were the host's native arch. */
		for (uint32_t i = 0; i < m->narchmap && rc == 0; i++) {
			const struct oh_sc_archmap *am = &m->archmap[i];
			struct group g = { .facts = *h, .group = true };
			cleanup_free const char **arches = xcalloc(1 + am->nsub, sizeof(*arches));

			if (oh_sc_arch_token(am->arch) == 0)
				continue;  /* noted when the profile was read */
			snprintf(g.facts.arch, sizeof(g.facts.arch), "%s", am->arch->scmp);
			snprintf(g.facts.goarch, sizeof(g.facts.goarch), "%s", am->arch->go);
			arches[g.narches++] = am->arch->scmp;
			for (uint32_t k = 0; k < am->nsub; k++)
				arches[g.narches++] = am->sub[k]->scmp;
			g.arches = arches;
			rc = compile_group(c, p, &g, &caps, err);
		}
	} else {
		struct group g = { .facts = *h };
		cleanup_free const char **arches = NULL;
		profile_arches(m, h, &arches, &g.narches);
		g.arches = arches;
		rc = compile_group(c, p, &g, &caps, err);
	}
	json_free(doc);
	return rc;
}

/* The profile's strength for a container without capabilities on this
 * host: the judgement seccomp-unconfined makes of its translation. */
static int report_strength(const struct checker *c, const struct profile *p,
			   struct oh_error *err)
{
	struct jdoc *doc = json_new();
	struct jval out, none = jv_array(doc, 0);
	struct oh_sc_strength st;
	char calls[512];
	int rc = profile_translate(p, doc, &none, host_facts(), &out, err);

	if (rc == 0)
		rc = oh_seccomp_strength(&out, &none, host_facts(), &st, err);
	json_free(doc);
	if (rc < 0)
		return -1;
	if (!st.blocks_something) {
		printf("%s: strength: blocks nothing\n", c->file);
	} else if (!st.confining) {
		oh_sc_strength_list(&st, calls, sizeof(calls));
		printf("%s: strength: weak, it allows %s to a container without "
		       "capabilities\n", c->file, calls);
	} else {
		printf("%s: strength: confining (no must-block call allowed)\n", c->file);
	}
	return 0;
}

static int profile_check(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "strict", no_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct checker c = { 0 };
	struct oh_error err = { 0 };
	struct jdoc *doc;
	struct profile *p;
	char *buf;
	size_t len;
	int opt;

	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (opt == 's') {
			c.strict = true;
		} else if (opt == 'h') {
			printf("usage: %s\n", usage);
			return EXIT_COMPLIANT;
		} else {
			return cli_usage_error(usage, NULL);
		}
	}
	if (optind + 1 != argc)
		return cli_usage_error(usage, "profile check needs one PROFILE");
	c.file = argv[optind];
	if (profile_is_builtin(c.file)) {
		/* Its structure was checked when it was built in. */
		profile_load(c.file, &p, &err);
	} else if (oh_read_file(c.file, OH_MAX_INPUT, &buf, &len, &err) < 0 ||
		   json_parse(buf, len, c.file, &doc, &err) < 0) {
		/* Unreadable and not JSON: 2, there is no profile to judge. */
		cli_error("%s", err.msg);
		return EXIT_ERROR;
	} else {
		c.sys = jobj_get(json_root(doc), "syscalls");
		if (profile_problems(json_root(doc), c.file, on_problem, &c) > 0) {
			printf("%s: invalid: %zu error%s\n", c.file, c.errors,
			       c.errors == 1 ? "" : "s");
			json_free(doc);
			return EXIT_REFUSED;
		}
		if (profile_from_doc(doc, c.file, &p, &err) < 0) {
			/* profile_problems accepted it, so this cannot happen. */
			cli_error("%s", err.msg);
			return EXIT_ERROR;
		}
	}
	c.sys = jobj_get(profile_root(p), "syscalls");
	const struct oh_sc_profile *m = profile_model(p);
	for (size_t i = 0; i < m->nnotes; i++)
		printf("%s: note: %s\n", c.file, m->notes[i]);

	cleanup_free const char **arches = NULL;
	size_t narches;
	profile_arches(m, host_facts(), &arches, &narches);
	check_names(&c, m, arches, narches);
	int rc = compile_all(&c, p, &err);
	if (rc == 0 && c.errors == 0)
		rc = report_strength(&c, p, &err);
	profile_free(p);
	seen_free(&c.seen);
	if (rc < 0) {
		cli_error("%s: %s", c.file, err.msg);
		return EXIT_ERROR;
	}
	if (c.errors > 0) {
		printf("%s: invalid: %zu error%s, %zu warning%s\n", c.file, c.errors,
		       c.errors == 1 ? "" : "s", c.warnings, c.warnings == 1 ? "" : "s");
		return EXIT_REFUSED;
	}
	printf("%s: valid (libseccomp %s", c.file, bpf_libseccomp_version());
	if (c.warnings > 0)
		printf(", %zu warning%s", c.warnings, c.warnings == 1 ? "" : "s");
	printf(")\n");
	return EXIT_COMPLIANT;
}

/* ----------------------------------------------------------- explain */

static void errno_str(uint64_t e, char *out, size_t cap)
{
	const char *n = e > 0 && e < 4096 ? strerrorname_np((int)e) : NULL;

	if (n != NULL)
		snprintf(out, cap, "%s", n);
	else
		snprintf(out, cap, "%llu", (unsigned long long)e);
}

/* "SCMP_ACT_ERRNO (EPERM)": an action with the errno it returns; a name
 * the profile gave for the errno is shown as given. */
static void action_str(enum oh_sc_action act, bool has_errno, uint64_t e,
		       const char *errno_name, char *out, size_t cap)
{
	char en[32];

	if (errno_name != NULL) {
		snprintf(out, cap, "%s (%s)", oh_sc_action_name(act), errno_name);
		return;
	}
	if (!oh_sc_action_takes_errno(act)) {
		snprintf(out, cap, "%s", oh_sc_action_name(act));
		return;
	}
	if (!has_errno) {
		/* runc's choice when a profile gives none */
		snprintf(out, cap, "%s (EPERM)", oh_sc_action_name(act));
		return;
	}
	errno_str(e, en, sizeof(en));
	snprintf(out, cap, "%s (%s)", oh_sc_action_name(act), en);
}

static void rule_action_str(const struct oh_sc_rule *r, char *out, size_t cap)
{
	action_str(r->action, r->has_errno, r->errno_ret, r->errno_name, out, cap);
}

static void value_str(uint64_t v, char *out, size_t cap)
{
	if (v > 255)
		snprintf(out, cap, "%#llx", (unsigned long long)v);
	else
		snprintf(out, cap, "%llu", (unsigned long long)v);
}

static void cond_str(const struct oh_sc_cond *a, char *out, size_t cap)
{
	char vs[32], ts[32];

	value_str(a->value, vs, sizeof(vs));
	value_str(a->value_two, ts, sizeof(ts));
	if (a->op == OH_SC_MASKED_EQ)
		snprintf(out, cap, "arg%u & %s == %s", a->index, vs, ts);
	else
		snprintf(out, cap, "arg%u %s %s", a->index, oh_sc_op_symbol(a->op), vs);
}

/* A comment's headline, up to its first ':' or ';'. */
static void comment_head(const struct oh_sc_rule *r, char *out, size_t cap)
{
	size_t n;

	out[0] = '\0';
	if (r->comment == NULL || r->comment[0] == '\0')
		return;
	n = strcspn(r->comment, ":;");
	if (n > 60)
		n = 60;
	snprintf(out, cap, " \"%.*s\"", (int)n, r->comment);
}

struct explainer {
	const char *syscall;
	const struct oh_sc_profile *om;   /* the translation, decoded */
	const uint32_t *src;              /* its rule -> profile entry */
	const struct oh_sc_arch *arch;    /* the host's */
	uint32_t def;                     /* libseccomp default action */
	char defstr[64];
	struct oh_bpf_prog prog;          /* the filter runc would load */
	bool compiled;
};

static uint32_t rule_value(const struct oh_sc_rule *r)
{
	return oh_sc_action_value(r->action, r->has_errno, r->errno_ret);
}

/* The argument tests of the rules that make the verdict depend on them. */
static void list_conditions(const struct explainer *x)
{
	for (uint32_t k = 0; k < x->om->nrules; k++) {
		const struct oh_sc_rule *r = &x->om->rules[k];
		unsigned seen[6] = { 0 };
		bool split = false;
		char as[64], line[512] = "";

		if (!oh_sc_rule_names(r, x->syscall) || r->nargs == 0 || rule_value(r) == x->def)
			continue;
		rule_action_str(r, as, sizeof(as));
		for (uint32_t i = 0; i < r->nargs; i++)
			if (seen[r->args[i].index]++ > 0)
				split = true;
		/* runc splits same-argument tests into rules of their own. */
		for (uint32_t i = 0; i < r->nargs; i++) {
			char cs[96];
			cond_str(&r->args[i], cs, sizeof(cs));
			if (split)
				printf("  %s when %s (entry %u)\n", as, cs, x->src[k]);
			else
				snprintf(line + strlen(line), sizeof(line) - strlen(line), "%s%s",
					 i > 0 ? " and " : "", cs);
		}
		if (!split)
			printf("  %s when %s (entry %u)\n", as, line, x->src[k]);
	}
}

/* A call the host's own ABI lacks (socketcall, _llseek on x86_64): what
 * the filter answers a program of each other ABI it covers that has it. */
static void verdict_elsewhere(const struct explainer *x)
{
	struct oh_error err = { 0 };
	bool any = false;

	printf("verdict: none: %s has no system call %s\n", x->arch->scmp, x->syscall);
	for (uint32_t i = 0; x->compiled && i < x->om->narches; i++) {
		const struct oh_sc_arch *a = x->om->arches[i];
		struct oh_sc_verdict v;
		char rs[64];
		int nr;

		if (a == x->arch || oh_sc_syscall_nr(a, x->syscall, &nr, NULL) < 0)
			continue;
		struct seccomp_data d = { .nr = nr, .arch = a->audit };
		if (oh_sc_evaluate(x->om, &x->prog, &d, &v, &err) < 0)
			continue;
		oh_sc_ret_str(v.ret, rs, sizeof(rs));
		printf("  for %s programs (number %d, every argument 0): %s%s\n", a->scmp, nr, rs,
		       v.from_stub ? ", from runc's -ENOSYS stub" : "");
		any = true;
	}
	if (!any)
		printf("  no other architecture of the filter has it\n");
}

/*
 * The verdict is what the filter runc would load answers, evaluated
 * (runc's -ENOSYS stub, then libseccomp's program); the entries are named
 * only to say where the answer comes from.
 */
static void verdict(const struct explainer *x)
{
	int nr;
	bool ours;
	struct oh_error err = { 0 };
	struct oh_sc_answer a;
	char rs[64];

	if (oh_sc_syscall_nr(x->arch, x->syscall, &nr, &ours) < 0) {
		if (bpf_resolve(x->arch->scmp, x->syscall) == BPF_NAME_UNKNOWN)
			printf("verdict: %s, the default action: the filter cannot hold a "
			       "rule for a call libseccomp does not know\n", x->defstr);
		else
			verdict_elsewhere(x);
		return;
	}
	if (!x->compiled) {
		printf("verdict: unknown: libseccomp refuses the profile, so runc would "
		       "not start the container (see profile check)\n");
		return;
	}
	if (oh_sc_answer(x->om, &x->prog, x->arch, x->syscall, nr, ours, &a, &err) < 0) {
		printf("verdict: unknown: %s\n", err.msg);
		return;
	}
	oh_sc_ret_str(a.v.ret, rs, sizeof(rs));
	switch (a.from) {
	case OH_SC_FROM_STUB:
		printf("verdict: %s, from runc's -ENOSYS stub: %s is number %d on %s, above "
		       "%d, the highest the profile names there\n", rs, x->syscall, nr,
		       x->arch->scmp, a.v.highest);
		return;
	case OH_SC_FROM_ARGS:
		printf("verdict: depends on the arguments:\n");
		list_conditions(x);
		printf("  otherwise %s, the default action\n", x->defstr);
		printf("  with every argument 0: %s\n", rs);
		return;
	case OH_SC_FROM_RULE: {
		char as[64];
		rule_action_str(&x->om->rules[a.rule], as, sizeof(as));
		printf("verdict: %s, from entry %u%s\n", as, x->src[a.rule],
		       a.nconds > 0 ? " (it overrides the entries with argument tests)" : "");
		return;
	}
	case OH_SC_FROM_DEFAULT:
		printf("verdict: %s, the default action: no entry that applies names %s\n",
		       x->defstr, x->syscall);
		return;
	case OH_SC_FROM_FILTER:
		break;
	}
	printf("verdict: %s, from the filter\n", rs);
}

static int explain(const char *file, const char *syscall, const struct jval *caps)
{
	struct oh_error err = { 0 };
	struct explainer x = { .syscall = syscall };
	struct profile *p;
	struct jval out, bnd;
	const struct host_facts *h = host_facts();

	x.arch = oh_sc_arch_by_name(h->arch);
	if (x.arch == NULL) {
		cli_error("unknown host architecture %s", h->arch);
		return EXIT_ERROR;
	}
	if (profile_load(file, &p, &err) < 0) {
		cli_error("%s", err.msg);
		return EXIT_ERROR;
	}
	const struct oh_sc_profile *m = profile_model(p);
	struct jdoc *doc = json_new();
	bnd = jv_array(doc, caps->len);
	for (uint32_t i = 0; i < caps->len; i++)
		bnd.u.items[i] = jv_str(doc, caps->u.items[i].u.str);
	cleanup_free uint32_t *src = xcalloc(profile_entry_count(p) + 1, sizeof(*src));
	struct oh_sc_profile om = { 0 };
	if (profile_translate_indexed(p, doc, &bnd, h, &out, src, &err) < 0 ||
	    oh_seccomp_decode(&out, false, file, &om, &err) < 0) {
		cli_error("%s", err.msg);
		json_free(doc);
		profile_free(p);
		return EXIT_ERROR;
	}
	x.om = &om;
	x.src = src;
	x.def = oh_sc_action_value(om.def, om.has_def_errno, om.def_errno);
	action_str(m->def, m->has_def_errno, m->def_errno, m->def_errno_name,
		   x.defstr, sizeof(x.defstr));
	size_t insns;
	x.compiled = bpf_compile_prog(&om, NULL, 0, &insns, &x.prog, NULL, NULL, &err) == 0;

	/* The situation */
	printf("%s for a container with ", syscall);
	if (caps->len == 0)
		printf("no capabilities");
	for (uint32_t i = 0; i < caps->len; i++)
		printf("%s%s", i ? ", " : "", caps->u.items[i].u.str);
	printf(" on %s", h->arch);
	for (uint32_t i = 1; i < om.narches; i++)
		printf("%s%s", i == 1 ? " (and " : ", ", om.arches[i]->scmp);
	printf("%s, kernel %u.%u.%u:\n", om.narches > 1 ? ")" : "",
	       h->kernel[0], h->kernel[1], h->kernel[2]);

	switch (bpf_resolve(h->arch, syscall)) {
	case BPF_NAME_UNKNOWN:
		printf("  note: libseccomp %s does not know \"%s\": runc skips every rule "
		       "naming it\n", bpf_libseccomp_version(), syscall);
		break;
	case BPF_NAME_ABSENT:
		printf("  note: %s has no system call %s; rules for it reach only the "
		       "architectures that have it\n", h->arch, syscall);
		break;
	case BPF_NAME_PRESENT:
		break;
	}

	/* Every entry that names the call, and whether it applies. */
	size_t mentioned = 0;
	for (uint32_t i = 0; i < m->nrules; i++) {
		const struct oh_sc_rule *e = &m->rules[i];
		char why[512], as[64], head[80], conds[512] = "";

		if (!oh_sc_rule_names(e, syscall))
			continue;
		mentioned++;
		comment_head(e, head, sizeof(head));
		rule_action_str(e, as, sizeof(as));
		for (uint32_t k = 0; k < e->nargs; k++) {
			char cs[96];
			cond_str(&e->args[k], cs, sizeof(cs));
			snprintf(conds + strlen(conds), sizeof(conds) - strlen(conds), "%s%s",
				 k ? " and " : " when ", cs);
		}
		bool applies = oh_sc_rule_applies(e, &bnd, h, why, sizeof(why));
		bool same = false;
		/* The translated rule carries the errno the entry resolves to. */
		for (uint32_t k = 0; applies && k < om.nrules; k++)
			if (src[k] == i)
				same = rule_value(&om.rules[k]) == x.def;
		printf("  entry %u%s: %s%s: %s%s%s%s\n", i, head, as, conds,
		       applies ? "applies" : "skipped", why[0] ? " (" : "", why,
		       why[0] ? ")" : "");
		if (same)
			printf("    it repeats the default action, so runc leaves it out\n");
	}
	if (mentioned == 0)
		printf("  no entry names %s\n", syscall);
	verdict(&x);
	oh_bpf_prog_free(&x.prog);
	oh_sc_profile_free(&om);
	json_free(doc);
	profile_free(p);
	return EXIT_COMPLIANT;
}

static int profile_explain(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "cap", required_argument, NULL, 'c' },
		{ "host-facts", required_argument, NULL, OPT_HOST_FACTS },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct oh_error err = { 0 };
	struct jdoc *doc = json_new();
	struct jval caps = jv_array(doc, (uint32_t)argc);
	const char *facts = NULL;
	int opt;

	caps.len = 0;
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (opt == 'c') {
			/* As a user types it (sys_admin); stored as runc spells it. */
			int n = caps_from_loose(optarg);
			if (n < 0) {
				json_free(doc);
				return cli_usage_error(usage, "--cap: unknown capability");
			}
			caps.u.items[caps.len++] = jv_str(doc, caps_name(n));
		} else if (opt == OPT_HOST_FACTS) {
			facts = optarg;
		} else if (opt == 'h') {
			json_free(doc);
			printf("usage: %s\n", usage);
			return EXIT_COMPLIANT;
		} else {
			json_free(doc);
			return cli_usage_error(usage, NULL);
		}
	}
	if (optind + 2 != argc) {
		json_free(doc);
		return cli_usage_error(usage, "profile explain needs PROFILE and SYSCALL");
	}
	if (facts != NULL && host_facts_load(facts, &err) < 0) {
		cli_error("--host-facts: %s", err.msg);
		json_free(doc);
		return EXIT_ERROR;
	}
	int rc = explain(argv[optind], argv[optind + 1], &caps);
	json_free(doc);
	return rc;
}

/* ------------------------------------------------------------- show */

/* Prints a profile as the binary holds it: the start of a custom one. */
static int profile_show(int argc, char **argv)
{
	struct oh_error err = { 0 };
	struct profile *p;

	if (argc == 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
		printf("usage: %s\n", usage);
		return EXIT_COMPLIANT;
	}
	if (argc != 2)
		return cli_usage_error(usage, "profile show needs one PROFILE");
	if (profile_load(argv[1], &p, &err) < 0) {
		cli_error("%s", err.msg);
		return EXIT_ERROR;
	}
	struct jsink *s = jsink_fd(STDOUT_FILENO);
	json_write(s, profile_root(p), true);
	jsink_raw(s, "\n", 1);
	int rc = jsink_finish(s);
	jsink_free(s);
	profile_free(p);
	if (rc < 0) {
		cli_error("standard output: %s", strerror(errno));
		return EXIT_ERROR;
	}
	return EXIT_COMPLIANT;
}

int cmd_profile(int argc, char **argv, struct oh_error *err)
{
	if (argc >= 2 && strcmp(argv[1], "learn") == 0)
		return profile_learn(argc - 1, argv + 1, err);
	if (argc >= 2 && strcmp(argv[1], "denials") == 0)
		return profile_denials(argc - 1, argv + 1, err);
	if (argc < 2)
		return cli_usage_error(usage, "profile needs check, explain, show, learn or denials");
	if (strcmp(argv[1], "check") == 0)
		return profile_check(argc - 1, argv + 1);
	if (strcmp(argv[1], "explain") == 0)
		return profile_explain(argc - 1, argv + 1);
	if (strcmp(argv[1], "show") == 0)
		return profile_show(argc - 1, argv + 1);
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		printf("usage: %s\n", usage);
		return EXIT_COMPLIANT;
	}
	return cli_usage_error(usage, "profile needs check, explain, show, learn or denials");
}
