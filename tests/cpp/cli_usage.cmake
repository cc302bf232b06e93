# SPDX-License-Identifier: AGPL-3.0-or-later
# `pct help` and usage errors (Proxmox's CLI handler: exit 255, usage on stderr).
pct_add_test(cli_usage pct_test_support TIMEOUT 60)
target_compile_definitions(test_cli_usage PRIVATE PCT_CLI="$<TARGET_FILE:pct_cli>")
add_dependencies(test_cli_usage pct_cli)
# The cpusets table formatter is a CLI source without a library of its own.
target_sources(test_cli_usage PRIVATE ${PROJECT_SOURCE_DIR}/libpct/cli/cpuset_table.cpp)
target_include_directories(test_cli_usage PRIVATE ${PROJECT_SOURCE_DIR}/libpct/cli)
