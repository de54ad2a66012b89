/* SPDX-License-Identifier: Apache-2.0 */
/*
 * enosys NR[=ERRNO][,NR...] PROG [ARG...]: runs PROG where the system
 * calls of the given (x86_64) numbers answer ENOSYS, as on a kernel that
 * does not have them, or the errno given: `enosys 457 oci-harden check B`
 * judges B as on a kernel without statmount(2), through the code that
 * reads /proc/self/mountinfo instead; `enosys 457=2 ...` makes statmount
 * fail with ENOENT, a failure the judgement must refuse on.
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <unistd.h>

enum { MAX_CALLS = 16 };

int main(int argc, char **argv)
{
	struct sock_filter f[4 + 2 * MAX_CALLS + 1];
	unsigned n = 0, calls = 0;

	if (argc < 3) {
		fprintf(stderr, "usage: enosys NR[=ERRNO][,NR...] PROG [ARG...]\n");
		return 2;
	}
	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
					      offsetof(struct seccomp_data, arch));
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
					      offsetof(struct seccomp_data, nr));
	for (char *p = argv[1], *end; *p; p = *end ? end + 1 : end) {
		long nr = strtol(p, &end, 10), e = ENOSYS;
		if (*end == '=') {
			char *v = end + 1;
			e = strtol(v, &end, 10);
			if (end == v || e <= 0 || e > 4095)
				end = p;
		}
		if (end == p || (*end && *end != ',') || nr < 0 || ++calls > MAX_CALLS) {
			fprintf(stderr, "enosys: bad call list %s\n", argv[1]);
			return 2;
		}
		f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)nr, 0, 1);
		f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
						      SECCOMP_RET_ERRNO | (unsigned)e);
	}
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	struct sock_fprog prog = { .len = (unsigned short)n, .filter = f };
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0) {
		perror("enosys: seccomp");
		return 2;
	}
	execvp(argv[2], argv + 2);
	perror(argv[2]);
	return 127;
}
