/* SPDX-License-Identifier: Apache-2.0 */
/* The audit line as a syslog daemon receives it on its socket. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <syslog.h>
#include <unistd.h>

#include "audit.h"

/* A datagram socket bound where the daemon's would be. */
static int listen_at(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	unlink(path);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	return fd;
}

static void test_line_reaches_the_daemon_whole(void **state)
{
	(void)state;
	char dir[] = "/tmp/oh-hookcost-audit-XXXXXX", path[64], got[512], want[512];

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/log", dir);
	int fd = listen_at(path);
	audit_syslog(path, LOG_AUTHPRIV | LOG_NOTICE, "stage=precreate verdict=fixable");
	ssize_t n = recv(fd, got, sizeof(got) - 1, MSG_DONTWAIT);
	assert_true(n > 0);
	got[n] = '\0';
	/* What journald and rsyslog parse: priority, tag with pid, message. */
	snprintf(want, sizeof(want), "<%d>oci-harden[%ld]: stage=precreate verdict=fixable",
		 LOG_AUTHPRIV | LOG_NOTICE, (long)getpid());
	assert_string_equal(got, want);
	close(fd);
	unlink(path);
	rmdir(dir);
}

/* No daemon: the line is lost, the caller goes on. */
static void test_no_daemon_is_no_failure(void **state)
{
	(void)state;
	audit_syslog("/tmp/oh-hookcost-audit-none/log", LOG_AUTHPRIV | LOG_INFO, "x");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_line_reaches_the_daemon_whole),
		cmocka_unit_test(test_no_daemon_is_no_failure),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
