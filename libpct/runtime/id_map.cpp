// SPDX-License-Identifier: AGPL-3.0-or-later
#include "id_map.hpp"

#include <fmt/format.h>

#include <charconv>

namespace pct::runtime::detail {

namespace {

constexpr std::uint64_t default_host_start = 100000;
constexpr std::uint64_t default_count = 65536;

// Proxmox's /^([ug])\s+(\d+)\s+(\d+)\s+(\d+)\s*$/.
std::optional<IdMapEntry> parse_entry(std::string_view text) {
    auto is_space = [](char c) { return c == ' ' || c == '\t'; };
    if (text.empty() || (text[0] != 'u' && text[0] != 'g'))
        return std::nullopt;
    IdMapEntry e;
    e.kind = text[0];
    text.remove_prefix(1);
    for (std::uint64_t* field : {&e.ct, &e.host, &e.count}) {
        std::size_t blanks = 0;
        while (blanks < text.size() && is_space(text[blanks]))
            ++blanks;
        if (blanks == 0)
            return std::nullopt;
        text.remove_prefix(blanks);
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *field);
        if (ec != std::errc() || end == text.data())
            return std::nullopt;
        text.remove_prefix(static_cast<std::size_t>(end - text.data()));
    }
    for (char c : text)
        if (!is_space(c))
            return std::nullopt;
    return e;
}

} // namespace

Result<IdMap> container_id_map(const Section& main, bool unprivileged) {
    IdMap map;
    std::optional<std::uint64_t> root_uid, root_gid;
    for (const auto& entry : main.lxc) {
        if (entry.key != "lxc.idmap")
            continue;
        auto parsed = parse_entry(entry.value);
        if (!parsed)
            return fail(Errc::invalid_argument,
                        fmt::format("failed to parse idmap: {}", entry.value),
                        {.key = "lxc.idmap"});
        // The host id of container id 0, wherever a range covers it.
        if (parsed->ct == 0 && parsed->count > 0)
            (parsed->kind == 'u' ? root_uid : root_gid) = parsed->host;
        map.entries.push_back(*parsed);
    }
    if (map.entries.empty()) {
        if (!unprivileged)
            return map;
        map.entries = {{'u', 0, default_host_start, default_count},
                       {'g', 0, default_host_start, default_count}};
        root_uid = root_gid = default_host_start;
    }
    if (!root_uid || !root_gid || *root_uid > UINT32_MAX || *root_gid > UINT32_MAX)
        return fail(Errc::invalid_argument,
                    "the lxc.idmap entries must map container uid 0 and gid 0",
                    {.key = "lxc.idmap"});
    map.root = {static_cast<std::uint32_t>(*root_uid), static_cast<std::uint32_t>(*root_gid)};
    return map;
}

std::vector<std::string> userns_command(const IdMap& map) {
    if (map.empty())
        return {};
    std::vector<std::string> args = {"lxc-usernsexec"};
    for (const auto& e : map.entries) {
        args.emplace_back("-m");
        args.push_back(fmt::format("{}:{}:{}:{}", e.kind, e.ct, e.host, e.count));
    }
    args.emplace_back("--");
    return args;
}

} // namespace pct::runtime::detail
