/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The rootfs walk as a table: a tree built in a temporary directory (files
 * with modes, symlinks, fake busybox binaries) -> the rules that must name
 * which paths, and the paths no rule may name.  Then the bounds, the hook
 * entry point over a bundle, and the policy's "rootfs" key.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "host.h"
#include "policy.h"
#include "rootfs.h"
#include "rules.h"
#include "spec.h"
#include "util.h"

/* A sorted applet table, as busybox compiles it in, with junk around it. */
static const char applets[] =
	"junk\0zzz\0[\0[[\0acpid\0ar\0cat\0dpkg\0ls\0nc\0rpm\0sh\0wget\0xz\0";
/* The same table without network tools, and an unsorted "\0cc\0\0nc\0"
 * elsewhere in the binary that must not count as applets. */
static const char applets_clean[] =
	"\x01\x02\0cc\0\0nc\0\x03\0[\0[[\0acpid\0ar\0cat\0ls\0sh\0tar\0xz\0";

enum kind { DIR_, FILE_, LINK, BUSYBOX, BUSYBOX_CLEAN };

struct entry {
	enum kind kind;
	const char *path;
	unsigned mode;          /* files and directories */
	const char *target;     /* symlinks */
};

struct wcase {
	const char *name;
	struct entry tree[12];
	/* "rule-id:/path" items, space-separated, that must be hits, and
	 * paths that must not appear in any hit */
	const char *hits;
	const char *absent;
};

static const struct wcase cases[] = {
	{ "busybox with applet links provides wget and nc",
	  { { DIR_, "bin", 0755, NULL }, { BUSYBOX, "bin/busybox", 0755, NULL },
	    { LINK, "bin/wget", 0, "busybox" }, { LINK, "bin/nc", 0, "/bin/busybox" },
	    { LINK, "bin/ls", 0, "busybox" } },
	  "phone-home-tools:/bin/busybox phone-home-tools:/bin/wget phone-home-tools:/bin/nc "
	  "package-manager:/bin/busybox",
	  "/bin/ls" },
	{ "a busybox without links still provides its applets",
	  { { DIR_, "bin", 0755, NULL }, { BUSYBOX, "bin/busybox", 0755, NULL } },
	  "phone-home-tools:/bin/busybox", "" },
	{ "only the sorted applet table counts, not stray strings",
	  { { DIR_, "bin", 0755, NULL }, { BUSYBOX_CLEAN, "bin/busybox", 0755, NULL } },
	  "", "/bin/busybox" },
	{ "setuid and setgid files are named, setgid directories are not",
	  { { DIR_, "usr", 0755, NULL }, { DIR_, "usr/bin", 0755, NULL },
	    { FILE_, "usr/bin/su", 04755, NULL }, { FILE_, "usr/bin/wall", 02755, NULL },
	    { FILE_, "usr/bin/ls", 0755, NULL }, { DIR_, "var", 0755, NULL },
	    { DIR_, "var/mail", 02775, NULL } },
	  "suid-files:/usr/bin/su suid-files:/usr/bin/wall", "/usr/bin/ls /var/mail" },
	{ "tools count only as programs in bin and sbin",
	  { { DIR_, "usr", 0755, NULL }, { DIR_, "usr/share", 0755, NULL },
	    { DIR_, "usr/share/wget", 0755, NULL }, { FILE_, "usr/share/curl", 0644, NULL },
	    { FILE_, "usr/share/make", 0755, NULL }, { DIR_, "sbin", 0755, NULL },
	    { FILE_, "sbin/curl", 0644, NULL }, { FILE_, "sbin/apk", 0755, NULL } },
	  "package-manager:/sbin/apk", "/usr/share/wget /usr/share/curl /usr/share/make /sbin/curl" },
	{ "versioned names and virtualenvs",
	  { { DIR_, "usr", 0755, NULL }, { DIR_, "usr/bin", 0755, NULL },
	    { FILE_, "usr/bin/pip3.11", 0755, NULL }, { FILE_, "usr/bin/gcc-12", 0755, NULL },
	    { FILE_, "usr/bin/rpm2cpio", 0755, NULL }, { FILE_, "usr/bin/makeinfo", 0755, NULL },
	    { DIR_, "opt", 0755, NULL }, { DIR_, "opt/venv", 0755, NULL },
	    { DIR_, "opt/venv/bin", 0755, NULL }, { LINK, "opt/venv/bin/pip", 0, "pip3" } },
	  "package-manager:/usr/bin/pip3.11 compiler:/usr/bin/gcc-12 package-manager:/opt/venv/bin/pip",
	  "/usr/bin/rpm2cpio /usr/bin/makeinfo" },
	{ "symlinks out of the rootfs are never followed",
	  /* The host's /usr/bin holds gcc and make on this build host. */
	  { { LINK, "bin", 0, "/usr/bin" }, { LINK, "host", 0, "/" },
	    { DIR_, "x", 0755, NULL }, { LINK, "x/up", 0, "../../../../.." } },
	  "", "/bin/gcc /bin/make /host /x/up/usr" },
	{ "a distroless rootfs: one static binary",
	  { { FILE_, "app", 0755, NULL }, { DIR_, "etc", 0755, NULL },
	    { FILE_, "etc/passwd", 0644, NULL } },
	  "", "/app" },
};

static char *make_tmpdir(void)
{
	char *d = xstrdup("/tmp/oh-test-rootfs-XXXXXX");

	if (mkdtemp(d) == NULL)
		fail_msg("mkdtemp: %s", strerror(errno));
	return d;
}

static void write_file(const char *path, const void *data, size_t n, unsigned mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	if (fd < 0 || (n && oh_write_all(fd, data, n) < 0))
		fail_msg("%s: %s", path, strerror(errno));
	close(fd);
	/* chmod after creating: the umask must not eat the setuid bit. */
	if (chmod(path, mode) < 0)
		fail_msg("chmod %s: %s", path, strerror(errno));
}

static void build(const char *root, const struct entry *tree)
{
	for (const struct entry *e = tree; e->path != NULL; e++) {
		cleanup_free char *p = oh_path_join(root, e->path);
		switch (e->kind) {
		case DIR_:
			if (mkdir(p, 0755) < 0 || chmod(p, e->mode) < 0)
				fail_msg("mkdir %s: %s", p, strerror(errno));
			break;
		case FILE_:
			write_file(p, "#!/bin/sh\n", 10, e->mode);
			break;
		case LINK:
			if (symlink(e->target, p) < 0)
				fail_msg("symlink %s: %s", p, strerror(errno));
			break;
		case BUSYBOX:
			write_file(p, applets, sizeof(applets), e->mode);
			break;
		case BUSYBOX_CLEAN:
			write_file(p, applets_clean, sizeof(applets_clean), e->mode);
			break;
		}
	}
}

static void remove_tree(const char *dir)
{
	cleanup_free char *cmd = xasprintf("rm -rf '%s'", dir);

	if (system(cmd) != 0)
		fail_msg("cannot remove %s", dir);
}

static int walk_dir(const char *dir, const struct rootfs_limits *lim,
		    struct rootfs_result *r)
{
	struct oh_error err = { 0 };
	cleanup_close int fd = open(dir, O_RDONLY | O_DIRECTORY);

	memset(r, 0, sizeof(*r));
	assert_true(fd >= 0);
	if (rootfs_walk(fd, lim, r, &err) < 0)
		fail_msg("%s", err.msg);
	return 0;
}

static bool has_hit(const struct rootfs_result *r, int rule, const char *path)
{
	for (size_t i = 0; i < r->nhits; i++)
		if ((rule < 0 || r->hits[i].rule == rule) && strcmp(r->hits[i].path, path) == 0)
			return true;
	return false;
}

static bool mentions(const struct rootfs_result *r, const char *path)
{
	for (size_t i = 0; i < r->nhits; i++)
		if (strncmp(r->hits[i].path, path, strlen(path)) == 0)
			return true;
	return false;
}

static const struct rootfs_limits wide = { .max_files = 100000, .max_seconds = 60 };

static void test_walk_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct wcase *c = &cases[i];
		cleanup_free char *dir = make_tmpdir();
		struct rootfs_result r;
		char buf[512];

		build(dir, c->tree);
		walk_dir(dir, &wide, &r);
		assert_int_equal(r.stop, ROOTFS_COMPLETE);
		snprintf(buf, sizeof(buf), "%s", c->hits);
		for (char *save, *t = strtok_r(buf, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
			char *colon = strchr(t, ':');
			*colon = '\0';
			int rule = rule_by_id(t);
			assert_true(rule >= 0);
			if (!has_hit(&r, rule, colon + 1))
				fail_msg("%s: no %s hit for %s", c->name, t, colon + 1);
		}
		snprintf(buf, sizeof(buf), "%s", c->absent);
		for (char *save, *t = strtok_r(buf, " ", &save); t; t = strtok_r(NULL, " ", &save))
			if (mentions(&r, t))
				fail_msg("%s: %s should not be a hit", c->name, t);
		if (c->hits[0] == '\0' && r.nhits != 0)
			fail_msg("%s: %zu hits, want none (first %s)", c->name, r.nhits,
				 r.hits[0].path);
		rootfs_result_free(&r);
		remove_tree(dir);
	}
}

static const char *detail_of(const struct rootfs_result *r, int rule, const char *path)
{
	for (size_t i = 0; i < r->nhits; i++)
		if (r->hits[i].rule == rule && strcmp(r->hits[i].path, path) == 0)
			return r->hits[i].detail;
	return NULL;
}

static void test_details(void **state)
{
	(void)state;
	cleanup_free char *dir = make_tmpdir();
	struct rootfs_result r;

	build(dir, cases[0].tree);
	build(dir, (const struct entry[]){ { FILE_, "bin/su", 04755, NULL },
					   { FILE_, "bin/wall", 02711, NULL }, { 0 } });
	walk_dir(dir, &wide, &r);
	assert_string_equal(detail_of(&r, R_PHONE_HOME_TOOLS, "/bin/busybox"), "applets nc, wget");
	assert_string_equal(detail_of(&r, R_PACKAGE_MANAGER, "/bin/busybox"), "applets dpkg, rpm");
	assert_string_equal(detail_of(&r, R_PHONE_HOME_TOOLS, "/bin/wget"), "-> busybox");
	assert_string_equal(detail_of(&r, R_SUID_FILES, "/bin/su"), "setuid root");
	char want[64];
	snprintf(want, sizeof(want), "setgid gid %lu", (unsigned long)getgid());
	assert_string_equal(detail_of(&r, R_SUID_FILES, "/bin/wall"), want);
	/* sorted by rule, then path */
	for (size_t i = 1; i < r.nhits; i++)
		assert_true(r.hits[i - 1].rule < r.hits[i].rule ||
			    (r.hits[i - 1].rule == r.hits[i].rule &&
			     strcmp(r.hits[i - 1].path, r.hits[i].path) < 0));
	rootfs_result_free(&r);
	remove_tree(dir);
}

/* A tree of n files in bin/, each a suid file so every one is a hit. */
static char *many_files(int n)
{
	char *dir = make_tmpdir();
	cleanup_free char *bin = oh_path_join(dir, "bin");

	assert_int_equal(mkdir(bin, 0755), 0);
	for (int i = 0; i < n; i++) {
		char name[32];
		snprintf(name, sizeof(name), "f%03d", i);
		cleanup_free char *p = oh_path_join(bin, name);
		write_file(p, "", 0, 04755);
	}
	return dir;
}

static void test_bounds(void **state)
{
	(void)state;
	cleanup_free char *dir = many_files(200);
	struct rootfs_result r;
	struct rootfs_limits lim = { .max_files = 10, .max_seconds = 60 };
	char line[512];

	walk_dir(dir, &lim, &r);
	assert_int_equal(r.stop, ROOTFS_FILE_LIMIT);
	assert_int_equal(r.files, 10);
	rootfs_describe(&r, line, sizeof(line));
	assert_non_null(strstr(line, "stopped at the file-count limit after 10 files"));
	rootfs_result_free(&r);

	lim = (struct rootfs_limits){ .max_files = 100000, .max_seconds = 1e-9 };
	walk_dir(dir, &lim, &r);
	assert_int_equal(r.stop, ROOTFS_TIME_LIMIT);
	/* the clock is read every 64 entries */
	assert_int_equal(r.files, 64);
	rootfs_describe(&r, line, sizeof(line));
	assert_non_null(strstr(line, "stopped at the time limit"));
	rootfs_result_free(&r);

	walk_dir(dir, &wide, &r);
	assert_int_equal(r.stop, ROOTFS_COMPLETE);
	assert_int_equal(r.files, 201);   /* bin and its 200 files */
	assert_int_equal(r.nhits, 200);
	rootfs_describe(&r, line, sizeof(line));
	assert_non_null(strstr(line, "201 files in "));
	rootfs_result_free(&r);
	remove_tree(dir);
}

static void test_depth_bound(void **state)
{
	(void)state;
	cleanup_free char *dir = make_tmpdir();
	struct oh_buf p = { 0 };
	struct rootfs_result r;

	oh_buf_puts(&p, dir);
	for (int i = 0; i < ROOTFS_MAX_DEPTH + 5; i++) {
		oh_buf_puts(&p, "/d");
		if (mkdir(p.data, 0755) < 0)
			fail_msg("mkdir: %s", strerror(errno));
	}
	oh_buf_free(&p);
	walk_dir(dir, &wide, &r);
	assert_int_equal(r.stop, ROOTFS_COMPLETE);
	assert_int_equal(r.too_deep, 1);
	rootfs_result_free(&r);
	remove_tree(dir);
}

/* ------------------------------------------------ the hook entry point */

static struct spec parse_spec(const char *json)
{
	struct oh_error err = { 0 };
	struct spec s;
	char *buf = xstrdup(json);

	if (spec_parse(buf, strlen(buf), "config.json", &s, &err) < 0)
		fail_msg("%s", err.msg);
	return s;
}

static const struct finding *find(const struct decision *d, int rule)
{
	for (size_t i = 0; i < d->nfindings; i++)
		if (d->findings[i].rule == rule)
			return &d->findings[i];
	return NULL;
}

/* What the pipeline does for a bundle: walk, then judge the walk. */
static int scan(const struct spec *s, const char *bundle, const struct policy *p,
		struct decision *d, struct rootfs_result *out, struct oh_error *err)
{
	struct rootfs_limits lim = { p->rootfs_max_files, p->rootfs_max_seconds };
	struct rootfs_result local, *r = out ? out : &local;
	cleanup_close int bfd = open(bundle, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc = rootfs_scan(s, bfd, &lim, r, err);

	if (rc == 0)
		rules_evaluate_rootfs(r, s, p, host_facts(), d, err);
	if (out == NULL)
		rootfs_result_free(&local);
	return rc;
}

static void test_scan_bundle(void **state)
{
	(void)state;
	cleanup_free char *bundle = make_tmpdir();
	cleanup_free char *rootfs = oh_path_join(bundle, "rootfs");
	struct oh_error err = { 0 };
	struct policy *p = policy_defaults();
	struct rootfs_result r;
	struct decision d = { .exemption = -1 };

	assert_int_equal(mkdir(rootfs, 0755), 0);
	build(rootfs, cases[0].tree);

	/* relative root.path, no no-new-privileges: warn findings only */
	struct spec s = parse_spec("{\"root\":{\"path\":\"rootfs\"}}");
	assert_int_equal(scan(&s, bundle, p, &d, &r, &err), 0);
	assert_true(r.scanned);
	const struct finding *f = find(&d, R_PHONE_HOME_TOOLS);
	assert_non_null(f);
	assert_int_equal(f->action, ACT_WARN);
	assert_string_equal(f->pointer, "/root/path");
	assert_non_null(strstr(f->message, "/bin/wget -> busybox"));
	assert_int_equal(d.verdict, V_COMPLIANT);
	assert_null(find(&d, R_COMPILER));
	decision_free(&d);
	rootfs_result_free(&r);
	spec_free(&s);

	/* absolute root.path; the policy raises a rootfs rule to deny */
	cleanup_free char *cfg = xasprintf("{\"root\":{\"path\":\"%s\"}}", rootfs);
	char *pol = xstrdup("{\"rules\":{\"phone-home-tools\":\"deny\"}}");
	policy_free(p);
	assert_int_equal(policy_parse(pol, strlen(pol), "p.json", &p, &err), 0);
	s = parse_spec(cfg);
	/* an absolute root.path does not depend on the bundle directory */
	assert_int_equal(scan(&s, "/nonexistent-bundle-dir", p, &d, &r, &err), 0);
	assert_true(r.scanned);
	assert_int_equal(d.verdict, V_DENIED);
	rootfs_result_free(&r);
	decision_free(&d);
	spec_free(&s);

	/* no rootfs to scan is said, not an error */
	s = parse_spec("{\"process\":{}}");
	assert_int_equal(scan(&s, bundle, p, &d, &r, &err), 0);
	assert_false(r.scanned);
	assert_string_equal(r.error, "the config has no root.path");
	assert_int_equal(d.nfindings, 0);
	rootfs_result_free(&r);
	spec_free(&s);
	s = parse_spec("{\"root\":{\"path\":\"missing\"}}");
	assert_int_equal(scan(&s, bundle, p, &d, &r, &err), 0);
	assert_false(r.scanned);
	assert_non_null(strstr(r.error, "root.path missing"));
	rootfs_result_free(&r);
	spec_free(&s);
	policy_free(p);
	remove_tree(bundle);
}

static void test_nnp_changes_the_suid_message(void **state)
{
	(void)state;
	cleanup_free char *bundle = make_tmpdir();
	cleanup_free char *rootfs = oh_path_join(bundle, "rootfs");
	struct oh_error err = { 0 };
	struct policy *p = policy_defaults();
	struct decision d = { .exemption = -1 };
	static const struct {
		const char *config;
		const char *says;
	} t[] = {
		{ "{\"process\":{\"noNewPrivileges\":true},\"root\":{\"path\":\"rootfs\"}}",
		  "cannot raise privileges" },
		{ "{\"process\":{\"noNewPrivileges\":false},\"root\":{\"path\":\"rootfs\"}}",
		  "raises the privileges of whoever runs it" },
	};

	assert_int_equal(mkdir(rootfs, 0755), 0);
	build(rootfs, (const struct entry[]){ { DIR_, "bin", 0755, NULL },
					      { FILE_, "bin/su", 04755, NULL }, { 0 } });
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct spec s = parse_spec(t[i].config);
		assert_int_equal(scan(&s, bundle, p, &d, NULL, &err), 0);
		const struct finding *f = find(&d, R_SUID_FILES);
		assert_non_null(f);
		assert_non_null(strstr(f->message, "1 file with the setuid or setgid bit: /bin/su"));
		assert_non_null(strstr(f->message, t[i].says));
		decision_free(&d);
		spec_free(&s);
	}
	policy_free(p);
	remove_tree(bundle);
}

static void test_config_checks_never_fire_rootfs_rules(void **state)
{
	(void)state;
	struct oh_error err = { 0 };
	struct policy *p = policy_defaults();
	struct spec s = parse_spec("{\"root\":{\"path\":\"/\"}}");
	struct decision d;

	assert_int_equal(rules_evaluate(&s, p, host_facts(), &d, &err), 0);
	for (int r = R_LISTENING_ALL_INTERFACES; r <= R_COMPILER; r++)
		assert_null(find(&d, r));
	assert_non_null(find(&d, R_NO_NEW_PRIVILEGES));
	decision_free(&d);
	spec_free(&s);
	policy_free(p);
}

static void test_truncated_walk_is_stated_in_findings(void **state)
{
	(void)state;
	cleanup_free char *dir = many_files(100);
	struct oh_error err = { 0 };
	struct policy *p = policy_defaults();
	struct spec s = parse_spec("{\"root\":{\"path\":\"x\"}}");
	struct rootfs_result r;
	struct rootfs_limits lim = { .max_files = 20, .max_seconds = 60 };
	struct decision d = { .exemption = -1 };

	walk_dir(dir, &lim, &r);
	assert_true(r.scanned);
	assert_int_equal(rules_evaluate_rootfs(&r, &s, p, host_facts(), &d, &err), 0);
	const struct finding *f = find(&d, R_SUID_FILES);
	assert_non_null(f);
	assert_non_null(strstr(f->message, "19 files with the setuid or setgid bit"));
	assert_non_null(strstr(f->message, " and 7 more"));
	assert_non_null(strstr(f->message, "the walk stopped at its file-count limit"));
	decision_free(&d);
	rootfs_result_free(&r);
	spec_free(&s);
	policy_free(p);
	remove_tree(dir);
}

/* --------------------------------------------------- the policy's key */

static void test_policy_rootfs_key(void **state)
{
	(void)state;
	static const struct {
		const char *policy;
		const char *error;   /* NULL: valid */
		bool scan;
		unsigned long files;
		double seconds;
	} t[] = {
		{ "{}", NULL, false, POLICY_ROOTFS_MAX_FILES, POLICY_ROOTFS_MAX_SECONDS },
		{ "{\"rootfs\":{\"scan\":true,\"maxFiles\":5000,\"maxSeconds\":0.5}}", NULL,
		  true, 5000, 0.5 },
		{ "{\"rootfs\":{\"scan\":1}}", "/rootfs/scan: must be a boolean", false, 0, 0 },
		{ "{\"rootfs\":{\"maxFiles\":0}}", "/rootfs/maxFiles: must be an integer", false, 0, 0 },
		{ "{\"rootfs\":{\"maxFiles\":1.5}}", "/rootfs/maxFiles: must be an integer", false, 0, 0 },
		{ "{\"rootfs\":{\"maxSeconds\":0}}", "/rootfs/maxSeconds: must be a number", false, 0, 0 },
		{ "{\"rootfs\":{\"maxSeconds\":\"5\"}}", "/rootfs/maxSeconds: must be a number", false, 0, 0 },
		{ "{\"rootfs\":{\"maxSeconds\":7200}}", "/rootfs/maxSeconds: must be a number", false, 0, 0 },
		{ "{\"rootfs\":{\"depth\":3}}", "/rootfs/depth: unknown key", false, 0, 0 },
		{ "{\"rootfs\":[]}", "/rootfs: must be an object", false, 0, 0 },
		{ "{\"rules\":{\"suid-files\":\"fix\"}}", "cannot be fixed automatically", false, 0, 0 },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct oh_error err = { 0 };
		struct policy *p = NULL;
		char *buf = xstrdup(t[i].policy);
		int rc = policy_parse(buf, strlen(buf), "p.json", &p, &err);

		if (t[i].error != NULL) {
			if (rc == 0 || strstr(err.msg, t[i].error) == NULL)
				fail_msg("%s: want error \"%s\", got \"%s\"", t[i].policy,
					 t[i].error, rc == 0 ? "accepted" : err.msg);
			continue;
		}
		if (rc < 0)
			fail_msg("%s: %s", t[i].policy, err.msg);
		assert_int_equal(p->rootfs_scan, t[i].scan);
		assert_int_equal(p->rootfs_max_files, t[i].files);
		assert_true(p->rootfs_max_seconds == t[i].seconds);
		policy_free(p);
	}
}

static void test_default_policy_file_keys(void **state)
{
	(void)state;
	struct oh_error err = { 0 };
	struct policy *p;

	if (policy_load(OH_TEST_DIR "/../policy/default.json", &p, &err) < 0)
		fail_msg("%s", err.msg);
	/* off in hook stages by default: the walk costs time at start */
	assert_false(p->rootfs_scan);
	assert_int_equal(p->rootfs_max_files, POLICY_ROOTFS_MAX_FILES);
	assert_true(p->rootfs_max_seconds == POLICY_ROOTFS_MAX_SECONDS);
	for (int r = R_LISTENING_ALL_INTERFACES; r <= R_COMPILER; r++)
		assert_int_equal(p->action[r], ACT_WARN);
	policy_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_walk_table),
		cmocka_unit_test(test_details),
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_depth_bound),
		cmocka_unit_test(test_scan_bundle),
		cmocka_unit_test(test_nnp_changes_the_suid_message),
		cmocka_unit_test(test_config_checks_never_fire_rootfs_rules),
		cmocka_unit_test(test_truncated_walk_is_stated_in_findings),
		cmocka_unit_test(test_policy_rootfs_key),
		cmocka_unit_test(test_default_policy_file_keys),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
