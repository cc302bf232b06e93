// SPDX-License-Identifier: AGPL-3.0-or-later
/// @file
/// The lossless editor: change one key of a config text and leave every other byte as it was
/// (comments, order, blank lines, unknown keys, `=` separators, CRLF).
#pragma once

#include <pct/error.hpp>

#include <string>
#include <string_view>

namespace pct::edit {

/// Where a key lives: "" = main section, "pve:pending", or a snapshot name.
struct Target {
    std::string section;
    std::string key;
};

/// Sets `key` to `value`: replaces the value of the key's last line in that section (the
/// one Proxmox reads), or appends `key: value` at the end of the section (creating a
/// `[pve:pending]` or snapshot section when needed). `description` rewrites the section's
/// `#` lines. Errors: `Errc::invalid_argument` for a value with a newline or a key that
/// cannot appear in a file.
[[nodiscard]] Result<std::string> set(std::string_view text, const Target& target,
                                      std::string_view value);

/// Removes every line that sets `key` in that section. `Errc::not_found` if there is none.
[[nodiscard]] Result<std::string> remove(std::string_view text, const Target& target);

} // namespace pct::edit
