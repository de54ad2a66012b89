/* SPDX-License-Identifier: Apache-2.0 */
/* Reports of decisions: text for people, JSON for tools, SARIF for code
 * scanning dashboards. */
#ifndef OH_REPORT_H
#define OH_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "rules.h"

enum report_format { FMT_TEXT, FMT_JSON, FMT_SARIF };

int report_format_parse(const char *s, enum report_format *out);

struct rootfs_result;

struct result {
	char *source;            /* what the user named */
	struct rootfs_result *rootfs;   /* the walk of a bundle's rootfs, or NULL */
	struct decision d;       /* when verdict != V_ERROR */
	char *error;             /* when verdict == V_ERROR */
	enum verdict verdict;
	bool bundle;             /* source is a bundle directory: its config.json was read */
};

void report_write(FILE *out, enum report_format fmt, const struct result *r,
		  size_t n);
/* One text line per finding, for stderr in fix and the hooks. */
void report_text_findings(FILE *out, const char *source,
			  const struct decision *d, enum action min, bool fixed);
void result_free(struct result *r);

struct jw;
/*
 * The JSON reports' format (doc/report.schema.json).  Raised when a member
 * changes meaning or goes away; new members do not raise it.
 */
#define REPORT_FORMAT_VERSION 1
/* "formatVersion" and "tool" (name, version): the first members of every
 * JSON report, inside its object. */
void report_json_header(struct jw *w);
/* The "findings" array of the JSON report: rule, action, message, pointer. */
void report_json_findings(struct jw *w, const struct decision *d);

#endif
