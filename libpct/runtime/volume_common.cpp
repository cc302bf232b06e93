// SPDX-License-Identifier: AGPL-3.0-or-later
#include "volume_common.hpp"

#include "volume_keys.hpp"

#include <pct/parse/properties.hpp>
#include <pct/render/properties.hpp>
#include <pct/runtime/container.hpp>

#include <fmt/format.h>

#include <set>

namespace pct::runtime::detail {

Result<LockedConfig> lock_config(const storage::Host& host, Vmid vmid,
                                 const std::optional<std::string>& digest) {
    auto lock = host.lock(vmid);
    if (!lock)
        return std::unexpected(std::move(lock).error());
    auto doc = storage::ConfigDocument::load(host, vmid);
    if (!doc)
        return std::unexpected(std::move(doc).error());
    if (digest && doc->base_digest() != *digest)
        return std::unexpected(storage::digest_mismatch(doc->path()));
    return LockedConfig{std::move(*lock), std::move(*doc)};
}

Result<MountPoint> mount_entry(const ContainerConfig& config, std::string_view key,
                               std::string_view missing_message) {
    if (!is_mount_key(key))
        return fail(Errc::invalid_argument,
                    fmt::format("value '{}' does not have a value in the enumeration 'rootfs, "
                                "mp0, ..., mp255'",
                                key),
                    {.key = "disk"});
    auto value = config.main.get(key);
    if (!value)
        return fail(Errc::not_found, std::string(missing_message), {.key = std::string(key)});
    auto mp = key == "rootfs" ? parse::rootfs(*value) : parse::mount_point(*value);
    if (!mp)
        return std::unexpected(std::move(mp).error());
    return mp;
}

Result<void> set_mount_entry(storage::ConfigDocument& doc, std::string_view key,
                             const MountPoint& mp) {
    auto text = key == "rootfs" ? render::rootfs(mp) : render::mount_point(mp);
    if (!text)
        return std::unexpected(std::move(text).error());
    return doc.set("", key, *text);
}

Result<void> set_config_lock(storage::ConfigDocument& doc, std::optional<std::string_view> value) {
    if (value)
        return doc.set("", "lock", *value);
    if (!doc.config().main.get("lock"))
        return {};
    return doc.remove("", "lock");
}

int running_pid(const storage::Host& host, Vmid vmid) {
    auto ct = Container::open(host, vmid);
    return ct ? ct->init_pid() : 0;
}

Result<Owner> root_owner(const ContainerConfig& config) {
    bool unprivileged = config.main.get("unprivileged") == std::optional<std::string_view>("1");
    auto map = container_id_map(config.main, unprivileged);
    if (!map)
        return std::unexpected(std::move(map).error());
    return map->root;
}

Result<std::string> unused_key_for(const Section& main, std::string_view volid) {
    std::set<std::string, std::less<>> taken;
    for (const auto& key : volume_keys_in_order(main)) {
        if (!key.starts_with("unused"))
            continue;
        if (auto u = parse::unused(*main.get(key)); u && u->volume == volid)
            return key; // already listed: no duplicate
        taken.insert(key);
    }
    return free_unused_key(taken);
}

Result<std::string> add_unused(storage::ConfigDocument& doc, std::string_view volid) {
    auto key = unused_key_for(doc.config().main, volid);
    if (!key)
        return key;
    if (auto ok = doc.set("", *key, volid); !ok)
        return std::unexpected(std::move(ok).error());
    return key;
}

Result<std::string> add_unused(Section& main, std::string_view volid) {
    auto key = unused_key_for(main, volid);
    if (key)
        main.options[*key] = std::string(volid);
    return key;
}

} // namespace pct::runtime::detail
