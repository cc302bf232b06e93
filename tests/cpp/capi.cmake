# SPDX-License-Identifier: AGPL-3.0-or-later
# The C ABI suites live in tests/capi (C, not doctest).
add_subdirectory(${PROJECT_SOURCE_DIR}/tests/capi ${PROJECT_BINARY_DIR}/tests/capi)
