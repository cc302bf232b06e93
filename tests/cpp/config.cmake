# SPDX-License-Identifier: AGPL-3.0-or-later
# The config reader/writer: rules and quirks (tests/data/config), round trips, the pct file CLI.
pct_add_test(config pct::render nlohmann_json::nlohmann_json TIMEOUT 120)
pct_add_test(config_roundtrip pct::render TIMEOUT 120)
pct_add_test(config_cli nlohmann_json::nlohmann_json TIMEOUT 120)
add_dependencies(test_config_cli pct_cli)
