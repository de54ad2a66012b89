/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A process whose main thread exits while another thread runs on, for the
 * poststart tests: the process lives, yet /proc/PID/root and the other
 * links of its (exited) main thread give ENOENT, as for a process that
 * has exited.  The second thread sleeps until the process is killed.
 *
 * usage: leader-exit   (static, so it runs in a busybox rootfs)
 */
#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>

static void *linger(void *unused)
{
	(void)unused;
	for (;;)
		pause();
	return NULL;
}

int main(void)
{
	pthread_t t;

	if (pthread_create(&t, NULL, linger, NULL) != 0)
		return 1;
	/* exit(2) ends only this thread; exit_group(2) would end all. */
	syscall(SYS_exit, 0);
	return 1;
}
