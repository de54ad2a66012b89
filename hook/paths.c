/* SPDX-License-Identifier: Apache-2.0 */
#include "paths.h"

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

#ifndef OH_BUILD_DIR
#define OH_BUILD_DIR "/nonexistent"
#endif
#ifndef OH_SOURCE_DIR
#define OH_SOURCE_DIR "/nonexistent"
#endif
#ifndef OH_PREFIX
#define OH_PREFIX "/usr/local"
#endif

static char prefix[PATH_MAX];
static bool build_tree;
static bool ready;

/*
 * The install prefix is where the binary is, PREFIX/bin/oci-harden, so an
 * installation can move (tests install into a temporary prefix).  When
 * /proc is unreadable the configured prefix is the answer.
 */
static void locate(void)
{
	char exe[PATH_MAX];
	ssize_t len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	size_t nb = strlen(OH_BUILD_DIR);

	ready = true;
	snprintf(prefix, sizeof(prefix), "%s", OH_PREFIX);
	if (len <= 0)
		return;
	exe[len] = '\0';
	if (strncmp(exe, OH_BUILD_DIR, nb) == 0 && exe[nb] == '/') {
		build_tree = true;
		return;
	}
	char *slash = strrchr(exe, '/');
	if (slash == NULL)
		return;
	*slash = '\0';
	slash = strrchr(exe, '/');
	if (slash == NULL || strcmp(slash, "/bin") != 0)
		return;
	*slash = '\0';
	snprintf(prefix, sizeof(prefix), "%s", exe[0] ? exe : "/");
}

const char *paths_default_policy(void)
{
	static char *path;

	if (!ready)
		locate();
	if (build_tree)
		return OH_SOURCE_DIR "/policy/default.json";
	/* As GNUInstallDirs does: the /usr prefix keeps its config in /etc. */
	if (strcmp(prefix, "/usr") == 0)
		return "/etc/oci-harden/policy.json";
	if (path == NULL)
		path = xasprintf("%s/etc/oci-harden/policy.json", prefix);
	return path;
}

const char *paths_self(void)
{
	static char *path;

	if (!ready)
		locate();
	if (path == NULL)
		path = build_tree ? xstrdup(OH_BUILD_DIR "/oci-harden")
				  : xasprintf("%s/bin/oci-harden", strcmp(prefix, "/") ? prefix : "");
	return path;
}

const char *paths_hooks_dir(void)
{
	static char *path;

	if (!ready)
		locate();
	if (path == NULL)
		path = xasprintf("%s/share/containers/oci/hooks.d",
				 strcmp(prefix, "/") ? prefix : "");
	return path;
}
