// SPDX-License-Identifier: AGPL-3.0-or-later
// Running a host tool (mkfs.ext4, btrfs) the way Proxmox's run_command does: stdin from
// /dev/null, stdout and stderr collected, a non-zero exit an error with Proxmox's text.
// Defined in the storage module (libpct/storage/command.cpp).
#pragma once

#include <pct/error.hpp>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace pct::internal {

struct CommandOutput {
    std::string out; ///< stdout (at most 1 MiB kept)
    std::string err; ///< stderr (at most 1 MiB kept)
};

/// Runs `argv` (argv[0] looked up in PATH) without a shell, its descriptors other than 0-2
/// closed, and waits for it. Errors (`Errc::io`): "command 'ARGV' failed: exit code N"
/// (Proxmox's run_command text; `errmsg` set: "ERRMSG: LAST STDERR LINE", or "ERRMSG: exit code
/// N" without stderr), "command 'ARGV' failed: killed by signal N", and a failed spawn.
/// `on_stdout`, when set, also sees stdout as it arrives (chunks as read, not lines), for tools
/// whose output reports progress (rsync `--info=progress2`).
[[nodiscard]] Result<CommandOutput>
run_command(const std::vector<std::string>& argv, const std::string& errmsg = {},
            const std::function<void(std::string_view)>& on_stdout = {});

/// The command line as Proxmox prints it in errors: the words joined by blanks.
[[nodiscard]] std::string command_text(const std::vector<std::string>& argv);

} // namespace pct::internal
