// SPDX-License-Identifier: AGPL-3.0-or-later
/// @file
/// The config schema (Proxmox's `$confdesc` and its property-string formats) as data:
/// what the parser, the validator and the bindings consult. 830 keys.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string_view>

namespace pct::schema {

enum class Type { boolean, integer, number, string };

/// One key or property-string sub-key.
struct KeyInfo {
    std::string_view name; ///< `net` for the family net0..net31
    Type type = Type::string;
    std::string_view format; ///< named format (`dns-name`, `pve-volume-id`), or ""
    std::span<const std::string_view> enum_values; ///< empty = no enum
    std::string_view default_value;                ///< "" = none
    std::optional<double> minimum;
    std::optional<double> maximum;
    std::string_view pattern; ///< ECMAScript regex (anchored when used), or ""
    std::optional<std::size_t> max_length;
    bool optional = true;
    bool default_key = false;          ///< value may be given without `name=`
    std::span<const KeyInfo> sub_keys; ///< for property strings, sorted by name
    bool api_settable = true;          ///< false for `parent` and `snaptime`
};

/// The schema of a top-level key (`net7` finds the `net` family), or nullptr when unknown.
[[nodiscard]] const KeyInfo* find(std::string_view key) noexcept;

/// Every key name of the schema, expanded (`net0`..`net31`, ...): 830 names, sorted.
[[nodiscard]] std::span<const std::string_view> key_names() noexcept;

} // namespace pct::schema
