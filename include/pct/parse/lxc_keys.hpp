// SPDX-License-Identifier: AGPL-3.0-or-later
/// @file
/// Proxmox's allow-list for raw `lxc.*` keys in a config (§5.4 of the format reference).
#pragma once

#include <string>
#include <string_view>

namespace pct::parse {

enum class LxcKeyVerdict {
    accepted, ///< on the list, or an allowed prefix (`lxc.cgroup2.*`, `lxc.prlimit.*`, `lxc.net.*`)
    deprecated, ///< accepted with a warning (`lxc.limit.*`, lxc-2 names, `lxc.cgroup.*`)
    rejected,   ///< refused with a specific message (`lxc.rootfs.path`, `lxc.rootfs.options`)
    invalid,    ///< not allowed: the line is "unable to parse config"
};

struct LxcKeyCheck {
    LxcKeyVerdict verdict = LxcKeyVerdict::invalid;
    /// deprecated: the warning text after "vm N - "; rejected: the message after "KEY: ".
    std::string message;
};

/// Classifies a raw key (already known to match `lxc\.[a-z0-9_\-.]+`).
[[nodiscard]] LxcKeyCheck check_lxc_key(std::string_view key);

} // namespace pct::parse
