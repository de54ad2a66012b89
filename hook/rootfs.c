/* SPDX-License-Identifier: Apache-2.0 */
#include "rootfs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "host.h"
#include "util.h"

/* ---------------------------------------------------------- the tools */

static const struct tool {
	const char *name;
	int rule;
	bool versioned;   /* also name + version: pip3, pip3.11, gcc-12 */
} tools[] = {
	{ "wget", R_PHONE_HOME_TOOLS, false },
	{ "curl", R_PHONE_HOME_TOOLS, false },
	{ "nc", R_PHONE_HOME_TOOLS, false },
	{ "netcat", R_PHONE_HOME_TOOLS, false },
	{ "ncat", R_PHONE_HOME_TOOLS, false },
	{ "nc.openbsd", R_PHONE_HOME_TOOLS, false },
	{ "nc.traditional", R_PHONE_HOME_TOOLS, false },
	{ "socat", R_PHONE_HOME_TOOLS, false },
	{ "apt", R_PACKAGE_MANAGER, false },
	{ "apt-get", R_PACKAGE_MANAGER, false },
	{ "dpkg", R_PACKAGE_MANAGER, false },
	{ "apk", R_PACKAGE_MANAGER, false },
	{ "dnf", R_PACKAGE_MANAGER, true },
	{ "microdnf", R_PACKAGE_MANAGER, false },
	{ "yum", R_PACKAGE_MANAGER, false },
	{ "rpm", R_PACKAGE_MANAGER, false },
	{ "pip", R_PACKAGE_MANAGER, true },
	{ "cc", R_COMPILER, false },
	{ "gcc", R_COMPILER, true },
	{ "c++", R_COMPILER, false },
	{ "g++", R_COMPILER, true },
	{ "clang", R_COMPILER, true },
	{ "tcc", R_COMPILER, false },
	{ "make", R_COMPILER, false },
};
#define N_TOOLS (sizeof(tools) / sizeof(tools[0]))

/* "3", "3.11", "-12": what distributions append to versioned binaries. */
static bool version_suffix(const char *s)
{
	if (*s == '-' || *s == '.')
		s++;
	if (*s < '0' || *s > '9')
		return false;
	return strspn(s, "0123456789.") == strlen(s);
}

/* The rule a program name falls under, or -1. */
static int tool_rule(const char *name)
{
	for (size_t i = 0; i < N_TOOLS; i++) {
		size_t n = strlen(tools[i].name);
		if (strncmp(name, tools[i].name, n) != 0)
			continue;
		if (name[n] == '\0' || (tools[i].versioned && version_suffix(name + n)))
			return tools[i].rule;
	}
	return -1;
}

static bool is_busybox(const char *name)
{
	return strcmp(name, "busybox") == 0 || strncmp(name, "busybox.", 8) == 0 ||
	       strncmp(name, "busybox-", 8) == 0;
}

/* Directories a shell searches for programs, at any depth. */
static bool is_bin_dir(const char *name)
{
	return strcmp(name, "bin") == 0 || strcmp(name, "sbin") == 0;
}

/* ----------------------------------------------------------- the walk */

struct walk {
	struct rootfs_result *r;
	struct oh_buf path;        /* of the entry at hand, "/usr/bin/wget" */
	struct timespec t0;
	size_t cap;                /* of r->hits */
};

static double elapsed(const struct walk *w)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - w->t0.tv_sec) + (double)(t.tv_nsec - w->t0.tv_nsec) / 1e9;
}

static void hit(struct walk *w, int rule, const char *detail)
{
	struct rootfs_result *r = w->r;

	/* Doubling: a rootfs of 10^5 setuid files must not copy the list once
	 * per file. */
	if (r->nhits == w->cap) {
		w->cap = w->cap * 2 + 16;
		r->hits = xrealloc(r->hits, w->cap * sizeof(*r->hits));
	}
	r->hits[r->nhits++] = (struct rootfs_hit){
		.rule = rule, .path = xstrdup(w->path.data), .detail = xstrdup(detail),
	};
}

static void suid_hit(struct walk *w, const struct stat *st)
{
	char d[96] = "";

	if (st->st_mode & S_ISUID) {
		if (st->st_uid == 0)
			snprintf(d, sizeof(d), "setuid root");
		else
			snprintf(d, sizeof(d), "setuid uid %lu", (unsigned long)st->st_uid);
	}
	if (st->st_mode & S_ISGID)
		snprintf(d + strlen(d), sizeof(d) - strlen(d), "%ssetgid gid %lu",
			 d[0] ? ", " : "", (unsigned long)st->st_gid);
	hit(w, R_SUID_FILES, d);
}

/* Busybox keeps its applet names as one NUL-separated table in the binary,
 * sorted for its binary search; "wget" in it means `busybox wget` works,
 * links or not. */
#define BUSYBOX_MAX (16u * 1024u * 1024u)
#define APPLET_NAME_MAX 32
/* Fewer sorted names in a row than this is some other string table. */
#define APPLETS_MIN 8

static bool applet_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
	       c == '.' || c == '-' || c == '[';
}

/* The length of the applet-name token at p (ending in NUL), or 0. */
static size_t applet_token(const char *p, const char *end)
{
	const char *q = p;

	while (q < end && q - p <= APPLET_NAME_MAX && applet_char((unsigned char)*q))
		q++;
	if (q == p || q >= end || *q != '\0' || q - p > APPLET_NAME_MAX)
		return 0;
	return (size_t)(q - p);
}

/*
 * The applet table: the longest run of NUL-separated names in ascending
 * order.  A bare search for "\0cc\0" would also hit other data (Debian's
 * busybox has one in a lookup table and no cc applet).
 */
static void applet_table(const char *buf, size_t len, const char **start,
			 const char **stop, size_t *count)
{
	const char *p = buf, *end = buf + len;

	*start = *stop = NULL;
	*count = 0;
	while (p < end) {
		const char *q = p, *prev = NULL;
		size_t n = 0, t;

		while ((t = applet_token(q, end)) > 0 && (prev == NULL || strcmp(prev, q) < 0)) {
			prev = q;
			q += t + 1;
			n++;
		}
		if (n > *count) {
			*count = n;
			*start = p;
			*stop = q;
		}
		if (n > 0) {
			p = q;   /* the name that broke the order may start a run */
		} else {
			const char *z = memchr(p, '\0', (size_t)(end - p));
			p = z ? z + 1 : end;
		}
	}
}

static void busybox_hits(struct walk *w, int dirfd, const char *name)
{
	static const int rules[] = { R_PHONE_HOME_TOOLS, R_PACKAGE_MANAGER, R_COMPILER };
	cleanup_close int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
				      O_CLOEXEC | O_NOCTTY);
	struct oh_error ignored;
	const char *start, *stop;
	size_t count;
	char *buf;
	size_t len;

	if (fd < 0 || oh_read_fd(fd, name, BUSYBOX_MAX, &buf, &len, &ignored) < 0)
		return;
	applet_table(buf, len, &start, &stop, &count);
	for (size_t k = 0; count >= APPLETS_MIN && k < sizeof(rules) / sizeof(rules[0]); k++) {
		struct oh_buf applets = { 0 };
		for (const char *a = start; a < stop; a += strlen(a) + 1) {
			for (size_t i = 0; i < N_TOOLS; i++)
				if (tools[i].rule == rules[k] && strcmp(a, tools[i].name) == 0)
					oh_buf_printf(&applets, "%s%s",
						      applets.len ? ", " : "applets ", a);
		}
		if (applets.len)
			hit(w, rules[k], applets.data);
		oh_buf_free(&applets);
	}
	free(buf);
}

/* An entry that is not a directory: judged by mode and by name. */
static void visit(struct walk *w, int dirfd, const char *name, unsigned char type,
		  const struct stat *known, bool in_bin)
{
	struct stat st;
	int rule;

	if (type == DT_LNK) {
		/* Judged by name, never followed: the target may lie outside. */
		if (in_bin && (rule = tool_rule(name)) >= 0) {
			char target[256], detail[272];
			ssize_t n = readlinkat(dirfd, name, target, sizeof(target) - 1);
			target[n > 0 ? n : 0] = '\0';
			snprintf(detail, sizeof(detail), "-> %s", target);
			hit(w, rule, detail);
		}
		return;
	}
	if (type != DT_REG)
		return;
	if (known != NULL)
		st = *known;
	else if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st.st_mode))
		return;
	if (st.st_mode & (S_ISUID | S_ISGID))
		suid_hit(w, &st);
	if (!in_bin || !(st.st_mode & 0111))
		return;
	if ((rule = tool_rule(name)) >= 0)
		hit(w, rule, "");
	else if (is_busybox(name))
		busybox_hits(w, dirfd, name);
}

static void closedirp(DIR **d)
{
	if (*d != NULL)
		closedir(*d);
}

struct frame {
	DIR *d;
	size_t pathlen;   /* of this directory in w->path */
	bool bin;
};

static int cmp_hit(const void *a, const void *b)
{
	const struct rootfs_hit *x = a, *y = b;

	if (x->rule != y->rule)
		return x->rule - y->rule;
	return strcmp(x->path, y->path);
}

int rootfs_walk(int rootfd, const struct rootfs_limits *lim,
		struct rootfs_result *r, struct oh_error *err)
{
	struct frame stack[ROOTFS_MAX_DEPTH];
	struct walk w = { .r = r, .cap = r->nhits };
	struct stat rootst;
	size_t depth = 0;
	int fd;

	r->limits = *lim;
	r->stop = ROOTFS_COMPLETE;
	clock_gettime(CLOCK_MONOTONIC, &w.t0);
	if (fstat(rootfd, &rootst) < 0)
		return oh_err(err, errno, "cannot stat the rootfs");
	/* The DIR takes its own fd: the caller keeps rootfd. */
	fd = openat(rootfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || (stack[0].d = fdopendir(fd)) == NULL) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		return oh_err(err, e, "cannot read the rootfs");
	}
	stack[0].pathlen = 0;
	stack[0].bin = false;
	depth = 1;
	oh_buf_puts(&w.path, "");

	while (depth > 0) {
		struct frame *f = &stack[depth - 1];
		struct dirent *e;

		errno = 0;
		if ((e = readdir(f->d)) == NULL) {
			if (errno != 0)
				r->unreadable++;
			closedirp(&f->d);
			depth--;
			if (depth > 0)
				w.path.len = stack[depth - 1].pathlen;
			continue;
		}
		const char *name = e->d_name;
		if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
			continue;
		if (r->files >= lim->max_files) {
			r->stop = ROOTFS_FILE_LIMIT;
			break;
		}
		r->files++;
		/* A clock read per entry would cost more than the entry. */
		if (r->files % 64 == 0 && elapsed(&w) > lim->max_seconds) {
			r->stop = ROOTFS_TIME_LIMIT;
			break;
		}
		w.path.len = f->pathlen;
		oh_buf_printf(&w.path, "/%s", name);

		unsigned char type = e->d_type;
		struct stat st, *known = NULL;
		if (type == DT_UNKNOWN) {
			/* Filesystems without d_type (some overlay and xfs set-ups). */
			if (fstatat(dirfd(f->d), name, &st, AT_SYMLINK_NOFOLLOW) < 0)
				continue;
			type = S_ISDIR(st.st_mode) ? DT_DIR : S_ISLNK(st.st_mode) ? DT_LNK
			       : S_ISREG(st.st_mode) ? DT_REG : DT_UNKNOWN;
			known = &st;
		}
		if (type != DT_DIR) {
			visit(&w, dirfd(f->d), name, type, known, f->bin);
			continue;
		}
		if (depth == ROOTFS_MAX_DEPTH) {
			r->too_deep++;
			continue;
		}
		/* O_NOFOLLOW: a directory swapped for a symlink meanwhile fails
		 * here instead of leading out of the rootfs. */
		fd = openat(dirfd(f->d), name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
			    O_CLOEXEC | O_NONBLOCK);
		if (fd < 0 || fstat(fd, &st) < 0) {
			r->unreadable++;
			if (fd >= 0)
				close(fd);
			continue;
		}
		/* Like find -xdev: a mount point is another filesystem's walk
		 * (a rootfs of "/" would otherwise take in /proc and /sys). */
		if (st.st_dev != rootst.st_dev) {
			r->other_fs++;
			close(fd);
			continue;
		}
		DIR *d = fdopendir(fd);
		if (d == NULL) {
			r->unreadable++;
			close(fd);
			continue;
		}
		stack[depth++] = (struct frame){
			.d = d, .pathlen = w.path.len, .bin = is_bin_dir(name),
		};
	}
	while (depth > 0)
		closedirp(&stack[--depth].d);
	r->seconds = elapsed(&w);
	r->scanned = true;
	oh_buf_free(&w.path);
	/* qsort's base must not be NULL, even for no elements. */
	if (r->nhits > 1)
		qsort(r->hits, r->nhits, sizeof(*r->hits), cmp_hit);
	return 0;
}

int rootfs_scan(const struct spec *s, int bundle_fd,
		const struct rootfs_limits *lim, struct rootfs_result *r,
		struct oh_error *err)
{
	cleanup_close int rfd = -1;

	memset(r, 0, sizeof(*r));
	r->limits = *lim;
	if (s->root_path == NULL || s->root_path->len == 0) {
		r->error = xstrdup("the config has no root.path");
		return 0;
	}
	r->path = xstrdup(s->root_path->u.str);
	/* An absolute root.path (podman's) does not need the bundle. */
	if (r->path[0] != '/' && bundle_fd < 0) {
		r->error = xasprintf("root.path %s is relative and there is no bundle",
				     r->path);
		return 0;
	}
	/* root.path is resolved as the runtime resolves it (symlinks
	 * followed); only the walk inside it must not leave it. */
	rfd = openat(r->path[0] == '/' ? AT_FDCWD : bundle_fd, r->path,
		     O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (rfd < 0) {
		r->error = xasprintf("root.path %s: %s", r->path, strerror(errno));
		return 0;
	}
	if (rootfs_walk(rfd, &r->limits, r, err) < 0)
		return oh_err_wrap(err, "root.path %s", r->path);
	return 0;
}

void rootfs_describe(const struct rootfs_result *r, char *buf, size_t n)
{
	static const char *const bound[] = {
		[ROOTFS_FILE_LIMIT] = "file-count", [ROOTFS_TIME_LIMIT] = "time",
	};
	size_t at;

	if (!r->scanned) {
		snprintf(buf, n, "not scanned: %s", r->error ? r->error : "not asked to");
		return;
	}
	if (r->stop == ROOTFS_COMPLETE)
		snprintf(buf, n, "%lu files in %.3f s (limits %lu files, %g s)", r->files,
			 r->seconds, r->limits.max_files, r->limits.max_seconds);
	else
		snprintf(buf, n, "stopped at the %s limit after %lu files in %.3f s "
			 "(limits %lu files, %g s): findings may be incomplete",
			 bound[r->stop], r->files, r->seconds, r->limits.max_files,
			 r->limits.max_seconds);
	at = strlen(buf);
	if (r->unreadable && at < n)
		at += (size_t)snprintf(buf + at, n - at, "; %lu unreadable directories",
				       r->unreadable);
	if (r->other_fs && at < n)
		at += (size_t)snprintf(buf + at, n - at, "; %lu mount points not entered",
				       r->other_fs);
	if (r->too_deep && at < n)
		snprintf(buf + at, n - at, "; %lu directories deeper than %d levels not "
			 "entered", r->too_deep, ROOTFS_MAX_DEPTH);
}

void rootfs_result_free(struct rootfs_result *r)
{
	for (size_t i = 0; i < r->nhits; i++) {
		free(r->hits[i].path);
		free(r->hits[i].detail);
	}
	free(r->hits);
	free(r->error);
	free(r->path);
	memset(r, 0, sizeof(*r));
}
