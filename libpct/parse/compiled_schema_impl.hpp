// SPDX-License-Identifier: AGPL-3.0-or-later
// Private: the schema's checks compiled once into tables, for the file reader's hot path.
// The schema names its formats and patterns by string; resolving them for every value (and
// walking every sub-key's KeyInfo for the required ones) cost more than the checks. Built on
// first use from the schema itself, so it cannot drift from it; the full engine
// (check_value, check_object) stays the reference for messages and for the tests.
#pragma once

#include "formats_impl.hpp"

#include <pct/model/schema.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace pct::parse::detail {

/// check_prop's verdict for one property-string sub-key, resolved from its KeyInfo: the
/// same rules in the same order as check_value, without building a message. Most sub-keys
/// need one test only (a format, a pattern, "0"/"1", an enum): `kind` names it.
struct ValueCheck {
    enum class Kind : unsigned char {
        matcher, ///< only `matcher` (a format without -list/-opt, or a pattern)
        boolean, ///< only "0" or "1" (the splitter has normalized the words)
        choice,  ///< only `enum_values`
        general, ///< every rule below, in check_prop's order
    };
    Kind kind = Kind::general;
    schema::Type type = schema::Type::string;
    bool never = false; ///< a format or pattern this library has no matcher for
    bool has_format = false;
    bool has_minimum = false;
    bool has_maximum = false;
    FormatRef format;
    ValueMatcher matcher = nullptr; ///< Kind::matcher, or the pattern for Kind::general
    std::size_t max_length = static_cast<std::size_t>(-1);
    double minimum = 0;
    double maximum = 0;
    std::span<const std::string_view> enum_values;

    [[nodiscard]] bool ok(std::string_view value) const;

  private:
    [[nodiscard]] bool general_ok(std::string_view value) const;
};

/// The sub-keys of one property-string schema, compiled: a perfect hash of their names,
/// the required and boolean ones as bit masks, the default key, one ValueCheck each.
struct PropertyCheck {
    static constexpr std::size_t max_keys = 16;

    std::span<const schema::KeyInfo> keys;
    std::array<std::string_view, max_keys> names{};
    std::array<ValueCheck, max_keys> values{};
    std::uint32_t required = 0;
    std::uint32_t booleans = 0;
    int default_index = -1;
    unsigned mul_first = 0; ///< the hash: (first * mul_first + last * mul_last + size) & 63
    unsigned mul_last = 0;
    std::array<signed char, 64> slots{};

    /// The position of sub-key `name` in `keys`, or -1.
    [[nodiscard]] int index(std::string_view name) const noexcept;

    /// property_string_valid for this schema: true when parse_property_string would accept
    /// `text`, decided without allocating.
    [[nodiscard]] bool valid(std::string_view text) const;

  private:
    struct Walk;
    template <class NextSeparators, class Index>
    bool walk(std::string_view text, NextSeparators next, Index index_of) const;
};

/// What check_type does with a top-level key's value.
enum class TopCheck : unsigned char { boolean, integer, number, plain, format, property };

/// One top-level key, compiled.
struct KeyCheck {
    const schema::KeyInfo* info = nullptr;
    TopCheck kind = TopCheck::plain;
    bool format_known = false; ///< for TopCheck::format: `format` is resolved
    FormatRef format;
    ValueMatcher matcher = nullptr;          ///< for TopCheck::format without -list/-opt
    const PropertyCheck* property = nullptr; ///< for TopCheck::property
};

/// The compiled check of a top-level key (`net7` gives the `net` family), or nullptr when
/// the key is unknown.
[[nodiscard]] const KeyCheck* key_check(std::string_view key) noexcept;

/// The compiled form of a property-string schema (a `sub_keys` span of the schema), or
/// nullptr for any other span.
[[nodiscard]] const PropertyCheck* property_check(std::span<const schema::KeyInfo> keys) noexcept;

} // namespace pct::parse::detail
