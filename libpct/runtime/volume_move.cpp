// SPDX-License-Identifier: AGPL-3.0-or-later
// `pct move-volume` to another storage (storage.md §6.2, pve-container API2/LXC.pm
// move_volume, LXC.pm copy_volume): checks and `lock: disk` under the config lock, the copy
// (detail::copy_volume, shared with full clones) without it, then the entry switched under the lock
// with the digest re-checked and the old volume kept as `unusedN` or freed.
#include "volume_common.hpp"
#include "volume_copy.hpp"
#include "volume_keys.hpp"

#include <pct/internal/command.hpp>
#include <pct/parse/properties.hpp>
#include <pct/runtime/volumes.hpp>
#include <pct/storage/atomic_file.hpp>
#include <pct/storage/storages.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <set>
#include <sys/stat.h>
#include <unistd.h>

namespace pct::runtime {

namespace {

// True when a snapshot section names `volid` in one of its volume keys.
bool used_by_snapshots(const ContainerConfig& config, std::string_view volid) {
    for (const auto& [name, section] : config.snapshots)
        for (const auto& key : detail::volume_keys_in_order(section)) {
            auto value = *section.get(key);
            if (key.starts_with("unused")) {
                if (auto u = parse::unused(value); u && u->volume == volid)
                    return true;
            } else if (auto m = key == "rootfs" ? parse::rootfs(value) : parse::mount_point(value);
                       m && m->volume == volid) {
                return true;
            }
        }
    return false;
}

Result<MoveVolumeReport> move_to_storage(const storage::Host& host, Vmid vmid, std::string_view key,
                                         const std::string& target,
                                         const MoveVolumeOptions& options) {
    // 1. Checks and `lock: disk`, under the config lock.
    auto locked = detail::lock_config(host, vmid, options.digest);
    if (!locked)
        return std::unexpected(std::move(locked).error());
    if (auto ok = check_lock(locked->doc.config(), LockedOp::move_volume); !ok)
        return std::unexpected(std::move(ok).error());
    if (detail::running_pid(host, vmid) > 0)
        return fail(Errc::bad_state, "cannot move volumes of a running container");
    if (key.starts_with("unused"))
        return fail(Errc::invalid_argument,
                    fmt::format("cannot move volume '{}', only configured volumes can be moved "
                                "to another storage",
                                key),
                    {.key = std::string(key)});
    auto mp = detail::mount_entry(
        locked->doc.config(), key,
        fmt::format("volume '{}' for container '{}' does not exist", key, vmid.value));
    if (!mp)
        return std::unexpected(std::move(mp).error());
    const std::string old_volid = mp->volume;
    if (options.delete_source && used_by_snapshots(locked->doc.config(), old_volid))
        return fail(Errc::bad_state,
                    "you can't move a volume with snapshots and delete the source");
    if (mp->kind() != VolumeKind::volume)
        return fail(Errc::invalid_argument,
                    fmt::format("unable to parse volume ID '{}'", old_volid),
                    {.key = std::string(key)});
    auto owner = detail::root_owner(locked->doc.config());
    if (!owner)
        return std::unexpected(std::move(owner).error());
    bool is_template =
        locked->doc.config().main.get("template") == std::optional<std::string_view>("1");
    if (auto ok = detail::set_config_lock(locked->doc, "disk"); !ok)
        return std::unexpected(std::move(ok).error());
    if (auto ok = locked->commit(); !ok)
        return std::unexpected(std::move(ok).error());
    const std::string digest_with_lock = locked->doc.base_digest();
    locked->lock.release();

    // 2. The copy, without the config lock (`lock: disk` keeps other operations away).
    auto storages = storage::Storages::load(host);
    std::string new_volid;
    auto copy = [&]() -> Result<void> {
        if (!storages)
            return std::unexpected(storages.error());
        auto made = detail::copy_volume(host, *storages,
                                        {.volid = old_volid,
                                         .snap = std::nullopt,
                                         .vmid = vmid,
                                         .target_storage = target,
                                         .root = *owner,
                                         .bwlimit_kib = options.bwlimit_kib,
                                         .progress = options.progress});
        if (!made)
            return std::unexpected(std::move(made).error());
        new_volid = *made;
        if (is_template) {
            auto base = storages->create_base(new_volid);
            if (!base)
                return std::unexpected(std::move(base).error());
            new_volid = *base;
        }
        return {};
    };
    auto undo = [&](Error e) -> Result<MoveVolumeReport> {
        if (!new_volid.empty() && storages)
            (void)storages->free(new_volid);
        (void)detail::remove_config_lock(host, vmid, "disk");
        return std::unexpected(std::move(e));
    };
    if (auto ok = copy(); !ok)
        return undo(std::move(ok).error());

    // 3. The entry switched under the lock, the digest of what step 1 wrote re-checked.
    MoveVolumeReport report;
    report.new_volume = new_volid;
    auto relocked = detail::lock_config(host, vmid, digest_with_lock);
    if (!relocked)
        return undo(std::move(relocked).error());
    mp->volume = new_volid;
    auto switched = [&]() -> Result<void> {
        if (auto ok = detail::set_mount_entry(relocked->doc, key, *mp); !ok)
            return ok;
        if (!options.delete_source) {
            auto unused = detail::add_unused(relocked->doc, old_volid);
            if (!unused)
                return std::unexpected(std::move(unused).error());
            report.unused_key = *unused;
        }
        if (auto ok = detail::set_config_lock(relocked->doc, std::nullopt); !ok)
            return ok;
        return relocked->commit();
    };
    if (auto ok = switched(); !ok) {
        relocked->lock.release();
        return undo(std::move(ok).error());
    }
    relocked->lock.release();

    // 4. With --delete the old volume goes; if it cannot, it stays as unusedN.
    if (options.delete_source) {
        if (auto freed = storages->free(old_volid); !freed) {
            report.warnings.push_back(
                fmt::format("failed to free '{}': {}", old_volid, freed.error().message));
            auto again = detail::lock_config(host, vmid);
            if (again) {
                if (auto unused = detail::add_unused(again->doc, old_volid)) {
                    report.unused_key = *unused;
                    (void)again->commit();
                }
            }
        }
    }
    return report;
}

// Moves the volume of `key` of `vmid` to container `target` (storage.md §6.2, "to another CT").
// Proxmox renames the image on its storage; the backend interface has no rename, so the image
// is copied to a new image of the target on the same storage (sparse; a reflink on btrfs) and
// the source freed once both configs name the result. Both configs are locked throughout.
Result<MoveVolumeReport> move_to_container(const storage::Host& host, Vmid vmid,
                                           std::string_view key, Vmid target,
                                           const MoveVolumeOptions& options) {
    const std::string target_key(options.target_volume.value_or(std::string(key)));
    if (key == "rootfs" || target_key == "rootfs")
        return fail(Errc::invalid_argument, "Cannot move to/from 'rootfs'", {.key = "volume"});
    bool from_unused = key.starts_with("unused");
    if (from_unused && !target_key.starts_with("unused"))
        return fail(Errc::invalid_argument, "Moving an unused volume to a used one is not possible",
                    {.key = "target-volume"});
    if (!host.exists(target))
        return fail(Errc::not_found, fmt::format("could not find CT {}", target.value),
                    {.key = "target-vmid"});
    if (target == vmid)
        return fail(Errc::invalid_argument,
                    "Moving a volume to the same container is not possible. Did you mean to move "
                    "the volume to a different storage?",
                    {.key = "target-vmid"});
    if (!(target_key.starts_with("unused")
              ? detail::volume_key_index(target_key, "unused", detail::max_unused) >= 0
              : detail::is_mount_key(target_key)))
        return fail(Errc::invalid_argument,
                    fmt::format("value '{}' does not have a value in the enumeration 'mp0, ..., "
                                "mp255, unused0, ..., unused255'",
                                target_key),
                    {.key = "target-volume"});
    // Two config locks, always taken in CTID order, so that two opposite moves cannot wait
    // for each other.
    std::optional<detail::LockedConfig> source, dest;
    for (Vmid id : {std::min(vmid, target), std::max(vmid, target)}) {
        auto locked =
            detail::lock_config(host, id, id == vmid ? options.digest : options.target_digest);
        if (!locked)
            return std::unexpected(std::move(locked).error());
        (id == vmid ? source : dest).emplace(std::move(*locked));
    }
    for (auto* c : {&source->doc, &dest->doc}) {
        if (auto ok = check_lock(c->config(), LockedOp::move_volume); !ok)
            return std::unexpected(std::move(ok).error());
        if (c->config().main.get("template") == std::optional<std::string_view>("1"))
            return fail(Errc::bad_state, "Can't move volumes from or to template CT");
    }
    auto value = source->doc.config().main.get(key);
    if (!value || !(detail::is_mount_key(key) || from_unused))
        return fail(Errc::not_found,
                    fmt::format("volume '{}' for container '{}' does not exist", key, vmid.value),
                    {.key = "volume"});
    if (dest->doc.config().main.get(target_key))
        return fail(Errc::already_exists,
                    fmt::format("Target volume key '{}' is already in use for container '{}'",
                                target_key, target.value),
                    {.key = "target-volume"});
    std::optional<MountPoint> mp;
    std::string old_volid;
    if (from_unused) {
        auto u = parse::unused(*value);
        if (!u)
            return std::unexpected(std::move(u).error());
        old_volid = u->volume;
    } else {
        auto parsed = parse::mount_point(*value);
        if (!parsed)
            return std::unexpected(std::move(parsed).error());
        mp = std::move(*parsed);
        old_volid = mp->volume;
    }
    if (used_by_snapshots(source->doc.config(), old_volid))
        return fail(Errc::bad_state, "Cannot move volume used by a snapshot to another container");
    auto storages = storage::Storages::load(host);
    if (!storages)
        return std::unexpected(std::move(storages).error());
    if (!storages->has_feature(storage::Feature::rename, old_volid))
        return fail(Errc::unsupported,
                    "Storage does not support moving of this disk to another container");
    if (!from_unused && detail::running_pid(host, vmid) > 0)
        return fail(Errc::bad_state, "Cannot move in-use volume while the source CT is running - "
                                     "detach or shutdown first");

    auto ref = storages->parse_volume(old_volid);
    if (!ref)
        return std::unexpected(std::move(ref).error());
    auto size = storages->size(old_volid);
    if (!size)
        return std::unexpected(std::move(size).error());
    auto from = storages->path(old_volid);
    if (!from)
        return std::unexpected(std::move(from).error());
    auto made = storages->alloc(ref->storage, target, ref->format, (size->size + 1023) / 1024);
    if (!made)
        return std::unexpected(std::move(made).error());
    const std::string new_volid = *made;
    auto written = [&]() -> Result<void> {
        auto to = storages->path(new_volid);
        if (!to)
            return std::unexpected(std::move(to).error());
        ProgressMeter meter(options.progress, "copy", size->size);
        if (auto ok = internal::run_command(
                {"cp", "--sparse=always", "--reflink=auto", "--", *from, *to});
            !ok)
            return std::unexpected(std::move(ok).error());
        meter.set(size->size);
        meter.finish();
        if (auto ok = source->doc.remove("", key); !ok)
            return ok;
        if (mp) {
            mp->volume = new_volid;
            if (auto ok = detail::set_mount_entry(dest->doc, target_key, *mp); !ok)
                return ok;
        } else if (auto ok = dest->doc.set("", target_key, new_volid); !ok) {
            return ok;
        }
        if (auto ok = source->commit(); !ok)
            return ok;
        return dest->commit();
    }();
    if (!written) {
        (void)storages->free(new_volid);
        return std::unexpected(std::move(written).error());
    }
    MoveVolumeReport report;
    report.new_volume = new_volid;
    if (auto freed = storages->free(old_volid); !freed)
        report.warnings.push_back(
            fmt::format("failed to free '{}': {}", old_volid, freed.error().message));
    return report;
}
} // namespace

Result<MoveVolumeReport> move_volume(const storage::Host& host, Vmid vmid,
                                     std::string_view volume_key,
                                     const MoveVolumeOptions& options) {
    if (options.storage && options.target_vmid)
        return fail(Errc::invalid_argument, "either set 'storage' or 'target-vmid', but not both",
                    {.key = "storage"});
    if (!options.storage && !options.target_vmid)
        return fail(Errc::invalid_argument,
                    "both 'storage' and 'target-vmid' missing, either needs to be set",
                    {.key = "storage"});
    if (options.target_vmid)
        return move_to_container(host, vmid, volume_key, *options.target_vmid, options);
    return move_to_storage(host, vmid, volume_key, *options.storage, options);
}

} // namespace pct::runtime
