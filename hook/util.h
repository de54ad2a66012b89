/* SPDX-License-Identifier: Apache-2.0 */
#ifndef OH_UTIL_H
#define OH_UTIL_H

#include <dirent.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "error.h"

/*
 * Largest document (config, policy, profile, hook state) read from anywhere.
 * Checked before the whole input is in memory: a regular file by fstat, a
 * pipe as it is read.  Real configs are tens of KiB; the cap leaves room for
 * configs carrying tens of MiB of environment and annotations.
 */
#define OH_MAX_INPUT (64u * 1024u * 1024u)

void oh_freep(void *p);
void oh_closep(int *fd);
void oh_fclosep(FILE **f);
void oh_closedirp(DIR **d);

#define cleanup_free __attribute__((cleanup(oh_freep)))
#define cleanup_close __attribute__((cleanup(oh_closep)))
#define cleanup_fclose __attribute__((cleanup(oh_fclosep)))
#define cleanup_dir __attribute__((cleanup(oh_closedirp)))

/* Aborts on allocation failure: the only sane reaction in a short-lived
 * command that must not half-apply a decision. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
/*
 * Scratch arrays of millions of entries (a 64 MiB config's keys, its
 * names' hashes) on huge pages where the kernel offers them (transparent
 * huge pages, "madvise"): a first touch of every 4 KiB page of 100 MB
 * costs more than filling it.  Below OH_BIG_MIN bytes they are malloc's.
 * oh_big_grow grows p from old to n bytes (p NULL and old 0: a new one);
 * oh_big_free takes the size the array has.
 */
#define OH_BIG_MIN ((size_t)4 << 20)
void *oh_big_grow(void *p, size_t old, size_t n);
void oh_big_free(void *p, size_t n);
/*
 * The size to ask oh_big_grow for, to hold n bytes: n, or past
 * OH_BIG_AFTER at least OH_BIG_MIN, so that an array of a few hundred KB
 * is on huge pages too.  Here a page fault costs about a microsecond and
 * a huge page's about what 40 small ones do: a 2 MiB config's stacks,
 * tree and hashes of 80,000 keys spent a tenth of the hook's time
 * faulting in 4 KiB pages.  Only the huge pages touched are memory.
 */
#define OH_BIG_AFTER ((size_t)512 << 10)
static inline size_t oh_big_size(size_t n)
{
	return n < OH_BIG_AFTER || n >= OH_BIG_MIN ? n : OH_BIG_MIN;
}
char *xstrdup(const char *s);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Reads everything from fd, at most max bytes (more is an error).  The
 * buffer is sized from fstat for regular files.  *out is malloc'd.
 */
int oh_read_fd(int fd, const char *name, size_t max, char **out, size_t *len,
	       struct oh_error *err);

/* Opens a file the user named (symlinks followed, regular file required) or
 * "-" for stdin, and reads it whole. */
int oh_read_file(const char *path, size_t max, char **out, size_t *len,
		 struct oh_error *err);

/*
 * Opens config.json of the bundle directory dirfd without following a
 * symlink in the last component, requires a regular file and reads it.
 */
int oh_read_bundle_config(int dirfd, const char *bundle, size_t max,
			  char **out, size_t *len, struct oh_error *err);

/*
 * Reads file name under dirfd whole into b (NUL-terminated), failing past
 * max bytes (errno EFBIG); -1 with errno set on failure.  For /proc files,
 * whose size fstat does not tell.  The last component is not followed.
 */
struct oh_buf;
int oh_read_at(int dirfd, const char *name, size_t max, struct oh_buf *b);
/* The same from an open fd, to its end. */
int oh_read_fd_buf(int fd, size_t max, struct oh_buf *b);

/* Full write, retrying on EINTR and short writes. */
int oh_write_all(int fd, const void *buf, size_t len);

/* A growable byte buffer. */
struct oh_buf {
	char *data;
	size_t len;
	size_t cap;
};
void oh_buf_grow(struct oh_buf *b, size_t extra);
void oh_buf_add(struct oh_buf *b, const void *p, size_t n);
void oh_buf_puts(struct oh_buf *b, const char *s);
void oh_buf_printf(struct oh_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void oh_buf_free(struct oh_buf *b);

/*
 * Writes a file atomically: the producer writes into a temporary file in the
 * same directory, which is fsync'd and renamed over path.  The file keeps
 * mode (and owner, when run as root) of the file it replaces, else 0644.
 * On any failure the original is intact and the temporary file is removed.
 */
typedef int (*oh_producer)(int fd, void *ctx, struct oh_error *err);
int oh_write_atomic(const char *path, oh_producer produce, void *ctx,
		    struct oh_error *err);
/* The same, relative to a directory fd (name must be a plain file name). */
int oh_write_atomic_at(int dirfd, const char *dirname, const char *name,
		       oh_producer produce, void *ctx, struct oh_error *err);

/* Joins a directory and a file name into a new string. */
char *oh_path_join(const char *dir, const char *name);

#endif
