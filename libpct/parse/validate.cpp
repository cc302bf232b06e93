// SPDX-License-Identifier: AGPL-3.0-or-later
// API-level validation (what `pct set` enforces): the whole schema entry is checked (type,
// format, pattern, maxLength, range, enum) and every problem is reported, one Error each.
#include <pct/validate.hpp>

#include "pct/internal/formats.hpp"
#include "pct/internal/properties.hpp"

#include <pct/model/schema.hpp>
#include <pct/parse/lxc_keys.hpp>

namespace pct::validate {
namespace {

constexpr std::string_view k_not_in_schema =
    "property is not defined in schema and the schema does not allow additional properties";

// Checks that only pve-container's update code adds on top of the schema.
void check_property_extras(std::string_view family, std::span<const parse::detail::PropPair> pairs,
                           std::string_view key, std::vector<Error>& out) {
    using parse::detail::pair_value;
    if (family == "dev" && !pair_value(pairs, "path"))
        out.push_back(error(Errc::invalid_argument, "Path has to be defined",
                            {.key = key, .subkey = "path"}));
    if (family == "net" && pair_value(pairs, "host-managed") == "1" &&
        pair_value(pairs, "link_down") != "1" && pair_value(pairs, "ip6") == "auto")
        out.push_back(error(Errc::invalid_argument, "SLAAC is not supported with host-managed",
                            {.key = key, .subkey = "ip6"}));
}

void check_key(std::string_view key, std::string_view value, bool api, std::vector<Error>& out) {
    const schema::KeyInfo* info = schema::find(key);
    if (!info || (api && !info->api_settable)) {
        out.push_back(error(Errc::invalid_argument, std::string(k_not_in_schema), {.key = key}));
        return;
    }
    if (key != "description" && value.find_first_of("\n\r") != std::string_view::npos) {
        out.push_back(error(Errc::invalid_argument, "property contains a line feed", {.key = key}));
        return;
    }
    if (info->type == schema::Type::boolean) {
        // The API and CLI take Proxmox's boolean words.
        auto b = parse::detail::parse_boolean(value);
        if (!b)
            out.push_back(error(Errc::invalid_argument,
                                "type check ('boolean') failed - got '" + std::string(value) + "'",
                                {.key = key}));
        return;
    }
    if (!info->sub_keys.empty() && info->format.empty()) {
        std::vector<parse::detail::PropPair> pairs;
        if (auto err = parse::detail::split_property_string(info->sub_keys, value, pairs)) {
            out.push_back(
                error(Errc::invalid_argument, err->message, {.key = key, .subkey = err->subkey}));
            return;
        }
        for (const auto& e : parse::detail::check_object(info->sub_keys, pairs, false))
            out.push_back(error(Errc::invalid_argument,
                                std::string(parse::detail::chomp(e.message)),
                                {.key = key, .subkey = e.key}));
        check_property_extras(info->name, pairs, key, out);
        return;
    }
    if (auto err = parse::detail::check_value(*info, value))
        out.push_back(
            error(Errc::invalid_argument, std::string(parse::detail::chomp(*err)), {.key = key}));
}

void check_lxc(const LxcEntry& entry, std::vector<Error>& out) {
    auto c = parse::check_lxc_key(entry.key);
    if (c.verdict == parse::LxcKeyVerdict::rejected)
        out.push_back(error(Errc::invalid_argument, c.message, {.key = entry.key}));
    else if (c.verdict == parse::LxcKeyVerdict::invalid)
        out.push_back(error(Errc::invalid_argument,
                            "unable to parse config: " + entry.key + ": " + entry.value,
                            {.key = entry.key}));
}

void check_section(std::string_view name, const Section& section, bool is_snapshot,
                   std::vector<Error>& out) {
    std::size_t first = out.size();
    for (const auto& [key, value] : section.options) {
        if (key == "delete") {
            if (name != "pve:pending") {
                out.push_back(error(Errc::invalid_argument,
                                    "property 'delete' is only allowed in [pve:pending]",
                                    {.key = key}));
                continue;
            }
            // Entries as parse_pending_delete reads them: [,;] separated, '!' = force.
            for (auto entry : parse::detail::split_list(value)) {
                if (entry.starts_with('!'))
                    entry.remove_prefix(1);
                if (!schema::find(entry))
                    out.push_back(error(Errc::invalid_argument,
                                        "unknown setting '" + std::string(entry) + "'",
                                        {.key = key}));
            }
            continue;
        }
        if (key == "snapstate") {
            if (!is_snapshot)
                out.push_back(error(Errc::invalid_argument,
                                    "property 'snapstate' is only allowed in snapshots",
                                    {.key = key}));
            else if (value != "prepare" && value != "delete")
                out.push_back(error(Errc::invalid_argument,
                                    "value '" + value +
                                        "' does not have a value in the enumeration "
                                        "'prepare, delete'",
                                    {.key = key}));
            continue;
        }
        if (!schema::find(key)) {
            out.push_back(
                error(Errc::invalid_argument, "unknown setting '" + key + "'", {.key = key}));
            continue;
        }
        check_key(key, value, false, out);
    }
    if (!section.description.empty())
        check_key("description", section.description, false, out);
    for (const auto& entry : section.lxc)
        check_lxc(entry, out);
    for (std::size_t i = first; i < out.size(); ++i)
        out[i].context = std::string(name);
}

} // namespace

std::vector<Error> value(std::string_view key, std::string_view value) {
    std::vector<Error> out;
    if (key.starts_with("lxc."))
        check_lxc(LxcEntry{std::string(key), std::string(value)}, out);
    else
        check_key(key, value, true, out);
    return out;
}

std::vector<Error> config(const ContainerConfig& config) {
    std::vector<Error> out;
    check_section("", config.main, false, out);
    check_section("pve:pending", config.pending, false, out);
    for (const auto& [name, snapshot] : config.snapshots)
        check_section(name, snapshot, true, out);
    return out;
}

Result<Vmid> vmid(std::uint64_t id) {
    if (id < 100)
        return fail(Errc::invalid_argument, "value must have a minimum value of 100");
    if (id > 999999999)
        return fail(Errc::invalid_argument, "value must have a maximum value of 999999999");
    return Vmid{static_cast<std::uint32_t>(id)};
}

} // namespace pct::validate
