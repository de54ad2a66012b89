/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The way out of a chroot that root with CAP_SYS_CHROOT has known since
 * the 1990s, for the tests of mount-namespace: chroot into a subdirectory
 * without moving the working directory, walk ".." until it stops, make
 * that the root, run the command.  Where the runtime pivot_root'ed into
 * the container's own mount namespace, ".." stops at the container's
 * root and the command sees only the container.
 *
 * usage: chroot-walk SCRATCH-DIR PROGRAM [ARGS...]   (static, no libc
 * beyond the calls below, so it runs in a busybox rootfs)
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: chroot-walk SCRATCH-DIR PROGRAM [ARGS...]\n");
		return 2;
	}
	if (mkdir(argv[1], 0700) < 0 && errno != EEXIST) {
		fprintf(stderr, "chroot-walk: mkdir %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	if (chroot(argv[1]) < 0) {
		fprintf(stderr, "chroot-walk: chroot %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	/* The working directory is still outside the new root: ".." from
	 * there is never stopped by it. */
	for (int i = 0; i < 256; i++)
		if (chdir("..") < 0) {
			fprintf(stderr, "chroot-walk: chdir ..: %s\n", strerror(errno));
			return 1;
		}
	if (chroot(".") < 0) {
		fprintf(stderr, "chroot-walk: chroot .: %s\n", strerror(errno));
		return 1;
	}
	execv(argv[2], argv + 2);
	fprintf(stderr, "chroot-walk: %s: %s\n", argv[2], strerror(errno));
	return 127;
}
