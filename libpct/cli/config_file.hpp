// SPDX-License-Identifier: AGPL-3.0-or-later
// Reading the container config file a `pct file` command works on. Every command refuses the
// same files with the same message and exit code: one that cannot be read, is not a regular
// file, holds binary data, or is text in which no line is a container config line.
#pragma once

#include <optional>
#include <string>
#include <sys/types.h>

namespace pct::cli {

/// Exit code of a `pct file` command whose FILE cannot be read or is not a container config.
constexpr int exit_not_a_config = 2;

struct ConfigFile {
    std::string text;   ///< the whole file
    mode_t mode = 0640; ///< its permission bits, kept by rewrites
};

/// Reads `path` whole through `storage::read_file`. When it cannot be read, is not a regular
/// file or is larger than `storage::max_file_size`, contains a NUL byte (named by its byte
/// offset and line, `parse::check_bytes`) or
/// has lines of which none is a config line (an option of the schema, an `lxc.*` key, a
/// section header, `delete:` or `description:`; comments and blank lines neither count nor
/// disqualify), prints `PATH: <reason>` on stderr and returns nullopt. An empty file, or one
/// of comments only, is a valid (empty) config, as in Proxmox.
[[nodiscard]] std::optional<ConfigFile> read_config_file(const std::string& path);

} // namespace pct::cli
