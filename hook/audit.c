/* SPDX-License-Identifier: Apache-2.0 */
#include "audit.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "policy.h"
#include "util.h"

/* key=value, the value quoted when it holds blanks, quotes or '='. */
static void field(struct oh_buf *b, const char *key, const char *val)
{
	if (val == NULL || val[0] == '\0')
		return;
	if (b->len > 0)
		oh_buf_puts(b, " ");
	oh_buf_puts(b, key);
	oh_buf_puts(b, "=");
	bool plain = true;
	for (const unsigned char *c = (const unsigned char *)val; *c && plain; c++)
		plain = *c > ' ' && *c != 0x7f && *c != '"' && *c != '=' && *c != '\\';
	if (plain) {
		oh_buf_puts(b, val);
		return;
	}
	/* Values come from configs and states anyone may write: a control
	 * byte must not end the line or forge another field. */
	oh_buf_puts(b, "\"");
	for (const unsigned char *c = (const unsigned char *)val; *c; c++) {
		if (*c == '"' || *c == '\\')
			oh_buf_printf(b, "\\%c", *c);
		else if (*c == '\n')
			oh_buf_puts(b, "\\n");
		else if (*c < ' ' || *c == 0x7f)
			oh_buf_printf(b, "\\x%02x", *c);
		else
			oh_buf_add(b, c, 1);
	}
	oh_buf_puts(b, "\"");
}

/*
 * One datagram to the local syslog socket, as syslog(3) sends it but for the
 * timestamp: "<PRI>oci-harden[PID]: LINE".  glibc's syslog reads
 * /etc/localtime for that timestamp and, where no daemon listens, tries to
 * connect twice: 14 system calls per hook run, against 4 here.  The
 * receivers put their own time on a local line anyway (journald always,
 * rsyslog's imuxsock by default), and RFC 3164 lets a line come without one.
 * A socket that is not a datagram socket, or any other failure to send, goes
 * to syslog(3) after all, which knows every other way; only "no socket" (no
 * daemon) drops the line, as syslog(3) would.
 */
void audit_syslog(const char *socket_path, int prio, const char *msg)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char head[64];
	int n = snprintf(head, sizeof(head), "<%d>oci-harden[%ld]: ", prio, (long)getpid());
	struct iovec iov[2] = {
		{ .iov_base = head, .iov_len = (size_t)n },
		{ .iov_base = (void *)msg, .iov_len = strlen(msg) },
	};
	struct msghdr mh = { .msg_name = &sa, .msg_namelen = sizeof(sa),
			     .msg_iov = iov, .msg_iovlen = 2 };
	int fd, e = 0;

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", socket_path);
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || sendmsg(fd, &mh, MSG_NOSIGNAL) < 0)
		e = errno;
	if (fd >= 0)
		close(fd);
	if (e == 0 || e == ENOENT)
		return;
	/* No LOG_CONS: a host without syslog must not get lines on its console. */
	openlog("oci-harden", LOG_PID | LOG_NDELAY, LOG_AUTHPRIV);
	syslog(prio, "%s", msg);
	closelog();
}

char *audit_line(const struct policy *p, const struct audit_event *e, int *prio)
{
	struct oh_buf line = { 0 }, rules = { 0 }, exempted = { 0 };

	rule_ids(decision_rules(e->d, ACT_WARN), ",", &rules);
	rule_ids(e->d != NULL ? e->d->exempted : 0, ",", &exempted);
	field(&line, "stage", e->stage);
	field(&line, "id", e->id);
	field(&line, "verdict", e->verdict);
	field(&line, "action", e->action);
	field(&line, "mode", e->audit_mode ? "audit" : "enforce");
	field(&line, "rules", rules.data);
	field(&line, "exempted", exempted.data);
	if (exempted.len > 0 && p != NULL && e->d != NULL && e->d->exemption >= 0) {
		char idx[16];
		snprintf(idx, sizeof(idx), "%d", e->d->exemption);
		field(&line, "exemption", idx);
	}
	field(&line, "bundle", e->bundle);
	field(&line, "detail", e->detail);

	*prio = LOG_INFO;
	if (strcmp(e->action, "refused") == 0 || strcmp(e->action, "killed") == 0)
		*prio = LOG_WARNING;
	else if (strcmp(e->action, "rewritten") == 0 || exempted.len > 0 ||
		 (e->verdict && strcmp(e->verdict, "compliant") != 0))
		*prio = LOG_NOTICE;
	*prio |= LOG_AUTHPRIV;
	oh_buf_free(&rules);
	oh_buf_free(&exempted);
	return line.data != NULL ? line.data : xstrdup("");
}

void audit_log(const struct policy *p, const struct audit_event *e)
{
	int prio;
	cleanup_free char *line = audit_line(p, e, &prio);

	audit_syslog(OH_SYSLOG_SOCKET, prio, line);

	if (p != NULL && p->audit_file != NULL) {
		char ts[40];
		struct timespec now;
		struct tm tm;

		clock_gettime(CLOCK_REALTIME, &now);
		gmtime_r(&now.tv_sec, &tm);
		strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);
		cleanup_free char *text = xasprintf("time=%s %s\n", ts, line);
		/* O_APPEND keeps concurrent hooks' lines whole. */
		int fd = open(p->audit_file, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW,
			      0600);
		if (fd >= 0) {
			(void)oh_write_all(fd, text, strlen(text));
			close(fd);
		}
	}
}
