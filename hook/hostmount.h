/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The host's mounts as the kernel shows them, one mount at a time: which
 * mount a path is on, that mount's root in its file system, its mount
 * point, device, type and options.  statmount(2) answers for one mount in
 * one call (Linux 6.8, options since 6.11); older kernels are answered from
 * /proc/self/mountinfo, read once.  Both give the same facts, and tests
 * can force the second (hostmount_force_mountinfo).
 *
 * From those facts: the host path a path below a bind of a directory
 * really is (/srv/x/ssh, with /srv/x a bind of /etc, is /etc/ssh of the
 * root file system), and the directories an overlay's options name.
 */
#ifndef OH_HOSTMOUNT_H
#define OH_HOSTMOUNT_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "error.h"

struct hostmount {
	uint64_t id;             /* the kernel's id of the mount (statmount's or mountinfo's) */
	unsigned major, minor;   /* its file system's device */
	const char *type;        /* its file system's type: "ext4", "overlay" */
	const char *root;        /* its root within its file system: "/etc" for a bind of /etc */
	const char *point;       /* where it is mounted */
	const char *opts;        /* the file system's options as the kernel shows them (escaped), or "" */
};

/* Where the file open at a descriptor is, as hostmount_path_of finds it. */
struct hostmount_path {
	bool known;                   /* the kernel said which mount it is on */
	bool on_root;                 /* on the mount of "/": there is nothing more to say */
	bool mount_root;              /* it is the root of its mount */
	const struct hostmount *m;    /* its mount (NULL when !known or on_root); lives as long as the process */
	char inner[PATH_MAX];         /* its path within m's file system */
	/* Its path through the file system's main mount (the one of the same
	 * device whose root holds it: the shortest root, then the shortest
	 * mount point) when that differs from the path it was found by; ""
	 * otherwise. */
	char alias[PATH_MAX];
	/* Every such path, through every mount of the file system that shows
	 * it (alias first), NUL-separated, naliases of them; NULL when none.
	 * Freed with hostmount_path_free. */
	char *aliases;
	size_t naliases;
	/* What the file is (st_mode's type bits, 0 when the kernel did not
	 * say; st_rdev): from the same statx, for host-devices. */
	mode_t mode;
	dev_t rdev;
};

/*
 * What the kernel says of the file open at fd, whose path (after
 * symlinks, clean) is real.  The aliases are sought on every mount but
 * the mount of "/" and an overlay or tmpfs of its own (all of it, not a
 * directory of it; unless another mount of the tmpfs at /run): the mount
 * of "/" alone for the root file system's device, every mount of the
 * same device whose root holds the path for any other (a bind of /etc
 * onto /srv/x, a disk at /var/lib/containers bound at /srv/c too, the
 * devtmpfs bound elsewhere); and for proc, /proc.  One statx per path;
 * one statmount per mount (remembered); mountinfo is read (once, indexed
 * by id and by device and root) to find the other mounts of a file system
 * other than the root's, and on kernels without statmount.  Fails when
 * the kernel's answer cannot be had
 * (a mount that vanished, an unreadable mountinfo).
 */
int hostmount_path_of(int fd, const char *real, struct hostmount_path *out,
		      struct oh_error *err);

void hostmount_path_free(struct hostmount_path *p);

/* For tests: answer from /proc/self/mountinfo and statx's old mount ids,
 * as on kernels before 6.8; mountinfo is read again when next needed. */
void hostmount_force_mountinfo(bool on);

/*
 * The path in a mount's file system of path, a path at or below the mount
 * point point of a mount whose root is root: root + (path - point), into
 * out.  False when path is not at or below point, or out is too small.
 */
bool hostmount_inner(const char *root, const char *point, const char *path,
		     char *out, size_t cap);
/* The converse: inner (at or below root) seen through a mount of root at
 * point. */
bool hostmount_outer(const char *root, const char *point, const char *inner,
		     char *out, size_t cap);

/*
 * The directories an overlay's options name, each passed to fn with the
 * option's name ("lowerdir", "upperdir", "workdir", "datadir"), as the
 * kernel reads them: options split at commas not escaped by a backslash;
 * lowerdir= a list split at colons not escaped ("::" before data-only
 * layers), each directory unescaped (a backslash takes the next byte), as
 * are upperdir= and workdir=; lowerdir+= and datadir+= one directory each,
 * taken as written.  shown: opts is as the kernel shows them (mountinfo,
 * statmount), whose octal escapes (\054 for a comma) are undone first.
 * Returns -1 (err filled) for a directory longer than PATH_MAX, and for
 * mount(2)'s data ending in a backslash (runc joins a config's options
 * with commas: it would escape the next one's).
 */
typedef void (*hostmount_dir_fn)(void *arg, const char *name, const char *dir);
int hostmount_overlay_dirs(const char *opts, size_t len, bool shown,
			   hostmount_dir_fn fn, void *arg, struct oh_error *err);

/*
 * The mounts whose mount point lies strictly below dir (absolute, clean,
 * after symlinks), each passed to fn (m and its strings live only for the
 * call), by mount point: what a recursive bind of dir carries along.
 * Read from /proc/self/mountinfo (once per process, as the fallback reads
 * it: Linux 6.1 has no listmount(2)), whose mount points are indexed once,
 * sorted in the kernel's escaped form; a look-up is a binary search and
 * parses only the lines below dir.
 */
typedef void (*hostmount_each_fn)(void *arg, const struct hostmount *m);
int hostmount_below(const char *dir, hostmount_each_fn fn, void *arg, struct oh_error *err);

/* Parses one line of /proc/self/mountinfo into m, pointing into line,
 * which it unescapes in place.  False for a line of another shape. */
bool hostmount_parse_line(char *line, struct hostmount *m);

/* Undoes the kernel's octal escapes (a backslash and three octal digits)
 * in place. */
void hostmount_unescape(char *s);

#endif
