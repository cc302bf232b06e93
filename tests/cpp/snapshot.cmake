# SPDX-License-Identifier: AGPL-3.0-or-later
# Snapshots (config-format.md §8, storage.md §7.3-7.4): pve-container's own snapshot suite
# through the engine over a simulated storage (no root), through its private header.
pct_add_test(snapshot_suite pct::runtime pct_test_support fmt::fmt TIMEOUT 60)
target_include_directories(test_snapshot_suite PRIVATE ${PROJECT_SOURCE_DIR}/libpct/runtime)

# For real: a running busybox container on a btrfs loop file system (root; label container),
# the blocking check, the list and the name rule.
pct_add_container_test(snapshot 300)
target_link_libraries(test_snapshot PRIVATE pct_test_storage)
target_link_libraries(test_snapshot PRIVATE pct_test_sweep)
target_compile_definitions(test_snapshot PRIVATE PCT_CLI="$<TARGET_FILE:pct_cli>")
add_dependencies(test_snapshot pct_cli)
target_include_directories(test_snapshot PRIVATE ${PROJECT_SOURCE_DIR}/libpct/runtime)
