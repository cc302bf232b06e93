# SPDX-License-Identifier: AGPL-3.0-or-later
# pct push / pct pull on a running busybox container (library and CLI); after runtime.cmake,
# which defines pct_add_container_test.
pct_add_container_test(runtime_files 240)
add_dependencies(test_runtime_files pct_cli)
