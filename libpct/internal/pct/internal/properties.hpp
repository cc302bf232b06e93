// SPDX-License-Identifier: AGPL-3.0-or-later
// Private: Proxmox's property-string engine (parse_property_string, check_object, check_prop)
// shared by check_type, the typed parsers, the printers (render/) and validation.
#pragma once

#include "pct/internal/bytes.hpp"

#include <pct/error.hpp>
#include <pct/model/schema.hpp>

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace pct::parse::detail {

/// One `key=value` of a property string (views into the text, or into static "1"/"0").
struct PropPair {
    std::string_view key;
    std::string_view value;
};

/// One entry of Proxmox's error hash: the sub-key and its message exactly as Perl stores it
/// (format failures keep the trailing newline of the inner `die`).
struct SubError {
    std::string key;
    std::string message;
};

/// A failure of the splitting stage (`die` inside parse_property_string).
struct SplitError {
    std::string message; ///< without the trailing newline
    std::string subkey;  ///< the duplicate key, when there is one
};

/// The position of sub-key `name` in `keys`, or -1 (lengths compared before bytes).
[[nodiscard]] inline int sub_key_index(std::span<const schema::KeyInfo> keys,
                                       std::string_view name) noexcept {
    for (std::size_t j = 0; j < keys.size(); ++j) {
        std::string_view k = keys[j].name;
        if (k.size() == name.size() && pct::detail::same_bytes(k, name))
            return static_cast<int>(j);
    }
    return -1;
}

/// The sub-key `name` of a property-string schema, or nullptr.
[[nodiscard]] const schema::KeyInfo* find_sub_key(std::span<const schema::KeyInfo> keys,
                                                  std::string_view name) noexcept;

/// The default key of a schema, or nullptr.
[[nodiscard]] const schema::KeyInfo*
default_sub_key(std::span<const schema::KeyInfo> keys) noexcept;

/// Splits `text` into pairs with parse_property_string's rules (booleans become "1"/"0").
[[nodiscard]] std::optional<SplitError> split_property_string(std::span<const schema::KeyInfo> keys,
                                                              std::string_view text,
                                                              std::vector<PropPair>& out);

/// check_prop for one defined scalar value: nullopt, or the message Proxmox records. The
/// verdict is `ValueRules::fault` (compiled_schema_impl.hpp), the walker the file reader
/// uses too; the message is built only for a fault.
[[nodiscard]] std::optional<std::string> check_value(const schema::KeyInfo& info,
                                                     std::string_view value);

/// check_object: every error, sorted by sub-key.
[[nodiscard]] std::vector<SubError> check_object(std::span<const schema::KeyInfo> keys,
                                                 std::span<const PropPair> pairs,
                                                 bool allow_additional);

/// check_type without building its result: the stored form of `value` as a view of `value`,
/// of a static "1"/"0", or of `scratch` (integers that need normalizing). The file reader
/// builds the option's string from it in place. `line_breaks_possible = false` is the
/// caller's proof that `value` holds no LF or CR (the reader searched the whole file once).
[[nodiscard]] Result<std::string_view> check_type_view(std::string_view key, std::string_view value,
                                                       std::string& scratch,
                                                       bool line_breaks_possible = true);

/// The text of Proxmox's "format error" exception for `errors`, without the final newline.
[[nodiscard]] std::string format_error_text(const std::vector<SubError>& errors);

/// `text` without one trailing newline.
[[nodiscard]] std::string_view chomp(std::string_view text) noexcept;

/// Parses and checks a property string: the pairs, or an Errc::parse error naming the
/// first failing sub-key (`key` is left empty for the caller to fill).
[[nodiscard]] Result<std::vector<PropPair>>
parse_property_string(std::span<const schema::KeyInfo> keys, std::string_view text);

/// The value of `key` among `pairs`, or nullopt.
[[nodiscard]] std::optional<std::string_view> pair_value(std::span<const PropPair> pairs,
                                                         std::string_view key) noexcept;

/// Number of UTF-8 characters (Perl's length() of a decoded string).
[[nodiscard]] std::size_t utf8_length(std::string_view text) noexcept;

} // namespace pct::parse::detail
