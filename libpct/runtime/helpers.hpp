// SPDX-License-Identifier: AGPL-3.0-or-later
// Pure helpers of the runtime (no liblxc): LXC config text edits, pending application, liblxc
// log reading. Kept apart from impl.hpp so unit tests can use them without liblxc headers.
#pragma once

#include <pct/model/config.hpp>
#include <pct/storage/host.hpp>

#include <string>
#include <string_view>

namespace pct::runtime::detail {

/// `<lxcpath>/<CTID>/lxc.log`
[[nodiscard]] std::string log_path(const storage::Host& host, Vmid vmid);
/// The messages of the ERROR lines of liblxc's log (deduplicated, "; "-joined, at most 6).
[[nodiscard]] std::string log_errors(const std::string& path);

/// Applies `[pve:pending]` to the main section (deletes first, then values) and clears it.
/// Returns true when the config changed.
bool apply_pending(ContainerConfig& config);

/// Replaces every `key = ...` line of an LXC config text by one `key = value` line (appended
/// when absent).
[[nodiscard]] std::string set_lxc_key(std::string_view text, std::string_view key,
                                      std::string_view value);

/// The `value` of the last `key = value` line of an LXC config text, "" when absent.
[[nodiscard]] std::string get_lxc_key(std::string_view text, std::string_view key);

} // namespace pct::runtime::detail
