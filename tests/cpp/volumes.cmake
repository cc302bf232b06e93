# SPDX-License-Identifier: AGPL-3.0-or-later
# Volume operations (storage.md §6, §7.8). The rules (size arguments, df table, rescan plan,
# destroy plan) need no root; the operations on real files, loop devices and containers do.
pct_add_test(volume_rules pct::runtime pct_test_support fmt::fmt TIMEOUT 60)
target_include_directories(test_volume_rules PRIVATE ${PROJECT_SOURCE_DIR}/libpct/runtime)
