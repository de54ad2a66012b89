/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The container state a runtime hands every hook stage but precreate on
 * stdin (runtime-spec "state": ociVersion, id, status, pid, bundle,
 * annotations), read strictly.
 */
#ifndef OH_STATE_H
#define OH_STATE_H

#include "error.h"
#include "json.h"

struct oh_state {
	struct jdoc *doc;
	const char *id;
	const char *bundle;         /* absolute */
	long pid;                   /* 0 when absent */
	struct jval *annotations;   /* object of strings, or NULL */
};

/*
 * Parses the state; the document takes buf (as json_parse does).  A config
 * where the state belongs, a missing or empty id or bundle, a relative
 * bundle path, a pid out of range and annotations that are not an object
 * of strings are errors saying so.
 */
int oh_state_parse(char *buf, size_t len, struct oh_state *st,
		   struct oh_error *err);
void oh_state_free(struct oh_state *st);

#endif
