// SPDX-License-Identifier: AGPL-3.0-or-later
// The pending `delete` list: read from the lines the reader keeps, edited as one `delete`
// value in Proxmox's printed form (sorted, `,`-joined) through set()/remove().
#include "edit_impl.hpp"

#include <pct/edit.hpp>
#include <pct/model/split_list.hpp>
#include <pct/parse/config.hpp>

#include <map>

namespace pct::edit {

namespace {

const Target delete_target{"pve:pending", "delete"};

// Key -> forced; a key listed twice keeps its last flag.
std::map<std::string, bool, std::less<>> entries_of(std::string_view text) {
    std::map<std::string, bool, std::less<>> entries;
    for (std::string& e : pending_deletes(text)) {
        bool forced = e.front() == '!';
        entries[forced ? e.substr(1) : std::move(e)] = forced;
    }
    return entries;
}

// Writes a non-empty list back, its entries checked as any `delete` value an editor sets.
Result<std::string> store(std::string_view text,
                          const std::map<std::string, bool, std::less<>>& entries) {
    std::string value;
    for (const auto& [key, forced] : entries) {
        if (!value.empty())
            value += ',';
        if (forced)
            value += '!';
        value += key;
    }
    auto checked = checked_value("pve:pending", "delete", value);
    if (!checked)
        return std::unexpected(std::move(checked).error());
    return set(text, delete_target, *checked);
}

} // namespace

std::vector<std::string> pending_deletes(std::string_view text) {
    // The reader's rules: the last `[pve:pending]` header restarts the section, the last
    // `delete` line in it wins.
    std::string_view value;
    bool pending = false;
    while (!text.empty()) {
        std::size_t nl = text.find('\n');
        parse::ConfigLine info = parse::classify_line(text.substr(0, nl));
        if (info.kind == parse::LineKind::pending_header) {
            pending = true;
            value = {};
        } else if (info.kind == parse::LineKind::snapshot_header) {
            pending = false;
        } else if (pending && info.kind == parse::LineKind::delete_key) {
            value = info.value;
        }
        text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    }
    return split_list(value);
}

Result<std::string> pending_delete_add(std::string_view text, std::string_view key, bool force) {
    if (!detail::is_option_key(key))
        return fail(Errc::invalid_argument, "invalid key '" + std::string(key) + "'",
                    {.key = "delete"});
    auto entries = entries_of(text);
    entries.insert_or_assign(std::string(key), force);
    return store(text, entries);
}

Result<std::string> pending_delete_remove(std::string_view text, std::string_view key) {
    auto entries = entries_of(text);
    auto it = entries.find(key);
    if (it == entries.end())
        return fail(Errc::not_found, "'" + std::string(key) + "' is not pending deletion",
                    {.key = "delete"});
    entries.erase(it);
    if (entries.empty())
        return remove(text, delete_target);
    return store(text, entries);
}

} // namespace pct::edit
