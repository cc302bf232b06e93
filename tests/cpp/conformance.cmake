# SPDX-License-Identifier: AGPL-3.0-or-later
# Proxmox's own configs (../shared/conformance): canonical text and parsed JSON, byte-exact.
pct_add_test(conformance pct::render nlohmann_json::nlohmann_json TIMEOUT 120)
