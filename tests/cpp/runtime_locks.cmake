# SPDX-License-Identifier: AGPL-3.0-or-later
# The lock table on a running busybox container (label container, the shared lock); after
# runtime.cmake, which defines pct_add_container_test.
pct_add_container_test(locks_running 180)
