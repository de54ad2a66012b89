/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Whose command line a runtime binary reads, runc's or crun's, when the
 * policy does not say (runtime.dialect).
 *
 * A file's name alone is not evidence: a copy of crun named runc would be
 * read in runc's grammar, which differs (crun takes abbreviations such as
 * `--roo`), and an argument could then mean one thing to the wrapper and
 * another to the runtime.  So the name (after symbolic links: runc...,
 * crun...) must agree with what the binary says of itself: the first line
 * of `RUNTIME --version`, "runc version ..." or "crun version ...".  The
 * answer is kept in a cache keyed by the file's identity (st_dev, st_ino,
 * size, mtime, ctime), so that only the first start after an install or
 * upgrade runs the probe.  The cache is one file, CACHE_DIR/runtime-dialects,
 * written atomically and read only when it and its directory are owned by
 * root and writable by nobody else.
 */
#ifndef OH_RTDIALECT_H
#define OH_RTDIALECT_H

#include "error.h"
#include "runtime_args.h"

/* Where the cache lives unless OCI_HARDEN_CACHE_DIR says otherwise. */
#define RT_DIALECT_CACHE_DIR "/run/oci-harden"
#define RT_DIALECT_CACHE_FILE "runtime-dialects"
/* How long `RUNTIME --version` may take. */
#define RT_DIALECT_PROBE_MS 2000

/*
 * The dialect of the runtime at path.  cache_dir NULL: no cache.  Fails
 * (naming runtime.dialect) when the name says neither runc nor crun, when
 * the probe says neither or fails, when the probe disagrees with the name,
 * or when the file changed while it was probed.
 */
int rt_dialect_detect(const char *path, const char *cache_dir, enum rt_dialect *d,
		      struct oh_error *err);

#endif
