# SPDX-License-Identifier: AGPL-3.0-or-later
# The pending engine on real running busybox containers (label container, the shared lock);
# named after runtime.cmake, which defines pct_add_container_test and is included first.
pct_add_container_test(pending_running 300)
