// SPDX-License-Identifier: AGPL-3.0-or-later
// `pct clone` (storage.md §7.6, §7.7; pve-container API2/LXC.pm clone_vm):
//  1. under the source's config lock: the checks, the new config computed, `lock: disk` set;
//  2. under the new CTID's config lock: its config created with `lock: create` (no volumes);
//  3. without any config lock: each volume copied (detail::copy_volume, as move-volume) or
//     linked (`Storages::clone`), its entry written into the new config under its lock;
//  4. under the new CTID's lock: mounted, the post-clone setup (machine-id), unmounted;
//  5. the source's `disk` lock removed on every way out; on failure the new volumes freed and
//     the new config removed ("clone failed: ERR"), else its `create` lock removed.
#include "ct_setup.hpp"
#include "mount.hpp"
#include "pct/internal/keys.hpp"
#include "random_mac.hpp"
#include "raw_image.hpp"
#include "volume_common.hpp"
#include "volume_copy.hpp"
#include "volume_keys.hpp"

#include <pct/parse/properties.hpp>
#include <pct/render/config.hpp>
#include <pct/render/properties.hpp>
#include <pct/runtime/clone.hpp>
#include <pct/storage/storages.hpp>
#include <pct/validate.hpp>

#include <fmt/format.h>

#include <unistd.h>

namespace pct::runtime {

namespace {

// What step 1 decides: the new config without volumes, and the volumes to clone.
struct ClonePlan {
    ContainerConfig config;                              ///< with `lock: create`
    std::vector<std::pair<std::string, MountPoint>> mps; ///< rootfs/mpN in key order
    bool full = true;
    bool running = false;
};

std::string volume_type(const MountPoint& mp) {
    return mp.kind() == VolumeKind::bind ? "bind" : "device";
}

// Proxmox's loop over the source's keys (sorted, as `sort keys`): unusedN skipped, volumes
// checked and set aside, netN with a new MAC, everything else copied.
Result<ClonePlan> plan_clone(const storage::Host& host, storage::Storages& storages, Vmid vmid,
                             const ContainerConfig& source, const CloneOptions& options) {
    ClonePlan plan;
    plan.running = detail::running_pid(host, vmid) > 0;
    bool is_template = source.main.get("template") == std::optional<std::string_view>("1");
    plan.full = options.full.value_or(!is_template);
    if (options.storage && !plan.full)
        return fail(Errc::invalid_argument, "parameter 'storage' not allowed for linked clones",
                    {.key = "storage"});
    if (options.snapname && !source.snapshots.contains(*options.snapname))
        return fail(Errc::not_found, fmt::format("snapshot '{}' does not exist", *options.snapname),
                    {.key = "snapname"});
    if (options.storage)
        if (auto backend = storages.backend(*options.storage); !backend)
            return std::unexpected(std::move(backend).error());
    if (options.hostname && !options.hostname->empty())
        if (auto problems = validate::value("hostname", *options.hostname); !problems.empty())
            return std::unexpected(std::move(problems.front()));
    const Section& from =
        options.snapname ? source.snapshots.find(*options.snapname)->second : source.main;
    std::optional<std::string_view> snap;
    if (options.snapname)
        snap = *options.snapname;

    Section& to = plan.config.main;
    for (const auto& [key, value] : from.options) {
        if (key.starts_with("unused"))
            continue;
        if (detail::is_mount_key(key)) {
            auto mp = key == "rootfs" ? parse::rootfs(value) : parse::mount_point(value);
            if (!mp)
                return std::unexpected(with_key(std::move(mp).error(), key));
            if (mp->kind() != VolumeKind::volume)
                return fail(
                    Errc::unsupported,
                    fmt::format("unable to clone mountpoint '{}' (type {})", key, volume_type(*mp)),
                    {.key = key});
            if (auto ref = storages.parse_volume(mp->volume); !ref)
                return std::unexpected(with_key(std::move(ref).error(), key));
            if (plan.full) {
                if (plan.running && !options.snapname)
                    return fail(Errc::bad_state,
                                "Full clone of a running container is only possible from a "
                                "snapshot");
            } else if (!storages.has_feature(storage::Feature::clone, mp->volume, snap)) {
                return fail(
                    Errc::unsupported,
                    fmt::format("Linked clone feature for '{}' is not available", mp->volume),
                    {.key = key});
            }
            plan.mps.emplace_back(key, std::move(*mp));
        } else if (pct::detail::is_net_key(key)) {
            auto net = parse::net(value);
            if (!net)
                return std::unexpected(with_key(std::move(net).error(), key));
            net->hwaddr = detail::random_mac(); // always a new MAC
            auto text = render::net(*net);
            if (!text)
                return std::unexpected(with_key(std::move(text).error(), key));
            to.options[key] = *text;
        } else {
            to.options[key] = value;
        }
    }
    std::ranges::sort(plan.mps, {}, [](const auto& e) {
        return e.first == "rootfs"
                   ? -1
                   : detail::volume_key_index(e.first, "mp", detail::max_mount_points);
    });
    for (const char* dropped : {"parent", "snaptime", "snapstate", "template", "vmstate"})
        to.options.erase(dropped);
    to.options["lock"] = "create";
    to.description = from.description;
    to.lxc = from.lxc;
    if (options.hostname && !options.hostname->empty())
        to.options["hostname"] = *options.hostname;
    if (options.description && !options.description->empty())
        to.description = *options.description;
    return plan;
}

// Proxmox's lock_and_reload for the new CT: its config under its lock, refused when the
// `create` lock is gone (someone removed it: the clone must not touch that config any more).
template <class Edit>
Result<void> with_new_config(const storage::Host& host, Vmid newid, Edit&& edit) {
    auto locked = detail::lock_config(host, newid);
    if (!locked)
        return std::unexpected(std::move(locked).error());
    if (locked->doc.config().main.get("lock") != std::optional<std::string_view>("create"))
        return fail(Errc::bad_state, "Lost 'create' config lock, aborting.", {.key = "lock"});
    return edit(*locked);
}

// The new CT's `<ct_dir>` and `<ct_dir>/rootfs`, removed when empty after a failed clone.
void remove_ct_dirs(const storage::Host& host, Vmid newid) {
    ::rmdir(detail::rootfs_mount_path(host, newid).c_str());
    ::rmdir(host.ct_dir(newid).c_str());
}

// Step 4: mount_all (ignore ro), the post-clone setup, umount_all.
Result<void> post_clone(const storage::Host& host, Vmid newid, const ContainerConfig& config,
                        std::vector<std::string>& warnings) {
    auto settings = parse::settings(config.main);
    if (!settings)
        return std::unexpected(std::move(settings).error());
    bool unprivileged = config.main.get("unprivileged") == std::optional<std::string_view>("1");
    auto id_map = detail::container_id_map(config.main, unprivileged);
    if (!id_map)
        return std::unexpected(std::move(id_map).error());
    detail::MountAllOptions mount;
    mount.ignore_ro = true;
    mount.id_map = *id_map;
    auto rootdir = detail::mount_all(host, newid, *settings, mount, warnings);
    if (!rootdir)
        return std::unexpected(std::move(rootdir).error());
    auto setup = detail::post_clone_setup(*rootdir, *settings, id_map->chown_to(), warnings);
    auto unmounted = detail::umount_all(host, newid, *settings, !setup.has_value(), warnings);
    if (!setup)
        return std::unexpected(std::move(setup).error());
    if (!unmounted)
        return std::unexpected(std::move(unmounted).error());
    return {};
}

} // namespace

Result<CloneReport> clone(const storage::Host& host, Vmid vmid, Vmid newid,
                          const CloneOptions& options) {
    auto storages = storage::Storages::load(host);
    if (!storages)
        return std::unexpected(std::move(storages).error());

    // 1. The source: checks and the plan under its lock, then `lock: disk`.
    auto source = detail::lock_config(host, vmid);
    if (!source)
        return std::unexpected(std::move(source).error());
    if (auto ok = check_lock(source->doc.config(), LockedOp::clone); !ok)
        return std::unexpected(std::move(ok).error());
    if (newid == vmid || host.exists(newid))
        return fail(Errc::already_exists, fmt::format("CT {} already exists", newid.value),
                    {.key = "newid"});
    auto plan = plan_clone(host, *storages, vmid, source->doc.config(), options);
    if (!plan)
        return std::unexpected(std::move(plan).error());
    if (auto ok = detail::set_config_lock(source->doc, "disk"); !ok)
        return std::unexpected(std::move(ok).error());
    if (auto ok = source->commit(); !ok)
        return std::unexpected(std::move(ok).error());
    source->lock.release();
    auto unlock_source = [&] { (void)detail::remove_config_lock(host, vmid, "disk"); };

    // 2. The new CT's config with `lock: create` and no volumes yet.
    {
        auto lock = host.lock(newid);
        if (!lock) {
            unlock_source();
            return std::unexpected(std::move(lock).error());
        }
        if (auto ok = host.create_config(*lock, plan->config); !ok) {
            unlock_source();
            return std::unexpected(std::move(ok).error());
        }
    }

    // 3. + 4. The volumes and the setup, without the source's lock.
    CloneReport report;
    report.full = plan->full;
    std::vector<std::string> made;
    auto work = [&]() -> Result<void> {
        if ((detail::running_pid(host, vmid) > 0) != plan->running)
            return fail(Errc::bad_state, "unexpected state change");
        auto owner = detail::root_owner(plan->config);
        if (!owner)
            return std::unexpected(std::move(owner).error());
        for (auto& [key, mp] : plan->mps) {
            Result<std::string> volid;
            if (plan->full) {
                report.messages.push_back(
                    fmt::format("create full clone of mountpoint {} ({})", key, mp.volume));
                auto ref = storages->parse_volume(mp.volume);
                if (!ref)
                    return std::unexpected(std::move(ref).error());
                volid =
                    detail::copy_volume(host, *storages,
                                        {.volid = mp.volume,
                                         .snap = options.snapname,
                                         .vmid = newid,
                                         .target_storage = options.storage.value_or(ref->storage),
                                         .root = *owner,
                                         .bwlimit_kib = options.bwlimit_kib,
                                         .progress = options.progress});
            } else {
                report.messages.push_back(
                    fmt::format("create linked clone of mount point {} ({})", key, mp.volume));
                std::optional<std::string_view> snap;
                if (options.snapname)
                    snap = *options.snapname;
                volid = storages->clone(mp.volume, newid, snap);
                // A copy of an image in use (a running CT, or its snapshot) with a live ext4
                // MMP block would make the clone's first start wait it out.
                if (volid)
                    if (auto cleared = detail::clear_copied_mmp(*storages, *volid); !cleared)
                        report.messages.push_back(cleared.error().message);
            }
            if (!volid)
                return std::unexpected(std::move(volid).error());
            made.push_back(*volid);
            mp.volume = *volid;
            report.volumes.emplace_back(key, *volid);
            auto written = with_new_config(host, newid, [&](detail::LockedConfig& c) {
                if (auto ok = detail::set_mount_entry(c.doc, key, mp); !ok)
                    return ok;
                return c.commit();
            });
            if (!written)
                return written;
        }
        return with_new_config(host, newid, [&](detail::LockedConfig& c) {
            return post_clone(host, newid, c.doc.config(), report.messages);
        });
    };
    auto worked = work();
    unlock_source();
    if (!worked) {
        for (const auto& volid : made)
            if (auto freed = storages->free(volid); !freed)
                report.messages.push_back(freed.error().message);
        (void)with_new_config(host, newid,
                              [&](detail::LockedConfig& c) { return host.remove_config(c.lock); });
        remove_ct_dirs(host, newid);
        Error e = std::move(worked).error();
        e.message = "clone failed: " + e.message;
        return std::unexpected(std::move(e));
    }

    // 5. Done: the new CT's `create` lock goes.
    auto unlocked = with_new_config(host, newid, [&](detail::LockedConfig& c) {
        if (auto ok = detail::set_config_lock(c.doc, std::nullopt); !ok)
            return ok;
        return c.commit();
    });
    if (!unlocked)
        return std::unexpected(std::move(unlocked).error());
    return report;
}

} // namespace pct::runtime
