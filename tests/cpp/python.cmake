# SPDX-License-Identifier: AGPL-3.0-or-later
# The pypct suites (pytest, stubtest, mypy, Python examples) live beside the bindings.
if(TARGET _pypct)
    add_subdirectory(${PROJECT_SOURCE_DIR}/bindings/python/tests ${PROJECT_BINARY_DIR}/tests/python)
endif()
