# SPDX-License-Identifier: AGPL-3.0-or-later
pct_add_test(validate pct::render TIMEOUT 120)
