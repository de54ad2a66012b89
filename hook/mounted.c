/* SPDX-License-Identifier: Apache-2.0 */
#include "mounted.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "hostmount.h"
#include "policy.h"
#include "spec.h"
#include "util.h"

#ifndef STATX_MNT_ID
#define STATX_MNT_ID 0x00001000U
#endif
#ifndef STATX_ATTR_MOUNT_ROOT
#define STATX_ATTR_MOUNT_ROOT 0x00002000
#endif

/* What one open object is. */
struct facts {
	mode_t mode;
	dev_t dev, rdev;
	ino_t ino;
	uint64_t mnt_id;   /* mountinfo's (old) id, which hostmount_below gives */
	bool mount_root;
	bool readonly;
};

static int facts_of(int fd, struct facts *f, struct oh_error *err, const char *what)
{
	struct statx sx;
	struct statvfs vfs;

	if (statx(fd, "", AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW,
		  STATX_TYPE | STATX_INO | STATX_MNT_ID, &sx) < 0)
		return oh_err(err, errno, "%s: cannot stat what the runtime mounted", what);
	if (!(sx.stx_mask & STATX_MNT_ID) ||
	    !(sx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT))
		return oh_err(err, 0, "%s: the kernel does not say which mount it is on", what);
	if (fstatvfs(fd, &vfs) < 0)
		return oh_err(err, errno, "%s: cannot read its mount's flags", what);
	*f = (struct facts){
		.mode = sx.stx_mode, .ino = sx.stx_ino, .mnt_id = sx.stx_mnt_id,
		.dev = makedev(sx.stx_dev_major, sx.stx_dev_minor),
		.rdev = makedev(sx.stx_rdev_major, sx.stx_rdev_minor),
		.mount_root = (sx.stx_attributes & STATX_ATTR_MOUNT_ROOT) != 0,
		.readonly = (vfs.f_flag & ST_RDONLY) != 0,
	};
	return 0;
}

/* Opens path below the container's root as runc resolves a destination:
 * symlinks followed, but never out of the root. */
static int open_in_root(int rootfd, const char *path, bool follow)
{
	struct open_how how = { .flags = O_PATH | O_CLOEXEC,
				.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS |
					   (follow ? 0 : RESOLVE_NO_SYMLINKS) };

	while (*path == '/')
		path++;
	return (int)syscall(SYS_openat2, rootfd, *path ? path : ".", &how, sizeof(how));
}

static int real_path_of(int fd, char *out, size_t cap)
{
	char link[64];

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	ssize_t n = readlink(link, out, cap - 1);
	if (n < 0 || (size_t)n >= cap - 1)
		return -1;
	out[n] = '\0';
	return out[0] == '/' ? 0 : -1;
}

/* The kernel's own views a config mounts by type: their superblocks may be
 * the host's (sysfs in the host's network namespace, cgroup2), and the
 * config's rules judge them (sensitive-mounts' sysfs and proc rules). */
static bool kernel_view_type(const struct spec_mount *m)
{
	static const char *const types[] = { "proc", "sysfs", "cgroup", "cgroup2" };

	if (m->bind)
		return false;
	for (size_t i = 0; i < sizeof(types) / sizeof(*types); i++)
		if (strcmp(m->type, types[i]) == 0)
			return true;
	return false;
}

static void add_obj(struct mounted_view *v, size_t *cap, const struct mounted_obj *o)
{
	if (v->nobjs == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		v->objs = xrealloc(v->objs, *cap * sizeof(*v->objs));
	}
	v->objs[v->nobjs++] = *o;
}

static void set_facts(struct mounted_obj *o, const struct facts *f)
{
	o->seen = true;
	o->mode = f->mode;
	o->dev = f->dev;
	o->rdev = f->rdev;
	o->ino = f->ino;
	o->readonly = f->readonly;
}

/* ------------------------------------------------- the sensitive paths */

static void add_ident(struct mounted_view *v, size_t *cap, const char *path, bool above)
{
	struct stat st;

	/* A path missing on this host names nothing anything could be. */
	if (stat(path, &st) < 0)
		return;
	if (v->nids == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		v->ids = xrealloc(v->ids, *cap * sizeof(*v->ids));
	}
	v->ids[v->nids++] = (struct mounted_ident){ st.st_dev, st.st_ino, path, above };
}

static int by_ident(const void *a, const void *b)
{
	const struct mounted_ident *x = a, *y = b;

	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	if (x->ino != y->ino)
		return x->ino < y->ino ? -1 : 1;
	/* An entry before a path above one, for the same object. */
	return (int)x->above - (int)y->above;
}

void mounted_ident_sort(struct mounted_view *v)
{
	if (v->nids > 1)
		qsort(v->ids, v->nids, sizeof(*v->ids), by_ident);
}

const struct mounted_ident *mounted_ident_find(const struct mounted_view *v, dev_t dev,
					       ino_t ino)
{
	size_t lo = 0, hi = v->nids;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct mounted_ident *m = &v->ids[mid];
		if (m->dev < dev || (m->dev == dev && m->ino < ino))
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < v->nids && v->ids[lo].dev == dev && v->ids[lo].ino == ino)
		return &v->ids[lo];
	return NULL;
}

/* Whether path is the root of a mount of its own (/proc, /sys, /dev). */
static bool mount_root_at(const char *path, dev_t *dev)
{
	struct statx sx;

	if (statx(AT_FDCWD, path, 0, STATX_TYPE, &sx) < 0 ||
	    !(sx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT) ||
	    !(sx.stx_attributes & STATX_ATTR_MOUNT_ROOT))
		return false;
	*dev = makedev(sx.stx_dev_major, sx.stx_dev_minor);
	return true;
}

/*
 * The host's sensitive paths by identity: pivot_root has not happened, so
 * the host's "/" and everything below it are where the host has them (the
 * mount namespace is a copy of the runtime's).  An entry, a path above one,
 * and a tree that is a file system of its own (/proc, /sys: everything on
 * it) each; a tree that is a directory of a larger file system only as
 * itself.
 */
static void read_sensitive(const struct policy *p, struct mounted_view *v)
{
	size_t cap = 0;

	for (size_t i = 0; i < p->sensitive.n; i++)
		add_ident(v, &cap, p->sensitive.v[i], false);
	for (size_t i = 0; i < p->sensitive_above.n; i++)
		add_ident(v, &cap, p->sensitive_above.v[i], true);
	for (size_t i = 0; i < p->sensitive_trees.n; i++) {
		dev_t dev;
		add_ident(v, &cap, p->sensitive_trees.v[i], false);
		if (!mount_root_at(p->sensitive_trees.v[i], &dev))
			continue;
		v->trees = xrealloc(v->trees, (v->ntrees + 1) * sizeof(*v->trees));
		v->trees[v->ntrees++] = (struct mounted_tree){ dev, p->sensitive_trees.v[i] };
	}
	mounted_ident_sort(v);
	v->have_devdev = mount_root_at("/dev", &v->devdev);
}

/* --------------------------------------------- the mounts below the root */

struct carried {
	uint64_t id;
	char *type, *point;
};

struct below_list {
	struct carried *v;
	size_t n, cap;
};

static void collect(void *arg, const struct hostmount *m)
{
	struct below_list *l = arg;

	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	l->v[l->n++] = (struct carried){ m->id, xstrdup(m->type), xstrdup(m->point) };
}

/* Each config mount's destination where the kernel names it, and its mount. */
struct dest {
	char *real;
	uint64_t mnt_id;
	char *fstype;     /* the file system mounted there, from mountinfo */
	bool cgroup;      /* runc makes the hierarchies below it */
	bool view;        /* a kernel view mounted by type (proc, sysfs) ... */
	dev_t dev;        /* ... on this file system */
};

/* A mount the config asked for, by its id: index -1 for the root. */
struct own_id {
	uint64_t id;
	int index;
};

static int by_own_id(const void *a, const void *b)
{
	uint64_t x = ((const struct own_id *)a)->id, y = ((const struct own_id *)b)->id;

	return x < y ? -1 : x > y;
}

/* The config mounts by where the kernel names their destinations (then
 * by index, so that of two at one place the later, on top, is found). */
struct by_real {
	const char *real;
	int index;
};

static int cmp_real(const void *a, const void *b)
{
	const struct by_real *x = a, *y = b;
	int c = strcmp(x->real, y->real);

	return c != 0 ? c : x->index - y->index;
}

/*
 * The config mount whose destination holds point most closely, or -1: its
 * ancestors looked up, deepest first, among the destinations sorted, so a
 * config with many mounts and many carried ones costs the sum of their
 * sizes times a logarithm, not their product.
 */
static int holder(const struct by_real *sorted, size_t n, const char *point)
{
	char path[PATH_MAX];

	if (snprintf(path, sizeof(path), "%s", point) >= (int)sizeof(path))
		return -1;
	for (size_t len = strlen(path); len > 0;) {
		path[len] = '\0';
		size_t lo = 0, hi = n;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (strcmp(sorted[mid].real, path) <= 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		/* lo - 1: the last whose path is at most this one. */
		if (lo > 0 && strcmp(sorted[lo - 1].real, path) == 0)
			return sorted[lo - 1].index;
		char *slash = strrchr(path, '/');
		if (slash == NULL)
			break;
		len = slash == path ? (len > 1 ? 1 : 0) : (size_t)(slash - path);
	}
	return -1;
}

static int read_carried(int rootfd, struct mounted_view *v, size_t *cap,
			struct dest *d, size_t nd, uint64_t root_id,
			struct oh_error *err)
{
	struct below_list l = { 0 };
	size_t rootlen = strlen(v->root);
	int rc = 0;

	if (hostmount_below(v->root, collect, &l, err) < 0)
		return oh_err_wrap(err, "the mounts below root.path %s", v->root);
	/* The config's own mounts, by id: sorted for a binary search, so
	 * that a config with many mounts costs n log n, not n squared. */
	struct own_id *ids = xcalloc(nd + 1, sizeof(*ids));
	struct by_real *sorted = xcalloc(nd + 1, sizeof(*sorted));
	size_t ns = 0;
	for (size_t i = 0; i < nd; i++) {
		ids[i] = (struct own_id){ d[i].mnt_id, (int)i };
		if (d[i].real != NULL)
			sorted[ns++] = (struct by_real){ d[i].real, (int)i };
	}
	ids[nd] = (struct own_id){ root_id, -1 };
	qsort(ids, nd + 1, sizeof(*ids), by_own_id);
	qsort(sorted, ns, sizeof(*sorted), cmp_real);
	for (size_t i = 0; i < l.n && rc == 0; i++) {
		const struct carried *c = &l.v[i];
		const struct own_id *own = bsearch(&(struct own_id){ c->id, 0 }, ids, nd + 1,
						   sizeof(*ids), by_own_id);
		if (own != NULL) {
			/* A config mount's own file system (every config mount
			 * at one destination shares its top mount's id). */
			while (own > ids && own[-1].id == c->id)
				own--;
			for (; own < ids + nd + 1 && own->id == c->id; own++)
				if (own->index >= 0 && d[own->index].fstype == NULL)
					d[own->index].fstype = xstrdup(c->type);
			continue;
		}
		int at = holder(sorted, ns, c->point);
		/* runc's cgroup v1 hierarchies below a cgroup mount: the
		 * config asked for them by that mount. */
		if (at >= 0 && d[at].cgroup)
			continue;
		const char *inner = c->point + rootlen;
		struct mounted_obj o = { .kind = MO_CARRIED, .index = at,
					 .where = xstrdup(*inner ? inner : "/"),
					 .type = xstrdup(c->type), .by_identity = true };
		/* Its mount point as the kernel wrote it: no symlink on the
		 * way (one there would lead elsewhere, to a mount that covers
		 * it or to none). */
		cleanup_close int fd = open_in_root(rootfd, inner, false);
		struct facts f;
		if (fd >= 0) {
			if (facts_of(fd, &f, err, o.where) < 0)
				rc = -1;
			else if (f.mnt_id == c->id)
				set_facts(&o, &f);
		}
		/* A part of the container's own proc or sysfs bound again
		 * (crun makes readonlyPaths so before this hook runs): the
		 * config's mount, judged by the config's rules. */
		if (o.seen && at >= 0 && d[at].view && o.dev == d[at].dev) {
			free(o.where);
			free(o.type);
			continue;
		}
		add_obj(v, cap, &o);
	}
	free(ids);
	free(sorted);
	for (size_t i = 0; i < l.n; i++) {
		free(l.v[i].type);
		free(l.v[i].point);
	}
	free(l.v);
	return rc;
}

/* ------------------------------------------------------------- reading */

/* The destinations of a config's mounts, freed on every way out. */
struct dests {
	struct dest *v;
	uint32_t n;
};

static void dests_free(struct dests *d)
{
	for (uint32_t i = 0; i < d->n; i++) {
		free(d->v[i].real);
		free(d->v[i].fstype);
	}
	free(d->v);
}

/* mounts[i], at its destination: what the runtime made of it. */
static int read_config_mount(int rootfd, const struct spec_mount *m, uint32_t i,
			     struct mounted_view *v, size_t *cap, struct dest *d,
			     struct oh_error *err)
{
	char real[PATH_MAX];
	struct facts f;
	cleanup_close int fd = open_in_root(rootfd, m->destination, true);

	if (fd < 0)
		return oh_err(err, errno, "mounts[%u] (%s): cannot open what the runtime "
			      "mounted there", i, m->destination);
	if (facts_of(fd, &f, err, m->destination) < 0)
		return -1;
	if (!f.mount_root)
		return oh_err(err, 0, "mounts[%u] (%s) is not mounted: this stage must run as "
			      "a createContainer hook, after the runtime's mounts", i,
			      m->destination);
	struct mounted_obj o = { .kind = MO_CONFIG, .index = (int)i,
				 .where = xstrdup(m->destination),
				 .by_identity = !kernel_view_type(m) };
	set_facts(&o, &f);
	add_obj(v, cap, &o);
	if (real_path_of(fd, real, sizeof(real)) == 0)
		d->real = xstrdup(real);
	d->mnt_id = f.mnt_id;
	d->cgroup = !m->bind && strcmp(m->type, "cgroup") == 0;
	d->view = kernel_view_type(m);
	d->dev = f.dev;
	return 0;
}

int mounted_read(const struct spec *s, int bundle_fd, const struct policy *p,
		 struct mounted_view *v, struct oh_error *err)
{
	char real[PATH_MAX];
	size_t cap = 0;
	struct facts f;
	uint32_t n = s->mounts ? s->mounts->len : 0;

	memset(v, 0, sizeof(*v));
	if (s->root_path == NULL)
		return oh_err(err, 0, "config.json has no root.path");
	cleanup_close int rootfd = openat(bundle_fd >= 0 ? bundle_fd : AT_FDCWD,
					  s->root_path->u.str, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		return oh_err(err, errno, "cannot open root.path %s", s->root_path->u.str);
	if (real_path_of(rootfd, real, sizeof(real)) < 0)
		return oh_err(err, 0, "root.path %s: /proc/self/fd does not name it",
			      s->root_path->u.str);
	if (facts_of(rootfd, &f, err, "root.path") < 0)
		return -1;
	/* runc and crun bind the rootfs onto itself first: where it is no
	 * mount root, the runtime has not mounted anything yet, and this
	 * judgement would see the host's directories instead. */
	if (!f.mount_root)
		return oh_err(err, 0, "root.path %s is not mounted: this stage judges what "
			      "the runtime mounted and must run as a createContainer hook, "
			      "in the container's mount namespace", real);
	v->root = xstrdup(real);
	read_sensitive(p, v);
	add_obj(v, &cap, &(struct mounted_obj){ .kind = MO_ROOT, .index = -1,
						.where = xstrdup("/"), .by_identity = true });
	set_facts(&v->objs[0], &f);
	/* The root's file system too: root.path swapped to a link to a
	 * cgroup hierarchy, with binds onto its directories, would be a
	 * container whose / is the host's kernel interface.  On the mount
	 * of "/" it is the host's /, which its identity names. */
	struct hostmount_path hp;
	if (hostmount_path_of(rootfd, real, &hp, err) < 0)
		return oh_err_wrap(err, "root.path %s", real);
	bool known = hp.known && (hp.on_root || hp.m != NULL);
	if (known && !hp.on_root)
		v->objs[0].type = xstrdup(hp.m->type);
	hostmount_path_free(&hp);
	if (!known)
		return oh_err(err, 0, "root.path %s: the kernel does not say which mount it is "
			      "on, so what file system it is cannot be judged", real);

	__attribute__((cleanup(dests_free))) struct dests d = {
		.v = xcalloc(n ? n : 1, sizeof(*d.v)), .n = n };
	for (uint32_t i = 0; i < n; i++)
		if (read_config_mount(rootfd, &s->mount[i], i, v, &cap, &d.v[i], err) < 0)
			return -1;
	if (read_carried(rootfd, v, &cap, d.v, n, f.mnt_id, err) < 0)
		return -1;
	/* What file system each config mount's object is on: a bind source
	 * harmless at the config's judgement and a link to a kernel file
	 * system at the runtime's mount (a cgroup v1 hierarchy below /sys,
	 * debugfs, bpf) is that file system, whatever its device.  The
	 * mounts the config makes by type were judged as entries of that
	 * type; another type at their destination is judged as mounted. */
	for (uint32_t i = 0; i < n; i++) {
		const struct spec_mount *m = &s->mount[i];
		struct mounted_obj *o = &v->objs[1 + i];
		if (d.v[i].fstype == NULL)
			return oh_err(err, 0, "mounts[%u] (%s): mountinfo does not show the mount "
				      "there, so what file system it is cannot be judged", i,
				      m->destination);
		if (!m->bind && (d.v[i].view || strcmp(m->type, d.v[i].fstype) == 0))
			continue;
		o->type = xstrdup(d.v[i].fstype);
	}
	return 0;
}

void mounted_free(struct mounted_view *v)
{
	for (size_t i = 0; i < v->nobjs; i++) {
		free(v->objs[i].where);
		free(v->objs[i].type);
	}
	free(v->objs);
	free(v->ids);
	free(v->trees);
	free(v->root);
	memset(v, 0, sizeof(*v));
}
