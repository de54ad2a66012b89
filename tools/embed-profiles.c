/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Build-time generator: writes the bundled docker-format seccomp profiles
 * as C data (builtin.h), so the hook does not read and parse 37 KiB of
 * JSON at every container start.
 *
 *     embed-profiles OUT.c NAME=FILE...
 *
 * Each profile is loaded and checked exactly as at run time (profile_load),
 * so a profile the hook would refuse fails the build instead.  The output
 * is written atomically: a failed run leaves no half-written file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "json.h"
#include "ohseccomp.h"
#include "util.h"

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

/* A C string literal: printable ASCII as is, the rest as octal escapes
 * (always three digits, so the next character cannot extend them). */
static void literal(struct oh_buf *b, const char *s, size_t n)
{
	oh_buf_puts(b, "\"");
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\' || c == '?')  /* ? : no trigraphs */
			oh_buf_printf(b, "\\%c", c);
		else if (c >= 0x20 && c < 0x7f)
			oh_buf_add(b, &s[i], 1);
		else
			oh_buf_printf(b, "\\%03o", c);
	}
	oh_buf_puts(b, "\"");
}

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
	literal(&g->pool, s, n);
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
 * consecutive, after every node before them.  Returns the node count. */
static uint32_t emit_tree(struct gen *g, const struct jval *root)
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
	free(vals);
	free(keys);
	g->n_nodes += (uint32_t)n;
	return (uint32_t)n;
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
		uint32_t n = emit_tree(&g, profile_root(loaded[i]));
		oh_buf_puts(&table, "\t{ ");
		literal(&table, argv[i], strlen(argv[i]));
		oh_buf_printf(&table, ", %u, %u },\n", root, n);
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
	return rc;
}
