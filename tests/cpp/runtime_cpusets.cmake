# SPDX-License-Identifier: AGPL-3.0-or-later
# `pct cpusets` on running containers (after runtime.cmake, which defines the helper).
pct_add_container_test(runtime_cpusets 180)
target_compile_definitions(test_runtime_cpusets PRIVATE PCT_CLI="$<TARGET_FILE:pct_cli>")
add_dependencies(test_runtime_cpusets pct_cli)
