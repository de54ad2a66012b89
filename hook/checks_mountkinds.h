/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What a mount entry does by its kind rather than by its source: the
 * kernel's own file systems (one instance of the host's kernel wherever
 * they are mounted), the options that change a mount already there instead
 * of mounting one, the cgroup file systems, and the linux.devices paths a
 * runtime in a user namespace binds from the host.  One table of kernel
 * file-system types serves both the mount entries judged here and the
 * mounts an rbind carries from below its source (checks_sidedoors.c).
 */
#ifndef OH_CHECKS_MOUNTKINDS_H
#define OH_CHECKS_MOUNTKINDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct check_ctx;

/* What a kernel file system is as a mount entry of the config. */
enum kernel_fs_entry {
	/* The host kernel's one instance (binfmt_misc, tracefs, ...):
	 * refused whatever the options. */
	KFS_ENTRY_DOOR,
	/* Refused unless read-only (cgroup, cgroup2). */
	KFS_ENTRY_READ_ONLY,
	/* Judged by a rule of its own: proc outside /proc and sysfs
	 * read-write (sensitive-mounts), devtmpfs (host-devices), devpts
	 * (a fresh instance, fine). */
	KFS_ENTRY_RULED,
};

struct kernel_fs {
	const char *type;
	const char *what;        /* what it hands over, for the messages */
	uint8_t entry;           /* enum kernel_fs_entry */
	/* host-devices' to judge below an rbind, else sensitive-mounts'. */
	bool device;
	/* Below a bind of /sys read-only all the way down: what every
	 * container sees anyway (sysfs, the cgroup trees). */
	bool sys_read_only;
};

/* The entry of a file-system type, or NULL for one not in the table. */
const struct kernel_fs *kernel_fs_type(const char *type);
/* The table, sorted by type (for the tests). */
const struct kernel_fs *kernel_fs_table(size_t *n);

/* sensitive-mounts: every mount entry of a kernel file system that is a
 * door, a cgroup mount without "ro", and any mount with an option that
 * changes the mount already at its destination ("remount"). */
void check_mount_kinds(struct check_ctx *c);
/* host-devices: linux.devices paths with "..", and, where the runtime
 * binds them from the host (a user namespace), a path not below /dev or
 * whose host object is not the device the entry names. */
void check_device_paths(struct check_ctx *c);

#endif
