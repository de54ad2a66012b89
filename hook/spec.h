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

struct spec {
	struct jdoc *doc;
	const char *source;
	struct jval *root;

	struct jval *process;        /* object or NULL */
	struct jval *nnp;            /* boolean or NULL */
	struct jval *caps;           /* object or NULL */
	struct jval *capset[CS_COUNT];   /* arrays of strings or NULL */
	struct jval *apparmor;       /* string or NULL */
	struct jval *selinux_label;  /* string or NULL */
	struct jval *user;           /* object or NULL */
	bool has_uid;
	uint64_t uid;

	struct jval *rootobj;        /* "root": object or NULL */
	struct jval *root_path;      /* string or NULL */
	struct jval *root_readonly;  /* boolean or NULL */

	struct jval *linux_;         /* object or NULL */
	struct jval *seccomp;        /* object or NULL */
	struct jval *namespaces;     /* array of objects or NULL */
	struct jval *masked_paths;   /* array of strings or NULL */
	struct jval *readonly_paths; /* array of strings or NULL */
	struct jval *mount_label;    /* string or NULL */

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
