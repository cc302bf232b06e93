# SPDX-License-Identifier: AGPL-3.0-or-later
# The lossless editor (pct::edit): byte-exact edits of one key.
pct_add_test(edit pct::edit TIMEOUT 60)
