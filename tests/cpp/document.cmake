# SPDX-License-Identifier: AGPL-3.0-or-later
# storage::ConfigDocument (edits, lock rule, digest check, temp sweep) and the CLI's racing
# writers (`pct file set`, `pct set`).
if(NOT TARGET pct_test_support)
    add_library(pct_test_support STATIC ${CMAKE_CURRENT_LIST_DIR}/../support/temp_dir.cpp)
    target_include_directories(pct_test_support PUBLIC ${CMAKE_CURRENT_LIST_DIR}/../support)
    pct_set_warnings(pct_test_support)
endif()
pct_add_test(document pct::storage pct_test_support TIMEOUT 300)
add_dependencies(test_document pct_cli)
