// SPDX-License-Identifier: AGPL-3.0-or-later
// Private: the top-level schema entries by position, so that parse can keep its compiled
// checks in a plain array indexed the same way (no lookup per value beyond schema::find's).
#pragma once

#include <pct/model/schema.hpp>

#include <cstddef>
#include <string_view>

namespace pct::schema::detail {

/// The 30 scalar keys, then the families dev, mp, net and unused.
inline constexpr std::size_t top_level_count = 34;

/// The position of what `schema::find(key)` returns, or -1 when it returns nullptr.
[[nodiscard]] int find_index(std::string_view key) noexcept;

/// The entry at `index` (< top_level_count).
[[nodiscard]] const KeyInfo& top_level(std::size_t index) noexcept;

} // namespace pct::schema::detail
