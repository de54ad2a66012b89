/* SPDX-License-Identifier: Apache-2.0 */
/*
 * logsink SOCKET FILE: a stand-in syslog daemon for tests.  Binds a datagram
 * socket and appends every message it receives, one per line, to FILE, so
 * tests can read what the hooks sent to syslog.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char msg[8192];
	int s, out;

	if (argc != 3 || strlen(argv[1]) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "usage: logsink SOCKET FILE\n");
		return 2;
	}
	strcpy(sa.sun_path, argv[1]);
	s = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	out = open(argv[2], O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (s < 0 || out < 0) {
		perror("logsink");
		return 1;
	}
	unlink(argv[1]);
	if (bind(s, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		perror("logsink: bind");
		return 1;
	}
	chmod(argv[1], 0666);
	/* Ready: the caller waits for this line before sending. */
	printf("ready\n");
	fflush(stdout);
	for (;;) {
		ssize_t n = recv(s, msg, sizeof(msg) - 1, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			perror("logsink: recv");
			return 1;
		}
		msg[n++] = '\n';
		if (write(out, msg, (size_t)n) != n)
			return 1;
	}
}
