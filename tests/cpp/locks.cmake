# SPDX-License-Identifier: AGPL-3.0-or-later
# The lock property: the table, `pct unlock`, refusals of every operation (no container runs).
pct_add_test(locks pct::runtime pct_test_storage pct_test_sweep fmt::fmt TIMEOUT 60)
target_compile_definitions(test_locks PRIVATE PCT_CLI="$<TARGET_FILE:pct_cli>")
add_dependencies(test_locks pct_cli)
