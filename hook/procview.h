/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The kernel's view of a process: what /proc says about its privileges,
 * whatever its config promised.
 */
#ifndef OH_PROCVIEW_H
#define OH_PROCVIEW_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "error.h"

struct procview {
	bool nnp;
	int seccomp;              /* 0 disabled, 1 strict, 2 filter */
	int seccomp_filters;      /* -1 when the kernel does not say */
	uint64_t cap_inh, cap_prm, cap_eff, cap_bnd, cap_amb;
	uid_t uid;                /* real uid */
	gid_t gid;
	char label[256];          /* AppArmor or SELinux label, "" when none read */
	char comm[32];
	/* The strength of its seccomp filters, which /proc does not show:
	 * known only where the verifier read them (verify.h). */
	bool filters_read;
	bool filters_confining;
	char filters_allow[640];  /* the must-block calls they let through */
};

/* Reads /proc/PID.  errno-style failure: ESRCH when the process is gone. */
int procview_read(pid_t pid, struct procview *v, struct oh_error *err);

const char *seccomp_mode_name(int mode);

#endif
