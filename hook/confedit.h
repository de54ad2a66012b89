/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Edits of configuration files on a host root, as one change set: planned
 * in memory, shown as a unified diff, applied atomically with a backup, and
 * undone exactly.
 *
 * Paths are the host's (/etc/docker/daemon.json); every file is read and
 * written under the root (a host mounted elsewhere, "/" by default).  What
 * an apply wrote is recorded under ROOT/var/lib/oci-harden/setup/NAME/: a
 * manifest naming each file, its bytes before the first apply (or that it
 * did not exist) and its bytes as written.  Undo restores a file only while
 * it still holds what was written, so it never throws away a later edit.
 */
#ifndef OH_CONFEDIT_H
#define OH_CONFEDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "error.h"

#define CONFEDIT_STATE_DIR "/var/lib/oci-harden/setup"
/* Configuration files are small; anything larger is not one. */
#define CONFEDIT_MAX_FILE (4u * 1024u * 1024u)

struct cf_file {
	char *path;     /* host path */
	bool existed;
	char *old;      /* current bytes (NULL when absent) */
	size_t oldlen;
	bool planned;   /* new holds the wanted bytes */
	bool remove;    /* the file is to be removed (undo) */
	char *new;
	size_t newlen;
};

struct changeset {
	char *root;     /* "" for the host itself, else the root without a trailing / */
	char *name;     /* the state's name: the engine */
	struct cf_file *files;
	size_t n;
};

void changeset_init(struct changeset *cs, const char *root, const char *name);
void changeset_free(struct changeset *cs);

/* ROOT + host path, malloc'd. */
char *changeset_path(const struct changeset *cs, const char *path);

/*
 * Reads the current bytes of a host path (cached: the same file is read
 * once).  *text is NULL when the file does not exist.  Not a regular file,
 * unreadable or larger than CONFEDIT_MAX_FILE is an error.  The text
 * stays owned by the change set and is NUL-terminated.
 */
int changeset_read(struct changeset *cs, const char *path, const char **text,
		   size_t *len, struct oh_error *err);

/* Plans path to hold text (copied). */
int changeset_put(struct changeset *cs, const char *path, const char *text,
		  size_t len, struct oh_error *err);

/* How many planned files would change. */
size_t changeset_pending(const struct changeset *cs);

/* Prints each change as a unified diff (a/PATH, b/PATH). */
void changeset_diff(const struct changeset *cs, FILE *out);

/* Writes every change: directories made as needed, backups and the
 * manifest first, then each file atomically. */
int changeset_apply(struct changeset *cs, struct oh_error *err);

/*
 * Plans the undo of what earlier applies recorded: each file back to its
 * bytes before the first apply, or removed.  *found is false when there
 * is nothing recorded.  A file that no longer holds what was written is an
 * error naming it (nothing is changed).
 */
int changeset_plan_undo(struct changeset *cs, bool *found, struct oh_error *err);
/* Applies a planned undo and removes the record. */
int changeset_apply_undo(struct changeset *cs, struct oh_error *err);

#endif
