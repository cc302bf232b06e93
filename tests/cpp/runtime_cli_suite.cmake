# SPDX-License-Identifier: AGPL-3.0-or-later
# (Named runtime_* so that it is included after runtime.cmake, which defines the helper.)
# The pct CLI suite (issue 11's acceptance): every single-host subcommand end to end on real
# busybox containers and its error paths (unknown CTID, locked, running, bad values: one line
# on stderr, exit 255, the config unchanged). Label container, the shared lock.
pct_add_container_test(cli_suite 600)
target_link_libraries(test_cli_suite PRIVATE pct_test_storage)
target_compile_definitions(test_cli_suite PRIVATE PCT_CLI="$<TARGET_FILE:pct_cli>")
add_dependencies(test_cli_suite pct_cli)
