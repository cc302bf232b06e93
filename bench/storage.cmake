# SPDX-License-Identifier: AGPL-3.0-or-later
# build/bin/pct-bench-storage: create beside `tar -x` of the same archive (busybox and the
# Debian template of scripts/mk-debian-template), start with 8 mount points beside start
# without (needs root).
add_executable(pct_bench_storage ${CMAKE_CURRENT_LIST_DIR}/storage.cpp)
set_target_properties(pct_bench_storage PROPERTIES OUTPUT_NAME pct-bench-storage)
target_link_libraries(pct_bench_storage PRIVATE pct::runtime fmt::fmt)
target_compile_definitions(pct_bench_storage PRIVATE PCT_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
pct_set_warnings(pct_bench_storage)
