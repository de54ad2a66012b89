/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sensitive-mounts and host-devices on what the runtime mounted
 * (CTX_MOUNTED): the objects of mounted.h, judged by what they are, not
 * by the names the config gave their sources.  The config's own checks
 * (checks_sidedoors.c) judged those names on the host before the runtime
 * mounted anything; a source swapped in between is caught here.  The
 * device set and the kernel's file system types are theirs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "check.h"
#include "mounted.h"
#include "util.h"

/* Where a finding points: the config mount, or root.path. */
static void obj_ptr(const struct mounted_obj *o, char *ptr, size_t cap)
{
	if (o->index >= 0)
		snprintf(ptr, cap, "/mounts/%d", o->index);
	else
		snprintf(ptr, cap, "/root/path");
}

/* The object named for people: "/x (a bind of /tmp/l)". */
static void obj_name(const struct check_ctx *c, const struct mounted_obj *o, char *out,
		     size_t cap)
{
	const struct spec_mount *m = o->index >= 0 ? &c->s->mount[o->index] : NULL;

	switch (o->kind) {
	case MO_ROOT:
		snprintf(out, cap, "the container's root (root.path %s)", c->mv->root);
		break;
	case MO_CONFIG:
		if (m->bind)
			snprintf(out, cap, "%s (a bind of %s)", o->where, m->source);
		else
			snprintf(out, cap, "%s (a %s mount of %s)", o->where, m->type,
				 m->source[0] ? m->source : "none");
		break;
	case MO_CARRIED:
		if (m != NULL)
			snprintf(out, cap, "%s, a %s mount the config did not ask for, carried "
				 "by the bind of %s at %s", o->where, o->type, m->source,
				 m->destination);
		else
			snprintf(out, cap, "%s, a %s mount the config did not ask for, below "
				 "root.path on the host", o->where, o->type);
		break;
	}
}

/* Below /sys, read-only, is what every container sees (the config's rule
 * says the same of a read-only bind). */
static bool sys_readonly(const struct mounted_obj *o, const char *path)
{
	return o->seen && o->readonly && (strcmp(path, "/sys") == 0 ||
					  strncmp(path, "/sys/", 5) == 0);
}

static bool readonly_view(const char *type)
{
	return strcmp(type, "sysfs") == 0 || strcmp(type, "cgroup") == 0 ||
	       strcmp(type, "cgroup2") == 0;
}

/* A kernel file system found: a config mount's or the root's named with
 * its type (its entry says another), a carried one's name has it already. */
static void kernel_fs_msg(const struct mounted_obj *o, const char *name, const char *what,
			  char *msg, size_t cap)
{
	if (o->kind != MO_CARRIED)
		snprintf(msg, cap, "what the runtime mounted: %s, is a %s file system, %s", name,
			 o->type, what);
	else
		snprintf(msg, cap, "what the runtime mounted: %s, is %s%s", name, what,
			 o->seen ? "" : " (covered by another mount)");
}

/*
 * Each rule is a predicate on one object: whether it hands over the host,
 * and (msg non-NULL) why.  The driver groups the mounts carried along by
 * one bind: none is named when the bind itself is refused (its message
 * names the host path), else the first with a count of the rest, so a
 * bind of the host's / is one finding, not one per host mount.
 */
typedef bool (*mounted_judge_fn)(const struct check_ctx *c, const struct mounted_obj *o,
				 char *msg, size_t cap);

static bool sensitive_obj(const struct check_ctx *c, const struct mounted_obj *o,
			  char *msg, size_t cap)
{
	const struct mounted_view *v = c->mv;
	bool device = false;
	const char *what = o->type ? check_kernel_fs(o->type, &device) : NULL;
	char name[PATH_MAX + 160];

	if (what != NULL && !device) {
		/* sysfs and the cgroup trees read-only are every container's;
		 * the other kernel file systems never. */
		if (readonly_view(o->type) && o->seen && o->readonly)
			return false;
		if (msg != NULL) {
			obj_name(c, o, name, sizeof(name));
			kernel_fs_msg(o, name, what, msg, cap);
		}
		return true;
	}
	if (!o->seen || !o->by_identity)
		return false;
	const struct mounted_ident *id = mounted_ident_find(v, o->dev, o->ino);
	if (id != NULL && !sys_readonly(o, id->path)) {
		if (msg != NULL) {
			obj_name(c, o, name, sizeof(name));
			snprintf(msg, cap, "what the runtime mounted: %s, is the host's %s%s", name,
				 id->path, id->above ? ", above a sensitive path" : "");
		}
		return true;
	}
	for (size_t t = 0; t < v->ntrees; t++) {
		if (v->trees[t].dev != o->dev || sys_readonly(o, v->trees[t].path))
			continue;
		if (msg != NULL) {
			obj_name(c, o, name, sizeof(name));
			snprintf(msg, cap, "what the runtime mounted: %s, is on the host's %s",
				 name, v->trees[t].path);
		}
		return true;
	}
	return false;
}

static bool device_obj(const struct check_ctx *c, const struct mounted_obj *o,
		       char *msg, size_t cap)
{
	const struct mounted_view *v = c->mv;
	bool device = false;
	const char *what = o->type ? check_kernel_fs(o->type, &device) : NULL;
	char name[PATH_MAX + 160];

	if (o->seen && (S_ISBLK(o->mode) || S_ISCHR(o->mode))) {
		/* A node is judged as a node, whatever file system it is on
		 * (runc binds the host's /dev/null in a user namespace). */
		const char *door = check_door_node(o->mode, o->rdev);
		if (door == NULL)
			return false;
		if (msg != NULL) {
			obj_name(c, o, name, sizeof(name));
			snprintf(msg, cap, "what the runtime mounted: %s, is %s of the host "
				 "(%u:%u)", name, door, major(o->rdev), minor(o->rdev));
		}
		return true;
	}
	if (what != NULL && device) {
		if (msg != NULL) {
			obj_name(c, o, name, sizeof(name));
			kernel_fs_msg(o, name, what, msg, cap);
		}
		return true;
	}
	if (o->seen && S_ISDIR(o->mode) && v->have_devdev && o->dev == v->devdev) {
		if (msg != NULL) {
			obj_name(c, o, name, sizeof(name));
			snprintf(msg, cap, "what the runtime mounted: %s, is a directory of the "
				 "host's /dev, every device node in it", name);
		}
		return true;
	}
	return false;
}

static void judge_all(struct check_ctx *c, mounted_judge_fn judge)
{
	const struct mounted_view *v = c->mv;
	uint32_t n = c->s->mounts ? c->s->mounts->len : 0;
	char ptr[64], msg[2 * PATH_MAX + 400];

	if (v == NULL)
		return;
	/* Per holder (a config mount, or the root at n): refused itself,
	 * carried mounts refused, the first of them named. */
	bool *held = xcalloc(n + 1, sizeof(*held)), *named = xcalloc(n + 1, sizeof(*named));
	size_t *carried = xcalloc(n + 1, sizeof(*carried));
	for (size_t i = 0; i < v->nobjs; i++) {
		const struct mounted_obj *o = &v->objs[i];
		uint32_t h = o->index >= 0 ? (uint32_t)o->index : n;
		if (o->kind != MO_CARRIED) {
			held[h] = judge(c, o, NULL, 0);
		} else if (!held[h] && judge(c, o, NULL, 0)) {
			carried[h]++;
		}
	}
	for (size_t i = 0; i < v->nobjs; i++) {
		const struct mounted_obj *o = &v->objs[i];
		uint32_t h = o->index >= 0 ? (uint32_t)o->index : n;
		if (o->kind == MO_CARRIED && (held[h] || named[h]))
			continue;
		if (!judge(c, o, msg, sizeof(msg)))
			continue;
		obj_ptr(o, ptr, sizeof(ptr));
		if (o->kind == MO_CARRIED && carried[h] > 1) {
			named[h] = true;
			check_add(c, ptr, "%s (and %zu more mount%s below it)", msg, carried[h] - 1,
				  carried[h] > 2 ? "s" : "");
		} else {
			named[h] = o->kind == MO_CARRIED;
			check_add(c, ptr, "%s", msg);
		}
	}
	free(held);
	free(named);
	free(carried);
}

void mcheck_sensitive_mounts(struct check_ctx *c)
{
	judge_all(c, sensitive_obj);
}

void mcheck_host_devices(struct check_ctx *c)
{
	judge_all(c, device_obj);
}
