/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Learning a workload's seccomp profile, without eBPF: the kernel's seccomp
 * user notification.
 *
 * A container the policy lets learn gets a recording filter: the policy's
 * profile, translated for the container as the seccomp fix translates it,
 * in which every allowed call but a small base set (write among them, which
 * runc will not let notify) is SCMP_ACT_NOTIFY instead, and
 * linux.seccomp.listenerPath names the recorder's socket.  The runtime
 * connects there and hands over the notification fd; the recorder notes
 * each call (number, architecture, the family of socket()) and lets it
 * continue.  What the profile denies stays denied while learning, so the
 * container is never less confined than under the policy's profile; a
 * recorder that dies leaves the notified calls failing with ENOSYS, and one
 * that is not listening fails the container's start.
 *
 * The learned profile (docker format) allows what was recorded and the base
 * set, keeps the policy profile's argument-filtered and capability-gated
 * entries for those calls and its explicit denials, and refuses the rest
 * with ENOSYS.  Several runs merge.
 */
#ifndef OH_LEARN_H
#define OH_LEARN_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "host.h"
#include "json.h"

struct profile;

/* Calls allowed outright while recording (and always in a learned
 * profile): what every process makes all the time, and write. */
bool learn_base_call(const char *name);

/* Turns a translated OCI linux.seccomp object in doc into the recording
 * filter for the recorder at socket. */
void learn_recording_filter(struct jdoc *doc, struct jval *sc, const char *socket);

/* Whether an OCI linux.seccomp object is a recording filter for socket. */
bool learn_is_recording(const struct jval *sc, const char *socket);

struct learn_opts {
	const char *socket;      /* where the runtime connects */
	const char *output;      /* the learned profile, merged with what it holds */
	const struct profile *base;   /* the policy's profile */
	bool once;               /* stop after the first container's filter ends */
};

/*
 * Runs the recorder until the first container ends (once) or SIGTERM/SIGINT,
 * then writes the learned profile atomically.  Prints one line per
 * container it records to stderr.
 */
int learn_record(const struct learn_opts *o, struct oh_error *err);

/* The recorded calls, for tests and merging: one architecture's numbers. */
struct learn_set;

#endif
