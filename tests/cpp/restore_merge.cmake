# SPDX-License-Identifier: AGPL-3.0-or-later
# The restore's pure parts: sanitize_and_merge_config (vzdump-format §4.6) and the config peek
# (§4.2) on archives made with GNU tar here.
pct_add_test(restore_merge pct::runtime pct_test_support pct_test_sweep fmt::fmt TIMEOUT 60)
