/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What `oci-harden setup` changes for each engine, planned into a change
 * set (confedit.h): the hooks each engine accepts, the runtime wrapper as
 * its default runtime, through the engine's own drop-in mechanism where it
 * has one.  Existing configs are read the way the engine reads them
 * (daemon.json with the strict JSON parser, TOML through toml.h); one that
 * cannot be read is an error naming the file and the line.
 */
#ifndef OH_SETUP_H
#define OH_SETUP_H

#include "confedit.h"
#include "error.h"
#include "util.h"

enum setup_engine { ENGINE_PODMAN, ENGINE_DOCKER, ENGINE_CONTAINERD, ENGINE_CRIO };

/* Paths on the host (without --root), as the engine will see them. */
struct setup_opts {
	const char *binary;   /* oci-harden, for the hooks */
	const char *runtime;  /* oci-harden-runtime, the wrapper */
	const char *policy;   /* the policy the hooks read */
	const char *runc_dir; /* a directory holding only runc, a link to the wrapper */
};

int setup_engine_parse(const char *name, enum setup_engine *e);
const char *setup_engine_name(enum setup_engine e);

/*
 * Plans the engine's changes into cs (made with the engine's name) and
 * appends to notes, one line each, what the admin must know or do (which
 * daemon to restart, what setup replaced).
 */
int setup_plan(enum setup_engine e, const struct setup_opts *o,
	       struct changeset *cs, struct oh_buf *notes, struct oh_error *err);

/*
 * Whether a systemd unit file or drop-in's text changes the PATH a
 * service runs with, read as systemd reads it (systemd.syntax(7): blanks
 * around "=", comments, lines continued by a backslash; systemd.exec(5):
 * Environment= words with quotes and escapes): Environment= assigning
 * PATH, any EnvironmentFile= (it overrides Environment=), UnsetEnvironment=
 * naming PATH, in the [Service] section.  Returns what it does ("sets
 * PATH", ...) with its first line in *line, or NULL.
 */
const char *setup_unit_env_find(const char *text, size_t n, unsigned *line);

#endif
