// SPDX-License-Identifier: AGPL-3.0-or-later
// Private: key-name tests that the modules above model share (lxcconf's generator and host
// needs, the runtime's create), in one place so that they cannot drift apart.
#pragma once

#include <string_view>

namespace pct::detail {

/// Proxmox's `$key =~ m/^net(\d+)$/`: `net` followed by one or more ASCII digits. Any number
/// of digits, unlike the schema's `net0`..`net31`: callers treat such a key as Proxmox does.
[[nodiscard]] constexpr bool is_net_key(std::string_view key) noexcept {
    return key.size() > 3 && key.starts_with("net") &&
           key.find_first_not_of("0123456789", 3) == std::string_view::npos;
}

/// Proxmox's `$key =~ m/^mp(\d+)$/` (a mount point), with any number of digits as above.
[[nodiscard]] constexpr bool is_mp_key(std::string_view key) noexcept {
    return key.size() > 2 && key.starts_with("mp") &&
           key.find_first_not_of("0123456789", 2) == std::string_view::npos;
}

/// Proxmox's `$key =~ m/^dev(\d+)$/` (a device passthrough), with any number of digits as above.
[[nodiscard]] constexpr bool is_dev_key(std::string_view key) noexcept {
    return key.size() > 3 && key.starts_with("dev") &&
           key.find_first_not_of("0123456789", 3) == std::string_view::npos;
}

} // namespace pct::detail
