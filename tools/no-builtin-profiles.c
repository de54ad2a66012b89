/* SPDX-License-Identifier: Apache-2.0 */
/* The generator itself is linked without built-in profiles. */
#include "builtin.h"

const char oh_builtin_pool[1];
const struct builtin_node oh_builtin_nodes[1];
const struct builtin_profile oh_builtin_profiles[1];
const struct builtin_model oh_builtin_models[1];
const struct builtin_rule oh_builtin_rules[1];
const struct builtin_cond oh_builtin_conds[1];
const struct builtin_archmap oh_builtin_archmaps[1];
const uint32_t oh_builtin_arch_refs[1];
const size_t oh_builtin_profile_count = 0;
