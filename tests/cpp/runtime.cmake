# SPDX-License-Identifier: AGPL-3.0-or-later
# Runtime suites: real busybox containers through liblxc (root). Each suite is one executable;
# they carry the ctest label "container" and share a RESOURCE_LOCK so they never overlap.
# The sweeper of what killed test processes left (no liblxc, no libpct runtime), also as the
# pct-test-sweep tool for the C test and pytest.
add_library(pct_test_sweep STATIC
    ${CMAKE_CURRENT_LIST_DIR}/../support/shell.cpp
    ${CMAKE_CURRENT_LIST_DIR}/../support/test_owner.cpp
    ${CMAKE_CURRENT_LIST_DIR}/../support/ct_traces.cpp
    ${CMAKE_CURRENT_LIST_DIR}/../support/sweep.cpp)
target_link_libraries(pct_test_sweep PUBLIC pct_test_support pct::model fmt::fmt)
pct_set_warnings(pct_test_sweep)
add_executable(pct-test-sweep ${CMAKE_CURRENT_LIST_DIR}/../support/sweep_main.cpp)
target_link_libraries(pct-test-sweep PRIVATE pct_test_sweep)
pct_set_warnings(pct-test-sweep)

add_library(pct_test_support_ct STATIC
    ${CMAKE_CURRENT_LIST_DIR}/../support/ct_env.cpp
    ${CMAKE_CURRENT_LIST_DIR}/../support/ct_guard.cpp
    ${CMAKE_CURRENT_LIST_DIR}/../support/ct_fixture.cpp
    ${CMAKE_CURRENT_LIST_DIR}/../support/bridge.cpp)
target_link_libraries(pct_test_support_ct PUBLIC pct_test_support pct_test_sweep pct::runtime
                                                 pct_test_main fmt::fmt)
pct_set_warnings(pct_test_support_ct)
add_dependencies(pct_test_support_ct pct_prestart)

# pct_add_container_test(NAME TIMEOUT s): like pct_add_test, plus the container label and lock.
function(pct_add_container_test name timeout)
    add_executable(test_${name} ${CMAKE_CURRENT_LIST_DIR}/test_${name}.cpp)
    target_link_libraries(test_${name} PRIVATE pct_test_main pct_test_support_ct pct::runtime
                                               fmt::fmt)
    pct_set_warnings(test_${name})
    # liblxc leaks the seccomp policy it parses for each attach; not libpct's to fix.
    doctest_discover_tests(test_${name} PROPERTIES TIMEOUT ${timeout} LABELS container
                           RESOURCE_LOCK pct_containers
                           ENVIRONMENT "LSAN_OPTIONS=suppressions=${CMAKE_CURRENT_LIST_DIR}/../support/lsan.supp")
endfunction()

pct_add_container_test(runtime_lifecycle 180)
pct_add_container_test(runtime_network 180)
pct_add_container_test(runtime_errors 180)
pct_add_container_test(runtime_limits 180)
pct_add_container_test(runtime_parallel 240)
pct_add_container_test(runtime_cli 180)
add_dependencies(test_runtime_cli pct_cli)
target_link_libraries(test_runtime_cli PRIVATE nlohmann_json::nlohmann_json)
pct_add_container_test(runtime_sweep 180)
pct_add_container_test(runtime_create 300)
add_dependencies(test_runtime_create pct_cli)
pct_add_container_test(runtime_confine 180)
pct_add_container_test(runtime_mounts 300)
add_dependencies(test_runtime_confine pct_cli)
# What an attacker in a container would run: TIOCSTI on each standard descriptor. Static, for
# the busybox containers (no C library inside), so without the sanitizers (no static ASan).
add_executable(pct-test-tiocsti ${CMAKE_CURRENT_LIST_DIR}/../support/tiocsti.c)
set_target_properties(pct-test-tiocsti PROPERTIES COMPILE_OPTIONS "" LINK_OPTIONS "-static")
pct_add_container_test(runtime_pty 180)
add_dependencies(test_runtime_pty pct_cli)
target_compile_definitions(test_runtime_pty PRIVATE
    PCT_TIOCSTI_HELPER="$<TARGET_FILE:pct-test-tiocsti>")
add_dependencies(test_runtime_pty pct-test-tiocsti)

# The runtime's pure logic (no containers, no root), through its private headers.
pct_add_test(runtime_unit pct::runtime pct_test_support fmt::fmt TIMEOUT 60)
target_include_directories(test_runtime_unit PRIVATE ${PROJECT_SOURCE_DIR}/libpct/runtime)
# The install layout the runtime looks for its start helper in (libpct/CMakeLists.txt).
target_compile_definitions(test_runtime_unit PRIVATE
    PCT_TEST_LIBDIR="${CMAKE_INSTALL_LIBDIR}" PCT_TEST_BINDIR="${CMAKE_INSTALL_BINDIR}"
    PCT_TEST_LIBEXECDIR="${CMAKE_INSTALL_LIBEXECDIR}"
    PCT_TEST_HELPER_INSTALLED="${CMAKE_INSTALL_FULL_LIBEXECDIR}/pct/pct-lxc-start")
pct_add_container_test(runtime_create_extract 300)
# White-box: create's step seam (libpct/runtime/create_steps.hpp) makes it fail or stop.
pct_add_container_test(runtime_create_faults 300)
target_include_directories(test_runtime_create_faults PRIVATE ${PROJECT_SOURCE_DIR}/libpct/runtime)

# Mount points without containers (root: mounts and loop devices, in the suite's own mount
# namespace).
pct_add_test(runtime_mount pct::runtime pct_test_support fmt::fmt TIMEOUT 120)
target_include_directories(test_runtime_mount PRIVATE ${PROJECT_SOURCE_DIR}/libpct/runtime)
add_dependencies(test_runtime_mount pct_cli)
target_compile_definitions(test_runtime_mount PRIVATE PCT_CLI="$<TARGET_FILE:pct_cli>")
pct_add_container_test(runtime_create_volumes 300)
# Restore of vzdump archives made with Proxmox's tar command lines (libpct/runtime/restore.cpp).
pct_add_container_test(runtime_restore 600)
add_dependencies(test_runtime_restore pct_cli)
target_compile_definitions(test_runtime_restore PRIVATE PCT_BINARY_DIR="${PROJECT_BINARY_DIR}")
# White-box: restore's step seam (libpct/runtime/restore_steps.hpp) makes it fail.
pct_add_container_test(runtime_restore_faults 300)
target_include_directories(test_runtime_restore_faults PRIVATE ${PROJECT_SOURCE_DIR}/libpct/runtime)
