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
	unsigned rules;  /* bit mask of rule indexes */
};

struct policy {
	char *source;            /* the file, or "<built-in defaults>" */
	bool audit;
	enum action action[RULE_COUNT];
	uint64_t allowed_caps;   /* bit mask of capability numbers */
	char *seccomp_profile;   /* resolved path of the docker-format profile */
	char *apparmor_profile;
	struct exemption *exemptions;
	size_t nexemptions;
	char *runtime_path;      /* oci-harden-runtime: the real runtime, or NULL */
};

/* Loads path, or the default policy file when path is NULL (built-in
 * defaults if that file does not exist). */
int policy_load(const char *path, struct policy **out, struct oh_error *err);
/* Parses a policy from memory (takes ownership of buf). */
int policy_parse(char *buf, size_t len, const char *name,
		 struct policy **out, struct oh_error *err);
struct policy *policy_defaults(void);
void policy_free(struct policy *p);

/* The default allowlist: what podman grants by default. */
uint64_t policy_default_caps(void);

#endif
