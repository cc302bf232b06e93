# SPDX-License-Identifier: AGPL-3.0-or-later
# storage::ConfigDocument (edits, lock rule, digest check, temp sweep) and the CLI's racing
# writers (`pct file set`, `pct set`).
pct_add_test(document pct::storage pct_test_support TIMEOUT 300)
add_dependencies(test_document pct_cli)
