/* SPDX-License-Identifier: Apache-2.0 */
#include "host.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "json.h"
#include "scmodel.h"
#include "util.h"

static struct host_facts facts;
static bool ready;

const char *host_goarch_of(const char *scmp_arch)
{
	const struct oh_sc_arch *a = oh_sc_arch_by_name(scmp_arch);

	return a != NULL ? a->go : NULL;
}

bool host_arch_known(const char *scmp_arch)
{
	return host_goarch_of(scmp_arch) != NULL;
}

int host_parse_kernel(const char *s, unsigned out[3])
{
	out[0] = out[1] = out[2] = 0;
	for (int i = 0; i < 3; i++) {
		char *end;
		unsigned long v;

		if (*s < '0' || *s > '9')
			return i == 0 ? -1 : 0;
		errno = 0;
		v = strtoul(s, &end, 10);
		if (errno != 0 || v > 1000000)
			return -1;
		out[i] = (unsigned)v;
		if (*end != '.')
			return 0;
		s = end + 1;
	}
	return 0;
}

int host_kernel_cmp(const unsigned a[3], const unsigned b[3])
{
	for (int i = 0; i < 3; i++)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	return 0;
}

static bool file_starts_with(const char *path, char ch)
{
	char c = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return false;
	ssize_t n = read(fd, &c, 1);
	close(fd);
	return n == 1 && c == ch;
}

static void detect(void)
{
	struct utsname u;

	memset(&facts, 0, sizeof(facts));
	/* As runc decides: the module parameter says Y and securityfs shows it. */
	facts.apparmor = file_starts_with("/sys/module/apparmor/parameters/enabled", 'Y') &&
			 access("/sys/kernel/security/apparmor", F_OK) == 0;
	facts.selinux = access("/sys/fs/selinux/enforce", F_OK) == 0;
	const struct oh_sc_arch *a = oh_sc_arch_native();
	if (a != NULL) {
		snprintf(facts.arch, sizeof(facts.arch), "%s", a->scmp);
		snprintf(facts.goarch, sizeof(facts.goarch), "%s", a->go);
	}
	if (uname(&u) == 0)
		host_parse_kernel(u.release, facts.kernel);
	ready = true;
}

const struct host_facts *host_facts(void)
{
	if (!ready)
		detect();
	return &facts;
}

void host_facts_set(const struct host_facts *f)
{
	facts = *f;
	ready = true;
}

int host_facts_load(const char *path, struct oh_error *err)
{
	char *buf;
	size_t len;
	struct jdoc *doc;
	struct host_facts f = *host_facts();

	if (oh_read_file(path, OH_MAX_INPUT, &buf, &len, err) < 0)
		return -1;
	if (json_parse(buf, len, path, &doc, err) < 0)
		return -1;
	struct jval *root = json_root(doc);
	for (uint32_t i = 0; i < root->len; i++) {
		struct jmember *m = &root->u.members[i];
		struct jval *v = &m->val;
		if (strcmp(m->key, "apparmor") == 0 || strcmp(m->key, "selinux") == 0) {
			if (v->type != J_TRUE && v->type != J_FALSE)
				goto bad;
			*(strcmp(m->key, "apparmor") == 0 ? &f.apparmor : &f.selinux) =
				v->type == J_TRUE;
		} else if (strcmp(m->key, "arch") == 0) {
			if (v->type != J_STRING || !host_arch_known(v->u.str))
				goto bad;
			snprintf(f.arch, sizeof(f.arch), "%s", v->u.str);
			snprintf(f.goarch, sizeof(f.goarch), "%s", host_goarch_of(v->u.str));
		} else if (strcmp(m->key, "kernel") == 0) {
			if (v->type != J_STRING || host_parse_kernel(v->u.str, f.kernel) < 0)
				goto bad;
		} else {
			oh_err(err, 0, "%s: /%s: unknown host fact", path, m->key);
			json_free(doc);
			return -1;
		}
		continue;
bad:
		oh_err(err, 0, "%s: /%s: invalid value", path, m->key);
		json_free(doc);
		return -1;
	}
	json_free(doc);
	host_facts_set(&f);
	return 0;
}

int host_in_user_ns(void)
{
	char buf[256];
	unsigned long a, b, n;
	FILE *f = fopen("/proc/self/uid_map", "re");

	if (f == NULL)
		return -1;
	bool read = fgets(buf, sizeof(buf), f) != NULL;
	fclose(f);
	if (!read || sscanf(buf, "%lu %lu %lu", &a, &b, &n) != 3)
		return -1;
	return !(a == 0 && b == 0 && n == 4294967295UL);
}
