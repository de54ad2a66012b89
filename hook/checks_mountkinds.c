/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Mount entries judged by what they are, not by what their source is
 * (checks_mountkinds.h).  Each shown open under runc 1.1.5 on this project's
 * test host and closed in the tests named after it:
 *
 * - A kernel file system mounted as an entry of its own is the host
 *   kernel's instance, mounted by the runtime with its own privileges:
 *   binfmt_misc let a hardened container register an interpreter the
 *   host then ran as root for a matching file, tracefs gave it the host's
 *   tracing_on to write, cgroup2 the root of the host's v2 hierarchy
 *   (cgroup.kill killed a host process).
 * - "remount" is MS_REMOUNT to runc and crun: the entry changes whatever
 *   is mounted at its destination, and its type and source mean nothing.
 *   A tmpfs "remount" at /sys made the container's sysfs writable; a
 *   "bind,remount,rw" below an rro bind of /sys made the host's devices
 *   cgroup writable, and the container left its device cgroup.
 * - A read-write cgroup mount lets root in the container lift its own
 *   pids and memory limits.
 * - In a user namespace runc (libcontainer createDevices) bind-mounts
 *   each linux.devices entry's path from the host instead of creating
 *   the node: {"path": "/dev/../etc/shadow", "type": "c", "major": 1,
 *   "minor": 3} is the host's /etc/shadow, read-write.
 *
 * One pass over the mounts and one over the devices; the options of a
 * mount are compared by their length first (kept in the tree).
 */
#include "checks_mountkinds.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "check.h"
#include "host.h"

/* Sorted by type: kernel_fs_type searches it, a unit test checks it. */
static const struct kernel_fs kernel_fs[] = {
	{ "binfmt_misc", "the host's binary formats: an interpreter for every execve",
	  KFS_ENTRY_DOOR, false, false },
	{ "bpf", "the host's pinned BPF programs and maps", KFS_ENTRY_DOOR, false, false },
	{ "cgroup", "a cgroup hierarchy of the host", KFS_ENTRY_READ_ONLY, false, true },
	{ "cgroup2", "the host's cgroup hierarchy", KFS_ENTRY_READ_ONLY, false, true },
	{ "configfs", "the kernel's configuration objects", KFS_ENTRY_DOOR, false, false },
	{ "cpuset", "the host's cpuset hierarchy (cgroup v1)", KFS_ENTRY_DOOR, false, true },
	{ "debugfs", "the kernel's debugging interfaces", KFS_ENTRY_DOOR, false, false },
	{ "devpts", "terminals: the host's own when bound from /dev/pts", KFS_ENTRY_RULED,
	  true, false },
	{ "devtmpfs", "every host device", KFS_ENTRY_RULED, true, false },
	{ "efivarfs", "the firmware's variables", KFS_ENTRY_DOOR, false, false },
	{ "fusectl", "every FUSE connection of the host, to abort or slow down",
	  KFS_ENTRY_DOOR, false, true },
	{ "nfsd", "the NFS server's exports and threads", KFS_ENTRY_DOOR, false, false },
	{ "nsfs", "a namespace of the host", KFS_ENTRY_DOOR, false, false },
	{ "proc", "the host's processes and kernel settings", KFS_ENTRY_RULED, false, false },
	{ "pstore", "the kernel's crash records", KFS_ENTRY_DOOR, false, false },
	{ "resctrl", "the host's cache and memory-bandwidth allocation", KFS_ENTRY_DOOR, false,
	  false },
	{ "rpc_pipefs", "the kernel's RPC upcalls (NFS id mapping, Kerberos)", KFS_ENTRY_DOOR,
	  false, false },
	{ "securityfs", "the security modules' settings", KFS_ENTRY_DOOR, false, false },
	{ "selinuxfs", "SELinux's policy and settings", KFS_ENTRY_DOOR, false, false },
	{ "smackfs", "Smack's rules and settings", KFS_ENTRY_DOOR, false, false },
	{ "sysfs", "the host's kernel and device settings", KFS_ENTRY_RULED, false, true },
	{ "tracefs", "the kernel's tracing of every process", KFS_ENTRY_DOOR, false, false },
	{ "xenfs", "the Xen hypervisor's interfaces", KFS_ENTRY_DOOR, false, false },
};

static int by_type(const void *k, const void *e)
{
	return strcmp(k, ((const struct kernel_fs *)e)->type);
}

const struct kernel_fs *kernel_fs_type(const char *type)
{
	return bsearch(type, kernel_fs, sizeof(kernel_fs) / sizeof(*kernel_fs),
		       sizeof(*kernel_fs), by_type);
}

const struct kernel_fs *kernel_fs_table(size_t *n)
{
	*n = sizeof(kernel_fs) / sizeof(*kernel_fs);
	return kernel_fs;
}

/* ------------------------------------------------------------- mounts */

static void mount_ptr(char *ptr, size_t cap, uint32_t i, const char *member)
{
	json_ptr_set(ptr, cap, "/mounts");
	json_ptr_append_index(ptr, cap, i);
	json_ptr_append(ptr, cap, member, strlen(member));
}

/*
 * The options runc's and crun's tables map to a flag that acts on the
 * mount already at the destination rather than making one.  Read in
 * runc 1.1 (libcontainer/specconv parseMountOptions) and crun 1.8
 * (src/libcrun/mount_flags.perf): "remount" is the only one; neither has
 * "move" (MS_MOVE), and an option neither knows is file-system data,
 * which sets no flag of mount(2).  Exact spelling: both look options up
 * as written, and "Remount" is data.
 */
static bool changes_existing_mount(const struct jval *o)
{
	return o->len == 7 && memcmp(o->u.str, "remount", 7) == 0;
}

void check_mount_kinds(struct check_ctx *c)
{
	const struct spec *s = c->s;
	char ptr[128];

	for (uint32_t i = 0; s->mounts != NULL && i < s->mounts->len; i++) {
		const struct spec_mount *m = &s->mount[i];

		for (uint32_t k = 0; m->options != NULL && k < m->options->len; k++) {
			if (!changes_existing_mount(&m->options->u.items[k]))
				continue;
			mount_ptr(ptr, sizeof(ptr), i, "options");
			json_ptr_append_index(ptr, sizeof(ptr), k);
			check_add(c, ptr, "the mount at %s has the option remount: runc and crun "
				  "pass MS_REMOUNT, which changes the mount already at %s (a "
				  "read-only sysfs or bind made writable) instead of mounting "
				  "the entry's %s, so its type and source say nothing of what "
				  "the container gets", m->destination, m->destination,
				  m->bind ? "source" : "type");
		}
		/* A bind of a source named like a file system is a bind (its
		 * type is ignored by mount(2)), judged as one; proc, sysfs,
		 * overlay and devtmpfs have rules of their own. */
		if (m->bind || m->kind != MOUNT_OTHER)
			continue;
		const struct kernel_fs *t = kernel_fs_type(m->type);
		if (t == NULL || t->device)
			continue;
		if (t->entry == KFS_ENTRY_DOOR) {
			mount_ptr(ptr, sizeof(ptr), i, "type");
			check_add(c, ptr, "%s is mounted at %s: %s, the host kernel's own "
				  "instance, which the runtime mounts with its privileges and "
				  "root in the container then writes", m->type, m->destination,
				  t->what);
		} else if (t->entry == KFS_ENTRY_READ_ONLY && !m->readonly) {
			mount_ptr(ptr, sizeof(ptr), i, m->options != NULL ? "options" : "type");
			check_add(c, ptr, "%s is mounted read-write at %s: root in the container "
				  "writes the limits the host set on its own cgroup (pids.max, "
				  "memory; in a cgroup namespace too, unless the host's cgroup2 "
				  "has nsdelegate) and, where the mount shows the hierarchy's "
				  "root (cgroup2 without a cgroup namespace of the container's "
				  "own), writes or kills every cgroup of the host; mount it "
				  "with ro, as Docker and podman do for every container but a "
				  "privileged one", m->type, m->destination);
		}
	}
}

/* ------------------------------------------------------------ devices */

/* Whether the path has a ".." component. */
static bool climbs(const char *p)
{
	for (const char *q = p; (q = strstr(q, "..")) != NULL; q += 2)
		if ((q == p || q[-1] == '/') && (q[2] == '/' || q[2] == '\0'))
			return true;
	return false;
}

/* Whether p (n bytes, no NUL among them) is a clean path below /dev: no
 * empty, "." or ".." component, no trailing slash. */
static bool below_dev(const char *p, size_t n)
{
	if (strlen(p) != n || strncmp(p, "/dev/", 5) != 0 || p[n - 1] == '/')
		return false;
	for (const char *q = p + 4; *q != '\0'; ) {
		const char *e = strchr(q + 1, '/');
		size_t len = (e ? (size_t)(e - q) : strlen(q)) - 1;
		if (len == 0 || (len == 1 && q[1] == '.') || (len == 2 && q[1] == '.' && q[2] == '.'))
			return false;
		q += len + 1;
	}
	return true;
}

/* An unreadable map is judged as a user namespace: runc then binds too,
 * and the stricter judgement only costs an odd device path. */
static bool process_in_user_ns(void)
{
	static int known = -1;

	if (known < 0)
		known = host_in_user_ns() != 0;
	return known;
}

/* runc binds the devices (createDevices) when the config has a user
 * namespace, joined or its own, or when runc runs in one. */
static bool devices_bound(const struct spec *s)
{
	for (uint32_t k = 0; s->namespaces != NULL && k < s->namespaces->len; k++)
		if (jv_is_str(jobj_get(&s->namespaces->u.items[k], "type"), "user"))
			return true;
	return process_in_user_ns();
}

static const char *node_word(mode_t mode)
{
	if (S_ISCHR(mode))
		return "a character device";
	if (S_ISBLK(mode))
		return "a block device";
	if (S_ISFIFO(mode))
		return "a FIFO";
	if (S_ISDIR(mode))
		return "a directory";
	if (S_ISREG(mode))
		return "a regular file";
	if (S_ISSOCK(mode))
		return "a socket";
	return "not a device";
}

/* Whether the host's node st is the device entry d names (type letter t). */
static bool same_node(const struct stat *st, const struct jval *type, const struct jval *d)
{
	const struct jval *jm = jobj_get(d, "major"), *jn = jobj_get(d, "minor");
	int64_t major = -1, minor = -1;
	char t = type != NULL && type->len == 1 ? type->u.str[0] : '\0';

	if (t == 'p')
		return S_ISFIFO(st->st_mode);
	if (!(t == 'c' || t == 'u' ? S_ISCHR(st->st_mode) : t == 'b' && S_ISBLK(st->st_mode)))
		return false;
	if (jm == NULL || jn == NULL || !jv_get_i64(jm, &major) || !jv_get_i64(jn, &minor))
		return false;
	return major == (int64_t)major(st->st_rdev) && minor == (int64_t)minor(st->st_rdev);
}

void check_device_paths(struct check_ctx *c)
{
	const struct spec *s = c->s;
	char ptr[128];
	int bound = -1;   /* devices_bound, asked once when needed */

	for (uint32_t i = 0; s->devices != NULL && i < s->devices->len; i++) {
		const struct jval *d = &s->devices->u.items[i];
		const struct jval *path = jobj_get(d, "path"), *type = jobj_get(d, "type");
		struct stat st;

		if (path == NULL)
			continue;
		json_ptr_set(ptr, sizeof(ptr), "/linux/devices");
		json_ptr_append_index(ptr, sizeof(ptr), i);
		json_ptr_append(ptr, sizeof(ptr), "path", 4);
		const char *p = path->u.str;
		/* Engines never write one; in a user namespace runc binds the
		 * path from the host as written (/dev/../etc/shadow). */
		if (climbs(p)) {
			check_add(c, ptr, "device path %s has a .. component: with a user "
				  "namespace runc binds the device's path from the host, and "
				  "this one leaves /dev", p);
			continue;
		}
		if (bound < 0)
			bound = devices_bound(s);
		if (!bound)
			continue;
		if (!below_dev(p, path->len)) {
			check_add(c, ptr, "device path %s is not a path below /dev: with a user "
				  "namespace runc bind-mounts each device's path from the host "
				  "instead of creating the node, and this one is a host file",
				  p);
			continue;
		}
		/* mount(2) follows symlinks, as stat does.  One that is not
		 * there fails the runtime's bind. */
		if (stat(p, &st) < 0) {
			if (errno != ENOENT && errno != ENOTDIR)
				check_add(c, ptr, "device path %s cannot be judged as the host "
					  "object runc binds in a user namespace: %s", p,
					  strerror(errno));
			continue;
		}
		if (!same_node(&st, type, d))
			check_add(c, ptr, "device path %s is %s on the host, not the device the "
				  "entry names: with a user namespace runc bind-mounts the "
				  "host's %s instead of creating the node", p,
				  S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)
				  ? "another device" : node_word(st.st_mode), p);
	}
}
