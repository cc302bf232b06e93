// SPDX-License-Identifier: AGPL-3.0-or-later
// Private to the edit module: the option key syntax its files share (the raw lxc key syntax
// is public: pct::edit::is_lxc_key).
#pragma once

#include <string_view>

namespace pct::edit::detail {

/// The key syntax of an option line (`^[a-z][a-z_]*\d*$`).
[[nodiscard]] bool is_option_key(std::string_view key) noexcept;

} // namespace pct::edit::detail
