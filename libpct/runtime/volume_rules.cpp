// SPDX-License-Identifier: AGPL-3.0-or-later
// The pure rules of the volume operations (storage.md §6, §7.8): size arguments, the df table,
// what rescan changes, which volumes destroy frees. No I/O, so unit tests cover them whole.
#include "volume_rules.hpp"

#include "volume_keys.hpp"

#include <pct/parse/properties.hpp>
#include <pct/runtime/volumes.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <set>

namespace pct::runtime::detail {

namespace {

Error size_pattern_error(std::string_view text) {
    return error(Errc::invalid_argument,
                 fmt::format("value '{}' does not match the regex pattern", text), {.key = "size"});
}

bool all_digits(std::string_view s) {
    return !s.empty() && std::ranges::all_of(
                             s, [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

} // namespace

Result<SizeRequest> parse_size_request(std::string_view text) {
    std::string_view rest = text;
    SizeRequest out;
    if (rest.starts_with('+')) {
        out.relative = true;
        rest.remove_prefix(1);
    }
    double unit = 1;
    if (!rest.empty()) {
        switch (rest.back()) {
        case 'K':
            unit = 1024.0;
            break;
        case 'M':
            unit = 1024.0 * 1024;
            break;
        case 'G':
            unit = 1024.0 * 1024 * 1024;
            break;
        case 'T':
            unit = 1024.0 * 1024 * 1024 * 1024;
            break;
        default:
            break;
        }
        if (unit != 1)
            rest.remove_suffix(1);
    }
    // \d+(\.\d+)?
    auto dot = rest.find('.');
    std::string_view whole = rest.substr(0, dot);
    if (!all_digits(whole) || (dot != std::string_view::npos && !all_digits(rest.substr(dot + 1))))
        return std::unexpected(size_pattern_error(text));
    double number = 0;
    auto [ptr, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), number);
    if (ec != std::errc() || ptr != rest.data() + rest.size())
        return std::unexpected(size_pattern_error(text));
    out.bytes = number * unit;
    return out;
}

Result<std::uint64_t> resize_target(const SizeRequest& request, std::uint64_t current) {
    double wanted = request.relative ? static_cast<double>(current) + request.bytes : request.bytes;
    // Perl's int() truncates; a size past what a volume can hold is refused like any other.
    if (wanted >= 18446744073709551615.0)
        return fail(Errc::invalid_argument, "invalid size string", {.key = "size"});
    auto target = static_cast<std::uint64_t>(wanted);
    if (target < current)
        return fail(Errc::invalid_argument, "unable to shrink disk size", {.key = "size"});
    if (target == current)
        return fail(Errc::invalid_argument, "disk is already at specified size", {.key = "size"});
    return target;
}

Result<std::vector<RescanChange>> plan_rescan(const ContainerConfig& config, Vmid vmid,
                                              const std::vector<ListedVolume>& listed,
                                              const VolumePathFn& path_of) {
    const Section& main = config.main;
    // Volumes the config already names, by id and by real path (aliases of one file).
    std::set<std::string, std::less<>> used_ids;
    std::set<std::string, std::less<>> used_paths;
    std::set<std::string, std::less<>> unused_keys;
    auto note = [&](const std::string& volid) {
        used_ids.insert(volid);
        if (auto p = path_of(volid); !p.empty())
            used_paths.insert(std::move(p));
    };
    std::vector<std::pair<std::string, MountPoint>> mounts;
    for (const auto& key : volume_keys_in_order(main)) {
        auto value = main.get(key);
        if (key.starts_with("unused")) {
            unused_keys.insert(key);
            if (auto u = parse::unused(*value))
                note(u->volume);
            continue;
        }
        auto mp = key == "rootfs" ? parse::rootfs(*value) : parse::mount_point(*value);
        if (!mp)
            continue; // Proxmox's parse skips what it cannot read; rescan never rewrites it
        note(mp->volume);
        mounts.emplace_back(key, std::move(*mp));
    }

    std::vector<RescanChange> changes;
    for (const auto& v : listed) {
        if (v.owner != vmid || used_ids.contains(v.volid) ||
            (!v.path.empty() && used_paths.contains(v.path)))
            continue;
        auto key = free_unused_key(unused_keys);
        if (!key)
            return std::unexpected(std::move(key).error());
        unused_keys.insert(*key);
        used_ids.insert(v.volid);
        if (!v.path.empty())
            used_paths.insert(v.path);
        changes.push_back({.kind = RescanChange::Kind::add_unused,
                           .key = *key,
                           .volid = v.volid,
                           .message = fmt::format("CT {}: add unreferenced volume '{}' as '{}' to "
                                                  "config.",
                                                  vmid.value, v.volid, *key)});
    }
    for (const auto& [key, mp] : mounts) {
        auto hit = std::ranges::find_if(
            listed, [&](const ListedVolume& v) { return v.owner == vmid && v.volid == mp.volume; });
        if (hit == listed.end() || mp.size == hit->size)
            continue;
        changes.push_back({.kind = RescanChange::Kind::update_size,
                           .key = key,
                           .volid = mp.volume,
                           .size = hit->size,
                           .message = fmt::format("CT {}: updated volume size of '{}' in config.",
                                                  vmid.value, mp.volume)});
    }
    return changes;
}

DestroyPlan plan_destroy_volumes(const ContainerConfig& config, Vmid vmid,
                                 const VolumeOwnerFn& owner_of) {
    DestroyPlan plan;
    std::set<std::string, std::less<>> seen;
    auto consider = [&](const std::string& volid) {
        if (!seen.insert(volid).second)
            return;
        auto owner = owner_of(volid);
        if (!owner)
            return;
        if (*owner == vmid)
            plan.free.push_back(volid);
        else
            plan.warnings.push_back(
                fmt::format("ignore deletion of '{}', CT {} isn't the owner!", volid, vmid.value));
    };
    for (const Section* section : {&config.main, &config.pending}) {
        for (const auto& key : volume_keys_in_order(*section)) {
            auto value = *section->get(key);
            if (key.starts_with("unused")) {
                if (auto u = parse::unused(value))
                    consider(u->volume);
                continue;
            }
            auto mp = key == "rootfs" ? parse::rootfs(value) : parse::mount_point(value);
            // Bind sources and host devices belong to the host, never to the container.
            if (mp && mp->kind() == VolumeKind::volume)
                consider(mp->volume);
        }
    }
    return plan;
}

} // namespace pct::runtime::detail

namespace pct::runtime {

std::string df_size(std::uint64_t bytes) {
    // Proxmox's df helper works in floating point: bare bytes below 1 KiB, else %.1f + unit.
    if (bytes < 1024)
        return std::to_string(bytes);
    double size = static_cast<double>(bytes);
    for (char unit : {'K', 'M', 'G', 'T'}) {
        size /= 1024.0;
        if (size < 1024.0)
            return fmt::format("{:.1f}{}", size, unit);
    }
    return {};
}

std::string format_df(const std::vector<DfRow>& rows) {
    using Cells = std::array<std::string, 7>;
    std::vector<Cells> table{{"MP", "Volume", "Size", "Used", "Avail", "Use%", "Path"}};
    for (const auto& r : rows) {
        double fraction = r.total ? static_cast<double>(r.used) / static_cast<double>(r.total) : 0;
        table.push_back({r.key, r.volume, df_size(r.total), df_size(r.used), df_size(r.avail),
                         fmt::format("{:.1f}", fraction), r.path});
    }
    std::array<std::size_t, 6> width{};
    for (const auto& cells : table)
        for (std::size_t i = 0; i < width.size(); ++i)
            width[i] = std::max(width[i], cells[i].size());
    std::string out;
    for (const auto& c : table)
        out += fmt::format("{:<{}} {:<{}} {:>{}} {:>{}} {:>{}} {:>{}} {}\n", c[0], width[0], c[1],
                           width[1], c[2], width[2], c[3], width[3], c[4], width[4], c[5], width[5],
                           c[6]);
    return out;
}

} // namespace pct::runtime
