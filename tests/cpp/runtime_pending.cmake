# SPDX-License-Identifier: AGPL-3.0-or-later
# The pending engine on real running busybox containers (label container, the shared lock);
# named after runtime.cmake, which defines pct_add_container_test and is included first.
pct_add_container_test(pending_running 300)
target_compile_definitions(test_pending_running PRIVATE PCT_CLI="$<TARGET_FILE:pct_cli>")
add_dependencies(test_pending_running pct_cli)
