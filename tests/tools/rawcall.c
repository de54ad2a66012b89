/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rawcall [-w] [-t] NR [ARG...]: makes system call NR with the given
 * integer arguments (0 for the rest) and prints "NR 0" or "NR ERRNO NAME",
 * e.g. "462 38 ENOSYS".  Static, for test containers without a libc: it
 * lets a test ask the kernel (and the filter runc loaded) about a call by
 * number, also one that neither libc nor libseccomp knows by name.
 *
 * -t makes the call in a thread of its own (a filter's KILL_THREAD then
 * ends the thread, not the process, and prints "NR killed"); -w stays
 * alive afterwards, so that the process that made the call can still be
 * found (profile denials attributes records by the caller's pid).
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
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

int main(int argc, char **argv)
{
	int i = 1;
	int wait = 0, thread = 0;

	for (; i < argc && argv[i][0] == '-' && argv[i][1] != '\0' && argv[i][1] > '9'; i++) {
		if (strcmp(argv[i], "-w") == 0)
			wait = 1;
		else if (strcmp(argv[i], "-t") == 0)
			thread = 1;
		else
			break;
	}
	if (argc - i < 1 || argc - i > 7) {
		fprintf(stderr, "usage: rawcall [-w] [-t] NR [ARG...]\n");
		return 2;
	}
	nr = strtol(argv[i], NULL, 0);
	for (int k = i + 1; k < argc; k++)
		a[k - i - 1] = strtol(argv[k], NULL, 0);
	if (thread) {
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
