// SPDX-License-Identifier: AGPL-3.0-or-later
// parse_property_string / check_object / check_prop of PVE::JSONSchema, in the order Proxmox
// runs the checks: type, format, pattern, maxLength, minimum/maximum, enum.
#include "pct/internal/properties.hpp"

#include "pct/internal/compiled_schema.hpp"
#include "pct/internal/formats.hpp"

#include <algorithm>
#include <cstdint>

namespace pct::parse::detail {
namespace {

using schema::KeyInfo;
using schema::Type;

constexpr std::string_view type_name(Type t) noexcept {
    switch (t) {
    case Type::boolean:
        return "boolean";
    case Type::integer:
        return "integer";
    case Type::number:
        return "number";
    case Type::string:
        return "string";
    }
    return "string";
}

bool blank(std::string_view part) noexcept {
    return std::all_of(part.begin(), part.end(),
                       [](char c) { return c == ' ' || (c >= '\t' && c <= '\r'); });
}

// Perl truthiness of a defined string.
bool truthy(std::string_view v) noexcept { return !v.empty() && !(v.size() == 1 && v[0] == '0'); }

} // namespace

std::string_view chomp(std::string_view text) noexcept {
    if (!text.empty() && text.back() == '\n')
        text.remove_suffix(1);
    return text;
}

std::size_t utf8_length(std::string_view text) noexcept {
    std::size_t n = 0;
    for (char c : text)
        n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    return n;
}

const KeyInfo* find_sub_key(std::span<const KeyInfo> keys, std::string_view name) noexcept {
    int i = sub_key_index(keys, name);
    return i < 0 ? nullptr : &keys[static_cast<std::size_t>(i)];
}

const KeyInfo* default_sub_key(std::span<const KeyInfo> keys) noexcept {
    for (const auto& k : keys)
        if (k.default_key)
            return &k;
    return nullptr;
}

std::optional<std::string_view> pair_value(std::span<const PropPair> pairs,
                                           std::string_view key) noexcept {
    for (const auto& p : pairs)
        if (p.key == key)
            return p.value;
    return std::nullopt;
}

std::optional<SplitError> split_property_string(std::span<const KeyInfo> keys,
                                                std::string_view text, std::vector<PropPair>& out) {
    out.clear();
    out.reserve(16); // every schema has at most 15 sub-keys
    bool default_used = false;
    std::size_t start = 0;
    while (start <= text.size()) {
        auto comma = text.find(',', start);
        std::string_view part = text.substr(
            start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
        start = comma == std::string_view::npos ? text.size() + 1 : comma + 1;
        if (blank(part))
            continue;
        auto eq = part.find('=');
        if (eq != std::string_view::npos && eq > 0 && eq + 1 < part.size()) {
            std::string_view k = part.substr(0, eq);
            std::string_view v = part.substr(eq + 1);
            if (pair_value(out, k))
                return SplitError{"duplicate key in comma-separated list property: " +
                                      std::string(k),
                                  std::string(k)};
            const KeyInfo* info = find_sub_key(keys, k);
            if (info && info->type == Type::boolean) {
                if (auto b = parse_boolean(v))
                    v = *b ? std::string_view("1", 1) : std::string_view("0", 1);
            }
            out.push_back({k, v});
        } else if (eq == std::string_view::npos) {
            const KeyInfo* def = default_sub_key(keys);
            if (default_used && def)
                return SplitError{"duplicate key in comma-separated list property: " +
                                      std::string(def->name),
                                  std::string(def->name)};
            if (!def)
                return SplitError{"value without key, but schema does not define a default key",
                                  {}};
            default_used = true;
            auto it = std::find_if(out.begin(), out.end(),
                                   [&](const PropPair& p) { return p.key == def->name; });
            if (it == out.end())
                out.push_back({def->name, part});
            else if (!truthy(it->value))
                it->value = part;
            else
                return SplitError{"duplicate key in comma-separated list property: " +
                                      std::string(def->name),
                                  std::string(def->name)};
        } else {
            return SplitError{"missing key in comma-separated list property", {}};
        }
    }
    return std::nullopt;
}

std::string fault_message(ValueFault fault, const KeyInfo& info, std::string_view value) {
    switch (fault) {
    case ValueFault::none:
        break;
    case ValueFault::type:
        return "type check ('" + std::string(type_name(info.type)) + "') failed - got '" +
               std::string(value) + "'";
    case ValueFault::format:
        return "invalid format - " + check_format(info.format, value).value_or("") + "\n";
    case ValueFault::pattern_unknown:
        return "internal error - no matcher for pattern '" + std::string(info.pattern) + "'";
    case ValueFault::pattern:
        return "value does not match the regex pattern";
    case ValueFault::max_length:
        return "value may only be " + std::to_string(*info.max_length) + " characters long";
    case ValueFault::maximum:
        return "value must have a maximum value of " + perl_number_text(*info.maximum);
    case ValueFault::minimum:
        return "value must have a minimum value of " + perl_number_text(*info.minimum);
    case ValueFault::enumeration: {
        std::string list;
        for (auto e : info.enum_values) {
            if (!list.empty())
                list += ", ";
            list += e;
        }
        return "value '" + std::string(value) + "' does not have a value in the enumeration '" +
               list + "'";
    }
    }
    return {};
}

std::optional<std::string> check_value(const KeyInfo& info, std::string_view value) {
    ValueFault fault = ValueRules::from(info).fault(value);
    if (fault == ValueFault::none)
        return std::nullopt;
    return fault_message(fault, info, value);
}

std::vector<SubError> check_object(std::span<const KeyInfo> keys, std::span<const PropPair> pairs,
                                   bool allow_additional) {
    std::vector<SubError> errors;
    for (const auto& k : keys) {
        auto v = pair_value(pairs, k.name);
        if (!v) {
            if (!k.optional)
                errors.push_back(
                    {std::string(k.name), "property is missing and it is not optional"});
            continue;
        }
        if (auto err = check_value(k, *v))
            errors.push_back({std::string(k.name), std::move(*err)});
    }
    if (!allow_additional) {
        for (const auto& p : pairs)
            if (!find_sub_key(keys, p.key))
                errors.push_back({std::string(p.key),
                                  "property is not defined in schema and the schema does not "
                                  "allow additional properties"});
    }
    // Proxmox prints its error hash in Perl hash order; sorted is the stable choice.
    std::sort(errors.begin(), errors.end(),
              [](const SubError& a, const SubError& b) { return a.key < b.key; });
    return errors;
}

std::string format_error_text(const std::vector<SubError>& errors) {
    std::string out = "format error\n";
    for (const auto& e : errors) {
        out += e.key;
        out += ": ";
        out += e.message;
        out += '\n';
    }
    return std::string(chomp(out));
}

Result<std::vector<PropPair>> parse_property_string(std::span<const KeyInfo> keys,
                                                    std::string_view text) {
    std::vector<PropPair> pairs;
    if (auto err = split_property_string(keys, text, pairs)) {
        return fail(Errc::parse, std::move(err->message), {.subkey = err->subkey});
    }
    auto errors = check_object(keys, pairs, false);
    if (!errors.empty()) {
        return fail(Errc::parse, format_error_text(errors), {.subkey = errors.front().key});
    }
    return pairs;
}

} // namespace pct::parse::detail
