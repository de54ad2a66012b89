/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Where the data files live (the bundled seccomp profiles are built into
 * the binary).  The installed binary uses the install prefix
 * compiled in; a binary run from its build tree uses the source tree's
 * copies, so tests run without installing.
 */
#ifndef OH_PATHS_H
#define OH_PATHS_H

/* The default policy file (etc/oci-harden/policy.json or policy/default.json). */
const char *paths_default_policy(void);

/* This program as installed (PREFIX/bin/oci-harden), or the build tree's
 * binary: the hook a config may name without being on an allowlist. */
const char *paths_self(void);
/* The hooks.d directory the installation writes (PREFIX/share/containers/
 * oci/hooks.d). */
const char *paths_hooks_dir(void);

#endif
