// SPDX-License-Identifier: AGPL-3.0-or-later
// Usage texts and usage errors from the parser's own definitions, in the shapes of Proxmox's
// PVE::CLIHandler (`pct help`, a bad command line, the man page and completion all read the
// same CLI11 tree, so none can drift from what the parser accepts).
#pragma once

#include <CLI/CLI.hpp>

#include <iosfwd>
#include <string>
#include <vector>

namespace pct::cli {

/// The positional arguments of `cmd`, in order (the ones the parser reads without a name).
[[nodiscard]] std::vector<const CLI::Option*> positionals(const CLI::App& cmd);
/// The named options of `cmd` a user can give (no help flag, no hidden option).
[[nodiscard]] std::vector<const CLI::Option*> named_options(const CLI::App& cmd);
/// Every command a user can run, nested ones (`file set`) included, sorted by full name.
[[nodiscard]] std::vector<const CLI::App*> all_commands(const CLI::App& app);

/// "pct file set" for the subcommand `set` of `file`.
[[nodiscard]] std::string full_name(const CLI::App& cmd);
/// One positional as Proxmox writes it: `<vmid>`, `[<storage>]`, `[<extra-args>...]`.
[[nodiscard]] std::string positional_text(const CLI::Option& opt);
/// The option's value as Proxmox's help writes it: `<boolean>`, `<integer>`, `<string>`, or
/// empty for a flag.
[[nodiscard]] std::string value_text(const CLI::Option& opt);
/// `pct config <vmid> [OPTIONS]`.
[[nodiscard]] std::string usage_line(const CLI::App& cmd);
/// Proxmox's `help CMD --verbose`: the usage line, the description and every argument.
[[nodiscard]] std::string usage_long(const CLI::App& cmd);
/// Proxmox's print_usage_short: optional `ERROR: reason`, then `USAGE: pct <COMMAND> ...` and
/// one usage line per command.
void print_command_list(std::ostream& out, const CLI::App& app, const std::string& reason = {});

/// A command line the parser refused, reported as Proxmox's CLI does (on stderr: `400 ...` and
/// the command's usage line, or `ERROR: unknown command` with the command list); returns 255.
int usage_error(const CLI::App& app, const CLI::ParseError& e,
                const std::vector<std::string>& args);

} // namespace pct::cli
