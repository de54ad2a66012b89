/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The policy: mode, each rule's action, the capability allowlist, the seccomp
 * and AppArmor profiles to apply, and exemptions keyed on annotations.  Read
 * and fully validated once per invocation; any problem is an error naming the
 * file and the JSON pointer.
 */
#ifndef OH_POLICY_H
#define OH_POLICY_H

#include <regex.h>
#include <stdbool.h>
#include <stdint.h>

#include "error.h"
#include "rules.h"

struct exemption_match {
	char *key;
	char *pattern;
	regex_t re;      /* the pattern anchored at both ends */
};

struct exemption {
	struct exemption_match *match;
	size_t nmatch;
	rule_mask rules;  /* the rules it switches off */
};

/* A sorted list of distinct strings: looked up by binary search, so
 * judging a config costs log(list) per item it holds. */
struct strlist {
	char **v;
	size_t n;
};
bool strlist_has(const struct strlist *l, const char *s);

/*
 * The strings of a list as a hash set, for questions asked once per item
 * of a config (every bind mount asks a few).  Its content is the policy's,
 * never the input's, so however a looked-up string is chosen its probe is
 * no longer than the longest run of slots the policy's strings fill: an
 * unkeyed hash does.
 */
struct strset {
	const char **slot;     /* NULL: empty */
	uint32_t *len;
	size_t cap;            /* a power of two, or 0 */
	uint64_t lens;         /* bit min(length, 63) of every string */
};
/* Whether s[0..n) is in the set. */
bool strset_has(const struct strset *set, const char *s, size_t n);
/* Whether some entry has n bytes (false: s[0..n) is not in the set). */
static inline bool strset_may_have(const struct strset *set, size_t n)
{
	return set->cap != 0 && (set->lens & (1ull << (n < 63 ? n : 63)));
}
/* strset_has with the string's hash given (strset_hash_of), for a string
 * looked up in several sets. */
uint64_t strset_hash_of(const char *s, size_t n);
bool strset_has_h(const struct strset *set, const char *s, size_t n, uint64_t hash);
/* The index of the first entry >= s (n when none). */
size_t strlist_lower(const struct strlist *l, const char *s);

/* "seccomp": {"workloads": [...]}: a profile for the configs one entry
 * selects, by an annotation's exact value or by the image name (a glob on
 * the annotation an engine records it in). */
struct seccomp_workload {
	char *ann_key, *ann_value;   /* or NULL */
	char *image;                 /* fnmatch(3) pattern, or NULL */
	char *profile;               /* a built-in profile's name or a resolved path */
};

/* policy_same compares every member that decides: a new member goes there
 * too, or the built-in default policy (tools/embed-policy.c) could differ
 * from its file unnoticed. */
struct policy {
	char *source;            /* the file, or "<built-in defaults>" */
	bool audit;
	enum action action[RULE_COUNT];
	uint64_t allowed_caps;   /* bit mask of capability numbers */
	char *seccomp_profile;   /* a built-in profile's name or a resolved path */
	unsigned seccomp_groups; /* scgroups.h: 1 << index of each group turned on */
	/* "seccomp": {"learn": ...}: the recorder's socket and the annotation
	 * by which a container asks to learn its profile (learn.h), or NULL. */
	char *learn_socket;
	char *learn_annotation;
	/* "seccomp": {"logDenials": true}: the profiles oci-harden installs
	 * carry SECCOMP_FILTER_FLAG_LOG, so the kernel logs what they deny
	 * (profile denials reads it); runc 1.1 refuses to start them. */
	bool log_denials;
	struct seccomp_workload *workloads;   /* the first that matches wins */
	size_t nworkloads;
	char *apparmor_profile;
	struct exemption *exemptions;
	size_t nexemptions;
	char *runtime_path;      /* oci-harden-runtime: the real runtime, or NULL */
	/* Whose command line the real runtime reads: "runc", "crun", or NULL
	 * for its file name to say (after links are followed). */
	char *runtime_dialect;
	/* An exec asking for more than its container holds (every capability,
	 * a --cap outside the allowlist, another AppArmor profile): refused
	 * (false, the default) or clamped to the container (true). */
	bool exec_clamp;
	/* A restore: its processes come back with the credentials and
	 * seccomp filters of the checkpoint image.  Verified after the
	 * runtime restored them, killed on a mismatch (false), or refused
	 * outright (true, the default). */
	bool restore_refuse;
	/* The wrapper refuses when its judgement takes longer (seconds). */
	double runtime_deadline;
	char *audit_file;        /* decisions are also appended here, or NULL */
	/* "mounts": host paths a bind mount must not hand over (sensitive-
	 * mounts).  An entry matches a source equal to it or above it; an
	 * entry ending in "/" followed by two stars (stored without them, in
	 * sensitive_trees) also matches everything below. */
	struct strlist sensitive;
	struct strlist sensitive_trees;
	/* Made from those two when the policy is complete: the entries, every
	 * path an entry lies below (a bind of /var holds /var/lib/kubelet),
	 * and the trees, as sets. */
	struct strlist sensitive_above;
	struct strset sensitive_set, sensitive_above_set, sensitive_trees_set;
	/* "hooks": executables a config's own hooks may run, and the hooks.d
	 * directories whose registered hooks count as allowed too. */
	struct strlist hooks_allowed;
	struct strlist hooks_dirs;
	/* "sysctls": names beyond Kubernetes' safe set that sysctl-unsafe
	 * accepts. */
	struct strlist sysctls_allowed;
	/* "annotations": keys (an entry ending in "." is a prefix) beyond the
	 * built-in list that unsafe-annotations refuses. */
	struct strlist annotations_unsafe;
	/* "rootfs": the hygiene walk (rootfs.h).  Hook stages walk only when
	 * rootfs_scan is set, since it costs time at every container start;
	 * `check` on a bundle always walks.  Both within these bounds. */
	bool rootfs_scan;
	unsigned long rootfs_max_files;
	double rootfs_max_seconds;
	/* The sensitive lists and their sets are oh_default_lists' (below),
	 * not the policy's to free. */
	bool lists_builtin;
};

/* The built-in sensitive lists and their sets, settled at build time
 * (tools/embed-policy.c writes them from policy_defaults()): the complete
 * defaults take them as they are instead of making them at every start.
 * ready is false in a build without them. */
struct policy_builtin_lists {
	bool ready;
	struct strlist sensitive, sensitive_trees, sensitive_above;
	struct strset sensitive_set, sensitive_above_set, sensitive_trees_set;
};
extern const struct policy_builtin_lists oh_default_lists;

/* Loads path, or the default policy file when path is NULL (built-in
 * defaults if that file does not exist). */
int policy_load(const char *path, struct policy **out, struct oh_error *err);
/* Parses a policy from memory (takes ownership of buf).  The text of the
 * default policy file is the built-in defaults, without a parse. */
int policy_parse(char *buf, size_t len, const char *name,
		 struct policy **out, struct oh_error *err);
/* The same, always parsing buf. */
int policy_parse_text(char *buf, size_t len, const char *name,
		      struct policy **out, struct oh_error *err);
/* Whether two policies decide alike: every member but the file's name. */
bool policy_same(const struct policy *a, const struct policy *b);
/* policy/default.json as built in (tools/embed-policy.c checks, at build
 * time, that it says what policy_defaults() says); length 0 in a build
 * without it. */
extern const char oh_default_policy_text[];
extern const size_t oh_default_policy_len;
struct policy *policy_defaults(void);
void policy_free(struct policy *p);
void policy_freep(struct policy **p);
#define cleanup_policy __attribute__((cleanup(policy_freep)))

/* The rootfs walk's default bounds: a Debian 12 rootfs has about 7000
 * entries and walks in tens of milliseconds; images with language
 * runtimes reach 50000-100000. */
#define POLICY_ROOTFS_MAX_FILES 200000ul
#define POLICY_ROOTFS_MAX_SECONDS 5.0

/* Below the 10 s podman and CRI-O give a hook: the wrapper's refusal must
 * arrive before the engine gives up on it. */
#define POLICY_RUNTIME_DEADLINE 5.0

/* The default allowlist: what podman grants by default. */
uint64_t policy_default_caps(void);

#endif
