// SPDX-License-Identifier: AGPL-3.0-or-later
#include "create_disks.hpp"
#include "pct/internal/keys.hpp"

#include <pct/parse/properties.hpp>
#include <pct/render/properties.hpp>
#include <pct/storage/storage_cfg.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <string>

namespace pct::runtime::detail {

namespace {

bool is_volume_key(std::string_view key) { return key == "rootfs" || pct::detail::is_mp_key(key); }

Result<MountPoint> parse_entry(std::string_view key, std::string_view value) {
    auto mp = key == "rootfs" ? parse::rootfs(value) : parse::mount_point(value);
    if (!mp)
        return std::unexpected(with_key(std::move(mp).error(), key));
    return mp;
}

Result<std::string> render_entry(std::string_view key, const MountPoint& mp) {
    auto text = key == "rootfs" ? render::rootfs(mp) : render::mount_point(mp);
    if (!text)
        return std::unexpected(with_key(std::move(text).error(), key));
    return text;
}

// rootfs first, then mp0..mp255 in numeric order (an OptionMap sorts mp10 before mp2).
std::vector<std::string> volume_keys_in_order(const OptionMap& opts) {
    std::vector<std::pair<int, std::string>> keys;
    for (const auto& [key, value] : opts)
        if (is_volume_key(key))
            keys.emplace_back(key == "rootfs" ? -1 : std::stoi(std::string(key.substr(2))),
                              std::string(key));
    std::sort(keys.begin(), keys.end());
    std::vector<std::string> out;
    for (auto& k : keys)
        out.push_back(std::move(k.second));
    return out;
}

} // namespace

bool is_volume_request(std::string_view volume) { return storage::is_allocation_form(volume); }

Result<void> normalize_volume_requests(OptionMap& opts, const std::string& storage) {
    bool any_mp = false;
    for (auto& [key, value] : opts) {
        if (!is_volume_key(key))
            continue;
        any_mp = any_mp || key != "rootfs";
        auto mp = parse_entry(key, value);
        if (!mp)
            return std::unexpected(std::move(mp).error());
        if (!is_volume_request(fmt::format("x:{}", mp->volume)))
            continue;
        mp->volume = storage + ":" + mp->volume;
        auto text = render_entry(key, *mp);
        if (!text)
            return std::unexpected(std::move(text).error());
        value = *text;
    }
    if (!opts.contains("rootfs")) {
        if (any_mp)
            return fail(Errc::invalid_argument,
                        "mount points configured, but 'rootfs' not set - aborting",
                        {.key = "rootfs"});
        opts["rootfs"] = storage + ":4";
    }
    return {};
}

Result<void> create_disks(storage::Storages& storages, Vmid vmid, OptionMap& opts, Owner root,
                          const CreateStepHook& hook, const std::function<Result<void>()>& record,
                          std::vector<std::string>& allocated) {
    for (const std::string& key : volume_keys_in_order(opts)) {
        auto mp = parse_entry(key, opts[key]);
        if (!mp)
            return std::unexpected(std::move(mp).error());
        if (!is_volume_request(mp->volume))
            continue;
        auto colon = mp->volume.find(':');
        std::string storeid = mp->volume.substr(0, colon);
        double gib = std::stod(mp->volume.substr(colon + 1));
        // Proxmox: int($size * 1024) * 1024, so sizes are whole MiB (`local:0.0001` is 0).
        std::uint64_t size_kib = static_cast<std::uint64_t>(gib * 1024.0) * 1024;
        if (hook)
            if (auto ok = hook(CreateStep::allocate); !ok)
                return ok;
        auto volid = storage::alloc_ct_disk(storages, vmid, storeid, size_kib, root.uid, root.gid);
        if (!volid)
            return std::unexpected(with_key(std::move(volid).error(), key));
        allocated.push_back(*volid);
        mp->volume = *volid;
        mp->size = size_kib * 1024;
        auto text = render_entry(key, *mp);
        if (!text)
            return std::unexpected(std::move(text).error());
        opts[key] = *text;
        if (auto ok = record(); !ok)
            return ok;
    }
    return {};
}

} // namespace pct::runtime::detail
