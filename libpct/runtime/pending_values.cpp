// SPDX-License-Identifier: AGPL-3.0-or-later
// Values as the pending engine compares and stores them: Proxmox's API normalization on set
// and the equivalence that decides whether a pending value changes anything.
#include "pct/internal/keys.hpp"
#include "pending_rules.hpp"

#include <pct/edit.hpp>
#include <pct/model/schema.hpp>
#include <pct/model/split_list.hpp>
#include <pct/parse/properties.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <set>
#include <unistd.h>

namespace pct::runtime {

namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// PVE::GuestHelpers::get_unique_tags with the default tag style: lower-cased, de-duplicated,
// sorted, joined with `;`.
std::string unique_tags(std::string_view text) {
    std::set<std::string> tags;
    for (const std::string& t : split_list(text))
        tags.insert(lower(t));
    return fmt::format("{}", fmt::join(tags, ";"));
}

std::string single_blanks(std::string_view text) {
    return fmt::format("{}", fmt::join(split_list(text), " "));
}

bool cgroup_v2() { return ::access("/sys/fs/cgroup/cgroup.controllers", F_OK) == 0; }

std::string_view trim_newlines(std::string_view s) {
    while (!s.empty() && s.back() == '\n')
        s.remove_suffix(1);
    return s;
}

template <class Parse> bool same_parsed(Parse parse, std::string_view a, std::string_view b) {
    auto x = parse(a);
    auto y = parse(b);
    return x && y && *x == *y;
}

bool same_net(std::string_view a, std::string_view b) {
    auto x = parse::net(a);
    auto y = parse::net(b);
    if (!x || !y)
        return false;
    for (auto* n : {&*x, &*y})
        if (n->hwaddr)
            for (char& c : *n->hwaddr)
                c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return *x == *y;
}

} // namespace

bool equivalent_values(std::string_view key, std::string_view a, std::string_view b) {
    if (a == b)
        return true;
    if (key == "description")
        return trim_newlines(a) == trim_newlines(b);
    if (key == "tags")
        return unique_tags(a) == unique_tags(b);
    if (key == "nameserver" || key == "searchdomain")
        return split_list(a) == split_list(b);
    if (pct::detail::is_net_key(key))
        return same_net(a, b);
    if (key == "rootfs")
        return same_parsed(parse::rootfs, a, b);
    if (pct::detail::is_mp_key(key))
        return same_parsed(parse::mount_point, a, b);
    if (key.starts_with("unused"))
        return same_parsed(parse::unused, a, b);
    if (key.starts_with("dev"))
        return same_parsed(parse::device, a, b);
    if (key == "features")
        return same_parsed(parse::features, a, b);
    if (key == "startup")
        return same_parsed(parse::startup, a, b);
    auto x = parse::check_type(key, a);
    auto y = parse::check_type(key, b);
    if (!x || !y)
        return false;
    if (*x == *y)
        return true;
    const schema::KeyInfo* info = schema::find(key);
    if (info && (info->type == schema::Type::number || info->type == schema::Type::integer)) {
        double p = Number{*x}.value();
        double q = Number{*y}.value();
        return !std::isnan(p) && p == q;
    }
    return false;
}

} // namespace pct::runtime

namespace pct::runtime::detail {

PendingDeletes pending_deletes_of(const Section& pending) {
    PendingDeletes out;
    for (std::string key : split_list(pending.get("delete").value_or(""))) {
        bool force = key.starts_with('!');
        if (force)
            key.erase(0, 1);
        if (!key.empty())
            out[key] = out[key] || force;
    }
    return out;
}

void store_pending_deletes(Section& pending, const PendingDeletes& deletes) {
    if (deletes.empty()) {
        pending.options.erase("delete");
        return;
    }
    std::string text;
    for (const auto& [key, force] : deletes) {
        if (!text.empty())
            text += ',';
        text += (force ? "!" : "") + key;
    }
    pending.options["delete"] = text;
}

std::optional<std::string> section_value(const Section& section, std::string_view key) {
    if (key == "description") {
        if (section.description.empty())
            return std::nullopt;
        return section.description;
    }
    if (auto v = section.get(key))
        return std::string(*v);
    return std::nullopt;
}

Result<std::string> normalized_set_value(std::string_view key, std::string_view value) {
    auto checked = edit::checked_value("", key, value);
    if (!checked)
        return checked;
    if (key == "tags")
        return unique_tags(*checked);
    if (key == "nameserver" || key == "searchdomain")
        return single_blanks(*checked);
    if (key == "cpuunits" && cgroup_v2()) {
        // PVE::CGroup::clamp_cpu_shares: cgroup v2's cpu.weight stops at 10000.
        if (Number{*checked}.value() >= 10000)
            return std::string("10000");
    }
    return checked;
}

} // namespace pct::runtime::detail
