// SPDX-License-Identifier: AGPL-3.0-or-later
// `pct pending`: PVE::GuestHelpers::config_with_pending_array and format_pending.
#include "pending_rules.hpp"

#include <pct/render/config.hpp>

#include <algorithm>
#include <map>

namespace pct::runtime {

std::vector<PendingEntry> pending_entries(const ContainerConfig& config) {
    std::map<std::string, PendingEntry, std::less<>> items;
    auto item = [&](const std::string& key) -> PendingEntry& {
        PendingEntry& e = items[key];
        e.key = key;
        return e;
    };
    for (const auto& [key, value] : config.main.options)
        if (key != "digest")
            item(key).value = value;
    if (!config.main.description.empty())
        item("description").value = config.main.description;
    for (const auto& [key, value] : config.pending.options)
        if (key != "delete")
            item(key).pending = value;
    if (!config.pending.description.empty())
        item("description").pending = config.pending.description;
    for (const auto& [key, force] : detail::pending_deletes_of(config.pending))
        item(key).delete_mark = force ? 2 : 1;
    std::vector<PendingEntry> out;
    out.reserve(items.size());
    for (auto& [key, e] : items)
        out.push_back(std::move(e));
    return out;
}

std::string format_pending(const std::vector<PendingEntry>& entries) {
    std::string out;
    auto line = [&](std::string_view tag, const std::string& key, const std::string& value) {
        bool text = key == "description";
        out.append(tag).append(" ").append(key).append(": ");
        out += text ? render::encode_text(value) : value;
        out += '\n';
    };
    for (const PendingEntry& e : entries) {
        if (e.value) {
            if (e.delete_mark != 0) {
                line("del", e.key, *e.value);
            } else {
                line("cur", e.key, *e.value);
                if (e.pending)
                    line("new", e.key, *e.pending);
            }
        } else if (e.pending) {
            line("new", e.key, *e.pending);
        }
    }
    return out;
}

} // namespace pct::runtime
