# SPDX-License-Identifier: AGPL-3.0-or-later
# `runtime::backup` (vzdump) on real busybox containers, dir and btrfs (loop file) storages:
# label container, the shared lock; one SKIP line without root or btrfs.
pct_add_container_test(backup 900)
target_link_libraries(test_backup PRIVATE pct_test_storage)
target_compile_definitions(test_backup PRIVATE PCT_CLI="$<TARGET_FILE:pct_cli>")
add_dependencies(test_backup pct_cli)
