# SPDX-License-Identifier: AGPL-3.0-or-later
# The in-container OS setup (libpct/runtime/setup): Proxmox's own setup suite
# (../shared/conformance/pve-setup-tests), our Ubuntu cases, symlink safety. No containers.
pct_add_test(setup pct::runtime pct::parse pct_test_support fmt::fmt TIMEOUT 120)
target_include_directories(test_setup PRIVATE ${PROJECT_SOURCE_DIR}/libpct/runtime)
