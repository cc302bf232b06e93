// SPDX-License-Identifier: AGPL-3.0-or-later
// PVE::LXC::Config::check_type: what the file parser verifies and normalizes per line.
#include <pct/parse/properties.hpp>

#include "formats_impl.hpp"
#include "properties_impl.hpp"

#include <pct/model/schema.hpp>

#include <charconv>

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

// int($digits): exact while it fits 64 bits, else Perl's floating-point text.
std::string normalize_integer(std::string_view digits) {
    std::uint64_t n = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
    if (ec == std::errc{} && end == digits.data() + digits.size())
        return std::to_string(n);
    return detail::perl_number_text(detail::number_value(digits));
}

} // namespace

Result<std::string> check_type(std::string_view key, std::string_view value) {
    const schema::KeyInfo* info = schema::find(key);
    if (!info)
        return type_error(key, "unknown setting '" + std::string(key) + "'");
    if (value.find_first_of("\n\r") != std::string_view::npos)
        return type_error(key, "property contains a line feed");

    switch (info->type) {
    case schema::Type::boolean: {
        // Only "1"/"0" literally; the words in any case.
        auto b = detail::parse_boolean(value);
        if (!b)
            return type_error(key, "type check ('boolean') failed - got '" + std::string(value) +
                                       "'");
        return std::string(*b ? "1" : "0");
    }
    case schema::Type::integer:
        if (!detail::is_digits(value))
            return type_error(key, "type check ('integer') failed - got '" + std::string(value) +
                                       "'");
        return normalize_integer(value);
    case schema::Type::number: {
        // ^(\d+)(\.\d+)?$, kept verbatim.
        auto dot = value.find('.');
        bool ok = dot == std::string_view::npos
                      ? detail::is_digits(value)
                      : detail::is_digits(value.substr(0, dot)) &&
                            detail::is_digits(value.substr(dot + 1));
        if (!ok)
            return type_error(key, "type check ('number') failed - got '" + std::string(value) +
                                       "'");
        return std::string(value);
    }
    case schema::Type::string: break;
    }

    if (!info->format.empty()) {
        // Named formats (startup included) die with their own message.
        if (auto err = detail::check_format(info->format, value))
            return type_error(key, std::move(*err));
        return std::string(value);
    }
    if (!info->sub_keys.empty()) {
        auto pairs = detail::parse_property_string(info->sub_keys, value);
        if (!pairs)
            return type_error(key, std::move(pairs.error().message),
                              std::move(pairs.error().subkey));
    }
    return std::string(value);
}

} // namespace pct::parse
