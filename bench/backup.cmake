# SPDX-License-Identifier: AGPL-3.0-or-later
# build/bin/pct-bench-backup: backup and restore of a 1 GiB rootfs beside GNU tar + zstd of
# the same tree in the same run (needs root).
add_executable(pct_bench_backup ${CMAKE_CURRENT_LIST_DIR}/backup.cpp)
set_target_properties(pct_bench_backup PROPERTIES OUTPUT_NAME pct-bench-backup)
target_link_libraries(pct_bench_backup PRIVATE pct::runtime fmt::fmt)
pct_set_warnings(pct_bench_backup)
