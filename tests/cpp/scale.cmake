# SPDX-License-Identifier: AGPL-3.0-or-later
# Input shapes that were quadratic (keys out of order, many sections) and inputs without bound
# (devices, FIFOs, files above the size cap): time and memory guards.
pct_add_test(scale pct::storage pct_test_support TIMEOUT 300)
