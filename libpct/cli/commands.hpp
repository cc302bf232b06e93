// SPDX-License-Identifier: AGPL-3.0-or-later
// The pct CLI is one CLI11 app; each group of subcommands registers itself from its own file.
#pragma once

#include <pct/error.hpp>

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace pct::cli {

/// Options every subcommand can read.
struct Globals {
    std::string root; ///< --root DIR, else $PCT_ROOT, else "/"
};

/// The exit status of a failed subcommand (Proxmox's `die`).
inline constexpr int exit_failed = 255;

/// Prints an error the way Proxmox's CLI does (the message, with the key in front when the
/// message does not already name it) on stderr; returns `exit_failed`.
int report(const Error& e);

/// Each registers its subcommands on `app`; a subcommand's callback sets `exit_code`.
void register_config_commands(CLI::App& app, const Globals& globals, int& exit_code);
void register_file_commands(CLI::App& app, const Globals& globals, int& exit_code);
void register_lxc_commands(CLI::App& app, const Globals& globals, int& exit_code);
void register_runtime_commands(CLI::App& app, const Globals& globals, int& exit_code);
void register_mount_commands(CLI::App& app, const Globals& globals, int& exit_code);
void register_volume_commands(CLI::App& app, const Globals& globals, int& exit_code);
void register_lock_commands(CLI::App& app, const Globals& globals, int& exit_code);
void register_snapshot_commands(CLI::App& app, const Globals& globals, int& exit_code);
void register_clone_commands(CLI::App& app, const Globals& globals, int& exit_code);
void register_backup_commands(CLI::App& app, const Globals& globals, int& exit_code);
void register_file_copy_commands(CLI::App& app, const Globals& globals, int& exit_code);
/// `pct cpusets`: the CPUs assigned to each running CT, as Proxmox's table.
void register_cpusets_command(CLI::App& app, const Globals& globals, int& exit_code);
/// `pct migrate` and `pct remote-migrate`: parsed as Proxmox does, refused (no cluster).
void register_cluster_commands(CLI::App& app, int& exit_code);
/// `pct help [CMD] [--verbose]`; registered last, it reads the commands registered before it.
void register_help_command(CLI::App& app, int& exit_code);

/// Proxmox's CLI accepts one-dash long options (`pct set 100 -memory 512`): `-word` becomes
/// `--word` (a letter after the dash, more than one character; nothing after `--` changes).
[[nodiscard]] std::vector<std::string> long_options(int argc, char** argv);

} // namespace pct::cli
