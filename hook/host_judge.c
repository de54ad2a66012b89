/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The judgement of a host's facts under the policy: every finding of
 * `oci-harden host` is made here, with the action the policy gives its
 * rule, into one decision per source (the kernel's sockets, securityfs,
 * os-release, a runtime binary, an engine's configuration file, dpkg's
 * status file) so reports can point at the file concerned.
 */
#include "host_judge.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util.h"

void host_report_gather(const char *root, const struct policy *p,
			struct host_report *r)
{
	struct oh_error err = { 0 };

	memset(r, 0, sizeof(*r));
	r->root = xstrdup(root);
	if (host_net_scan(root, &r->net, &err) == 0)
		r->net_read = true;
	else
		r->net_error = xstrdup(err.msg);
	host_mac_read(root, &r->mac);
	if (host_os_read(root, &r->os, &err) < 0)
		r->os_error = xstrdup(err.msg);
	if (host_pkgs_read(root, &r->pkgs, &err) < 0)
		r->pkgs_error = xstrdup(err.msg);
	host_runtimes_read(root, &r->pkgs, &r->runtimes, &r->nruntimes);
	host_engines_read(root, p->allowed_caps, &r->pkgs, r->engines);
}

void host_report_free(struct host_report *r)
{
	free(r->root);
	host_net_free(&r->net);
	free(r->net_error);
	host_os_free(&r->os);
	free(r->os_error);
	host_pkgs_free(&r->pkgs);
	free(r->pkgs_error);
	host_runtimes_free(r->runtimes, r->nruntimes);
	host_engines_free(r->engines);
	memset(r, 0, sizeof(*r));
}

/* ------------------------------------------------------------ results */

struct results {
	struct result *r;
	size_t n;
};

/* The result for a source, made on first use. */
static struct result *result_for(struct results *rs, const char *source)
{
	for (size_t i = 0; i < rs->n; i++)
		if (strcmp(rs->r[i].source, source) == 0)
			return &rs->r[i];
	rs->r = xrealloc(rs->r, (rs->n + 1) * sizeof(*rs->r));
	struct result *r = &rs->r[rs->n++];
	memset(r, 0, sizeof(*r));
	r->source = xstrdup(source);
	r->d.exemption = -1;
	return r;
}

static void result_error(struct results *rs, const char *source, const char *msg)
{
	struct result *r = result_for(rs, source);
	size_t n = strlen(source);

	/* Reports print the source before the error: once is enough. */
	if (strncmp(msg, source, n) == 0 && strncmp(msg + n, ": ", 2) == 0)
		msg += n + 2;
	free(r->error);
	r->error = xstrdup(msg);
	r->verdict = V_ERROR;
}

/* The last finding added: where it is in its file.  A finding without a
 * place in a file (a kernel table, a package database) points at the
 * file's first character, as dashboards need a region. */
static void place_at(struct result *r, unsigned line, unsigned column,
		     unsigned end_line, unsigned end_column)
{
	struct finding *f = &r->d.findings[r->d.nfindings - 1];

	if (line == 0 || end_line == 0) {
		line = column = end_line = 1;
		end_column = 2;
	}
	f->line = line;
	f->column = column > 0 ? column : 1;
	f->end_line = end_line;
	f->end_column = end_column;
}

static void place(struct result *r)
{
	place_at(r, 0, 0, 0, 0);
}

/* ------------------------------------------------------------- sockets */

static bool tcp(const char *proto)
{
	return proto[0] == 't';
}

static void describe_socket(const struct host_socket *s, struct oh_buf *b)
{
	bool v6 = strchr(s->l.address, ':') != NULL;

	oh_buf_printf(b, "%s %s%s%s:%u", s->l.proto, v6 ? "[" : "", s->l.address,
		      v6 ? "]" : "", s->l.port);
	if (s->l.pid > 0)
		oh_buf_printf(b, " (%s, pid %ld)", s->l.process, (long)s->l.pid);
	if (s->host)
		oh_buf_puts(b, " on the host");
	else if (s->container)
		oh_buf_printf(b, " in container %s (%s)%s", s->container->id, s->container->engine,
			      s->host_network ? ", on the host's network namespace" : "");
	else
		oh_buf_printf(b, " in network namespace %lu, which no runtime's state names",
			      s->netns);
}

static void judge_sockets(const struct host_report *hr, const struct policy *p,
			  struct results *rs)
{
	const struct host_net *n = &hr->net;

	if (!hr->net_read) {
		result_error(rs, "/proc", hr->net_error);
		return;
	}
	struct result *r = result_for(rs, "/proc");
	for (size_t i = 0; i < n->nsockets; i++) {
		const struct host_socket *s = &n->sockets[i];
		int rule = s->host ? R_HOST_LISTENING_ALL_INTERFACES : R_LISTENING_ALL_INTERFACES;
		enum action a = p->action[rule];
		char ptr[32];

		/* A container's exemptions apply as `inspect` applies them, so
		 * both reach the same verdict on the same container. */
		if (s->container != NULL && s->container->annotations != NULL) {
			struct spec ann = { .source = s->container->id,
					    .annotations = s->container->annotations };
			a = rules_action_for(&ann, p, rule, NULL);
		}
		if (!s->l.any || a == ACT_OFF)
			continue;
		/* One service, one finding: a dual-stack listener shows as tcp
		 * and tcp6 on the same port of the same process. */
		bool seen = false;
		for (size_t k = 0; k < i && !seen; k++) {
			const struct host_socket *o = &n->sockets[k];
			seen = o->l.any && o->netns == s->netns && o->l.port == s->l.port &&
			       tcp(o->l.proto) == tcp(s->l.proto) && o->l.pid == s->l.pid;
		}
		if (seen)
			continue;
		struct oh_buf what = { 0 };
		describe_socket(s, &what);
		snprintf(ptr, sizeof(ptr), "/listeners/%zu", i);
		decision_add(&r->d, rule, a, ptr,
			     "%s listens on all interfaces: is the service needed? should it "
			     "listen only on localhost? does it authenticate its clients?",
			     what.data);
		place(r);
		oh_buf_free(&what);
	}
}

/* ----------------------------------------------------------------- MAC */

static void judge_mac(const struct host_report *hr, const struct policy *p,
		      struct results *rs)
{
	const struct host_mac *m = &hr->mac;
	cleanup_free char *src = host_path(hr->root, "sys/kernel/security");
	struct result *r = result_for(rs, src);
	enum action a = p->action[R_HOST_MAC_DISABLED];
	const char *why = NULL;
	char buf[256];

	if (a == ACT_OFF)
		return;
	bool apparmor_on = m->apparmor_enabled && m->apparmor_fs;
	if (m->selinux_present && m->selinux_enforce == 1)
		return;
	if (apparmor_on && (!m->apparmor_profiles_read || m->apparmor_enforce > 0))
		return;
	if (m->selinux_present && m->selinux_enforce == 0)
		why = "SELinux is permissive: it logs what it would deny and denies nothing "
		      "(/sys/fs/selinux/enforce is 0)";
	else if (apparmor_on) {
		snprintf(buf, sizeof(buf), "AppArmor is enabled but no profile is loaded in "
			 "enforce mode (%u in complain mode)", m->apparmor_complain);
		why = buf;
	} else if (m->apparmor_present)
		why = "the AppArmor module is present but disabled "
		      "(/sys/module/apparmor/parameters/enabled is not Y)";
	else
		why = "neither AppArmor nor SELinux is present: containers run without "
		      "mandatory access control, and engines cannot confine them with "
		      "profiles or labels";
	decision_add(&r->d, R_HOST_MAC_DISABLED, a, "/mac", "%s", why);
	place(r);
}

/* ------------------------------------------------------------ lifetime */

static void today(char out[11])
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

static void judge_os(const struct host_report *hr, const struct policy *p,
		     struct results *rs)
{
	const struct host_os *o = &hr->os;
	enum action a = p->action[R_HOST_END_OF_LIFE];
	char now[11];

	if (hr->os_error != NULL) {
		cleanup_free char *src = host_path(hr->root, "etc/os-release");
		result_error(rs, src, hr->os_error);
		return;
	}
	struct result *r = result_for(rs, o->source);
	if (a == ACT_OFF || o->data == NULL || o->eol == NULL)
		return;
	today(now);
	if (strcmp(o->eol, now) > 0)
		return;
	struct oh_buf ext = { 0 };
	bool any_left = false;
	for (size_t i = 0; i < o->next; i++) {
		bool left = strcmp(o->ext[i].date, now) > 0;
		any_left |= left;
		oh_buf_printf(&ext, "%s%s %s %s", ext.len ? ", " : "", o->ext[i].label,
			      left ? "until" : "ended", o->ext[i].date);
	}
	decision_add(&r->d, R_HOST_END_OF_LIFE, a, "/os",
		     "%s: regular security support ended on %s%s%s%s (%s)",
		     o->pretty ? o->pretty : o->id, o->eol,
		     ext.len ? "; " : "", ext.len ? ext.data : "",
		     o->next == 0 ? "; there is no extended support"
		     : any_left ? "" : "; every extended support has ended too", o->data);
	place(r);
	oh_buf_free(&ext);
}

/* ------------------------------------------------------------ runtimes */

static void judge_runtimes(const struct host_report *hr, const struct policy *p,
			   struct results *rs)
{
	enum action a = p->action[R_HOST_RUNTIME_VULNERABLE];

	for (size_t i = 0; i < hr->nruntimes; i++) {
		const struct host_runtime *rt = &hr->runtimes[i];
		cleanup_free char *src = rt->path ? xstrdup(rt->path)
					 : xasprintf("dpkg package %s", rt->name);
		struct result *r = result_for(rs, src);
		char ptr[32];

		if (a == ACT_OFF || rt->nvulnerable == 0)
			continue;
		struct oh_buf b = { 0 };
		for (size_t k = 0; k < rt->nvulnerable; k++) {
			const struct runtime_cve *c = rt->vulnerable[k];
			oh_buf_printf(&b, "%s%s (fixed in ", k ? "; " : "", c->id);
			for (size_t f = 0; f < 4 && c->fixed[f]; f++)
				oh_buf_printf(&b, "%s%s", f ? ", " : "", c->fixed[f]);
			oh_buf_printf(&b, "): %s", c->what);
		}
		if (rt->nbackported > 0) {
			oh_buf_puts(&b, "; the package's changelog names the fixes of ");
			for (size_t k = 0; k < rt->nbackported; k++)
				oh_buf_printf(&b, "%s%s", k ? ", " : "", rt->backported[k]->id);
		} else if (rt->note != NULL) {
			oh_buf_printf(&b, "; %s", rt->note);
		}
		snprintf(ptr, sizeof(ptr), "/runtimes/%zu", i);
		decision_add(&r->d, R_HOST_RUNTIME_VULNERABLE, a, ptr,
			     "%s %s (%s) is older than the fixes of %s", rt->name, rt->version,
			     rt->version_source, b.data);
		place(r);
		oh_buf_free(&b);
	}
}

/* ------------------------------------------------------------- engines */

static const char *const engine_conf[ENG_COUNT] = {
	[ENG_DOCKER] = "etc/docker/daemon.json",
	[ENG_PODMAN] = "etc/containers/containers.conf",
	[ENG_CRIO] = "etc/crio/crio.conf",
	[ENG_CONTAINERD] = "etc/containerd/config.toml",
};

static const char *const engine_hook_ptr[ENG_COUNT] = {
	[ENG_DOCKER] = "/default-runtime",
	[ENG_PODMAN] = "/engine/hooks_dir",
	[ENG_CRIO] = "/crio/runtime/hooks_dir",
	[ENG_CONTAINERD] = "/plugins/io.containerd.grpc.v1.cri/containerd/runtimes/runc/options/BinaryName",
};

static void judge_engines(const struct host_report *hr, const struct policy *p,
			  struct results *rs)
{
	for (int i = 0; i < ENG_COUNT; i++) {
		const struct host_engine *e = &hr->engines[i];
		enum action au = p->action[R_HOST_ENGINE_UNHARDENED];
		enum action aw = p->action[R_HOST_ENGINE_WEAK_DEFAULTS];

		if (!e->installed)
			continue;
		cleanup_free char *src = e->nfiles > 0 ? xstrdup(e->files[e->nfiles - 1])
					 : host_path(hr->root, engine_conf[i]);
		if (e->error != NULL) {
			result_error(rs, src, e->error);
			continue;
		}
		struct result *r = result_for(rs, src);
		if (e->unjudged != NULL)
			continue;
		if (au != ACT_OFF && !e->hooks && !e->wrapper) {
			if (e->hardening_source != NULL)
				r = result_for(rs, e->hardening_source);
			decision_add(&r->d, R_HOST_ENGINE_UNHARDENED, au, engine_hook_ptr[i],
				     "%s (%s) starts containers without oci-harden: %s",
				     engine_name[i], e->evidence, e->hardening);
			place(r);
		}
		for (size_t k = 0; aw != ACT_OFF && k < e->nweak; k++) {
			struct result *wr = result_for(rs, e->weak[k].source);
			decision_add(&wr->d, R_HOST_ENGINE_WEAK_DEFAULTS, aw, e->weak[k].pointer,
				     "%s: %s", engine_name[i], e->weak[k].message);
			place_at(wr, e->weak[k].line, e->weak[k].column, e->weak[k].end_line,
				 e->weak[k].end_column);
		}
	}
}

/* ------------------------------------------------------------ packages */

static void judge_packages(const struct host_report *hr, const struct policy *p,
			   struct results *rs)
{
	const struct host_pkgs *pk = &hr->pkgs;
	enum action a = p->action[R_HOST_UNNEEDED_SOFTWARE];
	static const char *const ptrs[PK_COUNT] = {
		[PK_COMPILER] = "/packages/compilers", [PK_DESKTOP] = "/packages/desktop",
		[PK_SERVER] = "/packages/servers",
	};

	if (hr->pkgs_error != NULL) {
		cleanup_free char *src = host_path(hr->root, "var/lib/dpkg/status");
		result_error(rs, src, hr->pkgs_error);
		return;
	}
	if (pk->source == NULL)
		return;
	struct result *r = result_for(rs, pk->source);
	if (a == ACT_OFF)
		return;
	for (int kind = 0; kind < PK_COUNT; kind++) {
		struct oh_buf b = { 0 };
		size_t n = 0;
		for (size_t i = 0; i < pk->n; i++) {
			if (host_pkg_kind(pk->pkgs[i].name) != kind)
				continue;
			/* A summary: the first dozen by name, then a count. */
			if (n < 12)
				oh_buf_printf(&b, "%s%s %s", n ? ", " : "", pk->pkgs[i].name,
					      pk->pkgs[i].version);
			n++;
		}
		if (n == 0)
			continue;
		if (n > 12)
			oh_buf_printf(&b, " and %zu more", n - 12);
		decision_add(&r->d, R_HOST_UNNEEDED_SOFTWARE, a, ptrs[kind],
			     "%s installed (%zu package%s): %s", pkg_kind_name[kind], n,
			     n == 1 ? "" : "s", b.data);
		place(r);
		oh_buf_free(&b);
	}
}

void host_judge(const struct host_report *hr, const struct policy *p,
		struct result **out, size_t *n)
{
	struct results rs = { 0 };

	judge_sockets(hr, p, &rs);
	judge_mac(hr, p, &rs);
	judge_os(hr, p, &rs);
	judge_runtimes(hr, p, &rs);
	judge_engines(hr, p, &rs);
	judge_packages(hr, p, &rs);
	for (size_t i = 0; i < rs.n; i++)
		if (rs.r[i].verdict != V_ERROR) {
			decision_settle(&rs.r[i].d);
			rs.r[i].verdict = rs.r[i].d.verdict;
		}
	*out = rs.r;
	*n = rs.n;
}
