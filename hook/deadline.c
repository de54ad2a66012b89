/* SPDX-License-Identifier: Apache-2.0 */
#include "deadline.h"

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>

#include "util.h"

struct sink {
	int fd;
	char *bytes;
	size_t len;
};

/* Read by the handler: filled before the timer can fire, and changed only
 * with SIGALRM blocked. */
static struct sink sinks[DEADLINE_MAX_SINKS];
static size_t nsinks;
static char *files[DEADLINE_MAX_FILES];
static volatile sig_atomic_t exit_status;
static volatile sig_atomic_t kill_fd = -1;
static struct sink kill_said = { .fd = STDERR_FILENO };

static void say(const struct sink *k)
{
	const char *p = k->bytes;
	size_t left = k->len;

	while (left > 0) {
		ssize_t n = write(k->fd, p, left);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		p += n;
		left -= (size_t)n;
	}
}

static void on_alarm(int sig)
{
	(void)sig;
	/* First: a poststart verifier's container, which a runtime that only
	 * warns about a failing hook (crun) would keep running unverified. */
	if (kill_fd >= 0 &&
	    syscall(SYS_pidfd_send_signal, (int)kill_fd, SIGKILL, NULL, 0) == 0)
		say(&kill_said);
	for (size_t i = 0; i < nsinks; i++)
		say(&sinks[i]);
	for (size_t i = 0; i < DEADLINE_MAX_FILES; i++)
		if (files[i] != NULL)
			unlink(files[i]);
	_exit(exit_status);
}

static void block(bool on, sigset_t *old)
{
	sigset_t s;

	sigemptyset(&s);
	sigaddset(&s, SIGALRM);
	sigprocmask(on ? SIG_BLOCK : SIG_SETMASK, on ? &s : old, on ? old : NULL);
}

int deadline_arm(double seconds, int status, struct oh_error *err)
{
	struct sigaction sa;
	struct itimerval it = { 0 };

	if (!(seconds > 0) || seconds > 86400)
		return oh_err(err, 0, "a deadline of %g seconds is out of range", seconds);
	exit_status = status;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGALRM, &sa, NULL) < 0)
		return oh_err(err, errno, "cannot set the deadline's signal handler");
	it.it_value.tv_sec = (time_t)seconds;
	it.it_value.tv_usec = (suseconds_t)((seconds - (double)it.it_value.tv_sec) * 1e6);
	if (it.it_value.tv_sec == 0 && it.it_value.tv_usec == 0)
		it.it_value.tv_usec = 1;
	if (setitimer(ITIMER_REAL, &it, NULL) < 0)
		return oh_err(err, errno, "cannot arm the deadline");
	return 0;
}

void deadline_say(int fd, const char *bytes, size_t len)
{
	sigset_t old;

	if (nsinks >= DEADLINE_MAX_SINKS)
		return;
	char *copy = xmalloc(len + 1);
	memcpy(copy, bytes, len);
	block(true, &old);
	sinks[nsinks].fd = fd;
	sinks[nsinks].bytes = copy;
	sinks[nsinks].len = len;
	nsinks++;
	block(false, &old);
}

void deadline_kill(int pidfd, const char *said, size_t len)
{
	sigset_t old;
	char *copy = NULL, *gone;

	if (pidfd >= 0) {
		copy = xmalloc(len + 1);
		memcpy(copy, said, len);
	}
	block(true, &old);
	kill_fd = pidfd;
	gone = kill_said.bytes;
	kill_said.bytes = copy;
	kill_said.len = copy != NULL ? len : 0;
	block(false, &old);
	free(gone);
}

void deadline_track_file(const char *path)
{
	sigset_t old;
	char *copy = xstrdup(path);

	block(true, &old);
	for (size_t i = 0; i < DEADLINE_MAX_FILES; i++)
		if (files[i] == NULL) {
			files[i] = copy;
			copy = NULL;
			break;
		}
	block(false, &old);
	free(copy);
}

void deadline_untrack_file(const char *path)
{
	sigset_t old;
	char *gone = NULL;

	block(true, &old);
	for (size_t i = 0; i < DEADLINE_MAX_FILES; i++)
		if (files[i] != NULL && strcmp(files[i], path) == 0) {
			gone = files[i];
			files[i] = NULL;
			break;
		}
	block(false, &old);
	free(gone);
}

static sigset_t held_mask;

void deadline_hold(void)
{
	block(true, &held_mask);
}

void deadline_release(void)
{
	block(false, &held_mask);
}

void deadline_disarm(void)
{
	struct itimerval it = { 0 };
	sigset_t old;

	setitimer(ITIMER_REAL, &it, NULL);
	signal(SIGALRM, SIG_DFL);
	deadline_kill(-1, NULL, 0);
	block(true, &old);
	for (size_t i = 0; i < nsinks; i++)
		free(sinks[i].bytes);
	nsinks = 0;
	for (size_t i = 0; i < DEADLINE_MAX_FILES; i++) {
		free(files[i]);
		files[i] = NULL;
	}
	block(false, &old);
}
