/* SPDX-License-Identifier: Apache-2.0 */
/*
 * oci-harden test DIR: policy tests for CI.  Each subdirectory of DIR is a
 * case holding config.json and expect.json:
 *
 *   {"verdict": "compliant|fixable|denied|error",
 *    "rules": ["rule ids that must fire"],
 *    "policy": "optional policy file, relative to the case"}
 *
 * One line per failing case says what differed; the last line is
 * "N passed, N failed".  Exit 0 when all pass, 1 when any fails, 2 when a
 * case is malformed (or DIR cannot be read).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "json.h"
#include "pipeline.h"
#include "util.h"

static const char usage[] = "oci-harden test [--policy FILE] DIR";

struct expect {
	struct jdoc *doc;
	enum verdict verdict;
	const struct jval *rules;   /* array of rule ids, or NULL */
	const char *policy;         /* relative to the case, or NULL */
};

static int verdict_parse(const char *s, enum verdict *out)
{
	for (int v = V_COMPLIANT; v <= V_ERROR; v++)
		if (strcmp(verdict_name((enum verdict)v), s) == 0) {
			*out = (enum verdict)v;
			return 0;
		}
	return -1;
}

static int read_expect(const char *dir, struct expect *e, struct oh_error *err)
{
	cleanup_free char *path = oh_path_join(dir, "expect.json");
	const struct jval *root;
	char *buf;
	size_t len;
	bool have_verdict = false;

	memset(e, 0, sizeof(*e));
	if (oh_read_file(path, OH_MAX_INPUT, &buf, &len, err) < 0 ||
	    json_parse(buf, len, path, &e->doc, err) < 0)
		return -1;
	root = json_root(e->doc);
	for (uint32_t i = 0; i < root->len; i++) {
		const struct jmember *m = &root->u.members[i];
		const struct jval *v = &m->val;
		if (strcmp(m->key, "verdict") == 0) {
			if (v->type != J_STRING || verdict_parse(v->u.str, &e->verdict) < 0)
				return oh_err(err, 0, "%s: /verdict: must be one of compliant, "
					      "fixable, denied, error", path);
			have_verdict = true;
		} else if (strcmp(m->key, "rules") == 0) {
			if (v->type != J_ARRAY)
				return oh_err(err, 0, "%s: /rules: must be an array", path);
			for (uint32_t k = 0; k < v->len; k++)
				if (v->u.items[k].type != J_STRING ||
				    rule_by_id(v->u.items[k].u.str) < 0)
					return oh_err(err, 0, "%s: /rules/%u: not a rule id", path, k);
			e->rules = v;
		} else if (strcmp(m->key, "policy") == 0) {
			if (v->type != J_STRING || v->len == 0)
				return oh_err(err, 0, "%s: /policy: must be a path", path);
			e->policy = v->u.str;
		} else if (strcmp(m->key, "comment") != 0) {
			return oh_err(err, 0, "%s: /%s: unknown key", path, m->key);
		}
	}
	if (!have_verdict)
		return oh_err(err, 0, "%s: a case must expect a verdict", path);
	return 0;
}

static void fired_list(const struct decision *d, struct oh_buf *b)
{
	rule_ids(decision_rules(d, ACT_WARN), ", ", b);
	if (b->len == 0)
		oh_buf_puts(b, "none");
}

enum case_result { PASS, FAIL, MALFORMED };

/* Runs one case; prints a line unless it passes. */
static enum case_result run_case(const char *dir, const char *name,
			     const struct policy *base)
{
	struct oh_error err = { 0 };
	struct expect e;
	struct policy *own = NULL;
	const struct policy *p = base;
	cleanup_judgement struct judgement j = JUDGEMENT_INIT;
	enum case_result out = PASS;

	if (read_expect(dir, &e, &err) < 0) {
		printf("%s: malformed: %s\n", name, err.msg);
		json_free(e.doc);
		return MALFORMED;
	}
	if (e.policy != NULL) {
		cleanup_free char *pp = e.policy[0] == '/' ? xstrdup(e.policy)
							   : oh_path_join(dir, e.policy);
		if (policy_load(pp, &own, &err) < 0) {
			printf("%s: malformed: %s\n", name, err.msg);
			json_free(e.doc);
			return MALFORMED;
		}
		p = own;
	}
	/* A case is a bundle, judged exactly as `check` judges one. */
	struct pipeline_input in = PIPELINE_INPUT_INIT;
	struct pipeline_opts po = { .on = CTX_CONFIG, .compile_check = true,
				    .scan = SCAN_ALWAYS };
	in.path = dir;
	if (pipeline_run(&in, &po, p, &j, &err) < 0) {
		if (err.errnum == ENOENT) {
			printf("%s: malformed: %s\n", name, err.msg);
			out = MALFORMED;
		} else if (e.verdict != V_ERROR) {
			printf("%s: verdict error (%s), expected %s\n", name, err.msg,
			       verdict_name(e.verdict));
			out = FAIL;
		}
		goto done;
	}
	const struct decision d = j.d;
	if (d.verdict != e.verdict) {
		struct oh_buf why = { 0 };
		fired_list(&d, &why);
		printf("%s: verdict %s, expected %s (rules fired: %s)\n", name,
		       verdict_name(d.verdict), verdict_name(e.verdict), why.data);
		oh_buf_free(&why);
		out = FAIL;
	}
	for (uint32_t k = 0; e.rules != NULL && k < e.rules->len; k++) {
		const char *id = e.rules->u.items[k].u.str;
		if (decision_rules(&d, ACT_WARN) & RULE_BIT(rule_by_id(id)))
			continue;
		struct oh_buf why = { 0 };
		fired_list(&d, &why);
		printf("%s: rule %s did not fire (rules fired: %s)\n", name, id, why.data);
		oh_buf_free(&why);
		out = FAIL;
	}
done:
	policy_free(own);
	json_free(e.doc);
	return out;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int cmd_test(int argc, char **argv, struct oh_error *err)
{
	struct common_opts o = { 0 };
	cleanup_policy struct policy *p = NULL;
	int passed = 0, failed = 0;
	bool malformed = false;
	int i = cli_parse(argc, argv, usage, NULL, &o, NULL, NULL);

	if (i < 0)
		return cli_parse_exit(i);
	if (i != argc - 1)
		return cli_usage_error(usage, "test takes one DIR");
	const char *root = argv[i];
	if (cli_setup(&o, &p, err) < 0)
		return EXIT_ERROR;

	cleanup_dir DIR *d = opendir(root);
	if (d == NULL) {
		oh_err(err, errno, "%s", root);
		return EXIT_ERROR;
	}
	char **names = NULL;
	size_t n = 0;
	for (struct dirent *de; (de = readdir(d)) != NULL;) {
		struct stat st;
		if (de->d_name[0] == '.')
			continue;
		if (fstatat(dirfd(d), de->d_name, &st, 0) < 0 || !S_ISDIR(st.st_mode))
			continue;
		names = xrealloc(names, (n + 1) * sizeof(*names));
		names[n++] = xstrdup(de->d_name);
	}
	qsort(names, n, sizeof(*names), by_name);

	for (size_t k = 0; k < n; k++) {
		cleanup_free char *dir = oh_path_join(root, names[k]);
		switch (run_case(dir, names[k], p)) {
		case PASS: passed++; break;
		case FAIL: failed++; break;
		case MALFORMED: failed++; malformed = true; break;
		}
		free(names[k]);
	}
	free(names);
	printf("%d passed, %d failed\n", passed, failed);
	if (malformed || n == 0) {
		if (n == 0)
			oh_err(err, 0, "%s: no test cases (subdirectories with config.json "
			       "and expect.json)", root);
		return EXIT_ERROR;
	}
	return failed > 0 ? EXIT_REFUSED : EXIT_COMPLIANT;
}
