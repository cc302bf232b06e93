# SPDX-License-Identifier: AGPL-3.0-or-later
# Storage module suite (host layout, locks, atomic files, storage.cfg): no root needed.
pct_add_test(storage pct::storage pct_test_support fmt::fmt TIMEOUT 60)
