// SPDX-License-Identifier: AGPL-3.0-or-later
// PVE::LXC::Config::check_type: what the file parser verifies and normalizes per line.
#include <pct/parse/properties.hpp>

#include "pct/internal/bytes.hpp"
#include "pct/internal/compiled_schema.hpp"
#include "pct/internal/formats.hpp"
#include "pct/internal/properties.hpp"

#include <charconv>
#include <cstdint>
#include <optional>

namespace pct::parse {
namespace {

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

// check_type's verdict on a value of a known key: its stored form, or nullopt when it is
// refused. The hot path: no message is built here.
std::optional<std::string_view> stored_form(const detail::KeyCheck& check, std::string_view value,
                                            std::string& scratch) {
    using namespace std::string_view_literals;
    using detail::TopCheck;
    switch (check.kind) {
    case TopCheck::boolean:
        // Only "1"/"0" literally; the words in any case.
        if (value.size() == 1 && (value[0] == '1' || value[0] == '0'))
            return value;
        if (auto b = detail::parse_boolean(value))
            return *b ? "1"sv : "0"sv;
        return std::nullopt;
    case TopCheck::integer:
        if (!detail::is_digits(value))
            return std::nullopt;
        return normalize_integer(value, scratch);
    case TopCheck::number: {
        // ^(\d+)(\.\d+)?$, kept verbatim.
        auto dot = value.find('.');
        bool ok = dot == std::string_view::npos ? detail::is_digits(value)
                                                : detail::is_digits(value.substr(0, dot)) &&
                                                      detail::is_digits(value.substr(dot + 1));
        return ok ? std::optional(value) : std::nullopt;
    }
    case TopCheck::format:
        if (check.matcher ? check.matcher(value)
                          : check.format_known && detail::format_valid(check.format, value))
            return value;
        return std::nullopt;
    case TopCheck::property:
        return check.property->valid(value) ? std::optional(value) : std::nullopt;
    case TopCheck::plain:
        break;
    }
    return value;
}

// The error for a value stored_form refused (or for an unknown key), with Proxmox's exact
// message; the value after all when the message-building check finds nothing to say.
[[gnu::cold, gnu::noinline]] Result<std::string_view> refused(const detail::KeyCheck* check,
                                                              std::string_view key,
                                                              std::string_view value,
                                                              bool line_breaks_possible) {
    using detail::TopCheck;
    if (!check)
        return fail(Errc::parse, "unknown setting '" + std::string(key) + "'", {.key = key});
    if (line_breaks_possible && pct::detail::has_either_byte(value, '\n', '\r'))
        return fail(Errc::parse, "property contains a line feed", {.key = key});
    switch (check->kind) {
    case TopCheck::boolean:
        return fail(Errc::parse, "type check ('boolean') failed - got '" + std::string(value) + "'",
                    {.key = key});
    case TopCheck::integer:
        return fail(Errc::parse, "type check ('integer') failed - got '" + std::string(value) + "'",
                    {.key = key});
    case TopCheck::number:
        return fail(Errc::parse, "type check ('number') failed - got '" + std::string(value) + "'",
                    {.key = key});
    case TopCheck::format:
        // Named formats (startup included) die with their own message.
        if (auto err = detail::check_format(check->info->format, value))
            return fail(Errc::parse, std::move(*err), {.key = key});
        return value;
    case TopCheck::property: {
        // The full engine only runs to build the exact message.
        auto pairs = detail::parse_property_string(check->info->sub_keys, value);
        if (!pairs)
            return fail(Errc::parse, std::move(pairs.error().message),
                        {.key = key, .subkey = pairs.error().subkey});
        return value;
    }
    case TopCheck::plain:
        break;
    }
    return value;
}

} // namespace

namespace detail {

Result<std::string_view> check_type_view(std::string_view key, std::string_view value,
                                         std::string& scratch, bool line_breaks_possible) {
    const KeyCheck* check = key_check(key);
    if (check && !(line_breaks_possible && pct::detail::has_either_byte(value, '\n', '\r'))) {
        if (auto stored = stored_form(*check, value, scratch))
            return *stored;
    }
    return refused(check, key, value, line_breaks_possible);
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
