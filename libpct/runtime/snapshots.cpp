// SPDX-License-Identifier: AGPL-3.0-or-later
// The public snapshot API (include/pct/runtime/snapshots.hpp): the name rule and the blocking
// check before anything is touched, the engine over the host's driver, the list and the tree
// `pct listsnapshot` prints.
#include <pct/runtime/snapshots.hpp>

#include "snapshot_driver.hpp"
#include "snapshot_engine.hpp"

#include <pct/runtime/container.hpp>
#include <pct/runtime/locks.hpp>
#include <pct/storage/storages.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <ctime>
#include <map>

namespace pct::runtime {

namespace {

// Why `mp` cannot be snapshotted, or "" when it can (storage.md §7.1, §7.3).
std::string blocking_reason(const MountPoint& mp, const Result<storage::Storages>& storages) {
    switch (mp.kind()) {
    case VolumeKind::bind:
        return "bind mount";
    case VolumeKind::device:
        return "device mount";
    case VolumeKind::volume:
        break;
    }
    if (!storages)
        return storages.error().message;
    auto ref = storages->parse_volume(mp.volume);
    if (!ref)
        return ref.error().message;
    if (storages->has_feature(storage::Feature::snapshot, mp.volume))
        return {};
    auto entry = storages->entry(ref->storage);
    std::string type = entry ? (*entry)->type : "unknown";
    return fmt::format("storage '{}' (type {}) cannot snapshot {} volumes", ref->storage, type,
                       storage::format_name(ref->format));
}

Result<storage::Storages> load_storages(const storage::Host& host) {
    return storage::Storages::load(host);
}

std::int64_t snaptime_of(const Section& s) {
    std::int64_t t = 0;
    if (auto v = s.get("snaptime"))
        std::from_chars(v->data(), v->data() + v->size(), t);
    return t;
}

Result<SnapshotReport> finish(const detail::SnapshotEngine& engine, Result<void> done) {
    if (!done)
        return std::unexpected(std::move(done).error());
    return SnapshotReport{engine.warnings()};
}

} // namespace

std::vector<SnapshotBlocker> snapshot_blockers(const storage::Host& host,
                                               const ContainerConfig& config) {
    std::vector<SnapshotBlocker> out;
    auto storages = load_storages(host);
    for (const auto& [key, mp] : detail::section_mounts(config.main))
        if (auto reason = blocking_reason(mp, storages); !reason.empty())
            out.push_back({key, mp.volume, std::move(reason)});
    return out;
}

Result<std::vector<SnapshotBlocker>> snapshot_blockers(const storage::Host& host, Vmid vmid) {
    auto conf = host.read_config(vmid);
    if (!conf)
        return std::unexpected(std::move(conf).error());
    return snapshot_blockers(host, conf->config);
}

Result<void> check_snapshot_name(std::string_view name) {
    if (name == "current" || name == "vzdump")
        return fail(Errc::invalid_argument,
                    fmt::format("unable to use snapshot name '{}' (reserved name)", name),
                    {.key = "snapname"});
    if (name.size() > 40)
        return fail(Errc::invalid_argument, "value may only be 40 characters long",
                    {.key = "snapname"});
    auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
    bool ok = name.size() >= 2 && alpha(name[0]) &&
              std::all_of(name.begin() + 1, name.end(), [&](char c) {
                  return alpha(c) || (c >= '0' && c <= '9') || c == '_' || c == '-';
              });
    if (!ok)
        return fail(Errc::invalid_argument, fmt::format("invalid configuration ID '{}'", name),
                    {.key = "snapname"});
    return {};
}

Result<SnapshotReport> snapshot_create(const storage::Host& host, Vmid vmid, std::string_view name,
                                       const SnapshotCreateOptions& options) {
    if (auto ok = check_snapshot_name(name); !ok)
        return std::unexpected(std::move(ok).error());
    auto conf = host.read_config(vmid);
    if (!conf)
        return std::unexpected(std::move(conf).error());
    // Proxmox's __snapshot_prepare refuses a locked CT before it asks for the feature (the
    // engine checks the lock again under the config lock).
    if (auto ok = check_lock(conf->config, LockedOp::snapshot); !ok)
        return std::unexpected(std::move(ok).error());
    // Before anything is written: name the mount point that makes it impossible.
    if (!options.vmstate) {
        auto blockers = snapshot_blockers(host, conf->config);
        if (!blockers.empty()) {
            const auto& b = blockers.front();
            return fail(Errc::unsupported,
                        fmt::format("snapshot feature is not available: {} ({}): {}", b.key,
                                    b.volume, b.reason),
                        {.context = host.config_path(vmid), .key = b.key});
        }
    }
    auto storages = load_storages(host);
    if (!storages)
        return std::unexpected(std::move(storages).error());
    detail::HostSnapshotDriver driver(host, vmid, std::move(*storages));
    detail::SnapshotEngine engine(host, vmid, driver);
    return finish(engine, engine.create(name, options.description, options.vmstate));
}

Result<SnapshotReport> snapshot_delete(const storage::Host& host, Vmid vmid, std::string_view name,
                                       const SnapshotDeleteOptions& options) {
    auto storages = load_storages(host);
    if (!storages)
        return std::unexpected(std::move(storages).error());
    detail::HostSnapshotDriver driver(host, vmid, std::move(*storages));
    detail::SnapshotEngine engine(host, vmid, driver);
    return finish(engine, engine.remove(name, options.force));
}

Result<SnapshotReport> snapshot_rollback(const storage::Host& host, Vmid vmid,
                                         std::string_view name,
                                         const SnapshotRollbackOptions& options) {
    auto storages = load_storages(host);
    if (!storages)
        return std::unexpected(std::move(storages).error());
    detail::HostSnapshotDriver driver(host, vmid, std::move(*storages));
    detail::SnapshotEngine engine(host, vmid, driver);
    auto report = finish(engine, engine.rollback(name));
    if (!report || !options.start)
        return report;
    auto ct = Container::open(host, vmid);
    if (!ct)
        return std::unexpected(std::move(ct).error());
    if (auto started = ct->start(); !started)
        return std::unexpected(std::move(started).error());
    return report;
}

std::vector<SnapshotInfo> list_snapshots(const ContainerConfig& config) {
    std::vector<SnapshotInfo> out;
    for (const auto& [name, s] : config.snapshots) {
        SnapshotInfo info;
        info.name = name;
        info.parent = std::string(s.get("parent").value_or(""));
        info.snaptime = snaptime_of(s);
        info.description = s.description;
        info.snapstate = std::string(s.get("snapstate").value_or(""));
        out.push_back(std::move(info));
    }
    std::stable_sort(out.begin(), out.end(), [](const SnapshotInfo& a, const SnapshotInfo& b) {
        return a.snaptime < b.snaptime;
    });
    SnapshotInfo current;
    current.name = "current";
    current.parent = std::string(config.main.get("parent").value_or(""));
    current.description = "You are here!";
    current.current = true;
    out.push_back(std::move(current));
    return out;
}

Result<std::vector<SnapshotInfo>> list_snapshots(const storage::Host& host, Vmid vmid) {
    auto conf = host.read_config(vmid);
    if (!conf)
        return std::unexpected(std::move(conf).error());
    return list_snapshots(conf->config);
}

std::string format_snapshot_tree(const std::vector<SnapshotInfo>& snapshots) {
    std::map<std::string, const SnapshotInfo*, std::less<>> by_name;
    for (const auto& s : snapshots)
        by_name.emplace(s.name, &s);
    std::map<std::string, std::vector<const SnapshotInfo*>, std::less<>> children;
    std::vector<const SnapshotInfo*> roots;
    for (const auto& s : snapshots) {
        if (!s.parent.empty() && by_name.contains(s.parent))
            children[s.parent].push_back(&s);
        else
            roots.push_back(&s);
    }
    // PVE::GuestHelpers::print_snapshot_tree: by snaptime, "current" (no snaptime) last.
    auto by_age = [](std::vector<const SnapshotInfo*>& list) {
        std::stable_sort(list.begin(), list.end(), [](const auto* a, const auto* b) {
            if (a->current != b->current)
                return b->current;
            return a->snaptime < b->snaptime;
        });
    };
    std::string out;
    auto print = [&](auto& self, const std::string& prefix, const SnapshotInfo& e) -> void {
        std::string description = e.description.empty() ? "no-description" : e.description;
        description = description.substr(0, description.find('\n'));
        std::string when;
        if (!e.current) {
            std::time_t t = static_cast<std::time_t>(e.snaptime);
            std::tm tm{};
            ::localtime_r(&t, &tm);
            char buf[32];
            if (std::strftime(buf, sizeof buf, "%F %H:%M:%S", &tm) > 0)
                when = buf;
        }
        std::size_t width = prefix.size() < 30 ? 30 - prefix.size() : 0;
        out += fmt::format("{} {:<{}} {:<23} {}\n", prefix, e.name, width, when, description);
        if (auto it = children.find(e.name); it != children.end()) {
            by_age(it->second);
            for (const auto* child : it->second)
                self(self, " " + prefix, *child);
        }
    };
    by_age(roots);
    for (const auto* root : roots)
        print(print, "`->", *root);
    return out;
}

} // namespace pct::runtime
