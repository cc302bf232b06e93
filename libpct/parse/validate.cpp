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

Error problem(std::string_view key, std::string_view message, std::string_view subkey = {}) {
    Error e;
    e.code = Errc::invalid_argument;
    e.message = std::string(message);
    e.key = std::string(key);
    e.subkey = std::string(subkey);
    return e;
}

// Checks that only pve-container's update code adds on top of the schema.
void check_property_extras(std::string_view family, std::span<const parse::detail::PropPair> pairs,
                           std::string_view key, std::vector<Error>& out) {
    using parse::detail::pair_value;
    if (family == "dev" && !pair_value(pairs, "path"))
        out.push_back(problem(key, "Path has to be defined", "path"));
    if (family == "net" && pair_value(pairs, "host-managed") == "1" &&
        pair_value(pairs, "link_down") != "1" && pair_value(pairs, "ip6") == "auto")
        out.push_back(problem(key, "SLAAC is not supported with host-managed", "ip6"));
}

void check_key(std::string_view key, std::string_view value, bool api, std::vector<Error>& out) {
    const schema::KeyInfo* info = schema::find(key);
    if (!info || (api && !info->api_settable)) {
        out.push_back(problem(key, k_not_in_schema));
        return;
    }
    if (key != "description" && value.find_first_of("\n\r") != std::string_view::npos) {
        out.push_back(problem(key, "property contains a line feed"));
        return;
    }
    if (info->type == schema::Type::boolean) {
        // The API and CLI take Proxmox's boolean words.
        auto b = parse::detail::parse_boolean(value);
        if (!b)
            out.push_back(
                problem(key, "type check ('boolean') failed - got '" + std::string(value) + "'"));
        return;
    }
    if (!info->sub_keys.empty() && info->format.empty()) {
        std::vector<parse::detail::PropPair> pairs;
        if (auto err = parse::detail::split_property_string(info->sub_keys, value, pairs)) {
            out.push_back(problem(key, err->message, err->subkey));
            return;
        }
        for (const auto& e : parse::detail::check_object(info->sub_keys, pairs, false))
            out.push_back(problem(key, parse::detail::chomp(e.message), e.key));
        check_property_extras(info->name, pairs, key, out);
        return;
    }
    if (auto err = parse::detail::check_value(*info, value))
        out.push_back(problem(key, parse::detail::chomp(*err)));
}

void check_lxc(const LxcEntry& entry, std::vector<Error>& out) {
    auto c = parse::check_lxc_key(entry.key);
    if (c.verdict == parse::LxcKeyVerdict::rejected)
        out.push_back(problem(entry.key, c.message));
    else if (c.verdict == parse::LxcKeyVerdict::invalid)
        out.push_back(
            problem(entry.key, "unable to parse config: " + entry.key + ": " + entry.value));
}

void check_section(std::string_view name, const Section& section, bool is_snapshot,
                   std::vector<Error>& out) {
    std::size_t first = out.size();
    for (const auto& [key, value] : section.options) {
        if (key == "delete") {
            if (name != "pve:pending") {
                out.push_back(problem(key, "property 'delete' is only allowed in [pve:pending]"));
                continue;
            }
            // Entries as parse_pending_delete reads them: [,;] separated, '!' = force.
            for (auto entry : parse::detail::split_list(value)) {
                if (entry.starts_with('!'))
                    entry.remove_prefix(1);
                if (!schema::find(entry))
                    out.push_back(problem(key, "unknown setting '" + std::string(entry) + "'"));
            }
            continue;
        }
        if (key == "snapstate") {
            if (!is_snapshot)
                out.push_back(problem(key, "property 'snapstate' is only allowed in snapshots"));
            else if (value != "prepare" && value != "delete")
                out.push_back(problem(key, "value '" + value +
                                               "' does not have a value in the enumeration "
                                               "'prepare, delete'"));
            continue;
        }
        if (!schema::find(key)) {
            out.push_back(problem(key, "unknown setting '" + key + "'"));
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
        return std::unexpected(problem({}, "value must have a minimum value of 100"));
    if (id > 999999999)
        return std::unexpected(problem({}, "value must have a maximum value of 999999999"));
    return Vmid{static_cast<std::uint32_t>(id)};
}

} // namespace pct::validate
