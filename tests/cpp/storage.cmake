# SPDX-License-Identifier: AGPL-3.0-or-later
# Storage module suite (host layout, locks, atomic files, storage.cfg): no root needed.
if(NOT TARGET pct_test_support)
    add_library(pct_test_support STATIC ${CMAKE_CURRENT_LIST_DIR}/../support/temp_dir.cpp)
    target_include_directories(pct_test_support PUBLIC ${CMAKE_CURRENT_LIST_DIR}/../support)
    pct_set_warnings(pct_test_support)
endif()
pct_add_test(storage pct::storage pct_test_support fmt::fmt TIMEOUT 60)
