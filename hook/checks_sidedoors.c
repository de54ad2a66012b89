/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The side doors: what hands the host over although capabilities, seccomp
 * and no-new-privileges are in order.  Read-only and masked kernel paths,
 * host paths and devices in the container, the patterns of runtime CVEs,
 * annotations that override the config, sysctls and namespaces that are
 * the host's.  The config's own hooks are judged in checks_hooks.c.
 *
 * Every check is one pass over the config's lists; lists of the policy and
 * of this file are sorted and searched, so a config with many mounts,
 * annotations or sysctls costs n log n at worst.
 */
#include "check.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "hostmount.h"
#include "checks_mountkinds.h"
#include "policy.h"
#include "util.h"

/* ------------------------------------------------------------- helpers */

/*
 * Whether path_clean (below) would leave in as it is: an absolute path
 * without "//", "." or ".." components or a trailing slash, not under
 * /var/run.  Sets *len.  Most paths are: they are then used in place,
 * without a copy, and path_clean copies them after this one scan.
 */
static bool path_is_clean(const char *in, size_t *len)
{
	const char *q = in;

	if (in[0] != '/' || strncmp(in, "/var/run", 8) == 0)
		return false;
	/* From slash to slash: what follows each is looked at, the bytes of
	 * a name are only passed over. */
	for (;;) {
		const char *c = q + 1;
		if (*c == '/' || (*c == '\0' && q != in))   /* "//", or a slash at the end */
			return false;
		if (*c == '.' && (c[1] == '/' || c[1] == '\0' ||
				  (c[1] == '.' && (c[2] == '/' || c[2] == '\0'))))
			return false;
		while (*c != '\0' && *c != '/')
			c++;
		if (*c == '\0') {
			*len = (size_t)(c - in);
			return *len < PATH_MAX;
		}
		q = c;
	}
}

/*
 * The lexical form of an absolute path: no "//", ".", "..", no trailing
 * slash.  /var/run is spelled /run (a symlink to it on every current
 * distribution), so a list needs only one spelling.  A relative path is
 * returned as it is, flagged through *relative.
 */
static void path_clean(const char *in, char *out, size_t cap, bool *relative)
{
	size_t n = 0;
	const char *p = in;

	if (relative)
		*relative = in[0] != '/';
	if (in[0] != '/') {
		snprintf(out, cap, "%s", in);
		return;
	}
	/* Most paths are clean already: one scan, one copy. */
	size_t len0;
	if (path_is_clean(in, &len0) && len0 < cap) {
		memcpy(out, in, len0 + 1);
		return;
	}
	out[0] = '\0';
	while (*p) {
		while (*p == '/')
			p++;
		const char *e = p;
		while (*e && *e != '/')
			e++;
		size_t len = (size_t)(e - p);
		if (len == 0 || (len == 1 && p[0] == '.')) {
			/* nothing */
		} else if (len == 2 && p[0] == '.' && p[1] == '.') {
			while (n > 0 && out[n - 1] != '/')
				n--;
			if (n > 0)
				n--;
		} else if (n + 1 + len < cap) {
			out[n++] = '/';
			memcpy(out + n, p, len);
			n += len;
		}
		p = e;
	}
	if (n == 0)
		out[n++] = '/';
	out[n] = '\0';
	if (strncmp(out, "/var/run", 8) == 0 && (out[8] == '/' || out[8] == '\0'))
		memmove(out, out + 4, strlen(out + 4) + 1);
}

/* Whether a is b or an ancestor of b (both clean). */
static bool path_covers(const char *a, const char *b)
{
	size_t n = strlen(a);

	if (strcmp(a, "/") == 0)
		return true;
	return strncmp(a, b, n) == 0 && (b[n] == '\0' || b[n] == '/');
}

struct mount_view {
	const char *type, *source, *dest;
	const struct jval *opts;
	bool bind, readonly, shared, rbind, rro;
	uint8_t kind;
};

/* The spec read each mount once (spec.h); this is a view of that. */
static struct mount_view mount_at(const struct spec *s, uint32_t i)
{
	const struct spec_mount *m = &s->mount[i];

	return (struct mount_view){ .type = m->type, .source = m->source,
				    .dest = m->destination, .opts = m->options,
				    .bind = m->bind, .readonly = m->readonly,
				    .shared = m->shared, .rbind = m->rbind, .rro = m->rro,
				    .kind = m->kind };
}

static void mount_ptr(char *ptr, size_t cap, uint32_t i, const char *member)
{
	json_ptr_set(ptr, cap, "/mounts");
	json_ptr_append_index(ptr, cap, i);
	if (member)
		json_ptr_append(ptr, cap, member, strlen(member));
}

/* ------------------------------------------------- read-only and masked */

/* What runc, Docker and podman all keep masked. */
static const char *const must_mask[] = {
	"/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
	"/proc/sched_debug", "/proc/scsi", "/proc/timer_list", "/proc/timer_stats",
	"/sys/firmware",
};
/* ... and read-only (runc masks /proc/asound, podman makes it read-only:
 * either will do). */
static const char *const must_readonly[] = {
	"/proc/asound", "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
	"/proc/sysrq-trigger",
};
#define N_MUST_MASK (sizeof(must_mask) / sizeof(must_mask[0]))
#define N_MUST_READONLY (sizeof(must_readonly) / sizeof(must_readonly[0]))

/* Whether path has a ".." component. */
static bool has_dotdot(const char *path)
{
	for (const char *p = strstr(path, ".."); p != NULL; p = strstr(p + 1, ".."))
		if ((p == path || p[-1] == '/') && (p[2] == '/' || p[2] == '\0'))
			return true;
	return false;
}

/*
 * Which of want[] a config's list covers (an entry equal to a path or above
 * it): each entry is compared with the few paths of want[], so the cost is
 * linear in the list.  An entry with ".." covers nothing: the runtime
 * resolves it in the container, after symlinks, where
 * "/proc/thread-self/../sys" is /proc/PID/task/sys, which does not exist
 * and is skipped (runc 1.1.5 and crun 1.8.1 left /proc/sys writable),
 * whatever it cleans to.
 */
static void covered(const struct jval *list, const char *const *want, size_t nwant,
		    bool *out)
{
	for (size_t k = 0; k < nwant; k++)
		out[k] = false;
	for (uint32_t i = 0; list != NULL && i < list->len; i++) {
		char clean[PATH_MAX];
		if (has_dotdot(list->u.items[i].u.str))
			continue;
		path_clean(list->u.items[i].u.str, clean, sizeof(clean), NULL);
		size_t n = strlen(clean);
		bool root = n == 1;
		for (size_t k = 0; k < nwant; k++)
			out[k] = out[k] || root ||
				 (strncmp(clean, want[k], n) == 0 &&
				  (want[k][n] == '\0' || want[k][n] == '/'));
	}
}

/* Which kernel filesystems the config mounts where the lists apply. */
static void kernel_mounts(const struct spec *s, bool *proc, bool *sys)
{
	*proc = *sys = false;
	for (uint32_t i = 0; s->mounts != NULL && i < s->mounts->len; i++) {
		const char *d = s->mount[i].destination;
		char dest[PATH_MAX], src[PATH_MAX];

		/* Only a destination that names /proc or /sys can clean to it
		 * (the spec noted which do). */
		if (!s->mount[i].dest_kernel)
			continue;
		path_clean(d, dest, sizeof(dest), NULL);
		bool at_proc = strcmp(dest, "/proc") == 0, at_sys = strcmp(dest, "/sys") == 0;
		if (!at_proc && !at_sys)
			continue;
		struct mount_view m = mount_at(s, i);
		path_clean(m.source, src, sizeof(src), NULL);
		if (at_proc && (m.kind == MOUNT_PROC || (m.bind && strcmp(src, "/proc") == 0)))
			*proc = true;
		if (at_sys && (m.kind == MOUNT_SYSFS || (m.bind && strcmp(src, "/sys") == 0)))
			*sys = true;
	}
}

static bool applies(const char *path, bool proc, bool sys)
{
	return strncmp(path, "/proc/", 6) == 0 ? proc : sys;
}

/*
 * Without a proc (or sysfs) mount the container has no /proc/sys to
 * protect, so the lists are judged only where the config mounts them: a
 * config of just a process and a root is not a finding.
 */
void check_kernel_paths(struct check_ctx *c)
{
	bool ro_masked[N_MUST_READONLY], ro_ro[N_MUST_READONLY], masked[N_MUST_MASK];
	struct oh_buf not_ro = { 0 }, not_masked = { 0 };
	bool proc, sys;

	kernel_mounts(c->s, &proc, &sys);
	if (!proc && !sys)
		return;
	covered(c->s->masked_paths, must_readonly, N_MUST_READONLY, ro_masked);
	covered(c->s->readonly_paths, must_readonly, N_MUST_READONLY, ro_ro);
	covered(c->s->masked_paths, must_mask, N_MUST_MASK, masked);
	for (size_t i = 0; i < N_MUST_READONLY; i++) {
		if (!applies(must_readonly[i], proc, sys) || ro_masked[i] || ro_ro[i])
			continue;
		oh_buf_puts(&not_ro, not_ro.len ? ", " : "");
		oh_buf_puts(&not_ro, must_readonly[i]);
	}
	for (size_t i = 0; i < N_MUST_MASK; i++) {
		if (!applies(must_mask[i], proc, sys) || masked[i])
			continue;
		oh_buf_puts(&not_masked, not_masked.len ? ", " : "");
		oh_buf_puts(&not_masked, must_mask[i]);
	}
	if (not_ro.len)
		check_add(c, "/linux/readonlyPaths",
			  "not read-only: %s; root in the container can write host-wide "
			  "kernel settings (/proc/sys/kernel/core_pattern runs a program "
			  "as host root)", not_ro.data);
	if (not_masked.len)
		check_add(c, "/linux/maskedPaths", "not masked: %s", not_masked.data);
	oh_buf_free(&not_ro);
	oh_buf_free(&not_masked);
}

/* Appends to linux.KEY the paths of want[] not marked in have[]. */
static void add_missing(struct spec *s, const char *key, const struct jval *old,
			const char *const *want, size_t nwant, const bool *have)
{
	uint32_t n = old ? old->len : 0, add = 0;

	for (size_t i = 0; i < nwant; i++)
		add += !have[i];
	if (add == 0)
		return;
	struct jval arr = jv_array(s->doc, n + add);
	for (uint32_t i = 0; i < n; i++)
		arr.u.items[i] = old->u.items[i];
	for (size_t i = 0; i < nwant; i++)
		if (!have[i])
			arr.u.items[n++] = jv_str(s->doc, want[i]);
	struct jval *lin = fix_ensure_object(s->doc, s->root, "linux");
	jobj_set(s->doc, lin, key, arr);
}

/* Restores every path of both lists (runc skips those that do not exist). */
int fix_kernel_paths(struct spec *s, const struct policy *p,
		     const struct host_facts *h, struct oh_error *err)
{
	(void)p, (void)h, (void)err;
	bool ro_masked[N_MUST_READONLY], ro_ro[N_MUST_READONLY], masked[N_MUST_MASK];

	covered(s->masked_paths, must_readonly, N_MUST_READONLY, ro_masked);
	covered(s->readonly_paths, must_readonly, N_MUST_READONLY, ro_ro);
	covered(s->masked_paths, must_mask, N_MUST_MASK, masked);
	for (size_t i = 0; i < N_MUST_READONLY; i++)
		ro_ro[i] = ro_ro[i] || ro_masked[i];
	/* The arrays are replaced, not edited: read both before writing. */
	const struct jval *old_ro = s->readonly_paths, *old_masked = s->masked_paths;
	add_missing(s, "readonlyPaths", old_ro, must_readonly, N_MUST_READONLY, ro_ro);
	add_missing(s, "maskedPaths", old_masked, must_mask, N_MUST_MASK, masked);
	return 0;
}

/* ---------------------------------------------------- sensitive mounts */

/* Whether the clean host path hands over something on the policy's list.
 * Hash look-ups (the policy's sets): a config may have a million bind
 * mounts, each judged twice per hook run. */
static bool sensitive_path_n(const struct policy *p, const char *src, size_t n)
{
	if (n >= PATH_MAX)
		return false;
	/* The entry itself, or above one: a bind of /var holds /var/lib/kubelet.
	 * The path's hash is computed once for the three sets, and only when
	 * one of them has an entry of its length. */
	const struct strset *t = &p->sensitive_trees_set;
	bool trees = p->sensitive_trees.n != 0;
	if (strset_may_have(&p->sensitive_set, n) || strset_may_have(&p->sensitive_above_set, n) ||
	    (trees && strset_may_have(t, n))) {
		uint64_t h = strset_hash_of(src, n);
		if ((strset_may_have(&p->sensitive_set, n) &&
		     strset_has_h(&p->sensitive_set, src, n, h)) ||
		    (strset_may_have(&p->sensitive_above_set, n) &&
		     strset_has_h(&p->sensitive_above_set, src, n, h)) ||
		    (trees && strset_may_have(t, n) && strset_has_h(t, src, n, h)))
			return true;
	}
	/* Below an entry ending in slash-star-star: /proc/1/root under /proc.
	 * The path and each ancestor are looked up, so the cost is the
	 * path's depth; an ancestor shorter than 63 bytes only at a length
	 * some entry has (the set's lengths, a bit each: the policy's trees
	 * are a few), longer ones one by one. */
	if (!trees)
		return false;
	if ((t->lens & 2) && strset_has(t, "/", 1))
		return true;
	for (uint64_t m = t->lens & ~(uint64_t)3 & ~(1ull << 63); m != 0; m &= m - 1) {
		size_t len = (size_t)__builtin_ctzll(m);
		if (len >= n)
			break;
		if (src[len] == '/' && strset_has(t, src, len))
			return true;
	}
	if (!(t->lens & (1ull << 63)))
		return false;
	for (size_t len = n;;) {
		const char *slash = memrchr(src, '/', len);
		if (slash == NULL || slash - src < 63)
			return false;
		len = (size_t)(slash - src);
		if (strset_has(t, src, len))
			return true;
	}
}

static bool sensitive_path(const struct policy *p, const char *src)
{
	return sensitive_path_n(p, src, strlen(src));
}

/*
 * The host's system directories: what lies below them the host runs or
 * trusts as root (/etc/cron.d, /etc/systemd/system, /etc/sudoers.d,
 * /etc/ld.so.preload, /usr/bin, /root/.ssh, the crontabs), so a writable
 * bind of anything there hands over host root, where the policy's list
 * names /etc only as itself.  A read-only one (kubelet's /etc/ssl/certs,
 * the engines' /etc/localtime and /etc/resolv.conf copies are elsewhere)
 * reads what every container may read.  Whichever of them covers the
 * clean path src, or NULL.
 */
static const char *system_dir_of(const char *src)
{
	static const char *const dirs[] = { "/bin",   "/boot", "/etc",   "/lib",
					    "/lib32", "/lib64", "/libx32", "/root",
					    "/sbin",  "/usr",  "/var/spool/cron" };

	for (size_t i = 0; i < sizeof(dirs) / sizeof(*dirs); i++)
		if (path_covers(dirs[i], src))
			return dirs[i];
	return NULL;
}

/* Whether a bind, readonly or not, of the clean host path src is one
 * system_dir_of refuses: shown then says so. */
static bool writable_system(const char *src, bool readonly, const char *as, char *shown,
			    size_t cap)
{
	const char *dir = readonly ? NULL : system_dir_of(src);

	if (dir == NULL)
		return false;
	int w = *as ? snprintf(shown, cap, "%s (%s: writable, in %s, whose files the host "
			       "runs or trusts as root)", as, src, dir)
		    : snprintf(shown, cap, "%s (writable, in %s, whose files the host runs or "
			       "trusts as root)", src, dir);
	if (w >= (int)cap)
		shown[cap - 1] = '\0';
	return true;
}

/* A read-only view of sysfs is what every container has: src (clean) is
 * /sys or below it. */
static bool sysfs_readonly(const char *src, bool readonly)
{
	return readonly && strncmp(src, "/sys", 4) == 0 && (src[4] == '\0' || src[4] == '/');
}

/*
 * Where a host path leads after symlinks (resolve, below).  An O_PATH
 * descriptor resolves the whole path in one call (realpath would readlink
 * every component), and the answers are remembered for the life of the
 * process in a hash table: a config is judged again after its fixes, with
 * the same mounts, and its mounts' records point at the answers.
 */
struct memo_slot {
	uint64_t hash;
	char *path, *real;   /* real NULL: the path does not exist */
	/* What its mount tells (mount_facts); NULL for nothing. */
	char *alias;         /* other host paths of it, NUL-separated (naliases) */
	size_t naliases;
	char *via;           /* the mount point it lies below, when the alias is through it */
	const struct hostmount *ovl;   /* the overlay it is on */
	char *inner;         /* its path in that overlay */
	char *fail;          /* why its mount could not be looked up */
	/* Why the path could not be resolved at all (an open(2) failing
	 * otherwise than ENOENT or ENOTDIR: EACCES, ELOOP, EMFILE; a failed
	 * readlink of /proc/self/fd/N): it is then refused, not admitted as
	 * missing. */
	char *bad;
	mode_t mode;         /* what it is after symlinks (st_mode, st_rdev) */
	dev_t rdev;
	const char *fstype;  /* its mount's file system type; NULL on the mount of "/" */
	/* For a path that does not exist: whether the directory above it
	 * that does was reached through a symlink (bind_place walks it). */
	bool linked;
};
/* The slots are pointed to from the table, not held in it: a pointer to
 * one stays good when the table grows, so each mount's record of its
 * source (struct source_look) keeps the answer, not a copy of it. */
static struct memo_slot **memo;
static size_t memo_cap, memo_fill;

static uint64_t path_hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;

	for (const unsigned char *q = (const unsigned char *)s; *q; q++)
		h = (h ^ *q) * 1099511628211ull;
	return h;
}

/* The entry holding the n bytes of path, or the empty one where they
 * belong. */
static struct memo_slot **memo_find_n(const char *path, size_t n, uint64_t h)
{
	size_t i = (size_t)h & (memo_cap - 1);

	while (memo[i] != NULL &&
	       (memo[i]->hash != h || strncmp(memo[i]->path, path, n) != 0 ||
		memo[i]->path[n] != '\0'))
		i = (i + 1) & (memo_cap - 1);
	return &memo[i];
}

/* The entry holding path, or the empty one where it belongs. */
static struct memo_slot **memo_find(const char *path, uint64_t h)
{
	size_t i = (size_t)h & (memo_cap - 1);

	while (memo[i] != NULL && (memo[i]->hash != h || strcmp(memo[i]->path, path) != 0))
		i = (i + 1) & (memo_cap - 1);
	return &memo[i];
}

/* Doubles the table when half full: lookups stay constant-time. */
static void memo_grow(void)
{
	struct memo_slot **old = memo;
	size_t old_cap = memo_cap;

	memo_cap = memo_cap ? memo_cap * 2 : 64;
	memo = xcalloc(memo_cap, sizeof(*memo));
	for (size_t i = 0; i < old_cap; i++)
		if (old[i] != NULL)
			*memo_find(old[i]->path, old[i]->hash) = old[i];
	free(old);
}

/* Remembers path (its hash h) as leading to real, or to nothing, with
 * the facts of its mount (whose strings it takes over), and returns the
 * slot (for the life of the process). */
static const struct memo_slot *memo_put(const char *path, uint64_t h, const char *real,
					const struct memo_slot *facts)
{
	if (2 * (memo_fill + 1) > memo_cap)
		memo_grow();
	struct memo_slot **e = memo_find(path, h);
	if (*e != NULL)
		return *e;
	struct memo_slot *m = xmalloc(sizeof(*m));
	*m = facts != NULL ? *facts : (struct memo_slot){ 0 };
	m->hash = h;
	m->path = xstrdup(path);
	m->real = real ? xstrdup(real) : NULL;
	*e = m;
	memo_fill++;
	return m;
}

/*
 * Whether a directory above clean is known not to exist: then clean does
 * not either, and no system call is needed.  The hash of each prefix is
 * the running hash where it ends.
 */
static const struct memo_slot *ancestor_missing(const char *clean)
{
	/* The last directory found missing this way, first: the sources of
	 * many mounts share one (a thousand volumes under a directory this
	 * host lacks), and a comparison costs less than hashing and looking
	 * up each ancestor.  It stays in the memo, so the answer is the
	 * same. */
	static const char *last;
	static size_t last_len;
	static uint64_t last_hash;
	uint64_t h = 1469598103934665603ull;

	if (memo_cap == 0)
		return NULL;
	if (last != NULL && strncmp(clean, last, last_len) == 0 && clean[last_len] == '/')
		return *memo_find_n(clean, last_len, last_hash);
	for (size_t i = 0; clean[i]; i++) {
		if (clean[i] == '/' && i > 0) {
			const struct memo_slot *m = *memo_find_n(clean, i, h);
			if (m != NULL && m->real == NULL) {
				last = m->path;
				last_len = i;
				last_hash = h;
				return m;
			}
		}
		h = (h ^ (unsigned char)clean[i]) * 1099511628211ull;
	}
	return NULL;
}

/* After clean was not found: its missing ancestors are remembered too, so
 * that its siblings (a thousand volumes under one missing directory) cost
 * nothing.  Returns whether the directory above them that exists is
 * reached through a symlink (its path after them is not its own), which
 * they are remembered with; true when that cannot be said. */
/* Whether the first component of rest, in the existing directory open at
 * dirfd (AT_FDCWD: "/"), is there but was not followed: a dangling
 * symlink (/tmp/l to ROOTFS/a, which an earlier mount of the container may
 * make), which bind_place's walk must follow where it leads. */
static bool dangling_below(int dirfd, const char *rest)
{
	char name[NAME_MAX + 2] = "/";
	struct stat st;
	size_t n = strcspn(rest, "/");
	bool root = dirfd == AT_FDCWD;

	if (n == 0 || n > NAME_MAX)
		return n > 0;
	memcpy(name + 1, rest, n);
	name[n + 1] = '\0';
	return fstatat(dirfd, root ? name : name + 1, &st, AT_SYMLINK_NOFOLLOW) == 0;
}

/* plain: openat2 found no symlink on clean's way (resolve): the
 * directory above that exists is then its own path and no dangling link
 * is below it, so only whether each ancestor exists is asked, by stat. */
static bool remember_missing_ancestors(const char *clean, bool plain)
{
	char dir[PATH_MAX], fdpath[64], buf[PATH_MAX];
	struct memo_slot facts = { .linked = true };   /* unless shown otherwise */
	size_t end = strlen(clean);
	struct stat st;

	if (end >= sizeof(dir))
		return true;
	memcpy(dir, clean, end + 1);
	for (;;) {
		char *slash = memrchr(dir, '/', end);
		if (slash == NULL)
			break;
		end = (size_t)(slash - dir);
		if (end == 0) {   /* "/" exists and is no symlink */
			facts.linked = !plain && dangling_below(AT_FDCWD, clean + 1);
			break;
		}
		dir[end] = '\0';
		if (plain) {
			if (stat(dir, &st) == 0) {
				facts.linked = false;
				break;
			}
			if (errno != ENOENT && errno != ENOTDIR)
				break;
			continue;
		}
		cleanup_close int fd = open(dir, O_PATH | O_CLOEXEC);
		if (fd >= 0) {
			snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", fd);
			ssize_t n = readlink(fdpath, buf, sizeof(buf));
			facts.linked = n != (ssize_t)end || memcmp(buf, dir, end) != 0 ||
				       dangling_below(fd, clean + end + 1);
			break;
		}
		if (errno != ENOENT && errno != ENOTDIR)
			break;
	}
	/* The missing ones: clean's ancestors longer than the one found. */
	memcpy(dir, clean, strlen(clean) + 1);
	for (char *p = dir + end + 1; (p = strchr(p, '/')) != NULL; p++) {
		*p = '\0';
		memo_put(dir, path_hash(dir), NULL, &facts);
		*p = '/';
	}
	return facts.linked;
}

/* -------------------------------------------- the host's other paths */

/*
 * What the kernel says of the directory open at fd, whose path is real
 * (hostmount.h), into the memo's fields: another host path of it (a
 * volume directory the local driver bound /etc onto is /etc; /srv/x/ssh,
 * with /srv/x a bind of /etc, is /etc/ssh), the mount point it lies below
 * when that is how (via), the overlay it is on, with its path there, and
 * what the file is (its type and device number, from the same statx).
 * No alias for anything on the root mount.  A failed look-up is kept as
 * its message: the source is then refused (fail closed).
 */
static void mount_facts(int fd, const char *real, struct memo_slot *f)
{
	struct hostmount_path hp;
	struct oh_error err = { 0 };

	if (hostmount_path_of(fd, real, &hp, &err) < 0) {
		f->fail = xstrdup(err.msg);
		return;
	}
	/* The node's type, for host-devices: a bind of /tmp/l, a symlink
	 * to /dev/sda, is the disk. */
	f->mode = hp.mode;
	f->rdev = hp.rdev;
	f->fstype = hp.m != NULL ? hp.m->type : NULL;
	if (hp.naliases > 0) {
		f->alias = hp.aliases;   /* taken over */
		f->naliases = hp.naliases;
		if (!hp.mount_root)
			f->via = xstrdup(hp.m->point);
	}
	if (hp.m != NULL && hp.inner[0] && strcmp(hp.m->type, "overlay") == 0) {
		f->ovl = hp.m;
		f->inner = xstrdup(hp.inner);
	}
}

/*
 * open(clean, O_PATH), the common way first: openat2(2) with
 * RESOLVE_NO_SYMLINKS, which refuses every symlink on the walk, the last
 * component's too (ELOOP).  For a path without ".", ".." and "//"
 * (path_is_clean) it decides as the open(2) and readlink of
 * /proc/self/fd/N below would:
 *  - it opens: no symlink was followed, so the kernel's path of the file
 *    is the path walked, clean: the readlink would give clean back
 *    (*plain set, no readlink).
 *  - ENOENT, ENOTDIR: the walk met no symlink up to the component that is
 *    missing (or no directory), and that component is no symlink either
 *    (a dangling one is ELOOP): open(2), walking the same components,
 *    fails the same way, and of the directory above that exists
 *    remember_missing_ancestors would find its path its own and no
 *    dangling link below it (*plain set: it asks only which exist).
 *  - anything else (ELOOP: a symlink on the way; ENOSYS, EPERM: a kernel
 *    before 5.6 or a seccomp filter; EACCES, EMFILE...): open(2) itself,
 *    as before, which answers (and fails) as it always did.
 * A path of PATH_MAX - 2 bytes or more goes the old way: the readlink
 * there does not fit.
 */
static int open_plain(const char *clean, bool *plain)
{
	*plain = false;
#ifdef SYS_openat2
	/* struct open_how of <linux/openat2.h> (Linux 5.6), spelled here for
	 * older headers; RESOLVE_NO_SYMLINKS is 0x04. */
	struct { uint64_t flags, mode, resolve; } how = { O_PATH | O_CLOEXEC, 0, 0x04 };
	static bool absent;   /* ENOSYS once: not asked again */
	size_t len;
	if (!absent && path_is_clean(clean, &len) && len < PATH_MAX - 2) {
		int fd = (int)syscall(SYS_openat2, AT_FDCWD, clean, &how, sizeof(how));
		if (fd >= 0 || errno == ENOENT || errno == ENOTDIR) {
			*plain = true;
			return fd;
		}
		absent = errno == ENOSYS;
	}
#endif
	return open(clean, O_PATH | O_CLOEXEC);
}

/* What the host says of clean after symlinks: the slot of its answer
 * (slot->real: where it leads, clean; and what its mount tells,
 * mount_facts), remembered for the life of the process; NULL only when
 * it does not exist (ENOENT, ENOTDIR), with *linked saying whether the
 * directory above it that does was reached through a symlink.  A path
 * that could not be resolved otherwise has a slot with bad saying why
 * (real is clean then), and its callers refuse it. */
static const struct memo_slot *resolve(const char *clean, bool *linked)
{
	char fdpath[64], buf[PATH_MAX], out[PATH_MAX];
	uint64_t h = path_hash(clean);

	*linked = false;
	if (memo_cap > 0) {
		const struct memo_slot *m = *memo_find(clean, h);
		if (m != NULL) {
			*linked = m->linked;
			return m->real != NULL ? m : NULL;
		}
		const struct memo_slot *a = ancestor_missing(clean);
		if (a != NULL) {
			*linked = a->linked;
			return NULL;
		}
	}
	bool plain = false;
	cleanup_close int fd = open_plain(clean, &plain);
	int e = errno;
	ssize_t n = -1;
	struct memo_slot facts = { 0 };
	if (fd >= 0 && plain) {   /* its own path: what readlink would give */
		n = (ssize_t)strlen(clean);
		memcpy(buf, clean, (size_t)n + 1);
	} else if (fd >= 0) {
		snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", fd);
		n = readlink(fdpath, buf, sizeof(buf) - 1);
	}
	if (n > 0 && (size_t)n < sizeof(buf) - 1 && buf[0] == '/') {
		buf[n] = '\0';
		path_clean(buf, out, sizeof(out), NULL);
		mount_facts(fd, out, &facts);
	} else if (fd >= 0 || (e != ENOENT && e != ENOTDIR)) {
		/* Not known to be missing: what it is cannot be said, which
		 * refuses it (resolve's callers look at bad first). */
		facts.bad = fd < 0 ? xasprintf("open(2) of it failed: %s", strerror(e))
			    : n < 0 ? xasprintf("reading its path from /proc/self/fd failed: %s",
						strerror(errno))
			    : xstrdup("/proc/self/fd gave no path for it");
		snprintf(out, sizeof(out), "%s", clean);
		n = 1;
	}
	if (n <= 0)
		facts.linked = remember_missing_ancestors(clean, plain);
	const struct memo_slot *m = memo_put(clean, h, n > 0 ? out : NULL, &facts);
	*linked = m->linked;
	return m->real != NULL ? m : NULL;
}

/* The bundle directory's path, from the descriptor the config was read
 * through; false when the config came from no bundle. */
static bool bundle_dir(const struct spec *s, char *out, size_t cap)
{
	char fdpath[64];

	if (s->bundle_fd < 0 || cap < 2)
		return false;
	snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", s->bundle_fd);
	ssize_t n = readlink(fdpath, out, cap - 1);
	if (n <= 0 || out[0] != '/')
		return false;
	out[n] = '\0';
	return true;
}

/*
 * The host path a mount source names, clean, into out.  runc reads a
 * relative source against the bundle directory with Go's filepath.Join,
 * which folds "..": from a bundle four directories deep, "../../../../etc"
 * is the host's /etc.  False when the source is relative and the bundle is
 * not known (a config on standard input); *climbs then says whether it
 * leaves the bundle, which makes it a host path nothing can judge.
 */
static bool host_source(const struct spec *s, const char *src, char *out, size_t cap,
			bool *climbs, size_t *as_given)
{
	char bundle[PATH_MAX], joined[PATH_MAX];
	bool relative;
	long depth = 0;

	*climbs = false;
	*as_given = 0;
	size_t n0;
	/* Most sources are clean already: a copy, not a cleaning (and
	 * *as_given says so, with the length). */
	if (path_is_clean(src, &n0) && n0 < cap) {
		memcpy(out, src, n0 + 1);
		*as_given = n0;
		return true;
	}
	path_clean(src, out, cap, &relative);
	if (!relative)
		return true;
	for (const char *p = src; *p && !*climbs;) {
		const char *e = strchrnul(p, '/');
		size_t len = (size_t)(e - p);
		if (len == 2 && p[0] == '.' && p[1] == '.')
			*climbs = --depth < 0;
		else if (len > 0 && !(len == 1 && p[0] == '.'))
			depth++;
		p = *e ? e + 1 : e;
	}
	if (!bundle_dir(s, bundle, sizeof(bundle)))
		return false;
	int w = snprintf(joined, sizeof(joined), "%s/%s", bundle, src);
	if (w < 0 || (size_t)w >= sizeof(joined))
		return false;
	path_clean(joined, out, cap, NULL);
	return true;
}

/*
 * The path the kernel resolves for a bind source whose host path
 * host_source wrote to clean (given: the source's length when it was clean
 * as it is).  An absolute source holding ".." is resolved as given: after
 * a symlink ".." leaves the symlink's target, not the lexical parent
 * (runc cleans only a relative one, in filepath.Join).  The one choice
 * for sensitive-mounts and host-devices, so that both judge the same node.
 */
static const char *source_to_resolve(const char *source, const char *clean, size_t given)
{
	return !given && source[0] == '/' && strstr(source, "..") ? source : clean;
}

/*
 * What one bind source is on this host, looked up once: its host path
 * (host_source) and, when first asked, where the kernel's resolution of
 * it leads (resolve of source_to_resolve's path), then where the runtime
 * reads it (bind_place).  sensitive-mounts, host-devices and the rbind
 * checks of both read a mount's record rather than clean and resolve its
 * source again each: a config may have a million bind mounts.  A mount's
 * record lives with the typed view (spec.h: source_look), made again
 * only when a reload finds another source string at the mount.
 */
struct source_look {
	const char *clean;             /* its host path, clean (NULL when !placed) */
	const struct memo_slot *hit;   /* resolve's answer once resolved; NULL: missing */
	uint32_t place_gen;            /* place is bind_place's at this root (24 bytes) */
	uint16_t given;                /* host_source's *as_given (< PATH_MAX) */
	uint8_t place;                 /* enum place */
	bool placed : 1;               /* host_source's answer */
	bool climbs : 1;
	bool resolved : 1;             /* hit and linked are resolve's */
	bool linked : 1;               /* missing, and reached through a symlink */
	bool below_none : 1;           /* an rbind's directory with no mount below it */
};

/* The host path of source into r (and buf, PATH_MAX bytes, when it is
 * not clean as it is; keep: the arena to copy it to, for a record that
 * outlives the call). */
static void look_lex(const struct spec *s, const char *source, struct source_look *r,
		     char *buf, struct jdoc *keep)
{
	bool climbs;
	size_t given;

	*r = (struct source_look){ 0 };
	/* Most sources are clean already: the source itself is the path. */
	if (path_is_clean(source, &given)) {
		r->placed = true;
		r->clean = source;
		r->given = (uint16_t)given;
		return;
	}
	r->placed = host_source(s, source, buf, PATH_MAX, &climbs, &given);
	r->climbs = climbs;
	r->given = (uint16_t)given;
	if (!r->placed)
		return;
	r->clean = buf;
	if (keep != NULL) {
		size_t n = strlen(buf);
		char *c = json_alloc(keep, n + 1);
		memcpy(c, buf, n + 1);
		r->clean = c;
	}
}

/* Where source (looked up into r, placed) leads: resolve's slot, NULL
 * when it does not exist; asked of the host once per record. */
static const struct memo_slot *look_resolve(struct source_look *r, const char *source)
{
	if (!r->resolved) {
		bool linked;
		r->hit = resolve(source_to_resolve(source, r->clean, r->given), &linked);
		r->linked = linked;
		r->resolved = true;
	}
	return r->hit;
}

/* ------------------------------------------ where a bind source is read */

/*
 * The runtime mounts in the order of config.mounts, in the container's
 * mount namespace, before pivot_root: a bind source below the root file
 * system is read through the container's own earlier mounts (a bind of a
 * directory holding "root", a symlink to /, onto /a makes ROOTFS/a/root
 * the host's /, although on the host that path is an empty directory).
 * Engines never bind from the container's root, so a source that lies in
 * it, lexically or on its way through the host's symlinks, is refused.
 */
struct root_place {
	bool known;                       /* root.path's place on the host is known */
	bool resolved;                    /* it exists there: real is set */
	size_t clean_len, real_len;
	char clean[PATH_MAX], real[PATH_MAX];
};

/* root.path as bind sources are placed (host_source) and after symlinks
 * (the memo answers what sensitive-mounts resolved of it). */
static void root_place(const struct spec *s, struct root_place *r)
{
	struct source_look look;
	char buf[PATH_MAX];

	r->known = r->resolved = false;
	if (s->root_path == NULL || s->root_path->u.str[0] == '\0')
		return;
	look_lex(s, s->root_path->u.str, &look, buf, NULL);
	if (!look.placed)
		return;
	snprintf(r->clean, sizeof(r->clean), "%s", look.clean);
	r->clean_len = strlen(r->clean);
	r->known = true;
	const struct memo_slot *hit = look_resolve(&look, s->root_path->u.str);
	r->resolved = hit != NULL && hit->bad == NULL;
	if (r->resolved) {
		snprintf(r->real, sizeof(r->real), "%s", hit->real);
		r->real_len = strlen(r->real);
	}
}

/* path_covers with a's length known (every bind source is placed). */
static bool path_covers_n(const char *a, size_t n, const char *b)
{
	if (n == 1 && a[0] == '/')
		return true;
	return strncmp(a, b, n) == 0 && (b[n] == '\0' || b[n] == '/');
}

static bool in_root(const struct root_place *r, const char *path)
{
	return path_covers_n(r->clean, r->clean_len, path) ||
	       (r->resolved && path_covers_n(r->real, r->real_len, path));
}

/*
 * Whether the kernel's resolution of path (absolute, clean) on the host
 * passes through a directory in the root (a symlink elsewhere leading into
 * it, and maybe out again): 1 yes, 0 no, -1 cannot be said (more than the
 * kernel's 40 symlinks, a name too long, a readlink failing otherwise than
 * the path's absence).  One readlink per component, so only for a path
 * known to go through a symlink.
 */
static int walk_enters(const struct root_place *r, const char *path)
{
	char cur[PATH_MAX] = "", rest[PATH_MAX], link[PATH_MAX], cand[PATH_MAX];
	int links = 0;

	if (snprintf(rest, sizeof(rest), "%s", path) >= (int)sizeof(rest))
		return -1;
	for (char *p = rest;;) {
		while (*p == '/')
			p++;
		if (*p == '\0')
			return 0;
		char *e = strchrnul(p, '/');
		size_t len = (size_t)(e - p), cl = strlen(cur);
		if (len == 1 && p[0] == '.') {
			p = e;
			continue;
		}
		if (len == 2 && p[0] == '.' && p[1] == '.') {
			char *slash = strrchr(cur, '/');
			if (slash != NULL)
				*slash = '\0';
			p = e;
			continue;
		}
		if (cl + 1 + len >= sizeof(cand))
			return -1;
		memcpy(cand, cur, cl);
		cand[cl] = '/';
		memcpy(cand + cl + 1, p, len);
		cand[cl + 1 + len] = '\0';
		ssize_t n = readlink(cand, link, sizeof(link));
		if (n < 0 && errno == EINVAL) {   /* there, and no symlink */
			memcpy(cur, cand, cl + len + 2);
			if (in_root(r, cur))
				return 1;
			p = e;
			continue;
		}
		if (n < 0)
			return errno == ENOENT || errno == ENOTDIR ? 0 : -1;
		if (++links > 40 || n == 0 || (size_t)n >= sizeof(link))
			return -1;
		/* The link's target, then what followed it. */
		size_t tl = strlen(e);
		if ((size_t)n + tl + 1 > sizeof(rest))
			return -1;
		memmove(rest + n, e, tl + 1);
		memcpy(rest, link, (size_t)n);
		if (link[0] == '/')
			cur[0] = '\0';
		p = rest;
	}
}

/*
 * Why a bind source (looked up into look) cannot be judged in the host's
 * view, or PLACE_HOST: a relative one of a config without its bundle; one
 * with ".." (runc folds it lexically, crun reads it after the symlinks
 * before it: rootfs/l/../loop0, with l a link to /dev/cpu, is the host's
 * /dev/loop0 to crun); one in the container's root file system.  An index
 * of place_why, which a record keeps in a byte.
 */
enum place { PLACE_HOST, PLACE_RELATIVE, PLACE_DOTDOT, PLACE_ROOTFS, PLACE_UNFOLLOWED };
static const char *const place_why[] = {
	[PLACE_HOST] = NULL,
	[PLACE_RELATIVE] = "a path relative to the bundle, which is not known here (a config "
			   "on standard input): where the runtime finds it cannot be judged",
	[PLACE_DOTDOT] = "a path with \"..\", which runc folds lexically and crun reads after "
			 "the symlinks before it: which host file it is cannot be judged",
	[PLACE_ROOTFS] = "a path in or through the container's root file system: the runtime "
			 "reads it after the container's own mounts, which the host cannot see",
	[PLACE_UNFOLLOWED] = "a path whose way through the host's symlinks cannot be followed: "
			     "whether the runtime reads it in the container's root file system "
			     "cannot be judged",
};

static enum place bind_place(const struct root_place *r, const char *source,
			     struct source_look *look)
{
	if (!look->placed)
		return PLACE_RELATIVE;
	/* A source clean as it is (given) has no ".." component. */
	for (const char *p = source; !look->given && (p = strstr(p, "..")) != NULL; p += 2)
		if ((p == source || p[-1] == '/') && (p[2] == '\0' || p[2] == '/'))
			return PLACE_DOTDOT;
	if (!r->known)
		return PLACE_HOST;
	const char *clean = look->clean;
	if (in_root(r, clean))
		return PLACE_ROOTFS;
	/* The clean path resolved: the record's own resolution unless the
	 * source is resolved as given (an unclean absolute one holding two
	 * dots within a name, "/a//b..c": few, resolved here). */
	const struct memo_slot *hit;
	bool linked;
	if (source_to_resolve(source, clean, look->given) == clean) {
		hit = look_resolve(look, source);
		linked = look->linked;
	} else {
		hit = resolve(clean, &linked);
	}
	if (hit != NULL && hit->bad != NULL)
		return PLACE_HOST;   /* refused by the caller's resolve already */
	if (hit != NULL && in_root(r, hit->real))
		return PLACE_ROOTFS;
	/* Through a symlink: each directory on the way counts. */
	if ((hit != NULL && strcmp(hit->real, clean) != 0) || (hit == NULL && linked)) {
		int w = walk_enters(r, clean);
		if (w != 0)
			return w > 0 ? PLACE_ROOTFS : PLACE_UNFOLLOWED;
	}
	return PLACE_HOST;
}

/*
 * The records of s's mounts (struct source_look, one per mount view), with
 * the root's place their places were judged against.  Made once per load
 * that made fresh views (spec.c drops them then); a mount's record is made
 * when first asked and again after a reload found another source string
 * (spec_mount.source_looked).  What a relative source means depends on the
 * bundle, and the places on root.path: another bundle descriptor starts
 * every record over, another root.path string every place.
 */
struct spec_source_look {
	int bundle_fd;
	uint32_t gen;             /* the root's: a record's place is good at this one */
	const char *root_of;      /* the root.path string root was placed for */
	bool root_done;
	struct root_place root;
	struct source_look rec[];
};

static struct spec_source_look *looks_of(const struct spec *s)
{
	/* The views are the checks' memory of each mount (source_clear too):
	 * the spec, the caller's, is written there only. */
	struct spec *w = (struct spec *)s;
	struct spec_source_look *l = w->source_look;
	uint32_t n = s->mounts != NULL ? s->mounts->len : 0;

	if (l != NULL && l->bundle_fd == s->bundle_fd)
		return l;
	if (l == NULL) {
		l = json_alloc(s->doc, sizeof(*l) + (size_t)s->nmount_views * sizeof(l->rec[0]));
		l->gen = 0;
		w->source_look = l;
	}
	l->bundle_fd = s->bundle_fd;
	l->gen++;
	l->root_of = NULL;
	l->root_done = false;
	for (uint32_t i = 0; i < n; i++)
		s->mount[i].source_looked = false;
	return l;
}

/* Mount i's record, looked up when it is not. */
static struct source_look *mount_look(const struct spec *s, struct spec_source_look *l,
				      uint32_t i)
{
	struct source_look *r = &l->rec[i];

	if (!s->mount[i].source_looked) {
		char buf[PATH_MAX];
		look_lex(s, s->mount[i].source, r, buf, s->doc);
		s->mount[i].source_looked = true;
	}
	return r;
}

/* bind_place of mount i's source (its record r), once per record and root. */
static const char *mount_place(const struct spec *s, struct spec_source_look *l,
			       struct source_look *r, const char *source)
{
	const char *rp = s->root_path != NULL ? s->root_path->u.str : NULL;

	if (l->root_done && l->root_of != rp) {   /* a string is never written in place */
		l->gen++;
		l->root_done = false;
	}
	if (!l->root_done) {
		root_place(s, &l->root);
		l->root_of = rp;
		l->root_done = true;
	}
	if (r->place_gen != l->gen) {
		r->place = (uint8_t)bind_place(&l->root, source, r);
		r->place_gen = l->gen;
	}
	return place_why[r->place];
}

static bool bind_sensitive(const struct policy *p, const struct spec *s,
			   const char *source, bool readonly, char *shown, size_t cap);

/* The layers of an overlay a source is on, each judged as a bind source
 * (its path there appended): the first that hands over the host. */
struct layers {
	const struct policy *p;
	const struct spec *s;
	const char *inner;
	bool readonly, found, failed;
	const char *name;
	char shown[2 * PATH_MAX + 4];
};

static void layer_judge(void *arg, const char *name, const char *dir)
{
	struct layers *l = arg;
	char path[PATH_MAX];

	/* A relative layer is relative to the working directory of whoever
	 * mounted it (containers/storage's, when the list is too long for one
	 * page), which the kernel does not keep: not judged. */
	if (l->found || dir[0] != '/')
		return;
	int w = strcmp(l->inner, "/") == 0 ? snprintf(path, sizeof(path), "%s", dir)
		: snprintf(path, sizeof(path), "%s%s", strcmp(dir, "/") == 0 ? "" : dir, l->inner);
	if (w < 0 || (size_t)w >= sizeof(path)) {
		l->found = l->failed = true;
		l->name = name;
		snprintf(l->shown, sizeof(l->shown), "%s (a path too long to judge)", dir);
		return;
	}
	if (bind_sensitive(l->p, l->s, path, l->readonly, l->shown, sizeof(l->shown))) {
		l->found = true;
		l->name = name;
	}
}

/*
 * shown for a source whose mount shows the host path alias: a mount's
 * root ("%s mounted there", a volume directory the engine bound /etc
 * onto), or a path below one (the alias of that mount's root named).
 */
static void show_alias(char *shown, size_t cap, const char *as, const char *real,
		       const char *via, const char *alias)
{
	const char *at = *as ? as : real;

	if (via == NULL) {
		snprintf(shown, cap, "%s (%s mounted there)", at, alias);
		return;
	}
	/* alias ends with what real has below the mount point. */
	const char *rest = real + (strcmp(via, "/") == 0 ? 0 : strlen(via));
	size_t al = strlen(alias), rl = strlen(rest);
	if (rl < al && strcmp(alias + al - rl, rest) == 0)
		snprintf(shown, cap, "%s (%s: %s is a mount of %.*s)", at, alias, via,
			 (int)(al - rl), alias);
	else
		snprintf(shown, cap, "%s (%s)", at, alias);
}

/*
 * The host path a bind mount (or an overlay's directory) reaches:
 * lexically, and (when it exists on this host) after symlinks, since
 * mount(2) follows them: a bind of /tmp/x, a symlink to /, hands over the
 * host's root.  A relative source is judged where runc finds it, in the
 * bundle, through symlinks there too.  Then what the source's mount
 * shows: another host path of it, or, on an overlay, its layers
 * (podman --rootfs /:O mounts one whose lowerdir is the host's /).
 */
static bool bind_sensitive_look(const struct policy *p, const struct spec *s,
				const char *source, struct source_look *look, bool readonly,
				bool top_ro, char *shown, size_t cap)
{
	/* Overlays stack two deep at most (the kernel's limit): deeper is
	 * not a host this judges. */
	static int depth;

	if (!look->placed) {
		if (look->climbs)   /* leaves a bundle not known here: fail closed */
			snprintf(shown, cap, "%s (a path outside the bundle)", source);
		return look->climbs;
	}
	const char *clean = look->clean;
	const char *as = source[0] == '/' ? "" : source;
	if (!sysfs_readonly(clean, readonly) &&
	    (look->given ? sensitive_path_n(p, clean, look->given) : sensitive_path(p, clean))) {
		if (*as)
			snprintf(shown, cap, "%s (%s)", as, clean);
		else
			snprintf(shown, cap, "%s", clean);
		return true;
	}
	/* The slot lives as long as the process: the overlay's layers below
	 * may resolve more paths. */
	const struct memo_slot *seen = look_resolve(look, source);
	if (seen == NULL)
		return writable_system(clean, top_ro, as, shown, cap);
	const char *real = seen->real;
	if (seen->bad != NULL) {
		snprintf(shown, cap, "%s (it cannot be judged: %s)", *as ? as : source, seen->bad);
		return true;
	}
	if (strcmp(real, clean) != 0 && !sysfs_readonly(real, readonly) &&
	    sensitive_path(p, real)) {
		snprintf(shown, cap, "%s (%s)", *as || strstr(source, "..") ? source : clean, real);
		return true;
	}
	/* After symlinks: /tmp/l, a symlink to /etc/cron.d, is it. */
	if (writable_system(real, top_ro, strcmp(real, clean) != 0 ? *as ? as : clean : as,
			    shown, cap))
		return true;
	if (seen->fail != NULL) {
		snprintf(shown, cap, "%s (its mount could not be looked up: %s)", *as ? as : real,
			 seen->fail);
		return true;
	}
	/* A volume directory the engine bound the host's /etc onto. */
	/* Each mount of its file system names it: any may be on the list. */
	const char *alias = seen->alias;
	for (size_t i = 0; i < seen->naliases; i++, alias += strlen(alias) + 1)
		if ((!sysfs_readonly(alias, readonly) && sensitive_path(p, alias)) ||
		    (!top_ro && system_dir_of(alias) != NULL)) {
			show_alias(shown, cap, as, real, seen->via, alias);
			return true;
		}
	if (seen->ovl == NULL)
		return false;
	if (depth >= 4) {
		snprintf(shown, cap, "%s (overlays stacked deeper than the kernel stacks them)", real);
		return true;
	}
	struct layers l = { .p = p, .s = s, .inner = seen->inner, .readonly = readonly };
	struct oh_error err = { 0 };
	depth++;
	int r = hostmount_overlay_dirs(seen->ovl->opts, strlen(seen->ovl->opts), true, layer_judge,
				       &l, &err);
	depth--;
	if (r < 0) {
		snprintf(shown, cap, "%s (an overlay whose layers could not be read: %s)",
			 *as ? as : real, err.msg);
		return true;
	}
	/* What a layer showed may not fit whole: the start of it says why. */
	if (l.found && snprintf(shown, cap, "%s (an overlay whose %s is the host's %s)",
				*as ? as : real, l.name, l.shown) >= (int)cap)
		shown[cap - 1] = '\0';
	return l.found;
}

/* bind_sensitive_look of a path no mount's record holds: root.path, an
 * overlay's directory or layer, a mount below an rbind's source. */
static bool bind_sensitive(const struct policy *p, const struct spec *s,
			   const char *source, bool readonly, char *shown, size_t cap)
{
	struct source_look look;
	char buf[PATH_MAX];

	look_lex(s, source, &look, buf, NULL);
	return bind_sensitive_look(p, s, source, &look, readonly, readonly, shown, cap);
}

/*
 * rel, a relative path in a mount that is no bind, as the kernel finds it:
 * runc mounts from its init, whose working directory is the root file
 * system (not the bundle), and passes such paths unchanged.  Joined, not
 * cleaned: ".." there is the kernel's, after symlinks.  False when the
 * root's place is not known (a config on standard input).
 */
static bool rootfs_relative(const struct spec *s, const char *rel, char *out, size_t cap)
{
	char bundle[PATH_MAX];
	const char *root = s->root_path != NULL ? s->root_path->u.str : NULL;
	int w;

	if (root == NULL || root[0] == '\0')
		return false;
	if (root[0] == '/') {
		w = snprintf(out, cap, "%s/%s", root, rel);
	} else {
		if (!bundle_dir(s, bundle, sizeof(bundle)))
			return false;
		w = snprintf(out, cap, "%s/%s/%s", bundle, root, rel);
	}
	return w > 0 && (size_t)w < cap;
}

/*
 * An overlay's directories are host paths the kernel reads (lowerdir, a
 * list split at unescaped colons) and writes (upperdir, workdir): podman's
 * -v /etc:/x:O is an overlay whose lowerdir is the host's /etc.  Each one
 * is judged as a bind source; a finding per directory.  They are read as
 * the kernel reads mount(2)'s data (hostmount_overlay_dirs): runc joins
 * the options it does not know with commas, and the kernel splits them
 * there (a backslash keeps one), so one element may hold several
 * options; lowerdir+= and datadir+= (Linux 6.8) take a path as written,
 * backslashes and colons included.
 */
struct overlay_judge {
	struct check_ctx *c;
	const struct mount_view *m;
	uint32_t i, k;
};

static void overlay_dir_judge(void *arg, const char *name, const char *dir)
{
	struct overlay_judge *j = arg;
	char ptr[128], dest[PATH_MAX], in_root[PATH_MAX], shown[2 * PATH_MAX + 4];
	const char *at = dir[0] != '/' && rootfs_relative(j->c->s, dir, in_root, sizeof(in_root))
			 ? in_root : dir;

	/* The kernel writes an upper and a work directory; a layer below it
	 * (lowerdir, datadir) it only reads: podman's -v /etc/x:/y:O. */
	bool layer = strcmp(name, "lowerdir") == 0 || strcmp(name, "datadir") == 0;
	if (!bind_sensitive(j->c->p, j->c->s, at, layer, shown, sizeof(shown)))
		return;
	path_clean(j->m->dest, dest, sizeof(dest), NULL);
	mount_ptr(ptr, sizeof(ptr), j->i, "options");
	json_ptr_append_index(ptr, sizeof(ptr), j->k);
	check_add(j->c, ptr, "%s is an overlay whose %s is the host's %s: the container "
		  "reaches the host through it", dest, name, shown);
}

static void check_overlay_dirs(struct check_ctx *c, uint32_t i, const struct mount_view *m)
{
	struct overlay_judge j = { .c = c, .m = m, .i = i };

	/* mount(2) reads one page of data and cuts the rest silently: options
	 * that run past it are not what the kernel mounts ("lowerdir=...:/etc"
	 * cut before the "-x" that ends "/etc-x").  runc's data is the options
	 * it does not know joined with commas; all of them are counted, flags
	 * too, which errs on the side of refusing. */
	size_t total = 0;
	long page = sysconf(_SC_PAGESIZE);
	for (uint32_t k = 0; m->opts != NULL && k < m->opts->len; k++)
		total += m->opts->u.items[k].len + 1;
	if (total > 0 && total - 1 >= (size_t)(page > 0 ? page : 4096) - 1) {
		char ptr[128], dest[PATH_MAX];
		path_clean(m->dest, dest, sizeof(dest), NULL);
		mount_ptr(ptr, sizeof(ptr), i, "options");
		check_add(c, ptr, "%s is an overlay whose options (%zu bytes) are longer than the "
			  "kernel reads of mount(2)'s data (%ld): it would mount other layers than "
			  "are judged", dest, total - 1, (page > 0 ? page : 4096) - 1);
		return;
	}
	for (uint32_t k = 0; m->opts != NULL && k < m->opts->len; k++) {
		const struct jval *o = &m->opts->u.items[k];
		struct oh_error err = { 0 };
		j.k = k;
		if (hostmount_overlay_dirs(o->u.str, strlen(o->u.str), false, overlay_dir_judge, &j,
					   &err) < 0) {
			char ptr[128], dest[PATH_MAX];
			path_clean(m->dest, dest, sizeof(dest), NULL);
			mount_ptr(ptr, sizeof(ptr), i, "options");
			json_ptr_append_index(ptr, sizeof(ptr), k);
			check_add(c, ptr, "%s is an overlay whose directories cannot be judged: %s",
				  dest, err.msg);
		}
	}
}

/*
 * Whether a bind is read-only all the way down.  runc 1.1 makes only the
 * top of a recursive bind read-only: "rbind" with "ro" leaves the mounts
 * below it writable (a bind of /sys keeps the host's cgroup v1
 * hierarchies under /sys/fs/cgroup writable, and the container moved
 * itself out of its device cgroup into the host's root one through
 * cgroup.procs); "rro" (mount_setattr) covers them.
 */
/* Whether the container has a user namespace of its own in which no uid
 * is host root: there the writable mounts below a read-only rbind belong
 * to host root, whom the container cannot act as (rootless runc's bind
 * of /sys). */
static bool userns_without_host_root(const struct spec *s)
{
	bool own = false;

	for (uint32_t k = 0; s->namespaces != NULL && k < s->namespaces->len; k++)
		own |= jv_is_str(jobj_get(&s->namespaces->u.items[k], "type"), "user") &&
		       jobj_get(&s->namespaces->u.items[k], "path") == NULL;
	if (!own || s->uid_mappings == NULL || s->uid_mappings->len == 0)
		return false;
	for (uint32_t i = 0; i < s->uid_mappings->len; i++) {
		const struct jval *m = &s->uid_mappings->u.items[i];
		int64_t hid, size;
		const struct jval *h = jobj_get(m, "hostID"), *n = jobj_get(m, "size");
		if (h == NULL || n == NULL || !jv_get_i64(h, &hid) || !jv_get_i64(n, &size) ||
		    (hid <= 0 && 0 < hid + size))
			return false;
	}
	return true;
}

/* *userns: -1 until userns_without_host_root was asked (once per
 * judgement: the namespaces are the config's, a mount's options are its
 * own). */
static bool bind_readonly_throughout(const struct spec *s, const struct mount_view *m,
				     int *userns)
{
	if (m->rro || !m->readonly)
		return m->rro;
	if (!m->rbind)
		return true;
	if (*userns < 0)
		*userns = userns_without_host_root(s);
	return *userns;
}

static bool propagation_shared(const char *s)
{
	return strcmp(s, "shared") == 0 || strcmp(s, "rshared") == 0;
}

/* ------------------------------------- the mounts below an rbind's source */

/*
 * runc and crun bind a source with "rbind" together with every mount
 * below it (MS_BIND|MS_REC): a directory laid out like a build chroot,
 * with proc at DIR/proc and a bind of /dev at DIR/dev, hands over the
 * host's /proc/sys and device nodes through a source that alone is
 * harmless.  Each host mount below the resolved source is judged by its
 * type (these file systems are a door of the host's kernel wherever they
 * are mounted: a fresh proc shows the host's sysctls) and by its mount
 * point as a bind source of its own (a bind of /etc, of a device node).
 * Only a source that is a directory has mounts below it; of the others
 * the mount's record says so (struct source_look), as it says of a
 * directory found with none below it.
 */
static const struct kernel_fs *below_type(const char *type)
{
	/* The one table of kernel file systems, shared with the mount entries. */
	return kernel_fs_type(type);
}

/* Where an rbind's source (its record look) leads when it may be a
 * directory with mounts below it: its slot (real); NULL for anything
 * else, for a source that does not exist here, and for a directory
 * already found to have no mount below it. */
static const struct memo_slot *rbind_dir(const struct mount_view *m, struct source_look *look)
{
	if (!m->rbind || !look->placed || look->below_none)
		return NULL;
	const struct memo_slot *seen = look_resolve(look, m->source);
	/* A mode the kernel did not tell is judged as a directory. */
	return seen != NULL && (seen->mode == 0 || S_ISDIR(seen->mode)) ? seen : NULL;
}

struct below {
	struct check_ctx *c;
	const struct mount_view *m;
	uint32_t i;
	bool ro_all;
	size_t calls;                    /* mounts below it at all */
	size_t n;                        /* mounts found handing over the host */
	size_t typed;                    /* of them, device file systems (host-devices) */
	char first[2 * PATH_MAX + 64];   /* the first of them */
};

static void below_sensitive_one(void *arg, const struct hostmount *hm)
{
	struct below *b = arg;
	char shown[2 * PATH_MAX + 4];
	const struct kernel_fs *t = below_type(hm->type);

	b->calls++;
	/* A read-only view of sysfs and of the cgroup trees in it is what
	 * every container has (a read-only bind of /sys, rro); the kernel's
	 * other file systems mounted there (debugfs, tracefs, securityfs,
	 * bpf, efivarfs) are not, read-only or not. */
	if (sysfs_readonly(hm->point, b->ro_all) && (t == NULL || t->sys_read_only))
		return;
	if (t != NULL && !t->device) {
		if (b->n++ == 0)
			snprintf(b->first, sizeof(b->first), "%s at %s (%s)", hm->type, hm->point,
				 t->what);
	} else if (bind_sensitive(b->c->p, b->c->s, hm->point, b->ro_all, shown, sizeof(shown))) {
		if (b->n++ == 0 && snprintf(b->first, sizeof(b->first), "the host's %s", shown) >=
					   (int)sizeof(b->first))
			b->first[sizeof(b->first) - 1] = '\0';
	}
}

/* Whether a mount below an rbind's directory hands over the host under
 * sensitive-mounts, shown as bind_sensitive shows a source. */
static bool below_sensitive(struct check_ctx *c, const struct mount_view *m,
			    struct source_look *look, bool ro_all, char *shown, size_t cap)
{
	struct below b;
	struct oh_error err;

	/* Most binds: nothing to read, nothing to clear. */
	const struct memo_slot *dir = rbind_dir(m, look);
	if (dir == NULL)
		return false;
	const char *real = dir->real;
	b.c = c, b.m = m, b.i = 0, b.ro_all = ro_all, b.calls = b.n = b.typed = 0;
	b.first[0] = '\0';
	err.errnum = 0, err.msg[0] = '\0';
	if (hostmount_below(real, below_sensitive_one, &b, &err) < 0) {
		snprintf(shown, cap, "%s (an rbind whose mounts below it could not be read: %s)",
			 real, err.msg);
		return true;
	}
	/* None below: host-devices need not ask mountinfo again. */
	look->below_none = b.calls == 0;
	if (b.n == 0)
		return false;
	char more[64] = "";
	if (b.n > 1)
		snprintf(more, sizeof(more), " (and %zu more mount%s below it)", b.n - 1,
			 b.n > 2 ? "s" : "");
	if (snprintf(shown, cap, "%s, whose rbind carries %s%s", real, b.first, more) >=
	    (int)cap)
		shown[cap - 1] = '\0';
	return true;
}

static bool bind_device_node(struct check_ctx *c, uint32_t i, const struct mount_view *m);

static void below_devices_one(void *arg, const struct hostmount *hm)
{
	struct below *b = arg;
	const struct kernel_fs *t = below_type(hm->type);
	bool whole = strcmp(hm->root, "/") == 0;

	b->calls++;
	/* As a bind of its own first: a node of /dev bound onto a file
	 * below is named as the host names it. */
	struct mount_view as = *b->m;
	as.source = hm->point;
	as.rbind = false;
	if ((t == NULL || !t->device || !whole) && bind_device_node(b->c, b->i, &as)) {
		b->n++;
		return;
	}
	if (t == NULL || !t->device)
		return;
	/* A part of devtmpfs too: a device node can be anywhere in it.  One
	 * finding names the first (an rbind of a tree may carry dozens). */
	b->n++;
	if (b->typed++ > 0)
		return;
	if (whole)
		snprintf(b->first, sizeof(b->first), "%s at %s (%s)", hm->type, hm->point, t->what);
	else if (snprintf(b->first, sizeof(b->first), "%s of %s at %s (%s)", hm->root, hm->type,
			  hm->point, t->what) >= (int)sizeof(b->first))
		b->first[sizeof(b->first) - 1] = '\0';
}

/* Whether a mount below an rbind's directory is a host device, or a file
 * system of them; a finding for each. */
static bool below_devices(struct check_ctx *c, uint32_t i, const struct mount_view *m,
			  struct source_look *look)
{
	char ptr[128];
	struct below b;
	struct oh_error err;

	const struct memo_slot *dir = rbind_dir(m, look);
	if (dir == NULL)
		return false;
	b.c = c, b.m = m, b.i = i, b.ro_all = false, b.calls = b.n = b.typed = 0;
	b.first[0] = '\0';
	err.errnum = 0, err.msg[0] = '\0';
	mount_ptr(ptr, sizeof(ptr), i, "source");
	if (hostmount_below(dir->real, below_devices_one, &b, &err) < 0) {
		check_add(c, ptr, "%s cannot be judged as a device: it is an rbind whose mounts "
			  "below it could not be read (%s)", m->source, err.msg);
		return true;
	}
	look->below_none = b.calls == 0;
	if (b.typed > 0) {
		char dest[PATH_MAX], more[64] = "";
		path_clean(m->dest, dest, sizeof(dest), NULL);
		if (b.typed > 1)
			snprintf(more, sizeof(more), " (and %zu more below it)", b.typed - 1);
		check_add(c, ptr, "%s rbind-mounts %s, and with it %s%s", dest, m->source,
			  b.first, more);
	}
	return b.n > 0;
}

void check_sensitive_mounts(struct check_ctx *c)
{
	const struct spec *s = c->s;
	char ptr[128];
	int userns = -1;
	struct spec_source_look *looks = NULL;

	/* runc bind-mounts root.path as the container's root: a host path
	 * there (ctr run --rootfs /, podman run --rootfs /etc/..) is the host's
	 * file system, writable unless root.readonly. */
	char rshown[2 * PATH_MAX + 4];
	if (s->root_path != NULL &&
	    bind_sensitive(c->p, s, s->root_path->u.str, false, rshown, sizeof(rshown)))
		check_add(c, "/root/path", "root.path is the host's %s: the container's root "
			  "file system is the host's", rshown);
	if (s->rootfs_propagation != NULL && propagation_shared(s->rootfs_propagation->u.str))
		check_add(c, "/linux/rootfsPropagation",
			  "linux.rootfsPropagation is %s: mounts made in the container "
			  "propagate to the host and back", s->rootfs_propagation->u.str);
	for (uint32_t i = 0; s->mounts != NULL && i < s->mounts->len; i++) {
		struct mount_view m = mount_at(s, i);
		char shown[2 * PATH_MAX + 4], dest[PATH_MAX];

		/* A source found clear before (the judgement before the fixes),
		 * under this policy and judged read-only throughout or not as
		 * now, is clear again: the answer depends on those, the path,
		 * the bundle and the host's paths, which are remembered for the
		 * life of the process (resolve). */
		struct spec_mount *sm = &s->mount[i];
		bool ro_all = m.bind && bind_readonly_throughout(s, &m, &userns);
		bool judge = m.bind &&
			     (sm->source_clear != c->p || sm->source_clear_ro != ro_all);
		struct source_look *look = NULL;
		if (judge) {
			if (looks == NULL)
				looks = looks_of(s);
			look = mount_look(s, looks, i);
		}
		bool sensitive = judge &&
				 (bind_sensitive_look(c->p, s, m.source, look, ro_all, m.readonly,
						      shown, sizeof(shown)) ||
				  below_sensitive(c, &m, look, ro_all, shown, sizeof(shown)));
		const char *place = NULL;
		if (judge && !sensitive)
			place = mount_place(s, looks, look, m.source);
		if (place != NULL) {
			path_clean(m.dest, dest, sizeof(dest), NULL);
			mount_ptr(ptr, sizeof(ptr), i, "source");
			check_add(c, ptr, "%s bind-mounts %s, %s", dest, m.source, place);
		} else if (m.bind && !sensitive) {
			sm->source_clear = c->p;
			sm->source_clear_ro = ro_all;
		}
		if (sensitive) {
			path_clean(m.dest, dest, sizeof(dest), NULL);
			mount_ptr(ptr, sizeof(ptr), i, "source");
			check_add(c, ptr, "%s bind-mounts the host's %s%s: the container "
				  "reaches the host through it%s", dest, shown,
				  m.readonly ? " (read-only)" : "",
				  m.readonly && !ro_all
				  ? " (runc makes only the top of an rbind read-only: the "
				    "mounts below it stay writable unless rro)" : "");
		} else if (!m.bind && m.kind == MOUNT_SYSFS && !m.readonly) {
			path_clean(m.dest, dest, sizeof(dest), NULL);
			mount_ptr(ptr, sizeof(ptr), i, "options");
			check_add(c, ptr, "sysfs is mounted read-write at %s: root in the "
				  "container can write the host's kernel and device settings",
				  dest);
		} else if (!m.bind && m.kind == MOUNT_OVERLAY) {
			check_overlay_dirs(c, i, &m);
		} else if (!m.bind && m.kind == MOUNT_PROC) {
			path_clean(m.dest, dest, sizeof(dest), NULL);
			if (strcmp(dest, "/proc") != 0) {
				mount_ptr(ptr, sizeof(ptr), i, "destination");
				check_add(c, ptr, "proc is mounted at %s, where maskedPaths and "
					  "readonlyPaths (which name /proc/...) do not reach", dest);
			}
		}
		/* The spec noted whether an option is (r)shared: only then are
		 * the options read again. */
		for (uint32_t k = 0; m.shared && m.opts != NULL && k < m.opts->len; k++)
			if (propagation_shared(m.opts->u.items[k].u.str)) {
				path_clean(m.dest, dest, sizeof(dest), NULL);
				mount_ptr(ptr, sizeof(ptr), i, "options");
				json_ptr_append_index(ptr, sizeof(ptr), k);
				check_add(c, ptr, "%s has %s propagation: mounts made in the "
					  "container appear on the host", dest,
					  m.opts->u.items[k].u.str);
			}
	}
	check_mount_kinds(c);
}

/* --------------------------------------------------------- host devices */

/* The memory, port and kernel-log devices: character major 1. */
static const char *mem_device(int64_t major, int64_t minor)
{
	if (major != 1)
		return NULL;
	switch (minor) {
	case 1: return "/dev/mem";
	case 2: return "/dev/kmem";
	case 4: return "/dev/port";
	case 11: return "/dev/kmsg";
	}
	return NULL;
}

static bool named_mem_device(const char *clean)
{
	static const char *const names[] = { "/dev/mem", "/dev/kmem", "/dev/port", "/dev/kmsg" };

	if (strncmp(clean, "/dev/", 5) != 0)
		return false;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(clean, names[i]) == 0)
			return true;
	return false;
}

static bool get_int(const struct jval *obj, const char *key, int64_t *out)
{
	const struct jval *v = jobj_get(obj, key);

	return v != NULL && jv_get_i64(v, out);
}

static int by_cstr_key(const void *k, const void *e)
{
	return strcmp(k, *(char *const *)e);
}

static bool in_sorted(const char *const *v, size_t n, const char *k)
{
	return bsearch(k, v, n, sizeof(*v), by_cstr_key) != NULL;
}

/* File systems the kernel mounts without opening the source (a name in
 * /proc/filesystems marked nodev whose source is only a label): a mount
 * of one cannot reach a block device, and its source is not looked up
 * (two stat calls per mount per judgement at every start). */
static bool source_ignored(const char *type)
{
	static const char *const pseudo[] = {
		"bpf", "cgroup", "cgroup2", "configfs", "debugfs", "devpts", "hugetlbfs",
		"mqueue", "proc", "pstore", "ramfs", "securityfs", "sysfs", "tmpfs", "tracefs",
	};

	return in_sorted(pseudo, sizeof(pseudo) / sizeof(*pseudo), type);
}

/* Whether a device-cgroup rule lets the container read or write a door. */
static const char *cgroup_rule_door(const struct jval *r)
{
	const struct jval *allow = jobj_get(r, "allow"), *type = jobj_get(r, "type"),
			  *access = jobj_get(r, "access");
	int64_t major = -1, minor = -1;

	if (allow == NULL || allow->type != J_TRUE)
		return NULL;
	/* An empty access is "rwm" to runc; "m" alone only allows mknod. */
	if (access != NULL && access->len > 0 && strchr(access->u.str, 'r') == NULL &&
	    strchr(access->u.str, 'w') == NULL)
		return NULL;
	get_int(r, "major", &major);
	get_int(r, "minor", &minor);
	/* A type of more than one letter is crun's to read, not ours: on
	 * cgroup v1 crun 1.8 writes a type starting with "a" as "a" ("all"
	 * allowed every device) and any other as given, where a newline ends
	 * the kernel's rule ("c 1:11 rw\n" with 5:0 allowed /dev/kmsg).
	 * runc refuses a type other than a, b and c itself. */
	if (type != NULL && type->len > 1)
		return "devices the kernel reads from the rule's type (not one letter: "
		       "crun writes it as given)";
	/* One letter as crun reads it: in its cgroup v2 filter "a" is every
	 * device, "b" block and anything else a character device ("u" 1:11
	 * is /dev/kmsg). */
	char t = type && type->len ? type->u.str[0] : 'a';
	if (t == 'a')
		return "every device";
	if (t == 'b')
		return "block devices";
	if ((major == 1 || major < 0) && (minor < 0 || mem_device(1, minor) != NULL))
		return minor < 0 ? "/dev/mem, /dev/kmem, /dev/port and /dev/kmsg"
				 : mem_device(1, minor);
	return NULL;
}

/* Whether a node is a device the allowlist of linux.devices leaves out:
 * any block device, and the memory, port and kernel-log character
 * devices. */
static bool door_node(mode_t mode, dev_t rdev)
{
	return S_ISBLK(mode) ||
	       (S_ISCHR(mode) && mem_device(major(rdev), minor(rdev)) != NULL);
}

/*
 * Whether a directory of the host (real, after symlinks, on a file system
 * of type fstype, NULL for the root's) hands over devices: one of a
 * devtmpfs (/dev, /dev/block, a devtmpfs mounted elsewhere, /proc/1/root/dev),
 * every node in it; one an rbind carries /dev with (/, /proc/1/root); a
 * device's directory in sysfs (/sys/dev/block/7:0 is
 * /sys/devices/virtual/block/loop0), whose attributes set the device.  What
 * it hands over, or NULL.  No system call: the source's mount was looked
 * up for the rest.
 */
static const char *device_dir(const char *real, const char *fstype, bool rbind)
{
	static const char *const sysfs_dirs[] = { "/sys/block", "/sys/class", "/sys/dev",
						  "/sys/devices" };

	if (fstype != NULL && strcmp(fstype, "devtmpfs") == 0)
		return "a directory of the host's devtmpfs, every device node in it";
	if (rbind && path_covers(real, "/dev"))
		return "it holds the host's /dev, which the rbind carries with every device "
		       "node in it";
	for (size_t i = 0; i < sizeof(sysfs_dirs) / sizeof(*sysfs_dirs); i++)
		if (path_covers(sysfs_dirs[i], real))
			return "a directory of the host's devices in sysfs, whose attributes set "
			       "them";
	return NULL;
}

/*
 * A bind whose source is such a device node of the host, judged by what
 * the node is after the kernel's resolution, not by its name: /dev/sda;
 * /tmp/l, a symlink to it (mount(2) follows symlinks); /srv/d/sda, with
 * /srv/d a bind of /dev.  The look-ups are the mount's record's (look:
 * sensitive-mounts' when it asked first), or made here.  A source whose
 * mount could not be looked up is refused (fail closed); one that does not
 * exist here is not: the runtime's mount of it fails.
 */
static bool bind_device_look(struct check_ctx *c, uint32_t i, const struct mount_view *m,
			     struct source_look *look)
{
	char ptr[128];

	/* A relative source of a config without its bundle: sensitive-mounts
	 * refuses one that leaves the bundle. */
	if (!look->placed)
		return false;
	const char *clean = look->clean;
	/* By name too, for a config judged away from its host. */
	if (named_mem_device(clean)) {
		mount_ptr(ptr, sizeof(ptr), i, "source");
		check_add(c, ptr, "the host's device %s is bind-mounted into the container", clean);
		return true;
	}
	/* The pointer only for a source that exists: most do not, and a
	 * config may have a million. */
	const struct memo_slot *seen = look_resolve(look, m->source);
	if (seen == NULL)
		return false;
	mount_ptr(ptr, sizeof(ptr), i, "source");
	const char *real = seen->real;
	const char *as = m->source[0] != '/' || strstr(m->source, "..") ? m->source : clean;
	if (seen->bad != NULL) {
		check_add(c, ptr, "%s cannot be judged as a device: %s", as, seen->bad);
		return true;
	}
	if (seen->fail != NULL || seen->mode == 0) {
		check_add(c, ptr, "%s cannot be judged as a device: %s%s%s", as,
			  seen->fail ? "its mount could not be looked up (" : "the kernel did not say "
			  "what it is", seen->fail ? seen->fail : "", seen->fail ? ")" : "");
		return true;
	}
	/* The host's terminals, a directory of them or one: runc's default
	 * device rules let every container open a pty (c 136:*), and so
	 * read and type into the host's shells. */
	if (seen->fstype != NULL && strcmp(seen->fstype, "devpts") == 0) {
		const char *holds = S_ISDIR(seen->mode)
				    ? "the host's devpts, every terminal the host has open"
				    : "a terminal of the host's devpts";
		if (strcmp(real, as) != 0)
			check_add(c, ptr, "%s (%s) is bind-mounted into the container: %s", as, real,
				  holds);
		else
			check_add(c, ptr, "%s is bind-mounted into the container: %s", as, holds);
		return true;
	}
	if (S_ISDIR(seen->mode)) {
		const char *holds = device_dir(real, seen->fstype, m->rbind);
		if (holds == NULL)
			return false;
		if (strcmp(real, as) != 0)
			check_add(c, ptr, "%s (%s) is bind-mounted into the container: %s", as, real,
				  holds);
		else
			check_add(c, ptr, "%s is bind-mounted into the container: %s", as, holds);
		return true;
	}
	if (!door_node(seen->mode, seen->rdev))
		return false;
	/* Named as the host names it: its path below /dev through another
	 * mount, or where the symlinks lead. */
	const char *dev = seen->alias;
	size_t k = 0;
	for (; k < seen->naliases && !path_covers("/dev", dev); k++)
		dev += strlen(dev) + 1;
	const char *shown = k < seen->naliases ? dev : strcmp(real, as) != 0 ? real : NULL;
	if (shown != NULL)
		check_add(c, ptr, "the host's device %s (%s) is bind-mounted into the container",
			  as, shown);
	else
		check_add(c, ptr, "the host's device %s is bind-mounted into the container", as);
	return true;
}

/* bind_device_look of a path no mount's record holds: a mount below an
 * rbind's source. */
static bool bind_device_node(struct check_ctx *c, uint32_t i, const struct mount_view *m)
{
	struct source_look look;
	char buf[PATH_MAX];

	look_lex(c->s, m->source, &look, buf, NULL);
	return bind_device_look(c, i, m, &look);
}

/* bind_device_look, then where the source is read (bind_place): a source
 * judged in the host's view that the runtime reads elsewhere is no device
 * here and maybe one there. */
static bool bind_device(struct check_ctx *c, uint32_t i, const struct mount_view *m,
			struct spec_source_look *looks, struct source_look *look)
{
	char ptr[128];

	if (bind_device_look(c, i, m, look))
		return true;
	const char *place = mount_place(c->s, looks, look, m->source);
	if (place == NULL)
		return false;
	mount_ptr(ptr, sizeof(ptr), i, "source");
	check_add(c, ptr, "%s cannot be judged as a device: %s", m->source, place);
	return true;
}

/*
 * A device number the runtimes read as another: runc and crun keep the low
 * 32 bits of a linux.devices node's numbers for mknod (major 4294967297,
 * minor 11 made /dev/kmsg's 1:11 under runc 1.1.5 and crun 1.8.1, judged
 * compliant before), and the cgroup v2 device filters compare 32-bit
 * immediates.  Outside 0..4294967295 (-1 is a rule's wildcard) a number
 * is refused rather than judged as either.
 */
static const char *odd_device_number(const struct jval *d, bool wildcard,
				     int64_t *value)
{
	static const char *const keys[] = { "major", "minor" };

	for (size_t k = 0; k < 2; k++)
		if (get_int(d, keys[k], value) &&
		    (*value > (int64_t)UINT32_MAX || *value < (wildcard ? -1 : 0)))
			return keys[k];
	return NULL;
}

static void check_device_numbers(struct check_ctx *c, const struct jval *list,
				 const char *where, bool rules)
{
	char ptr[128];
	int64_t v;

	for (uint32_t i = 0; list != NULL && i < list->len; i++) {
		const char *key = odd_device_number(&list->u.items[i], rules, &v);
		if (key == NULL)
			continue;
		json_ptr_set(ptr, sizeof(ptr), where);
		json_ptr_append_index(ptr, sizeof(ptr), i);
		json_ptr_append(ptr, sizeof(ptr), key, strlen(key));
		check_add(c, ptr, "device %s %lld is outside 0..4294967295: runc and crun "
			  "keep its low 32 bits (%lld), so the device is not the one the "
			  "number says", key, (long long)v, (long long)(uint32_t)v);
	}
}

void check_host_devices(struct check_ctx *c)
{
	enum { SHOWN = 8 };
	const struct spec *s = c->s;
	struct oh_buf blocks = { 0 };
	char ptr[128], first_block[128] = "";
	uint32_t nblocks = 0;
	struct spec_source_look *looks = NULL;

	for (uint32_t i = 0; s->devices != NULL && i < s->devices->len; i++) {
		const struct jval *d = &s->devices->u.items[i];
		const struct jval *type = jobj_get(d, "type"), *path = jobj_get(d, "path");
		int64_t major = -1, minor = -1;
		char clean[PATH_MAX] = "";

		get_int(d, "major", &major);
		get_int(d, "minor", &minor);
		if (path != NULL)
			path_clean(path->u.str, clean, sizeof(clean), NULL);
		json_ptr_set(ptr, sizeof(ptr), "/linux/devices");
		json_ptr_append_index(ptr, sizeof(ptr), i);
		if (type != NULL && strcmp(type->u.str, "b") == 0) {
			/* One finding for all of them: --privileged hands over dozens. */
			if (nblocks++ == 0)
				snprintf(first_block, sizeof(first_block), "%s", ptr);
			if (nblocks <= SHOWN)
				oh_buf_printf(&blocks, "%s%s (%lld:%lld)", nblocks > 1 ? ", " : "",
					      clean, (long long)major, (long long)minor);
		} else if ((type != NULL && type->u.str[0] != 'p' && mem_device(major, minor)) ||
			   named_mem_device(clean)) {
			check_add(c, ptr, "device %s (%lld:%lld) is created in the container: "
				  "%s", clean, (long long)major, (long long)minor,
				  major == 1 && minor == 11 ? "the host's kernel log"
							    : "the host's memory or I/O ports");
		}
	}
	if (nblocks > SHOWN)
		oh_buf_printf(&blocks, " and %u more", nblocks - SHOWN);
	if (nblocks == 1)
		check_add(c, first_block, "block device %s is created in the container: "
			  "it reads and writes the host's disk", blocks.data);
	else if (nblocks > 1)
		check_add(c, first_block, "%u block devices are created in the container: "
			  "%s; they read and write the host's disks", nblocks, blocks.data);
	oh_buf_free(&blocks);
	check_device_numbers(c, s->devices, "/linux/devices", false);
	check_device_paths(c);
	check_device_numbers(c, s->resources_devices, "/linux/resources/devices", true);
	for (uint32_t i = 0; s->resources_devices != NULL && i < s->resources_devices->len; i++) {
		const char *door = cgroup_rule_door(&s->resources_devices->u.items[i]);
		if (door == NULL)
			continue;
		json_ptr_set(ptr, sizeof(ptr), "/linux/resources/devices");
		json_ptr_append_index(ptr, sizeof(ptr), i);
		check_add(c, ptr, "the device cgroup allows reading and writing %s "
			  "(--device-cgroup-rule)", door);
	}
	for (uint32_t i = 0; s->mounts != NULL && i < s->mounts->len; i++) {
		struct mount_view m = mount_at(s, i);
		char clean[PATH_MAX];
		struct stat st;

		if (m.kind == MOUNT_DEVTMPFS && !m.bind) {
			mount_ptr(ptr, sizeof(ptr), i, "type");
			check_add(c, ptr, "devtmpfs is mounted: every host device is in the "
				  "container");
			continue;
		}
		/* A filesystem mount of a block device: the kernel opens the
		 * source (after symlinks; a relative one, a bare name too, in
		 * the root file system: rootfs_relative) from the runtime,
		 * where neither the container's /dev nor its device cgroup
		 * stand in the way: ext4 on /dev/vda is the host's disk,
		 * read-write.  proc or tmpfs there is a directory, no device. */
		if (!m.bind && !source_ignored(m.type)) {
			char in_root[PATH_MAX];
			int r = m.source[0] == '/' ? stat(m.source, &st)
				: m.source[0] != '\0' && rootfs_relative(c->s, m.source, in_root,
									sizeof(in_root))
				? stat(in_root, &st) : -1;
			if (r == 0 && S_ISBLK(st.st_mode)) {
				path_clean(m.source, clean, sizeof(clean), NULL);
				mount_ptr(ptr, sizeof(ptr), i, "source");
				check_add(c, ptr, "the host's block device %s (%u:%u) is mounted "
					  "as %s: it reads and writes the host's disk", clean,
					  major(st.st_rdev), minor(st.st_rdev), m.type);
			}
			continue;
		}
		/* A source found no device before (the judgement before the
		 * fixes) is none again: the memo holds what it leads to. */
		if (m.bind && !s->mount[i].device_clear) {
			if (looks == NULL)
				looks = looks_of(s);
			struct source_look *look = mount_look(s, looks, i);
			s->mount[i].device_clear = !bind_device(c, i, &m, looks, look) &&
						   !below_devices(c, i, &m, look);
		}
	}
}

/* ------------------------------------------------------------- cwd */

/*
 * /proc/X/fd, /proc/X/cwd, /proc/X/root and the same under
 * /proc/X/task/Y: every way a path names a descriptor or a directory of
 * a process, which during runc init may be the host's.
 */
static bool via_process_dir(const char *clean)
{
	const char *p;

	if (strncmp(clean, "/proc/", 6) != 0)
		return false;
	p = strchr(clean + 6, '/');
	if (p == NULL)
		return false;
	p++;
	if (strncmp(p, "task/", 5) == 0) {
		p = strchr(p + 5, '/');
		if (p == NULL)
			return false;
		p++;
	}
	static const char *const doors[] = { "fd", "cwd", "root" };
	for (size_t i = 0; i < sizeof(doors) / sizeof(doors[0]); i++) {
		size_t n = strlen(doors[i]);
		if (strncmp(p, doors[i], n) == 0 && (p[n] == '\0' || p[n] == '/'))
			return true;
	}
	return false;
}

void check_cwd_fd(struct check_ctx *c)
{
	char clean[PATH_MAX];

	if (c->s->cwd == NULL)
		return;
	path_clean(c->s->cwd->u.str, clean, sizeof(clean), NULL);
	if (via_process_dir(clean))
		check_add(c, "/process/cwd", "process.cwd %s leads through a process's "
			  "descriptors: a descriptor the runtime leaked reaches the host's "
			  "filesystem (CVE-2024-21626)", c->s->cwd->u.str);
}

/* ---------------------------------------------------- unsafe annotations */

struct unsafe_ann {
	const char *key;     /* ending in ".": a prefix */
	bool removable;      /* the fix may remove it */
	const char *why;     /* NULL: known to be harmless (exact keys only) */
};

/*
 * Sorted by key.  crun reads annotations of its own, run.oci.*, and may
 * read more in a later version: a run.oci.* key this list does not name
 * is refused as one whose effect is not known (crun 1.8.1's are all here,
 * read in its source), and the three that only narrow what runs are
 * named as harmless.
 */
static const struct unsafe_ann unsafe_anns[] = {
	{ "bundle", false, "names the bundle the runtime uses" },
	{ "module.wasm.image/variant", false,
	  "makes crun run the workload through its wasm handler, not as the config's process" },
	{ "org.criu.config", false, "gives CRIU a configuration file of the host" },
	{ "org.systemd.property.", false, "sets systemd properties of the container's unit" },
	{ "run.oci.", false, "is a crun annotation whose effect oci-harden does not know" },
	{ "run.oci.delegate-cgroup", false,
	  "makes crun move the container into the cgroup it names and give that cgroup to the "
	  "container's root" },
	{ "run.oci.handler", false,
	  "makes crun run the workload through another handler (krun, wasm), not as the config's "
	  "process" },
	{ "run.oci.hooks.stderr", false, "makes crun write hook output to a host file" },
	{ "run.oci.hooks.stdout", false, "makes crun write hook output to a host file" },
	{ "run.oci.keep_original_groups", false, "keeps the runtime's supplementary groups" },
	{ "run.oci.mount_context_type", false, NULL },
	{ "run.oci.pidfd_receiver", false, "sends the container's pidfd to a host socket" },
	{ "run.oci.seccomp.plugins", false, "loads a shared object into crun" },
	{ "run.oci.seccomp.receiver", false, "sends the seccomp listener to a host socket" },
	{ "run.oci.seccomp_bpf_data", true, "replaces the config's seccomp filter" },
	{ "run.oci.seccomp_fail_unknown_syscall", false, NULL },
	{ "run.oci.systemd.force_cgroup_v1", false,
	  "makes crun mount the host's name=systemd cgroup hierarchy, read-write, at the path it "
	  "names" },
	{ "run.oci.systemd.subgroup", false,
	  "names the container's cgroup below its systemd scope, a path that can lead out of it" },
	{ "run.oci.timens_offset", false, NULL },
};
#define N_UNSAFE_ANNS (sizeof(unsafe_anns) / sizeof(unsafe_anns[0]))

static int ann_cmp(const void *k, const void *e)
{
	return strcmp(k, ((const struct unsafe_ann *)e)->key);
}

/* The first bytes of the built-in keys: a config's annotations are judged
 * three times per hook run, and most start otherwise. */
static bool unsafe_first[256], have_unsafe_first;

/* The built-in entry for key (exact, or a prefix ending in "."), or NULL. */
static const struct unsafe_ann *builtin_unsafe(const char *key)
{
	const struct unsafe_ann *a = bsearch(key, unsafe_anns, N_UNSAFE_ANNS,
					     sizeof(*unsafe_anns), ann_cmp);
	if (a != NULL)
		return a->why != NULL ? a : NULL;
	/* The built-in prefixes: few, compared directly. */
	for (size_t i = 0; i < N_UNSAFE_ANNS; i++) {
		if (key[0] != unsafe_anns[i].key[0])
			continue;
		size_t n = strlen(unsafe_anns[i].key);
		if (unsafe_anns[i].key[n - 1] == '.' && strncmp(key, unsafe_anns[i].key, n) == 0)
			return &unsafe_anns[i];
	}
	return NULL;
}

/* Whether the policy's list names key, exactly or by a prefix ending in
 * ".". */
static bool policy_unsafe(const struct policy *p, const char *key)
{
	char buf[512];

	if (strlist_has(&p->annotations_unsafe, key))
		return true;
	/* The policy's prefixes: each prefix of the key that ends at a dot,
	 * looked up in the sorted list. */
	for (const char *d = strchr(key, '.'); d != NULL; d = strchr(d + 1, '.')) {
		size_t n = (size_t)(d - key) + 1;
		if (n >= sizeof(buf))
			break;
		memcpy(buf, key, n);
		buf[n] = '\0';
		if (strlist_has(&p->annotations_unsafe, buf))
			return true;
	}
	return false;
}

/* The built-in entry for key (exact, or a prefix ending in "."), or NULL;
 * *policy is set when only the policy's list names it.  Inline, the
 * look-ups out of line: most keys are neither, and a config may hold
 * millions of them. */
static inline const struct unsafe_ann *unsafe_annotation(const struct policy *p,
							 const char *key, bool *policy)
{
	*policy = false;
	if (!have_unsafe_first) {
		for (size_t i = 0; i < N_UNSAFE_ANNS; i++)
			unsafe_first[(unsigned char)unsafe_anns[i].key[0]] = true;
		have_unsafe_first = true;
	}
	if (unsafe_first[(unsigned char)key[0]]) {
		const struct unsafe_ann *a = builtin_unsafe(key);
		if (a != NULL)
			return a;
	}
	if (p->annotations_unsafe.n != 0)
		*policy = policy_unsafe(p, key);
	return NULL;
}

void check_unsafe_annotations(struct check_ctx *c)
{
	const struct jval *ann = c->s->annotations;

	for (uint32_t i = 0; ann != NULL && i < ann->len; i++) {
		const struct jmember *m = &ann->u.members[i];
		bool by_policy;
		const struct unsafe_ann *a = unsafe_annotation(c->p, m->key, &by_policy);
		char ptr[600];

		if (a == NULL && !by_policy)
			continue;
		json_ptr_set(ptr, sizeof(ptr), "/annotations");
		json_ptr_append(ptr, sizeof(ptr), m->key, m->klen);
		/* Where the fix cannot remove it, a fix action is a refusal. */
		enum action act = c->action == ACT_FIX && (a == NULL || !a->removable)
					  ? ACT_DENY : c->action;
		decision_add(c->d, c->rule, act, ptr, "annotation %s %s, overriding the "
			     "config", m->key, a ? a->why : "is on the policy's unsafe list");
	}
}

int fix_unsafe_annotations(struct spec *s, const struct policy *p,
			   const struct host_facts *h, struct oh_error *err)
{
	(void)h, (void)err;
	struct jval *ann = s->annotations;
	uint32_t n = 0;

	for (uint32_t i = 0; ann != NULL && i < ann->len; i++) {
		bool by_policy;
		const struct unsafe_ann *a = unsafe_annotation(p, ann->u.members[i].key, &by_policy);
		if (a != NULL && a->removable)
			continue;
		ann->u.members[n++] = ann->u.members[i];
	}
	if (ann != NULL)
		ann->len = n;
	return 0;
}

/* ---------------------------------------------------------- namespaces */

static const char *ns_proc_name(const char *type)
{
	static const char *const map[][2] = {
		{ "pid", "pid" }, { "network", "net" }, { "ipc", "ipc" }, { "uts", "uts" },
		{ "mount", "mnt" }, { "user", "user" }, { "cgroup", "cgroup" },
		{ "time", "time" },
	};

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(map[i][0], type) == 0)
			return map[i][1];
	return NULL;
}

static bool same_inode(const char *a, const struct stat *b)
{
	struct stat st;

	return stat(a, &st) == 0 && st.st_dev == b->st_dev && st.st_ino == b->st_ino;
}

/*
 * The host's own namespace under any name: /proc/PID/ns of another host
 * process, a bind mount of it under /run/netns.  "The host's" is pid 1's
 * and also this process's: hooks and the wrapper run in the runtime's
 * namespaces, and pid 1's may be unreadable (no ptrace access to it).
 */
static bool ns_is_host(const char *name, const char *path)
{
	char host[64];
	struct stat b;

	if (stat(path, &b) != 0)
		return false;
	snprintf(host, sizeof(host), "/proc/1/ns/%s", name);
	if (same_inode(host, &b))
		return true;
	snprintf(host, sizeof(host), "/proc/self/ns/%s", name);
	return same_inode(host, &b);
}

/*
 * Whether path is the namespace of the host's init (pid 1), leaving out
 * the checker's own: a hook that runc 1.1 runs after the container joined
 * a mount namespace sits in that namespace itself, so "the same as mine"
 * says nothing about the host there.
 */
bool check_ns_is_init(const char *type, const char *path)
{
	const char *name = ns_proc_name(type);
	char init[64];
	struct stat b;

	if (strncmp(path, "/proc/1/", 8) == 0)
		return true;
	if (name == NULL || stat(path, &b) != 0)
		return false;
	snprintf(init, sizeof(init), "/proc/1/ns/%s", name);
	return same_inode(init, &b);
}

bool check_ns_is_host(const char *type, const char *path)
{
	/* Asked by host-namespaces and sysctl-host, before the fixes and
	 * after them, of the same paths: the last answer per type is kept
	 * (a pod gives network, ipc and uts by path), as cgroup-shared keeps
	 * its own (4 stats of a path per hook run -> 1). */
	static struct {
		const char *name;
		char *path;
		bool host;
	} kept[8];
	const char *name = ns_proc_name(type);

	if (strncmp(path, "/proc/1/", 8) == 0)
		return true;
	if (name == NULL)
		return false;
	size_t k = 0;
	while (k < sizeof(kept) / sizeof(kept[0]) - 1 && kept[k].name != NULL &&
	       kept[k].name != name)
		k++;
	if (kept[k].name != name || strcmp(kept[k].path, path) != 0) {
		free(kept[k].path);
		kept[k].path = xstrdup(path);
		kept[k].name = name;
		kept[k].host = ns_is_host(name, path);
	}
	return kept[k].host;
}

/* ------------------------------------------------------------- sysctls */

/* Kubernetes' safe sysctls (namespaced and isolated between pods). */
static const char *const safe_sysctls[] = {
	"kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range",
	"net.ipv4.ip_local_reserved_ports", "net.ipv4.ip_unprivileged_port_start",
	"net.ipv4.ping_group_range", "net.ipv4.tcp_fin_timeout",
	"net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes",
	"net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_rmem", "net.ipv4.tcp_syncookies",
	"net.ipv4.tcp_wmem",
};

/* The IPC namespace's kernel.* sysctls, as runc's validator lists them. */
static const char *const ipc_sysctls[] = {
	"kernel.msg_next_id", "kernel.msgmax", "kernel.msgmnb", "kernel.msgmni",
	"kernel.sem", "kernel.sem_next_id", "kernel.shm_next_id",
	"kernel.shm_rmid_forced", "kernel.shmall", "kernel.shmmax", "kernel.shmmni",
};

/* The name in dots (the kernel accepts kernel/printk too). */
static void sysctl_name(const char *key, char *out, size_t cap)
{
	snprintf(out, cap, "%s", key);
	for (char *p = out; *p; p++)
		if (*p == '/')
			*p = '.';
}

void check_sysctl_unsafe(struct check_ctx *c)
{
	const struct jval *sc = c->s->sysctl;

	for (uint32_t i = 0; sc != NULL && i < sc->len; i++) {
		char name[256], ptr[600];

		sysctl_name(sc->u.members[i].key, name, sizeof(name));
		if (in_sorted(safe_sysctls, sizeof(safe_sysctls) / sizeof(*safe_sysctls), name) ||
		    strlist_has(&c->p->sysctls_allowed, name))
			continue;
		json_ptr_set(ptr, sizeof(ptr), "/linux/sysctl");
		json_ptr_append(ptr, sizeof(ptr), sc->u.members[i].key, sc->u.members[i].klen);
		check_add(c, ptr, "sysctl %s is not in Kubernetes' safe set nor in the "
			  "policy's sysctls.allowed", name);
	}
}

/* Whether the config has a namespace of this type of its own. */
static bool own_namespace(const struct spec *s, const char *type)
{
	bool own = false;

	for (uint32_t i = 0; s->namespaces != NULL && i < s->namespaces->len; i++) {
		const struct jval *ns = &s->namespaces->u.items[i];
		const struct jval *path = jobj_get(ns, "path");
		if (!jv_is_str(jobj_get(ns, "type"), type))
			continue;
		own = path == NULL || !check_ns_is_host(type, path->u.str);
	}
	return own;
}

void check_sysctl_host(struct check_ctx *c)
{
	const struct jval *sc = c->s->sysctl;
	int netns = -1, utsns = -1, ipcns = -1;   /* unknown until needed */

	for (uint32_t i = 0; sc != NULL && i < sc->len; i++) {
		char name[256], ptr[600];
		const char *why = NULL;

		sysctl_name(sc->u.members[i].key, name, sizeof(name));
		if (strncmp(name, "net.", 4) == 0) {
			if (netns < 0)
				netns = own_namespace(c->s, "network");
			if (!netns)
				why = "the container shares the host's network namespace";
		} else if (strncmp(name, "fs.mqueue.", 10) == 0 ||
			   in_sorted(ipc_sysctls, sizeof(ipc_sysctls) / sizeof(*ipc_sysctls), name)) {
			if (ipcns < 0)
				ipcns = own_namespace(c->s, "ipc");
			if (!ipcns)
				why = "the container shares the host's IPC namespace";
		} else if (strcmp(name, "kernel.hostname") == 0 ||
			   strcmp(name, "kernel.domainname") == 0) {
			if (utsns < 0)
				utsns = own_namespace(c->s, "uts");
			if (!utsns)
				why = "the container shares the host's UTS namespace";
		} else {
			why = "the kernel does not namespace it";
		}
		if (why == NULL)
			continue;
		json_ptr_set(ptr, sizeof(ptr), "/linux/sysctl");
		json_ptr_append(ptr, sizeof(ptr), sc->u.members[i].key, sc->u.members[i].klen);
		check_add(c, ptr, "sysctl %s would be set for the whole host: %s", name, why);
	}
}

/* ------------------------------------------------------------- cgroups */

/* The cgroup directory of a systemd-style "slice:prefix:name" path, as
 * runc's systemd driver names it: the slice expanded (a-b.slice is
 * /a.slice/a-b.slice, the empty one system.slice) and the scope
 * PREFIX-NAME.scope, or NAME itself when it is a slice. */
static bool systemd_cgroup(const char *path, char *out, size_t cap)
{
	const char *c1 = strchr(path, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
	char slice[256], expanded[PATH_MAX] = "";
	size_t n = 0;

	if (c2 == NULL || strchr(c2 + 1, ':') != NULL || (size_t)(c1 - path) >= sizeof(slice))
		return false;
	memcpy(slice, path, (size_t)(c1 - path));
	slice[c1 - path] = '\0';
	if (slice[0] == '\0')
		snprintf(slice, sizeof(slice), "system.slice");
	if (strcmp(slice, "-.slice") != 0) {
		size_t len = strlen(slice);
		if (len < 7 || strcmp(slice + len - 6, ".slice") != 0)
			return false;
		/* Every prefix ending at a dash, then the slice itself. */
		for (size_t i = 0; i + 6 <= len && n + 1 < sizeof(expanded); i++)
			if (slice[i] == '-' || i + 6 == len) {
				int w = snprintf(expanded + n, sizeof(expanded) - n, "/%.*s.slice",
						 (int)i, slice);
				if (w < 0 || (size_t)w >= sizeof(expanded) - n)
					return false;
				n += (size_t)w;
			}
	}
	const char *name = c2 + 1;
	size_t nl = strlen(name);
	int w = nl > 6 && strcmp(name + nl - 6, ".slice") == 0
		? snprintf(out, cap, "%s/%s", expanded, name)
		: snprintf(out, cap, "%s/%.*s-%s.scope", expanded, (int)(c2 - c1 - 1), c1 + 1, name);
	return w > 0 && (size_t)w < cap;
}

/*
 * Whether cgroup.procs under dir lists a process other than init, the
 * container's own (0 before the runtime has made it: precreate, the
 * wrapper, check).  From createRuntime on, runc has put the init there
 * already; the hook stages know its pid from the runtime's state.  Any
 * other process, a sibling container's under the same shim included, is
 * someone else's.
 */
/* a, b and c joined into out; false when they do not fit.  (snprintf and
 * fopen for each of 11 hierarchies cost about 40,000 instructions a
 * judgement on a v1 host, twice the rest of the rule.) */
static bool join3(char *out, size_t cap, const char *a, const char *b, const char *c)
{
	size_t na = strlen(a), nb = strlen(b), nc = strlen(c);

	if (na + nb + nc >= cap)
		return false;
	memcpy(out, a, na);
	memcpy(out + na, b, nb);
	memcpy(out + na + nb, c, nc + 1);
	return true;
}

static bool holds_others(const char *dir, pid_t init)
{
	char file[PATH_MAX + 16];

	if (!join3(file, sizeof(file), dir, "/cgroup.procs", ""))
		return false;
	/* Most are absent (precreate, the wrapper: the runtime has not made
	 * the cgroup yet): a plain open says so without a FILE. */
	int fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	FILE *f = fdopen(fd, "r");
	if (f == NULL) {
		close(fd);
		return false;
	}
	long pid;
	bool others = false;
	while (!others && fscanf(f, "%ld", &pid) == 1)
		others = init == 0 || pid != (long)init;
	fclose(f);
	return others;
}

/*
 * runc 1.1 starts a container in the cgroup linux.cgroupsPath names even
 * when it exists and holds processes (it warns that runc 1.2 will refuse):
 * the container's limits are then set on them, and kill --all, pause and
 * delete act on every process there.  A compliant container named
 * another's cgroup and runc kill --all took the other container with it;
 * "/" is the host's root cgroup.  The path is judged where runc puts it
 * in each hierarchy this process sees: an absolute one below the
 * hierarchy's root, a relative one below the runtime's own cgroup there
 * (the hooks and the wrapper run in the runtime's), a systemd one as its
 * slice and scope.
 */
/* Whether the cgroup path names one that holds other processes, in any
 * hierarchy; where, the directory that does. */
static bool cgroup_shared(const char *path, pid_t init, char *where, size_t wn)
{
	char inner[PATH_MAX], line[PATH_MAX + 64];
	bool systemd = path[0] != '/' && strchr(path, ':') != NULL;

	if (systemd && !systemd_cgroup(path, inner, sizeof(inner)))
		return false;   /* runc refuses a malformed one itself */
	if (!systemd)
		snprintf(inner, sizeof(inner), "%s", path);
	FILE *f = fopen("/proc/self/cgroup", "re");
	if (f == NULL)
		return false;
	bool shared = false;
	while (!shared && fgets(line, sizeof(line), f) != NULL) {
		/* ID:CONTROLLERS:PATH; v1 hierarchies are mounted under their
		 * controllers' names (name=systemd as systemd), v2 at
		 * /sys/fs/cgroup or, on hybrid hosts, /sys/fs/cgroup/unified. */
		char *a = strchr(line, ':'), *b = a ? strchr(a + 1, ':') : NULL;
		if (b == NULL)
			continue;
		*b = '\0';
		char *own = b + 1;
		own[strcspn(own, "\n")] = '\0';
		const char *ctrl = a + 1;
		if (strncmp(ctrl, "name=", 5) == 0)
			ctrl += 5;
		const char *bases[2];
		char v1[PATH_MAX];
		size_t nb = 0;
		if (*ctrl == '\0') {
			bases[nb++] = "/sys/fs/cgroup/unified";
			bases[nb++] = "/sys/fs/cgroup";
		} else {
			if (!join3(v1, sizeof(v1), "/sys/fs/cgroup/", ctrl, ""))
				continue;
			bases[nb++] = v1;
		}
		char joined[PATH_MAX], clean[PATH_MAX], dir[PATH_MAX];
		if (!(inner[0] == '/' ? join3(joined, sizeof(joined), inner, "", "")
				      : join3(joined, sizeof(joined), own, "/", inner)))
			continue;
		path_clean(joined, clean, sizeof(clean), NULL);
		for (size_t k = 0; k < nb && !shared; k++) {
			if (!join3(dir, sizeof(dir), bases[k], strcmp(clean, "/") ? clean : "", ""))
				continue;
			/* No hierarchy mounted at the base: no cgroup.procs
			 * below it either (the base is root's). */
			shared = holds_others(dir, init);
			if (shared)
				snprintf(where, wn, "%s", dir);
		}
	}
	fclose(f);
	return shared;
}

/*
 * linux.resources.unified names files of the container's cgroup (v2) for
 * the runtime to write: runc 1.1 and crun 1.8 write cgroup.procs and
 * cgroup.threads too, which moves the processes named there into the
 * container's cgroup.  An update doing so put a host process there, and
 * the container's kill --all took it down (runc 1.1.5, cgroup v2).
 */
void check_cgroup_unified(struct check_ctx *c)
{
	static const char *const moves[] = { "cgroup.procs", "cgroup.threads" };
	const struct jval *u = c->s->resources_unified;

	for (uint32_t i = 0; u != NULL && i < u->len; i++) {
		const struct jmember *m = &u->u.members[i];
		for (size_t k = 0; k < sizeof(moves) / sizeof(moves[0]); k++) {
			if (strcmp(m->key, moves[k]) != 0)
				continue;
			char ptr[128];
			json_ptr_set(ptr, sizeof(ptr), "/linux/resources/unified");
			json_ptr_append(ptr, sizeof(ptr), m->key, m->klen);
			check_add(c, ptr, "linux.resources.unified writes %s: the runtime moves "
				  "the processes it names (any of the host's) into the container's "
				  "cgroup, where its limits apply to them and kill --all, pause "
				  "and delete reach them", m->key);
		}
	}
}

void check_cgroup_shared(struct check_ctx *c)
{
	const struct jval *cp = jobj_get(c->s->linux_, "cgroupsPath");
	/* The answer reads the host, about 40 system calls on a v1 host: the
	 * fixes never change cgroupsPath, so the judgement after them asks
	 * the same question of the same host and takes the first answer. */
	static char *memo_path;
	static char memo_where[PATH_MAX];
	static bool memo_shared;

	check_cgroup_unified(c);
	if (cp == NULL || cp->type != J_STRING || cp->len == 0)
		return;
	const char *path = cp->u.str;
	if (memo_path == NULL || strcmp(memo_path, path) != 0) {
		free(memo_path);
		memo_path = xstrdup(path);
		memo_where[0] = '\0';
		memo_shared = cgroup_shared(path, c->s->init_pid, memo_where,
					    sizeof(memo_where));
	}
	if (memo_shared)
		check_add(c, "/linux/cgroupsPath", "linux.cgroupsPath %s is a cgroup that "
			  "holds other processes (%s): runc joins it, sets the container's "
			  "limits on them, and kill --all, pause and delete reach them",
			  path, memo_where);
}

/* ----------------------------- shared with the mounted view (checks_mounted.c) */

const char *check_door_node(mode_t mode, dev_t rdev)
{
	if (!door_node(mode, rdev))
		return NULL;
	return S_ISBLK(mode) ? "a block device" : mem_device(major(rdev), minor(rdev));
}

const char *check_kernel_fs(const char *type, bool *device)
{
	const struct kernel_fs *t = below_type(type);

	if (t == NULL)
		return NULL;
	*device = t->device;
	return t->what;
}
