# SPDX-License-Identifier: AGPL-3.0-or-later
# Fast paths of the config core against plain references (byte helpers, OptionMap, the stack
# property-string check, reader/writer shortcuts).
pct_add_test(fastpath pct::render pct::internal TIMEOUT 120)
