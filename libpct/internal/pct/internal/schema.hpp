// SPDX-License-Identifier: AGPL-3.0-or-later
// Private: the top-level schema entries by position, so that parse can keep its compiled
// checks in a plain array indexed the same way (no lookup per value beyond schema::find's).
#pragma once

#include "pct/internal/bytes.hpp"

#include <pct/model/schema.hpp>

#include <array>
#include <cstddef>
#include <string_view>

namespace pct::schema::detail {

/// The 30 scalar keys, then the families dev, mp, net and unused.
inline constexpr std::size_t top_level_count = 34;

/// One slot of the scalar keys' perfect hash: the name and its position, or an empty name.
struct ScalarSlot {
    std::string_view name;
    int index = -1;
};

/// The slots, indexed by scalar_hash (checked perfect at compile time in schema.cpp).
extern const std::array<ScalarSlot, 64> scalar_slots;

/// The hash of a scalar key name (at least 2 bytes long).
constexpr unsigned scalar_hash(std::string_view k) noexcept {
    return (static_cast<unsigned char>(k[0]) * 18u + static_cast<unsigned char>(k.back()) * 34u +
            static_cast<unsigned>(k.size()) * 4u + static_cast<unsigned char>(k[1])) &
           63u;
}

/// find_index for a key ending in a digit (`net7`, `mp0`...).
[[nodiscard]] int find_family_index(std::string_view key) noexcept;

/// The position of what `schema::find(key)` returns, or -1 when it returns nullptr. Inline:
/// the file reader looks up every key it reads.
[[nodiscard]] inline int find_index(std::string_view key) noexcept {
    if (key.size() < 2)
        return -1;
    // No scalar name ends in a digit; every family member does.
    if (key.back() >= '0' && key.back() <= '9')
        return find_family_index(key);
    const ScalarSlot& slot = scalar_slots[scalar_hash(key)];
    return pct::detail::same_bytes(slot.name, key) ? slot.index : -1;
}

/// The entry at `index` (< top_level_count).
[[nodiscard]] const KeyInfo& top_level(std::size_t index) noexcept;

} // namespace pct::schema::detail
