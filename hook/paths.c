/* SPDX-License-Identifier: Apache-2.0 */
#include "paths.h"

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#ifndef OH_BUILD_DIR
#define OH_BUILD_DIR "/nonexistent"
#endif
#ifndef OH_SOURCE_DIR
#define OH_SOURCE_DIR "/nonexistent"
#endif
#ifndef OH_SYSCONFDIR
#define OH_SYSCONFDIR "/etc"
#endif
#ifndef OH_DATADIR
#define OH_DATADIR "/usr/share"
#endif

static bool in_build_tree(void)
{
	static int cached = -1;
	char exe[PATH_MAX];
	size_t n = strlen(OH_BUILD_DIR);

	if (cached >= 0)
		return cached;
	ssize_t len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	cached = 0;
	if (len > 0) {
		exe[len] = '\0';
		cached = strncmp(exe, OH_BUILD_DIR, n) == 0 && exe[n] == '/';
	}
	return cached;
}

const char *paths_default_policy(void)
{
	return in_build_tree() ? OH_SOURCE_DIR "/policy/default.json"
			       : OH_SYSCONFDIR "/oci-harden/policy.json";
}

const char *paths_profile_dir(void)
{
	return in_build_tree() ? OH_SOURCE_DIR "/seccomp-profiles"
			       : OH_DATADIR "/oci-harden/seccomp";
}

const char *paths_bundled_profile(const char *name)
{
	static char buf[PATH_MAX];

	snprintf(buf, sizeof(buf), "%s/%s.json", paths_profile_dir(), name);
	return buf;
}
