# SPDX-License-Identifier: AGPL-3.0-or-later
# Storage backends and volumes (storage.cfg, dir, btrfs on a loop file, alloc_ct_disk).
# Fixtures other suites may reuse: StorageHost (a temp host root with a storage.cfg) and
# BtrfsLoop (a btrfs file system on a loop file, detached even when a check fails).
add_library(pct_test_storage STATIC ${CMAKE_CURRENT_SOURCE_DIR}/support/storage_host.cpp
                                     ${CMAKE_CURRENT_SOURCE_DIR}/support/btrfs_loop.cpp)
target_include_directories(pct_test_storage PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/support)
target_link_libraries(pct_test_storage PUBLIC pct::storage pct_test_support)
pct_set_warnings(pct_test_storage)

pct_add_test(storage_backends pct::storage pct_test_storage fmt::fmt TIMEOUT 120)

# btrfs on a loop file: root, mkfs.btrfs and loop devices (one SKIP line without them).
pct_add_test(storage_btrfs pct::storage pct_test_storage fmt::fmt TIMEOUT 180)
