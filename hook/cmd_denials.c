/* SPDX-License-Identifier: Apache-2.0 */
/*
 * oci-harden profile denials: the seccomp denials of running containers
 * from the kernel's audit records, each with the call, what denied it and
 * the smallest change that would allow it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "denials.h"
#include "json.h"
#include "util.h"

static const char usage[] =
	"oci-harden profile denials [--audit-log FILE | --kmsg FILE] [--root DIR]... "
	"[--crun-root DIR]... [--policy FILE] [--format text|json]";

enum { OPT_AUDIT_LOG = 3100, OPT_KMSG, OPT_ROOT, OPT_CRUN_ROOT, OPT_DFORMAT };

#define MAX_ROOTS 16

struct denials_cli {
	const char *audit_log;
	const char *kmsg;
	const char *runc_roots[MAX_ROOTS + 1];
	size_t nrunc;
	const char *crun_roots[MAX_ROOTS + 1];
	size_t ncrun;
	bool roots_given;
	bool json;
};

static const char *option(void *ctx, int code, const char *value)
{
	struct denials_cli *l = ctx;

	switch (code) {
	case OPT_AUDIT_LOG:
		l->audit_log = value;
		break;
	case OPT_KMSG:
		l->kmsg = value;
		break;
	case OPT_ROOT:
	case OPT_CRUN_ROOT:
		l->roots_given = true;
		if (code == OPT_ROOT) {
			if (l->nrunc == MAX_ROOTS)
				return "too many --root";
			l->runc_roots[l->nrunc++] = value;
		} else {
			if (l->ncrun == MAX_ROOTS)
				return "too many --crun-root";
			l->crun_roots[l->ncrun++] = value;
		}
		break;
	case OPT_DFORMAT:
		if (strcmp(value, "json") == 0)
			l->json = true;
		else if (strcmp(value, "text") != 0)
			return "--format is text or json";
		break;
	}
	return NULL;
}

/* Where runc keeps state for root under each engine (runc's --root). */
static const char *const default_runc_roots[] = {
	"/run/runc",                          /* runc, podman, CRI-O */
	"/run/docker/runtime-runc/moby",      /* Docker */
	"/run/containerd/runc/k8s.io",        /* containerd's CRI */
	"/run/containerd/runc/default",       /* ctr */
	NULL,
};
static const char *const default_crun_roots[] = { "/run/crun", NULL };

static void print_text(const struct oh_denial_row *rows, size_t n,
		       const struct oh_denial_counts *c, const char *source)
{
	const char *last = NULL;
	bool header_other = false;

	for (size_t i = 0; i < n; i++) {
		const struct oh_denial_row *r = &rows[i];
		char call[96];

		if (r->container != NULL && (last == NULL || strcmp(last, r->container) != 0)) {
			printf("container %s (%s%s%s):\n", r->container, r->runtime,
			       r->bundle ? ", bundle " : "", r->bundle ? r->bundle : "");
			last = r->container;
		} else if (r->container == NULL && !header_other) {
			printf("not attributed to a container:\n");
			header_other = true;
		}
		if (r->syscall)
			snprintf(call, sizeof(call), "%s", r->syscall);
		else
			snprintf(call, sizeof(call), "call %ld", r->d.nr);
		printf("  %s (number %ld, %s): %s%s, %zu time%s, process %ld (%s, %s)\n",
		       call, r->d.nr, r->arch_name ? r->arch_name : "unknown arch", r->action, r->denied ? "" : " (logged, allowed)",
		       r->count, r->count == 1 ? "" : "s", r->d.pid, r->d.comm,
		       r->d.exe[0] ? r->d.exe : "?");
		if (r->container == NULL) {
			printf("    %s\n", r->attribution);
			continue;
		}
		printf("    %s: %s\n", r->allowed_now ? "allowed now by" : "denied by", r->entry);
		if (r->verdict[0])
			printf("    the filter answers now: %s\n", r->verdict);
		if (r->change[0])
			printf("    change: %s\n", r->change);
	}
	if (n == 0)
		printf("no seccomp records\n");
	printf("%s: %zu lines, %zu seccomp records, %zu malformed skipped, %zu lost, "
	       "%zu beyond the report's bound\n", source, c->lines, c->records, c->malformed,
	       c->lost, c->dropped);
}

static int print_json(const struct oh_denial_row *rows, size_t n,
		      const struct oh_denial_counts *c, const char *source)
{
	struct jsink *s = jsink_fd(STDOUT_FILENO);
	struct jw *w = jw_new(s, true);

	jw_obj(w);
	jw_kstr(w, "source", source);
	jw_key(w, "counts");
	jw_obj(w);
	jw_kint(w, "lines", (long long)c->lines);
	jw_kint(w, "records", (long long)c->records);
	jw_kint(w, "malformed", (long long)c->malformed);
	jw_kint(w, "lost", (long long)c->lost);
	jw_kint(w, "dropped", (long long)c->dropped);
	jw_end_obj(w);
	jw_key(w, "denials");
	jw_arr(w);
	for (size_t i = 0; i < n; i++) {
		const struct oh_denial_row *r = &rows[i];

		jw_obj(w);
		jw_key(w, "container");
		if (r->container)
			jw_str(w, r->container);
		else
			jw_null(w);
		if (r->container) {
			jw_kstr(w, "runtime", r->runtime);
			if (r->bundle)
				jw_kstr(w, "bundle", r->bundle);
		}
		jw_kstr(w, "attribution", r->attribution);
		jw_kint(w, "pid", r->d.pid);
		jw_kstr(w, "comm", r->d.comm);
		jw_kstr(w, "exe", r->d.exe);
		jw_kint(w, "arch", r->d.arch);
		if (r->arch_name)
			jw_kstr(w, "archName", r->arch_name);
		jw_kint(w, "nr", r->d.nr);
		jw_key(w, "syscall");
		if (r->syscall)
			jw_str(w, r->syscall);
		else
			jw_null(w);
		jw_kstr(w, "action", r->action);
		jw_kbool(w, "denied", r->denied);
		jw_kint(w, "count", (long long)r->count);
		if (r->container) {
			jw_kstr(w, "entry", r->entry);
			if (r->entry_index >= 0)
				jw_kint(w, "entryIndex", r->entry_index);
			if (r->verdict[0])
				jw_kstr(w, "verdict", r->verdict);
			if (r->change[0])
				jw_kstr(w, "change", r->change);
		}
		jw_end_obj(w);
	}
	jw_end_arr(w);
	jw_end_obj(w);
	jw_free(w);
	jsink_raw(s, "\n", 1);
	int rc = jsink_finish(s);
	jsink_free(s);
	return rc;
}

int profile_denials(int argc, char **argv, struct oh_error *err)
{
	static const struct cli_opt opts[] = {
		{ "audit-log", 0, true, OPT_AUDIT_LOG },
		{ "kmsg", 0, true, OPT_KMSG },
		{ "root", 0, true, OPT_ROOT },
		{ "crun-root", 0, true, OPT_CRUN_ROOT },
		{ "format", 0, true, OPT_DFORMAT },
		{ 0 },
	};
	struct common_opts o = { 0 };
	struct denials_cli l = { 0 };
	cleanup_policy struct policy *p = NULL;
	int first = cli_parse(argc, argv, usage, opts, &o, option, &l);

	if (first < 0)
		return cli_parse_exit(first);
	if (first != argc)
		return cli_usage_error(usage, "profile denials takes no operands");
	if (l.audit_log && l.kmsg)
		return cli_usage_error(usage, "give --audit-log or --kmsg, not both");
	if (cli_setup(&o, &p, err) < 0)
		return EXIT_ERROR;

	struct oh_denials_opts dopts = {
		.runc_roots = l.roots_given ? l.runc_roots : default_runc_roots,
		.crun_roots = l.roots_given ? l.crun_roots : default_crun_roots,
		.profile = p->seccomp_profile,
		.groups = p->seccomp_groups,
		.allowed_caps = p->allowed_caps,
		.h = host_facts(),
	};
	struct oh_denials *r = oh_denials_new(&dopts);
	const char *source = l.audit_log ? l.audit_log : l.kmsg ? l.kmsg : "/dev/kmsg";
	int rc;

	if (l.audit_log != NULL) {
		FILE *f = strcmp(l.audit_log, "-") == 0 ? stdin : fopen(l.audit_log, "re");
		if (f == NULL) {
			oh_err(err, errno, "%s: cannot open", l.audit_log);
			oh_denials_free(r);
			return EXIT_ERROR;
		}
		rc = oh_denials_read_stream(f, l.audit_log, oh_denials_add, r,
					    oh_denials_counts(r), err);
		if (f != stdin)
			fclose(f);
	} else {
		rc = oh_denials_read_kmsg(source, oh_denials_add, r, oh_denials_counts(r), err);
	}
	const struct oh_denial_row *rows;
	size_t n;
	if (rc < 0 || oh_denials_finish(r, &rows, &n, err) < 0) {
		oh_denials_free(r);
		return EXIT_ERROR;
	}
	if (l.json) {
		if (print_json(rows, n, oh_denials_counts(r), source) < 0) {
			oh_err(err, errno, "standard output");
			oh_denials_free(r);
			return EXIT_ERROR;
		}
	} else {
		print_text(rows, n, oh_denials_counts(r), source);
	}
	oh_denials_free(r);
	return EXIT_COMPLIANT;
}
