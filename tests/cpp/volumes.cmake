# SPDX-License-Identifier: AGPL-3.0-or-later
# Volume operations (storage.md §6, §7.8). The rules (size arguments, df table, rescan plan,
# destroy plan) need no root; the operations on real files, loop devices and containers do.
pct_add_test(volume_rules pct::runtime pct_test_support fmt::fmt TIMEOUT 60)
target_include_directories(test_volume_rules PRIVATE ${PROJECT_SOURCE_DIR}/libpct/runtime)

# On real files and loop devices (root; one SKIP line otherwise).
pct_add_test(volume_ops pct::runtime pct_test_storage pct_test_sweep fmt::fmt
              nlohmann_json::nlohmann_json TIMEOUT 180)
target_compile_definitions(test_volume_ops PRIVATE PCT_CLI="$<TARGET_FILE:pct_cli>")
add_dependencies(test_volume_ops pct_cli)

# On a running busybox container (label container, the shared lock).
pct_add_container_test(volume_running 240)
