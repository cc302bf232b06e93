# SPDX-License-Identifier: AGPL-3.0-or-later
pct_add_test(schema pct::parse nlohmann_json::nlohmann_json TIMEOUT 120)
