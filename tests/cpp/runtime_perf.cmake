# SPDX-License-Identifier: AGPL-3.0-or-later
# The runtime's start-path economies (derived files, log sections, narrowed host detection,
# handle reuse): unit cases on private headers, plus real containers (root; container label).
# Included after runtime.cmake (file order), which defines pct_add_container_test.
pct_add_container_test(runtime_perf 180)
target_include_directories(test_runtime_perf PRIVATE ${PROJECT_SOURCE_DIR}/libpct/runtime
                                                     ${PROJECT_SOURCE_DIR}/libpct/lxcconf)
