/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rawcall [-w] [-t] [-p] NR [ARG...]: makes system call NR with the given
 * integer arguments (0 for the rest) and prints "NR 0" or "NR ERRNO NAME",
 * e.g. "462 38 ENOSYS".  Static, for test containers without a libc: it
 * lets a test ask the kernel (and the filter runc loaded) about a call by
 * number, also one that neither libc nor libseccomp knows by name.
 *
 * -t makes the call in a thread of its own (a filter's KILL_THREAD then
 * ends the thread, not the process, and prints "NR killed"); -w stays
 * alive afterwards, so that the process that made the call can still be
 * found (profile denials attributes records by the caller's pid); -p
 * makes the call in a child this process traces with
 * PTRACE_O_TRACESECCOMP, letting every stop go on: what any process in a
 * container can do to a call a filter sends to SCMP_ACT_TRACE.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static long nr, a[6];
static volatile int returned;

static void call(void)
{
	errno = 0;
	long rc = syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	if (rc < 0)
		printf("%ld %d %s\n", nr, errno, strerrorname_np(errno) ? strerrorname_np(errno) : "?");
	else
		printf("%ld 0\n", nr);
	fflush(stdout);
	returned = 1;
}

static void *thread_main(void *arg)
{
	(void)arg;
	call();
	return NULL;
}

/* The call in a child traced by this process; every seccomp stop is let
 * through (the tracer's PTRACE_CONT runs the call). */
static int traced(void)
{
	pid_t c = fork();
	int st;

	if (c < 0)
		return 2;
	if (c == 0) {
		if (ptrace(PTRACE_TRACEME, 0, 0, 0) < 0)
			_exit(3);
		raise(SIGSTOP);
		call();
		_exit(0);
	}
	if (waitpid(c, &st, 0) < 0 ||
	    ptrace(PTRACE_SETOPTIONS, c, 0, PTRACE_O_TRACESECCOMP | PTRACE_O_EXITKILL) < 0 ||
	    ptrace(PTRACE_CONT, c, 0, 0) < 0)
		return 2;
	while (waitpid(c, &st, 0) == c && WIFSTOPPED(st)) {
		/* a seccomp or syscall stop carries no signal to pass on */
		int sig = (st >> 16) != 0 || WSTOPSIG(st) == SIGTRAP ? 0 : WSTOPSIG(st);
		ptrace(PTRACE_CONT, c, 0, sig);
	}
	return 0;
}

int main(int argc, char **argv)
{
	int i = 1;
	int wait = 0, thread = 0, trace = 0;

	for (; i < argc && argv[i][0] == '-' && argv[i][1] != '\0' && argv[i][1] > '9'; i++) {
		if (strcmp(argv[i], "-w") == 0)
			wait = 1;
		else if (strcmp(argv[i], "-t") == 0)
			thread = 1;
		else if (strcmp(argv[i], "-p") == 0)
			trace = 1;
		else
			break;
	}
	if (argc - i < 1 || argc - i > 7) {
		fprintf(stderr, "usage: rawcall [-w] [-t] [-p] NR [ARG...]\n");
		return 2;
	}
	nr = strtol(argv[i], NULL, 0);
	for (int k = i + 1; k < argc; k++)
		a[k - i - 1] = strtol(argv[k], NULL, 0);
	if (trace) {
		if (traced() != 0)
			return 2;
	} else if (thread) {
		pthread_t t;
		if (pthread_create(&t, NULL, thread_main, NULL) != 0)
			return 2;
		/* A killed thread never returns: give it a moment, not a join. */
		for (int k = 0; k < 50 && !returned; k++)
			usleep(10000);
		if (!returned) {
			printf("%ld killed\n", nr);
			fflush(stdout);
		}
	} else {
		call();
	}
	if (wait)
		for (;;)
			pause();
	return 0;
}
