// SPDX-License-Identifier: AGPL-3.0-or-later
#include <pct/storage/storage_cfg.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace pct::storage {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r'; }

std::string_view trim(std::string_view s) {
    while (!s.empty() && is_space(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && is_space(s.back()))
        s.remove_suffix(1);
    return s;
}

// Proxmox's storage id format (`pve-storage-id`).
bool valid_storage_id(std::string_view id) {
    if (id.size() < 2)
        return false;
    auto lower = [](char c) { return c >= 'a' && c <= 'z'; };
    auto digit = [](char c) { return c >= '0' && c <= '9'; };
    if (!lower(id.front()) || !(lower(id.back()) || digit(id.back())))
        return false;
    return std::all_of(id.begin(), id.end(), [&](char c) {
        return lower(c) || digit(c) || c == '-' || c == '_' || c == '.';
    });
}

} // namespace

std::string StorageEntry::path() const {
    auto it = options.find("path");
    return it == options.end() ? std::string() : it->second;
}

bool StorageEntry::disabled() const {
    auto it = options.find("disable");
    return it != options.end() && it->second != "0";
}

Result<std::vector<StorageEntry>> parse_storage_cfg(std::string_view text,
                                                    const std::string& file) {
    std::vector<StorageEntry> entries;
    std::set<std::string, std::less<>> seen;
    bool in_entry = false;
    int line_no = 0;
    while (!text.empty()) {
        auto nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
        ++line_no;
        if (trim(line).empty()) {
            in_entry = false;
            continue;
        }
        if (trim(line).front() == '#')
            continue;
        if (is_space(line.front())) {
            if (!in_entry)
                return fail(
                    Errc::parse,
                    fmt::format("property line outside of a storage entry: '{}'", trim(line)),
                    {.context = file, .line = line_no});
            std::string_view body = trim(line);
            auto sp = std::find_if(body.begin(), body.end(), is_space);
            std::string key(body.begin(), sp);
            std::string value(trim(std::string_view(sp, body.end())));
            if (value.empty())
                value.push_back('1'); // not `= "1"`: GCC 12's -Wrestrict false positive (PR105651)
            if (entries.back().options.contains(key))
                return fail(Errc::parse,
                            fmt::format("duplicate property '{}' in storage '{}'", key,
                                        entries.back().name),
                            {.context = file, .line = line_no, .key = key});
            entries.back().options.emplace(std::move(key), std::move(value));
            continue;
        }
        auto colon = line.find(':');
        if (colon == std::string_view::npos)
            return fail(Errc::parse, fmt::format("unable to parse section header '{}'", trim(line)),
                        {.context = file, .line = line_no});
        std::string type(trim(line.substr(0, colon)));
        std::string name(trim(line.substr(colon + 1)));
        if (type.empty() || !valid_storage_id(name))
            return fail(Errc::parse, fmt::format("unable to parse section header '{}'", trim(line)),
                        {.context = file, .line = line_no, .key = name});
        if (seen.contains(name))
            return fail(Errc::parse, fmt::format("duplicate storage id '{}'", name),
                        {.context = file, .line = line_no, .key = name});
        seen.insert(name);
        entries.push_back(StorageEntry{std::move(type), std::move(name), {}, line_no});
        in_entry = true;
    }
    auto local = std::find_if(entries.begin(), entries.end(),
                              [](const StorageEntry& e) { return e.name == "local"; });
    if (local == entries.end() || local->type != "dir" ||
        (!local->path().empty() && local->path() != "/var/lib/vz")) {
        StorageEntry implied{
            "dir",
            "local",
            {{"path", "/var/lib/vz"}, {"content", "backup,images,iso,rootdir,snippets,vztmpl"}},
            0};
        if (local != entries.end())
            *local = std::move(implied);
        else
            entries.push_back(std::move(implied));
    }
    return entries;
}

Result<VolumeId> parse_volume_id(std::string_view volume) {
    auto colon = volume.find(':');
    if (colon != std::string_view::npos && colon + 1 < volume.size() &&
        valid_storage_id(volume.substr(0, colon)))
        return VolumeId{std::string(volume.substr(0, colon)),
                        std::string(volume.substr(colon + 1))};
    if (!volume.empty() && volume.front() == '/')
        return VolumeId{"", std::string(volume)};
    return fail(Errc::invalid_argument, fmt::format("unable to parse volume ID '{}'", volume));
}

} // namespace pct::storage
