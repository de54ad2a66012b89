/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Build-time generator: writes the default policy file's text as C data
 * (oh_default_policy_text, policy.h), after checking that the file says
 * exactly what the built-in defaults say.
 *
 *     embed-policy OUT.c FILE
 *
 * The hook then takes a policy file of those very bytes for the defaults
 * without parsing it (hook/policy.c, is_default_text).  That is only right
 * while the file and the defaults agree, so a file that says anything else
 * fails the build.  The output is written atomically.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy.h"
#include "util.h"
#include "c_literal.h"

/* A settled list as a static array; its initializer goes to init. */
static void emit_list(struct oh_buf *out, struct oh_buf *init, const char *name,
		      const struct strlist *l)
{
	oh_buf_printf(out, "static char *%s_v[] = {\n", name);
	for (size_t i = 0; i < l->n; i++) {
		oh_buf_puts(out, "\t");
		c_literal(out, l->v[i], strlen(l->v[i]));
		oh_buf_puts(out, ",\n");
	}
	oh_buf_puts(out, l->n ? "};\n" : "\tNULL,\n};\n");
	oh_buf_printf(init, "\t.%s = { %s_v, %zu },\n", name, name, l->n);
}

/* A set slot for slot, as policy.c made it. */
static void emit_set(struct oh_buf *out, struct oh_buf *init, const char *name,
		     const struct strset *set)
{
	oh_buf_printf(out, "static const char *%s_slot[%zu] = {\n", name, set->cap);
	for (size_t i = 0; i < set->cap; i++)
		if (set->slot[i] != NULL) {
			oh_buf_printf(out, "\t[%zu] = ", i);
			c_literal(out, set->slot[i], set->len[i]);
			oh_buf_puts(out, ",\n");
		}
	oh_buf_printf(out, "};\nstatic uint32_t %s_len[%zu] = {\n", name, set->cap);
	for (size_t i = 0; i < set->cap; i++)
		if (set->slot[i] != NULL)
			oh_buf_printf(out, "\t[%zu] = %u,\n", i, set->len[i]);
	oh_buf_puts(out, "};\n");
	oh_buf_printf(init, "\t.%s = { %s_slot, %s_len, %zu, 0x%llxull },\n", name, name,
		      name, set->cap, (unsigned long long)set->lens);
}

static int produce(int fd, void *ctx, struct oh_error *err)
{
	const struct oh_buf *b = ctx;

	if (oh_write_all(fd, b->data, b->len) < 0)
		return oh_err(err, errno, "cannot write");
	return 0;
}

int main(int argc, char **argv)
{
	struct oh_error err = { 0 };
	struct oh_buf out = { 0 };
	char *buf, *copy;
	size_t len;

	if (argc != 3) {
		fprintf(stderr, "usage: embed-policy OUT.c FILE\n");
		return 2;
	}
	if (oh_read_file(argv[2], OH_MAX_INPUT, &buf, &len, &err) < 0) {
		fprintf(stderr, "embed-policy: %s\n", err.msg);
		return 2;
	}
	copy = xmalloc(len + 1);
	memcpy(copy, buf, len);
	copy[len] = '\0';
	cleanup_policy struct policy *file = NULL;
	cleanup_policy struct policy *defaults = policy_defaults();
	if (policy_parse_text(copy, len, argv[2], &file, &err) < 0) {
		fprintf(stderr, "embed-policy: %s\n", err.msg);
		free(buf);
		return 2;
	}
	if (!policy_same(file, defaults)) {
		fprintf(stderr, "embed-policy: %s does not say what the built-in defaults "
			"say (hook/policy.c, defaults_unsettled): make them agree\n", argv[2]);
		free(buf);
		return 2;
	}
	oh_buf_puts(&out, "/* Generated at build time by tools/embed-policy.c from "
		    "policy/default.json; do not edit. */\n"
		    "#include <stddef.h>\n#include <stdint.h>\n\n#include \"policy.h\"\n\n"
		    "const char oh_default_policy_text[] =\n\t\"");
	c_literal_body(&out, buf, len, true);
	oh_buf_printf(&out, "\";\nconst size_t oh_default_policy_len = %zu;\n\n", len);
	/* The defaults' sensitive lists and sets, as policy_defaults() makes
	 * them without this file (the generator links the stub). */
	struct oh_buf init = { 0 };
	emit_list(&out, &init, "sensitive", &defaults->sensitive);
	emit_list(&out, &init, "sensitive_trees", &defaults->sensitive_trees);
	emit_list(&out, &init, "sensitive_above", &defaults->sensitive_above);
	emit_set(&out, &init, "sensitive_set", &defaults->sensitive_set);
	emit_set(&out, &init, "sensitive_above_set", &defaults->sensitive_above_set);
	emit_set(&out, &init, "sensitive_trees_set", &defaults->sensitive_trees_set);
	oh_buf_puts(&out, "\nconst struct policy_builtin_lists oh_default_lists = {\n\t.ready = true,\n");
	oh_buf_add(&out, init.data, init.len);
	oh_buf_puts(&out, "};\n");
	oh_buf_free(&init);
	free(buf);
	int rc = oh_write_atomic(argv[1], produce, &out, &err);
	oh_buf_free(&out);
	if (rc < 0) {
		fprintf(stderr, "embed-policy: %s: %s\n", argv[1], err.msg);
		return 2;
	}
	return 0;
}
