/* SPDX-License-Identifier: Apache-2.0 */
/* oci-harden rules: the catalogue, with the policy's actions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "json.h"
#include "report.h"
#include "util.h"

static const char usage[] = "oci-harden rules [--policy FILE] [--format text|json]";

static const char *option(void *ctx, int code, const char *value)
{
	enum report_format *fmt = ctx;

	(void)code;
	if (report_format_parse(value, fmt) < 0 || *fmt == FMT_SARIF)
		return "--format must be text or json";
	return NULL;
}

int cmd_rules(int argc, char **argv, struct oh_error *err)
{
	static const struct cli_opt opts[] = {
		{ "format", 0, true, OPT_FORMAT },
		{ 0 },
	};
	struct common_opts o = { 0 };
	enum report_format fmt = FMT_TEXT;
	cleanup_policy struct policy *p = NULL;
	int i = cli_parse(argc, argv, usage, opts, &o, option, &fmt);

	if (i < 0)
		return cli_parse_exit(i);
	if (i != argc)
		return cli_usage_error(usage, "rules takes no arguments");
	if (cli_setup(&o, &p, err) < 0)
		return EXIT_ERROR;
	if (fmt == FMT_TEXT) {
		for (int r = 0; r < RULE_COUNT; r++) {
			const struct rule_info *ri = &rule_table[r];
			printf("%s\n", ri->id);
			printf("  action:      %s (default %s)%s\n", action_name(p->action[r]),
			       action_name(ri->default_action), rule_fixable(r) ? ", fixable" : "");
			printf("  description: %s\n", ri->summary);
			printf("  to fix:      %s\n", ri->help);
			printf("  references:  %s; CIS Docker Benchmark %s: %s", OWASP_REF,
			       ri->cis, ri->cis_title);
			if (ri->pss)
				printf("; Pod Security Standards: %s", ri->pss);
			if (ri->cve)
				printf("; %s", ri->cve);
			printf("\n");
		}
	} else {
		struct jsink *s = jsink_fd(1);
		struct jw *w = jw_new(s, true);
		jw_obj(w);
		report_json_header(w);
		jw_key(w, "rules");
		jw_arr(w);
		for (int r = 0; r < RULE_COUNT; r++) {
			const struct rule_info *ri = &rule_table[r];
			jw_obj(w);
			jw_kstr(w, "id", ri->id);
			jw_kstr(w, "action", action_name(p->action[r]));
			jw_kstr(w, "defaultAction", action_name(ri->default_action));
			jw_kbool(w, "fixable", rule_fixable(r));
			jw_kstr(w, "description", ri->summary);
			jw_kstr(w, "help", ri->help);
			jw_key(w, "references");
			jw_obj(w);
			jw_kstr(w, "owasp", OWASP_REF);
			jw_kstr(w, "cis", ri->cis);
			jw_kstr(w, "cisTitle", ri->cis_title);
			if (ri->pss)
				jw_kstr(w, "pss", ri->pss);
			if (ri->cve)
				jw_kstr(w, "cve", ri->cve);
			jw_end_obj(w);
			jw_end_obj(w);
		}
		jw_end_arr(w);
		jw_end_obj(w);
		jw_free(w);
		jsink_finish(s);
		jsink_free(s);
	}
	return EXIT_COMPLIANT;
}
