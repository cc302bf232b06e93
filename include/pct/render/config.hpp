// SPDX-License-Identifier: AGPL-3.0-or-later
/// @file
/// Writing the canonical form byte-exactly like Proxmox's `write_pct_config`.
#pragma once

#include <pct/error.hpp>
#include <pct/model/config.hpp>

#include <string>
#include <string_view>

namespace pct::render {

/// The canonical text. Fails (`Errc::invalid_argument`, with key) where Proxmox dies:
/// a value containing a newline ("detected invalid newline inside property 'KEY'").
[[nodiscard]] Result<std::string> config(const ContainerConfig& config);

/// Proxmox's `encode_text` (percent-escapes `%`, `:`, controls and non-ASCII bytes).
[[nodiscard]] std::string encode_text(std::string_view text);

} // namespace pct::render
