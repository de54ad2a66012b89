/* SPDX-License-Identifier: Apache-2.0 */
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

void oh_freep(void *p)
{
	free(*(void **)p);
}

void oh_closep(int *fd)
{
	if (*fd >= 0) {
		int saved = errno;
		close(*fd);
		errno = saved;
	}
}

void oh_closedirp(DIR **d)
{
	if (*d != NULL)
		closedir(*d);
	*d = NULL;
}

void oh_fclosep(FILE **f)
{
	if (*f != NULL)
		fclose(*f);
}

static void oom(void)
{
	static const char msg[] = "oci-harden: out of memory\n";
	(void)!write(STDERR_FILENO, msg, sizeof(msg) - 1);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (p == NULL)
		oom();
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (p == NULL)
		oom();
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (p == NULL)
		oom();
	return p;
}

static void *big_map(size_t n)
{
	void *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		oom();
	(void)madvise(p, n, MADV_HUGEPAGE);
	return p;
}

void *oh_big_grow(void *p, size_t old, size_t n)
{
	if (n < OH_BIG_MIN)
		return xrealloc(p, n);
	if (old < OH_BIG_MIN) {
		void *q = big_map(n);
		if (old > 0)
			memcpy(q, p, old);
		free(p);
		return q;
	}
	/* The pages move with their table entries: no copy. */
	void *q = mremap(p, old, n, MREMAP_MAYMOVE);
	if (q == MAP_FAILED)
		oom();
	(void)madvise(q, n, MADV_HUGEPAGE);
	return q;
}

void oh_big_free(void *p, size_t n)
{
	if (p == NULL)
		return;
	if (n < OH_BIG_MIN)
		free(p);
	else
		munmap(p, n);
}

char *xstrdup(const char *s)
{
	char *p = strdup(s);
	if (p == NULL)
		oom();
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *p;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&p, fmt, ap);
	va_end(ap);
	if (n < 0)
		oom();
	return p;
}

/* oh_read_fd, of a descriptor whose fstat is st. */
static int read_fd_stat(int fd, const struct stat *sp, const char *name, size_t max,
			char **out, size_t *len, struct oh_error *err)
{
	struct stat st = *sp;
	size_t cap = 64 * 1024, n = 0;
	char *buf;

	if (S_ISDIR(st.st_mode))
		return oh_err(err, 0, "%s: is a directory", name);
	if (S_ISREG(st.st_mode)) {
		if ((uint64_t)st.st_size > max)
			return oh_err(err, 0,
				      "%s: %lld bytes is larger than the limit of %zu bytes",
				      name, (long long)st.st_size, max);
		/* +1: room to notice a file that grew, and for the NUL. */
		cap = (size_t)st.st_size + 1;
	}
	buf = xmalloc(cap + 1);
	for (;;) {
		ssize_t r;

		if (n == cap) {
			if (cap > max) {
				free(buf);
				return oh_err(err, 0,
					      "%s: input is larger than the limit of %zu bytes",
					      name, max);
			}
			cap = cap * 2 > max + 1 ? max + 1 : cap * 2;
			buf = xrealloc(buf, cap + 1);
		}
		r = read(fd, buf + n, cap - n);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			free(buf);
			return oh_err(err, errno, "%s: read failed", name);
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	if (n > max) {
		free(buf);
		return oh_err(err, 0, "%s: input is larger than the limit of %zu bytes",
			      name, max);
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return 0;
}

int oh_read_fd(int fd, const char *name, size_t max, char **out, size_t *len,
	       struct oh_error *err)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return oh_err(err, errno, "%s: cannot stat", name);
	return read_fd_stat(fd, &st, name, max, out, len, err);
}

/* The files below are read through the fstat that found them regular: one
 * system call fewer per policy and per config. */
int oh_read_file(const char *path, size_t max, char **out, size_t *len,
		 struct oh_error *err)
{
	cleanup_close int fd = -1;
	struct stat st;

	if (strcmp(path, "-") == 0)
		return oh_read_fd(STDIN_FILENO, "<stdin>", max, out, len, err);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return oh_err(err, errno, "%s: cannot open", path);
	if (fstat(fd, &st) < 0)
		return oh_err(err, errno, "%s: cannot stat", path);
	if (!S_ISREG(st.st_mode))
		return oh_err(err, 0, "%s: not a regular file", path);
	return read_fd_stat(fd, &st, path, max, out, len, err);
}

int oh_read_bundle_config(int dirfd, const char *bundle, size_t max,
			  char **out, size_t *len, struct oh_error *err)
{
	cleanup_free char *name = oh_path_join(bundle, "config.json");
	cleanup_close int fd = -1;
	struct stat st;

	fd = openat(dirfd, "config.json",
		    O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		if (errno == ELOOP)
			return oh_err(err, 0, "%s: is a symlink, refusing to follow it",
				      name);
		return oh_err(err, errno, "%s: cannot open", name);
	}
	if (fstat(fd, &st) < 0)
		return oh_err(err, errno, "%s: cannot stat", name);
	if (!S_ISREG(st.st_mode))
		return oh_err(err, 0, "%s: not a regular file", name);
	return read_fd_stat(fd, &st, name, max, out, len, err);
}

int oh_read_at(int dirfd, const char *name, size_t max, struct oh_buf *b)
{
	cleanup_close int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

	b->len = 0;
	if (fd < 0)
		return -1;
	return oh_read_fd_buf(fd, max, b);
}

int oh_read_fd_buf(int fd, size_t max, struct oh_buf *b)
{
	b->len = 0;
	for (;;) {
		oh_buf_grow(b, 8192);
		ssize_t r = read(fd, b->data + b->len, b->cap - b->len - 1);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (r == 0)
			break;
		b->len += (size_t)r;
		if (b->len > max) {
			errno = EFBIG;
			return -1;
		}
	}
	b->data[b->len] = '\0';
	return 0;
}

int oh_write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t w = write(fd, p, len);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

void oh_buf_grow(struct oh_buf *b, size_t extra)
{
	if (b->len + extra + 1 <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < b->len + extra + 1)
		cap *= 2;
	b->data = xrealloc(b->data, cap);
	b->cap = cap;
}

void oh_buf_add(struct oh_buf *b, const void *p, size_t n)
{
	oh_buf_grow(b, n);
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void oh_buf_puts(struct oh_buf *b, const char *s)
{
	oh_buf_add(b, s, strlen(s));
}

void oh_buf_printf(struct oh_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	oh_buf_grow(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void oh_buf_free(struct oh_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

char *oh_path_join(const char *dir, const char *name)
{
	size_t n = strlen(dir);

	if (n > 0 && dir[n - 1] == '/')
		return xasprintf("%s%s", dir, name);
	return xasprintf("%s/%s", dir, name);
}

int oh_write_atomic_at(int dirfd, const char *dirname, const char *name,
		       oh_producer produce, void *ctx, struct oh_error *err)
{
	cleanup_free char *shown = oh_path_join(dirname, name);
	char tmp[256];
	struct stat st;
	mode_t mode = 0644;
	bool have_old = false;
	cleanup_close int fd = -1;
	uint64_t rnd = 0;

	if (strchr(name, '/') != NULL || strlen(name) > 200)
		return oh_err(err, 0, "%s: invalid file name", shown);
	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		if (!S_ISREG(st.st_mode))
			return oh_err(err, 0, "%s: not a regular file, refusing to replace it",
				      shown);
		mode = st.st_mode & 07777;
		have_old = true;
	} else if (errno != ENOENT) {
		return oh_err(err, errno, "%s: cannot stat", shown);
	}
	for (int attempt = 0; attempt < 16; attempt++) {
		if (getrandom(&rnd, sizeof(rnd), GRND_NONBLOCK) != sizeof(rnd))
			rnd = ((uint64_t)getpid() << 32) ^ (uint64_t)(uintptr_t)&rnd ^
			      (uint64_t)attempt;
		snprintf(tmp, sizeof(tmp), ".%s.%016llx.tmp", name,
			 (unsigned long long)rnd);
		fd = openat(dirfd, tmp,
			    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd >= 0 || errno != EEXIST)
			break;
	}
	if (fd < 0)
		return oh_err(err, errno, "%s: cannot create a temporary file", shown);

	if (produce(fd, ctx, err) < 0)
		goto fail;
	if (have_old && geteuid() == 0 && fchown(fd, st.st_uid, st.st_gid) < 0) {
		oh_err(err, errno, "%s: cannot keep the owner", shown);
		goto fail;
	}
	/* fchmod after fchown: chown clears the set-id bits. */
	if (fchmod(fd, mode) < 0) {
		oh_err(err, errno, "%s: cannot set the mode", shown);
		goto fail;
	}
	if (fsync(fd) < 0) {
		oh_err(err, errno, "%s: fsync failed", shown);
		goto fail;
	}
	if (close(fd) < 0) {
		fd = -1;
		oh_err(err, errno, "%s: close failed", shown);
		goto fail;
	}
	fd = -1;
	if (renameat(dirfd, tmp, dirfd, name) < 0) {
		oh_err(err, errno, "%s: rename failed", shown);
		goto fail;
	}
	/* Make the rename itself durable; failure here does not undo it. */
	(void)fsync(dirfd);
	return 0;
fail:
	unlinkat(dirfd, tmp, 0);
	return -1;
}

int oh_write_atomic(const char *path, oh_producer produce, void *ctx,
		    struct oh_error *err)
{
	cleanup_free char *copy = xstrdup(path);
	cleanup_close int dirfd = -1;
	const char *dir, *name;
	char *slash = strrchr(copy, '/');

	if (slash == NULL) {
		dir = ".";
		name = copy;
	} else {
		*slash = '\0';
		dir = slash == copy ? "/" : copy;
		name = slash + 1;
	}
	if (*name == '\0')
		return oh_err(err, 0, "%s: not a file name", path);
	dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		return oh_err(err, errno, "%s: cannot open the directory", dir);
	return oh_write_atomic_at(dirfd, dir, name, produce, ctx, err);
}
