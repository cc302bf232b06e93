// SPDX-License-Identifier: AGPL-3.0-or-later
// Private helpers of the config reader: Perl's ASCII character classes, hand-written so that
// no regex engine sits on the hot path.
#pragma once

#include <pct/parse/config.hpp>

#include <cstddef>
#include <string_view>

namespace pct::parse::detail {

/// classify_line, allowed to read `readable` >= line.size() bytes from line.data() (the
/// reader passes what is left of the file), which lets it scan with vector loads.
[[nodiscard]] ConfigLine classify_line_in(std::string_view line, std::size_t readable) noexcept;

/// Perl's `\s` on byte strings: space, \t, \n, \v, \f, \r.
constexpr bool is_space(char c) noexcept { return c == ' ' || (c >= '\t' && c <= '\r'); }
constexpr bool is_lower(char c) noexcept { return c >= 'a' && c <= 'z'; }
constexpr bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
constexpr bool is_alpha(char c) noexcept { return is_lower(c) || (c >= 'A' && c <= 'Z'); }

constexpr bool all_space(std::string_view s) noexcept {
    for (char c : s)
        if (!is_space(c))
            return false;
    return true;
}

constexpr std::string_view trim_left(std::string_view s) noexcept {
    std::size_t i = 0;
    while (i < s.size() && is_space(s[i]))
        ++i;
    return s.substr(i);
}

constexpr std::string_view trim_right(std::string_view s) noexcept {
    std::size_t n = s.size();
    while (n > 0 && is_space(s[n - 1]))
        --n;
    return s.substr(0, n);
}

constexpr std::string_view trim(std::string_view s) noexcept { return trim_right(trim_left(s)); }

/// `\s*(.*\S)\s*$` applied to `rest`: the trimmed text, empty when there is no `\S`.
constexpr std::string_view capture_nonblank(std::string_view rest) noexcept { return trim(rest); }

/// `\s*(.+?)\s*$` applied to `rest`: the trimmed text; when `rest` is only white space, the
/// regex backtracks and captures its last character (`key: ` gives " "); empty = no match.
constexpr std::string_view capture_lazy(std::string_view rest) noexcept {
    std::string_view t = trim(rest);
    if (!t.empty() || rest.empty())
        return t;
    return rest.substr(rest.size() - 1);
}

} // namespace pct::parse::detail
