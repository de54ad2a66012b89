/* SPDX-License-Identifier: Apache-2.0 */
#include "spec.h"

#include <string.h>

#include "caps.h"
#include "ohseccomp.h"
#include "util.h"

const char *const capset_names[CS_COUNT] = {
	"bounding", "effective", "permitted", "inheritable", "ambient",
};

int spec_member(const struct spec *s, const struct jval *obj, const char *ptr,
		const char *key, struct jval **out, struct oh_error *err)
{
	bool exact = false;
	/* The parser refuses keys equal under case folding, so an exact match
	 * is the only match: the cheap lookup first. */
	struct jval *v = jobj_get(obj, key);
	if (v != NULL) {
		*out = v;
		return 0;
	}
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

/* Looks up key as an integer (absent is fine). */
static int want_int(const struct spec *s, const struct jval *obj, const char *ptr,
		    const char *key, struct oh_error *err)
{
	struct jval *v;
	int64_t n;

	if (want(s, obj, ptr, key, J_NUMBER, &v, err) < 0)
		return -1;
	if (v != NULL && !jv_get_i64(v, &n)) {
		char p[512];
		json_ptr_set(p, sizeof(p), ptr);
		json_ptr_append(p, sizeof(p), key, strlen(key));
		return oh_err(err, 0, "%s: %s: must be an integer", s->source, p);
	}
	return 0;
}

/* The members of one array item that the rules read, with their types. */
struct item_field {
	const char *key;
	enum jtype type;   /* J_ARRAY: of strings; J_NUMBER: an integer */
};

/*
 * Checks that arr is an array of objects and that each object's fields
 * have their types: every item costs a lookup per field, so the whole
 * array is linear in its size.
 */
static int want_item(const struct spec *s, const struct jval *it, const char *q,
		     const struct item_field *f, size_t nf, struct oh_error *err)
{
	for (size_t k = 0; k < nf; k++) {
		struct jval *v;
		char r[512];

		if (f[k].type == J_NUMBER) {
			if (want_int(s, it, q, f[k].key, err) < 0)
				return -1;
			continue;
		}
		if (want(s, it, q, f[k].key, f[k].type, &v, err) < 0)
			return -1;
		if (f[k].type != J_ARRAY || v == NULL)
			continue;
		json_ptr_set(r, sizeof(r), q);
		json_ptr_append(r, sizeof(r), f[k].key, strlen(f[k].key));
		if (want_string_array(s, v, r, err) < 0)
			return -1;
	}
	return 0;
}

static int want_items(const struct spec *s, const struct jval *arr, const char *ptr,
		      const struct item_field *f, size_t nf, struct oh_error *err)
{
	for (uint32_t i = 0; arr != NULL && i < arr->len; i++) {
		const struct jval *it = &arr->u.items[i];
		char q[512];

		if (it->type == J_OBJECT && want_item(s, it, "", f, nf, err) == 0)
			continue;
		/* Only a bad item pays for its pointer: judged again for the
		 * message, with the pointer in it. */
		json_ptr_set(q, sizeof(q), ptr);
		json_ptr_append_index(q, sizeof(q), i);
		if (it->type != J_OBJECT)
			return oh_err(err, 0, "%s: %s: must be an object, not %s",
				      s->source, q, type_word(it->type));
		return want_item(s, it, q, f, nf, err);
	}
	return 0;
}

/* An object whose values must all be strings (sysctl). */
static int want_string_map(const struct spec *s, const struct jval *obj,
			   const char *ptr, struct oh_error *err)
{
	for (uint32_t i = 0; obj != NULL && i < obj->len; i++) {
		const struct jmember *m = &obj->u.members[i];
		if (m->val.type != J_STRING) {
			char p[512];
			json_ptr_set(p, sizeof(p), ptr);
			json_ptr_append(p, sizeof(p), m->key, m->klen);
			return oh_err(err, 0, "%s: %s: must be a string, not %s",
				      s->source, p, type_word(m->val.type));
		}
	}
	return 0;
}

/* The hook stages of the runtime spec, as runc and crun read them. */
const char *const spec_hook_stages[SPEC_HOOK_STAGES] = {
	"prestart", "createRuntime", "createContainer", "startContainer",
	"poststart", "poststop",
};

static int load_hooks(struct spec *s, struct oh_error *err)
{
	static const struct item_field hook[] = {
		{ "path", J_STRING }, { "args", J_ARRAY }, { "env", J_ARRAY },
		{ "timeout", J_NUMBER },
	};

	for (int i = 0; i < SPEC_HOOK_STAGES; i++) {
		char p[64];

		json_ptr_set(p, sizeof(p), "/hooks");
		json_ptr_append(p, sizeof(p), spec_hook_stages[i],
				strlen(spec_hook_stages[i]));
		if (want(s, s->hooks, "/hooks", spec_hook_stages[i], J_ARRAY,
			 &s->hook[i], err) < 0 ||
		    want_items(s, s->hook[i], p, hook, sizeof(hook) / sizeof(hook[0]),
			       err) < 0)
			return -1;
	}
	return 0;
}

/* The pointer of mounts[i], for messages (only a bad mount pays for it). */
static void mount_ptr(char *q, size_t cap, uint32_t i)
{
	json_ptr_set(q, cap, "/mounts");
	json_ptr_append_index(q, cap, i);
}

/* Which of a mount's members the rules read this key is, spelled exactly:
 * 0 destination, 1 type, 2 source, 3 options, -1 none. */
static int mount_field(const char *k, uint32_t n)
{
	switch (n) {
	case 4: return memcmp(k, "type", 4) == 0 ? 1 : -1;
	case 6: return memcmp(k, "source", 6) == 0 ? 2 : -1;
	case 7: return memcmp(k, "options", 7) == 0 ? 3 : -1;
	case 11: return memcmp(k, "destination", 11) == 0 ? 0 : -1;
	}
	return -1;
}

static uint8_t mount_kind(const char *t)
{
	if (strcmp(t, "bind") == 0)
		return MOUNT_BIND;
	if (strcmp(t, "proc") == 0)
		return MOUNT_PROC;
	if (strcmp(t, "sysfs") == 0)
		return MOUNT_SYSFS;
	if (strcmp(t, "devtmpfs") == 0)
		return MOUNT_DEVTMPFS;
	if (strcmp(t, "overlay") == 0)
		return MOUNT_OVERLAY;
	return MOUNT_OTHER;
}

/*
 * One mount: its members are read in one pass (four lookups by name cost
 * a comparison per member each, and a config may have a million mounts,
 * read at every load).  A field not spelled exactly goes the way of want(),
 * which finds it under case folding and says so, so that the errors and
 * their order are those of looking each field up.
 */
static int load_mount(struct spec *s, const struct jval *it, uint32_t i,
		      struct spec_mount *m, bool fresh, struct oh_error *err)
{
	static const char *const fields[] = { "destination", "type", "source", "options" };
	struct jval *found[4] = { NULL, NULL, NULL, NULL };
	unsigned changed = 0;   /* the strings not at the addresses of the last load */
	const char **str[] = { &m->destination, &m->type, &m->source };
	char q[64];

	if (it->type != J_OBJECT) {
		mount_ptr(q, sizeof(q), i);
		return oh_err(err, 0, "%s: %s: must be an object, not %s",
			      s->source, q, type_word(it->type));
	}
	/* A fresh view is written whole here, not cleared first (one pass
	 * over fresh memory, not two): no string is at NULL, so every field
	 * is read afresh. */
	if (fresh)
		*m = (struct spec_mount){ 0 };
	for (uint32_t k = 0; k < it->len; k++) {
		struct jmember *mm = &it->u.members[k];
		int f = mount_field(mm->key, mm->klen);
		if (f >= 0 && found[f] == NULL)
			found[f] = &mm->val;
	}
	for (int k = 0; k < 4; k++) {
		enum jtype type = k < 3 ? J_STRING : J_ARRAY;
		struct jval *v = found[k];
		if (v == NULL || v->type != type) {
			mount_ptr(q, sizeof(q), i);
			if (want(s, it, q, fields[k], type, &v, err) < 0)
				return -1;
		}
		if (k < 3) {
			const char *was = *str[k];
			*str[k] = v ? v->u.str : "";
			changed |= (unsigned)(was != *str[k]) << k;
		} else {
			changed |= (unsigned)(m->options != v) << 3;
			m->options = v;
		}
	}
	if (changed & 1)
		m->dest_kernel = strstr(m->destination, "proc") != NULL ||
				 strstr(m->destination, "sys") != NULL;
	if (changed & 2)
		m->kind = mount_kind(m->type);
	const struct jval *opts = m->options;
	bool was_bind = m->bind, was_readonly = m->readonly;
	m->bind = m->kind == MOUNT_BIND;
	m->readonly = false;
	m->shared = false;
	m->rbind = false;
	m->rro = false;
	/* crun ORs every option into one word of flags and keeps MS_REC
	 * when it takes the propagation bits off a bind: "bind" with
	 * "rprivate" (Docker's non-recursive bind), "rslave", "rshared" or
	 * "runbindable" binds recursively there, as "rbind" does. */
	bool rec_propagation = false;
	for (uint32_t k = 0; opts != NULL && k < opts->len; k++) {
		const struct jval *o = &opts->u.items[k];
		if (o->type != J_STRING) {
			char r[96];
			mount_ptr(q, sizeof(q), i);
			json_ptr_set(r, sizeof(r), q);
			json_ptr_append(r, sizeof(r), "options", 7);
			return oh_err(err, 0, "%s: %s/%u: must be a string, not %s",
				      s->source, r, k, type_word(o->type));
		}
		/* By length first: the options a mount lists are mostly others
		 * (nosuid, nodev...), and a string's length is in the tree. */
		const char *os = o->u.str;
		switch (o->len) {
		case 2:
			if (os[0] == 'r' && os[1] == 'o')
				m->readonly = true;
			else if (os[0] == 'r' && os[1] == 'w')
				m->readonly = false;
			break;
		case 3:
			if (memcmp(os, "rro", 3) == 0)
				m->rro = true;
			else if (memcmp(os, "rrw", 3) == 0)
				m->rro = false;
			break;
		case 4:
			m->bind |= memcmp(os, "bind", 4) == 0;
			break;
		case 5:
			if (memcmp(os, "rbind", 5) == 0)
				m->bind = m->rbind = true;
			break;
		case 6:
			m->shared |= memcmp(os, "shared", 6) == 0;
			rec_propagation |= memcmp(os, "rslave", 6) == 0;
			break;
		case 7:
			if (memcmp(os, "rshared", 7) == 0)
				m->shared = rec_propagation = true;
			break;
		case 8:
			rec_propagation |= memcmp(os, "rprivate", 8) == 0;
			break;
		case 11:
			rec_propagation |= memcmp(os, "runbindable", 11) == 0;
			break;
		}
	}
	if (m->bind && rec_propagation)
		m->rbind = true;
	if ((changed & (4 | 8)) || m->bind != was_bind || m->readonly != was_readonly) {
		m->source_clear = NULL;
		m->device_clear = false;
	}
	if (changed & 4)
		m->source_looked = false;
	return 0;
}

static int load_mounts(struct spec *s, struct oh_error *err)
{
	if (s->mounts == NULL || s->mounts->len == 0)
		return 0;
	bool fresh = s->mount == NULL || s->nmount_views < s->mounts->len;
	if (fresh) {
		s->mount = json_scratch(s->doc, s->mounts->len * sizeof(*s->mount));
		s->nmount_views = s->mounts->len;
		s->source_look = NULL;   /* one record per view: made again */
	}
	for (uint32_t i = 0; i < s->mounts->len; i++)
		if (load_mount(s, &s->mounts->u.items[i], i, &s->mount[i], fresh, err) < 0)
			return -1;
	return 0;
}

/*
 * A capability set as the load before read it: the set's items and length
 * then, and what they named.  A reload reads a set again only when it is
 * another array or another length: the fixes that run before the
 * capability fix (no-new-privileges, the user) leave the sets alone, and
 * reading a million names again after each of them cost a tenth of the
 * hook's run on a config of unknown names.  A set is only ever edited in
 * place by dropping names (fix_caps), which shortens it; anything else
 * builds a new array.
 */
struct capset_reading {
	const struct jval *items;   /* NULL: none to reuse */
	uint32_t len;
	uint64_t mask, exact;
	uint32_t inexact;
};

static int load_process(struct spec *s, const struct capset_reading *before,
			struct oh_error *err)
{
	if (want(s, s->process, "/process", "noNewPrivileges", J_TRUE, &s->nnp, err) < 0 ||
	    want(s, s->process, "/process", "capabilities", J_OBJECT, &s->caps, err) < 0 ||
	    want(s, s->process, "/process", "apparmorProfile", J_STRING, &s->apparmor, err) < 0 ||
	    want(s, s->process, "/process", "selinuxLabel", J_STRING, &s->selinux_label, err) < 0 ||
	    want(s, s->process, "/process", "user", J_OBJECT, &s->user, err) < 0 ||
	    want(s, s->process, "/process", "cwd", J_STRING, &s->cwd, err) < 0 ||
	    want(s, s->process, "/process", "env", J_ARRAY, &s->env, err) < 0 ||
	    want_string_array(s, s->env, "/process/env", err) < 0)
		return -1;
	for (int i = 0; i < CS_COUNT; i++) {
		char p[64];
		json_ptr_set(p, sizeof(p), "/process/capabilities");
		json_ptr_append(p, sizeof(p), capset_names[i], strlen(capset_names[i]));
		if (want(s, s->caps, "/process/capabilities", capset_names[i], J_ARRAY,
			 &s->capset[i], err) < 0)
			return -1;
		if (s->capset[i] != NULL && before[i].items != NULL &&
		    s->capset[i]->u.items == before[i].items &&
		    s->capset[i]->len == before[i].len) {
			s->capmask[i] = before[i].mask;
			s->capexact[i] = before[i].exact;
			s->capinexact[i] = before[i].inexact;
			s->capread_items[i] = before[i].items;
			s->capread_len[i] = before[i].len;
			continue;
		}
		if (s->capset[i] != NULL) {
			s->capread_items[i] = s->capset[i]->u.items;
			s->capread_len[i] = s->capset[i]->len;
		}
		if (want_string_array(s, s->capset[i], p, err) < 0)
			return -1;
		for (uint32_t k = 0; s->capset[i] != NULL && k < s->capset[i]->len; k++) {
			const struct jval *v = &s->capset[i]->u.items[k];
			/* A name spelled exactly is the capability libcap reads
			 * from it too: one reading tells both. */
			bool exact;
			int cap = caps_read_n(v->u.str, v->len, &exact);
			if (cap >= 0)
				s->capmask[i] |= 1ull << cap;
			if (exact)
				s->capexact[i] |= 1ull << cap;
			else
				s->capinexact[i]++;
		}
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
	static const struct item_field device[] = {
		{ "path", J_STRING }, { "type", J_STRING },
		{ "major", J_NUMBER }, { "minor", J_NUMBER },
	};
	static const struct item_field rule[] = {
		{ "allow", J_TRUE }, { "type", J_STRING }, { "major", J_NUMBER },
		{ "minor", J_NUMBER }, { "access", J_STRING },
	};
	static const struct item_field idmap[] = {
		{ "containerID", J_NUMBER }, { "hostID", J_NUMBER }, { "size", J_NUMBER },
	};
	/* cgroup-shared reads cgroupsPath itself: here its spelling and
	 * type are made certain ("CgroupsPath" is runc's cgroupsPath). */
	struct jval *res, *cgroups_path;
	if (want(s, s->linux_, "/linux", "cgroupsPath", J_STRING, &cgroups_path, err) < 0 ||
	    want(s, s->linux_, "/linux", "rootfsPropagation", J_STRING,
		 &s->rootfs_propagation, err) < 0 ||
	    want(s, s->linux_, "/linux", "devices", J_ARRAY, &s->devices, err) < 0 ||
	    want_items(s, s->devices, "/linux/devices", device, 4, err) < 0 ||
	    want(s, s->linux_, "/linux", "resources", J_OBJECT, &res, err) < 0 ||
	    want(s, res, "/linux/resources", "devices", J_ARRAY, &s->resources_devices,
		 err) < 0 ||
	    want_items(s, s->resources_devices, "/linux/resources/devices", rule, 5,
		       err) < 0 ||
	    want(s, res, "/linux/resources", "unified", J_OBJECT, &s->resources_unified,
		 err) < 0 ||
	    want_string_map(s, s->resources_unified, "/linux/resources/unified", err) < 0 ||
	    want(s, s->linux_, "/linux", "sysctl", J_OBJECT, &s->sysctl, err) < 0 ||
	    want_string_map(s, s->sysctl, "/linux/sysctl", err) < 0 ||
	    want(s, s->linux_, "/linux", "uidMappings", J_ARRAY, &s->uid_mappings, err) < 0 ||
	    want_items(s, s->uid_mappings, "/linux/uidMappings", idmap, 3, err) < 0)
		return -1;
	/* A type listed twice has two readings: runc refuses the config
	 * ("duplicated ns"), crun 1.8 acts on the first (it joined the host's
	 * network namespace of {"type": "network", "path": ...} before a
	 * plain {"type": "network"}, which the checks would read as the
	 * container's own).  The known types as bits keep the test linear. */
	static const char *const ns_types[] = {
		"cgroup", "ipc", "mount", "network", "pid", "time", "user", "uts",
	};
	unsigned seen_types = 0;
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
			for (unsigned k = 0; k < sizeof(ns_types) / sizeof(ns_types[0]); k++) {
				if (strcmp(t->u.str, ns_types[k]) != 0)
					continue;
				if (seen_types & (1u << k))
					return oh_err(err, 0, "%s: %s: a second %s namespace: runc "
						      "refuses the config, crun acts on the first, "
						      "the checks would read one of them", s->source,
						      ptr, ns_types[k]);
				seen_types |= 1u << k;
			}
		}
	}
	if (check_seccomp && s->seccomp != NULL && oh_seccomp_validate_oci(s, s->seccomp, err) < 0)
		return -1;
	return 0;
}

static int load(struct jdoc *doc, const char *source, struct spec *s,
		bool check_seccomp, struct spec_mount *views, uint32_t nviews,
		struct oh_error *err);

int spec_load(struct jdoc *doc, const char *source, struct spec *s,
	      struct oh_error *err)
{
	return load(doc, source, s, true, NULL, 0, err);
}

int spec_reload(struct spec *s, struct oh_error *err)
{
	/* The mount views of the load before are in the same document's
	 * arena, which frees nothing before the end: a reload reuses them
	 * when they fit, as a config may have a million mounts (40 bytes of
	 * fresh memory each per reload). */
	return load(s->doc, s->source, s, false, s->mount,
		    s->mount != NULL ? s->nmount_views : 0, err);
}

static int load(struct jdoc *doc, const char *source, struct spec *s,
		bool check_seccomp, struct spec_mount *views, uint32_t nviews,
		struct oh_error *err)
{
	/* A reload keeps them. */
	int bundle_fd = check_seccomp ? -1 : s->bundle_fd;
	pid_t init_pid = check_seccomp ? 0 : s->init_pid;
	struct spec_source_look *source_look = check_seccomp ? NULL : s->source_look;
	struct capset_reading before[CS_COUNT] = { { 0 } };

	for (int i = 0; !check_seccomp && i < CS_COUNT; i++)
		if (s->capread_items[i] != NULL && s->capread_len[i] > 0)
			before[i] = (struct capset_reading){
				s->capread_items[i], s->capread_len[i], s->capmask[i],
				s->capexact[i], s->capinexact[i] };

	memset(s, 0, sizeof(*s));
	s->bundle_fd = bundle_fd;
	s->init_pid = init_pid;
	s->mount = views;
	s->nmount_views = nviews;
	s->source_look = source_look;
	s->doc = doc;
	s->source = source;
	s->root = json_root(doc);

	if (want(s, s->root, "", "process", J_OBJECT, &s->process, err) < 0 ||
	    want(s, s->root, "", "root", J_OBJECT, &s->rootobj, err) < 0 ||
	    want(s, s->root, "", "linux", J_OBJECT, &s->linux_, err) < 0 ||
	    want(s, s->root, "", "annotations", J_OBJECT, &s->annotations, err) < 0 ||
	    want(s, s->root, "", "mounts", J_ARRAY, &s->mounts, err) < 0 ||
	    want(s, s->root, "", "hooks", J_OBJECT, &s->hooks, err) < 0)
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
	if (load_process(s, before, err) < 0 || load_linux(s, check_seccomp, err) < 0 ||
	    load_mounts(s, err) < 0 || load_hooks(s, err) < 0)
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
