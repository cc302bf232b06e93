// SPDX-License-Identifier: AGPL-3.0-or-later
// PVE::LXC::Config::check_type: what the file parser verifies and normalizes per line.
#include <pct/parse/properties.hpp>

#include "../model/bytes_impl.hpp"
#include "compiled_schema_impl.hpp"
#include "formats_impl.hpp"
#include "properties_impl.hpp"

#include <charconv>
#include <cstdint>

namespace pct::parse {
namespace {

std::unexpected<Error> type_error(std::string_view key, std::string message,
                                  std::string subkey = {}) {
    Error e;
    e.code = Errc::parse;
    e.message = std::move(message);
    e.key = std::string(key);
    e.subkey = std::move(subkey);
    return std::unexpected(std::move(e));
}

// int($digits): exact while it fits 64 bits, else Perl's floating-point text. Canonical
// digits (no leading zero, too short to overflow) are returned as they are.
std::string_view normalize_integer(std::string_view digits, std::string& scratch) {
    if ((digits[0] != '0' || digits.size() == 1) && digits.size() <= 19)
        return digits;
    std::uint64_t n = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
    if (ec == std::errc{} && end == digits.data() + digits.size())
        scratch = std::to_string(n);
    else
        scratch = detail::perl_number_text(detail::number_value(digits));
    return scratch;
}

} // namespace

namespace detail {

Result<std::string_view> check_type_view(std::string_view key, std::string_view value,
                                         std::string& scratch, bool line_breaks_possible) {
    using namespace std::string_view_literals;
    const KeyCheck* check = key_check(key);
    if (!check)
        return type_error(key, "unknown setting '" + std::string(key) + "'");
    if (line_breaks_possible && pct::detail::has_either_byte(value, '\n', '\r'))
        return type_error(key, "property contains a line feed");

    switch (check->kind) {
    case TopCheck::boolean: {
        // Only "1"/"0" literally; the words in any case.
        auto b = parse_boolean(value);
        if (!b)
            return type_error(key, "type check ('boolean') failed - got '" + std::string(value) +
                                       "'");
        return *b ? "1"sv : "0"sv;
    }
    case TopCheck::integer:
        if (!is_digits(value))
            return type_error(key, "type check ('integer') failed - got '" + std::string(value) +
                                       "'");
        return normalize_integer(value, scratch);
    case TopCheck::number: {
        // ^(\d+)(\.\d+)?$, kept verbatim.
        auto dot = value.find('.');
        bool ok = dot == std::string_view::npos
                      ? is_digits(value)
                      : is_digits(value.substr(0, dot)) && is_digits(value.substr(dot + 1));
        if (!ok)
            return type_error(key, "type check ('number') failed - got '" + std::string(value) +
                                       "'");
        return value;
    }
    case TopCheck::format:
        // Named formats (startup included) die with their own message.
        if (check->matcher ? !check->matcher(value)
                           : !check->format_known || !format_valid(check->format, value)) {
            if (auto err = check_format(check->info->format, value))
                return type_error(key, std::move(*err));
        }
        return value;
    case TopCheck::property:
        if (!check->property->valid(value)) {
            // The full engine only runs to build the exact message.
            auto pairs = parse_property_string(check->info->sub_keys, value);
            if (!pairs)
                return type_error(key, std::move(pairs.error().message),
                                  std::move(pairs.error().subkey));
        }
        return value;
    case TopCheck::plain: break;
    }
    return value;
}

} // namespace detail

Result<std::string> check_type(std::string_view key, std::string_view value) {
    std::string scratch;
    auto stored = detail::check_type_view(key, value, scratch);
    if (!stored)
        return std::unexpected(std::move(stored).error());
    return std::string(*stored);
}

} // namespace pct::parse
