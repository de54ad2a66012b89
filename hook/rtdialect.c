/* SPDX-License-Identifier: Apache-2.0 */
#include "rtdialect.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

/* The cache holds a few runtimes (runc, crun, an old and a new copy). */
#define CACHE_MAX_ENTRIES 32
#define CACHE_MAX_BYTES 8192

struct identity {
	uintmax_t dev, ino;
	intmax_t size, mtime_s, ctime_s;
	long mtime_ns, ctime_ns;
};

static void identity_of(const struct stat *st, struct identity *id)
{
	*id = (struct identity){
		.dev = (uintmax_t)st->st_dev, .ino = (uintmax_t)st->st_ino,
		.size = (intmax_t)st->st_size,
		.mtime_s = (intmax_t)st->st_mtim.tv_sec, .mtime_ns = st->st_mtim.tv_nsec,
		.ctime_s = (intmax_t)st->st_ctim.tv_sec, .ctime_ns = st->st_ctim.tv_nsec,
	};
}

static bool identity_eq(const struct identity *a, const struct identity *b)
{
	return a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
	       a->mtime_s == b->mtime_s && a->mtime_ns == b->mtime_ns &&
	       a->ctime_s == b->ctime_s && a->ctime_ns == b->ctime_ns;
}

static const char *dialect_name(enum rt_dialect d)
{
	return d == RT_CRUN ? "crun" : "runc";
}

/* One line: "DEV INO SIZE MTIME.NS CTIME.NS runc|crun". */
static bool parse_line(const char *line, struct identity *id, enum rt_dialect *d)
{
	char word[8];
	int end = 0;

	if (sscanf(line, "%ju %ju %jd %jd.%ld %jd.%ld %7s%n", &id->dev, &id->ino, &id->size,
		   &id->mtime_s, &id->mtime_ns, &id->ctime_s, &id->ctime_ns, word, &end) != 8 ||
	    line[end] != '\0')
		return false;
	if (strcmp(word, "runc") == 0)
		*d = RT_RUNC;
	else if (strcmp(word, "crun") == 0)
		*d = RT_CRUN;
	else
		return false;
	return true;
}

/* Owned by root and writable by nobody else: only root can have put its
 * words there. */
static bool trusted(const struct stat *st)
{
	return st->st_uid == 0 && (st->st_mode & (S_IWGRP | S_IWOTH)) == 0;
}

/* The cache directory, opened only when it can be trusted; -1 otherwise. */
static int open_cache_dir(const char *dir)
{
	struct stat st;
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0 || !trusted(&st)) {
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * The cache's text, NUL-terminated, or NULL when there is none to trust.
 * *untrusted tells that a file is there which must not be kept.
 */
static char *cache_read(int dfd, bool *untrusted)
{
	struct stat st;
	cleanup_close int fd = openat(dfd, RT_DIALECT_CACHE_FILE,
				      O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);

	*untrusted = false;
	if (fd < 0) {
		*untrusted = errno != ENOENT;
		return NULL;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || !trusted(&st) ||
	    st.st_size > CACHE_MAX_BYTES) {
		*untrusted = true;
		return NULL;
	}
	char *buf = xmalloc(CACHE_MAX_BYTES + 1);
	size_t n = 0;
	for (;;) {
		ssize_t k = read(fd, buf + n, CACHE_MAX_BYTES - n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		n += (size_t)k;
		if (n == CACHE_MAX_BYTES)
			break;
	}
	buf[n] = '\0';
	return buf;
}

static bool cache_lookup(const char *text, const struct identity *want, enum rt_dialect *d)
{
	cleanup_free char *copy = xstrdup(text);

	for (char *save, *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		struct identity id;
		if (parse_line(l, &id, d) && identity_eq(&id, want))
			return true;
	}
	return false;
}

struct cache_out {
	const char *old;            /* the trusted old text, or NULL */
	const struct identity *id;
	enum rt_dialect d;
};

static int put_line(int fd, const struct identity *id, enum rt_dialect d, struct oh_error *err)
{
	char line[256];
	int n = snprintf(line, sizeof(line), "%ju %ju %jd %jd.%09ld %jd.%09ld %s\n",
			 id->dev, id->ino, id->size, id->mtime_s, id->mtime_ns,
			 id->ctime_s, id->ctime_ns, dialect_name(d));

	if (oh_write_all(fd, line, (size_t)n) < 0)
		return oh_err(err, errno, "cannot write the runtime dialect cache");
	return 0;
}

/* The new answer first, then the old ones for other files, bounded. */
static int cache_produce(int fd, void *ctx, struct oh_error *err)
{
	const struct cache_out *o = ctx;
	int kept = 1;

	if (put_line(fd, o->id, o->d, err) < 0)
		return -1;
	if (o->old == NULL)
		return 0;
	cleanup_free char *copy = xstrdup(o->old);
	for (char *save, *l = strtok_r(copy, "\n", &save); l && kept < CACHE_MAX_ENTRIES;
	     l = strtok_r(NULL, "\n", &save)) {
		struct identity id;
		enum rt_dialect d;
		if (!parse_line(l, &id, &d) || (id.dev == o->id->dev && id.ino == o->id->ino))
			continue;
		if (put_line(fd, &id, d, err) < 0)
			return -1;
		kept++;
	}
	return 0;
}

/*
 * Best effort: a cache that cannot be written costs the next start one
 * probe, nothing else.  Only root writes it, so that what it reads back
 * passes its own test.
 */
static void cache_store(const char *dir, const struct identity *id, enum rt_dialect d)
{
	struct oh_error err = { 0 };
	bool untrusted;

	if (geteuid() != 0)
		return;
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return;
	cleanup_close int dfd = open_cache_dir(dir);
	if (dfd < 0)
		return;
	cleanup_free char *old = cache_read(dfd, &untrusted);
	/* The atomic write keeps the mode and owner of the file it replaces:
	 * one that cannot be trusted goes first. */
	if (untrusted && unlinkat(dfd, RT_DIALECT_CACHE_FILE, 0) < 0)
		return;
	struct cache_out o = { .old = old, .id = id, .d = d };
	(void)oh_write_atomic_at(dfd, dir, RT_DIALECT_CACHE_FILE, cache_produce, &o, &err);
}

static long elapsed_ms(const struct timespec *t0)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - t0->tv_sec) * 1000 + (now.tv_nsec - t0->tv_nsec) / 1000000;
}

/*
 * Runs `path --version` (stdin /dev/null, stderr the wrapper's, so a
 * runtime that fails says why) and reads what its first line says.
 */
static int probe(const char *path, enum rt_dialect *d, struct oh_error *err)
{
	int fds[2];
	char out[512];
	size_t n = 0;
	int status = 0;

	if (pipe2(fds, O_CLOEXEC) < 0)
		return oh_err(err, errno, "%s --version: cannot make a pipe", path);
	pid_t pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return oh_err(err, errno, "%s --version: cannot fork", path);
	}
	if (pid == 0) {
		int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
		if (null >= 0)
			dup2(null, STDIN_FILENO);
		dup2(fds[1], STDOUT_FILENO);
		execl(path, path, "--version", (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	bool timed_out = false;
	while (n < sizeof(out) - 1) {
		long left = RT_DIALECT_PROBE_MS - elapsed_ms(&t0);
		struct pollfd p = { .fd = fds[0], .events = POLLIN };
		if (left <= 0) {
			timed_out = true;
			break;
		}
		int r = poll(&p, 1, (int)left);
		if (r < 0 && errno == EINTR)
			continue;
		if (r == 0) {
			timed_out = true;
			break;
		}
		ssize_t k = read(fds[0], out + n, sizeof(out) - 1 - n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		n += (size_t)k;
	}
	close(fds[0]);
	/* One that closed its output need not have exited: the same time
	 * bounds the wait for its end. */
	bool lingered = false;
	while (!timed_out) {
		pid_t w = waitpid(pid, &status, WNOHANG);
		if (w == pid || (w < 0 && errno != EINTR))
			break;
		if (elapsed_ms(&t0) >= RT_DIALECT_PROBE_MS) {
			lingered = true;
			break;
		}
		nanosleep(&(struct timespec){ 0, 2 * 1000 * 1000 }, NULL);
	}
	if (timed_out || lingered) {
		kill(pid, SIGKILL);
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	}
	out[n] = '\0';
	if (timed_out)
		return oh_err(err, 0, "%s --version did not answer within %d ms", path,
			      RT_DIALECT_PROBE_MS);
	if (lingered)
		return oh_err(err, 0, "%s --version did not exit within %d ms", path,
			      RT_DIALECT_PROBE_MS);
	if (strncmp(out, "runc version ", 13) == 0)
		*d = RT_RUNC;
	else if (strncmp(out, "crun version ", 13) == 0)
		*d = RT_CRUN;
	else
		return oh_err(err, 0, "%s --version does not say \"runc version\" or \"crun "
			      "version\" (exit %d)", path,
			      WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	return 0;
}

int rt_dialect_detect(const char *path, const char *cache_dir, enum rt_dialect *d,
		      struct oh_error *err)
{
	char real[PATH_MAX];
	enum rt_dialect named, said;
	struct stat st;
	struct identity id, after;
	bool cached = false;

	if (realpath(path, real) == NULL)
		return oh_err(err, errno, "%s", path);
	if (!rt_dialect_of(real, &named))
		return oh_err(err, 0, "cannot tell whether %s reads runc's or crun's "
			      "command line from its name; set runtime.dialect in the "
			      "policy", real);
	if (stat(real, &st) < 0)
		return oh_err(err, errno, "%s", real);
	identity_of(&st, &id);

	if (cache_dir != NULL) {
		bool untrusted;
		cleanup_close int dfd = open_cache_dir(cache_dir);
		cleanup_free char *text = dfd >= 0 ? cache_read(dfd, &untrusted) : NULL;
		cached = text != NULL && cache_lookup(text, &id, &said);
	}
	if (!cached) {
		if (probe(real, &said, err) < 0)
			return oh_err_wrap(err, "cannot tell whose command line %s reads; set "
					   "runtime.dialect in the policy", real);
		/* What answered must be the file whose identity is kept. */
		if (stat(real, &st) < 0)
			return oh_err(err, errno, "%s", real);
		identity_of(&st, &after);
		if (!identity_eq(&id, &after))
			return oh_err(err, 0, "%s changed while it was asked its version; "
				      "try again, or set runtime.dialect in the policy", real);
		if (cache_dir != NULL)
			cache_store(cache_dir, &id, said);
	}
	if (said != named)
		return oh_err(err, 0, "%s is named %s but says it is %s (--version): its "
			      "command line cannot be read with certainty; set "
			      "runtime.dialect in the policy", real, dialect_name(named),
			      dialect_name(said));
	*d = said;
	return 0;
}
