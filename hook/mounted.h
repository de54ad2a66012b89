/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the runtime mounted, seen from inside the container's mount
 * namespace before pivot_root (the createContainer hook's moment): the
 * object each config mount became, the mounts below root.path the config
 * did not ask for, and the host's sensitive paths by identity (device and
 * inode), which are still reachable at their host paths then.
 *
 * Every stage before this one judges bind sources by their host paths
 * before the runtime mounts them; a source swapped for a symlink in
 * between (a harmless file at the judgement, a link to /dev/loop0 or to /
 * at the mount) is only seen here, where the object is judged, not its
 * name.  Reading is this module's (it can fail, and then the stage
 * refuses); judging is the rule table's (checks_mounted.c, CTX_MOUNTED).
 */
#ifndef OH_MOUNTED_H
#define OH_MOUNTED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "error.h"

struct policy;
struct spec;

enum mounted_kind {
	MO_ROOT,      /* root.path, as the runtime bound it */
	MO_CONFIG,    /* mounts[index], at its destination */
	MO_CARRIED,   /* a mount below root.path the config did not ask for */
};

struct mounted_obj {
	enum mounted_kind kind;
	/* MO_CONFIG: its index in mounts; MO_CARRIED: the config mount whose
	 * destination holds it (the rbind that carried it), or -1 when it
	 * came with root.path. */
	int index;
	char *where;          /* its path in the container ("/" for the root) */
	/* Its file system type as mountinfo shows it, to be judged: every
	 * MO_CARRIED and MO_CONFIG bind; a config mount by type only where
	 * another type is mounted at its destination (the config's rules
	 * judged its own); MO_ROOT's unless it is the host's "/" mount.
	 * NULL otherwise. */
	char *type;
	/* Whether the object itself was opened and these fields hold: false
	 * for a mount another one covers (only its type is known). */
	bool seen;
	/* Whether its identity is judged: binds, file systems on a device,
	 * mounts carried along; not the kernel's views the config mounts by
	 * type (proc, sysfs, cgroup), judged by the config's rules. */
	bool by_identity;
	bool readonly;        /* its mount is read-only */
	mode_t mode;          /* st_mode */
	dev_t dev, rdev;
	ino_t ino;
};

/* A host path on the sensitive list, by identity. */
struct mounted_ident {
	dev_t dev;
	ino_t ino;
	const char *path;     /* the policy's string */
	bool above;           /* it lies above an entry (a bind of it holds one) */
};

/* A file system on the sensitive list as a whole (/proc, /sys). */
struct mounted_tree {
	dev_t dev;
	const char *path;
};

struct mounted_view {
	char *root;                   /* root.path as the kernel names it */
	struct mounted_obj *objs;
	size_t nobjs;
	struct mounted_ident *ids;    /* sorted by (dev, ino) */
	size_t nids;
	struct mounted_tree *trees;
	size_t ntrees;
	bool have_devdev;             /* the host's /dev is a mount of its own, */
	dev_t devdev;                 /* ... on this device */
};

/*
 * Reads what the runtime mounted for the config s (read from the bundle
 * bundle_fd, against which a relative root.path is found) in the mount
 * namespace this process runs in, and the sensitive paths of policy p.
 * Fails when anything cannot be read or a config mount is not mounted
 * (this is not the container's mount namespace after the mounts); v then
 * holds what was read so far, for mounted_free.
 */
int mounted_read(const struct spec *s, int bundle_fd, const struct policy *p,
		 struct mounted_view *v, struct oh_error *err);

/* The sensitive path with that identity, or NULL.  Pure: tests build views. */
const struct mounted_ident *mounted_ident_find(const struct mounted_view *v, dev_t dev,
					       ino_t ino);
/* Sorts v->ids for mounted_ident_find. */
void mounted_ident_sort(struct mounted_view *v);

void mounted_free(struct mounted_view *v);

#endif
