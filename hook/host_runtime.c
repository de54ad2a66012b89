/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The OCI runtimes' versions against the container-escape CVEs fixed in
 * them.  A distribution backports fixes without changing the upstream
 * version, so a Debian package's changelog is read for the CVE ids it
 * fixed before its version is called vulnerable.
 */
#include "hostscan.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

/*
 * Known container escapes and the first fixed version of each release
 * branch, from the runtimes' security advisories (GHSA ids in the
 * comments).  Versions in dpkg's notation: 1.4.0~rc3 is 1.4.0-rc.3.
 * Only escapes and privilege gains of the container's processes belong
 * here; bugs of other tools built on the runtime do not.
 */
const struct runtime_cve runtime_cves[] = {
	/* GHSA-gxmr-w5mj-v8hh: /proc/self/exe overwrite from the container */
	{ "runc", "CVE-2019-5736", { "1.0.0~rc7" },
	  "a container process can overwrite the host's runc binary" },
	/* GHSA-c3xm-pvg7-gh7r: symlink race on mount targets */
	{ "runc", "CVE-2021-30465", { "1.0.0~rc95" },
	  "a symlink-exchange race lets a mount escape to the host" },
	/* GHSA-xr7r-f8xq-vfvv: leaked fd to the host's cgroup directory */
	{ "runc", "CVE-2024-21626", { "1.1.12" },
	  "a leaked file descriptor gives the container the host's filesystem" },
	/* GHSA-jfvp-7x6p-h2pv: mkdir/create on the host through a symlink race */
	{ "runc", "CVE-2024-45310", { "1.1.14", "1.2.0~rc3" },
	  "a race creates empty files or directories on the host" },
	/* GHSA-9493-h29p-rfm2: masked paths replaced by symlinks */
	{ "runc", "CVE-2025-31133", { "1.2.8", "1.3.3", "1.4.0~rc3" },
	  "masking of /proc files can be redirected to write host files" },
	/* GHSA-qw9x-cqr3-wc7r: /dev/console bind-mount redirected */
	{ "runc", "CVE-2025-52565", { "1.2.8", "1.3.3", "1.4.0~rc3" },
	  "the /dev/console mount can be redirected to write procfs files" },
	/* GHSA-cgrx-mc8f-2prm: procfs writes redirected, LSM labels bypassed */
	{ "runc", "CVE-2025-52881", { "1.2.8", "1.3.3", "1.4.0~rc3" },
	  "writes to /proc can be redirected, bypassing AppArmor and SELinux" },
	/* GHSA-4vvp-56pp-5v3q: symlinked mount target escapes the rootfs */
	{ "crun", "CVE-2019-18837", { "0.10.5" },
	  "a symlinked mount target lets a mount escape the rootfs" },
	/* GHSA-wj3w-f4jx-6f6c (podman/crun): non-empty inheritable set */
	{ "crun", "CVE-2022-27650", { "1.4.4" },
	  "processes start with inheritable capabilities they can raise" },
	/* GHSA-f42g-r5jj-qh4j: krun handler escapes the rootfs */
	{ "crun", "CVE-2025-24965", { "1.20" },
	  "with the krun handler an image can create files on the host" },
	/* crun exec -u 1 ran as uid 0 (1.19 to 1.26) */
	{ "crun", "CVE-2026-30892", { "1.27" },
	  "`crun exec --user 1` runs the process as uid 0" },
};
const size_t runtime_ncves = sizeof(runtime_cves) / sizeof(runtime_cves[0]);

/* Upstream spellings to dpkg's order: runc's "1.2.0-rc.3" sorts before
 * 1.2.0 only as "1.2.0~rc3". */
static char *normalize(const char *v)
{
	char *out = xmalloc(strlen(v) + 1), *o = out;

	for (const char *p = v; *p; p++) {
		if (*p == '-' && strncmp(p + 1, "rc", 2) == 0) {
			*o++ = '~';
			*o++ = 'r';
			*o++ = 'c';
			p += 2;
			if (p[1] == '.')
				p++;
			continue;
		}
		*o++ = *p;
	}
	*o = '\0';
	return out;
}

/* "1.2" of "1.2.8"; the whole version when it has fewer dots. */
static size_t branch_len(const char *v)
{
	const char *d = strchr(v, '.');

	d = d ? strchr(d + 1, '.') : NULL;
	return d ? (size_t)(d - v) : strcspn(v, "~+-");
}

bool host_cve_affects(const struct runtime_cve *c, const char *version)
{
	cleanup_free char *v = normalize(version);
	const char *last = NULL;

	for (size_t i = 0; i < 4 && c->fixed[i] != NULL; i++) {
		const char *f = c->fixed[i];
		size_t bl = branch_len(f);
		last = f;
		/* A branch with its own fix: older than that fix is affected. */
		if (strncmp(v, f, bl) == 0 && branch_len(v) == bl)
			return host_version_cmp(v, f) < 0;
	}
	/* Other branches: older than the last fix and without one of their
	 * own means affected (1.1.x for a fix only in 1.2.8 and later). */
	return last != NULL && host_version_cmp(v, last) < 0;
}

/* The CVE ids a text names. */
static void cves_of(const char *text, char ***out, size_t *n)
{
	for (const char *p = strstr(text, "CVE-"); p != NULL; p = strstr(p + 4, "CVE-")) {
		size_t y = strspn(p + 4, "0123456789");
		if (y != 4 || p[8] != '-')
			continue;
		size_t k = strspn(p + 9, "0123456789");
		if (k < 4)
			continue;
		char *id = xasprintf("%.*s", (int)(9 + k), p);
		bool dup = false;
		for (size_t i = 0; i < *n && !dup; i++)
			dup = strcmp((*out)[i], id) == 0;
		if (dup) {
			free(id);
			continue;
		}
		*out = xrealloc(*out, (*n + 1) * sizeof(**out));
		(*out)[(*n)++] = id;
	}
}

static const char *const gzip_paths[] = { "/usr/bin/gzip", "/bin/gzip", NULL };

/* The Debian changelog of package name, decompressed by a child gzip (the
 * running system's, never one from the root under audit). */
static void read_changelog(const char *root, const char *name, struct host_runtime *r)
{
	cleanup_free char *rel = xasprintf("usr/share/doc/%s/changelog.Debian.gz", name);
	cleanup_free char *path = host_path(root, rel);
	const char *gz = NULL;
	struct oh_error err = { 0 };
	struct oh_buf out = { 0 };
	int status;

	if (access(path, R_OK) < 0) {
		r->note = xasprintf("%s: %s: the version alone decides", path, strerror(errno));
		return;
	}
	for (size_t i = 0; gzip_paths[i] && gz == NULL; i++)
		if (access(gzip_paths[i], X_OK) == 0)
			gz = gzip_paths[i];
	if (gz == NULL) {
		r->note = xstrdup("no gzip to read the Debian changelog: the version alone decides");
		return;
	}
	char *argv[] = { (char *)gz, "-dc", "--", path, NULL };
	if (host_run(argv, 32u << 20, 5.0, &out, &status, &err) < 0 || status != 0) {
		r->note = xasprintf("%s: cannot be decompressed%s%s: the version alone decides",
				    path, err.msg[0] ? ": " : "", err.msg);
		oh_buf_free(&out);
		return;
	}
	r->changelog = xstrdup(path);
	cves_of(out.data, &r->changelog_cves, &r->nchangelog_cves);
	oh_buf_free(&out);
}

/* "runc version 1.1.5+ds1" / "crun version 1.8.1": the version word. */
static char *version_line(const char *text, const char *name)
{
	cleanup_free char *prefix = xasprintf("%s version ", name);
	const char *p = strstr(text, prefix);

	if (p == NULL)
		return NULL;
	p += strlen(prefix);
	size_t n = strcspn(p, " \n\r\t");
	return n > 0 ? xasprintf("%.*s", (int)n, p) : NULL;
}

static const char *const bin_dirs[] = {
	"usr/local/sbin", "usr/local/bin", "usr/sbin", "usr/bin", "sbin", "bin", NULL,
};

static void judge_versions(struct host_runtime *r)
{
	for (size_t i = 0; i < runtime_ncves; i++) {
		const struct runtime_cve *c = &runtime_cves[i];
		if (strcmp(c->runtime, r->name) != 0 || !host_cve_affects(c, r->version))
			continue;
		bool fixed = false;
		for (size_t k = 0; k < r->nchangelog_cves && !fixed; k++)
			fixed = strcmp(r->changelog_cves[k], c->id) == 0;
		const struct runtime_cve ***list = fixed ? &r->backported : &r->vulnerable;
		size_t *n = fixed ? &r->nbackported : &r->nvulnerable;
		*list = xrealloc(*list, (*n + 1) * sizeof(**list));
		(*list)[(*n)++] = c;
	}
}

/* The upstream part of a Debian version: 1.1.5+ds1 of 1.1.5+ds1-1+deb12u1. */
static char *upstream_of(const char *v)
{
	const char *colon = strchr(v, ':'), *dash;

	if (colon != NULL)
		v = colon + 1;
	dash = strrchr(v, '-');
	return dash ? xasprintf("%.*s", (int)(dash - v), v) : xstrdup(v);
}

/*
 * One runtime: each binary found is judged on its own, since a
 * /usr/local/sbin/runc beside the package's /usr/sbin/runc is the one
 * engines find first in PATH.  A binary from the Debian package is judged
 * by the package's version and changelog; another by its --version, which
 * is run only on the running system (a root under audit may hold anything).
 */
static void read_runtime(const char *root, const char *name, const struct host_pkgs *pk,
			 struct host_runtime **out, size_t *n)
{
	const struct host_pkg *pkg = host_pkg_find(pk, name);
	bool live = strcmp(root, "/") == 0, any = false;

	for (size_t d = 0; bin_dirs[d] != NULL; d++) {
		cleanup_free char *rel = xasprintf("%s/%s", bin_dirs[d], name);
		cleanup_free char *path = host_path(root, rel);
		struct host_runtime r = { 0 };

		if (access(path, F_OK) < 0)
			continue;
		/* /bin and /sbin are /usr's on merged-/usr systems: one binary. */
		bool dup = false;
		for (size_t i = 0; i < *n && !dup; i++) {
			char a[4096], b[4096];
			dup = (*out)[i].path && realpath((*out)[i].path, a) && realpath(path, b) &&
			      strcmp(a, b) == 0;
		}
		if (dup)
			continue;
		any = true;
		r.name = xstrdup(name);
		r.path = xstrdup(path);
		bool packaged = pkg != NULL && strncmp(bin_dirs[d], "usr/local", 9) != 0;
		cleanup_free char *reported = NULL;
		cleanup_free char *failed = NULL;
		if (live) {
			struct oh_error err = { 0 };
			struct oh_buf o = { 0 };
			int status;
			char *argv[] = { path, "--version", NULL };
			if (host_run(argv, 1 << 16, 5.0, &o, &status, &err) == 0 && status == 0)
				reported = version_line(o.data, name);
			if (reported == NULL)
				failed = xasprintf("%s --version: %s", path,
						   err.msg[0] ? err.msg : "no version printed");
			oh_buf_free(&o);
		}
		cleanup_free char *upstream = packaged ? upstream_of(pkg->version) : NULL;
		if (packaged && reported != NULL && strcmp(reported, upstream) != 0) {
			/* Replaced after the package installed it: the binary's own
			 * version counts, and the package's changelog says nothing
			 * about it. */
			r.note = xasprintf("%s reports %s, not the package's %s: judged by its "
					   "own version", path, reported, pkg->version);
			packaged = false;
		}
		if (packaged) {
			r.package_version = xstrdup(pkg->version);
			r.version = xstrdup(upstream);
			r.version_source = xasprintf("dpkg package %s %s", name, pkg->version);
			read_changelog(root, name, &r);
		} else if (reported != NULL) {
			r.version = xstrdup(reported);
			r.version_source = xasprintf("%s --version", path);
		} else if (live) {
			r.note = xstrdup(failed);
		} else {
			r.note = xasprintf("%s: not from a package, and binaries under a root "
					   "other than / are not run", path);
		}
		if (r.version != NULL)
			judge_versions(&r);
		*out = xrealloc(*out, (*n + 1) * sizeof(**out));
		(*out)[(*n)++] = r;
	}
	if (!any && pkg != NULL) {
		/* Installed by dpkg, its binary elsewhere: judge the package. */
		struct host_runtime r = { .name = xstrdup(name) };
		r.package_version = xstrdup(pkg->version);
		r.version = upstream_of(pkg->version);
		r.version_source = xasprintf("dpkg package %s %s", name, pkg->version);
		read_changelog(root, name, &r);
		judge_versions(&r);
		*out = xrealloc(*out, (*n + 1) * sizeof(**out));
		(*out)[(*n)++] = r;
	}
}

void host_runtimes_read(const char *root, const struct host_pkgs *pk,
			struct host_runtime **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	read_runtime(root, "runc", pk, out, n);
	read_runtime(root, "crun", pk, out, n);
}

void host_runtimes_free(struct host_runtime *r, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(r[i].name);
		free(r[i].path);
		free(r[i].version);
		free(r[i].version_source);
		free(r[i].package_version);
		free(r[i].changelog);
		for (size_t k = 0; k < r[i].nchangelog_cves; k++)
			free(r[i].changelog_cves[k]);
		free(r[i].changelog_cves);
		free(r[i].note);
		free(r[i].vulnerable);
		free(r[i].backported);
	}
	free(r);
}
