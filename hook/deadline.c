/* SPDX-License-Identifier: Apache-2.0 */
#include "deadline.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <time.h>
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

/* The audit trail's line, ready to send (deadline_audit). */
static struct {
	struct sockaddr_un sa;
	int prio;
	char head[64];        /* "<PRI>oci-harden[PID]: " */
	size_t headlen;
	char *line, *killed, *file;
} audit;

void deadline_utc(long long secs, char out[21])
{
	long long days = secs / 86400, rem = secs % 86400;
	if (rem < 0) {
		rem += 86400;
		days--;
	}
	/* The proleptic Gregorian calendar in eras of 400 years (146097
	 * days), counted from 0000-03-01 so that leap days end a year. */
	long long z = days + 719468;
	long long era = (z >= 0 ? z : z - 146096) / 146097;
	long long doe = z - era * 146097;
	long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long long mp = (5 * doy + 2) / 153;
	long long d = doy - (153 * mp + 2) / 5 + 1;
	long long m = mp < 10 ? mp + 3 : mp - 9;
	long long y = yoe + era * 400 + (m <= 2);
	long long v[6] = { y, m, d, rem / 3600, rem / 60 % 60, rem % 60 };
	static const char sep[6] = { '-', '-', 'T', ':', ':', 'Z' };
	static const int width[6] = { 4, 2, 2, 2, 2, 2 };
	char *o = out;

	for (int i = 0; i < 6; i++) {
		long long x = v[i] < 0 ? 0 : v[i] % 10000;
		for (int k = width[i] - 1; k >= 0; k--, x /= 10)
			o[k] = (char)('0' + x % 10);
		o += width[i];
		*o++ = sep[i];
	}
	*o = '\0';
}

static void send_audit(bool killed)
{
	const char *line = killed && audit.killed != NULL ? audit.killed : audit.line;

	if (line == NULL)
		return;
	struct iovec iov[3] = {
		{ .iov_base = audit.head, .iov_len = audit.headlen },
		{ .iov_base = (void *)line, .iov_len = strlen(line) },
		{ .iov_base = (void *)"\n", .iov_len = 1 },
	};
	struct msghdr mh = { .msg_name = &audit.sa, .msg_namelen = sizeof(audit.sa),
			     .msg_iov = iov, .msg_iovlen = 2 };
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd >= 0) {
		(void)sendmsg(fd, &mh, MSG_NOSIGNAL);
		close(fd);
	}
	if (audit.file == NULL)
		return;
	struct timespec now;
	char stamp[32] = "time=";
	clock_gettime(CLOCK_REALTIME, &now);
	deadline_utc((long long)now.tv_sec, stamp + 5);
	stamp[25] = ' ';
	iov[0] = (struct iovec){ .iov_base = stamp, .iov_len = 26 };
	/* One writev on O_APPEND: the line stays whole next to other hooks'. */
	fd = open(audit.file, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd >= 0) {
		ssize_t w = writev(fd, iov, 3);   /* nothing to do on failure here */
		(void)w;
		close(fd);
	}
}

static void on_alarm(int sig)
{
	(void)sig;
	/* First: a poststart verifier's container, which a runtime that only
	 * warns about a failing hook (crun) would keep running unverified. */
	bool killed = kill_fd >= 0 &&
		      syscall(SYS_pidfd_send_signal, (int)kill_fd, SIGKILL, NULL, 0) == 0;
	if (killed)
		say(&kill_said);
	for (size_t i = 0; i < nsinks; i++)
		say(&sinks[i]);
	send_audit(killed);
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

static char *copy_or_null(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

void deadline_audit(const struct deadline_audit *a)
{
	sigset_t old;
	char *line = copy_or_null(a->line), *killed = copy_or_null(a->killed);
	char *file = copy_or_null(a->file);
	char *gone[3];

	block(true, &old);
	gone[0] = audit.line, gone[1] = audit.killed, gone[2] = audit.file;
	audit.sa.sun_family = AF_UNIX;
	snprintf(audit.sa.sun_path, sizeof(audit.sa.sun_path), "%s", a->socket);
	audit.prio = a->prio;
	int n = snprintf(audit.head, sizeof(audit.head), "<%d>oci-harden[%ld]: ", a->prio,
			 (long)getpid());
	audit.headlen = n < 0 ? 0 : (size_t)n;
	audit.line = line, audit.killed = killed, audit.file = file;
	block(false, &old);
	for (int i = 0; i < 3; i++)
		free(gone[i]);
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
	char *gone[3] = { audit.line, audit.killed, audit.file };
	audit.line = audit.killed = audit.file = NULL;
	block(false, &old);
	for (int i = 0; i < 3; i++)
		free(gone[i]);
}
