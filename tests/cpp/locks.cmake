# SPDX-License-Identifier: AGPL-3.0-or-later
# The lock property: the table, `pct unlock`, refusals of every operation (no container runs).
pct_add_test(locks pct::runtime pct_test_storage pct_test_sweep fmt::fmt TIMEOUT 60)
target_compile_definitions(test_locks PRIVATE PCT_CLI="$<TARGET_FILE:pct_cli>")
add_dependencies(test_locks pct_cli)

# The concurrency acceptance test: 16 writer processes x 200 sets plus snapshot/delsnapshot on
# one CT on btrfs, with SIGKILLs (root and btrfs-progs; one SKIP line otherwise).
pct_add_test(locks_concurrency pct::runtime pct_test_storage fmt::fmt TIMEOUT 600)
