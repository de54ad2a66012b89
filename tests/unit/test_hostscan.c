/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The parsers behind `oci-harden host`, as tables of inputs and what must
 * come out: os-release, distro-info-data csv, dpkg's status file, dpkg's
 * version order, the CVE table's branch logic, package kinds, crun's
 * status file and the engine a bundle path belongs to.  Also the judgement
 * of prepared facts: rule, action from the policy, and what must not fire.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host_judge.h"
#include "hostscan.h"
#include "policy.h"
#include "report.h"
#include "util.h"

static void test_os_release(void **state)
{
	(void)state;
	struct host_os o = { 0 };
	host_os_release_parse("# comment\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n"
			      "NAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\n"
			      "VERSION_CODENAME=bookworm\nID=debian\n"
			      "IDLIKE=x\nHOME_URL='https://x'\n", &o);
	assert_string_equal(o.id, "debian");
	assert_string_equal(o.version_id, "12");
	assert_string_equal(o.codename, "bookworm");
	assert_string_equal(o.pretty, "Debian GNU/Linux 12 (bookworm)");
	host_os_free(&o);

	/* escapes in double quotes, single quotes, no trailing newline */
	host_os_release_parse("PRETTY_NAME=\"a \\\"b\\\" c\"\nID='ubuntu'\nVERSION_ID=22.04", &o);
	assert_string_equal(o.pretty, "a \"b\" c");
	assert_string_equal(o.id, "ubuntu");
	assert_string_equal(o.version_id, "22.04");
	assert_null(o.codename);
	host_os_free(&o);
}

static const char debian_csv[] =
	"version,codename,series,created,release,eol,eol-lts,eol-elts\n"
	"11,Bullseye,bullseye,2019-07-06,2021-08-14,2024-08-14,2026-08-31,2031-06-30\n"
	"12,Bookworm,bookworm,2021-08-14,2023-06-10,2026-07-11,2028-06-30,2033-06-30\n"
	"14,Forky,forky,2025-08-09\n";
static const char ubuntu_csv[] =
	"version,codename,series,created,release,eol,eol-server,eol-esm,eol-legacy\r\n"
	"22.04 LTS,Jammy Jellyfish,jammy,2021-10-14,2022-04-21,2027-06-01,2027-06-01,2032-04-09,2034-04-25\r\n";

static void test_distro_info(void **state)
{
	(void)state;
	struct {
		const char *csv, *codename, *version;
		int found;
		const char *release, *eol, *ext;   /* "LABEL DATE,..." */
	} t[] = {
		{ debian_csv, "bookworm", "12", 1, "2023-06-10", "2026-07-11",
		  "LTS 2028-06-30,ELTS 2033-06-30," },
		{ debian_csv, "Bullseye", NULL, 1, "2021-08-14", "2024-08-14",
		  "LTS 2026-08-31,ELTS 2031-06-30," },
		/* by version when os-release has no codename */
		{ debian_csv, NULL, "12", 1, "2023-06-10", "2026-07-11",
		  "LTS 2028-06-30,ELTS 2033-06-30," },
		/* a release without dates yet: found, no eol */
		{ debian_csv, "forky", NULL, 1, NULL, NULL, "" },
		{ debian_csv, "hamm", NULL, 0, NULL, NULL, "" },
		{ debian_csv, NULL, "1", 0, NULL, NULL, "" },
		/* Ubuntu: "22.04 LTS" is VERSION_ID 22.04; CRLF line ends */
		{ ubuntu_csv, NULL, "22.04", 1, "2022-04-21", "2027-06-01",
		  "ESM 2032-04-09,legacy support 2034-04-25," },
		{ ubuntu_csv, NULL, "22.0", 0, NULL, NULL, "" },
		{ "", "bookworm", NULL, 0, NULL, NULL, "" },
		{ "a,b\n1,2\n", "bookworm", NULL, 0, NULL, NULL, "" },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct host_os o = { 0 };
		o.codename = t[i].codename ? xstrdup(t[i].codename) : NULL;
		o.version_id = t[i].version ? xstrdup(t[i].version) : NULL;
		assert_int_equal(host_distro_info_parse(t[i].csv, &o), t[i].found);
		if (t[i].release)
			assert_string_equal(o.release, t[i].release);
		else
			assert_null(o.release);
		if (t[i].eol)
			assert_string_equal(o.eol, t[i].eol);
		else
			assert_null(o.eol);
		struct oh_buf b = { 0 };
		oh_buf_puts(&b, "");
		for (size_t k = 0; k < o.next; k++)
			oh_buf_printf(&b, "%s %s,", o.ext[k].label, o.ext[k].date);
		assert_string_equal(b.data, t[i].ext);
		oh_buf_free(&b);
		host_os_free(&o);
	}
}

static void test_dpkg_status(void **state)
{
	(void)state;
	struct host_pkgs p = { 0 };
	const char *text =
		"Package: zlib1g\nStatus: install ok installed\nPriority: required\n"
		"Version: 1:1.2.13.dfsg-1\nDescription: x\n continued line\n\n"
		"Package: gone\nStatus: deinstall ok config-files\nVersion: 1.0\n\n"
		"Package: half\nStatus: install ok half-installed\nVersion: 2.0\n\n"
		"Package: runc\nVersion: 1.1.5+ds1-1+deb12u1\nStatus: hold ok installed\n\n\n"
		"Package: noversion\nStatus: install ok installed\n";

	host_dpkg_parse(text, &p);
	assert_int_equal(p.n, 3);
	/* sorted by name */
	assert_string_equal(p.pkgs[0].name, "noversion");
	assert_string_equal(p.pkgs[0].version, "");
	assert_string_equal(p.pkgs[1].name, "runc");
	assert_string_equal(host_pkg_find(&p, "runc")->version, "1.1.5+ds1-1+deb12u1");
	assert_string_equal(host_pkg_find(&p, "zlib1g")->version, "1:1.2.13.dfsg-1");
	assert_null(host_pkg_find(&p, "gone"));
	assert_null(host_pkg_find(&p, "half"));
	host_pkgs_free(&p);

	host_dpkg_parse("", &p);
	assert_int_equal(p.n, 0);
	assert_null(host_pkg_find(&p, "x"));
	host_pkgs_free(&p);
}

static void test_version_order(void **state)
{
	(void)state;
	/* a, b, sign of the comparison, as dpkg --compare-versions says */
	struct { const char *a, *b; int sign; } t[] = {
		{ "1.1.5", "1.1.12", -1 }, { "1.1.12", "1.1.5", 1 }, { "1.0", "1.0", 0 },
		{ "1.1.5+ds1", "1.1.12", -1 }, { "1.1.14", "1.1.14+ds1", -1 },
		{ "1.2.0~rc3", "1.2.0", -1 }, { "1.2.0~rc3", "1.2.0~rc10", -1 },
		{ "1:0.1", "2.0", 1 }, { "1.0-1", "1.0-1+deb12u1", -1 },
		{ "1.0a", "1.0", 1 }, { "1.0~", "1.0", -1 }, { "01.2", "1.02", 0 },
		{ "1.20", "1.8.1", 1 }, { "1.27", "1.26.1", 1 },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		int c = host_version_cmp(t[i].a, t[i].b);
		int sign = (c > 0) - (c < 0);
		if (sign != t[i].sign)
			fail_msg("%s vs %s: %d, want %d", t[i].a, t[i].b, sign, t[i].sign);
	}
}

static const struct runtime_cve *cve(const char *id)
{
	for (size_t i = 0; i < runtime_ncves; i++)
		if (strcmp(runtime_cves[i].id, id) == 0)
			return &runtime_cves[i];
	fail_msg("%s is not in the table", id);
	return NULL;
}

static void test_cve_branches(void **state)
{
	(void)state;
	struct { const char *id, *version; bool affected; } t[] = {
		{ "CVE-2024-21626", "1.1.5+ds1", true }, { "CVE-2024-21626", "1.1.12", false },
		{ "CVE-2024-21626", "1.2.0", false },
		{ "CVE-2024-45310", "1.1.13", true }, { "CVE-2024-45310", "1.1.14", false },
		/* runc's own spelling of a release candidate */
		{ "CVE-2024-45310", "1.2.0-rc.2", true }, { "CVE-2024-45310", "1.2.0-rc.3", false },
		{ "CVE-2024-45310", "1.2.0", false },
		/* three branches fixed at once; an older branch has no fix */
		{ "CVE-2025-52881", "1.1.15", true }, { "CVE-2025-52881", "1.2.7", true },
		{ "CVE-2025-52881", "1.2.8", false }, { "CVE-2025-52881", "1.3.2", true },
		{ "CVE-2025-52881", "1.3.3", false }, { "CVE-2025-52881", "1.4.0-rc.2", true },
		{ "CVE-2025-52881", "1.4.0", false }, { "CVE-2025-52881", "1.5.1", false },
		{ "CVE-2022-27650", "1.8.1", false }, { "CVE-2022-27650", "1.4.3", true },
		{ "CVE-2026-30892", "1.8.1", true }, { "CVE-2026-30892", "1.27", false },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (host_cve_affects(cve(t[i].id), t[i].version) != t[i].affected)
			fail_msg("%s on %s: want %s", t[i].id, t[i].version,
				 t[i].affected ? "affected" : "fixed");
	/* every entry is a runtime's, with a fix, in ascending order */
	for (size_t i = 0; i < runtime_ncves; i++) {
		const struct runtime_cve *c = &runtime_cves[i];
		assert_true(strcmp(c->runtime, "runc") == 0 || strcmp(c->runtime, "crun") == 0);
		assert_non_null(c->fixed[0]);
		assert_true(strlen(c->what) > 10);
		for (size_t k = 1; k < 4 && c->fixed[k]; k++)
			assert_true(host_version_cmp(c->fixed[k - 1], c->fixed[k]) < 0);
	}
}

static void test_package_kinds(void **state)
{
	(void)state;
	struct { const char *name; int kind; } t[] = {
		{ "gcc", PK_COMPILER }, { "gcc-12", PK_COMPILER }, { "gcc-12-base", -1 },
		{ "g++-12", PK_COMPILER }, { "clang-14", PK_COMPILER }, { "libclang1-14", -1 },
		{ "make", PK_COMPILER }, { "makedev", -1 }, { "xserver-xorg-core", PK_DESKTOP },
		{ "gdm3", PK_DESKTOP }, { "apache2", PK_SERVER }, { "apache2-utils", -1 },
		{ "postgresql-15", PK_SERVER }, { "postgresql-client-15", -1 },
		{ "runc", -1 }, { "podman", -1 }, { "", -1 },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (host_pkg_kind(t[i].name) != t[i].kind)
			fail_msg("%s: kind %d, want %d", t[i].name, host_pkg_kind(t[i].name), t[i].kind);
}

static void test_crun_status_and_bundles(void **state)
{
	(void)state;
	struct oh_error err = { 0 };
	const char *ok = "{\"pid\": 4242, \"process-start-time\": 99, \"bundle\": "
			 "\"/var/lib/containers/storage/overlay-containers/ab/userdata\"}";
	char *bundle;
	pid_t pid;

	assert_int_equal(host_crun_status_pid(ok, strlen(ok), &pid, &bundle, &err), 0);
	assert_int_equal(pid, 4242);
	assert_string_equal(host_engine_of_bundle(bundle, "crun"), "podman");
	free(bundle);
	const char *bad[] = { "{}", "{\"pid\": -1}", "{\"pid\": \"1\"}", "[1]", "{\"pid\":1,\"pid\":2}" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(host_crun_status_pid(bad[i], strlen(bad[i]), &pid, &bundle, &err), -1);

	assert_string_equal(host_engine_of_bundle("/run/containerd/io.containerd.runtime.v2.task/moby/ab", "runc"), "docker");
	assert_string_equal(host_engine_of_bundle("/run/containerd/io.containerd.runtime.v2.task/k8s.io/ab", "runc"), "containerd");
	assert_string_equal(host_engine_of_bundle("/tmp/bundle", "runc"), "runc");
	assert_string_equal(host_engine_of_bundle(NULL, "crun"), "crun");
}

/* Judgement of prepared facts: each rule with the policy's action. */
static void test_judge(void **state)
{
	(void)state;
	struct policy *p = policy_defaults();
	struct host_report hr = { 0 };
	struct host_container c = { .id = "web", .engine = "podman", .pid = 10, .netns = 7 };
	struct host_socket socks[3] = {
		{ .l = { .proto = "tcp6", .address = "::", .any = true, .port = 80, .pid = 11,
			 .process = "nginx" }, .netns = 7, .container = &c },
		{ .l = { .proto = "tcp", .address = "0.0.0.0", .any = true, .port = 80, .pid = 11,
			 .process = "nginx" }, .netns = 7, .container = &c },
		{ .l = { .proto = "tcp", .address = "127.0.0.1", .port = 5432, .pid = 3,
			 .process = "postgres" }, .netns = 1, .host = true },
	};
	hr.root = "/r";
	hr.net_read = true;
	hr.net.sockets = socks;
	hr.net.nsockets = 3;
	hr.os.source = "/r/etc/os-release";
	hr.os.data = "/r/csv";
	hr.os.id = "debian";
	hr.os.eol = "2000-01-01";
	hr.mac.selinux_present = true;
	hr.mac.selinux_enforce = 1;

	struct result *res;
	size_t n;
	host_judge(&hr, p, &res, &n);
	size_t listen = 0, eol = 0, other = 0;
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < res[i].d.nfindings; k++) {
			const struct finding *f = &res[i].d.findings[k];
			assert_true(f->line >= 1 && f->column >= 1);
			assert_true(f->pointer[0] == '/');
			if (f->rule == R_LISTENING_ALL_INTERFACES) {
				listen++;
				assert_non_null(strstr(f->message, "in container web (podman)"));
				assert_int_equal(f->action, ACT_WARN);
			} else if (f->rule == R_HOST_END_OF_LIFE) {
				eol++;
				assert_non_null(strstr(f->message, "there is no extended support"));
			} else {
				other++;
			}
		}
	/* the dual-stack service is one finding; loopback none; SELinux
	 * enforcing none */
	assert_int_equal(listen, 1);
	assert_int_equal(eol, 1);
	assert_int_equal(other, 0);
	for (size_t i = 0; i < n; i++)
		result_free(&res[i]);
	free(res);

	/* rules set off by the policy make no finding */
	p->action[R_LISTENING_ALL_INTERFACES] = ACT_OFF;
	p->action[R_HOST_END_OF_LIFE] = ACT_DENY;
	host_judge(&hr, p, &res, &n);
	enum verdict worst = V_COMPLIANT;
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < res[i].d.nfindings; k++)
			assert_int_equal(res[i].d.findings[k].rule, R_HOST_END_OF_LIFE);
		if (res[i].verdict == V_DENIED)
			worst = V_DENIED;
		result_free(&res[i]);
	}
	assert_int_equal(worst, V_DENIED);
	free(res);
	policy_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_os_release),
		cmocka_unit_test(test_distro_info),
		cmocka_unit_test(test_dpkg_status),
		cmocka_unit_test(test_version_order),
		cmocka_unit_test(test_cve_branches),
		cmocka_unit_test(test_package_kinds),
		cmocka_unit_test(test_crun_status_and_bundles),
		cmocka_unit_test(test_judge),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
