# SPDX-License-Identifier: AGPL-3.0-or-later
# C ABI and Python overhead over the direct C++ calls: build/bin/pct-capi-bench and
# bench/python_bench.py (results in bench/RESULTS.md, "C ABI and Python").
add_executable(pct_capi_bench ${CMAKE_CURRENT_LIST_DIR}/capi_bench.cpp ${CMAKE_CURRENT_LIST_DIR}/corpus.cpp)
set_target_properties(pct_capi_bench PROPERTIES OUTPUT_NAME pct-capi-bench)
target_link_libraries(pct_capi_bench PRIVATE pct::pct pct::parse pct::render)
pct_set_warnings(pct_capi_bench)
