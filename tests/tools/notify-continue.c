/* SPDX-License-Identifier: Apache-2.0 */
/*
 * notify-continue SOCKET: a seccomp notification listener that lets every
 * call through.  It listens on the unix socket SOCKET (what a config's
 * linux.seccomp.listenerPath names), takes each runtime's message (the
 * container process state as JSON, the notification fd as SCM_RIGHTS;
 * runc sends one per process it loads the filter into: the init, each
 * exec) and answers every notification on every fd it holds with
 * SECCOMP_USER_NOTIF_FLAG_CONTINUE: the kernel then runs the call as if
 * the filter had allowed it.  Each call is printed as "notified NR" on
 * stdout, so a test can tell the listener decided it.  It runs until it
 * is killed.
 *
 * What a profile that sends a call to SCMP_ACT_NOTIFY hands to a process
 * outside the container: the tests show such a filter confines nothing
 * unless its listener is known.
 */
#include <errno.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define MAX_FDS 64

/* The notification fd of one runtime message; -1 when none came. */
static int take_fd(int conn)
{
	char buf[65536];
	union {
		char b[CMSG_SPACE(sizeof(int) * 4)];
		struct cmsghdr align;
	} ctl;
	struct iovec iov = { buf, sizeof(buf) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = ctl.b, .msg_controllen = sizeof(ctl.b) };
	int fd = -1;

	if (recvmsg(conn, &msg, MSG_CMSG_CLOEXEC) < 0)
		return -1;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c != NULL; c = CMSG_NXTHDR(&msg, c)) {
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		size_t k = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (size_t i = 0; i < k; i++) {
			int f;
			memcpy(&f, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
			/* runc names one fd, "seccompFd": the first is it */
			if (fd < 0)
				fd = f;
			else
				close(f);
		}
	}
	return fd;
}

/* Answers one notification on fd; -1 when the fd is done (its filter's
 * last process is gone). */
static int answer(int fd)
{
	struct seccomp_notif req;
	struct seccomp_notif_resp resp;

	memset(&req, 0, sizeof(req));
	if (ioctl(fd, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0)
		return errno == EINTR || errno == ENOENT ? 0 : -1;
	printf("notified %d\n", req.data.nr);
	fflush(stdout);
	memset(&resp, 0, sizeof(resp));
	resp.id = req.id;
	resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
	/* ENOENT: the caller died meanwhile */
	(void)ioctl(fd, SECCOMP_IOCTL_NOTIF_SEND, &resp);
	return 0;
}

int main(int argc, char **argv)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct pollfd p[MAX_FDS + 1];
	size_t n = 1;

	if (argc != 2 || strlen(argv[1]) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "usage: notify-continue SOCKET\n");
		return 2;
	}
	strcpy(sa.sun_path, argv[1]);
	unlink(argv[1]);
	int ls = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (ls < 0 || bind(ls, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(ls, 16) < 0) {
		perror(argv[1]);
		return 2;
	}
	p[0] = (struct pollfd){ .fd = ls, .events = POLLIN };
	for (;;) {
		if (poll(p, n, -1) < 0) {
			if (errno == EINTR)
				continue;
			perror("poll");
			return 2;
		}
		if (p[0].revents & POLLIN) {
			int conn = accept4(ls, NULL, NULL, SOCK_CLOEXEC);
			int fd = conn >= 0 ? take_fd(conn) : -1;
			if (conn >= 0)
				close(conn);
			if (fd >= 0 && n <= MAX_FDS)
				p[n++] = (struct pollfd){ .fd = fd, .events = POLLIN };
			else if (fd >= 0)
				close(fd);
		}
		for (size_t i = 1; i < n; i++) {
			if (p[i].revents == 0)
				continue;
			if ((p[i].revents & POLLIN) && answer(p[i].fd) == 0)
				continue;
			if (p[i].revents & (POLLHUP | POLLERR | POLLIN)) {
				close(p[i].fd);
				p[i--] = p[--n];
			}
		}
	}
}
