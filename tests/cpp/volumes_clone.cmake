# SPDX-License-Identifier: AGPL-3.0-or-later
# Templates and clones (storage.md §7.5-7.7) on real busybox containers, dir and btrfs (on a
# loop file) storages: label container, the shared lock; one SKIP line without root or btrfs.
pct_add_container_test(clone 600)
target_link_libraries(test_clone PRIVATE pct_test_storage)
target_compile_definitions(test_clone PRIVATE PCT_CLI="$<TARGET_FILE:pct_cli>")
add_dependencies(test_clone pct_cli)
# The post-clone setup through the runtime's private header (ct_setup.hpp).
target_include_directories(test_clone PRIVATE ${PROJECT_SOURCE_DIR}/libpct/runtime)
