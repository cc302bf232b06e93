# SPDX-License-Identifier: AGPL-3.0-or-later
# Backup files on storage (names, archive_info, notes, pruning, side files): temp dirs, no root
# needed for most cases.
pct_add_test(backups pct::storage pct_test_support fmt::fmt TIMEOUT 60)
