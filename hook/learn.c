/* SPDX-License-Identifier: Apache-2.0 */
#include "learn.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "ohseccomp.h"
#include "util.h"

/* Sorted: bsearch. */
static const char *const base_calls[] = {
	"brk", "clock_gettime", "close", "epoll_pwait", "epoll_wait", "exit",
	"exit_group", "fstat", "futex", "getpid", "gettid", "gettimeofday",
	"lseek", "madvise", "mmap", "mprotect", "munmap", "nanosleep",
	"newfstatat", "poll", "ppoll", "pread64", "pwrite64", "read", "readv",
	"rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "sched_yield", "write",
	"writev",
};
#define NBASE (sizeof(base_calls) / sizeof(base_calls[0]))

static int by_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

bool learn_base_call(const char *name)
{
	return bsearch(&name, base_calls, NBASE, sizeof(base_calls[0]), by_str) != NULL;
}

static struct jval rule_with(struct jdoc *doc, const struct jval *r,
			     struct jval names, const char *action)
{
	struct jval o = jv_object(doc, r->len);
	uint32_t n = 0;

	for (uint32_t i = 0; i < r->len; i++) {
		const struct jmember *m = &r->u.members[i];
		struct jval v = m->val;
		if (strcmp(m->key, "names") == 0)
			v = names;
		else if (strcmp(m->key, "action") == 0)
			v = jv_str(doc, action);
		else if (strcmp(m->key, "errnoRet") == 0)
			continue;
		jobj_init_member(doc, &o, n++, m->key, v);
	}
	o.len = n;
	return o;
}

void learn_recording_filter(struct jdoc *doc, struct jval *sc, const char *socket)
{
	const struct jval *sys = jobj_get(sc, "syscalls");
	uint32_t nsys = sys != NULL && sys->type == J_ARRAY ? sys->len : 0;
	struct jval out = jv_array(doc, 2 * nsys);
	uint32_t k = 0;

	for (uint32_t i = 0; i < nsys; i++) {
		const struct jval *r = &sys->u.items[i];
		const struct jval *names = jobj_get(r, "names");
		if (!jv_is_str(jobj_get(r, "action"), "SCMP_ACT_ALLOW") || names == NULL) {
			out.u.items[k++] = *r;
			continue;
		}
		struct jval base = jv_array(doc, names->len), rest = jv_array(doc, names->len);
		base.len = rest.len = 0;
		for (uint32_t n = 0; n < names->len; n++) {
			struct jval *into = learn_base_call(names->u.items[n].u.str) ? &base : &rest;
			into->u.items[into->len++] = names->u.items[n];
		}
		if (base.len > 0)
			out.u.items[k++] = rule_with(doc, r, base, "SCMP_ACT_ALLOW");
		if (rest.len > 0)
			out.u.items[k++] = rule_with(doc, r, rest, "SCMP_ACT_NOTIFY");
	}
	out.len = k;
	jobj_set(doc, sc, "syscalls", out);
	jobj_set(doc, sc, "listenerPath", jv_str(doc, socket));
}

bool learn_is_recording(const struct jval *sc, const char *socket)
{
	return sc != NULL && socket != NULL && jv_is_str(jobj_get(sc, "listenerPath"), socket);
}

/* ------------------------------------------------------------ recording */

/* What was recorded: system call names and socket families. */
struct record {
	char **names;
	size_t n, cap;
	uint64_t families;   /* 1 << AF_*, families below 64 */
};

static void record_name(struct record *r, const char *name)
{
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->names[i], name) == 0)
			return;
	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 64;
		r->names = xrealloc(r->names, r->cap * sizeof(*r->names));
	}
	r->names[r->n++] = xstrdup(name);
}

static void record_free(struct record *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->names[i]);
	free(r->names);
}

static bool recorded(const struct record *r, const char *name)
{
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->names[i], name) == 0)
			return true;
	return false;
}

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* Receives the runtime's message: the container process state as JSON,
 * the notification fd as SCM_RIGHTS (runtime-spec "seccompFd"). */
static int receive_fd(int conn, char *id, size_t idcap)
{
	char buf[65536];
	union {
		char b[CMSG_SPACE(sizeof(int) * 8)];
		struct cmsghdr align;
	} ctl;
	struct iovec iov = { buf, sizeof(buf) - 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = ctl.b, .msg_controllen = sizeof(ctl.b) };
	int fds[8], nfds = 0, fd = -1;
	ssize_t n = recvmsg(conn, &msg, MSG_CMSG_CLOEXEC);

	if (n < 0)
		return -1;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c != NULL; c = CMSG_NXTHDR(&msg, c)) {
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		size_t k = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (size_t i = 0; i < k && nfds < 8; i++)
			memcpy(&fds[nfds++], CMSG_DATA(c) + i * sizeof(int), sizeof(int));
	}
	snprintf(id, idcap, "?");
	buf[n] = '\0';
	struct jdoc *doc = NULL;
	struct oh_error err = { 0 };
	char *copy = xmalloc((size_t)n + 1);
	memcpy(copy, buf, (size_t)n + 1);
	int want = 0;
	if (json_parse(copy, (size_t)n, "the runtime's message", &doc, &err) == 0) {
		const struct jval *root = json_root(doc), *names = jobj_get(root, "fds");
		const struct jval *st = jobj_get(root, "state");
		const struct jval *cid = jobj_get(st, "id");
		for (uint32_t i = 0; names != NULL && names->type == J_ARRAY && i < names->len; i++)
			if (jv_is_str(&names->u.items[i], "seccompFd"))
				want = (int)i;
		if (cid != NULL && cid->type == J_STRING)
			snprintf(id, idcap, "%s", cid->u.str);
		json_free(doc);
	}
	for (int i = 0; i < nfds; i++) {
		if (i == want)
			fd = fds[i];
		else
			close(fds[i]);
	}
	return fd;
}

/* Notes one call and lets it continue: the filter the kernel runs next
 * (the policy's denials are ahead of it in the same filter) decides. */
static void serve(int fd, struct seccomp_notif *req, struct seccomp_notif_resp *resp,
		  struct record *r)
{
	memset(req, 0, sizeof(*req));
	if (seccomp_notify_receive(fd, req) < 0)
		return;
	char *name = seccomp_syscall_resolve_num_arch(req->data.arch, req->data.nr);
	if (name != NULL) {
		record_name(r, name);
		if (strcmp(name, "socket") == 0 && req->data.args[0] < 64)
			r->families |= 1ull << req->data.args[0];
		free(name);
	}
	memset(resp, 0, sizeof(*resp));
	resp->id = req->id;
	resp->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
	/* ENOENT: the caller died meanwhile; nothing to answer. */
	(void)seccomp_notify_respond(fd, resp);
}

/* -------------------------------------------------------------- writing */

static bool entry_denies(const struct jval *e)
{
	const struct jval *a = jobj_get(e, "action");

	return a != NULL && a->type == J_STRING && !jv_is_str(a, "SCMP_ACT_ALLOW") &&
	       !jv_is_str(a, "SCMP_ACT_LOG");
}

/* The family an entry's first argument test allows socket() for, or -1. */
static long socket_family(const struct jval *e)
{
	const struct jval *args = jobj_get(e, "args");
	uint64_t v;

	if (args == NULL || args->type != J_ARRAY || args->len != 1 ||
	    !jv_is_str(jobj_get(&args->u.items[0], "op"), "SCMP_CMP_EQ") ||
	    !jv_get_u64(jobj_get(&args->u.items[0], "value"), &v))
		return -1;
	return v < 64 ? (long)v : -1;
}

/* What an earlier learned profile recorded, for merging. */
static void merge_from(const char *path, struct record *r)
{
	struct jdoc *doc;
	struct oh_error err = { 0 };
	char *buf;
	size_t len;

	if (access(path, F_OK) < 0 || oh_read_file(path, OH_MAX_INPUT, &buf, &len, &err) < 0 ||
	    json_parse(buf, len, path, &doc, &err) < 0)
		return;
	const struct jval *sys = jobj_get(json_root(doc), "syscalls");
	for (uint32_t i = 0; sys != NULL && sys->type == J_ARRAY && i < sys->len; i++) {
		const struct jval *e = &sys->u.items[i];
		const struct jval *c = jobj_get(e, "comment"), *names = jobj_get(e, "names");
		if (c == NULL || c->type != J_STRING || strncmp(c->u.str, "learned", 7) != 0 ||
		    names == NULL || names->type != J_ARRAY)
			continue;
		for (uint32_t k = 0; k < names->len; k++)
			if (names->u.items[k].type == J_STRING)
				record_name(r, names->u.items[k].u.str);
		long f = socket_family(e);
		if (f >= 0)
			r->families |= 1ull << f;
	}
	json_free(doc);
}

static struct jval copy_tree(struct jdoc *doc, const struct jval *v)
{
	struct jval r;

	switch (v->type) {
	case J_STRING:
	case J_NUMBER:
		r = jv_strn(doc, v->u.str, v->len);
		r.type = v->type;
		return r;
	case J_ARRAY:
		r = jv_array(doc, v->len);
		for (uint32_t i = 0; i < v->len; i++)
			r.u.items[i] = copy_tree(doc, &v->u.items[i]);
		return r;
	case J_OBJECT:
		r = jv_object(doc, v->len);
		for (uint32_t i = 0; i < v->len; i++)
			jobj_init_member(doc, &r, i, v->u.members[i].key,
					 copy_tree(doc, &v->u.members[i].val));
		return r;
	default:
		return *v;
	}
}

/*
 * The learned profile: the policy profile's default action and
 * architectures; one entry allowing the recorded calls the profile allows
 * outright; its argument-filtered and capability-gated entries cut to the
 * recorded calls (socket to the recorded families); its denials whole.
 */
static struct jdoc *learned_profile(const struct profile *base, const struct record *r)
{
	const struct jval *root = profile_root(base);
	const struct jval *sys = jobj_get(root, "syscalls");
	struct jdoc *doc = json_new();
	uint32_t nsys = sys != NULL && sys->type == J_ARRAY ? sys->len : 0;
	struct jval entries = jv_array(doc, nsys + 1);
	struct jval plain = jv_array(doc, (uint32_t)(r->n + NBASE));
	uint32_t k = 1;

	plain.len = 0;
	for (uint32_t i = 0; i < nsys; i++) {
		const struct jval *e = &sys->u.items[i];
		const struct jval *names = jobj_get(e, "names");
		const struct jval *args = jobj_get(e, "args");
		bool gated = jobj_get(e, "includes") != NULL || jobj_get(e, "excludes") != NULL;
		bool filtered = args != NULL && args->type == J_ARRAY && args->len > 0;
		if (names == NULL || names->type != J_ARRAY)
			continue;
		if (entry_denies(e)) {
			entries.u.items[k++] = copy_tree(doc, e);
			continue;
		}
		struct jval keep = jv_array(doc, names->len);
		keep.len = 0;
		for (uint32_t n = 0; n < names->len; n++) {
			const char *name = names->u.items[n].u.str;
			if (!recorded(r, name) && !learn_base_call(name))
				continue;
			if (strcmp(name, "socket") == 0 && filtered) {
				long f = socket_family(e);
				if (f < 0 || !(r->families & (1ull << f)))
					continue;
			}
			keep.u.items[keep.len++] = jv_str(doc, name);
		}
		if (keep.len == 0)
			continue;
		if (!filtered && !gated) {
			for (uint32_t n = 0; n < keep.len; n++)
				plain.u.items[plain.len++] = keep.u.items[n];
			continue;
		}
		struct jval c = copy_tree(doc, e);
		jobj_set(doc, &c, "names", keep);
		if (jobj_get(&c, "comment") == NULL || strcmp(jobj_get(&c, "comment")->u.str, "") == 0 ||
		    strncmp(jobj_get(&c, "comment")->u.str, "learned", 7) != 0) {
			const struct jval *old = jobj_get(&c, "comment");
			struct oh_buf b = { 0 };
			oh_buf_printf(&b, "learned%s%s", old ? ", from: " : "", old ? old->u.str : "");
			jobj_set(doc, &c, "comment", jv_str(doc, b.data));
			oh_buf_free(&b);
		}
		entries.u.items[k++] = c;
	}
	struct jval first = jv_object(doc, 3);
	jobj_init_member(doc, &first, 0, "comment",
			 jv_str(doc, "learned: the calls the workload made that the policy's "
				"profile allows outright, and the base set every process makes"));
	jobj_init_member(doc, &first, 1, "names", plain);
	jobj_init_member(doc, &first, 2, "action", jv_str(doc, "SCMP_ACT_ALLOW"));
	entries.u.items[0] = first;
	entries.len = k;

	struct jval *out = json_root(doc);
	*out = jv_object(doc, 0);
	static const char *const carried[] = { "defaultAction", "defaultErrnoRet",
					       "defaultErrno", "archMap", "architectures" };
	for (size_t i = 0; i < sizeof(carried) / sizeof(carried[0]); i++) {
		const struct jval *v = jobj_get(root, carried[i]);
		if (v != NULL)
			jobj_set(doc, out, carried[i], copy_tree(doc, v));
	}
	jobj_set(doc, out, "syscalls", entries);
	return doc;
}

static int produce(int fd, void *ctx, struct oh_error *err)
{
	struct jsink *s = jsink_fd(fd);
	int rc;

	json_write(s, json_root(ctx), true);
	jsink_raw(s, "\n", 1);
	rc = jsink_finish(s);
	jsink_free(s);
	return rc < 0 ? oh_err(err, errno, "cannot write the learned profile") : 0;
}

static int listen_on(const char *path, struct oh_error *err)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct stat st;

	if (strlen(path) >= sizeof(sa.sun_path))
		return oh_err(err, 0, "%s: the socket path is too long", path);
	strcpy(sa.sun_path, path);
	/* A stale socket of an earlier recorder goes; nothing else does. */
	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode))
			return oh_err(err, 0, "%s exists and is not a socket", path);
		unlink(path);
	}
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return oh_err(err, errno, "socket");
	mode_t old = umask(077);
	int rc = bind(fd, (struct sockaddr *)&sa, sizeof(sa));
	umask(old);
	if (rc < 0 || listen(fd, 16) < 0) {
		int e = errno;
		close(fd);
		return oh_err(err, e, "%s: cannot listen", path);
	}
	return fd;
}

int learn_record(const struct learn_opts *o, struct oh_error *err)
{
	enum { MAXC = 64 };
	struct pollfd pfd[MAXC + 1];
	struct record r = { 0 };
	struct seccomp_notif *req = NULL;
	struct seccomp_notif_resp *resp = NULL;
	size_t npfd = 1, ended = 0;
	int rc = 0;

	int lfd = listen_on(o->socket, err);
	if (lfd < 0)
		return -1;
	if (seccomp_notify_alloc(&req, &resp) < 0) {
		close(lfd);
		return oh_err(err, ENOMEM, "seccomp_notify_alloc");
	}
	struct sigaction sa = { .sa_handler = on_signal };
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	merge_from(o->output, &r);
	pfd[0] = (struct pollfd){ .fd = lfd, .events = POLLIN };
	fprintf(stderr, "oci-harden: learning: listening on %s\n", o->socket);
	while (!stop && !(o->once && ended > 0)) {
		if (poll(pfd, npfd, -1) < 0) {
			if (errno == EINTR)
				continue;
			rc = oh_err(err, errno, "poll");
			break;
		}
		if ((pfd[0].revents & POLLIN) && npfd < MAXC + 1) {
			int conn = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
			char id[256];
			int nfd = conn >= 0 ? receive_fd(conn, id, sizeof(id)) : -1;
			if (conn >= 0)
				close(conn);
			if (nfd >= 0) {
				fprintf(stderr, "oci-harden: learning: recording container %s\n", id);
				pfd[npfd++] = (struct pollfd){ .fd = nfd, .events = POLLIN };
			}
		}
		for (size_t i = 1; i < npfd; i++) {
			if (pfd[i].revents & POLLIN)
				serve(pfd[i].fd, req, resp, &r);
			else if (pfd[i].revents & (POLLHUP | POLLERR | POLLNVAL)) {
				/* No process uses the filter any more. */
				close(pfd[i].fd);
				pfd[i--] = pfd[--npfd];
				ended++;
			}
		}
	}
	for (size_t i = 1; i < npfd; i++)
		close(pfd[i].fd);
	close(lfd);
	unlink(o->socket);
	seccomp_notify_free(req, resp);
	if (rc == 0) {
		struct jdoc *doc = learned_profile(o->base, &r);
		rc = oh_write_atomic(o->output, produce, doc, err);
		json_free(doc);
		if (rc == 0)
			fprintf(stderr, "oci-harden: learning: %zu calls recorded, profile written "
				"to %s\n", r.n, o->output);
	}
	record_free(&r);
	return rc;
}
