/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The host's mounts, one at a time (hostmount.h).  statmount(2) and its
 * structures are declared here: Debian 12's glibc and kernel headers
 * predate them.  The layout is the kernel's uapi (include/uapi/linux/
 * mount.h): a fixed part of 512 bytes, then the strings, which the fixed
 * part names by their offsets from its end.
 */
#include "hostmount.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "util.h"

#ifndef STATX_MNT_ID
#define STATX_MNT_ID 0x00001000U
#endif
#ifndef STATX_MNT_ID_UNIQUE
#define STATX_MNT_ID_UNIQUE 0x00004000U   /* Linux 6.8: the id statmount takes */
#endif

/* statmount is 457 in the table every architecture but alpha and mips
 * shares; elsewhere only the fallback is used. */
#if defined(__NR_statmount)
#define OH_NR_STATMOUNT __NR_statmount
#elif (defined(__x86_64__) && !defined(__ILP32__)) || defined(__i386__) || \
	defined(__aarch64__) || defined(__arm__) || defined(__riscv) || \
	defined(__powerpc__) || defined(__s390__) || defined(__loongarch__)
#define OH_NR_STATMOUNT 457
#endif

struct oh_mnt_id_req {
	uint32_t size;   /* 24: the first published size */
	uint32_t spare;
	uint64_t mnt_id;
	uint64_t param;  /* what is asked for: SM_* */
};

struct oh_statmount {
	uint32_t size;      /* what the kernel wrote, strings included */
	uint32_t mnt_opts;  /* [str] the file system's options, escaped (6.11) */
	uint64_t mask;      /* what was written */
	uint32_t sb_dev_major, sb_dev_minor;
	uint64_t sb_magic;
	uint32_t sb_flags;
	uint32_t fs_type;   /* [str] */
	uint64_t mnt_id, mnt_parent_id;
	uint32_t mnt_id_old, mnt_parent_id_old;   /* mountinfo's ids */
	uint64_t mnt_attr, mnt_propagation, mnt_peer_group, mnt_master, propagate_from;
	uint32_t mnt_root;  /* [str] the mount's root in its file system */
	uint32_t mnt_point; /* [str] where it is mounted, from the caller's root */
	uint64_t mnt_ns_id;
	uint64_t spare[49]; /* fields of later kernels, unused here */
};
_Static_assert(sizeof(struct oh_mnt_id_req) == 24, "mnt_id_req, version 0");
_Static_assert(sizeof(struct oh_statmount) == 512, "statmount's fixed part");
_Static_assert(offsetof(struct oh_statmount, sb_dev_major) == 16, "statmount layout");
_Static_assert(offsetof(struct oh_statmount, fs_type) == 36, "statmount layout");
_Static_assert(offsetof(struct oh_statmount, mnt_id_old) == 56, "statmount layout");
_Static_assert(offsetof(struct oh_statmount, mnt_root) == 104, "statmount layout");
_Static_assert(offsetof(struct oh_statmount, mnt_ns_id) == 112, "statmount layout");

enum {
	SM_SB_BASIC = 0x1, SM_MNT_BASIC = 0x2, SM_MNT_ROOT = 0x8, SM_MNT_POINT = 0x10,
	SM_FS_TYPE = 0x20, SM_MNT_OPTS = 0x80,
	SM_NEEDED = SM_SB_BASIC | SM_MNT_BASIC | SM_MNT_ROOT | SM_MNT_POINT | SM_FS_TYPE,
};

static bool force_mountinfo;
static bool no_statmount;   /* the kernel answered ENOSYS */
static bool no_mnt_opts;    /* the kernel refused STATMOUNT_MNT_OPTS (6.8 to 6.10) */

static bool mi_read;

void hostmount_force_mountinfo(bool on)
{
	force_mountinfo = on;
	mi_read = false;   /* a test's mounts since are read */
}

static bool statmount_usable(void)
{
#ifdef OH_NR_STATMOUNT
	return !force_mountinfo && !no_statmount;
#else
	return false;
#endif
}

/* ------------------------------------------------------- path arithmetic */

/* a joined with rest ("" or starting with a slash). */
static bool join(const char *a, const char *rest, char *out, size_t cap)
{
	int w;

	if (rest[0] == '\0')
		w = snprintf(out, cap, "%s", a);
	else if (strcmp(a, "/") == 0)
		w = snprintf(out, cap, "%s", rest);
	else
		w = snprintf(out, cap, "%s%s", a, rest);
	return w > 0 && (size_t)w < cap;
}

bool hostmount_inner(const char *root, const char *point, const char *path,
		     char *out, size_t cap)
{
	size_t n = strcmp(point, "/") == 0 ? 0 : strlen(point);

	if (path[0] != '/' || strncmp(path, point, n) != 0 || (path[n] != '\0' && path[n] != '/'))
		return false;
	const char *rest = path + n;
	if (strcmp(rest, "/") == 0)
		rest = "";
	return join(root, rest, out, cap);
}

bool hostmount_outer(const char *root, const char *point, const char *inner,
		     char *out, size_t cap)
{
	/* The same arithmetic, the other way round. */
	return hostmount_inner(point, root, inner, out, cap);
}

/* Whether root covers inner (is it or an ancestor of it). */
static bool covers(const char *root, const char *inner)
{
	size_t n = strlen(root);

	if (strcmp(root, "/") == 0)
		return inner[0] == '/';
	return strncmp(root, inner, n) == 0 && (inner[n] == '\0' || inner[n] == '/');
}

/* ------------------------------------------------------- overlay options */

void hostmount_unescape(char *s)
{
	char *w = s;

	for (const char *r = s; *r; r++) {
		if (r[0] == '\\' && r[1] >= '0' && r[1] <= '3' && r[2] >= '0' && r[2] <= '7' &&
		    r[3] >= '0' && r[3] <= '7') {
			*w++ = (char)((r[1] - '0') * 64 + (r[2] - '0') * 8 + (r[3] - '0'));
			r += 3;
		} else {
			*w++ = *r;
		}
	}
	*w = '\0';
}

/* Overlay's own escape, in place: a backslash takes the next byte. */
static void ovl_unescape(char *s)
{
	char *w = s;

	for (const char *r = s; *r; r++) {
		if (*r == '\\' && r[1] != '\0')
			r++;
		*w++ = *r;
	}
	*w = '\0';
}

enum dir_kind { DIR_LIST, DIR_ESCAPED, DIR_LITERAL };

static int pass_dir(char *dir, enum dir_kind kind, const char *name, hostmount_dir_fn fn,
		    void *arg, struct oh_error *err)
{
	if (kind != DIR_LITERAL)
		ovl_unescape(dir);
	if (dir[0] == '\0')
		return 0;
	if (strlen(dir) >= PATH_MAX)
		return oh_err(err, 0, "an overlay's %s is longer than %d bytes", name, PATH_MAX);
	fn(arg, name, dir);
	return 0;
}

int hostmount_overlay_dirs(const char *opts, size_t len, bool shown,
			   hostmount_dir_fn fn, void *arg, struct oh_error *err)
{
	static const struct { const char *key; const char *name; enum dir_kind kind; } keys[] = {
		{ "lowerdir=", "lowerdir", DIR_LIST },
		{ "upperdir=", "upperdir", DIR_ESCAPED },
		{ "workdir=", "workdir", DIR_ESCAPED },
		/* Linux 6.8: one layer each, no escapes (ovl_mount_dir_noesc). */
		{ "lowerdir+=", "lowerdir", DIR_LITERAL },
		{ "datadir+=", "datadir", DIR_LITERAL },
	};
	const char *end = opts + len;

	for (const char *o = opts; o < end;) {
		const char *e = o;
		/* The kernel shows a comma in a value as \054; in mount(2)'s data
		 * a backslash keeps one (ovl_next_opt). */
		if (shown) {
			e = memchr(o, ',', (size_t)(end - o));
			if (e == NULL)
				e = end;
		} else {
			for (; e < end && *e != ','; e++) {
				if (*e != '\\')
					continue;
				/* A backslash that ends the text would escape the
				 * comma runc joins the next option with: the kernel
				 * reads both as one (lowerdir=/a\ and :/etc as
				 * lowerdir=/a,:/etc), which no option alone shows. */
				if (e + 1 == end)
					return oh_err(err, 0, "an overlay option ends with a backslash, "
						      "which joins it with the next");
				e++;
			}
		}
		size_t n = (size_t)(e - o);
		o = e < end ? e + 1 : end;
		size_t q = 0, kn = 0;
		for (; q < sizeof(keys) / sizeof(keys[0]); q++)
			if (n >= (kn = strlen(keys[q].key)) && memcmp(e - n, keys[q].key, kn) == 0)
				break;
		if (q == sizeof(keys) / sizeof(keys[0]))
			continue;
		cleanup_free char *v = xmalloc(n - kn + 1);
		memcpy(v, e - n + kn, n - kn);
		v[n - kn] = '\0';
		if (shown)
			hostmount_unescape(v);
		if (keys[q].kind != DIR_LIST) {
			if (pass_dir(v, keys[q].kind, keys[q].name, fn, arg, err) < 0)
				return -1;
			continue;
		}
		/* A list: split at colons no backslash escapes; "::" (an empty
		 * piece) comes before the data-only layers. */
		for (char *p = v, *r = v;; r++) {
			if (*r == '\\' && r[1] != '\0') {
				r++;
				continue;
			}
			if (*r != ':' && *r != '\0')
				continue;
			bool last = *r == '\0';
			*r = '\0';
			if (pass_dir(p, DIR_LIST, keys[q].name, fn, arg, err) < 0)
				return -1;
			if (last)
				break;
			p = r + 1;
		}
	}
	return 0;
}

/* ---------------------------------------------------------- the mounts */

/* One block: the struct, then its strings. */
static struct hostmount *mount_new(uint64_t id, unsigned major, unsigned minor,
				   const char *type, const char *root, const char *point,
				   const char *opts)
{
	size_t lt = strlen(type) + 1, lr = strlen(root) + 1, lp = strlen(point) + 1,
	       lo = strlen(opts) + 1;
	struct hostmount *m = xmalloc(sizeof(*m) + lt + lr + lp + lo);
	char *s = (char *)(m + 1);

	m->id = id;
	m->major = major;
	m->minor = minor;
	m->type = memcpy(s, type, lt);
	m->root = memcpy(s + lt, root, lr);
	m->point = memcpy(s + lt + lr, point, lp);
	m->opts = memcpy(s + lt + lr + lp, opts, lo);
	return m;
}

/* The mounts looked up, by id and kind of id (statmount's unique ids and
 * mountinfo's are different numbers): a hash table, since a config may
 * name sources on many mounts. */
struct slot {
	uint64_t id;
	bool unique;
	const struct hostmount *m;
};
static struct slot *slots;
static size_t slots_cap, slots_fill;

static struct slot *slot_find(uint64_t id, bool unique)
{
	size_t i = (size_t)((id ^ (unique ? 0x9e3779b97f4a7c15ull : 0)) * 0x9e3779b97f4a7c15ull >> 20) &
		   (slots_cap - 1);

	while (slots[i].m != NULL && (slots[i].id != id || slots[i].unique != unique))
		i = (i + 1) & (slots_cap - 1);
	return &slots[i];
}

static const struct hostmount *cached(uint64_t id, bool unique)
{
	return slots_cap ? slot_find(id, unique)->m : NULL;
}

static void remember(uint64_t id, bool unique, const struct hostmount *m)
{
	if (2 * (slots_fill + 1) > slots_cap) {
		struct slot *old = slots;
		size_t old_cap = slots_cap;
		slots_cap = slots_cap ? slots_cap * 2 : 64;
		slots = xcalloc(slots_cap, sizeof(*slots));
		for (size_t i = 0; i < old_cap; i++)
			if (old[i].m != NULL)
				*slot_find(old[i].id, old[i].unique) = old[i];
		free(old);
	}
	/* mountinfo's ids are reused after an unmount; a process that judges
	 * one config does not live long enough to see that matter. */
	struct slot *s = slot_find(id, unique);
	if (s->m == NULL) {
		*s = (struct slot){ .id = id, .unique = unique, .m = m };
		slots_fill++;
	}
}

/* mountinfo's ids are reused after an unmount: those remembered from an
 * older reading of the text are forgotten when it is read again. */
static void forget_old_ids(void)
{
	struct slot *old = slots;
	size_t old_cap = slots_cap;

	if (old_cap == 0)
		return;
	/* The mounts forgotten stay where they are: a caller may hold one
	 * (hostmount_path's m lives as long as the process). */
	static const struct hostmount **kept;
	static size_t nkept, room;
	slots = xcalloc(slots_cap, sizeof(*slots));
	slots_fill = 0;
	for (size_t i = 0; i < old_cap; i++) {
		if (old[i].m != NULL && old[i].unique) {
			*slot_find(old[i].id, true) = old[i];
			slots_fill++;
		} else if (old[i].m != NULL) {
			if (nkept == room) {
				room = room ? 2 * room : 64;
				kept = xrealloc(kept, room * sizeof(*kept));
			}
			kept[nkept++] = old[i].m;
		}
	}
	free(old);
}

bool hostmount_parse_line(char *line, struct hostmount *m)
{
	char *f[6], *p = line;
	unsigned long long id;
	unsigned major, minor;

	line[strcspn(line, "\n")] = '\0';
	for (int i = 0; i < 6; i++) {
		f[i] = strsep(&p, " ");
		if (f[i] == NULL)
			return false;
	}
	/* Optional fields (shared:N, master:N) up to a lone "-". */
	char *sep;
	do
		sep = strsep(&p, " ");
	while (sep != NULL && strcmp(sep, "-") != 0);
	char *type = strsep(&p, " "), *source = strsep(&p, " "), *super = strsep(&p, " ");
	if (sep == NULL || type == NULL || source == NULL)
		return false;
	char *endp;
	errno = 0;
	id = strtoull(f[0], &endp, 10);
	if (errno || *endp || sscanf(f[2], "%u:%u", &major, &minor) != 2)
		return false;
	hostmount_unescape(f[3]);
	hostmount_unescape(f[4]);
	hostmount_unescape(type);
	*m = (struct hostmount){ .id = id, .major = major, .minor = minor, .type = type,
				 .root = f[3], .point = f[4], .opts = super ? super : "" };
	return true;
}

/*
 * /proc/self/mountinfo's text, read once (again for a mount made since):
 * the fallback's answers, and the other mounts of a file system.  Lines
 * are parsed only where their id or device is the one sought, so a host
 * with many containers costs one read and a scan.
 */
static struct oh_buf mi;
static void forget_indexes(void);

static int mi_load(bool again, struct oh_error *err)
{
	if (mi_read && !again)
		return 0;
	mi.len = 0;
	if (oh_read_at(AT_FDCWD, "/proc/self/mountinfo", 64u << 20, &mi) < 0)
		return oh_err(err, errno, "/proc/self/mountinfo");
	mi_read = true;
	forget_old_ids();
	forget_indexes();
	return 0;
}

/* The line at l (up to a newline) parsed into a new mount, or NULL. */
static const struct hostmount *mi_parse(const char *l, const char *nl)
{
	cleanup_free char *copy = xmalloc((size_t)(nl - l) + 1);
	struct hostmount h;

	memcpy(copy, l, (size_t)(nl - l));
	copy[nl - l] = '\0';
	if (!hostmount_parse_line(copy, &h))
		return NULL;
	return mount_new(h.id, h.major, h.minor, h.type, h.root, h.point, h.opts);
}

static const char *line_end(const char *l)
{
	const char *nl = memchr(l, '\n', (size_t)(mi.data + mi.len - l));

	return nl ? nl : mi.data + mi.len;
}

/*
 * Indexes of mountinfo's text, built when first needed after each reading
 * of it: its lines by mount id (offsets: a line is parsed when its mount
 * is sought), and the mounts of each device sought so far by device and
 * root, so that the mounts whose root holds a path are found by looking up
 * the path's ancestors (its depth) rather than reading the host's mounts
 * for every path.  Each costs one pass over the text.
 */
struct id_line {
	uint64_t id;
	size_t off1;   /* 1 + the line's offset; 0: an empty slot */
};
static struct id_line *id_lines;
static size_t id_cap;

struct root_ent {
	const struct hostmount *m;
	uint64_t h;
	size_t next;   /* 1 + the next in its chain, 0 at the end */
};
static struct root_ent *by_root;
static size_t *root_heads, root_cap, n_by_root, room_by_root;   /* root_heads: 1 + first */
static uint64_t *devs_done;   /* the devices indexed, as makedev + 1 (0: empty) */
static size_t devs_cap, n_devs_done;

/* Mountinfo's mount points as it shows them (escaped), sorted, each with
 * its line: the mounts below a path are a range of them. */
struct point_line {
	const char *p;   /* into mi */
	size_t n;
	size_t line;     /* the line's offset */
};
static struct point_line *points;
static size_t n_points;
static bool points_built;

static void forget_indexes(void)
{
	free(points);
	points = NULL;
	n_points = 0;
	points_built = false;
	free(id_lines);
	id_lines = NULL;
	id_cap = 0;
	free(root_heads);
	root_heads = NULL;
	root_cap = n_by_root = 0;
	free(devs_done);
	devs_done = NULL;
	devs_cap = n_devs_done = 0;
}

static uint64_t mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	return x ^ (x >> 33);
}

/* id, parent and device at the start of a line; false for another shape. */
static bool line_head(const char *l, uint64_t *id, unsigned *major, unsigned *minor)
{
	char *e;

	*id = strtoull(l, &e, 10);
	if (e == l || *e != ' ')
		return false;
	strtoull(e + 1, &e, 10);
	if (*e != ' ')
		return false;
	*major = (unsigned)strtoul(e + 1, &e, 10);
	if (*e != ':')
		return false;
	*minor = (unsigned)strtoul(e + 1, &e, 10);
	return *e == ' ';
}

static void index_ids(void)
{
	size_t n = 0;

	if (id_lines != NULL)
		return;
	for (const char *l = mi.data, *end = mi.data + mi.len; l < end; l = line_end(l) + 1)
		n++;
	for (id_cap = 64; id_cap < 2 * n; id_cap *= 2)
		;
	id_lines = xcalloc(id_cap, sizeof(*id_lines));
	for (const char *l = mi.data, *end = mi.data + mi.len; l < end; l = line_end(l) + 1) {
		uint64_t id;
		unsigned major, minor;
		if (!line_head(l, &id, &major, &minor))
			continue;
		size_t i = mix(id) & (id_cap - 1);
		while (id_lines[i].off1 != 0 && id_lines[i].id != id)
			i = (i + 1) & (id_cap - 1);
		id_lines[i] = (struct id_line){ .id = id, .off1 = (size_t)(l - mi.data) + 1 };
	}
}

/* The mount of mountinfo's id, remembered; NULL when it has no line. */
static const struct hostmount *mi_find(uint64_t id)
{
	const struct hostmount *m = cached(id, false);

	if (m != NULL)
		return m;
	index_ids();
	size_t i = mix(id) & (id_cap - 1);
	while (id_lines[i].off1 != 0 && id_lines[i].id != id)
		i = (i + 1) & (id_cap - 1);
	if (id_lines[i].off1 == 0)
		return NULL;
	const char *l = mi.data + id_lines[i].off1 - 1;
	if ((m = mi_parse(l, line_end(l))) != NULL)
		remember(id, false, m);
	return m;
}

static uint64_t root_hash(unsigned major, unsigned minor, const char *root, size_t n)
{
	uint64_t h = 1469598103934665603ull ^ mix(((uint64_t)major << 32) | minor);

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)root[i]) * 1099511628211ull;
	return h;
}

static void root_insert(const struct hostmount *m)
{
	if (2 * (n_by_root + 1) > root_cap) {
		root_cap = root_cap ? 2 * root_cap : 64;
		free(root_heads);
		root_heads = xcalloc(root_cap, sizeof(*root_heads));
		for (size_t i = 0; i < n_by_root; i++) {
			size_t *head = &root_heads[by_root[i].h & (root_cap - 1)];
			by_root[i].next = *head;
			*head = i + 1;
		}
	}
	if (n_by_root == room_by_root) {
		room_by_root = room_by_root ? 2 * room_by_root : 64;
		by_root = xrealloc(by_root, room_by_root * sizeof(*by_root));
	}
	struct root_ent *e = &by_root[n_by_root];
	*e = (struct root_ent){ .m = m, .h = root_hash(m->major, m->minor, m->root, strlen(m->root)) };
	size_t *head = &root_heads[e->h & (root_cap - 1)];
	e->next = *head;
	*head = ++n_by_root;
}

/* The mounts of a device, into by_root once: one pass over the text, and
 * only the device's lines parsed. */
static void index_dev(unsigned major, unsigned minor)
{
	uint64_t key = (uint64_t)makedev(major, minor) + 1;

	if (2 * (n_devs_done + 1) > devs_cap) {
		uint64_t *old = devs_done;
		size_t old_cap = devs_cap;
		devs_cap = devs_cap ? 2 * devs_cap : 16;
		devs_done = xcalloc(devs_cap, sizeof(*devs_done));
		for (size_t i = 0; i < old_cap; i++) {
			if (old[i] == 0)
				continue;
			size_t j = mix(old[i]) & (devs_cap - 1);
			while (devs_done[j] != 0)
				j = (j + 1) & (devs_cap - 1);
			devs_done[j] = old[i];
		}
		free(old);
	}
	size_t j = mix(key) & (devs_cap - 1);
	while (devs_done[j] != 0 && devs_done[j] != key)
		j = (j + 1) & (devs_cap - 1);
	if (devs_done[j] == key)
		return;
	devs_done[j] = key;
	n_devs_done++;
	for (const char *l = mi.data, *end = mi.data + mi.len; l < end;) {
		const char *nl = line_end(l);
		uint64_t id;
		unsigned ma, mi_;
		if (line_head(l, &id, &ma, &mi_) && ma == major && mi_ == minor) {
			const struct hostmount *t = cached(id, false);
			if (t == NULL && (t = mi_parse(l, nl)) != NULL)
				remember(id, false, t);
			if (t != NULL)
				root_insert(t);
		}
		l = nl + 1;
	}
}

/* The mount of mountinfo's id: remembered, or from the text, read again
 * when the id is not in it (a mount made since). */
static int by_mountinfo(uint64_t id, const struct hostmount **out, struct oh_error *err)
{
	if ((*out = cached(id, false)) != NULL)
		return 0;
	bool had = mi_read;
	if (mi_load(false, err) < 0)
		return -1;
	if ((*out = mi_find(id)) == NULL && had) {
		if (mi_load(true, err) < 0)
			return -1;
		*out = mi_find(id);
	}
	if (*out == NULL)
		return oh_err(err, 0, "mount %llu is not in /proc/self/mountinfo",
			      (unsigned long long)id);
	return 0;
}

#ifdef OH_NR_STATMOUNT
static struct oh_statmount *smbuf;
static size_t smcap;

/* The string at offset off of the buffer the kernel filled, or NULL. */
static const char *sm_str(const struct oh_statmount *s, uint32_t off)
{
	const char *str = (const char *)(s + 1);
	size_t room = s->size > sizeof(*s) ? s->size - sizeof(*s) : 0;

	if (room > smcap - sizeof(*s))
		room = smcap - sizeof(*s);
	return off < room && memchr(str + off, '\0', room - off) ? str + off : NULL;
}

/* 0, -ENOSYS (no statmount to be had), or -1 with err filled. */
static int by_statmount(uint64_t id, const struct hostmount **out, struct oh_error *err)
{
	for (;;) {
		if (smcap == 0) {
			smcap = 16384;
			smbuf = xmalloc(smcap);
		}
		struct oh_mnt_id_req req = { .size = sizeof(req), .mnt_id = id,
					     .param = SM_NEEDED | (no_mnt_opts ? 0 : SM_MNT_OPTS) };
		if (syscall(OH_NR_STATMOUNT, &req, smbuf, smcap, 0) == 0)
			break;
		/* A kernel without statmount, or a seccomp filter that does not
		 * know it (EPERM is Docker's profiles' answer): mountinfo says the
		 * same.  Any other failure is the judgement's. */
		if (errno == ENOSYS || errno == EPERM)
			return -ENOSYS;
		if (errno == EOVERFLOW && smcap < (1u << 20)) {
			free(smbuf);
			smcap *= 4;
			smbuf = xmalloc(smcap);
			continue;
		}
		/* A kernel that knows no STATMOUNT_MNT_OPTS may refuse it. */
		if (errno == EINVAL && !no_mnt_opts) {
			no_mnt_opts = true;
			continue;
		}
		return oh_err(err, errno, "statmount of mount %llu", (unsigned long long)id);
	}
	const struct oh_statmount *s = smbuf;
	const char *type = sm_str(s, s->fs_type), *root = sm_str(s, s->mnt_root),
		   *point = sm_str(s, s->mnt_point);
	if ((s->mask & SM_NEEDED) != SM_NEEDED || type == NULL || root == NULL || point == NULL ||
	    point[0] != '/')
		return oh_err(err, 0, "statmount of mount %llu did not say its root, mount point "
			      "and type", (unsigned long long)id);
	const char *opts = (s->mask & SM_MNT_OPTS) ? sm_str(s, s->mnt_opts) : "";
	if (opts == NULL)
		return oh_err(err, 0, "statmount of mount %llu: options out of bounds",
			      (unsigned long long)id);
	/* Without options from the kernel (6.8 to 6.10) an overlay's layers
	 * are read from mountinfo, by the mount's old id. */
	if (!(s->mask & SM_MNT_OPTS) && strcmp(type, "overlay") == 0) {
		const struct hostmount *o;
		if (by_mountinfo(s->mnt_id_old, &o, err) < 0)
			return -1;
		*out = mount_new(id, s->sb_dev_major, s->sb_dev_minor, type, root, point, o->opts);
		return 0;
	}
	*out = mount_new(id, s->sb_dev_major, s->sb_dev_minor, type, root, point, opts);
	return 0;
}
#endif

/* statx's mount id of fd (path "" ) or of path, as statmount takes it when
 * it is used.  *id 0: the kernel gave none (before 5.8). */
static int mount_id(int dirfd, const char *path, struct statx *sx, bool *unique)
{
	unsigned want = (statmount_usable() ? STATX_MNT_ID_UNIQUE : STATX_MNT_ID) | STATX_TYPE;
	int flags = AT_STATX_DONT_SYNC | (path[0] ? 0 : AT_EMPTY_PATH);

	if (statx(dirfd, path, flags, want, sx) < 0)
		return -1;
	*unique = (sx->stx_mask & STATX_MNT_ID_UNIQUE) != 0;
	if (!*unique && !(sx->stx_mask & STATX_MNT_ID))
		sx->stx_mnt_id = 0;
	return 0;
}

/* The mount's facts by id: remembered, from statmount, or from the table. */
static int lookup(int fd, struct statx *sx, bool *unique, const struct hostmount **out,
		  struct oh_error *err)
{
	if ((*out = cached(sx->stx_mnt_id, *unique)) != NULL)
		return 0;
#ifdef OH_NR_STATMOUNT
	if (*unique) {
		int r = by_statmount(sx->stx_mnt_id, out, err);
		if (r == 0) {
			remember(sx->stx_mnt_id, true, *out);
			return 0;
		}
		if (r != -ENOSYS)
			return -1;
		/* A kernel without statmount: mountinfo's id, from now on. */
		no_statmount = true;
		if (mount_id(fd, "", sx, unique) < 0)
			return oh_err(err, errno, "statx");
		if ((*out = cached(sx->stx_mnt_id, *unique)) != NULL)
			return 0;
	}
#else
	(void)fd;
#endif
	return by_mountinfo(sx->stx_mnt_id, out, err);
}

/* The id of the mount of "/", of the kind asked for; 0 when unknown. */
static uint64_t root_id(bool unique)
{
	static uint64_t ids[2];
	static bool known[2];
	struct statx rx;

	if (!known[unique]) {
		known[unique] = true;
		if (statx(AT_FDCWD, "/", AT_STATX_DONT_SYNC,
			  unique ? STATX_MNT_ID_UNIQUE : STATX_MNT_ID, &rx) == 0 &&
		    (rx.stx_mask & (unique ? STATX_MNT_ID_UNIQUE : STATX_MNT_ID)))
			ids[unique] = rx.stx_mnt_id;
	}
	return ids[unique];
}

/* The mount of "/", looked up once. */
static int root_mount(const struct hostmount **out, struct oh_error *err)
{
	static const struct hostmount *root;

	if (root == NULL) {
		cleanup_close int fd = open("/", O_PATH | O_CLOEXEC | O_DIRECTORY);
		struct statx sx;
		bool unique;
		if (fd < 0 || mount_id(fd, "", &sx, &unique) < 0)
			return oh_err(err, errno, "/");
		if (lookup(fd, &sx, &unique, &root, err) < 0)
			return -1;
	}
	*out = root;
	return 0;
}

static bool same_dev(const struct hostmount *a, const struct hostmount *b)
{
	return a->major == b->major && a->minor == b->minor;
}

/* One more path of it, unless out has it already. */
static void add_alias(struct hostmount_path *out, const char *path)
{
	size_t n = strlen(path) + 1, used = 0;

	for (size_t i = 0; i < out->naliases; i++) {
		if (strcmp(out->aliases + used, path) == 0)
			return;
		used += strlen(out->aliases + used) + 1;
	}
	if (out->naliases == 0)
		snprintf(out->alias, sizeof(out->alias), "%s", path);
	out->aliases = xrealloc(out->aliases, used + n);
	memcpy(out->aliases + used, path, n);
	out->naliases++;
}

/* Mounts shown first: the one with the shortest root (most of the file
 * system), then the shortest mount point: the file system's main mount. */
static int main_first(const void *a, const void *b)
{
	const struct hostmount *x = *(const struct hostmount *const *)a,
			       *y = *(const struct hostmount *const *)b;
	size_t rx = strlen(x->root), ry = strlen(y->root), px = strlen(x->point),
	       py = strlen(y->point);

	if (rx != ry)
		return rx < ry ? -1 : 1;
	return px < py ? -1 : px > py;
}

/*
 * Every other path of inner, a path in m's file system, into out (the
 * mounts of the same device whose root holds it, the main mount first),
 * but real, the one it was found by.  The root file system's is the mount
 * of "/" when that holds inner; another file system's needs the table:
 * every mount of it names the directory, and any name may be the one a
 * policy lists (a disk mounted at /var/lib/containers and bound at
 * /srv/c as well: /srv/c is /var/lib/containers whichever is shorter).
 */
static int other_paths(const struct hostmount *m, const char *inner, const char *real,
		       struct hostmount_path *out, struct oh_error *err)
{
	const struct hostmount *root = NULL;
	char path[PATH_MAX];

	if (root_mount(&root, err) < 0)
		return -1;
	/* inner is at or below each root looked at: a path that does not fit
	 * is refused, not dropped (it could be the listed one). */
	if (same_dev(m, root) && covers(root->root, inner)) {
		if (!hostmount_outer(root->root, root->point, inner, path, sizeof(path)))
			return oh_err(err, 0, "%s through %s is longer than %d bytes", inner,
				      root->point, PATH_MAX);
		if (strcmp(path, real) != 0)
			add_alias(out, path);
		return 0;
	}
	if (mi_load(false, err) < 0)
		return -1;
	index_dev(m->major, m->minor);
	size_t n = 0, room = 0, len = strlen(inner);
	const struct hostmount **found = NULL;
	/* The ancestors of inner, itself included: "/", "/d", "/d/x". */
	for (size_t pn = 1; inner[0] == '/' && pn <= len; pn++) {
		if (pn != 1 && pn != len && inner[pn] != '/')
			continue;
		uint64_t h = root_hash(m->major, m->minor, inner, pn);
		for (size_t e = root_cap ? root_heads[h & (root_cap - 1)] : 0; e != 0;
		     e = by_root[e - 1].next) {
			const struct hostmount *t = by_root[e - 1].m;
			if (by_root[e - 1].h != h || !same_dev(t, m) || strlen(t->root) != pn ||
			    memcmp(t->root, inner, pn) != 0)
				continue;
			if (n == room) {
				room = room ? 2 * room : 8;
				found = xrealloc(found, room * sizeof(*found));
			}
			found[n++] = t;
		}
	}
	if (n > 1)
		qsort(found, n, sizeof(*found), main_first);
	for (size_t i = 0; i < n; i++) {
		if (!hostmount_outer(found[i]->root, found[i]->point, inner, path, sizeof(path))) {
			int r = oh_err(err, 0, "%s through %s is longer than %d bytes", inner,
				       found[i]->point, PATH_MAX);
			free(found);
			return r;
		}
		if (strcmp(path, real) != 0)
			add_alias(out, path);
	}
	free(found);
	return 0;
}

/*
 * Whether m is another mount of the file system at /dev or /run (devtmpfs
 * and a tmpfs of their own on most hosts): a bind of either elsewhere (a
 * volume bound from /run holds the engines' sockets) shows them under
 * another path, with the mount's root "/" as their main mount's.  /dev's
 * and /run's devices are looked up once, and only when an overlay is not
 * what m is.
 */
static bool second_of_dev_or_run(const struct hostmount *m)
{
	static dev_t devs[2];
	static bool known[2];
	static const char *const at[2] = { "/dev", "/run" };

	if (strcmp(m->type, "overlay") == 0)
		return false;
	for (int i = 0; i < 2; i++) {
		struct stat st;
		if (!known[i]) {
			known[i] = true;
			devs[i] = stat(at[i], &st) == 0 ? st.st_dev : 0;
		}
		if (devs[i] != 0 && devs[i] == makedev(m->major, m->minor) &&
		    strcmp(m->point, at[i]) != 0)
			return true;
	}
	return false;
}

void hostmount_path_free(struct hostmount_path *p)
{
	free(p->aliases);
	p->aliases = NULL;
	p->naliases = 0;
	p->alias[0] = '\0';
}

int hostmount_path_of(int fd, const char *real, struct hostmount_path *out,
		      struct oh_error *err)
{
	struct statx sx;
	bool unique;

	out->known = out->on_root = out->mount_root = false;
	out->m = NULL;
	out->inner[0] = out->alias[0] = '\0';
	out->aliases = NULL;
	out->naliases = 0;
	if (mount_id(fd, "", &sx, &unique) < 0)
		return oh_err(err, errno, "statx of %s", real);
	out->mode = sx.stx_mask & STATX_TYPE ? sx.stx_mode & S_IFMT : 0;
	out->rdev = makedev(sx.stx_rdev_major, sx.stx_rdev_minor);
	if (sx.stx_mnt_id == 0)
		return 0;   /* a kernel before 5.8 does not say */
	out->known = true;
	if (sx.stx_mnt_id == root_id(unique)) {
		out->on_root = true;
		return 0;
	}
	const struct hostmount *m;
	if (lookup(fd, &sx, &unique, &m, err) < 0)
		return oh_err_wrap(err, "the mount of %s", real);
	out->m = m;
	out->mount_root = (sx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT)
				  ? (sx.stx_attributes & STATX_ATTR_MOUNT_ROOT) != 0
				  : strcmp(m->point, real) == 0;
	/* A path the mount does not lead to (a mount point outside this
	 * root) has no other path to tell. */
	if (!hostmount_inner(m->root, m->point, real, out->inner, sizeof(out->inner))) {
		out->inner[0] = '\0';
		return 0;
	}
	/* Where a second path can be: a mount of a directory (a bind of /etc),
	 * anything on a disk's file system (the root's, or another mounted
	 * twice: at /var/lib/containers and at /srv/c), another mount of the
	 * kernel's file systems (sysfs, debugfs, cgroup2: one each), another
	 * mount of /dev or /run.  An overlay or tmpfs of its own (every
	 * container's rootfs and /dev/shm) has no other path: neither the
	 * root's mount nor the table, which grows with the containers on the
	 * host, is looked at for it. */
	bool own = strcmp(m->type, "overlay") == 0 || strcmp(m->type, "tmpfs") == 0 ||
		   strcmp(m->type, "ramfs") == 0;
	bool whole = strcmp(m->root, "/") == 0;
	if (own && whole && !second_of_dev_or_run(m))
		return 0;
	if (other_paths(m, out->inner, real, out, err) < 0) {
		hostmount_path_free(out);
		return oh_err_wrap(err, "the mounts of %s", real);
	}
	/* Every mount of proc has a superblock of its own (Linux 5.8), yet
	 * shows the same processes and sysctls as /proc: mount -t proc proc
	 * /srv/p makes /srv/p/sys/kernel/core_pattern the host's, writable. */
	char path[PATH_MAX];
	if (strcmp(m->type, "proc") == 0 &&
	    hostmount_outer("/", "/proc", out->inner, path, sizeof(path)) &&
	    strcmp(path, real) != 0)
		add_alias(out, path);
	return 0;
}

/* --------------------------------------------- the mounts below a path */

static int point_cmp(const void *a, const void *b)
{
	const struct point_line *x = a, *y = b;
	int c = memcmp(x->p, y->p, x->n < y->n ? x->n : y->n);

	return c ? c : (x->n > y->n) - (x->n < y->n);
}

/* One pass and a sort, once per reading of mountinfo: each look-up is
 * then a binary search, so a config of many rbinds on a host of many
 * mounts costs their sum, not their product. */
static void index_points(void)
{
	size_t cap = 0;

	points_built = true;
	for (const char *l = mi.data; l < mi.data + mi.len;) {
		const char *nl = line_end(l), *f = l, *e;
		for (int k = 0; k < 4 && f != NULL; k++) {
			f = memchr(f, ' ', (size_t)(nl - f));
			f = f ? f + 1 : NULL;
		}
		if (f != NULL && (e = memchr(f, ' ', (size_t)(nl - f))) != NULL) {
			if (n_points == cap) {
				cap = cap ? 2 * cap : 64;
				points = xrealloc(points, cap * sizeof(*points));
			}
			points[n_points++] = (struct point_line){ f, (size_t)(e - f),
								  (size_t)(l - mi.data) };
		}
		l = nl + 1;
	}
	if (n_points > 1)
		qsort(points, n_points, sizeof(*points), point_cmp);
}

int hostmount_below(const char *dir, hostmount_each_fn fn, void *arg, struct oh_error *err)
{
	char esc[4 * PATH_MAX + 2];
	size_t n = 0;

	/* As the kernel shows a mount point (seq_path's " \t\n\\" as octal),
	 * with a slash after it: "/" is the prefix of every other one. */
	for (const unsigned char *p = (const unsigned char *)dir; *p && n + 6 < sizeof(esc); p++) {
		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\\')
			n += (size_t)snprintf(esc + n, sizeof(esc) - n, "\\%03o", *p);
		else
			esc[n++] = (char)*p;
	}
	if (!(n == 1 && esc[0] == '/'))
		esc[n++] = '/';
	if (mi_load(false, err) < 0)
		return -1;
	if (!points_built)
		index_points();
	/* The first point not before the prefix, then every one it begins. */
	size_t lo = 0, hi = n_points;
	struct point_line key = { esc, n, 0 };
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (point_cmp(&points[mid], &key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* The lines first, judged after: fn may look mounts up, which may
	 * read mountinfo again. */
	struct oh_buf found = { 0 };
	for (size_t k = lo; k < n_points && points[k].n >= n && memcmp(points[k].p, esc, n) == 0;
	     k++) {
		if (points[k].n == n)   /* "/" itself */
			continue;
		const char *l = mi.data + points[k].line;
		oh_buf_add(&found, l, (size_t)(line_end(l) - l));
		oh_buf_add(&found, "\n", 1);
	}
	for (char *l = found.data, *end = found.data + found.len; l != NULL && l < end;) {
		char *nl = memchr(l, '\n', (size_t)(end - l));
		struct hostmount m;
		*nl = '\0';
		if (hostmount_parse_line(l, &m))
			fn(arg, &m);
		l = nl + 1;
	}
	oh_buf_free(&found);
	return 0;
}
