/* SPDX-License-Identifier: Apache-2.0 */
#include "runtime_log.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "json.h"
#include "util.h"

void rt_log_open(struct rt_log *l, const char *path, const char *format)
{
	l->fd = -1;
	l->json = format != NULL && strcmp(format, "json") == 0;
	if (path != NULL && path[0] != '\0')
		/* O_NONBLOCK: a FIFO with no reader fails instead of hanging. */
		l->fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY | O_NONBLOCK,
			     0600);
}

void rt_log_close(struct rt_log *l)
{
	if (l->fd >= 0)
		close(l->fd);
	l->fd = -1;
}

char *rt_log_line(const struct rt_log *l, const char *msg, time_t when, size_t *len)
{
	char ts[64];
	struct tm tm;

	gmtime_r(&when, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);
	struct jsink *s = jsink_mem();
	if (l->json) {
		struct jw *w = jw_new(s, false);
		jw_obj(w);
		jw_kstr(w, "level", "error");
		jw_kstr(w, "msg", msg);
		jw_kstr(w, "time", ts);
		jw_end_obj(w);
		jw_free(w);
	} else {
		/* logrus's text formatter: key=value, values quoted as strings */
		jsink_raw(s, "time=\"", 6);
		jsink_raw(s, ts, strlen(ts));
		jsink_raw(s, "\" level=error msg=", 18);
		jsink_str(s, msg, strlen(msg));
	}
	jsink_raw(s, "\n", 1);
	char *out = jsink_take(s, len);
	jsink_free(s);
	return out;
}

void rt_log_error(const struct rt_log *l, const char *msg)
{
	fprintf(stderr, "oci-harden-runtime: %s\n", msg);
	if (l->fd < 0)
		return;
	size_t len;
	cleanup_free char *line = rt_log_line(l, msg, time(NULL), &len);
	if (write(l->fd, line, len) != (ssize_t)len)
		fprintf(stderr, "oci-harden-runtime: cannot write the runtime log\n");
}
