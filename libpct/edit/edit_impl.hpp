// SPDX-License-Identifier: AGPL-3.0-or-later
// Private to the edit module: the key syntax its files share.
#pragma once

#include <string_view>

namespace pct::edit::detail {

/// The key syntax of an option line (`^[a-z][a-z_]*\d*$`).
[[nodiscard]] bool is_option_key(std::string_view key) noexcept;
/// The key syntax of a raw lxc line (`^lxc\.[a-z0-9_.-]+$`).
[[nodiscard]] bool is_lxc_key(std::string_view key) noexcept;

} // namespace pct::edit::detail
