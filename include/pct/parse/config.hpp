// SPDX-License-Identifier: AGPL-3.0-or-later
/// @file
/// Reading config files with Proxmox's exact semantics (`parse_pct_config`).
#pragma once

#include <pct/error.hpp>
#include <pct/model/config.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace pct::parse {

struct ConfigOptions {
    /// The CTID named in messages (`vm N - ...`).
    std::uint32_t vmid = 100;
    /// Strict mode (Proxmox's remote-migration reads): the first problem that lenient mode
    /// would warn about is returned as an `Errc::parse` error instead. Deprecated raw lxc
    /// keys stay warnings, as in Proxmox.
    bool strict = false;
    /// The file name, for `Error::context`; may be empty.
    std::string file;
};

/// A parsed file: the config, the SHA-1 of the raw bytes, and every warning in order.
struct ParsedConfig {
    ContainerConfig config;
    std::string digest; ///< 40 lower-case hex digits
    std::vector<Diagnostic> warnings;
    friend bool operator==(const ParsedConfig&, const ParsedConfig&) = default;
};

/// Parses config text. Lenient mode never fails: malformed lines are dropped and bad values
/// kept, each with a `Diagnostic`. Strict mode returns `Errc::parse` with line, key, sub-key.
[[nodiscard]] Result<ParsedConfig> config(std::string_view text, const ConfigOptions& options = {});

/// The SHA-1 of `bytes` as lower-case hex (Proxmox's config digest).
[[nodiscard]] std::string sha1_hex(std::string_view bytes);

/// Proxmox's `decode_text`: `%XX` un-escaping (invalid sequences stay literal).
[[nodiscard]] std::string decode_text(std::string_view text);

/// The CTID that messages about a file name: the digits of `<N>.conf`, else the leading
/// digits of the base name, else 100.
[[nodiscard]] std::uint32_t vmid_from_path(std::string_view path);

} // namespace pct::parse
