/* SPDX-License-Identifier: Apache-2.0 */
/*
 * oci-harden host: what the host, its engines and every container expose,
 * in one report (OWASP D04's "How can I find out?"): the listeners of the
 * host and of every container's network namespace, the mandatory access
 * control, the release's support lifetime, the engines' defaults and
 * hardening, the runtimes against known escapes, unneeded packages.
 * Never changes anything.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "host_judge.h"
#include "json.h"
#include "report.h"
#include "util.h"

static const char usage[] =
	"oci-harden host [--format text|json|sarif] [--root DIR] [--policy FILE]";

enum { OPT_ROOT = 2000 };

/* 127.0.0.0/8, ::1 and IPv4-mapped loopback: reachable from this host only. */
static bool loopback(const struct listener *l)
{
	return strncmp(l->address, "127.", 4) == 0 || strcmp(l->address, "::1") == 0 ||
	       strncmp(l->address, "::ffff:127.", 11) == 0;
}

static const char *scope(const struct listener *l)
{
	return l->any ? "all-interfaces" : loopback(l) ? "loopback" : "one-address";
}

static const char *where(const struct host_socket *s)
{
	return s->host ? "host" : s->container ? s->container->id : "unattributed";
}

/* ---------------------------------------------------------------- text */

static void text_facts(const struct host_report *r)
{
	const struct host_net *n = &r->net;

	printf("host: root %s; sockets and processes from the running kernel's /proc\n",
	       r->root);
	if (r->net_read) {
		printf("host: %zu network namespace%s, %zu container%s from the runtimes' "
		       "state, %zu listening socket%s\n", n->nnamespaces,
		       n->nnamespaces == 1 ? "" : "s", n->ncontainers,
		       n->ncontainers == 1 ? "" : "s", n->nsockets, n->nsockets == 1 ? "" : "s");
		for (size_t i = 0; i < n->ncontainers; i++)
			printf("container %s: %s, pid %ld, network namespace %lu%s\n",
			       n->containers[i].id, n->containers[i].engine,
			       (long)n->containers[i].pid, n->containers[i].netns,
			       n->containers[i].netns == n->host_netns ? " (the host's)" : "");
		for (size_t i = 0; i < n->nsockets; i++) {
			const struct host_socket *s = &n->sockets[i];
			bool v6 = strchr(s->l.address, ':') != NULL;
			char addr[64];
			snprintf(addr, sizeof(addr), "%s%s%s:%u", v6 ? "[" : "", s->l.address,
				 v6 ? "]" : "", s->l.port);
			printf("listening %-4s %-24s %-14s %s", s->l.proto, addr,
			       scope(&s->l), where(s));
			if (s->container)
				printf(" (%s)", s->container->engine);
			if (s->l.pid > 0)
				printf(" %ld/%s", (long)s->l.pid, s->l.process);
			printf("\n");
		}
		for (size_t i = 0; i < n->nnotes; i++)
			printf("host: note: %s\n", n->notes[i]);
	}

	const struct host_mac *m = &r->mac;
	printf("mac: apparmor %s", !m->apparmor_present ? "absent"
	       : !m->apparmor_enabled ? "disabled" : "enabled");
	if (m->apparmor_profiles_read)
		printf(" (%u enforce, %u complain profiles)", m->apparmor_enforce,
		       m->apparmor_complain);
	printf(", selinux %s\n", !m->selinux_present ? "absent"
	       : m->selinux_enforce == 1 ? "enforcing"
	       : m->selinux_enforce == 0 ? "permissive" : "present");

	const struct host_os *o = &r->os;
	if (o->source != NULL) {
		printf("os: %s (%s)", o->pretty ? o->pretty : o->id ? o->id : "unknown",
		       o->source);
		if (o->data != NULL) {
			printf(": released %s, regular support until %s", o->release ? o->release : "?",
			       o->eol);
			for (size_t i = 0; i < o->next; i++)
				printf(", %s until %s", o->ext[i].label, o->ext[i].date);
			printf(" (%s)\n", o->data);
		} else if (o->data_tried != NULL) {
			printf(": this release is not in %s, its support dates are unknown\n",
			       o->data_tried);
		} else {
			printf(": %s is not in Debian's distro-info-data (debian.csv, ubuntu.csv), "
			       "its support dates are unknown\n", o->id ? o->id : "the distribution");
		}
	}

	for (size_t i = 0; i < r->nruntimes; i++) {
		const struct host_runtime *rt = &r->runtimes[i];
		printf("runtime %s: %s", rt->name, rt->path ? rt->path : "(no binary found)");
		if (rt->version)
			printf(", version %s from %s", rt->version, rt->version_source);
		printf(", %zu known escape%s unfixed", rt->nvulnerable,
		       rt->nvulnerable == 1 ? "" : "s");
		if (rt->nbackported)
			printf(", %zu fixed by the package's backports", rt->nbackported);
		if (rt->note)
			printf("; %s", rt->note);
		printf("\n");
	}

	for (int i = 0; i < ENG_COUNT; i++) {
		const struct host_engine *e = &r->engines[i];
		if (!e->installed) {
			printf("engine %s: not installed\n", engine_name[i]);
			continue;
		}
		printf("engine %s: installed (%s)", engine_name[i], e->evidence);
		if (e->unjudged)
			printf("; settings not judged: %s", e->unjudged);
		else if (e->error)
			printf("; error: %s", e->error);
		else
			printf("; %s", e->hardening);
		printf("\n");
	}

	const struct host_pkgs *pk = &r->pkgs;
	if (pk->source)
		printf("packages: %zu installed (%s)\n", pk->n, pk->source);
	else if (r->pkgs_error == NULL)
		printf("packages: no dpkg status file\n");
	if (pk->rpm_present)
		printf("packages: an rpm database is present; it is not read\n");
}

/* ---------------------------------------------------------------- json */

static void jw_kstr_or_null(struct jw *w, const char *k, const char *v)
{
	jw_key(w, k);
	if (v)
		jw_str(w, v);
	else
		jw_null(w);
}

static void json_report(const struct host_report *r, const struct result *res,
			size_t nres, enum verdict worst)
{
	struct jsink *s = jsink_fd(STDOUT_FILENO);
	struct jw *w = jw_new(s, true);
	const struct host_net *n = &r->net;

	jw_obj(w);
	jw_kstr(w, "root", r->root);
	jw_kstr(w, "verdict", verdict_name(worst));

	jw_key(w, "containers");
	jw_arr(w);
	for (size_t i = 0; i < n->ncontainers; i++) {
		jw_obj(w);
		jw_kstr(w, "id", n->containers[i].id);
		jw_kstr(w, "engine", n->containers[i].engine);
		jw_kint(w, "pid", n->containers[i].pid);
		jw_kint(w, "netns", (long long)n->containers[i].netns);
		jw_end_obj(w);
	}
	jw_end_arr(w);
	jw_kint(w, "namespaces", (long long)n->nnamespaces);
	jw_key(w, "notes");
	jw_arr(w);
	for (size_t i = 0; i < n->nnotes; i++)
		jw_str(w, n->notes[i]);
	jw_end_arr(w);
	jw_key(w, "listeners");
	jw_arr(w);
	for (size_t i = 0; i < n->nsockets; i++) {
		const struct host_socket *so = &n->sockets[i];
		jw_obj(w);
		jw_kstr(w, "proto", so->l.proto);
		jw_kstr(w, "address", so->l.address);
		jw_kint(w, "port", so->l.port);
		jw_kbool(w, "allInterfaces", so->l.any);
		jw_kbool(w, "loopback", loopback(&so->l));
		jw_key(w, "pid");
		if (so->l.pid > 0)
			jw_int(w, so->l.pid);
		else
			jw_null(w);
		jw_kstr_or_null(w, "process", so->l.pid > 0 ? so->l.process : NULL);
		jw_kstr_or_null(w, "container", so->host ? "host"
				: so->container ? so->container->id : NULL);
		jw_kstr_or_null(w, "engine", so->container ? so->container->engine : NULL);
		jw_kint(w, "netns", (long long)so->netns);
		jw_kbool(w, "hostNetwork", so->netns == n->host_netns);
		jw_end_obj(w);
	}
	jw_end_arr(w);

	const struct host_mac *m = &r->mac;
	jw_key(w, "mac");
	jw_obj(w);
	jw_key(w, "apparmor");
	jw_obj(w);
	jw_kbool(w, "present", m->apparmor_present);
	jw_kbool(w, "enabled", m->apparmor_enabled && m->apparmor_fs);
	if (m->apparmor_profiles_read) {
		jw_kint(w, "enforce", m->apparmor_enforce);
		jw_kint(w, "complain", m->apparmor_complain);
	}
	jw_end_obj(w);
	jw_key(w, "selinux");
	jw_obj(w);
	jw_kbool(w, "present", m->selinux_present);
	jw_kstr_or_null(w, "mode", !m->selinux_present ? NULL
			: m->selinux_enforce == 1 ? "enforcing"
			: m->selinux_enforce == 0 ? "permissive" : "unknown");
	jw_end_obj(w);
	jw_end_obj(w);

	const struct host_os *o = &r->os;
	jw_key(w, "os");
	jw_obj(w);
	jw_kstr_or_null(w, "source", o->source);
	jw_kstr_or_null(w, "id", o->id);
	jw_kstr_or_null(w, "versionId", o->version_id);
	jw_kstr_or_null(w, "codename", o->codename);
	jw_kstr_or_null(w, "name", o->pretty);
	jw_kbool(w, "inDistroInfo", o->data != NULL);
	jw_kstr_or_null(w, "distroInfo", o->data ? o->data : o->data_tried);
	jw_kstr_or_null(w, "release", o->release);
	jw_kstr_or_null(w, "eol", o->eol);
	jw_key(w, "extended");
	jw_arr(w);
	for (size_t i = 0; i < o->next; i++) {
		jw_obj(w);
		jw_kstr(w, "support", o->ext[i].label);
		jw_kstr(w, "until", o->ext[i].date);
		jw_end_obj(w);
	}
	jw_end_arr(w);
	jw_end_obj(w);

	jw_key(w, "runtimes");
	jw_arr(w);
	for (size_t i = 0; i < r->nruntimes; i++) {
		const struct host_runtime *rt = &r->runtimes[i];
		jw_obj(w);
		jw_kstr(w, "name", rt->name);
		jw_kstr_or_null(w, "path", rt->path);
		jw_kstr_or_null(w, "version", rt->version);
		jw_kstr_or_null(w, "versionSource", rt->version_source);
		jw_kstr_or_null(w, "package", rt->package_version);
		jw_kstr_or_null(w, "changelog", rt->changelog);
		jw_key(w, "vulnerable");
		jw_arr(w);
		for (size_t k = 0; k < rt->nvulnerable; k++)
			jw_str(w, rt->vulnerable[k]->id);
		jw_end_arr(w);
		jw_key(w, "backported");
		jw_arr(w);
		for (size_t k = 0; k < rt->nbackported; k++)
			jw_str(w, rt->backported[k]->id);
		jw_end_arr(w);
		jw_kstr_or_null(w, "note", rt->note);
		jw_end_obj(w);
	}
	jw_end_arr(w);

	jw_key(w, "engines");
	jw_arr(w);
	for (int i = 0; i < ENG_COUNT; i++) {
		const struct host_engine *e = &r->engines[i];
		jw_obj(w);
		jw_kstr(w, "name", engine_name[i]);
		jw_kbool(w, "installed", e->installed);
		if (e->installed) {
			jw_kstr_or_null(w, "evidence", e->evidence);
			jw_key(w, "files");
			jw_arr(w);
			for (size_t k = 0; k < e->nfiles; k++)
				jw_str(w, e->files[k]);
			jw_end_arr(w);
			jw_kbool(w, "hooks", e->hooks);
			jw_kbool(w, "wrapper", e->wrapper);
			jw_kstr_or_null(w, "hardening", e->hardening);
			jw_kstr_or_null(w, "unjudged", e->unjudged);
			jw_kstr_or_null(w, "error", e->error);
		}
		jw_end_obj(w);
	}
	jw_end_arr(w);

	const struct host_pkgs *pk = &r->pkgs;
	jw_key(w, "packages");
	jw_obj(w);
	jw_kstr_or_null(w, "dpkg", pk->source);
	jw_kint(w, "installed", (long long)pk->n);
	jw_kbool(w, "rpmPresent", pk->rpm_present);
	jw_kbool(w, "rpmRead", false);
	static const char *const keys[PK_COUNT] = {
		[PK_COMPILER] = "compilers", [PK_DESKTOP] = "desktop", [PK_SERVER] = "servers",
	};
	for (int kind = 0; kind < PK_COUNT; kind++) {
		jw_key(w, keys[kind]);
		jw_arr(w);
		for (size_t i = 0; i < pk->n; i++)
			if (host_pkg_kind(pk->pkgs[i].name) == kind)
				jw_str(w, pk->pkgs[i].name);
		jw_end_arr(w);
	}
	jw_end_obj(w);

	jw_key(w, "results");
	jw_arr(w);
	for (size_t i = 0; i < nres; i++) {
		jw_obj(w);
		jw_kstr(w, "source", res[i].source);
		jw_kstr(w, "verdict", verdict_name(res[i].verdict));
		if (res[i].verdict == V_ERROR)
			jw_kstr(w, "error", res[i].error);
		jw_key(w, "findings");
		report_json_findings(w, res[i].verdict != V_ERROR ? &res[i].d : NULL);
		jw_end_obj(w);
	}
	jw_end_arr(w);
	jw_end_obj(w);
	jw_free(w);
	jsink_raw(s, "\n", 1);
	if (jsink_finish(s) < 0)
		cli_error("cannot write the report: %s", strerror(errno));
	jsink_free(s);
}

struct host_opts {
	enum report_format fmt;
	const char *root;
};

static const char *option(void *ctx, int code, const char *value)
{
	struct host_opts *ho = ctx;

	if (code == OPT_ROOT)
		ho->root = value;
	else if (report_format_parse(value, &ho->fmt) < 0)
		return "--format must be text, json or sarif";
	return NULL;
}

int cmd_host(int argc, char **argv, struct oh_error *err)
{
	static const struct cli_opt opts[] = {
		{ "format", 0, true, OPT_FORMAT },
		{ "root", 0, true, OPT_ROOT },
		{ 0 },
	};
	struct common_opts o = { 0 };
	struct host_opts ho = { .fmt = FMT_TEXT, .root = "/" };
	struct policy *p = NULL;
	int first = cli_parse(argc, argv, usage, opts, &o, option, &ho);

	if (first < 0)
		return cli_parse_exit(first);
	if (first < argc)
		return cli_usage_error(usage, "host takes no arguments");
	const char *root = ho.root;
	enum report_format fmt = ho.fmt;
	if (root[0] == '\0' || access(root, F_OK) < 0) {
		oh_err(err, root[0] ? errno : 0, "--root %s", root[0] ? root : "\"\"");
		return EXIT_ERROR;
	}
	if (cli_setup(&o, &p, err) < 0)
		return EXIT_ERROR;

	struct host_report hr;
	struct result *res = NULL;
	size_t nres = 0;
	host_report_gather(root, p, &hr);
	host_judge(&hr, p, &res, &nres);

	enum verdict worst = V_COMPLIANT;
	int rc = EXIT_COMPLIANT;
	for (size_t i = 0; i < nres; i++) {
		if (res[i].verdict == V_ERROR) {
			rc = EXIT_ERROR;
			worst = V_ERROR;
		} else if (res[i].verdict != V_COMPLIANT && rc != EXIT_ERROR) {
			rc = EXIT_REFUSED;
			if (worst != V_DENIED)
				worst = res[i].verdict;
		}
	}
	if (fmt == FMT_TEXT) {
		text_facts(&hr);
		report_write(stdout, FMT_TEXT, res, nres);
		printf("host: %s\n", verdict_name(worst));
	} else if (fmt == FMT_JSON) {
		json_report(&hr, res, nres, worst);
	} else {
		report_write(stdout, FMT_SARIF, res, nres);
	}
	if (fmt != FMT_TEXT)
		for (size_t i = 0; i < nres; i++)
			if (res[i].verdict == V_ERROR)
				cli_error("%s: %s", res[i].source, res[i].error);
	for (size_t i = 0; i < nres; i++)
		result_free(&res[i]);
	free(res);
	host_report_free(&hr);
	policy_free(p);
	if (fflush(stdout) != 0) {
		cli_error("cannot write the report");
		return EXIT_ERROR;
	}
	return rc;
}
