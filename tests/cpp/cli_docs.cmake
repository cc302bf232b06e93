# SPDX-License-Identifier: AGPL-3.0-or-later
# pct(1) and the bash completion: every command and option of the parser in both, the page
# renders without warnings, the completion completes.
pct_add_test(cli_docs pct_test_support TIMEOUT 60)
target_sources(test_cli_docs PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/support/shell.cpp)
target_compile_definitions(
    test_cli_docs PRIVATE PCT_CLI="$<TARGET_FILE:pct_cli>" PCT_BUILD_DIR="${CMAKE_BINARY_DIR}"
                          PCT_MAN_PAGE="${CMAKE_BINARY_DIR}/share/man/man1/pct.1"
                          PCT_COMPLETION="${CMAKE_BINARY_DIR}/share/bash-completion/completions/pct")
add_dependencies(test_cli_docs pct_cli pct_docs)
