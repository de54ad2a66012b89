/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A typed view of the security-relevant fields of an OCI config, over the
 * JSON tree that keeps everything else for round-tripping.
 *
 * Every field the rules read is looked up the way runc would find it (keys
 * matched under case folding) and must be spelled exactly as the runtime
 * spec spells it, because crun matches exactly: a key only one runtime
 * would see is an error, as are null and wrong types on these fields.
 */
#ifndef OH_SPEC_H
#define OH_SPEC_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "error.h"
#include "json.h"

enum capset {
	CS_BOUNDING,
	CS_EFFECTIVE,
	CS_PERMITTED,
	CS_INHERITABLE,
	CS_AMBIENT,
	CS_COUNT
};

extern const char *const capset_names[CS_COUNT];

/* prestart, createRuntime, createContainer, startContainer, poststart,
 * poststop: the index of each in spec_hook_stages. */
enum { SPEC_HOOK_PRESTART, SPEC_HOOK_CREATE_RUNTIME, SPEC_HOOK_CREATE_CONTAINER,
       SPEC_HOOK_START_CONTAINER, SPEC_HOOK_POSTSTART, SPEC_HOOK_POSTSTOP,
       SPEC_HOOK_STAGES };
extern const char *const spec_hook_stages[SPEC_HOOK_STAGES];

/* A mount's type as the checks tell them apart. */
enum spec_mount_kind {
	MOUNT_OTHER, MOUNT_BIND, MOUNT_PROC, MOUNT_SYSFS, MOUNT_DEVTMPFS, MOUNT_OVERLAY
};

/* One entry of "mounts" as the rules read it ("" for an absent string).
 * 48 bytes (the flags are bits): a config may have a million mounts, and
 * the views are fresh memory. */
struct spec_mount {
	const char *destination, *type, *source;
	const struct jval *options;  /* array of strings or NULL */
	/* The policy under which this bind's source, read-only or not as
	 * now, was judged to reach nothing sensitive (NULL: not judged).  The
	 * judgement after the fixes sees the same mounts; a load clears it
	 * when the source, the options or readonly change.  source_clear_ro:
	 * whether it was judged read-only all the way down. */
	const void *source_clear;
	bool bind : 1;       /* type "bind", or options bind/rbind (runc's reading) */
	bool readonly : 1;   /* the last of the options ro/rw is ro */
	bool shared : 1;     /* an option is shared or rshared */
	bool rbind : 1;      /* an option is rbind */
	bool rro : 1;        /* the last of the options rro/rrw is rro */
	/* What every judgement asks of every mount's strings, read once: a
	 * reload keeps them for a string at the same address (the tree's
	 * strings are never written in place), so the judgements after the
	 * fixes do not read a million strings again. */
	bool dest_kernel : 1;  /* destination holds "proc" or "sys" */
	bool source_clear_ro : 1;
	/* host-devices found the bind's source no device; reset with
	 * source_clear (the answer depends on the source alone). */
	bool device_clear : 1;
	/* The side-door checks' record of the source's look-up on this host
	 * (spec.source_look) is of this source string; a load that finds
	 * another one here clears it. */
	bool source_looked : 1;
	uint8_t kind;          /* enum spec_mount_kind of type */
};

/* What the side-door checks looked up of each mount's source
 * (checks_sidedoors.c). */
struct spec_source_look;

struct spec {
	struct jdoc *doc;
	const char *source;
	struct jval *root;

	struct jval *process;        /* object or NULL */
	struct jval *nnp;            /* boolean or NULL */
	struct jval *caps;           /* object or NULL */
	struct jval *capset[CS_COUNT];   /* arrays of strings or NULL */
	/* The capabilities each set names as runc reads them (caps_from_loose),
	 * read at load: a judgement asks several times, and a set may name a
	 * million.  A fix that edits a set is followed by a reload before the
	 * next judgement; within the fixes, read the set itself. */
	uint64_t capmask[CS_COUNT];
	/* The same for the names spelled exactly (caps_from_exact), and how
	 * many names of each set are not: the allowlist check walks a set
	 * only when one of its names is not allowed or not exact. */
	uint64_t capexact[CS_COUNT];
	uint32_t capinexact[CS_COUNT];
	/* Each set's items and length when the masks were read: a reload
	 * reads again only a set that is another array or another length
	 * (a fix edits a set in place only by dropping names). */
	const struct jval *capread_items[CS_COUNT];
	uint32_t capread_len[CS_COUNT];
	struct jval *apparmor;       /* string or NULL */
	struct jval *selinux_label;  /* string or NULL */
	struct jval *user;           /* object or NULL */
	bool has_uid;
	uint64_t uid;
	struct jval *cwd;            /* process.cwd: string or NULL */
	struct jval *env;            /* process.env: array of strings or NULL */

	struct jval *rootobj;        /* "root": object or NULL */
	struct jval *root_path;      /* string or NULL */
	struct jval *root_readonly;  /* boolean or NULL */

	struct jval *linux_;         /* object or NULL */
	struct jval *seccomp;        /* object or NULL */
	struct jval *namespaces;     /* array of objects or NULL */
	struct jval *masked_paths;   /* array of strings or NULL */
	struct jval *readonly_paths; /* array of strings or NULL */
	struct jval *mount_label;    /* string or NULL */
	struct jval *rootfs_propagation; /* string or NULL */
	/* Array of objects, each holding only the members below with these
	 * types (absent members allowed): {"path": string, "type": string,
	 * "major": integer, "minor": integer}. */
	struct jval *devices;
	/* linux.resources.devices: {"allow": boolean, "type": string,
	 * "major": integer, "minor": integer, "access": string} each. */
	struct jval *resources_devices;
	struct jval *resources_unified;  /* object of strings or NULL */
	struct jval *sysctl;         /* object of strings or NULL */
	/* linux.uidMappings: {"containerID", "hostID", "size": integer} each. */
	struct jval *uid_mappings;

	/* "mounts": {"destination", "type", "source": string, "options":
	 * array of strings} each, and the same read once into mount[]. */
	struct jval *mounts;
	struct spec_mount *mount;    /* mounts->len entries, in the doc's arena */
	uint32_t nmount_views;       /* room in mount (at least mounts->len) */
	/* The side-door checks' records of the mounts' sources, one per view
	 * (the cleaned host path, where the kernel resolves it, where the
	 * runtime reads it), in the doc's arena: made when a check first asks
	 * and kept by a reload that keeps the views, so that the judgement
	 * after the fixes looks up no source again.  NULL until then. */
	struct spec_source_look *source_look;
	/* The bundle directory, or -1: runc reads a relative mount source (and
	 * an overlay's relative lowerdir) against it, so the side-door checks
	 * resolve them there.  Set by whoever read the config from a bundle;
	 * a reload keeps it. */
	int bundle_fd;
	/* The container's init when a hook stage knows it from the runtime's
	 * state (createRuntime and later), else 0: the one process a cgroup
	 * the config names may already hold.  A reload keeps it. */
	pid_t init_pid;
	/* "hooks": an object of arrays of {"path": string, "args", "env":
	 * arrays of strings, "timeout": integer}; the stages as they come. */
	struct jval *hooks;
	struct jval *hook[SPEC_HOOK_STAGES];   /* each stage's array or NULL */

	struct jval *annotations;    /* object of strings or NULL */
};

/* Builds the view; fails (with the JSON pointer) on ambiguity or bad types. */
int spec_load(struct jdoc *doc, const char *source, struct spec *s,
	      struct oh_error *err);

/* Rebuilds the view after the tree changed (a fix); the seccomp object is
 * not validated again, as only the fixes wrote to the tree. */
int spec_reload(struct spec *s, struct oh_error *err);

/* Parses a document and builds the view in one step; takes ownership of buf. */
int spec_parse(char *buf, size_t len, const char *source, struct spec *s,
	       struct oh_error *err);
void spec_free(struct spec *s);
#define cleanup_spec __attribute__((cleanup(spec_free)))

/* Looks up a member the way the runtimes would and insists they agree.
 * *out is NULL when absent.  ptr is the object's pointer, for messages. */
int spec_member(const struct spec *s, const struct jval *obj, const char *ptr,
		const char *key, struct jval **out, struct oh_error *err);

/* Annotation value or NULL. */
const char *spec_annotation(const struct spec *s, const char *key);

#endif
