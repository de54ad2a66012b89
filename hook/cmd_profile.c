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
#include "caps.h"
#include "cli.h"
#include "host.h"
#include "json.h"
#include "seccomp.h"
#include "util.h"

static const char usage[] =
	"oci-harden profile check [--strict] PROFILE\n"
	"       oci-harden profile explain [--cap CAP]... [--host-facts FILE] PROFILE SYSCALL\n"
	"       oci-harden profile show PROFILE\n"
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

struct seen {
	char **keys;
	size_t n;
};

/* True the first time a key is seen: variants and arches repeat notes. */
static bool first_time(struct seen *s, const char *key)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->keys[i], key) == 0)
			return false;
	s->keys = xrealloc(s->keys, (s->n + 1) * sizeof(*s->keys));
	s->keys[s->n++] = xstrdup(key);
	return true;
}

static void seen_free(struct seen *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->keys[i]);
	free(s->keys);
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

/* Every architecture the profile can be translated for. */
static void profile_arches(const struct jval *root, const struct host_facts *h,
			   const char ***out, size_t *n)
{
	const struct jval *map = jobj_get(root, "archMap");
	const struct jval *listed = jobj_get(root, "architectures");

	*out = NULL;
	*n = 0;
	if (listed != NULL && listed->len > 0) {
		*out = xcalloc(listed->len, sizeof(**out));
		for (uint32_t i = 0; i < listed->len; i++)
			(*out)[(*n)++] = listed->u.items[i].u.str;
		return;
	}
	if (map != NULL && map->len > 0) {
		size_t cap = 0;
		for (uint32_t i = 0; i < map->len; i++) {
			const struct jval *sub = jobj_get(&map->u.items[i], "subArchitectures");
			cap += 1 + (sub != NULL ? sub->len : 0);
		}
		*out = xcalloc(cap, sizeof(**out));
		for (uint32_t i = 0; i < map->len; i++) {
			const struct jval *m = &map->u.items[i];
			const struct jval *sub = jobj_get(m, "subArchitectures");
			(*out)[(*n)++] = jobj_get(m, "architecture")->u.str;
			for (uint32_t k = 0; sub != NULL && k < sub->len; k++)
				(*out)[(*n)++] = sub->u.items[k].u.str;
		}
		return;
	}
	*out = xcalloc(1, sizeof(**out));
	(*out)[(*n)++] = h->arch;
}

/* Names libseccomp cannot resolve on any architecture of the profile:
 * runc drops them without a word, so the call gets the default action. */
static void check_names(struct checker *c, const char **arches, size_t narches)
{
	for (uint32_t i = 0; c->sys != NULL && i < c->sys->len; i++) {
		const struct jval *single, *names = entry_names(&c->sys->u.items[i], &single);
		uint32_t n = names != NULL ? names->len : single != NULL ? 1 : 0;

		for (uint32_t k = 0; k < n; k++) {
			const char *name = names != NULL ? names->u.items[k].u.str : single->u.str;
			size_t unknown = 0;
			for (size_t a = 0; a < narches; a++)
				if (bpf_resolve(arches[a], name) == BPF_NAME_UNKNOWN)
					unknown++;
			if (unknown == 0)
				continue;
			char *msg = xasprintf("libseccomp %s does not know the system call "
					      "\"%s\"%s; runc skips it, so the call gets the "
					      "default action", bpf_libseccomp_version(), name,
					      unknown < narches ? " on some architectures" : "");
			report(c, c->strict, i, msg);
			free(msg);
		}
	}
}

/* Capabilities the profile's includes and excludes name, each once. */
static struct jval named_caps(struct jdoc *doc, const struct jval *sys)
{
	const char *found[64];
	uint32_t n = 0;
	static const char *const keys[] = { "includes", "excludes" };

	for (uint32_t i = 0; sys != NULL && i < sys->len; i++) {
		for (size_t k = 0; k < 2; k++) {
			const struct jval *caps = jobj_get(jobj_get(&sys->u.items[i], keys[k]), "caps");
			for (uint32_t j = 0; caps != NULL && j < caps->len; j++) {
				const char *cap = caps->u.items[j].u.str;
				uint32_t m = 0;
				while (m < n && strcmp(found[m], cap) != 0)
					m++;
				if (m == n && n < sizeof(found) / sizeof(found[0]))
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
		for (size_t a = 0; a < g->narches; a++) {
			size_t insns = 0;
			char *vs = xasprintf("%s, for %s", variant, g->arches[a]);
			c->variant = vs;
			rc = bpf_compile(&out, &g->arches[a], 1, &insns, on_bpf_note, c, err);
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
	const struct jval *root = profile_root(p);
	const struct jval *map = jobj_get(root, "archMap");
	const struct jval *listed = jobj_get(root, "architectures");
	const struct host_facts *h = host_facts();
	struct jdoc *doc = json_new();
	struct jval caps = named_caps(doc, c->sys);
	int rc = 0;

	if ((listed == NULL || listed->len == 0) && map != NULL && map->len > 0) {
		/* Each archMap entry as if it were the host's native arch. */
		for (uint32_t i = 0; i < map->len && rc == 0; i++) {
			const struct jval *m = &map->u.items[i];
			const struct jval *sub = jobj_get(m, "subArchitectures");
			const char *arch = jobj_get(m, "architecture")->u.str;
			struct group g = { .facts = *h, .group = true };
			cleanup_free const char **arches =
				xcalloc(1 + (sub ? sub->len : 0), sizeof(*arches));

			snprintf(g.facts.arch, sizeof(g.facts.arch), "%s", arch);
			snprintf(g.facts.goarch, sizeof(g.facts.goarch), "%s",
				 host_goarch_of(arch));
			arches[g.narches++] = arch;
			for (uint32_t k = 0; sub != NULL && k < sub->len; k++)
				arches[g.narches++] = sub->u.items[k].u.str;
			g.arches = arches;
			rc = compile_group(c, p, &g, &caps, err);
		}
	} else {
		struct group g = { .facts = *h };
		cleanup_free const char **arches = NULL;
		profile_arches(root, h, &arches, &g.narches);
		g.arches = arches;
		rc = compile_group(c, p, &g, &caps, err);
	}
	json_free(doc);
	return rc;
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

	cleanup_free const char **arches = NULL;
	size_t narches;
	profile_arches(profile_root(p), host_facts(), &arches, &narches);
	check_names(&c, arches, narches);
	int rc = compile_all(&c, p, &err);
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

/* "SCMP_ACT_ERRNO (EPERM)": an action with the errno it returns. */
static void action_str(const char *action, bool has_errno, uint64_t e,
		       char *out, size_t cap)
{
	char en[32];

	if (strcmp(action, "SCMP_ACT_ERRNO") != 0 && strcmp(action, "SCMP_ACT_TRACE") != 0) {
		snprintf(out, cap, "%s", action);
		return;
	}
	if (!has_errno) {
		/* runc's choice when a profile gives none */
		snprintf(out, cap, "%s (EPERM)", action);
		return;
	}
	errno_str(e, en, sizeof(en));
	snprintf(out, cap, "%s (%s)", action, en);
}

/* A docker-format entry's action, errno by name winning as in translation. */
static void source_action_str(const struct jval *e, const char *namekey,
			      const char *numkey, const char *actkey,
			      char *out, size_t cap)
{
	const struct jval *name = jobj_get(e, namekey);
	uint64_t v = 0;
	bool has = false;

	if (name != NULL && name->type == J_STRING && name->len > 0) {
		const char *act = jobj_get(e, actkey)->u.str;
		snprintf(out, cap, "%s (%s)", act, name->u.str);
		return;
	}
	has = jv_get_u64(jobj_get(e, numkey), &v);
	action_str(jobj_get(e, actkey)->u.str, has, v, out, cap);
}

static void value_str(uint64_t v, char *out, size_t cap)
{
	if (v > 255)
		snprintf(out, cap, "%#llx", (unsigned long long)v);
	else
		snprintf(out, cap, "%llu", (unsigned long long)v);
}

static void cond_str(const struct jval *a, char *out, size_t cap)
{
	static const struct {
		const char *op;
		const char *sym;
	} syms[] = {
		{ "SCMP_CMP_NE", "!=" }, { "SCMP_CMP_LT", "<" }, { "SCMP_CMP_LE", "<=" },
		{ "SCMP_CMP_EQ", "==" }, { "SCMP_CMP_GE", ">=" }, { "SCMP_CMP_GT", ">" },
	};
	uint64_t idx = 0, v = 0, two = 0;
	const char *op = jobj_get(a, "op")->u.str;
	char vs[32], ts[32];

	jv_get_u64(jobj_get(a, "index"), &idx);
	jv_get_u64(jobj_get(a, "value"), &v);
	jv_get_u64(jobj_get(a, "valueTwo"), &two);
	value_str(v, vs, sizeof(vs));
	value_str(two, ts, sizeof(ts));
	if (strcmp(op, "SCMP_CMP_MASKED_EQ") == 0) {
		snprintf(out, cap, "arg%llu & %s == %s", (unsigned long long)idx, vs, ts);
		return;
	}
	for (size_t i = 0; i < sizeof(syms) / sizeof(syms[0]); i++)
		if (strcmp(syms[i].op, op) == 0) {
			snprintf(out, cap, "arg%llu %s %s", (unsigned long long)idx, syms[i].sym, vs);
			return;
		}
	snprintf(out, cap, "arg%llu %s %s", (unsigned long long)idx, op, vs);
}

static bool names_include(const struct jval *e, const char *syscall)
{
	const struct jval *single, *names = entry_names(e, &single);

	if (names != NULL) {
		for (uint32_t i = 0; i < names->len; i++)
			if (jv_is_str(&names->u.items[i], syscall))
				return true;
		return false;
	}
	return single != NULL && jv_is_str(single, syscall);
}

/* A comment's headline, up to its first ':' or ';'. */
static void comment_head(const struct jval *e, char *out, size_t cap)
{
	const struct jval *c = jobj_get(e, "comment");
	size_t n;

	out[0] = '\0';
	if (c == NULL || c->type != J_STRING || c->len == 0)
		return;
	n = strcspn(c->u.str, ":;");
	if (n > 60)
		n = 60;
	snprintf(out, cap, " \"%.*s\"", (int)n, c->u.str);
}

struct explainer {
	const char *syscall;
	const struct jval *sys;        /* profile entries */
	const struct jval *rules;      /* translated rules */
	const uint32_t *src;
	const char *arch;              /* the host's, SCMP_ARCH_... */
	uint32_t def;                  /* libseccomp default action */
	char defstr[64];
};

/* The verdict, by libseccomp's rules for several rules on one call: an
 * argument-free rule overrides argument rules, the first of several
 * argument-free rules wins, rules equal to the default are dropped. */
static void verdict(const struct explainer *x)
{
	long uncond = -1;
	size_t nconds = 0;

	if (bpf_resolve(x->arch, x->syscall) == BPF_NAME_UNKNOWN) {
		printf("verdict: %s, the default action: the filter cannot hold a rule "
		       "for a call libseccomp does not know\n", x->defstr);
		return;
	}

	for (uint32_t k = 0; x->rules != NULL && k < x->rules->len; k++) {
		const struct jval *r = &x->rules->u.items[k];
		const struct jval *args = jobj_get(r, "args");
		uint32_t act;

		if (!names_include(r, x->syscall))
			continue;
		bpf_action(jobj_get(r, "action")->u.str, jobj_get(r, "errnoRet"), &act);
		if (act == x->def)
			continue;
		if (args == NULL || args->len == 0) {
			if (uncond < 0)
				uncond = k;
		} else {
			nconds++;
		}
	}
	if (uncond >= 0) {
		const struct jval *r = &x->rules->u.items[uncond];
		char as[64];
		uint64_t e = 0;
		bool has = jv_get_u64(jobj_get(r, "errnoRet"), &e);

		action_str(jobj_get(r, "action")->u.str, has, e, as, sizeof(as));
		printf("verdict: %s, from entry %u%s\n", as, x->src[uncond],
		       nconds > 0 ? " (it overrides the entries with argument tests)" : "");
		return;
	}
	if (nconds == 0) {
		printf("verdict: %s, the default action: no entry that applies names %s\n",
		       x->defstr, x->syscall);
		return;
	}
	printf("verdict: depends on the arguments:\n");
	for (uint32_t k = 0; k < x->rules->len; k++) {
		const struct jval *r = &x->rules->u.items[k];
		const struct jval *args = jobj_get(r, "args");
		unsigned seen[6] = { 0 };
		bool split = false;
		uint32_t act;
		uint64_t e = 0;
		char as[64], line[512] = "";

		if (!names_include(r, x->syscall) || args == NULL || args->len == 0)
			continue;
		bpf_action(jobj_get(r, "action")->u.str, jobj_get(r, "errnoRet"), &act);
		if (act == x->def)
			continue;
		bool has = jv_get_u64(jobj_get(r, "errnoRet"), &e);
		action_str(jobj_get(r, "action")->u.str, has, e, as, sizeof(as));
		for (uint32_t i = 0; i < args->len; i++) {
			uint64_t idx = 0;
			jv_get_u64(jobj_get(&args->u.items[i], "index"), &idx);
			if (idx < 6 && seen[idx]++ > 0)
				split = true;
		}
		/* runc splits same-argument tests into rules of their own. */
		for (uint32_t i = 0; i < args->len; i++) {
			char cs[96];
			cond_str(&args->u.items[i], cs, sizeof(cs));
			if (split) {
				printf("  %s when %s (entry %u)\n", as, cs, x->src[k]);
			} else {
				snprintf(line + strlen(line), sizeof(line) - strlen(line), "%s%s",
					 i > 0 ? " and " : "", cs);
			}
		}
		if (!split)
			printf("  %s when %s (entry %u)\n", as, line, x->src[k]);
	}
	printf("  otherwise %s, the default action\n", x->defstr);
}

static int explain(const char *file, const char *syscall, const struct jval *caps)
{
	struct oh_error err = { 0 };
	struct explainer x = { .syscall = syscall, .arch = host_facts()->arch };
	struct profile *p;
	struct jval out, bnd;
	const struct host_facts *h = host_facts();

	if (profile_load(file, &p, &err) < 0) {
		cli_error("%s", err.msg);
		return EXIT_ERROR;
	}
	struct jdoc *doc = json_new();
	bnd = jv_array(doc, caps->len);
	for (uint32_t i = 0; i < caps->len; i++)
		bnd.u.items[i] = jv_str(doc, caps->u.items[i].u.str);
	cleanup_free uint32_t *src = xcalloc(profile_entry_count(p) + 1, sizeof(*src));
	if (profile_translate_indexed(p, doc, &bnd, h, &out, src, &err) < 0) {
		cli_error("%s", err.msg);
		json_free(doc);
		profile_free(p);
		return EXIT_ERROR;
	}
	x.sys = jobj_get(profile_root(p), "syscalls");
	x.rules = jobj_get(&out, "syscalls");
	x.src = src;
	bpf_action(jobj_get(&out, "defaultAction")->u.str,
		   jobj_get(&out, "defaultErrnoRet"), &x.def);
	source_action_str(profile_root(p), "defaultErrno", "defaultErrnoRet",
			  "defaultAction", x.defstr, sizeof(x.defstr));

	/* The situation */
	const struct jval *arches = jobj_get(&out, "architectures");
	printf("%s for a container with ", syscall);
	if (caps->len == 0)
		printf("no capabilities");
	for (uint32_t i = 0; i < caps->len; i++)
		printf("%s%s", i ? ", " : "", caps->u.items[i].u.str);
	printf(" on %s", h->arch);
	for (uint32_t i = 1; arches != NULL && i < arches->len; i++)
		printf("%s%s", i == 1 ? " (and " : ", ", arches->u.items[i].u.str);
	printf("%s, kernel %u.%u.%u:\n", arches != NULL && arches->len > 1 ? ")" : "",
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
	for (uint32_t i = 0; x.sys != NULL && i < x.sys->len; i++) {
		const struct jval *e = &x.sys->u.items[i];
		char why[512], as[64], head[80], conds[512] = "";
		const struct jval *args = jobj_get(e, "args");

		if (!names_include(e, syscall))
			continue;
		mentioned++;
		comment_head(e, head, sizeof(head));
		source_action_str(e, "errno", "errnoRet", "action", as, sizeof(as));
		for (uint32_t k = 0; args != NULL && k < args->len; k++) {
			char cs[96];
			cond_str(&args->u.items[k], cs, sizeof(cs));
			snprintf(conds + strlen(conds), sizeof(conds) - strlen(conds), "%s%s",
				 k ? " and " : " when ", cs);
		}
		bool applies = profile_entry_applies(e, &bnd, h, why, sizeof(why));
		uint32_t act;
		const struct jval *ret = jobj_get(e, "errnoRet");
		bool same = false;
		if (applies) {
			/* The translated rule carries the errno the entry resolves to. */
			for (uint32_t k = 0; x.rules != NULL && k < x.rules->len; k++)
				if (src[k] == i) {
					const struct jval *r = &x.rules->u.items[k];
					ret = jobj_get(r, "errnoRet");
					bpf_action(jobj_get(r, "action")->u.str, ret, &act);
					same = act == x.def;
				}
		}
		printf("  entry %u%s: %s%s: %s%s%s%s\n", i, head, as, conds,
		       applies ? "applies" : "skipped", why[0] ? " (" : "", why,
		       why[0] ? ")" : "");
		if (same)
			printf("    it repeats the default action, so runc leaves it out\n");
	}
	if (mentioned == 0)
		printf("  no entry names %s\n", syscall);
	verdict(&x);
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

int cmd_profile(int argc, char **argv, struct oh_error *unused)
{
	(void)unused;
	if (argc < 2)
		return cli_usage_error(usage, "profile needs check, explain or show");
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
	return cli_usage_error(usage, "profile needs check, explain or show");
}
