# SPDX-License-Identifier: AGPL-3.0-or-later
# Templates and clones (storage.md §7.5-7.7) on real busybox containers, dir and btrfs (on a
# loop file) storages: label container, the shared lock; one SKIP line without root or btrfs.
pct_add_container_test(clone 600)
target_link_libraries(test_clone PRIVATE pct_test_storage)
