/* SPDX-License-Identifier: Apache-2.0 */
/* What the table-driven unit tests share. */
#ifndef OH_TESTUTIL_H
#define OH_TESTUTIL_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "host.h"
#include "json.h"
#include "rules.h"
#include "util.h"

/* Inline JSON is written with ' for " to stay readable; a new string. */
static inline char *unquote(const char *s)
{
	char *r = xstrdup(s);

	for (char *p = r; *p; p++)
		if (*p == '\'')
			*p = '"';
	return r;
}

/* A value as compact JSON text; a new string. */
static inline char *json_text(const struct jval *v)
{
	struct jsink *s = jsink_mem();
	size_t len;

	json_write(s, v, false);
	char *text = jsink_take(s, &len);
	jsink_free(s);
	return text;
}

/* Host facts for one arch and kernel, without AppArmor or SELinux. */
static inline void host_at(const char *arch, const char *kernel)
{
	struct host_facts f = { 0 };

	snprintf(f.arch, sizeof(f.arch), "%s", arch);
	snprintf(f.goarch, sizeof(f.goarch), "%s", host_goarch_of(arch));
	host_parse_kernel(kernel, f.kernel);
	host_facts_set(&f);
}

enum host { PLAIN, APPARMOR, SELINUX };

/* An x86_64 host with kernel 6.1 and the given LSM. */
static inline void set_host(enum host h)
{
	struct host_facts f;

	host_at("SCMP_ARCH_X86_64", "6.1");
	f = *host_facts();
	f.apparmor = h == APPARMOR;
	f.selinux = h == SELINUX;
	host_facts_set(&f);
}

/* Whether rule id has a finding in d. */
static inline bool fired(const struct decision *d, const char *id)
{
	for (size_t i = 0; i < d->nfindings; i++)
		if (strcmp(rule_table[d->findings[i].rule].id, id) == 0)
			return true;
	return false;
}

#endif
