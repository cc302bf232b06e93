// SPDX-License-Identifier: AGPL-3.0-or-later
// Private: Proxmox's named formats, patterns and scalar type tests as hand-written matchers
// (no std::regex: the file parser runs them for every line).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pct::parse::detail {

/// `^[+-]?\d+$` (JSONSchema is_integer).
[[nodiscard]] bool is_integer(std::string_view v) noexcept;
/// `^[+-]?(\d+\.\d+|\d+\.|\.\d+|\d+)([eE][+-]?\d+)?$` (JSONSchema is_number).
[[nodiscard]] bool is_number(std::string_view v) noexcept;
/// `^\d+$`.
[[nodiscard]] bool is_digits(std::string_view v) noexcept;
/// Perl's numeric value of a string that is_number accepts.
[[nodiscard]] double number_value(std::string_view v) noexcept;
/// Perl's text for a number (`%.15g`, integers that fit 64 bits exactly).
[[nodiscard]] std::string perl_number_text(double v);

/// `1|on|yes|true` -> true, `0|off|no|false` -> false (case-insensitive), else nullopt.
[[nodiscard]] std::optional<bool> parse_boolean(std::string_view v) noexcept;

[[nodiscard]] bool is_ipv4(std::string_view v) noexcept;
[[nodiscard]] bool is_ipv6(std::string_view v) noexcept;
[[nodiscard]] bool is_dns_name(std::string_view v) noexcept;
[[nodiscard]] bool is_iface(std::string_view v) noexcept;
[[nodiscard]] bool is_volume_id(std::string_view v) noexcept;
[[nodiscard]] bool is_mac_addr(std::string_view v) noexcept;
[[nodiscard]] bool is_timezone(std::string_view v);
/// `^(\d+(\.\d+)?)([KMGT](iB)?)?$`.
[[nodiscard]] bool is_disk_size(std::string_view v) noexcept;

/// Why a size could not be converted.
enum class SizeError { syntax, range };
/// parse_size in 64-bit bytes: exact for integers, Perl's double arithmetic for fractions.
[[nodiscard]] std::optional<std::uint64_t> parse_size(std::string_view v, SizeError* why) noexcept;

/// split_list: NUL-separated if the text has a NUL, else `,`/`;`/blank separated.
[[nodiscard]] std::vector<std::string_view> split_list(std::string_view text);

/// Runs named format `format` (with `-list` handling) on `value`: nullopt when valid, else
/// the text Proxmox dies with, without its trailing newline.
[[nodiscard]] std::optional<std::string> check_format(std::string_view format,
                                                      std::string_view value);

/// check_format's verdict alone, without building a message (the reader's path).
[[nodiscard]] bool format_valid(std::string_view format, std::string_view value);

/// A named format resolved once (its matcher and its `-list`/`-opt` suffix), for checks
/// compiled from the schema: format_valid then dispatches on a number, not on the name.
struct FormatRef {
    unsigned char base = 0; ///< the matcher (private numbering of formats.cpp)
    unsigned char kind = 0; ///< 0 single, 1 `-list`, 2 `-opt`
};

/// The format `format` names, or nullopt when this library does not implement it.
[[nodiscard]] std::optional<FormatRef> resolve_format(std::string_view format) noexcept;

/// format_valid for a resolved format.
[[nodiscard]] bool format_valid(FormatRef format, std::string_view value);

/// A check of one value: a format's or a pattern's matcher.
using ValueMatcher = bool (*)(std::string_view);

/// The matcher of a resolved format without `-list`/`-opt`, or nullptr.
[[nodiscard]] ValueMatcher format_matcher(FormatRef format) noexcept;

/// The hand-written matcher of a schema pattern (anchored), or nullptr for a pattern
/// without one.
using PatternMatcher = bool (*)(std::string_view) noexcept;
[[nodiscard]] PatternMatcher pattern_matcher(std::string_view pattern) noexcept;

/// Anchored match of a schema pattern. `known` is false for a pattern without a matcher.
[[nodiscard]] bool match_pattern(std::string_view pattern, std::string_view value,
                                 bool* known = nullptr) noexcept;

/// pve_parse_startup_order: nullopt when Proxmox would refuse the text.
struct StartupParts {
    std::optional<std::string_view> order, up, down;
};
[[nodiscard]] std::optional<StartupParts> parse_startup_order(std::string_view v) noexcept;

} // namespace pct::parse::detail
