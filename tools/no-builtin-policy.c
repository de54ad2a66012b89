/* SPDX-License-Identifier: Apache-2.0 */
/* The generators are linked without the built-in default policy text: every
 * policy file they read is parsed. */
#include <stddef.h>

#include "policy.h"

const char oh_default_policy_text[1];
const size_t oh_default_policy_len = 0;
const struct policy_builtin_lists oh_default_lists;
