/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Host facts read from files under the root: the mandatory access control
 * (securityfs, selinuxfs, the AppArmor module's parameters), the release
 * from os-release and its support dates from Debian's distro-info-data,
 * and the installed packages from dpkg's status file.  Also the one child
 * process helper the runtime and TOML readers use.
 */
#include "hostscan.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

/* os-release, csv and sysfs files are small; dpkg's status of a full
 * desktop system is a few MiB. */
#define SMALL_MAX (1u << 20)
#define STATUS_MAX (64u << 20)

int host_read(const char *root, const char *rel, size_t max, struct oh_buf *b)
{
	cleanup_free char *path = host_path(root, rel);
	int flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK;
	struct stat st;

	if (strcmp(root, "/") != 0)
		flags |= O_NOFOLLOW;
	cleanup_close int fd = open(path, flags);
	b->len = 0;
	if (fd < 0)
		return -1;
	/* Never block on a FIFO planted in a root under audit. */
	if (fstat(fd, &st) < 0)
		return -1;
	if (!S_ISREG(st.st_mode)) {
		errno = EINVAL;
		return -1;
	}
	return oh_read_fd_buf(fd, max, b);
}

/* sysfs and securityfs files are not regular files to fstat's eye on every
 * kernel; read them like /proc files. */
static int read_sys(const char *root, const char *rel, struct oh_buf *b)
{
	cleanup_free char *path = host_path(root, rel);

	return oh_read_at(AT_FDCWD, path, SMALL_MAX, b);
}

static bool exists(const char *root, const char *rel)
{
	cleanup_free char *path = host_path(root, rel);

	return access(path, F_OK) == 0;
}

/* -------------------------------------------------------------- MAC */

void host_mac_read(const char *root, struct host_mac *m)
{
	struct oh_buf b = { 0 };

	memset(m, 0, sizeof(*m));
	m->selinux_enforce = -1;
	m->apparmor_present = exists(root, "sys/module/apparmor");
	if (read_sys(root, "sys/module/apparmor/parameters/enabled", &b) == 0)
		m->apparmor_enabled = b.data[0] == 'Y' || b.data[0] == 'y' ||
				      b.data[0] == '1';
	m->apparmor_fs = exists(root, "sys/kernel/security/apparmor");
	/* Each loaded profile is a line "NAME (MODE)". */
	if (read_sys(root, "sys/kernel/security/apparmor/profiles", &b) == 0) {
		m->apparmor_profiles_read = true;
		for (char *l = b.data; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
			char *end = strchr(l, '\n');
			size_t len = end ? (size_t)(end - l) : strlen(l);
			if (len >= 10 && strncmp(l + len - 10, " (enforce)", 10) == 0)
				m->apparmor_enforce++;
			else if (len >= 11 && strncmp(l + len - 11, " (complain)", 11) == 0)
				m->apparmor_complain++;
		}
	}
	m->selinux_present = exists(root, "sys/fs/selinux/enforce");
	if (m->selinux_present && read_sys(root, "sys/fs/selinux/enforce", &b) == 0)
		m->selinux_enforce = b.data[0] == '1' ? 1 : b.data[0] == '0' ? 0 : -1;
	oh_buf_free(&b);
}

/* ------------------------------------------------------- os-release */

/* An os-release value: quoted with " or ', backslash escapes, or bare. */
static char *unquote(const char *v, size_t n)
{
	char *out = xmalloc(n + 1), *o = out;
	char q = 0;

	if (n > 0 && (v[0] == '"' || v[0] == '\'')) {
		q = v[0];
		v++;
		n--;
		if (n > 0 && v[n - 1] == q)
			n--;
	}
	for (size_t i = 0; i < n; i++) {
		if (q == '"' && v[i] == '\\' && i + 1 < n)
			i++;
		*o++ = v[i];
	}
	*o = '\0';
	return out;
}

void host_os_release_parse(const char *text, struct host_os *o)
{
	static const struct { const char *key; size_t off; } keys[] = {
		{ "ID", offsetof(struct host_os, id) },
		{ "VERSION_ID", offsetof(struct host_os, version_id) },
		{ "VERSION_CODENAME", offsetof(struct host_os, codename) },
		{ "PRETTY_NAME", offsetof(struct host_os, pretty) },
	};

	for (const char *l = text; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		const char *end = strchr(l, '\n'), *eq = strchr(l, '=');
		size_t len = end ? (size_t)(end - l) : strlen(l);

		if (eq == NULL || eq > l + len || l[0] == '#')
			continue;
		for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
			char **slot = (char **)((char *)o + keys[k].off);
			if (strlen(keys[k].key) != (size_t)(eq - l) ||
			    strncmp(l, keys[k].key, (size_t)(eq - l)) != 0)
				continue;
			free(*slot);
			*slot = unquote(eq + 1, len - (size_t)(eq + 1 - l));
		}
	}
	/* Ubuntu puts the codename in UBUNTU_CODENAME too; Debian testing has
	 * no VERSION_ID.  Only what is there is used. */
}

/* Splits a csv line (distro-info's: no quoting) into at most max fields. */
static size_t split_csv(char *line, char **f, size_t max)
{
	size_t n = 0;

	while (n < max) {
		f[n++] = line;
		char *c = strchr(line, ',');
		if (c == NULL)
			break;
		*c = '\0';
		line = c + 1;
	}
	return n;
}

static bool lower_eq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
			return false;
	return *a == *b;
}

/* "12" matches "12"; Ubuntu's "22.04 LTS" matches VERSION_ID "22.04". */
static bool version_matches(const char *csv, const char *id)
{
	size_t n = strlen(id);

	return id[0] != '\0' && strncmp(csv, id, n) == 0 &&
	       (csv[n] == '\0' || csv[n] == ' ');
}

int host_distro_info_parse(const char *text, struct host_os *o)
{
	/* Extended support columns, by distro-info-data's header names. */
	static const struct { const char *col, *label; } ext[] = {
		{ "eol-lts", "LTS" }, { "eol-elts", "ELTS" },
		{ "eol-esm", "ESM" }, { "eol-legacy", "legacy support" },
	};
	cleanup_free char *copy = xstrdup(text);
	char *save = NULL, *line = strtok_r(copy, "\n", &save);
	char *head[16];
	size_t nh;
	int cver = -1, cseries = -1, crel = -1, ceol = -1, cext[4] = { -1, -1, -1, -1 };

	if (line == NULL)
		return 0;
	cleanup_free char *header = xstrdup(line);
	nh = split_csv(header, head, 16);
	for (size_t i = 0; i < nh; i++) {
		head[i][strcspn(head[i], "\r")] = '\0';
		if (strcmp(head[i], "version") == 0) cver = (int)i;
		else if (strcmp(head[i], "series") == 0) cseries = (int)i;
		else if (strcmp(head[i], "release") == 0) crel = (int)i;
		else if (strcmp(head[i], "eol") == 0) ceol = (int)i;
		for (size_t k = 0; k < 4; k++)
			if (strcmp(head[i], ext[k].col) == 0)
				cext[k] = (int)i;
	}
	if (cseries < 0 || ceol < 0)
		return 0;
	while ((line = strtok_r(NULL, "\n", &save)) != NULL) {
		char *f[16];
		size_t nf = split_csv(line, f, 16);
		for (size_t i = 0; i < nf; i++)
			f[i][strcspn(f[i], "\r")] = '\0';
		bool hit = (o->codename && (size_t)cseries < nf &&
			    lower_eq(f[cseries], o->codename)) ||
			   (o->codename == NULL && o->version_id && cver >= 0 &&
			    (size_t)cver < nf && version_matches(f[cver], o->version_id));
		if (!hit)
			continue;
#define FIELD(c) ((c) >= 0 && (size_t)(c) < nf && f[c][0] ? xstrdup(f[c]) : NULL)
		o->release = FIELD(crel);
		o->eol = FIELD(ceol);
		for (size_t k = 0; k < 4; k++) {
			char *d = FIELD(cext[k]);
			if (d == NULL)
				continue;
			o->ext[o->next].label = ext[k].label;
			o->ext[o->next++].date = d;
		}
#undef FIELD
		return 1;
	}
	return 0;
}

int host_os_read(const char *root, struct host_os *o, struct oh_error *err)
{
	static const char *const releases[] = { "etc/os-release", "usr/lib/os-release" };
	struct oh_buf b = { 0 };

	memset(o, 0, sizeof(*o));
	for (size_t i = 0; i < 2 && o->source == NULL; i++)
		if (host_read(root, releases[i], SMALL_MAX, &b) == 0) {
			o->source = host_path(root, releases[i]);
			host_os_release_parse(b.data, o);
		}
	if (o->source == NULL) {
		oh_buf_free(&b);
		cleanup_free char *p = host_path(root, "etc/os-release");
		return oh_err(err, 0, "%s: no os-release (nor usr/lib/os-release)", p);
	}
	if (o->id == NULL || (strcmp(o->id, "debian") != 0 && strcmp(o->id, "ubuntu") != 0)) {
		oh_buf_free(&b);
		return 0;
	}
	/* The root's own data first (it knows its release), then ours. */
	cleanup_free char *rel = xasprintf("usr/share/distro-info/%s.csv", o->id);
	const char *roots[] = { root, "/" };
	for (size_t i = 0; i < 2; i++) {
		if (i == 1 && strcmp(root, "/") == 0)
			break;
		if (host_read(roots[i], rel, SMALL_MAX, &b) < 0)
			continue;
		free(o->data_tried);
		o->data_tried = host_path(roots[i], rel);
		if (host_distro_info_parse(b.data, o)) {
			o->data = o->data_tried;
			o->data_tried = NULL;
			break;
		}
	}
	oh_buf_free(&b);
	return 0;
}

void host_os_free(struct host_os *o)
{
	free(o->source);
	free(o->id);
	free(o->version_id);
	free(o->codename);
	free(o->pretty);
	free(o->data);
	free(o->data_tried);
	free(o->release);
	free(o->eol);
	for (size_t i = 0; i < o->next; i++)
		free(o->ext[i].date);
	memset(o, 0, sizeof(*o));
}

/* ---------------------------------------------------------- packages */

static int cmp_pkg(const void *a, const void *b)
{
	return strcmp(((const struct host_pkg *)a)->name, ((const struct host_pkg *)b)->name);
}

void host_dpkg_parse(const char *text, struct host_pkgs *p)
{
	const char *l = text;
	char *name = NULL, *version = NULL;
	bool installed = false;

	for (;;) {
		const char *end = l ? strchr(l, '\n') : NULL;
		size_t len = l ? (end ? (size_t)(end - l) : strlen(l)) : 0;

		/* A blank line (or the end) closes a stanza. */
		if (l == NULL || len == 0) {
			if (name != NULL && installed) {
				p->pkgs = xrealloc(p->pkgs, (p->n + 1) * sizeof(*p->pkgs));
				p->pkgs[p->n].name = name;
				p->pkgs[p->n++].version = version ? version : xstrdup("");
			} else {
				free(name);
				free(version);
			}
			name = version = NULL;
			installed = false;
			if (l == NULL || *l == '\0')
				break;
		} else if (len > 9 && strncmp(l, "Package: ", 9) == 0) {
			free(name);
			name = xasprintf("%.*s", (int)(len - 9), l + 9);
		} else if (len > 9 && strncmp(l, "Version: ", 9) == 0) {
			free(version);
			version = xasprintf("%.*s", (int)(len - 9), l + 9);
		} else if (len > 8 && strncmp(l, "Status: ", 8) == 0) {
			/* "want flag status": only the last word says installed. */
			const char *st = l + 8;
			installed = len - 8 >= 9 && strncmp(st + (len - 8) - 9, "installed", 9) == 0 &&
				    (len - 8 == 9 || st[len - 8 - 10] == ' ');
		}
		l = end ? end + 1 : NULL;
		if (l != NULL && *l == '\0')
			l = NULL;
	}
	if (p->n > 1)
		qsort(p->pkgs, p->n, sizeof(*p->pkgs), cmp_pkg);
}

int host_pkgs_read(const char *root, struct host_pkgs *p, struct oh_error *err)
{
	struct oh_buf b = { 0 };
	int rc = 0;

	memset(p, 0, sizeof(*p));
	p->rpm_present = exists(root, "var/lib/rpm") || exists(root, "usr/lib/sysimage/rpm");
	if (host_read(root, "var/lib/dpkg/status", STATUS_MAX, &b) == 0) {
		p->source = host_path(root, "var/lib/dpkg/status");
		host_dpkg_parse(b.data, p);
	} else if (errno != ENOENT) {
		cleanup_free char *path = host_path(root, "var/lib/dpkg/status");
		rc = oh_err(err, errno, "%s", path);
	}
	oh_buf_free(&b);
	return rc;
}

const struct host_pkg *host_pkg_find(const struct host_pkgs *p, const char *name)
{
	struct host_pkg key = { .name = (char *)name };

	if (p->n == 0)
		return NULL;
	return bsearch(&key, p->pkgs, p->n, sizeof(*p->pkgs), cmp_pkg);
}

void host_pkgs_free(struct host_pkgs *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->pkgs[i].name);
		free(p->pkgs[i].version);
	}
	free(p->pkgs);
	free(p->source);
	memset(p, 0, sizeof(*p));
}

const char *const pkg_kind_name[PK_COUNT] = {
	[PK_COMPILER] = "compilers and build tools",
	[PK_DESKTOP] = "desktop environments and display servers",
	[PK_SERVER] = "servers a container host does not need",
};

/*
 * Debian package names, by kind.  A name ending in '-' stands for itself
 * followed by a version ("gcc-" matches gcc-12, not gcc-12-base, the
 * runtime libraries' base package every system has).
 */
static const struct { const char *name; enum pkg_kind kind; } pkg_kinds[] = {
	{ "gcc", PK_COMPILER }, { "gcc-", PK_COMPILER }, { "g++", PK_COMPILER },
	{ "g++-", PK_COMPILER }, { "clang", PK_COMPILER }, { "clang-", PK_COMPILER },
	{ "tcc", PK_COMPILER }, { "gfortran", PK_COMPILER }, { "gfortran-", PK_COMPILER },
	{ "build-essential", PK_COMPILER }, { "make", PK_COMPILER },
	{ "golang-go", PK_COMPILER }, { "rustc", PK_COMPILER }, { "cargo", PK_COMPILER },
	{ "xserver-xorg", PK_DESKTOP }, { "xserver-xorg-core", PK_DESKTOP },
	{ "xwayland", PK_DESKTOP }, { "task-desktop", PK_DESKTOP },
	{ "gnome-shell", PK_DESKTOP }, { "gnome-core", PK_DESKTOP },
	{ "plasma-desktop", PK_DESKTOP }, { "kde-plasma-desktop", PK_DESKTOP },
	{ "xfce4", PK_DESKTOP }, { "xfce4-session", PK_DESKTOP }, { "lxde", PK_DESKTOP },
	{ "lxqt", PK_DESKTOP }, { "mate-desktop", PK_DESKTOP }, { "cinnamon", PK_DESKTOP },
	{ "gdm3", PK_DESKTOP }, { "lightdm", PK_DESKTOP }, { "sddm", PK_DESKTOP },
	{ "apache2", PK_SERVER }, { "nginx", PK_SERVER }, { "lighttpd", PK_SERVER },
	{ "mariadb-server", PK_SERVER }, { "mysql-server", PK_SERVER },
	{ "postgresql", PK_SERVER }, { "postgresql-", PK_SERVER },
	{ "exim4-daemon-light", PK_SERVER }, { "exim4-daemon-heavy", PK_SERVER },
	{ "postfix", PK_SERVER }, { "sendmail", PK_SERVER }, { "bind9", PK_SERVER },
	{ "dnsmasq", PK_SERVER }, { "vsftpd", PK_SERVER }, { "proftpd-basic", PK_SERVER },
	{ "samba", PK_SERVER }, { "nfs-kernel-server", PK_SERVER }, { "rpcbind", PK_SERVER },
	{ "cups", PK_SERVER }, { "cups-daemon", PK_SERVER }, { "avahi-daemon", PK_SERVER },
	{ "telnetd", PK_SERVER }, { "inetutils-telnetd", PK_SERVER },
	{ "openbsd-inetd", PK_SERVER }, { "xinetd", PK_SERVER }, { "snmpd", PK_SERVER },
	{ "squid", PK_SERVER }, { "redis-server", PK_SERVER }, { "memcached", PK_SERVER },
	{ "slapd", PK_SERVER }, { "tftpd-hpa", PK_SERVER }, { "isc-dhcp-server", PK_SERVER },
};

int host_pkg_kind(const char *name)
{
	for (size_t i = 0; i < sizeof(pkg_kinds) / sizeof(pkg_kinds[0]); i++) {
		const char *k = pkg_kinds[i].name;
		size_t n = strlen(k);
		if (k[n - 1] != '-') {
			if (strcmp(name, k) == 0)
				return (int)pkg_kinds[i].kind;
			continue;
		}
		/* "gcc-" + digits and dots only */
		if (strncmp(name, k, n) == 0 && isdigit((unsigned char)name[n]) &&
		    name[n + strspn(name + n, "0123456789.")] == '\0')
			return (int)pkg_kinds[i].kind;
	}
	return -1;
}

/* ------------------------------------------------------ version order */

/* dpkg's character order: '~' before everything, even the end; letters
 * before other characters. */
static int order(int c)
{
	if (isdigit(c))
		return 0;
	if (isalpha(c))
		return c;
	if (c == '~')
		return -1;
	if (c)
		return c + 256;
	return 0;
}

static int verrevcmp(const char *a, const char *b)
{
	while (*a || *b) {
		int first = 0;

		while ((*a && !isdigit((unsigned char)*a)) || (*b && !isdigit((unsigned char)*b))) {
			int ac = order((unsigned char)*a), bc = order((unsigned char)*b);
			if (ac != bc)
				return ac - bc;
			a++;
			b++;
		}
		while (*a == '0')
			a++;
		while (*b == '0')
			b++;
		while (isdigit((unsigned char)*a) && isdigit((unsigned char)*b)) {
			if (!first)
				first = *a - *b;
			a++;
			b++;
		}
		if (isdigit((unsigned char)*a))
			return 1;
		if (isdigit((unsigned char)*b))
			return -1;
		if (first)
			return first;
	}
	return 0;
}

/* Splits [epoch:]upstream[-revision]. */
static void split_version(const char *v, long *epoch, char **up, char **rev)
{
	const char *colon = strchr(v, ':'), *dash;

	*epoch = 0;
	if (colon != NULL && colon > v && strspn(v, "0123456789") == (size_t)(colon - v)) {
		*epoch = strtol(v, NULL, 10);
		v = colon + 1;
	}
	dash = strrchr(v, '-');
	if (dash != NULL) {
		*up = xasprintf("%.*s", (int)(dash - v), v);
		*rev = xstrdup(dash + 1);
	} else {
		*up = xstrdup(v);
		*rev = xstrdup("");
	}
}

int host_version_cmp(const char *a, const char *b)
{
	long ea, eb;
	cleanup_free char *ua = NULL, *ra = NULL, *ub = NULL, *rb = NULL;

	split_version(a, &ea, &ua, &ra);
	split_version(b, &eb, &ub, &rb);
	if (ea != eb)
		return ea < eb ? -1 : 1;
	int c = verrevcmp(ua, ub);
	return c != 0 ? c : verrevcmp(ra, rb);
}

/* ----------------------------------------------------- child process */

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int host_run(char *const argv[], size_t max, double timeout,
	     struct oh_buf *out, int *status, struct oh_error *err)
{
	static char *const envp[] = { "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL=C", NULL };
	posix_spawn_file_actions_t fa;
	int pipefd[2], rc, wst;
	pid_t pid;
	bool too_much = false;

	out->len = 0;
	*status = -1;
	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return oh_err(err, errno, "pipe");
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], 1);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	rc = posix_spawn(&pid, argv[0], &fa, NULL, argv, envp);
	posix_spawn_file_actions_destroy(&fa);
	close(pipefd[1]);
	if (rc != 0) {
		close(pipefd[0]);
		return oh_err(err, rc, "cannot run %s", argv[0]);
	}
	double deadline = now() + timeout;
	for (;;) {
		struct pollfd pfd = { .fd = pipefd[0], .events = POLLIN };
		int ms = (int)((deadline - now()) * 1000);
		if (ms <= 0 || too_much)
			break;
		int pr = poll(&pfd, 1, ms);
		if (pr < 0 && errno == EINTR)
			continue;
		if (pr <= 0)
			break;
		oh_buf_grow(out, 8192);
		ssize_t r = read(pipefd[0], out->data + out->len, out->cap - out->len - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			close(pipefd[0]);
			pipefd[0] = -1;
			break;
		}
		out->len += (size_t)r;
		too_much = out->len > max;
	}
	if (pipefd[0] >= 0) {
		/* Still writing after the deadline or past max: stop it. */
		kill(pid, SIGKILL);
		close(pipefd[0]);
	}
	while (waitpid(pid, &wst, 0) < 0 && errno == EINTR)
		;
	oh_buf_grow(out, 1);
	out->data[out->len] = '\0';
	if (too_much)
		return oh_err(err, EFBIG, "%s: output", argv[0]);
	if (WIFEXITED(wst))
		*status = WEXITSTATUS(wst);
	return 0;
}
