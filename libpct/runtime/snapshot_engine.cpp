// SPDX-License-Identifier: AGPL-3.0-or-later
// pve-guest-common's AbstractConfig snapshot methods (snapshot_create, snapshot_delete,
// snapshot_rollback and their helpers) with pve-container's hooks, step for step: the order of
// the checks decides which error a user sees and what the file holds after a failure, and
// pve-container's snapshot suite checks exactly that.
#include "snapshot_engine.hpp"

#include "volume_common.hpp"
#include "volume_keys.hpp"

#include <pct/parse/properties.hpp>
#include <pct/render/config.hpp>
#include <pct/storage/config_document.hpp>

#include <fmt/format.h>

#include <algorithm>

namespace pct::runtime::detail {

namespace {

constexpr std::string_view vmstate_refusal = "vmstate is not supported for containers";

bool is_template(const ContainerConfig& c) {
    return c.main.get("template") == std::optional<std::string_view>("1");
}

Error missing_snapshot(std::string_view name) {
    return error(Errc::not_found, fmt::format("snapshot '{}' does not exist", name),
                 {.key = "snapname"});
}

// `__snapshot_copy_config`: every key but the snapshot bookkeeping, the lock, the description
// and the unused volumes; raw `lxc.*` entries go along.
void copy_config(const Section& from, Section& to) {
    for (const auto& [key, value] : from.options) {
        if (key == "snapstate" || key == "snaptime" || key == "vmstate" || key == "lock" ||
            key == "digest" || volume_key_index(key, "unused", max_unused) >= 0)
            continue;
        to.options.insert_or_assign(key, value);
    }
    to.lxc = from.lxc;
}

// `mountpoint_backup_enabled`: what vzdump's internal snapshot includes.
bool backup_enabled(std::string_view key, const MountPoint& mp) {
    if (key == "rootfs")
        return true;
    return mp.kind() == VolumeKind::volume && mp.backup.value_or(false);
}

// `__snapshot_activate_storages`: the storages of the section's volumes, sorted and unique.
std::vector<std::string> storages_of(const Section& s) {
    std::vector<std::string> ids;
    for (const auto& [key, mp] : section_mounts(s)) {
        if (mp.kind() != VolumeKind::volume)
            continue;
        ids.push_back(mp.volume.substr(0, mp.volume.find(':')));
    }
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    return ids;
}

// A snapshot operation on `name` that never finished: the config holds the lock of a create
// or a delete, and the section still has its `snapstate`.
bool interrupted(const ContainerConfig& c, std::string_view name) {
    auto lock = c.main.get("lock");
    auto it = c.snapshots.find(name);
    return lock && (*lock == "snapshot" || *lock == "snapshot-delete") && it != c.snapshots.end() &&
           it->second.get("snapstate").has_value();
}

// `unlink_parent`: a `parent` naming the deleted snapshot takes that one's own parent.
void unlink_parent(Section& s, std::string_view deleted, std::optional<std::string_view> parent) {
    if (s.get("parent") != std::optional<std::string_view>(deleted))
        return;
    if (parent && !parent->empty())
        s.options.insert_or_assign("parent", std::string(*parent));
    else
        s.options.erase("parent");
}

} // namespace

std::vector<std::pair<std::string, MountPoint>> section_mounts(const Section& s) {
    std::vector<std::pair<std::string, MountPoint>> out;
    for (const auto& key : volume_keys_in_order(s)) {
        if (!is_mount_key(key))
            continue;
        auto text = *s.get(key);
        auto mp = key == "rootfs" ? parse::rootfs(text) : parse::mount_point(text);
        if (mp)
            out.emplace_back(key, std::move(*mp));
    }
    return out;
}

// One step under the config flock: `step(config)` returns whether it changed the model; a
// changed model is written in Proxmox's canonical form with the digest check.
template <class Step> Result<void> SnapshotEngine::with_config(Step&& step) {
    auto locked = lock_config(m_host, m_vmid);
    if (!locked)
        return std::unexpected(std::move(locked).error());
    ContainerConfig conf = locked->doc.config();
    Result<bool> changed = step(conf);
    if (!changed)
        return std::unexpected(std::move(changed).error());
    if (!*changed)
        return {};
    auto text = render::config(conf);
    if (!text)
        return std::unexpected(std::move(text).error());
    if (auto ok = locked->doc.replace(std::move(*text)); !ok)
        return ok;
    return locked->commit();
}

Result<void> SnapshotEngine::prepare(std::string_view name, std::string_view comment,
                                     bool vmstate) {
    return with_config([&](ContainerConfig& c) -> Result<bool> {
        if (is_template(c))
            return fail(Errc::bad_state, "you can't take a snapshot if it's a template",
                        {.key = "template"});
        if (auto ok = check_lock(c, LockedOp::snapshot); !ok)
            return std::unexpected(std::move(ok).error());
        if (c.snapshots.contains(name))
            return fail(Errc::already_exists, fmt::format("snapshot name '{}' already used", name),
                        {.key = "snapname"});
        for (const auto& [key, mp] : section_mounts(c.main)) {
            if (name == "vzdump" && !backup_enabled(key, mp))
                continue;
            if (!m_driver.can_snapshot(key, mp))
                return fail(Errc::unsupported, "snapshot feature is not available", {.key = key});
        }
        for (auto& [other, section] : c.snapshots)
            if (section.get("parent") == std::optional<std::string_view>(name)) {
                m_warnings.push_back(fmt::format("deleting parent '{}' reference from '{}' to "
                                                 "avoid bogus snapshot cycle.",
                                                 name, other));
                section.options.erase("parent");
            }
        if (vmstate)
            return fail(Errc::unsupported, std::string(vmstate_refusal), {.key = "vmstate"});
        Section snap;
        copy_config(c.main, snap);
        snap.options.insert_or_assign("snapstate", "prepare");
        snap.options.insert_or_assign("snaptime", std::to_string(m_driver.now()));
        snap.description = std::string(comment);
        c.snapshots.insert_or_assign(std::string(name), std::move(snap));
        c.main.options.insert_or_assign("lock", "snapshot");
        return true;
    });
}

Result<void> SnapshotEngine::commit(std::string_view name) {
    return with_config([&](ContainerConfig& c) -> Result<bool> {
        if (c.main.get("lock") != std::optional<std::string_view>("snapshot"))
            return fail(Errc::bad_state, "missing snapshot lock", {.key = "lock"});
        auto snap = c.snapshots.find(name);
        if (snap == c.snapshots.end())
            return std::unexpected(missing_snapshot(name));
        if (snap->second.get("snapstate") != std::optional<std::string_view>("prepare"))
            return fail(Errc::bad_state, "wrong snapshot state", {.key = "snapstate"});
        snap->second.options.erase("snapstate");
        c.main.options.erase("lock");
        c.main.options.insert_or_assign("parent", std::string(name));
        return true;
    });
}

Result<void> SnapshotEngine::create(std::string_view name, std::string_view comment, bool vmstate) {
    if (auto ok = prepare(name, comment, vmstate); !ok)
        return ok;
    auto conf = m_host.read_config(m_vmid);
    if (!conf)
        return std::unexpected(std::move(conf).error());
    auto snap = conf->config.snapshots.find(name);
    if (snap == conf->config.snapshots.end())
        return std::unexpected(missing_snapshot(name));
    const bool running = m_driver.running();

    std::set<std::string> done;
    auto take = [&]() -> Result<void> {
        if (auto ok = m_driver.activate_storages(storages_of(conf->config.main)); !ok)
            return ok;
        if (running)
            if (auto ok = m_driver.freeze(); !ok)
                return ok;
        for (const auto& [key, mp] : section_mounts(snap->second)) {
            if (name == "vzdump" && !backup_enabled(key, mp))
                continue;
            if (auto ok = m_driver.volume_snapshot(mp, name); !ok)
                return std::unexpected(with_key(std::move(ok).error(), key));
            done.insert(key);
        }
        return {};
    };
    auto taken = take();
    if (running)
        m_driver.thaw(m_warnings);
    if (!taken) {
        m_warnings.emplace_back("snapshot create failed: starting cleanup");
        if (auto cleaned = remove(name, true, &done); !cleaned)
            m_warnings.push_back(cleaned.error().message);
        return taken;
    }
    return commit(name);
}

Result<void> SnapshotEngine::remove(std::string_view name, bool force,
                                    const std::set<std::string>* done) {
    auto conf = m_host.read_config(m_vmid);
    if (!conf)
        return std::unexpected(std::move(conf).error());
    if (!conf->config.snapshots.contains(name))
        return std::unexpected(missing_snapshot(name));
    if (!done) {
        const Section& s = conf->config.snapshots.find(name)->second;
        if (auto ok = m_driver.activate_storages(storages_of(s)); !ok)
            return ok;
        // `set_lock`: no other lock may be held, except with `force` the lock of a create or
        // delete of this very snapshot that was interrupted (killed) half-way: its section
        // still has a `snapstate`. Proxmox wants `pct unlock` first; libpct lets the forced
        // delete clean it up in one step (its volume errors are warnings anyway).
        auto locked = with_config([&](ContainerConfig& c) -> Result<bool> {
            if (auto ok = check_lock(c, LockedOp::delsnapshot);
                !ok && !(force && interrupted(c, name)))
                return std::unexpected(std::move(ok).error());
            c.main.options.insert_or_assign("lock", "snapshot-delete");
            return true;
        });
        if (!locked)
            return locked;
    }
    const std::string_view expected_lock = done ? "snapshot" : "snapshot-delete";
    auto ensure_lock = [&](const ContainerConfig& c) -> Result<void> {
        if (c.main.get("lock") != std::optional<std::string_view>(expected_lock))
            return fail(Errc::bad_state,
                        fmt::format("encountered invalid lock, expected '{}'", expected_lock),
                        {.key = "lock"});
        return {};
    };

    Section snap;
    auto marked = with_config([&](ContainerConfig& c) -> Result<bool> {
        if (auto ok = ensure_lock(c); !ok)
            return std::unexpected(std::move(ok).error());
        if (is_template(c))
            return fail(Errc::bad_state, "you can't delete a snapshot if vm is a template",
                        {.key = "template"});
        auto it = c.snapshots.find(name);
        if (it == c.snapshots.end())
            return std::unexpected(missing_snapshot(name));
        it->second.options.insert_or_assign("snapstate", "delete");
        snap = it->second;
        return true;
    });
    if (!marked)
        return marked;

    if (snap.get("vmstate")) {
        if (!force)
            return fail(Errc::unsupported, std::string(vmstate_refusal), {.key = "vmstate"});
        m_warnings.emplace_back(vmstate_refusal);
    }

    std::vector<std::string> unused;
    for (const auto& [key, mp] : section_mounts(snap)) {
        if (name == "vzdump" && !backup_enabled(key, mp))
            continue;
        if (!done || done->contains(key)) {
            auto deleted = m_driver.volume_snapshot_delete(mp, name);
            if (!deleted) {
                if (!force)
                    return std::unexpected(with_key(std::move(deleted).error(), key));
                m_warnings.push_back(deleted.error().message);
            } else {
                unused.push_back(mp.volume);
            }
        }
        if (force)
            continue;
        // `__snapshot_delete_remove_drive`: the volume leaves the section as soon as its
        // snapshot is gone, so a retry does not try it again.
        auto dropped = with_config([&](ContainerConfig& c) -> Result<bool> {
            if (auto ok = ensure_lock(c); !ok)
                return std::unexpected(std::move(ok).error());
            auto it = c.snapshots.find(name);
            if (it == c.snapshots.end())
                return std::unexpected(missing_snapshot(name));
            it->second.options.erase(key);
            if (mp.kind() == VolumeKind::volume)
                if (auto ok = add_unused(it->second, mp.volume); !ok)
                    return std::unexpected(std::move(ok).error());
            return true;
        });
        if (!dropped)
            return dropped;
    }

    return with_config([&](ContainerConfig& c) -> Result<bool> {
        if (auto ok = ensure_lock(c); !ok)
            return std::unexpected(std::move(ok).error());
        auto it = c.snapshots.find(name);
        if (it == c.snapshots.end())
            return std::unexpected(missing_snapshot(name));
        std::optional<std::string> parent;
        if (auto p = it->second.get("parent"))
            parent = std::string(*p);
        unlink_parent(c.main, name, parent);
        for (auto& [other, section] : c.snapshots)
            if (other != name)
                unlink_parent(section, name, parent);
        c.snapshots.erase(it);
        c.main.options.erase("lock");
        for (const auto& volid : unused)
            if (auto ok = add_unused(c.main, volid); !ok)
                return std::unexpected(std::move(ok).error());
        return true;
    });
}

Result<void> SnapshotEngine::rollback(std::string_view name) {
    // The checks of every pass; the storage ones only in the first (`$prepare`).
    auto check = [&](const ContainerConfig& c, bool prepare) -> Result<const Section*> {
        if (is_template(c))
            return fail(Errc::bad_state, "you can't rollback if vm is a template",
                        {.key = "template"});
        auto it = c.snapshots.find(name);
        if (it == c.snapshots.end())
            return std::unexpected(missing_snapshot(name));
        const Section& snap = it->second;
        if (prepare) {
            if (auto ok = m_driver.activate_storages(storages_of(snap)); !ok)
                return std::unexpected(std::move(ok).error());
            for (const auto& [key, mp] : section_mounts(snap))
                if (auto ok = m_driver.volume_rollback_is_possible(mp, name); !ok)
                    return std::unexpected(with_key(std::move(ok).error(), key));
        }
        if (auto state = snap.get("snapstate"))
            return fail(
                Errc::bad_state,
                fmt::format("unable to rollback to incomplete snapshot (snapstate = {})", *state),
                {.key = "snapstate"});
        return &snap;
    };
    auto still_running = [&]() -> Result<void> {
        if (m_driver.running())
            return fail(Errc::bad_state,
                        fmt::format("unable to rollback vm {}: vm is running", m_vmid.value));
        return {};
    };
    // `lock: rollback` once the checks pass and the container is stopped.
    bool needs_stop = false;
    auto lock_step = [&](bool prepare) {
        return with_config([&](ContainerConfig& c) -> Result<bool> {
            auto snap = check(c, prepare);
            if (!snap)
                return std::unexpected(std::move(snap).error());
            // A vmstate cannot be restored: refused before anything is touched.
            if ((*snap)->get("vmstate"))
                return fail(Errc::unsupported, std::string(vmstate_refusal), {.key = "vmstate"});
            if (auto ok = check_lock(c, LockedOp::rollback); !ok)
                return std::unexpected(std::move(ok).error());
            if (prepare && m_driver.running()) {
                needs_stop = true; // stopped without the flock (stop takes it), then again
                return false;
            }
            if (auto ok = still_running(); !ok)
                return std::unexpected(std::move(ok).error());
            c.main.options.insert_or_assign("lock", "rollback");
            return true;
        });
    };
    if (auto ok = lock_step(true); !ok)
        return ok;
    if (needs_stop) {
        if (auto stopped = m_driver.hard_stop(); !stopped)
            m_warnings.push_back(stopped.error().message);
        if (auto ok = lock_step(false); !ok)
            return ok;
    }

    auto conf = m_host.read_config(m_vmid);
    if (!conf)
        return std::unexpected(std::move(conf).error());
    auto snap_it = conf->config.snapshots.find(name);
    if (snap_it == conf->config.snapshots.end())
        return std::unexpected(missing_snapshot(name));
    for (const auto& [key, mp] : section_mounts(snap_it->second))
        if (auto ok = m_driver.volume_snapshot_rollback(mp, name, m_warnings); !ok)
            return std::unexpected(with_key(std::move(ok).error(), key));

    return with_config([&](ContainerConfig& c) -> Result<bool> {
        auto snap = check(c, false);
        if (!snap)
            return std::unexpected(std::move(snap).error());
        if (auto ok = still_running(); !ok)
            return std::unexpected(std::move(ok).error());
        if (c.main.get("lock") != std::optional<std::string_view>("rollback"))
            return fail(Errc::bad_state, "got wrong lock", {.key = "lock"});
        c.main.options.erase("lock");
        // `__snapshot_rollback_get_unused`: current volumes the snapshot does not use.
        auto snap_mounts = section_mounts(**snap);
        for (const auto& [key, mp] : section_mounts(c.main)) {
            if (mp.kind() != VolumeKind::volume)
                continue;
            bool found = std::any_of(snap_mounts.begin(), snap_mounts.end(), [&](const auto& s) {
                return s.second.kind() == VolumeKind::volume && s.second.volume == mp.volume;
            });
            if (!found)
                if (auto ok = add_unused(c.main, mp.volume); !ok)
                    return std::unexpected(std::move(ok).error());
        }
        // `__snapshot_apply_config`: the snapshot's keys, the current description, unused
        // volumes and snapshot list; pending changes are gone.
        Section main;
        main.description = c.main.description;
        for (const auto& [key, value] : c.main.options)
            if (volume_key_index(key, "unused", max_unused) >= 0)
                main.options.insert_or_assign(key, value);
        copy_config(**snap, main);
        main.options.insert_or_assign("parent", std::string(name));
        c.main = std::move(main);
        c.pending = Section{};
        return true;
    });
}

} // namespace pct::runtime::detail
