# SPDX-License-Identifier: AGPL-3.0-or-later
# The pending engine (config-format §8) on real config files of stopped containers, with the
# `pct` CLI; running containers in the container suite below.
pct_add_test(pending pct::runtime pct_test_storage pct_test_sweep fmt::fmt TIMEOUT 60)
target_compile_definitions(test_pending PRIVATE PCT_CLI="$<TARGET_FILE:pct_cli>")
add_dependencies(test_pending pct_cli)

