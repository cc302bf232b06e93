# SPDX-License-Identifier: AGPL-3.0-or-later
# Live changes of running containers (libpct/runtime/hotplug.hpp, white-box: the pending engine
# is its only caller): cgroup limits, veths on a test bridge, mounts, and the refusals. Named
# runtime_* so that it is included after runtime.cmake, which defines pct_add_container_test.
pct_add_container_test(hotplug 240)
target_include_directories(test_hotplug PRIVATE ${PROJECT_SOURCE_DIR}/libpct/runtime)
