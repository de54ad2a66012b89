/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libseccomp opened on first use (hook/scload.c), built here against a
 * library name that does not exist: the first call must end the process
 * with exit status 2 and say why, never return as if libseccomp had
 * answered.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "scload.h"

static void test_missing_library_ends_the_process(void **state)
{
	(void)state;
	int pipefd[2];

	assert_int_equal(pipe(pipefd), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(pipefd[1], STDERR_FILENO);
		close(pipefd[0]);
		/* A filter that would allow everything, were it returned. */
		scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
		_exit(ctx == NULL ? 3 : 0);
	}
	close(pipefd[1]);
	char msg[512] = "";
	ssize_t n = read(pipefd[0], msg, sizeof(msg) - 1);
	msg[n > 0 ? n : 0] = '\0';
	close(pipefd[0]);
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 2);
	assert_non_null(strstr(msg, "cannot load liboci-harden-no-such-library.so.0"));
}

/* A front end's handler: it gets the reason, and its status ends the
 * process (the hook's record and outcome, audit mode's admission). */
static int front_end(const char *why, void *ctx)
{
	fprintf(stderr, "%s: %s\n", (const char *)ctx, why);
	return 7;
}

static void test_missing_library_goes_to_the_front_end(void **state)
{
	(void)state;
	int pipefd[2];

	assert_int_equal(pipe(pipefd), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(pipefd[1], STDERR_FILENO);
		close(pipefd[0]);
		oh_sc_on_load_failure(front_end, "the hook's record");
		scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
		_exit(ctx == NULL ? 3 : 0);
	}
	close(pipefd[1]);
	char msg[512] = "";
	ssize_t n = read(pipefd[0], msg, sizeof(msg) - 1);
	msg[n > 0 ? n : 0] = '\0';
	close(pipefd[0]);
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 7);
	assert_non_null(strstr(msg, "the hook's record: cannot load liboci-harden-no-such-library.so.0"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_missing_library_ends_the_process),
		cmocka_unit_test(test_missing_library_goes_to_the_front_end),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
