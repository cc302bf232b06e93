# SPDX-License-Identifier: AGPL-3.0-or-later
# `--output-format text|json|json-pretty|yaml` of the printing pct commands, on config files
# under a temporary --root (no container runs).
pct_add_test(output_format pct_test_sweep nlohmann_json::nlohmann_json TIMEOUT 60)
target_compile_definitions(test_output_format PRIVATE PCT_CLI="$<TARGET_FILE:pct_cli>")
add_dependencies(test_output_format pct_cli)
