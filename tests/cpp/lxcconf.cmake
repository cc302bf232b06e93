# SPDX-License-Identifier: AGPL-3.0-or-later
# lxcconf: generator (proxmox profile + conformance), native profile + host detection, and the
# `pct file lxc` CLI run as a process.
pct_add_test(lxcconf pct::lxcconf pct::internal TIMEOUT 120)
target_sources(test_lxcconf PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/cpp/test_lxcconf_native.cpp
                                    ${CMAKE_CURRENT_SOURCE_DIR}/cpp/test_lxcconf_safety.cpp)
# The safety suite checks that render() refuses what the generator refuses.
target_link_libraries(test_lxcconf PRIVATE pct::render)
target_include_directories(test_lxcconf PRIVATE ${PROJECT_SOURCE_DIR}/libpct/lxcconf)

pct_add_test(lxcconf_cli pct::lxcconf TIMEOUT 60)
add_dependencies(test_lxcconf_cli pct_cli)
