// SPDX-License-Identifier: AGPL-3.0-or-later
// The generated documentation: pct(1) and bash completion, both from the parser's definitions.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

namespace pct::cli {

/// pct(1) in roff: every command's usage line, arguments and options, exit status, files.
[[nodiscard]] std::string man_page(const CLI::App& app);

/// The bash completion script: commands, each command's options, and at run time CTIDs,
/// storages, volumes, snapshot names and (for `set`) config keys read from the host root.
[[nodiscard]] std::string bash_completion(const CLI::App& app);

} // namespace pct::cli
