// SPDX-License-Identifier: AGPL-3.0-or-later
// `pct rescan` (storage.md §6.3, pve-container LXC.pm rescan): the volumes of every enabled
// storage with `rootdir` content, listed once, then per container under its lock the changes
// `detail::plan_rescan` finds (orphans as `unusedN`, sizes), written unless dry-run.
#include "volume_common.hpp"
#include "volume_rules.hpp"

#include <pct/runtime/volumes.hpp>
#include <pct/storage/storages.hpp>

#include <fmt/format.h>

#include <cstdlib>
#include <map>
#include <memory>

namespace pct::runtime {

namespace {

// The real path of a file, so two spellings (or two storages over one folder) compare equal.
std::string real_path(const std::string& path) {
    std::unique_ptr<char, decltype(&std::free)> resolved(::realpath(path.c_str(), nullptr),
                                                         &std::free);
    return resolved ? std::string(resolved.get()) : path;
}

// Every container image on the enabled storages that may hold container volumes, by owner.
Result<std::map<Vmid, std::vector<detail::ListedVolume>>>
list_ct_volumes(storage::Storages& storages) {
    std::map<Vmid, std::vector<detail::ListedVolume>> out;
    for (const auto& entry : storages.config().entries) {
        if (entry.disabled() || !entry.has_content("rootdir"))
            continue;
        auto listed = storages.list(entry.name);
        if (!listed)
            return std::unexpected(std::move(listed).error());
        for (const auto& v : *listed) {
            if (!v.owner)
                continue;
            auto path = storages.path(v.volid);
            out[*v.owner].push_back({.volid = v.volid,
                                     .owner = *v.owner,
                                     .size = v.size,
                                     .path = path ? real_path(*path) : std::string()});
        }
    }
    return out;
}

Result<void> apply(storage::ConfigDocument& doc, const detail::RescanChange& change) {
    if (change.kind == detail::RescanChange::Kind::add_unused)
        return doc.set("", change.key, change.volid);
    auto mp = detail::mount_entry(doc.config(), change.key, "");
    if (!mp)
        return std::unexpected(std::move(mp).error());
    mp->size = change.size;
    return detail::set_mount_entry(doc, change.key, *mp);
}

} // namespace

Result<std::vector<std::string>> rescan(const storage::Host& host, const RescanOptions& options) {
    std::vector<std::string> messages;
    if (options.dryrun)
        messages.emplace_back("NOTE: running in dry-run mode, won't write changes out!");
    messages.emplace_back("rescan volumes...");
    auto storages = storage::Storages::load(host);
    if (!storages)
        return std::unexpected(std::move(storages).error());
    auto volumes = list_ct_volumes(*storages);
    if (!volumes)
        return std::unexpected(std::move(volumes).error());

    std::vector<Vmid> ids;
    if (options.vmid) {
        if (host.exists(*options.vmid))
            ids.push_back(*options.vmid);
    } else {
        auto all = host.list();
        if (!all)
            return std::unexpected(std::move(all).error());
        ids = std::move(*all);
    }
    auto path_of = [&](std::string_view volid) {
        auto path = storages->path(volid);
        return path ? real_path(*path) : std::string();
    };
    for (Vmid vmid : ids) {
        auto locked = detail::lock_config(host, vmid);
        if (!locked)
            return std::unexpected(std::move(locked).error());
        if (auto ok = check_lock(locked->doc.config(), LockedOp::rescan); !ok)
            return std::unexpected(std::move(ok).error());
        static const std::vector<detail::ListedVolume> none;
        auto it = volumes->find(vmid);
        auto changes = detail::plan_rescan(locked->doc.config(), vmid,
                                           it == volumes->end() ? none : it->second, path_of);
        if (!changes)
            return std::unexpected(std::move(changes).error());
        for (const auto& change : *changes) {
            messages.push_back(change.message);
            if (auto ok = apply(locked->doc, change); !ok)
                return std::unexpected(std::move(ok).error());
        }
        if (!changes->empty() && !options.dryrun)
            if (auto ok = locked->commit(); !ok)
                return std::unexpected(std::move(ok).error());
    }
    return messages;
}

} // namespace pct::runtime
