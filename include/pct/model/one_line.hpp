// SPDX-License-Identifier: AGPL-3.0-or-later
/// @file
/// The line rules of the LXC config: what may stand in a value, and what a raw lxc key looks
/// like. The generator checks every key and value with them (whichever language built the
/// model), the editor (`edit::is_lxc_key`) uses the key syntax. The container config writer
/// (`render::config`) keeps Proxmox's own rule, an LF only: Proxmox writes a value's CR as it
/// is (`hostname: a\rb`) and its reader, which splits at LF only, reads it back.
#pragma once

#include <pct/error.hpp>

#include <string_view>

namespace pct {

/// Whether `text` holds a byte that ends or cuts a line of a config or LXC file: LF, CR or
/// NUL. LF starts a new line for every reader; liblxc's reader also splits at CR and stops
/// at a NUL (the rest of the file, e.g. its seccomp and AppArmor lines, would be lost).
[[nodiscard]] bool has_line_break(std::string_view text) noexcept;

/// Whether `key` has the syntax of a raw lxc key, `lxc\.[a-z0-9_.-]+`: what the file reader
/// keeps as a `Section::lxc` entry, and the only keys the LXC generator writes. Whether
/// Proxmox allows the key is `parse::check_lxc_key`.
[[nodiscard]] bool is_lxc_key_syntax(std::string_view key) noexcept;

/// `Errc::invalid_argument` with `key` set when `value` holds a line break
/// ("the value of 'KEY' must not contain a line break (LF, CR or NUL)").
[[nodiscard]] Result<void> check_one_line(std::string_view key, std::string_view value);

} // namespace pct
