/* SPDX-License-Identifier: Apache-2.0 */
#include "state.h"

#include <string.h>

/* PID_MAX_LIMIT: no pid is larger on any configuration. */
#define PID_LIMIT 4194304

int oh_state_parse(char *buf, size_t len, struct oh_state *st,
		   struct oh_error *err)
{
	struct jval *root, *v;

	memset(st, 0, sizeof(*st));
	if (json_parse(buf, len, "<stdin state>", &st->doc, err) < 0)
		return oh_err_wrap(err, "the container state on stdin");
	root = json_root(st->doc);
	v = jobj_get(root, "id");
	if (v == NULL && (jobj_get(root, "process") || jobj_get(root, "root")))
		return oh_err(err, 0, "stdin holds an OCI config, not the container "
			      "state: only the precreate stage takes a config");
	if (v == NULL || v->type != J_STRING || v->len == 0)
		return oh_err(err, 0, "the container state has no id");
	st->id = v->u.str;
	v = jobj_get(root, "bundle");
	if (v == NULL || v->type != J_STRING || v->len == 0)
		return oh_err(err, 0, "the container state has no bundle");
	st->bundle = v->u.str;
	if (st->bundle[0] != '/')
		return oh_err(err, 0, "the bundle path \"%s\" is not absolute", st->bundle);
	v = jobj_get(root, "pid");
	if (v != NULL) {
		int64_t pid;
		/* 0 is no pid, as an absent one: crun 1.8 passes it to
		 * createContainer hooks.  A stage that needs the pid refuses
		 * it (poststart: "the container state has no pid"). */
		if (!jv_get_i64(v, &pid) || pid < 0 || pid > PID_LIMIT)
			return oh_err(err, 0, "the container state has an invalid pid");
		st->pid = (long)pid;
	}
	v = jobj_get(root, "annotations");
	if (v != NULL && v->type != J_OBJECT)
		return oh_err(err, 0, "the container state's annotations are not an object");
	for (uint32_t i = 0; v != NULL && i < v->len; i++)
		if (v->u.members[i].val.type != J_STRING)
			return oh_err(err, 0, "the container state's annotation \"%s\" is "
				      "not a string", v->u.members[i].key);
	st->annotations = v;
	return 0;
}

void oh_state_free(struct oh_state *st)
{
	json_free(st->doc);
	st->doc = NULL;
}
