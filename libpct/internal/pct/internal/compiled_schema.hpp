// SPDX-License-Identifier: AGPL-3.0-or-later
// Private: the schema's checks compiled once into tables, for the file reader's hot path.
// The schema names its formats and patterns by string; resolving them for every value (and
// walking every sub-key's KeyInfo for the required ones) cost more than the checks. Built on
// first use from the schema itself, so it cannot drift from it. A value's rules are walked by
// one function (ValueRules::fault) for the reader and for the full engine (check_value,
// check_object), which words the messages and stays the reference for the tests.
#pragma once

#include "pct/internal/formats.hpp"
#include "pct/internal/schema.hpp"

#include <pct/model/schema.hpp>

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace pct::parse::detail {

/// Why a value fails check_prop's rules, in the order they are tested; `none` = it passes.
enum class ValueFault : unsigned char {
    none,
    type,            ///< not a boolean/integer/number as the type wants
    format,          ///< the named format refuses it (or this library does not know the format)
    pattern_unknown, ///< a pattern this library has no matcher for
    pattern,         ///< the pattern does not match
    max_length,      ///< more UTF-8 characters than maxLength
    maximum,
    minimum,
    enumeration, ///< not one of the enum's values
};

/// check_prop's rules for one value, resolved from its KeyInfo. The one walker over them is
/// `fault`, used both by the file reader's hot path (`ok`) and by `check_value`, which builds
/// the message from the fault only when there is one (`fault_message`).
struct ValueRules {
    schema::Type type = schema::Type::string;
    bool has_format = false;
    bool format_known = false; ///< has_format and resolved
    bool has_pattern = false;  ///< `pattern` is nullptr when this library has no matcher
    bool has_minimum = false;
    bool has_maximum = false;
    FormatRef format;
    ValueMatcher pattern = nullptr;
    std::size_t max_length = static_cast<std::size_t>(-1);
    double minimum = 0;
    double maximum = 0;
    std::span<const std::string_view> enum_values;

    [[nodiscard]] static ValueRules from(const schema::KeyInfo& info) noexcept;

    /// A format or pattern this library has no matcher for: every value fails.
    [[nodiscard]] bool never() const noexcept {
        return (has_format && !format_known) || (has_pattern && !pattern);
    }

    /// The first rule `value` breaks, without allocating.
    [[nodiscard]] ValueFault fault(std::string_view value) const;
    [[nodiscard]] bool ok(std::string_view value) const { return fault(value) == ValueFault::none; }
};

/// The message check_prop records for `fault` of `value` under `info` (not `none`).
[[nodiscard]] std::string fault_message(ValueFault fault, const schema::KeyInfo& info,
                                        std::string_view value);

/// The same verdict for the sub-keys that need one test only (a format, a pattern, "0"/"1",
/// an enum), which are nearly all: small, so that a walk touches few cache lines.
struct ValueCheck {
    enum class Kind : unsigned char {
        matcher, ///< only `matcher` (a format without -list/-opt, or a pattern)
        boolean, ///< only "0" or "1" (the splitter has normalized the words)
        choice,  ///< only `enum_values`
        general, ///< the sub-key's ValueRules
    };
    Kind kind = Kind::general;
    ValueMatcher matcher = nullptr;
    std::span<const std::string_view> enum_values;
};

/// The sub-keys of one property-string schema, compiled: a perfect hash of their names,
/// the required and boolean ones as bit masks, the default key, one check each.
struct PropertyCheck {
    static constexpr std::size_t max_keys = 16;

    unsigned mul_first = 0; ///< the hash: (first * mul_first + last * mul_last + size) & 63
    unsigned mul_last = 0;
    std::uint32_t required = 0;
    std::uint32_t booleans = 0;
    int default_index = -1;
    std::array<signed char, 64> slots{};
    std::array<std::string_view, max_keys> names{};
    std::array<ValueCheck, max_keys> values{};
    std::array<ValueRules, max_keys> rules{};

    /// The position of sub-key `name` in `keys`, or -1.
    [[nodiscard]] int index(std::string_view name) const noexcept;

    /// True when parse_property_string would accept `text` for this schema, decided without
    /// allocating; false sends the caller to the full engine for the exact error.
    [[nodiscard]] bool valid(std::string_view text) const;

  private:
    struct Walk;
    template <class NextSeparators, class Index>
    bool walk(std::string_view text, NextSeparators next, Index index_of) const;
    [[nodiscard]] bool value_ok(std::size_t i, std::string_view value) const;
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

/// The compiled tables once built (nullptr before), and the call that builds them.
extern std::atomic<const KeyCheck*> g_key_checks;
[[nodiscard]] const KeyCheck* build_key_checks() noexcept;

/// The compiled checks of the top-level keys, in schema::detail::find_index's order. Inline:
/// the file reader asks for every line, and a call that tests a function-local static's
/// guard each time cost more than the lookup it serves.
[[nodiscard]] inline const KeyCheck* key_checks() noexcept {
    const KeyCheck* tables = g_key_checks.load(std::memory_order_acquire);
    return tables ? tables : build_key_checks();
}

/// The compiled check of a top-level key (`net7` gives the `net` family), or nullptr when
/// the key is unknown.
[[nodiscard]] inline const KeyCheck* key_check(std::string_view key) noexcept {
    int i = schema::detail::find_index(key);
    return i < 0 ? nullptr : key_checks() + i;
}

} // namespace pct::parse::detail
