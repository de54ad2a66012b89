/* SPDX-License-Identifier: Apache-2.0 */
#include "procview.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

static int read_small(int dirfd, const char *name, char *buf, size_t cap)
{
	cleanup_close int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);
	size_t n = 0;

	if (fd < 0)
		return -1;
	while (n + 1 < cap) {
		ssize_t r = read(fd, buf + n, cap - 1 - n);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	buf[n] = '\0';
	return (int)n;
}

static bool hexfield(const char *line, const char *key, uint64_t *out)
{
	size_t n = strlen(key);

	if (strncmp(line, key, n) != 0 || line[n] != ':')
		return false;
	*out = strtoull(line + n + 1, NULL, 16);
	return true;
}

static bool intfield(const char *line, const char *key, long *out)
{
	size_t n = strlen(key);

	if (strncmp(line, key, n) != 0 || line[n] != ':')
		return false;
	*out = strtol(line + n + 1, NULL, 10);
	return true;
}

int procview_read(pid_t pid, struct procview *v, struct oh_error *err)
{
	char path[64], buf[8192];
	cleanup_close int dfd = -1;
	long x;

	memset(v, 0, sizeof(*v));
	v->seccomp = -1;
	v->seccomp_filters = -1;
	snprintf(path, sizeof(path), "/proc/%ld", (long)pid);
	dfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return oh_err(err, errno == ENOENT ? ESRCH : errno, "process %ld", (long)pid);
	if (read_small(dfd, "status", buf, sizeof(buf)) < 0)
		return oh_err(err, errno == ENOENT ? ESRCH : errno,
			      "process %ld: cannot read its status", (long)pid);
	for (char *save, *l = strtok_r(buf, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		if (hexfield(l, "CapInh", &v->cap_inh) || hexfield(l, "CapPrm", &v->cap_prm) ||
		    hexfield(l, "CapEff", &v->cap_eff) || hexfield(l, "CapBnd", &v->cap_bnd) ||
		    hexfield(l, "CapAmb", &v->cap_amb))
			continue;
		if (intfield(l, "NoNewPrivs", &x))
			v->nnp = x == 1;
		else if (intfield(l, "Seccomp", &x))
			v->seccomp = (int)x;
		else if (intfield(l, "Seccomp_filters", &x))
			v->seccomp_filters = (int)x;
		else if (intfield(l, "Uid", &x))
			v->uid = (uid_t)x;
		else if (intfield(l, "Gid", &x))
			v->gid = (gid_t)x;
		else if (strncmp(l, "Name:", 5) == 0)
			snprintf(v->comm, sizeof(v->comm), "%s", l + 5 + strspn(l + 5, " \t"));
	}
	if (v->seccomp < 0)
		return oh_err(err, 0, "process %ld: the kernel does not report seccomp "
			      "(CONFIG_SECCOMP missing?)", (long)pid);
	/* The LSM label: AppArmor's own file on kernels with LSM stacking. */
	int n = read_small(dfd, "attr/apparmor/current", v->label, sizeof(v->label));
	if (n < 0)
		n = read_small(dfd, "attr/current", v->label, sizeof(v->label));
	while (n > 0 && (v->label[n - 1] == '\n' || v->label[n - 1] == '\0'))
		v->label[--n] = '\0';
	if (n < 0)
		v->label[0] = '\0';
	return 0;
}

const char *seccomp_mode_name(int mode)
{
	switch (mode) {
	case 0: return "disabled";
	case 1: return "strict";
	case 2: return "filter";
	default: return "unknown";
	}
}
