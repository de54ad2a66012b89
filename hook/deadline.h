/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A deadline for a front end whose caller gives up after a while (an engine
 * waits 10 s for a hook or a runtime call): when the timer fires, the
 * process says why on the registered descriptors, removes the temporary
 * files registered, and exits with the given status.  Everything the signal
 * handler does is prepared beforehand, so it only calls write(2), unlink(2)
 * and _exit(2).
 */
#ifndef OH_DEADLINE_H
#define OH_DEADLINE_H

#include <stddef.h>

#include "error.h"

#define DEADLINE_MAX_SINKS 4
#define DEADLINE_MAX_FILES 8

/* Arms the timer (replacing one armed before). */
int deadline_arm(double seconds, int status, struct oh_error *err);
/* Writes these bytes to fd when the deadline passes (copied). */
void deadline_say(int fd, const char *bytes, size_t len);
/* Removes path when the deadline passes (copied); untrack when done. */
void deadline_track_file(const char *path);
void deadline_untrack_file(const char *path);
/* Kills the process open at pidfd (SIGKILL through it) when the deadline
 * passes, before anything else, and then writes said (copied) to standard
 * error, only if the signal was sent; -1 forgets it.  Forget it before the
 * descriptor is closed: its number may be another's then. */
void deadline_kill(int pidfd, const char *said, size_t len);
/*
 * The audit trail's line for the deadline's refusal (audit.h): sent to the
 * syslog socket as one datagram and, where file is not NULL, appended to
 * the file after "time=..."; killed, where not NULL, goes instead of line
 * when the deadline sent deadline_kill's signal.  Copied; a later call
 * replaces the lines (a stage that has learnt the container's id).
 */
struct deadline_audit {
	const char *socket;   /* the syslog socket, e.g. /dev/log */
	int prio;             /* facility and level */
	const char *line;
	const char *killed;   /* or NULL */
	const char *file;     /* or NULL */
};
void deadline_audit(const struct deadline_audit *a);
/* "YYYY-MM-DDTHH:MM:SSZ" of secs since the epoch (UTC), as the handler
 * writes it: without gmtime(3), which is not async-signal-safe. */
void deadline_utc(long long secs, char out[21]);
/* Holds the deadline off across a step that must not stop halfway (an
 * atomic rewrite: its temporary file is not known here); a deadline that
 * passed meanwhile fires at the release. */
void deadline_hold(void);
void deadline_release(void);
/* Stops the timer and forgets what was registered.  Call it before
 * execve(2): an armed interval timer survives exec. */
void deadline_disarm(void);

#endif
