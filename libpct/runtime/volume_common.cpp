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

Result<void> remove_config_lock(const storage::Host& host, Vmid vmid, std::string_view kind) {
    auto locked = lock_config(host, vmid);
    if (!locked)
        return std::unexpected(std::move(locked).error());
    if (locked->doc.config().main.get("lock") != std::optional<std::string_view>(kind))
        return {};
    if (auto ok = set_config_lock(locked->doc, std::nullopt); !ok)
        return ok;
    return locked->commit();
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

namespace {

// The `unusedN` key `volid` has in `section` (`listed` true), else the lowest free one.
struct UnusedSlot {
    std::string key;
    bool listed = false;
};

Result<UnusedSlot> unused_slot(const Section& section, std::string_view volid) {
    std::set<std::string, std::less<>> taken;
    for (const auto& key : volume_keys_in_order(section)) {
        if (!key.starts_with("unused"))
            continue;
        if (auto u = parse::unused(*section.get(key)); u && u->volume == volid)
            return UnusedSlot{key, true}; // already listed: no duplicate
        taken.insert(key);
    }
    auto key = free_unused_key(taken);
    if (!key)
        return std::unexpected(std::move(key).error());
    return UnusedSlot{std::move(*key), false};
}

} // namespace

Result<std::string> unused_key_for(const Section& section, std::string_view volid) {
    auto slot = unused_slot(section, volid);
    if (!slot)
        return std::unexpected(std::move(slot).error());
    return std::move(slot->key);
}

Result<std::string> add_unused(storage::ConfigDocument& doc, std::string_view volid) {
    auto slot = unused_slot(doc.config().main, volid);
    if (!slot)
        return std::unexpected(std::move(slot).error());
    if (!slot->listed)
        if (auto ok = doc.set("", slot->key, volid); !ok)
            return std::unexpected(std::move(ok).error());
    return std::move(slot->key);
}

Result<std::string> add_unused(Section& section, std::string_view volid) {
    auto slot = unused_slot(section, volid);
    if (!slot)
        return std::unexpected(std::move(slot).error());
    if (!slot->listed)
        section.options.insert_or_assign(slot->key, std::string(volid));
    return std::move(slot->key);
}

} // namespace pct::runtime::detail
