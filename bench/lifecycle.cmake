# SPDX-License-Identifier: AGPL-3.0-or-later
# build/bin/pct-bench-lifecycle: set latency alone and under 16-way contention; snapshot and
# clones of a 1 GiB rootfs beside btrfs subvolume snapshot / cp --reflink (needs root).
add_executable(pct_bench_lifecycle ${CMAKE_CURRENT_LIST_DIR}/lifecycle.cpp)
set_target_properties(pct_bench_lifecycle PROPERTIES OUTPUT_NAME pct-bench-lifecycle)
target_link_libraries(pct_bench_lifecycle PRIVATE pct::runtime fmt::fmt)
pct_set_warnings(pct_bench_lifecycle)
