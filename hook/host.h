/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Facts about the host that decisions depend on.  Detected once from the
 * running system; tests replace them (host_facts_set, or the --host-facts
 * option reading a JSON file) so AppArmor and SELinux logic is tested on
 * hosts that have neither.
 */
#ifndef OH_HOST_H
#define OH_HOST_H

#include <stdbool.h>
#include <stdint.h>

#include "error.h"

struct host_facts {
	bool apparmor;          /* AppArmor enabled: runc can apply a profile */
	bool selinux;           /* SELinux enabled */
	char arch[32];          /* seccomp name of the native arch: SCMP_ARCH_X86_64 */
	char goarch[16];        /* the same in Go's spelling (docker profiles' includes.arches): amd64 */
	unsigned kernel[3];     /* major, minor, patch of the running kernel */
};

const struct host_facts *host_facts(void);
void host_facts_set(const struct host_facts *f);
/* Reads {"apparmor":bool,"selinux":bool,"arch":"SCMP_ARCH_...","kernel":"X.Y.Z"};
 * omitted keys keep the detected value. */
int host_facts_load(const char *path, struct oh_error *err);

/* Parses "X", "X.Y" or "X.Y.Z" (a suffix after the numbers is ignored). */
int host_parse_kernel(const char *s, unsigned out[3]);
/* <0, 0, >0 as a is older, equal, newer than b. */
int host_kernel_cmp(const unsigned a[3], const unsigned b[3]);

/*
 * Whether this process runs in a user namespace, as runc reads it
 * (libcontainer's userns.RunningInUserNS): not when /proc/self/uid_map is
 * the identity over every uid.  1 in one, 0 not, -1 when the map cannot be
 * read: each caller says what that means for it.
 */
int host_in_user_ns(void);

/* Arch name mapping between libseccomp's SCMP_ARCH_* and Go's names. */
const char *host_goarch_of(const char *scmp_arch);
bool host_arch_known(const char *scmp_arch);

#endif
