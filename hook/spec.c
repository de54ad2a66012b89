/* SPDX-License-Identifier: Apache-2.0 */
#include "spec.h"

#include <string.h>

#include "ohseccomp.h"
#include "util.h"

const char *const capset_names[CS_COUNT] = {
	"bounding", "effective", "permitted", "inheritable", "ambient",
};

int spec_member(const struct spec *s, const struct jval *obj, const char *ptr,
		const char *key, struct jval **out, struct oh_error *err)
{
	bool exact = false;
	struct jmember *m = jobj_fold_get(obj, key, &exact);

	*out = NULL;
	if (m == NULL)
		return 0;
	if (!exact) {
		char p[512];
		json_ptr_set(p, sizeof(p), ptr);
		json_ptr_append(p, sizeof(p), m->key, m->klen);
		return oh_err(err, 0,
			      "%s: %s: key \"%s\" must be spelled \"%s\": runc would read it "
			      "as \"%s\", crun would ignore it",
			      s->source, p, m->key, key, key);
	}
	*out = &m->val;
	return 0;
}

static const char *type_word(enum jtype t)
{
	switch (t) {
	case J_TRUE:
	case J_FALSE: return "a boolean";
	default: return jtype_name(t);
	}
}

/* Looks up key and checks its type; absent is fine, null is not. */
static int want(const struct spec *s, const struct jval *obj, const char *ptr,
		const char *key, enum jtype type, struct jval **out,
		struct oh_error *err)
{
	struct jval *v;
	char p[512];

	*out = NULL;
	if (obj == NULL)
		return 0;
	if (spec_member(s, obj, ptr, key, &v, err) < 0)
		return -1;
	if (v == NULL)
		return 0;
	bool ok = v->type == type ||
		  (type == J_TRUE && (v->type == J_TRUE || v->type == J_FALSE));
	if (!ok) {
		json_ptr_set(p, sizeof(p), ptr);
		json_ptr_append(p, sizeof(p), key, strlen(key));
		return oh_err(err, 0, "%s: %s: must be %s, not %s", s->source, p,
			      type_word(type), type_word(v->type));
	}
	*out = v;
	return 0;
}

static int want_string_array(const struct spec *s, const struct jval *arr,
			     const char *ptr, struct oh_error *err)
{
	if (arr == NULL)
		return 0;
	for (uint32_t i = 0; i < arr->len; i++)
		if (arr->u.items[i].type != J_STRING)
			return oh_err(err, 0, "%s: %s/%u: must be a string, not %s",
				      s->source, ptr, i, type_word(arr->u.items[i].type));
	return 0;
}

static int load_process(struct spec *s, struct oh_error *err)
{
	if (want(s, s->process, "/process", "noNewPrivileges", J_TRUE, &s->nnp, err) < 0 ||
	    want(s, s->process, "/process", "capabilities", J_OBJECT, &s->caps, err) < 0 ||
	    want(s, s->process, "/process", "apparmorProfile", J_STRING, &s->apparmor, err) < 0 ||
	    want(s, s->process, "/process", "selinuxLabel", J_STRING, &s->selinux_label, err) < 0 ||
	    want(s, s->process, "/process", "user", J_OBJECT, &s->user, err) < 0)
		return -1;
	for (int i = 0; i < CS_COUNT; i++) {
		char p[64];
		json_ptr_set(p, sizeof(p), "/process/capabilities");
		json_ptr_append(p, sizeof(p), capset_names[i], strlen(capset_names[i]));
		if (want(s, s->caps, "/process/capabilities", capset_names[i], J_ARRAY,
			 &s->capset[i], err) < 0 ||
		    want_string_array(s, s->capset[i], p, err) < 0)
			return -1;
	}
	if (s->user != NULL) {
		struct jval *uid;
		if (want(s, s->user, "/process/user", "uid", J_NUMBER, &uid, err) < 0)
			return -1;
		if (uid != NULL) {
			if (!jv_get_u64(uid, &s->uid) || s->uid > UINT32_MAX)
				return oh_err(err, 0, "%s: /process/user/uid: not a valid uid",
					      s->source);
			s->has_uid = true;
		}
	}
	return 0;
}

static int load_linux(struct spec *s, bool check_seccomp, struct oh_error *err)
{
	if (want(s, s->linux_, "/linux", "seccomp", J_OBJECT, &s->seccomp, err) < 0 ||
	    want(s, s->linux_, "/linux", "namespaces", J_ARRAY, &s->namespaces, err) < 0 ||
	    want(s, s->linux_, "/linux", "maskedPaths", J_ARRAY, &s->masked_paths, err) < 0 ||
	    want(s, s->linux_, "/linux", "readonlyPaths", J_ARRAY, &s->readonly_paths, err) < 0 ||
	    want(s, s->linux_, "/linux", "mountLabel", J_STRING, &s->mount_label, err) < 0 ||
	    want_string_array(s, s->masked_paths, "/linux/maskedPaths", err) < 0 ||
	    want_string_array(s, s->readonly_paths, "/linux/readonlyPaths", err) < 0)
		return -1;
	if (s->namespaces != NULL) {
		for (uint32_t i = 0; i < s->namespaces->len; i++) {
			struct jval *ns = &s->namespaces->u.items[i], *t, *p;
			char ptr[64];

			json_ptr_set(ptr, sizeof(ptr), "/linux/namespaces");
			json_ptr_append_index(ptr, sizeof(ptr), i);
			if (ns->type != J_OBJECT)
				return oh_err(err, 0, "%s: %s: must be an object, not %s",
					      s->source, ptr, type_word(ns->type));
			if (want(s, ns, ptr, "type", J_STRING, &t, err) < 0 ||
			    want(s, ns, ptr, "path", J_STRING, &p, err) < 0)
				return -1;
			if (t == NULL)
				return oh_err(err, 0, "%s: %s: a namespace needs a type",
					      s->source, ptr);
		}
	}
	if (check_seccomp && s->seccomp != NULL && oh_seccomp_validate_oci(s, s->seccomp, err) < 0)
		return -1;
	return 0;
}

static int load(struct jdoc *doc, const char *source, struct spec *s,
		bool check_seccomp, struct oh_error *err);

int spec_load(struct jdoc *doc, const char *source, struct spec *s,
	      struct oh_error *err)
{
	return load(doc, source, s, true, err);
}

int spec_reload(struct spec *s, struct oh_error *err)
{
	return load(s->doc, s->source, s, false, err);
}

static int load(struct jdoc *doc, const char *source, struct spec *s,
		bool check_seccomp, struct oh_error *err)
{
	memset(s, 0, sizeof(*s));
	s->doc = doc;
	s->source = source;
	s->root = json_root(doc);

	if (want(s, s->root, "", "process", J_OBJECT, &s->process, err) < 0 ||
	    want(s, s->root, "", "root", J_OBJECT, &s->rootobj, err) < 0 ||
	    want(s, s->root, "", "linux", J_OBJECT, &s->linux_, err) < 0 ||
	    want(s, s->root, "", "annotations", J_OBJECT, &s->annotations, err) < 0)
		return -1;
	if (want(s, s->rootobj, "/root", "path", J_STRING, &s->root_path, err) < 0 ||
	    want(s, s->rootobj, "/root", "readonly", J_TRUE, &s->root_readonly, err) < 0)
		return -1;
	if (s->annotations != NULL) {
		/* Annotations are a map: Go matches map keys exactly, so only the
		 * values' types matter here. */
		for (uint32_t i = 0; i < s->annotations->len; i++) {
			struct jmember *m = &s->annotations->u.members[i];
			if (m->val.type != J_STRING) {
				char p[512] = "/annotations";
				json_ptr_append(p, sizeof(p), m->key, m->klen);
				return oh_err(err, 0, "%s: %s: must be a string, not %s",
					      source, p, type_word(m->val.type));
			}
		}
	}
	if (load_process(s, err) < 0 || load_linux(s, check_seccomp, err) < 0)
		return -1;
	return 0;
}

int spec_parse(char *buf, size_t len, const char *source, struct spec *s,
	       struct oh_error *err)
{
	struct jdoc *doc;

	memset(s, 0, sizeof(*s));
	if (json_parse(buf, len, source, &doc, err) < 0)
		return -1;
	if (spec_load(doc, source, s, err) < 0) {
		json_free(doc);
		s->doc = NULL;
		return -1;
	}
	return 0;
}

void spec_free(struct spec *s)
{
	json_free(s->doc);
	s->doc = NULL;
}

const char *spec_annotation(const struct spec *s, const char *key)
{
	struct jval *v = jobj_get(s->annotations, key);

	return v != NULL && v->type == J_STRING ? v->u.str : NULL;
}
