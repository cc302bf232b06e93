# SPDX-License-Identifier: AGPL-3.0-or-later
# The storage issue's acceptance test (tests/cpp/test_accept.cpp): a real Debian 12 container
# driven through the `pct` CLI, once on the dir storage and once on a loop-file btrfs. Its own
# main (not doctest): exit 77 = skipped (no root/liblxc, or the Debian mirror unreachable for
# scripts/mk-debian-template), reported by ctest as such.
add_executable(test_accept ${CMAKE_CURRENT_LIST_DIR}/test_accept.cpp)
target_link_libraries(test_accept PRIVATE pct_test_support_ct pct_test_storage pct::storage fmt::fmt)
pct_set_warnings(test_accept)
add_dependencies(test_accept pct_cli)
foreach(mode dir btrfs)
    add_test(NAME accept_${mode} COMMAND test_accept ${mode})
    # Template build (about 40 s when not cached) + create + boot + checks; btrfs also
    # resizes, moves a volume twice and restarts.
    set_tests_properties(accept_${mode} PROPERTIES TIMEOUT 540 SKIP_RETURN_CODE 77
        LABELS container RESOURCE_LOCK pct_containers
        ENVIRONMENT "LSAN_OPTIONS=suppressions=${CMAKE_CURRENT_LIST_DIR}/../support/lsan.supp")
endforeach()
