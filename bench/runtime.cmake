# SPDX-License-Identifier: AGPL-3.0-or-later
# build/bin/pct-bench-runtime: libpct's container operations beside the raw liblxc C API doing
# the same work in the same run (needs root; builds its busybox template at run time).
add_executable(pct_bench_runtime ${CMAKE_CURRENT_LIST_DIR}/runtime.cpp)
set_target_properties(pct_bench_runtime PROPERTIES OUTPUT_NAME pct-bench-runtime)
# The raw baseline calls liblxc itself, so this one program includes <lxc/lxccontainer.h>.
target_link_libraries(pct_bench_runtime PRIVATE pct::runtime PkgConfig::LXC fmt::fmt)
target_compile_definitions(pct_bench_runtime PRIVATE PCT_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
pct_set_warnings(pct_bench_runtime)
