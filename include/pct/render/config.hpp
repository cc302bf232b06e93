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
/// a value containing a newline ("detected invalid newline inside property 'KEY'"). Also
/// fails, where Proxmox would write a file it cannot read back, for a newline in a raw
/// `lxc.*` value, in `env` or in a key, and for a snapshot name that is not
/// `[A-Za-z][A-Za-z0-9_-]+`.
///
/// As Proxmox: `snapstate` is dropped from the main section; a main-section `unused*` key
/// whose value is a volume id still used by `rootfs`/`mp0`..`mp255` is not written; the
/// keys `digest`, `snapname`, `pending`, `snapshots`, `lxc` of `options` are never written;
/// `env` becomes `lxc.environment.runtime` lines; the description becomes `#` lines.
[[nodiscard]] Result<std::string> config(const ContainerConfig& config);

/// Proxmox's `encode_text` (percent-escapes `%`, `:`, controls and non-ASCII bytes).
[[nodiscard]] std::string encode_text(std::string_view text);

/// `encode_text` appending to `out`.
void encode_text_append(std::string& out, std::string_view text);

} // namespace pct::render
