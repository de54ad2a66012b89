/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Where the data files live.  The installed binary uses the install prefix
 * compiled in; a binary run from its build tree uses the source tree's
 * copies, so tests run without installing.
 */
#ifndef OH_PATHS_H
#define OH_PATHS_H

/* The default policy file (etc/oci-harden/policy.json or policy/default.json). */
const char *paths_default_policy(void);
/* The directory of the bundled seccomp profiles. */
const char *paths_profile_dir(void);
/* A bundled profile by name ("default", "strict"): a new string, the path. */
char *paths_bundled_profile(const char *name);

#endif
