/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Build-time generator: writes the bundled docker-format seccomp profiles
 * as C data (builtin.h), so the hook does not read and parse 37 KiB of
 * JSON at every container start.
 *
 *     embed-profiles OUT.c NAME=FILE...
 *
 * Each profile is loaded and checked exactly as at run time (profile_load),
 * so a profile the hook would refuse fails the build instead; its decoded
 * model is written too, so the hook does not decode it again.  The output
 * is written atomically: a failed run leaves no half-written file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "json.h"
#include "ohseccomp.h"
#include "scmodel.h"
#include "util.h"
#include "c_literal.h"

struct gen {
	struct oh_buf pool;     /* the pool's C source */
	size_t pool_len;        /* its length in bytes */
	struct oh_buf nodes;    /* the node table's C source */
	uint32_t n_nodes;
	/* Texts already in the pool (keys and values repeat a lot). */
	struct text {
		const char *s;
		uint32_t len, at;
	} *texts;
	size_t n_texts;
};

/* The pool offset of a text, added (with its NUL) when new. */
static uint32_t pool_text(struct gen *g, const char *s, uint32_t n)
{
	for (size_t i = 0; i < g->n_texts; i++)
		if (g->texts[i].len == n && memcmp(g->texts[i].s, s, n) == 0)
			return g->texts[i].at;
	if (g->pool_len + n + 1 > UINT32_MAX) {
		fprintf(stderr, "embed-profiles: the profiles are too large\n");
		exit(2);
	}
	g->texts = xrealloc(g->texts, (g->n_texts + 1) * sizeof(*g->texts));
	g->texts[g->n_texts++] = (struct text){ s, n, (uint32_t)g->pool_len };
	oh_buf_puts(&g->pool, "\t");
	c_literal(&g->pool, s, n);
	oh_buf_puts(&g->pool, " \"\\000\"\n");
	g->pool_len += n + 1;
	return (uint32_t)(g->pool_len - n - 1);
}

static const char *const type_names[] = {
	[J_NULL] = "J_NULL", [J_FALSE] = "J_FALSE", [J_TRUE] = "J_TRUE",
	[J_NUMBER] = "J_NUMBER", [J_STRING] = "J_STRING",
	[J_OBJECT] = "J_OBJECT", [J_ARRAY] = "J_ARRAY",
};

/* One tree, breadth first: the children of each container are
 * consecutive, after every node before them.  Returns the node count;
 * *order receives the nodes in that order. */
static uint32_t emit_tree(struct gen *g, const struct jval *root, const struct jval ***order)
{
	size_t cap = 64, n = 1;
	const struct jval **vals = xcalloc(cap, sizeof(*vals));
	const struct jmember **keys = xcalloc(cap, sizeof(*keys));
	uint32_t first = g->n_nodes;

	vals[0] = root;
	for (size_t i = 0; i < n; i++) {
		const struct jval *v = vals[i];
		uint32_t at = 0, key = 0, klen = 0;

		if (v->type == J_STRING || v->type == J_NUMBER) {
			at = pool_text(g, v->u.str, v->len);
		} else if (v->type == J_ARRAY || v->type == J_OBJECT) {
			at = first + (uint32_t)n;
			if (n + v->len > cap) {
				cap = (n + v->len) * 2;
				vals = xrealloc(vals, cap * sizeof(*vals));
				keys = xrealloc(keys, cap * sizeof(*keys));
			}
			for (uint32_t k = 0; k < v->len; k++, n++) {
				bool obj = v->type == J_OBJECT;
				vals[n] = obj ? &v->u.members[k].val : &v->u.items[k];
				keys[n] = obj ? &v->u.members[k] : NULL;
			}
		}
		if (keys[i] != NULL) {
			key = pool_text(g, keys[i]->key, keys[i]->klen);
			klen = keys[i]->klen;
		}
		oh_buf_printf(&g->nodes, "\t{ %s, %u, %u, %u, %u },\n",
			      type_names[v->type], v->len, at, key, klen);
	}
	*order = vals;
	free(keys);
	g->n_nodes += (uint32_t)n;
	return (uint32_t)n;
}

/* ------------------------------------------------- the decoded model */

struct tree {
	const struct jval **order;  /* node i of the profile */
	uint32_t n;
};

/* The node index of a value in the tree, OH_BUILTIN_NONE for NULL. */
static uint32_t node_of(const struct tree *t, const struct jval *v)
{
	if (v == NULL)
		return OH_BUILTIN_NONE;
	for (uint32_t i = 0; i < t->n; i++)
		if (t->order[i] == v)
			return i;
	fprintf(stderr, "embed-profiles: a model value outside its tree\n");
	exit(2);
}

/* The node of a string the model holds by its text. */
static uint32_t node_of_text(const struct tree *t, const char *s)
{
	if (s == NULL)
		return OH_BUILTIN_NONE;
	for (uint32_t i = 0; i < t->n; i++)
		if (t->order[i]->type == J_STRING && t->order[i]->u.str == s)
			return i;
	fprintf(stderr, "embed-profiles: a model text outside its tree\n");
	exit(2);
}

struct model_out {
	struct oh_buf rules, conds, archmaps, refs;
	uint32_t n_rules, n_conds, n_archmaps, n_refs;
};

static uint32_t arch_ref(struct model_out *o, const struct oh_sc_arch *a)
{
	oh_buf_printf(&o->refs, "\t%zu,\n", (size_t)(a - oh_sc_arch_at(0)));
	return o->n_refs++;
}

static void emit_filter(struct oh_buf *b, const struct tree *t, const struct oh_sc_filter *f)
{
	oh_buf_printf(b, "{ %u, %u, %u, %u, %u, { %u, %u, %u } }",
		      f->ncaps ? node_of(t, &f->caps[0]) : OH_BUILTIN_NONE,
		      f->narches ? node_of(t, &f->arches[0]) : OH_BUILTIN_NONE,
		      f->ncaps, f->narches, node_of_text(t, f->min_kernel), f->min_kernel_v[0],
		      f->min_kernel_v[1], f->min_kernel_v[2]);
}

/* The model as the initializer of a struct builtin_model, its arrays
 * appended to the tables. */
static void emit_model(struct model_out *o, struct oh_buf *table, const struct tree *t,
		       const struct oh_sc_profile *m)
{
	uint32_t arches = o->n_refs, archmap = o->n_archmaps, rules = o->n_rules;

	if (m->nnotes > 0) {
		/* A bundled profile the running libseccomp cannot fully
		 * build for would translate differently elsewhere. */
		fprintf(stderr, "embed-profiles: %s\n", m->notes[0]);
		exit(2);
	}
	for (uint32_t i = 0; i < m->narches; i++)
		arch_ref(o, m->arches[i]);
	for (uint32_t i = 0; i < m->narchmap; i++) {
		const struct oh_sc_archmap *am = &m->archmap[i];
		uint32_t sub = o->n_refs;
		for (uint32_t k = 0; k < am->nsub; k++)
			arch_ref(o, am->sub[k]);
		oh_buf_printf(&o->archmaps, "\t{ %zu, %u, %u, %u },\n",
			      (size_t)(am->arch - oh_sc_arch_at(0)), sub, am->nsub,
			      node_of(t, am->sub_v));
		o->n_archmaps++;
	}
	for (uint32_t i = 0; i < m->nrules; i++) {
		const struct oh_sc_rule *r = &m->rules[i];
		uint32_t args = o->n_conds;
		for (uint32_t k = 0; k < r->nargs; k++) {
			const struct oh_sc_cond *c = &r->args[k];
			oh_buf_printf(&o->conds, "\t{ %lluull, %lluull, %u, %u, %u, %u, %u, %u },\n",
				      (unsigned long long)c->value, (unsigned long long)c->value_two,
				      node_of(t, c->index_v), node_of(t, c->value_v),
				      node_of(t, c->value_two_v), node_of(t, c->op_v),
				      c->index, (unsigned)c->op);
			o->n_conds++;
		}
		oh_buf_printf(&o->rules, "\t{ %u, %u, %u, %u, %u, %u, %u, %u, %u, %u, ",
			      node_of(t, r->src), node_of(t, r->names_v),
			      r->nnames ? node_of(t, &r->names[0]) : OH_BUILTIN_NONE, r->nnames,
			      node_of(t, r->action_v), node_of_text(t, r->errno_name),
			      node_of_text(t, r->comment), r->errno_ret, args, r->nargs);
		emit_filter(&o->rules, t, &r->includes);
		oh_buf_puts(&o->rules, ", ");
		emit_filter(&o->rules, t, &r->excludes);
		oh_buf_printf(&o->rules, ", %u, %u, %u, %u },\n", (unsigned)r->action,
			      r->has_errno, r->has_includes, r->has_excludes);
		o->n_rules++;
	}
	oh_buf_printf(table, "{ %u, %u, %u, %u, %u, %u, %u, %u, %u, %u, %u, %u, %u, %u, %u, %u }",
		      node_of(t, m->def_v), node_of_text(t, m->def_errno_name), m->def_errno,
		      arches, m->narches, node_of(t, m->arches_v), archmap, m->narchmap,
		      m->flags, node_of(t, m->flags_v), node_of(t, m->listener_path_v),
		      node_of(t, m->listener_metadata_v), rules, m->nrules,
		      (unsigned)m->def, m->has_def_errno);
}

static int produce(int fd, void *ctx, struct oh_error *err)
{
	struct oh_buf *b = ctx;

	if (oh_write_all(fd, b->data, b->len) < 0) {
		oh_err(err, 0, "write failed");
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct gen g = { 0 };
	struct oh_error err = { 0 };
	struct oh_buf table = { 0 }, out = { 0 };
	struct model_out mo = { 0 };
	struct oh_buf models = { 0 };
	struct profile **loaded;
	int rc = 2;

	if (argc < 3) {
		fprintf(stderr, "usage: embed-profiles OUT.c NAME=FILE...\n");
		return 2;
	}
	loaded = xcalloc((size_t)argc, sizeof(*loaded));
	oh_buf_puts(&table, "const struct builtin_profile oh_builtin_profiles[] = {\n");
	for (int i = 2; i < argc; i++) {
		char *eq = strchr(argv[i], '=');

		if (eq == NULL || eq == argv[i]) {
			fprintf(stderr, "embed-profiles: %s: want NAME=FILE\n", argv[i]);
			goto out;
		}
		*eq = '\0';
		if (profile_load(eq + 1, &loaded[i], &err) < 0) {
			fprintf(stderr, "embed-profiles: %s\n", err.msg);
			goto out;
		}
		uint32_t root = g.n_nodes;
		struct tree t = { 0 };
		t.n = emit_tree(&g, profile_root(loaded[i]), &t.order);
		oh_buf_puts(&table, "\t{ ");
		c_literal(&table, argv[i], strlen(argv[i]));
		oh_buf_printf(&table, ", %u, %u },\n", root, t.n);
		oh_buf_puts(&models, "\t");
		emit_model(&mo, &models, &t, profile_model(loaded[i]));
		oh_buf_puts(&models, ",\n");
		free(t.order);
	}
	oh_buf_printf(&table, "};\nconst size_t oh_builtin_profile_count = %d;\n", argc - 2);

	oh_buf_puts(&out, "/* Generated at build time by tools/embed-profiles.c "
		    "from seccomp-profiles/; do not edit. */\n"
		    "#include \"builtin.h\"\n#include \"json.h\"\n\n"
		    "const char oh_builtin_pool[] =\n");
	oh_buf_add(&out, g.pool.data, g.pool.len);
	oh_buf_puts(&out, "\t;\n\nconst struct builtin_node oh_builtin_nodes[] = {\n");
	oh_buf_add(&out, g.nodes.data, g.nodes.len);
	oh_buf_puts(&out, "};\n\n");
	oh_buf_add(&out, table.data, table.len);
	oh_buf_puts(&out, "\nconst struct builtin_model oh_builtin_models[] = {\n");
	oh_buf_add(&out, models.data, models.len);
	oh_buf_puts(&out, "};\n");
	/* Empty tables still need one element in C. */
	oh_buf_puts(&out, "\nconst struct builtin_rule oh_builtin_rules[] = {\n");
	oh_buf_add(&out, mo.rules.data, mo.rules.len);
	oh_buf_puts(&out, mo.n_rules ? "};\n" : "\t{ 0 },\n};\n");
	oh_buf_puts(&out, "const struct builtin_cond oh_builtin_conds[] = {\n");
	oh_buf_add(&out, mo.conds.data, mo.conds.len);
	oh_buf_puts(&out, mo.n_conds ? "};\n" : "\t{ 0 },\n};\n");
	oh_buf_puts(&out, "const struct builtin_archmap oh_builtin_archmaps[] = {\n");
	oh_buf_add(&out, mo.archmaps.data, mo.archmaps.len);
	oh_buf_puts(&out, mo.n_archmaps ? "};\n" : "\t{ 0 },\n};\n");
	oh_buf_puts(&out, "const uint32_t oh_builtin_arch_refs[] = {\n");
	oh_buf_add(&out, mo.refs.data, mo.refs.len);
	oh_buf_puts(&out, mo.n_refs ? "};\n" : "\t0,\n};\n");
	if (oh_write_atomic(argv[1], produce, &out, &err) < 0)
		fprintf(stderr, "embed-profiles: %s: %s\n", argv[1], err.msg);
	else
		rc = 0;
out:
	for (int i = 2; i < argc; i++)
		profile_free(loaded[i]);
	free(loaded);
	free(g.texts);
	oh_buf_free(&g.pool), oh_buf_free(&g.nodes);
	oh_buf_free(&table), oh_buf_free(&out);
	oh_buf_free(&mo.rules), oh_buf_free(&mo.conds);
	oh_buf_free(&mo.archmaps), oh_buf_free(&mo.refs);
	oh_buf_free(&models);
	return rc;
}
