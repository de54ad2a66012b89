/* SPDX-License-Identifier: Apache-2.0 */
#include "report.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "json.h"
#include "rootfs.h"
#include "sarif_rules.h"
#include "util.h"
#include "version.h"

#define OWASP_URI "https://owasp.org/www-project-docker-top-10/"

int report_format_parse(const char *s, enum report_format *out)
{
	if (strcmp(s, "text") == 0)
		*out = FMT_TEXT;
	else if (strcmp(s, "json") == 0)
		*out = FMT_JSON;
	else if (strcmp(s, "sarif") == 0)
		*out = FMT_SARIF;
	else
		return -1;
	return 0;
}

void result_free(struct result *r)
{
	if (r->rootfs != NULL) {
		rootfs_result_free(r->rootfs);
		free(r->rootfs);
	}
	free(r->source);
	free(r->error);
	decision_free(&r->d);
}

void report_text_findings(FILE *out, const char *source,
			  const struct decision *d, enum action min, bool fixed)
{
	for (size_t i = 0; i < d->nfindings; i++) {
		const struct finding *f = &d->findings[i];
		if (f->action < min)
			continue;
		if (fixed && f->action == ACT_FIX)
			fprintf(out, "%s: %s [fixed]: %s\n", source, rule_table[f->rule].id,
				f->message);
		else
			fprintf(out, "%s: %s [%s]: %s; %s\n", source, rule_table[f->rule].id,
				action_name(f->action), f->message, rule_table[f->rule].help);
	}
}

static void write_text(FILE *out, const struct result *r, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (r[i].verdict == V_ERROR) {
			fprintf(out, "%s: error: %s\n", r[i].source, r[i].error);
			continue;
		}
		if (r[i].rootfs != NULL) {
			char line[512];
			rootfs_describe(r[i].rootfs, line, sizeof(line));
			fprintf(out, "%s: rootfs %s: %s\n", r[i].source,
				r[i].rootfs->path ? r[i].rootfs->path : "-", line);
		}
		report_text_findings(out, r[i].source, &r[i].d, ACT_WARN, false);
		fprintf(out, "%s: %s\n", r[i].source, verdict_name(r[i].verdict));
	}
}

void report_json_findings(struct jw *w, const struct decision *d)
{
	jw_arr(w);
	for (size_t k = 0; d != NULL && k < d->nfindings; k++) {
		const struct finding *f = &d->findings[k];
		jw_obj(w);
		jw_kstr(w, "rule", rule_table[f->rule].id);
		jw_kstr(w, "action", action_name(f->action));
		jw_kstr(w, "message", f->message);
		jw_kstr(w, "pointer", f->pointer);
		jw_end_obj(w);
	}
	jw_end_arr(w);
}

/* What the walk of a rootfs did: entries, time, bounds. */
static void write_rootfs(struct jw *w, const char *source,
			 const struct rootfs_result *fs)
{
	static const char *const stop[] = {
		[ROOTFS_COMPLETE] = NULL, [ROOTFS_FILE_LIMIT] = "files",
		[ROOTFS_TIME_LIMIT] = "time",
	};
	char num[32];

	jw_obj(w);
	if (source != NULL)
		jw_kstr(w, "source", source);
	jw_key(w, "path");
	if (fs->path != NULL)
		jw_str(w, fs->path);
	else
		jw_null(w);
	jw_kbool(w, "scanned", fs->scanned);
	if (!fs->scanned) {
		jw_kstr(w, "error", fs->error ? fs->error : "");
		jw_end_obj(w);
		return;
	}
	jw_kint(w, "files", (long long)fs->files);
	snprintf(num, sizeof(num), "%.3f", fs->seconds);
	jw_key(w, "seconds");
	jw_raw_number(w, num);
	jw_kint(w, "maxFiles", (long long)fs->limits.max_files);
	snprintf(num, sizeof(num), "%g", fs->limits.max_seconds);
	jw_key(w, "maxSeconds");
	jw_raw_number(w, num);
	jw_kbool(w, "complete", fs->stop == ROOTFS_COMPLETE);
	if (fs->stop != ROOTFS_COMPLETE)
		jw_kstr(w, "stoppedBy", stop[fs->stop]);
	jw_kint(w, "unreadableDirectories", (long long)fs->unreadable);
	jw_kint(w, "mountPointsSkipped", (long long)fs->other_fs);
	jw_kint(w, "tooDeep", (long long)fs->too_deep);
	jw_end_obj(w);
}

void report_json_header(struct jw *w)
{
	jw_kint(w, "formatVersion", REPORT_FORMAT_VERSION);
	jw_key(w, "tool");
	jw_obj(w);
	jw_kstr(w, "name", "oci-harden");
	jw_kstr(w, "version", OH_VERSION);
	jw_end_obj(w);
}

static void write_json(FILE *out, const struct result *r, size_t n)
{
	struct jsink *s = jsink_mem();
	struct jw *w = jw_new(s, true);
	size_t len;

	jw_obj(w);
	report_json_header(w);
	jw_key(w, "results");
	jw_arr(w);
	for (size_t i = 0; i < n; i++) {
		jw_obj(w);
		jw_kstr(w, "source", r[i].source);
		jw_kstr(w, "verdict", verdict_name(r[i].verdict));
		if (r[i].verdict == V_ERROR)
			jw_kstr(w, "error", r[i].error);
		if (r[i].rootfs != NULL && r[i].verdict != V_ERROR) {
			jw_key(w, "rootfs");
			write_rootfs(w, NULL, r[i].rootfs);
		}
		jw_key(w, "findings");
		report_json_findings(w, r[i].verdict != V_ERROR ? &r[i].d : NULL);
		jw_end_obj(w);
	}
	jw_end_arr(w);
	jw_end_obj(w);
	jw_free(w);
	char *text = jsink_take(s, &len);
	fwrite(text, 1, len, out);
	free(text);
	jsink_free(s);
}

static const char *level_of(enum action a)
{
	switch (a) {
	case ACT_DENY: return "error";
	case ACT_FIX: return "warning";
	default: return "note";
	}
}

/* A URI for a path: a relative reference when the path is relative (as
 * code scanning resolves it against the repository's root), a file: URI
 * when absolute; unreserved bytes and '/' kept, the rest percent-encoded. */
static char *path_uri(const char *p)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(p);
	char *u = xmalloc(n * 3 + 8), *o = u;

	if (p[0] == '/') {
		memcpy(o, "file://", 7);
		o += 7;
	}
	for (const unsigned char *c = (const unsigned char *)p; *c; c++) {
		if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		    (*c >= '0' && *c <= '9') || strchr("-._~/", *c)) {
			*o++ = (char)*c;
		} else {
			*o++ = '%';
			*o++ = hex[*c >> 4];
			*o++ = hex[*c & 15];
		}
	}
	*o = '\0';
	return u;
}

/* What a result's source names as a file: a bundle is read through its
 * config.json, so that is the artifact; "-" is stdin. */
static char *artifact_path(const char *source, bool bundle)
{
	size_t n = strlen(source);

	if (strcmp(source, "-") == 0)
		return xstrdup("stdin");
	if (bundle)
		return xasprintf("%s%sconfig.json", source,
				 n > 0 && source[n - 1] == '/' ? "" : "/");
	return xstrdup(source);
}

/* Where a finding is in the text check read (cmd_check.c computed it). */
static void region_of(const struct finding *f, struct json_region *rg)
{
	rg->start_line = f->line;
	rg->start_column = f->column > 0 ? f->column : 1;
	rg->end_line = f->end_line;
	rg->end_column = f->end_column;
}

/* "locations": the file, and the JSON pointer as a logical location. */
static void write_location(struct jw *w, const char *uri, const char *pointer,
			   const struct json_region *rg)
{
	jw_key(w, "locations");
	jw_arr(w);
	jw_obj(w);
	jw_key(w, "physicalLocation");
	jw_obj(w);
	jw_key(w, "artifactLocation");
	jw_obj(w);
	jw_kstr(w, "uri", uri);
	jw_end_obj(w);
	if (rg != NULL && rg->start_line > 0) {
		/* Code-scanning dashboards place a result by its region. */
		jw_key(w, "region");
		jw_obj(w);
		jw_kint(w, "startLine", rg->start_line);
		jw_kint(w, "startColumn", rg->start_column);
		if (rg->end_line > 0) {
			jw_kint(w, "endLine", rg->end_line);
			jw_kint(w, "endColumn", rg->end_column);
		}
		jw_end_obj(w);
	}
	jw_end_obj(w);
	if (pointer != NULL) {
		jw_key(w, "logicalLocations");
		jw_arr(w);
		jw_obj(w);
		jw_kstr(w, "fullyQualifiedName", pointer);
		jw_kstr(w, "kind", "property");
		jw_end_obj(w);
		jw_end_arr(w);
	}
	jw_end_obj(w);
	jw_end_arr(w);
}

/*
 * A finding's fingerprint, the same on every run and machine: FNV-1a (64
 * bits) of the rule, the JSON pointer and the message, nothing of the path
 * or the line (code scanning keys alerts by file already, and a line moves
 * when an unrelated member is added above).
 */
static void fingerprint(const struct finding *f, const char *rule, char out[17])
{
	uint64_t h = 14695981039346656037ULL;
	const char *parts[] = { rule, f->pointer, f->message };

	/* Each part with its NUL, so ("ab", "c") and ("a", "bc") differ. */
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		const unsigned char *c = (const unsigned char *)parts[i];
		do {
			h ^= *c;
			h *= 1099511628211ULL;
		} while (*c++ != '\0');
	}
	snprintf(out, 17, "%016" PRIx64, h);
}

static const char *problem_severity(enum action a)
{
	switch (a) {
	case ACT_DENY: return "error";
	case ACT_FIX: return "warning";
	default: return "recommendation";
	}
}

static void write_sarif_rule(struct jw *w, const struct rule_info *ri)
{
	const struct sarif_rule *sr = sarif_rule_find(ri->id);
	struct oh_buf text = { 0 }, md = { 0 };
	const char *action = action_name(ri->default_action);

	oh_buf_printf(&text, "%s To fix: %s. Default action: %s%s. References: %s; "
		      "CIS Docker Benchmark %s (%s).", ri->summary, ri->help, action,
		      ri->fix != NULL ? "" : " (the rule has no fix)", OWASP_REF, ri->cis,
		      ri->cis_title);
	oh_buf_printf(&md, "%s\n\n%s\n\n**To fix:** %s.\n\n"
		      "**Default action:** `%s`%s; the policy's `rules` member sets it "
		      "(`oci-harden rules` lists the actions in force).\n\n"
		      "**References:** [%s](%s); CIS Docker Benchmark %s, *%s*.\n",
		      ri->summary, sr ? sr->description : "", ri->help, action,
		      ri->fix != NULL ? "" : " (the rule has no fix)", OWASP_REF,
		      OWASP_URI, ri->cis, ri->cis_title);
	jw_obj(w);
	jw_kstr(w, "id", ri->id);
	jw_kstr(w, "name", ri->id);
	jw_key(w, "shortDescription");
	jw_obj(w);
	jw_kstr(w, "text", ri->summary);
	jw_end_obj(w);
	jw_key(w, "fullDescription");
	jw_obj(w);
	jw_kstr(w, "text", sr ? sr->description : ri->summary);
	jw_end_obj(w);
	jw_key(w, "help");
	jw_obj(w);
	jw_kstr(w, "text", text.data);
	jw_kstr(w, "markdown", md.data);
	jw_end_obj(w);
	jw_kstr(w, "helpUri", OH_HOMEPAGE "#rules");
	jw_key(w, "defaultConfiguration");
	jw_obj(w);
	jw_kstr(w, "level", ri->default_action == ACT_OFF ? "none"
			     : level_of(ri->default_action));
	jw_end_obj(w);
	jw_key(w, "properties");
	jw_obj(w);
	jw_key(w, "tags");
	jw_arr(w);
	jw_str(w, "security");
	jw_str(w, "OWASP-Docker-Top-10-D04");
	if (sr != NULL)
		jw_str(w, sr->cwe);
	jw_end_arr(w);
	if (sr != NULL) {
		/* GitHub ranks alerts by these two. */
		jw_kstr(w, "security-severity", sr->security_severity);
		jw_kstr(w, "precision", sr->precision);
	}
	jw_kstr(w, "problem.severity", problem_severity(ri->default_action));
	jw_kstr(w, "cis-docker-benchmark", ri->cis);
	jw_end_obj(w);
	jw_end_obj(w);
	oh_buf_free(&text);
	oh_buf_free(&md);
}

static void write_sarif(FILE *out, const struct result *r, size_t n)
{
	struct jsink *s = jsink_mem();
	struct jw *w = jw_new(s, true);
	size_t len;
	bool ok = true;

	jw_obj(w);
	jw_kstr(w, "$schema", "https://json.schemastore.org/sarif-2.1.0.json");
	jw_kstr(w, "version", "2.1.0");
	jw_key(w, "runs");
	jw_arr(w);
	jw_obj(w);
	jw_key(w, "tool");
	jw_obj(w);
	jw_key(w, "driver");
	jw_obj(w);
	jw_kstr(w, "name", "oci-harden");
	jw_kstr(w, "fullName", "oci-harden " OH_VERSION);
	jw_kstr(w, "version", OH_VERSION);
	jw_kstr(w, "semanticVersion", OH_VERSION);
	jw_kstr(w, "informationUri", OH_HOMEPAGE);
	jw_key(w, "rules");
	jw_arr(w);
	for (int i = 0; i < RULE_COUNT; i++)
		write_sarif_rule(w, &rule_table[i]);
	jw_end_arr(w);
	jw_end_obj(w);
	jw_end_obj(w);
	/* json_region counts UTF-8 sequences, not UTF-16 code units. */
	jw_kstr(w, "columnKind", "unicodeCodePoints");

	jw_key(w, "results");
	jw_arr(w);
	for (size_t i = 0; i < n; i++) {
		if (r[i].verdict == V_ERROR) {
			ok = false;
			continue;
		}
		if (r[i].d.nfindings == 0)
			continue;
		cleanup_free char *path = artifact_path(r[i].source, r[i].bundle);
		cleanup_free char *uri = path_uri(path);
		for (size_t k = 0; k < r[i].d.nfindings; k++) {
			const struct finding *f = &r[i].d.findings[k];
			const char *rule = rule_table[f->rule].id;
			struct json_region rg;
			char fp[17];

			region_of(f, &rg);
			fingerprint(f, rule, fp);
			jw_obj(w);
			jw_kstr(w, "ruleId", rule);
			jw_kint(w, "ruleIndex", f->rule);
			jw_kstr(w, "level", level_of(f->action));
			jw_key(w, "message");
			jw_obj(w);
			jw_kstr(w, "text", f->message);
			jw_end_obj(w);
			write_location(w, uri, f->pointer, &rg);
			jw_key(w, "partialFingerprints");
			jw_obj(w);
			/* GitHub matches alerts by primaryLocationLineHash; this one
			 * survives lines moving, which a hash of the line does not. */
			jw_kstr(w, "primaryLocationLineHash", fp);
			jw_kstr(w, "ociHardenFinding/v1", fp);
			jw_end_obj(w);
			jw_key(w, "properties");
			jw_obj(w);
			jw_kstr(w, "action", action_name(f->action));
			jw_kstr(w, "jsonPointer", f->pointer);
			jw_end_obj(w);
			jw_end_obj(w);
		}
	}
	jw_end_arr(w);

	jw_key(w, "invocations");
	jw_arr(w);
	jw_obj(w);
	jw_kbool(w, "executionSuccessful", ok);
	bool any_walk = false;
	for (size_t i = 0; i < n; i++)
		any_walk |= r[i].rootfs != NULL && r[i].verdict != V_ERROR;
	if (any_walk) {
		jw_key(w, "properties");
		jw_obj(w);
		jw_key(w, "rootfsScans");
		jw_arr(w);
		for (size_t i = 0; i < n; i++)
			if (r[i].rootfs != NULL && r[i].verdict != V_ERROR)
				write_rootfs(w, r[i].source, r[i].rootfs);
		jw_end_arr(w);
		jw_end_obj(w);
	}
	jw_key(w, "toolExecutionNotifications");
	jw_arr(w);
	for (size_t i = 0; i < n; i++) {
		if (r[i].verdict != V_ERROR)
			continue;
		cleanup_free char *path = artifact_path(r[i].source, r[i].bundle);
		cleanup_free char *uri = path_uri(path);
		jw_obj(w);
		jw_kstr(w, "level", "error");
		jw_key(w, "message");
		jw_obj(w);
		jw_kstr(w, "text", r[i].error);
		jw_end_obj(w);
		write_location(w, uri, NULL, NULL);
		jw_end_obj(w);
	}
	jw_end_arr(w);
	jw_end_obj(w);
	jw_end_arr(w);

	jw_end_obj(w);
	jw_end_arr(w);
	jw_end_obj(w);
	jw_free(w);
	char *text = jsink_take(s, &len);
	fwrite(text, 1, len, out);
	free(text);
	jsink_free(s);
}

void report_write(FILE *out, enum report_format fmt, const struct result *r,
		  size_t n)
{
	switch (fmt) {
	case FMT_TEXT: write_text(out, r, n); break;
	case FMT_JSON: write_json(out, r, n); break;
	case FMT_SARIF: write_sarif(out, r, n); break;
	}
}
