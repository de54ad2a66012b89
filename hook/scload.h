/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libseccomp opened on first use (scload.c): what a front end does when
 * it cannot be.
 */
#ifndef OH_SCLOAD_H
#define OH_SCLOAD_H

/*
 * libseccomp is opened on first use (scload.c).  When it cannot be, fn
 * gets the reason (the library, the symbol, the loader's words) and the
 * process ends with the status fn returns: a front end records it as it
 * records any error it cannot judge past (the audit line, its message,
 * and in audit mode an admission).  Without fn the reason goes to stderr
 * and the status is 2.  Nothing returns to the caller: a function of
 * libseccomp that answered nothing would read as "not a call of this
 * architecture" to the strength check.  A build that links libseccomp in
 * (OH_STATIC_LIBS, where OH_SECCOMP_SONAME is not defined) never fails so.
 */
typedef int (*oh_sc_load_failure_fn)(const char *why, void *ctx);
#ifdef OH_SECCOMP_SONAME
void oh_sc_on_load_failure(oh_sc_load_failure_fn fn, void *ctx);
#else
static inline void oh_sc_on_load_failure(oh_sc_load_failure_fn fn, void *ctx)
{
	(void)fn, (void)ctx;
}
#endif

#endif
