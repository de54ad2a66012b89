/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sensitive-mounts and host-devices on what the runtime mounted
 * (CTX_MOUNTED) as a table: a view of mounted objects built by hand (what
 * mounted_read would find), the rules that must fire with a part of the
 * message, and those that must stay silent.  The reading itself needs a
 * container's mount namespace and is tested under runc
 * (tests/integration/createcontainer_judges_what_was_mounted.bats).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "check.h"
#include "mounted.h"
#include "policy.h"
#include "rules.h"
#include "spec.h"
#include "util.h"

#include "testutil.h"

/* The host as the view has it: / on 8:1, /etc below it, /proc and /sys
 * file systems of their own, the host's /dev a devtmpfs on 0:5. */
/* glibc's encoding of small device numbers, as a constant expression. */
#define DEV(ma, mi) ((dev_t)(ma) << 8 | (dev_t)(mi))
#define ROOTDEV DEV(8, 1)
#define PROCDEV DEV(0, 20)
#define SYSDEV DEV(0, 21)
#define DEVDEV DEV(0, 5)

static const struct mounted_ident host_ids[] = {
	{ ROOTDEV, 2, "/", false },
	{ ROOTDEV, 100, "/etc", false },
	{ ROOTDEV, 200, "/var", true },
	{ SYSDEV, 1, "/sys", false },
};
static const struct mounted_tree host_trees[] = {
	{ PROCDEV, "/proc" }, { SYSDEV, "/sys" },
};

/* One object of the view: kind, index, where, type (carried), seen, by
 * identity, read-only, mode, device, inode, rdev. */
struct obj {
	enum mounted_kind kind;
	int index;
	const char *where, *type;
	bool seen, by_identity, readonly;
	mode_t mode;
	dev_t dev;
	ino_t ino;
	dev_t rdev;
};

#define ROOTOBJ { MO_ROOT, -1, "/", NULL, true, true, true, S_IFDIR, DEV(8, 2), 2, 0 }
#define MAXOBJ 4

struct mcase {
	const char *name;
	const char *mounts;     /* the config's "mounts", ' for " */
	struct obj objs[MAXOBJ];
	size_t nobjs;
	const char *fires;      /* "rule:part of its message", or "" */
	const char *silent;     /* rule ids, space-separated */
};

#define BINDX(SRC) "[{'destination':'/x','type':'bind','source':'" SRC "','options':['rbind']}]"

static const struct mcase cases[] = {
	{ "a bind that became a harmless file", BINDX("/tmp/l"),
	  { ROOTOBJ, { MO_CONFIG, 0, "/x", NULL, true, true, false, S_IFREG, ROOTDEV, 999, 0 } }, 2,
	  "", "sensitive-mounts host-devices" },
	{ "a bind that became a block device", BINDX("/tmp/l"),
	  { ROOTOBJ, { MO_CONFIG, 0, "/x", NULL, true, true, false, S_IFBLK, DEVDEV, 50,
		       DEV(7, 0) } }, 2,
	  "host-devices:/x (a bind of /tmp/l), is a block device of the host (7:0)",
	  "sensitive-mounts" },
	{ "a bind that became /dev/kmsg", BINDX("/tmp/l"),
	  { ROOTOBJ, { MO_CONFIG, 0, "/x", NULL, true, true, false, S_IFCHR, DEVDEV, 51,
		       DEV(1, 11) } }, 2,
	  "host-devices:is /dev/kmsg of the host (1:11)", "sensitive-mounts" },
	{ "a bind that became /dev/null is allowed", BINDX("/tmp/l"),
	  { ROOTOBJ, { MO_CONFIG, 0, "/x", NULL, true, true, false, S_IFCHR, DEVDEV, 52,
		       DEV(1, 3) } }, 2,
	  "", "sensitive-mounts host-devices" },
	{ "a bind that became the host's /", BINDX("/tmp/l"),
	  { ROOTOBJ, { MO_CONFIG, 0, "/x", NULL, true, true, false, S_IFDIR, ROOTDEV, 2, 0 } }, 2,
	  "sensitive-mounts:/x (a bind of /tmp/l), is the host's /", "host-devices" },
	{ "a bind that became a path above a sensitive one", BINDX("/tmp/l"),
	  { ROOTOBJ, { MO_CONFIG, 0, "/x", NULL, true, true, false, S_IFDIR, ROOTDEV, 200, 0 } }, 2,
	  "sensitive-mounts:is the host's /var, above a sensitive path", "host-devices" },
	{ "a bind that became a directory of the host's /dev", BINDX("/tmp/l"),
	  { ROOTOBJ, { MO_CONFIG, 0, "/x", NULL, true, true, false, S_IFDIR, DEVDEV, 7, 0 } }, 2,
	  "host-devices:is a directory of the host's /dev", "sensitive-mounts" },
	{ "a bind that became a file of the host's /proc", BINDX("/tmp/l"),
	  { ROOTOBJ, { MO_CONFIG, 0, "/x", NULL, true, true, false, S_IFREG, PROCDEV, 4242, 0 } }, 2,
	  "sensitive-mounts:is on the host's /proc", "host-devices" },
	{ "a read-only bind of the host's /sys is every container's", BINDX("/sys"),
	  { ROOTOBJ, { MO_CONFIG, 0, "/x", NULL, true, true, true, S_IFDIR, SYSDEV, 1, 0 } }, 2,
	  "", "sensitive-mounts host-devices" },
	{ "a writable bind of the host's /sys", BINDX("/sys"),
	  { ROOTOBJ, { MO_CONFIG, 0, "/x", NULL, true, true, false, S_IFDIR, SYSDEV, 1, 0 } }, 2,
	  "sensitive-mounts:is the host's /sys", "host-devices" },
	{ "a sysfs mounted by type is the config's rules' (the host's superblock in its network "
	  "namespace)",
	  "[{'destination':'/sys','type':'sysfs','source':'sysfs','options':['ro']}]",
	  { ROOTOBJ, { MO_CONFIG, 0, "/sys", NULL, true, false, false, S_IFDIR, SYSDEV, 1, 0 } }, 2,
	  "", "sensitive-mounts host-devices" },
	{ "the root that is the host's /", "[]",
	  { { MO_ROOT, -1, "/", NULL, true, true, false, S_IFDIR, ROOTDEV, 2, 0 } }, 1,
	  "sensitive-mounts:the container's root (root.path /r), is the host's /", "host-devices" },
	{ "proc below root.path on the host", "[]",
	  { ROOTOBJ, { MO_CARRIED, -1, "/p", "proc", true, true, false, S_IFDIR, DEV(0, 99), 1,
		       0 } }, 2,
	  "sensitive-mounts:/p, a proc mount the config did not ask for, below root.path on the "
	  "host, is the host's processes",
	  "host-devices" },
	{ "a devtmpfs carried by a bind", BINDX("/srv/chroot"),
	  { ROOTOBJ, { MO_CONFIG, 0, "/x", NULL, true, true, false, S_IFDIR, ROOTDEV, 77, 0 },
	    { MO_CARRIED, 0, "/x/dev", "devtmpfs", true, true, false, S_IFDIR, DEVDEV, 1, 0 } }, 3,
	  "host-devices:/x/dev, a devtmpfs mount the config did not ask for, carried by the bind "
	  "of /srv/chroot at /x, is every host device",
	  "sensitive-mounts" },
	{ "a covered proc carried by a bind: only its type is known", BINDX("/srv/chroot"),
	  { ROOTOBJ, { MO_CONFIG, 0, "/x", NULL, true, true, false, S_IFDIR, ROOTDEV, 77, 0 },
	    { MO_CARRIED, 0, "/x/proc", "proc", false, true, false, 0, 0, 0, 0 } }, 3,
	  "sensitive-mounts:(covered by another mount)", "host-devices" },
	{ "a read-only cgroup hierarchy carried by a bind is every container's", BINDX("/sys"),
	  { ROOTOBJ, { MO_CONFIG, 0, "/x", NULL, true, true, true, S_IFDIR, SYSDEV, 1, 0 },
	    { MO_CARRIED, 0, "/x/fs/cgroup/cpu", "cgroup", true, true, true, S_IFDIR,
	      DEV(0, 30), 1, 0 } }, 3,
	  "", "sensitive-mounts host-devices" },
	{ "a device node carried on a file is judged as a node, whatever its file system",
	  BINDX("/srv/chroot"),
	  { ROOTOBJ, { MO_CONFIG, 0, "/x", NULL, true, true, false, S_IFDIR, ROOTDEV, 77, 0 },
	    { MO_CARRIED, 0, "/x/null", "devtmpfs", true, true, false, S_IFCHR, DEVDEV, 9,
	      DEV(1, 3) } }, 3,
	  "", "sensitive-mounts host-devices" },
	/* A config bind is judged by the file system mounted at its
	 * destination too (mountinfo's type): one of the kernel's own below
	 * /sys or /proc has a device of its own, on no sensitive tree. */
	{ "a writable bind that became a cgroup v1 hierarchy", BINDX("/tmp/l"),
	  { ROOTOBJ, { MO_CONFIG, 0, "/x", "cgroup", true, true, false, S_IFDIR, DEV(0, 31), 1,
		       0 } }, 2,
	  "sensitive-mounts:/x (a bind of /tmp/l), is a cgroup file system, a cgroup hierarchy "
	  "of the host", "host-devices" },
	{ "a read-only bind of a cgroup hierarchy is every container's", BINDX("/sys/fs/cgroup"),
	  { ROOTOBJ, { MO_CONFIG, 0, "/x", "cgroup2", true, true, true, S_IFDIR, DEV(0, 31), 1,
		       0 } }, 2,
	  "", "sensitive-mounts host-devices" },
	{ "a read-only bind that became debugfs", BINDX("/tmp/l"),
	  { ROOTOBJ, { MO_CONFIG, 0, "/x", "debugfs", true, true, true, S_IFDIR, DEV(0, 7), 1,
		       0 } }, 2,
	  "sensitive-mounts:is a debugfs file system, the kernel's debugging interfaces",
	  "host-devices" },
	{ "a writable bind that became another sysfs", BINDX("/tmp/l"),
	  { ROOTOBJ, { MO_CONFIG, 0, "/x", "sysfs", true, true, false, S_IFDIR, DEV(0, 41), 1,
		       0 } }, 2,
	  "sensitive-mounts:is a sysfs file system", "host-devices" },
	{ "a bind that became another pid namespace's proc", BINDX("/tmp/l"),
	  { ROOTOBJ, { MO_CONFIG, 0, "/x", "proc", true, true, true, S_IFDIR, DEV(0, 42), 1,
		       0 } }, 2,
	  "sensitive-mounts:is a proc file system", "host-devices" },
	{ "a bind that became a devtmpfs directory", BINDX("/tmp/l"),
	  { ROOTOBJ, { MO_CONFIG, 0, "/x", "devtmpfs", true, true, false, S_IFDIR, DEV(0, 43), 1,
		       0 } }, 2,
	  "host-devices:is a devtmpfs file system, every host device", "sensitive-mounts" },
	{ "a bind of /dev/null is judged as a node, on devtmpfs", BINDX("/dev/null"),
	  { ROOTOBJ, { MO_CONFIG, 0, "/x", "devtmpfs", true, true, false, S_IFCHR, DEVDEV, 52,
		       DEV(1, 3) } }, 2,
	  "", "sensitive-mounts host-devices" },
	{ "the root that became a writable cgroup hierarchy", "[]",
	  { { MO_ROOT, -1, "/", "cgroup", true, true, false, S_IFDIR, DEV(0, 31), 1, 0 } }, 1,
	  "sensitive-mounts:the container's root (root.path /r), is a cgroup file system",
	  "host-devices" },
	{ "a bind of a directory on ext4 is not a kernel file system", BINDX("/srv/data"),
	  { ROOTOBJ, { MO_CONFIG, 0, "/x", "ext4", true, true, false, S_IFDIR, ROOTDEV, 78, 0 } },
	  2, "", "sensitive-mounts host-devices" },
	{ "the mounts a refused bind carries are not named again", BINDX("/tmp/l"),
	  { ROOTOBJ, { MO_CONFIG, 0, "/x", NULL, true, true, false, S_IFDIR, ROOTDEV, 2, 0 },
	    { MO_CARRIED, 0, "/x/proc", "proc", true, true, false, S_IFDIR, PROCDEV, 1, 0 } }, 3,
	  "sensitive-mounts:/x (a bind of /tmp/l), is the host's /", "host-devices" },
};

static void judge(const struct mcase *c, struct decision *d, struct spec *s,
		  struct policy **p)
{
	struct oh_error err = { 0 };
	char cfg[1024];

	snprintf(cfg, sizeof(cfg), "{'ociVersion':'1.0.2','root':{'path':'/r'},'mounts':%s}",
		 c->mounts);
	char *buf = unquote(cfg);
	if (spec_parse(buf, strlen(buf), "config.json", s, &err) < 0)
		fail_msg("%s: %s", c->name, err.msg);
	struct mounted_view v = { .root = xstrdup("/r"), .have_devdev = true, .devdev = DEVDEV };
	v.nids = sizeof(host_ids) / sizeof(*host_ids);
	v.ids = xcalloc(v.nids, sizeof(*v.ids));
	memcpy(v.ids, host_ids, sizeof(host_ids));
	mounted_ident_sort(&v);
	v.ntrees = sizeof(host_trees) / sizeof(*host_trees);
	v.trees = xcalloc(v.ntrees, sizeof(*v.trees));
	memcpy(v.trees, host_trees, sizeof(host_trees));
	v.nobjs = c->nobjs;
	v.objs = xcalloc(c->nobjs, sizeof(*v.objs));
	for (size_t i = 0; i < c->nobjs; i++) {
		const struct obj *o = &c->objs[i];
		v.objs[i] = (struct mounted_obj){
			.kind = o->kind, .index = o->index, .where = xstrdup(o->where),
			.type = o->type ? xstrdup(o->type) : NULL, .seen = o->seen,
			.by_identity = o->by_identity, .readonly = o->readonly, .mode = o->mode,
			.dev = o->dev, .ino = o->ino, .rdev = o->rdev };
	}
	*p = policy_defaults();
	decision_init(d);
	rules_judge(&(struct subject){ .on = CTX_MOUNTED, .s = s, .mv = &v }, *p, host_facts(), d);
	mounted_free(&v);
}

static bool fired_with(const struct decision *d, const char *id, const char *part)
{
	for (size_t i = 0; i < d->nfindings; i++)
		if (strcmp(rule_table[d->findings[i].rule].id, id) == 0 &&
		    (part == NULL || strstr(d->findings[i].message, part) != NULL))
			return true;
	return false;
}

static void test_table(void **state)
{
	(void)state;
	set_host(PLAIN);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct mcase *c = &cases[i];
		struct decision d;
		struct spec s;
		struct policy *p;

		judge(c, &d, &s, &p);
		bool want = c->fires[0] != '\0';
		if ((d.nfindings > 0) != want)
			for (size_t k = 0; k < d.nfindings; k++)
				fprintf(stderr, "  %s: %s: %s\n", c->name,
					rule_table[d.findings[k].rule].id, d.findings[k].message);
		if (c->fires[0] != '\0') {
			char id[64];
			const char *colon = strchr(c->fires, ':');
			snprintf(id, sizeof(id), "%.*s", (int)(colon - c->fires), c->fires);
			if (!fired_with(&d, id, colon + 1))
				fail_msg("%s: no %s finding with \"%s\"", c->name, id, colon + 1);
			if (d.verdict != V_DENIED)
				fail_msg("%s: verdict %s", c->name, verdict_name(d.verdict));
		} else if (d.verdict != V_COMPLIANT) {
			fail_msg("%s: verdict %s, want compliant", c->name, verdict_name(d.verdict));
		}
		char silent[128];
		snprintf(silent, sizeof(silent), "%s", c->silent);
		for (char *tok = strtok(silent, " "); tok; tok = strtok(NULL, " "))
			if (fired_with(&d, tok, NULL))
				fail_msg("%s: %s fired", c->name, tok);
		decision_free(&d);
		spec_free(&s);
		policy_free(p);
	}
}

/* The carried mounts of one bind are one finding with a count. */
static void test_carried_mounts_are_counted(void **state)
{
	static const struct mcase c = {
		"three kernel file systems below a bind", BINDX("/srv/chroot"),
		{ ROOTOBJ, { MO_CONFIG, 0, "/x", NULL, true, true, false, S_IFDIR, ROOTDEV, 77, 0 },
		  { MO_CARRIED, 0, "/x/proc", "proc", true, true, false, S_IFDIR, PROCDEV, 1, 0 },
		  { MO_CARRIED, 0, "/x/sys", "sysfs", true, true, false, S_IFDIR, SYSDEV, 1, 0 } }, 4,
		"", "" };
	struct decision d;
	struct spec s;
	struct policy *p;

	(void)state;
	set_host(PLAIN);
	judge(&c, &d, &s, &p);
	assert_int_equal(d.nfindings, 1);
	assert_non_null(strstr(d.findings[0].message, "/x/proc, a proc mount"));
	assert_non_null(strstr(d.findings[0].message, "(and 1 more mount below it)"));
	assert_string_equal(d.findings[0].pointer, "/mounts/0");
	decision_free(&d);
	spec_free(&s);
	policy_free(p);
}

/* The identity look-up finds every entry among many, and nothing else. */
static void test_ident_lookup(void **state)
{
	struct mounted_view v = { 0 };

	(void)state;
	v.nids = 1000;
	v.ids = xcalloc(v.nids, sizeof(*v.ids));
	for (size_t i = 0; i < v.nids; i++)
		v.ids[i] = (struct mounted_ident){ DEV(i % 7, 0), (ino_t)(i * 13 % 1009), "p",
						   false };
	mounted_ident_sort(&v);
	for (size_t i = 0; i < v.nids; i++) {
		const struct mounted_ident *m = mounted_ident_find(&v, DEV(i % 7, 0),
								   (ino_t)(i * 13 % 1009));
		assert_non_null(m);
		assert_true(m->dev == DEV(i % 7, 0) && m->ino == (ino_t)(i * 13 % 1009));
	}
	assert_null(mounted_ident_find(&v, DEV(8, 0), 13));
	assert_null(mounted_ident_find(&v, DEV(0, 0), 5000));
	free(v.ids);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_carried_mounts_are_counted),
		cmocka_unit_test(test_ident_lookup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
