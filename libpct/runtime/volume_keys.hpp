// SPDX-License-Identifier: AGPL-3.0-or-later
// The volume keys of a config section in Proxmox's order, and the next free `unusedN`.
#pragma once

#include <pct/error.hpp>
#include <pct/model/config.hpp>

#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace pct::runtime::detail {

/// Proxmox's limits: mp0..mp255 and unused0..unused255.
inline constexpr unsigned max_mount_points = 256;
inline constexpr unsigned max_unused = 256;

/// The index of `mpN`/`unusedN` when `key` is `prefix` + a decimal number in range, else -1.
[[nodiscard]] int volume_key_index(std::string_view key, std::string_view prefix, unsigned limit);

/// True for `rootfs` and `mp0`..`mp255`.
[[nodiscard]] bool is_mount_key(std::string_view key);

/// The keys of `section` that hold volumes, in Proxmox's order (`foreach_volume`): `rootfs`,
/// `mp0`..`mp255` by number, then `unused0`..`unused255` by number.
[[nodiscard]] std::vector<std::string> volume_keys_in_order(const Section& section);

/// The lowest `unusedN` not in `taken` (Proxmox's `add_unused_volume`);
/// `Errc::invalid_argument` "Too many unused volumes - please delete them first." otherwise.
[[nodiscard]] Result<std::string> free_unused_key(const std::set<std::string, std::less<>>& taken);

} // namespace pct::runtime::detail
