// SPDX-License-Identifier: AGPL-3.0-or-later
// `--output-format text|json|json-pretty|yaml` (Proxmox's PVE::CLIFormatter option): a command
// builds its data as Proxmox's API returns it and prints it here; `text` stays the command's own.
#pragma once

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <string>

namespace pct::cli {

enum class OutputFormat { text, json, json_pretty, yaml };

/// Adds `--output-format` (default `text`) to `cmd`, stored in `format`.
void add_output_format(CLI::App* cmd, OutputFormat& format);

/// `data` as PVE::CLIFormatter::print_api_result writes it: `json` one canonical line (keys
/// sorted, as JSON::XS canonical), `json-pretty` as JSON::XS `pretty` (3-space indent,
/// `"key" : value`), `yaml` as CPAN::Meta::YAML (YAML::Tiny) `write_string`. Each ends with a
/// newline. `format` must not be `text`.
[[nodiscard]] std::string render_data(const nlohmann::json& data, OutputFormat format);

/// A number of bytes or seconds as Proxmox's API gives it: an integer when it is one.
[[nodiscard]] nlohmann::json api_number(double value);

} // namespace pct::cli
