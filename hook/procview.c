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
	char path[64];
	struct oh_buf b = { 0 };
	cleanup_close int dfd = -1;
	long x;

	memset(v, 0, sizeof(*v));
	v->seccomp = -1;
	v->seccomp_filters = -1;
	snprintf(path, sizeof(path), "/proc/%ld", (long)pid);
	dfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return oh_err(err, errno == ENOENT ? ESRCH : errno, "process %ld", (long)pid);
	if (oh_read_at(dfd, "status", 64 * 1024, &b) < 0) {
		oh_buf_free(&b);
		return oh_err(err, errno == ENOENT ? ESRCH : errno,
			      "process %ld: cannot read its status", (long)pid);
	}
	for (char *save, *l = strtok_r(b.data, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
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
	if (v->seccomp < 0) {
		oh_buf_free(&b);
		return oh_err(err, 0, "process %ld: the kernel does not report seccomp "
			      "(CONFIG_SECCOMP missing?)", (long)pid);
	}
	/* The LSM label: AppArmor's own file on kernels with LSM stacking. */
	if (oh_read_at(dfd, "attr/apparmor/current", 4096, &b) == 0 ||
	    oh_read_at(dfd, "attr/current", 4096, &b) == 0) {
		size_t n = strnlen(b.data, b.len);
		while (n > 0 && b.data[n - 1] == '\n')
			n--;
		snprintf(v->label, sizeof(v->label), "%.*s", (int)n, b.data);
	}
	oh_buf_free(&b);
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
