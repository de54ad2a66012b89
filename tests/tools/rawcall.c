/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rawcall NR [ARG...]: makes system call NR with the given integer
 * arguments (0 for the rest) and prints "NR 0" or "NR ERRNO NAME", e.g.
 * "462 38 ENOSYS".  Static, for test containers without a libc: it lets a
 * test ask the kernel (and the filter runc loaded) about a call by number,
 * also one that neither libc nor libseccomp knows by name.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long nr, a[6] = { 0 };

	if (argc < 2 || argc > 8) {
		fprintf(stderr, "usage: rawcall NR [ARG...]\n");
		return 2;
	}
	nr = strtol(argv[1], NULL, 0);
	for (int i = 2; i < argc; i++)
		a[i - 2] = strtol(argv[i], NULL, 0);
	errno = 0;
	long rc = syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	if (rc < 0)
		printf("%ld %d %s\n", nr, errno, strerrorname_np(errno) ? strerrorname_np(errno) : "?");
	else
		printf("%ld 0\n", nr);
	return 0;
}
