/* SPDX-License-Identifier: Apache-2.0 */
/* The deadline: when it passes the process says why, removes what it
 * registered and exits with the status given; disarmed, it never fires. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "deadline.h"

static void test_fires(void **state)
{
	char path[] = "/tmp/oh-deadline-XXXXXX";
	int fds[2];
	(void)state;

	int tmp = mkstemp(path);
	assert_true(tmp >= 0);
	close(tmp);
	assert_int_equal(pipe(fds), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct oh_error err = { 0 };
		close(fds[0]);
		deadline_say(fds[1], "too late\n", 9);
		deadline_track_file(path);
		if (deadline_arm(0.05, 7, &err) < 0)
			_exit(99);
		for (;;)
			pause();
	}
	close(fds[1]);
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 7);
	char buf[32] = "";
	assert_int_equal(read(fds[0], buf, sizeof(buf) - 1), 9);
	assert_string_equal(buf, "too late\n");
	close(fds[0]);
	assert_int_not_equal(access(path, F_OK), 0);
}

static void test_disarmed_never_fires(void **state)
{
	struct oh_error err = { 0 };
	char path[] = "/tmp/oh-deadline-XXXXXX";
	(void)state;

	int tmp = mkstemp(path);
	assert_true(tmp >= 0);
	close(tmp);
	deadline_track_file(path);
	deadline_untrack_file(path);
	/* Long enough that a loaded machine does not fire it between the
	 * two calls; waited out twice over. */
	assert_int_equal(deadline_arm(0.3, 7, &err), 0);
	deadline_disarm();
	usleep(600000);
	assert_int_equal(access(path, F_OK), 0);
	unlink(path);
	assert_int_equal(deadline_arm(0, 7, &err), -1);
}

/* A process registered through its pidfd is killed when the deadline
 * passes; one forgotten is not. */
static void test_kills(void **state)
{
	(void)state;
	for (int forget = 0; forget < 2; forget++) {
		pid_t victim = fork();
		assert_true(victim >= 0);
		if (victim == 0) {
			for (;;)
				pause();
		}
		pid_t pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			struct oh_error err = { 0 };
			int fd = (int)syscall(SYS_pidfd_open, victim, 0);
			if (fd < 0)
				_exit(98);
			deadline_kill(fd, "killed\n", 7);
			if (forget)
				deadline_kill(-1, NULL, 0);
			if (deadline_arm(0.05, 7, &err) < 0)
				_exit(99);
			for (;;)
				pause();
		}
		int st;
		assert_int_equal(waitpid(pid, &st, 0), pid);
		assert_true(WIFEXITED(st));
		assert_int_equal(WEXITSTATUS(st), 7);
		usleep(20000);
		/* Killed: waited for, however loaded the machine; forgotten:
		 * still there. */
		assert_int_equal(waitpid(victim, &st, forget ? WNOHANG : 0), forget ? 0 : victim);
		if (forget) {
			kill(victim, SIGKILL);
			assert_int_equal(waitpid(victim, &st, 0), victim);
		}
		assert_true(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	}
}

/* "killed" is said only when the signal was sent: a process that is gone
 * when the deadline passes (exited and reaped) gets no such line. */
static void test_says_killed_only_when_killed(void **state)
{
	(void)state;
	char dir[] = "/tmp/oh-deadline-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char sock[64], log[64];
	snprintf(sock, sizeof(sock), "%s/log.sock", dir);
	snprintf(log, sizeof(log), "%s/audit.log", dir);
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", sock);
	int rx = socket(AF_UNIX, SOCK_DGRAM, 0);
	assert_true(rx >= 0);
	assert_int_equal(bind(rx, (struct sockaddr *)&sa, sizeof(sa)), 0);
	for (int gone = 0; gone < 2; gone++) {
		int out[2];
		assert_int_equal(pipe(out), 0);
		pid_t pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			struct oh_error err = { 0 };
			pid_t victim = fork();
			if (victim == 0) {
				if (gone)
					_exit(0);
				for (;;)
					pause();
			}
			int fd = (int)syscall(SYS_pidfd_open, victim, 0);
			if (fd < 0)
				_exit(98);
			if (gone && waitpid(victim, NULL, 0) != victim)
				_exit(97);
			dup2(out[1], STDERR_FILENO);
			deadline_say(STDERR_FILENO, "late\n", 5);
			deadline_kill(fd, "killed\n", 7);
			struct deadline_audit a = { .socket = sock, .prio = 36,
						    .line = "action=refused",
						    .killed = "action=killed", .file = log };
			deadline_audit(&a);
			if (deadline_arm(0.05, 7, &err) < 0)
				_exit(99);
			for (;;)
				pause();
		}
		close(out[1]);
		char buf[64] = { 0 };
		size_t got = 0;
		ssize_t n;
		while ((n = read(out[0], buf + got, sizeof(buf) - 1 - got)) > 0)
			got += (size_t)n;
		close(out[0]);
		int st;
		assert_int_equal(waitpid(pid, &st, 0), pid);
		assert_true(WIFEXITED(st));
		assert_int_equal(WEXITSTATUS(st), 7);
		assert_string_equal(buf, gone ? "late\n" : "killed\nlate\n");
		/* The audit trail: one datagram, one line appended. */
		char dg[128] = { 0 }, want[128];
		assert_true(recv(rx, dg, sizeof(dg) - 1, MSG_DONTWAIT) > 0);
		snprintf(want, sizeof(want), "<36>oci-harden[%ld]: %s", (long)pid,
			 gone ? "action=refused" : "action=killed");
		assert_string_equal(dg, want);
		char text[256] = { 0 };
		FILE *lf = fopen(log, "r");
		assert_non_null(lf);
		size_t tl = fread(text, 1, sizeof(text) - 1, lf);
		fclose(lf);
		unlink(log);
		assert_true(tl == 26 + strlen(gone ? "action=refused\n" : "action=killed\n"));
		assert_memory_equal(text, "time=", 5);
		assert_string_equal(text + 26, gone ? "action=refused\n" : "action=killed\n");
	}
	close(rx);
	unlink(sock);
	rmdir(dir);
}

/* The handler's own clock face agrees with gmtime(3). */
static void test_utc(void **state)
{
	(void)state;
	static const long long at[] = { 0, 59, 86399, 86400, 951782400 /* 2000-02-29 */,
					951868800, 1709164800 /* 2024-02-29 */, 4102444799,
					-1, -86401, 253402300799 };
	for (size_t i = 0; i < sizeof(at) / sizeof(at[0]); i++) {
		char want[32], got[21];
		time_t t = (time_t)at[i];
		struct tm tm;
		gmtime_r(&t, &tm);
		strftime(want, sizeof(want), "%Y-%m-%dT%H:%M:%SZ", &tm);
		deadline_utc(at[i], got);
		assert_string_equal(got, want);
	}
	for (long long s = 0; s < 4102444800LL; s += 7777777) {
		char want[32], got[21];
		time_t t = (time_t)s;
		struct tm tm;
		gmtime_r(&t, &tm);
		strftime(want, sizeof(want), "%Y-%m-%dT%H:%M:%SZ", &tm);
		deadline_utc(s, got);
		assert_string_equal(got, want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fires),
		cmocka_unit_test(test_disarmed_never_fires),
		cmocka_unit_test(test_kills),
		cmocka_unit_test(test_utc),
		cmocka_unit_test(test_says_killed_only_when_killed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
