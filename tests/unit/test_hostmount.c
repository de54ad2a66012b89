/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The host's mounts (hostmount.h): an overlay's options as the kernel and
 * runc spell them, the path arithmetic of a mount's root and mount point,
 * mountinfo's lines; then this host's own mounts, looked up through
 * statmount and through mountinfo, which must agree, also for a bind of
 * /etc and an overlay over it made here in a mount namespace of the
 * test's own.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hostmount.h"
#include "util.h"

/* Each directory as "name=dir", joined by " | ". */
static void collect(void *arg, const char *name, const char *dir)
{
	struct oh_buf *b = arg;

	oh_buf_printf(b, "%s%s=%s", b->len ? " | " : "", name, dir);
}

struct ocase {
	const char *name;
	const char *opts;
	bool shown;
	const char *want;   /* NULL: an error */
};

static const struct ocase ocases[] = {
	{ "a plain overlay", "lowerdir=/a:/b,upperdir=/u,workdir=/w", false,
	  "lowerdir=/a | lowerdir=/b | upperdir=/u | workdir=/w" },
	{ "backslashes keep a comma, a colon and a backslash in mount(2)'s data",
	  "lowerdir=/l\\,1:/l\\:2:/l\\\\4,upperdir=/u\\,x", false,
	  "lowerdir=/l,1 | lowerdir=/l:2 | lowerdir=/l\\4 | upperdir=/u,x" },
	/* Linux 6.18's mountinfo for the line above with a space too. */
	{ "the kernel shows them in octal, around overlay's own escapes",
	  "rw,lowerdir=/tmp/l\\134\\0541:/tmp/l\\134:2:/tmp/l\\0403:/tmp/l\\134\\1344,"
	  "upperdir=/tmp/up,workdir=/tmp/work,uuid=on", true,
	  "lowerdir=/tmp/l,1 | lowerdir=/tmp/l:2 | lowerdir=/tmp/l 3 | lowerdir=/tmp/l\\4 | "
	  "upperdir=/tmp/up | workdir=/tmp/work" },
	{ "\"::\" comes before the data-only layers", "lowerdir=/a:/b::/d1::/d2", false,
	  "lowerdir=/a | lowerdir=/b | lowerdir=/d1 | lowerdir=/d2" },
	{ "the kernel shows data-only layers as given",
	  "ro,lowerdir=/tmp/l\\134\\0541::/tmp/d1,redirect_dir=on,metacopy=on", true,
	  "lowerdir=/tmp/l,1 | lowerdir=/tmp/d1" },
	/* lowerdir+= and datadir+= (Linux 6.8) take a path as written. */
	{ "lowerdir+= as the kernel shows it has a colon of its own",
	  "ro,lowerdir+=/tmp/l:2,lowerdir+=/tmp/l\\0403,redirect_dir=on", true,
	  "lowerdir=/tmp/l:2 | lowerdir=/tmp/l 3" },
	{ "lowerdir+= and datadir+= in mount(2)'s data are not unescaped",
	  "lowerdir+=/a\\:b,datadir+=/d", false, "lowerdir=/a\\:b | datadir=/d" },
	{ "a comma after a backslash in lowerdir+= does not end it",
	  "lowerdir+=/a\\,upperdir=/etc", false, "lowerdir=/a\\,upperdir=/etc" },
	{ "other options and keys without a value name no directory",
	  "rw,lowerdir,xino=off,redirect_dir=on,lowerdir=", false, "" },
	{ "a relative layer is passed as it is", "lowerdir=l/ABC:l/DEF", true,
	  "lowerdir=l/ABC | lowerdir=l/DEF" },
	{ "an empty list", "", true, "" },
	/* runc joins the options with commas: a backslash ending one escapes
	 * that comma, and the kernel reads "lowerdir=/a\\" and ":/etc" as
	 * lowerdir=/a,:/etc, whose second layer is /etc. */
	{ "an option ending in a backslash is refused", "lowerdir=/l:/a\\", false, NULL },
	{ "so is one ending in an escaped comma's backslash", "upperdir=/u\\,x\\", false, NULL },
	{ "an escaped backslash at the end is one", "upperdir=/u\\\\", false, "upperdir=/u\\" },
};

static void test_overlay_options(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(ocases) / sizeof(ocases[0]); i++) {
		const struct ocase *c = &ocases[i];
		struct oh_buf b = { 0 };
		struct oh_error err = { 0 };
		oh_buf_puts(&b, "");
		int r = hostmount_overlay_dirs(c->opts, strlen(c->opts), c->shown, collect, &b,
					       &err);
		if (c->want == NULL ? r != -1 || err.msg[0] == '\0'
				    : r != 0 || strcmp(b.data, c->want) != 0)
			fail_msg("%s: got %d [%s], want [%s]", c->name, r, b.data,
				 c->want ? c->want : "an error");
		oh_buf_free(&b);
	}
}

static void test_overlay_option_too_long(void **state)
{
	(void)state;
	size_t n = PATH_MAX + 32;
	char *opts = xmalloc(n + 16);
	struct oh_buf b = { 0 };
	struct oh_error err = { 0 };

	strcpy(opts, "upperdir=/");
	memset(opts + 10, 'a', n);
	opts[10 + n] = '\0';
	assert_int_equal(hostmount_overlay_dirs(opts, strlen(opts), false, collect, &b, &err), -1);
	assert_non_null(strstr(err.msg, "upperdir"));
	free(opts);
	oh_buf_free(&b);
}

struct pcase {
	const char *root, *point, *path, *want;   /* want NULL: not below */
};

static void test_path_arithmetic(void **state)
{
	(void)state;
	static const struct pcase inner[] = {
		{ "/etc", "/srv/x", "/srv/x/ssh", "/etc/ssh" },
		{ "/etc", "/srv/x", "/srv/x", "/etc" },
		{ "/etc", "/srv/x", "/srv/x/", "/etc" },
		{ "/", "/srv/x", "/srv/x/a/b", "/a/b" },
		{ "/", "/srv/x", "/srv/x", "/" },
		{ "/etc", "/", "/ssh", "/etc/ssh" },
		{ "/", "/", "/", "/" },
		{ "/etc", "/srv/x", "/srv/xy", NULL },
		{ "/etc", "/srv/x", "/srv", NULL },
		{ "/etc", "/srv/x", "srv/x/ssh", NULL },
	};
	static const struct pcase outer[] = {
		{ "/", "/", "/etc/ssh", "/etc/ssh" },
		{ "/data", "/mnt/d", "/data/x", "/mnt/d/x" },
		{ "/data", "/mnt/d", "/data", "/mnt/d" },
		{ "/", "/boot", "/grub", "/boot/grub" },
		{ "/data", "/mnt", "/datax", NULL },
	};
	char out[PATH_MAX];

	for (size_t i = 0; i < sizeof(inner) / sizeof(inner[0]); i++) {
		const struct pcase *c = &inner[i];
		bool ok = hostmount_inner(c->root, c->point, c->path, out, sizeof(out));
		if (ok != (c->want != NULL) || (ok && strcmp(out, c->want) != 0))
			fail_msg("inner(%s, %s, %s): %s", c->root, c->point, c->path,
				 ok ? out : "(none)");
	}
	for (size_t i = 0; i < sizeof(outer) / sizeof(outer[0]); i++) {
		const struct pcase *c = &outer[i];
		bool ok = hostmount_outer(c->root, c->point, c->path, out, sizeof(out));
		if (ok != (c->want != NULL) || (ok && strcmp(out, c->want) != 0))
			fail_msg("outer(%s, %s, %s): %s", c->root, c->point, c->path,
				 ok ? out : "(none)");
	}
	/* Too long for the buffer: no answer rather than a cut path. */
	assert_false(hostmount_inner("/etc", "/srv/x", "/srv/x/ssh", out, 8));
}

static void test_mountinfo_lines(void **state)
{
	(void)state;
	struct hostmount m;
	char l1[] = "36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 shared:2 - ext3 /dev/root "
		    "rw,errors=continue\n";
	char l2[] = "48 27 0:40 / /tmp/m\\0402 rw,relatime - overlay overlay "
		    "ro,lowerdir=/tmp/l\\134\\0541::/tmp/d1";
	char l3[] = "22 27 0:21 / /proc rw,relatime - proc proc rw";
	char bad1[] = "36 35 98:0 /mnt1 /mnt2 rw,noatime master:1";
	char bad2[] = "x 35 98:0 / / rw - ext4 /dev/vda rw";

	assert_true(hostmount_parse_line(l1, &m));
	assert_int_equal(m.id, 36);
	assert_int_equal(m.major, 98);
	assert_int_equal(m.minor, 0);
	assert_string_equal(m.root, "/mnt1");
	assert_string_equal(m.point, "/mnt2");
	assert_string_equal(m.type, "ext3");
	assert_string_equal(m.opts, "rw,errors=continue");
	assert_true(hostmount_parse_line(l2, &m));
	assert_string_equal(m.point, "/tmp/m 2");
	assert_int_equal(m.minor, 40);
	/* The options stay as shown: hostmount_overlay_dirs undoes them. */
	assert_string_equal(m.opts, "ro,lowerdir=/tmp/l\\134\\0541::/tmp/d1");
	assert_true(hostmount_parse_line(l3, &m));
	assert_string_equal(m.type, "proc");
	assert_false(hostmount_parse_line(bad1, &m));
	assert_false(hostmount_parse_line(bad2, &m));
}

/* ------------------------------------------------------- this host */

struct seen {
	bool known, on_root, mount_root;
	char type[32], root[PATH_MAX], point[PATH_MAX], inner[PATH_MAX], alias[PATH_MAX];
	char dirs[4 * PATH_MAX], aliases[4 * PATH_MAX];
	unsigned major, minor;
};

static void look(const char *path, bool mountinfo, struct seen *s)
{
	struct hostmount_path hp;
	struct oh_error err = { 0 };
	char real[PATH_MAX];

	hostmount_force_mountinfo(mountinfo);
	int fd = open(path, O_PATH | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_non_null(realpath(path, real));
	if (hostmount_path_of(fd, real, &hp, &err) < 0)
		fail_msg("%s: %s", path, err.msg);
	close(fd);
	memset(s, 0, sizeof(*s));
	s->known = hp.known;
	s->on_root = hp.on_root;
	s->mount_root = hp.mount_root;
	snprintf(s->inner, sizeof(s->inner), "%s", hp.inner);
	snprintf(s->alias, sizeof(s->alias), "%s", hp.alias);
	const char *a = hp.aliases;
	for (size_t i = 0; i < hp.naliases; i++, a += strlen(a) + 1)
		snprintf(s->aliases + strlen(s->aliases), sizeof(s->aliases) - strlen(s->aliases),
			 "%s%s", i ? " | " : "", a);
	hostmount_path_free(&hp);
	if (hp.m != NULL) {
		struct oh_buf b = { 0 };
		snprintf(s->type, sizeof(s->type), "%s", hp.m->type);
		snprintf(s->root, sizeof(s->root), "%s", hp.m->root);
		snprintf(s->point, sizeof(s->point), "%s", hp.m->point);
		s->major = hp.m->major;
		s->minor = hp.m->minor;
		oh_buf_puts(&b, "");
		assert_int_equal(hostmount_overlay_dirs(hp.m->opts, strlen(hp.m->opts), true,
							collect, &b, &err), 0);
		snprintf(s->dirs, sizeof(s->dirs), "%s", b.data);
		oh_buf_free(&b);
	}
	hostmount_force_mountinfo(false);
}

/* The statmount answer and the mountinfo one, equal. */
static void agree(const char *path, struct seen *out)
{
	struct seen a, b;

	look(path, false, &a);
	look(path, true, &b);
	if (memcmp(&a, &b, sizeof(a)) != 0)
		fail_msg("%s: statmount says %d %d %d %s %u:%u %s at %s, inner %s alias %s [%s]; "
			 "mountinfo says %d %d %d %s %u:%u %s at %s, inner %s alias %s [%s]", path,
			 a.known, a.on_root, a.mount_root, a.type, a.major, a.minor, a.root,
			 a.point, a.inner, a.alias, a.dirs, b.known, b.on_root, b.mount_root,
			 b.type, b.major, b.minor, b.root, b.point, b.inner, b.alias, b.dirs);
	if (out)
		*out = a;
}

static void test_this_host(void **state)
{
	(void)state;
	static const char *const paths[] = { "/", "/etc", "/proc", "/proc/self", "/sys",
					     "/sys/kernel", "/dev", "/dev/shm", "/tmp",
					     "/run", OH_TEST_DIR };
	struct seen s;

	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		agree(paths[i], NULL);
	agree("/", &s);
	assert_true(!s.known || s.on_root);
	agree("/proc", &s);
	if (s.known) {
		assert_string_equal(s.type, "proc");
		assert_true(s.mount_root);
	}
}

/* A bind of /etc and an overlay over it, in a mount namespace of this
 * test's own (root only). */
static void test_binds_and_overlays(void **state)
{
	(void)state;
	char dir[] = "/tmp/oh-hostmount-XXXXXX", x[PATH_MAX], ov[PATH_MAX], up[PATH_MAX],
	     work[PATH_MAX], opts[4 * PATH_MAX];
	struct seen s;

	if (geteuid() != 0 || unshare(CLONE_NEWNS) < 0 ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		skip();
	assert_non_null(mkdtemp(dir));
	snprintf(x, sizeof(x), "%s/x", dir);
	snprintf(ov, sizeof(ov), "%s/ov", dir);
	snprintf(up, sizeof(up), "%s/up", dir);
	snprintf(work, sizeof(work), "%s/work", dir);
	assert_int_equal(mkdir(x, 0700) | mkdir(ov, 0700) | mkdir(up, 0700) | mkdir(work, 0700), 0);
	assert_int_equal(mount("/etc", x, NULL, MS_BIND, NULL), 0);
	snprintf(opts, sizeof(opts), "lowerdir=%s:/,upperdir=%s,workdir=%s", x, up, work);
	int ovl = mount("overlay", ov, "overlay", 0, opts);

	/* The bind's root and a path below it: both are the host's /etc. */
	snprintf(opts, sizeof(opts), "%s/ssh", x);
	agree(opts, &s);
	if (s.known) {
		assert_false(s.mount_root);
		assert_string_equal(s.root, "/etc");
		assert_string_equal(s.inner, "/etc/ssh");
		assert_string_equal(s.alias, "/etc/ssh");
	}
	agree(x, &s);
	if (s.known) {
		assert_true(s.mount_root);
		assert_string_equal(s.alias, "/etc");
	}
	/* The overlay's layers, from statmount's options and mountinfo's. */
	if (ovl == 0) {
		agree(ov, &s);
		if (s.known) {
			char want[4 * PATH_MAX];
			snprintf(want, sizeof(want),
				 "lowerdir=%s | lowerdir=/ | upperdir=%s | workdir=%s", x, up, work);
			assert_string_equal(s.type, "overlay");
			assert_string_equal(s.inner, "/");
			assert_string_equal(s.alias, "");
			assert_string_equal(s.dirs, want);
		}
		umount(ov);
	}
	umount(x);
	rmdir(x), rmdir(ov), rmdir(up), rmdir(work);
	/* work/ may hold the overlay's work directory. */
	char cmd[PATH_MAX + 16];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

/*
 * A directory of a file system bound at a path shorter than the file
 * system's other mounts: each of those is a name of it, the main mount
 * (shortest root, then shortest mount point) first.  Not the bind
 * itself, though its mount point is the shortest.  Runs in the mount
 * namespace test_binds_and_overlays made (root only).
 */
static void test_every_other_mount(void **state)
{
	(void)state;
	char dir[] = "/tmp/oh-hostmount-XXXXXX", fs[PATH_MAX / 2], d[PATH_MAX], s2[PATH_MAX / 2],
	     third[PATH_MAX / 2], path[PATH_MAX], want[4 * PATH_MAX];
	struct seen s;

	if (geteuid() != 0)
		skip();
	assert_non_null(mkdtemp(dir));
	snprintf(fs, sizeof(fs), "%s/the-file-systems-own", dir);
	snprintf(third, sizeof(third), "%s/the-file-systems-second-one", dir);
	snprintf(s2, sizeof(s2), "%s/s", dir);
	assert_int_equal(mkdir(fs, 0700) | mkdir(third, 0700) | mkdir(s2, 0700), 0);
	if (mount("tmpfs", fs, "tmpfs", 0, "size=64k") < 0)
		skip();
	snprintf(d, sizeof(d), "%s/d", fs);
	snprintf(path, sizeof(path), "%s/d/x", fs);
	assert_int_equal(mkdir(d, 0700) | mkdir(path, 0700), 0);
	assert_int_equal(mount(d, s2, NULL, MS_BIND, NULL), 0);
	assert_int_equal(mount(fs, third, NULL, MS_BIND, NULL), 0);

	snprintf(path, sizeof(path), "%s/x", s2);
	agree(path, &s);
	if (s.known) {
		assert_string_equal(s.root, "/d");
		assert_string_equal(s.inner, "/d/x");
		snprintf(want, sizeof(want), "%s/d/x", fs);
		assert_string_equal(s.alias, want);
		snprintf(want, sizeof(want), "%s/d/x | %s/d/x", fs, third);
		assert_string_equal(s.aliases, want);
	}
	umount(third), umount(s2), umount2(fs, MNT_DETACH);
	char cmd[PATH_MAX + 16];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

/* What hostmount_below passed: "TYPE POINT" lines. */
static void below_each(void *arg, const struct hostmount *m)
{
	char *out = arg;
	size_t n = strlen(out);

	snprintf(out + n, 4 * PATH_MAX - n, "%s %s\n", m->type, m->point);
}

/*
 * The mounts strictly below a directory, compared as mountinfo escapes a
 * mount point (a space is \040): not the directory's own mount, not a
 * sibling whose name it begins ("a bc" for "a b").  Root only, in a mount
 * namespace of its own.
 */
static void test_mounts_below(void **state)
{
	(void)state;
	char dir[] = "/tmp/oh-hostmount-XXXXXX", top[PATH_MAX / 8], x[PATH_MAX / 4],
	     y[PATH_MAX / 2], sib[PATH_MAX / 8], z[PATH_MAX / 4], want[4 * PATH_MAX],
	     got[4 * PATH_MAX] = "";
	struct oh_error err = { 0 };

	if (geteuid() != 0 || unshare(CLONE_NEWNS) < 0 ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		skip();
	assert_non_null(mkdtemp(dir));
	snprintf(top, sizeof(top), "%s/a b", dir);
	snprintf(x, sizeof(x), "%s/x", top);
	snprintf(y, sizeof(y), "%s/y", x);
	snprintf(sib, sizeof(sib), "%s/a bc", dir);
	snprintf(z, sizeof(z), "%s/z", sib);
	assert_int_equal(mkdir(top, 0700) | mkdir(sib, 0700) | mkdir(z, 0700), 0);
	assert_int_equal(mount("tmpfs", top, "tmpfs", 0, "size=64k"), 0);
	assert_int_equal(mkdir(x, 0700), 0);
	assert_int_equal(mount("tmpfs", x, "tmpfs", 0, "size=64k"), 0);
	assert_int_equal(mkdir(y, 0700), 0);
	assert_int_equal(mount("proc", y, "proc", 0, NULL), 0);
	assert_int_equal(mount("tmpfs", z, "tmpfs", 0, "size=64k"), 0);
	hostmount_force_mountinfo(false);   /* mountinfo read again */

	assert_int_equal(hostmount_below(top, below_each, got, &err), 0);
	snprintf(want, sizeof(want), "tmpfs %s\nproc %s\n", x, y);
	assert_string_equal(got, want);
	got[0] = '\0';
	assert_int_equal(hostmount_below(y, below_each, got, &err), 0);
	assert_string_equal(got, "");
	umount(z), umount(y), umount(x), umount(top);
	rmdir(z), rmdir(sib), rmdir(top), rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_overlay_options),
		cmocka_unit_test(test_overlay_option_too_long),
		cmocka_unit_test(test_path_arithmetic),
		cmocka_unit_test(test_mountinfo_lines),
		cmocka_unit_test(test_this_host),
		cmocka_unit_test(test_binds_and_overlays),
		cmocka_unit_test(test_every_other_mount),
		cmocka_unit_test(test_mounts_below),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
