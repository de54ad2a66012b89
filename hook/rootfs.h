/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Rootfs hygiene: a bounded walk of a container's root filesystem that finds
 * setuid/setgid files, tools that fetch or send data (wget, curl, nc),
 * package managers and compilers.  The rules that judge what it found are
 * suid-files, phone-home-tools, package-manager and compiler in rules.c.
 *
 * The walk opens every directory with openat(O_NOFOLLOW | O_DIRECTORY)
 * relative to its parent, so it never leaves the rootfs through a symlink,
 * and stays on the rootfs's filesystem (like find -xdev).  Symlinks are
 * judged by their name and never followed: an applet link "bin/wget ->
 * busybox" counts as wget.  A regular file named busybox also counts as
 * every tool in its applet table (the NUL-separated names compiled into the
 * binary), which is how a busybox without applet links still provides wget.
 * Tools count only in directories named bin or sbin (/bin, /usr/local/sbin,
 * /opt/venv/bin, ...), where a shell finds them; a file named make under
 * /usr/share is not a compiler.
 *
 * The walk is bounded by a number of directory entries and by time; the
 * result says how many entries it saw, how long it took and whether a bound
 * stopped it.
 */
#ifndef OH_ROOTFS_H
#define OH_ROOTFS_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "ruleid.h"
#include "spec.h"

/* Deeper directories are not entered (each level holds one open fd). */
#define ROOTFS_MAX_DEPTH 128

struct rootfs_limits {
	unsigned long max_files;     /* directory entries examined */
	double max_seconds;
};

struct rootfs_hit {
	int rule;                    /* R_SUID_FILES, R_PHONE_HOME_TOOLS, ... */
	char *path;                  /* in the rootfs: "/usr/bin/wget" */
	char *detail;                /* "-> busybox", "setuid root", "applets nc, wget", or "" */
};

enum rootfs_stop { ROOTFS_COMPLETE, ROOTFS_FILE_LIMIT, ROOTFS_TIME_LIMIT };

struct rootfs_result {
	bool scanned;                /* false: see error */
	char *error;                 /* why the rootfs was not scanned, or NULL */
	char *path;                  /* the rootfs as the config names it */
	struct rootfs_hit *hits;     /* sorted by rule, then path */
	size_t nhits;
	unsigned long files;         /* directory entries examined */
	double seconds;
	struct rootfs_limits limits;
	enum rootfs_stop stop;
	unsigned long unreadable;    /* directories that could not be opened */
	unsigned long other_fs;      /* mount points not entered */
	unsigned long too_deep;      /* directories below ROOTFS_MAX_DEPTH */
};

/*
 * Walks the directory rootfd (which the caller keeps open) into r.  Only an
 * unusable rootfd is an error; unreadable subdirectories are counted.
 */
int rootfs_walk(int rootfd, const struct rootfs_limits *lim,
		struct rootfs_result *r, struct oh_error *err);

/*
 * Walks the rootfs of a config (root.path, relative to the bundle directory
 * bundle_fd unless absolute, resolved as the runtime resolves it) with the
 * limits lim into r.  The pipeline (pipeline.h) decides whether to walk
 * and judges what the walk found with the rootfs rules.
 *
 * A rootfs that cannot be opened (no root.path, missing directory, a
 * relative root.path without a bundle) is not an error: r->scanned is false
 * and r->error says why, because a config is still judged without it.
 * Free r with rootfs_result_free.
 */
int rootfs_scan(const struct spec *s, int bundle_fd,
		const struct rootfs_limits *lim, struct rootfs_result *r,
		struct oh_error *err);

/* One line about the walk: "6773 files in 0.041 s (limits 100000 files, 5 s)",
 * saying when a bound stopped it. */
void rootfs_describe(const struct rootfs_result *r, char *buf, size_t n);

void rootfs_result_free(struct rootfs_result *r);

#endif
