// SPDX-License-Identifier: AGPL-3.0-or-later
// PVE::Storage's volume operations over the backends (spec storage.md §1.8, §2, §7).
#include <pct/storage/atomic_file.hpp>
#include <pct/storage/lock.hpp>
#include <pct/storage/storages.hpp>

#include "pct/internal/command.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <unistd.h>

namespace pct::storage {

namespace {

// Proxmox's node name: the short host name.
std::string node_name() {
    char buf[256] = {};
    if (::gethostname(buf, sizeof buf - 1) != 0)
        return "localhost";
    std::string name(buf);
    return name.substr(0, name.find('.'));
}

} // namespace

Storages::Storages(Host host, StorageConfig config)
    : m_host(std::move(host)), m_config(std::move(config)) {}
Storages::Storages(Storages&&) noexcept = default;
Storages& Storages::operator=(Storages&&) noexcept = default;
Storages::~Storages() = default;

Result<Storages> Storages::load(const Host& host) {
    const std::string path = host.storage_cfg_path();
    auto text = read_file(path);
    if (!text && text.error().code != Errc::not_found)
        return std::unexpected(std::move(text).error());
    return Storages(host, parse_storage_config(text ? *text : std::string(), path));
}

Storages Storages::from_config(const Host& host, StorageConfig config) {
    return Storages(host, std::move(config));
}

std::string Storages::lock_path(std::string_view storeid) const {
    return m_host.host_path(fmt::format("/var/lock/pve-manager/pve-storage-{}", storeid));
}

Result<const StorageEntry*> Storages::entry(std::string_view storeid) const {
    if (storeid.empty())
        return fail(Errc::invalid_argument, "no storage ID specified");
    if (auto bad = storage_id_problem(storeid))
        return fail(Errc::invalid_argument, *bad);
    if (const auto* e = m_config.find(storeid))
        return e;
    return fail(Errc::not_found, fmt::format("storage '{}' does not exist", storeid),
                {.context = m_host.storage_cfg_path()});
}

Result<Backend*> Storages::backend(std::string_view storeid) {
    if (auto it = m_active.find(storeid); it != m_active.end())
        return it->second.get();
    auto e = entry(storeid);
    if (!e)
        return std::unexpected(std::move(e).error());
    const StorageEntry& def = **e;
    if (def.disabled())
        return fail(Errc::bad_state, fmt::format("storage '{}' is disabled", storeid),
                    {.context = m_host.storage_cfg_path()});
    if (auto nodes = def.nodes(); !nodes.empty()) {
        std::string node = node_name();
        if (!nodes.contains(node) && !nodes.contains("localhost"))
            return fail(Errc::bad_state,
                        fmt::format("storage '{}' is not available on node '{}'", storeid, node),
                        {.context = m_host.storage_cfg_path()});
    }
    auto made =
        make_backend(def, def.path().empty() ? std::string() : m_host.host_path(def.path()));
    if (!made)
        return std::unexpected(std::move(made).error());
    if (auto ok = (*made)->activate_storage(); !ok)
        return std::unexpected(std::move(ok).error());
    Backend* raw = made->get();
    m_active.emplace(std::string(storeid), std::move(*made));
    return raw;
}

Result<VolumeRef> Storages::parse_volume(std::string_view volid) const {
    auto id = parse_volume_id(volid);
    if (!id)
        return std::unexpected(std::move(id).error());
    if (id->storage.empty())
        return fail(Errc::invalid_argument, fmt::format("unable to parse volume ID '{}'", volid));
    auto e = entry(id->storage);
    if (!e)
        return std::unexpected(std::move(e).error());
    if (auto it = m_active.find(id->storage); it != m_active.end())
        return it->second->parse_volname(id->name);
    const StorageEntry& def = **e;
    auto made =
        make_backend(def, def.path().empty() ? std::string() : m_host.host_path(def.path()));
    if (!made)
        return std::unexpected(std::move(made).error());
    return (*made)->parse_volname(id->name);
}

Result<Storages::Located> Storages::locate(std::string_view volid) {
    auto ref = parse_volume(volid);
    if (!ref)
        return std::unexpected(std::move(ref).error());
    auto b = backend(ref->storage);
    if (!b)
        return std::unexpected(std::move(b).error());
    return Located{*b, std::move(*ref)};
}

Result<FileLock> Storages::lock_storage(std::string_view storeid) const {
    const std::string lock_file = lock_path(storeid);
    if (auto ok = make_dirs(lock_file.substr(0, lock_file.rfind('/'))); !ok)
        return std::unexpected(std::move(ok).error());
    return FileLock::acquire(lock_file, storage_lock_timeout);
}

Result<std::string> Storages::alloc_image(std::string_view storeid, Vmid vmid, VolumeFormat format,
                                          std::optional<std::string_view> name,
                                          std::uint64_t size_kib) {
    auto b = backend(storeid);
    if (!b)
        return std::unexpected(std::move(b).error());
    if (vmid.value == 0)
        return fail(Errc::invalid_argument, "no VMID specified");
    auto lock = lock_storage(storeid);
    if (!lock)
        return std::unexpected(std::move(lock).error());
    auto made = (*b)->alloc_image(vmid, format, name, size_kib);
    if (!made)
        return std::unexpected(std::move(made).error());
    return fmt::format("{}:{}", storeid, *made);
}

Result<std::string> Storages::alloc(std::string_view storeid, Vmid vmid, VolumeFormat format,
                                    std::uint64_t size_kib) {
    return alloc_image(storeid, vmid, format, std::nullopt, size_kib);
}

Result<std::string> Storages::alloc_named(std::string_view storeid, Vmid vmid, VolumeFormat format,
                                          std::string_view name, std::uint64_t size_kib) {
    return alloc_image(storeid, vmid, format, name, size_kib);
}

Result<void> Storages::free(std::string_view volid) {
    auto at = locate(volid);
    if (!at)
        return std::unexpected(std::move(at).error());
    auto& ref = at->ref;
    Backend* b = at->backend;
    auto lock = lock_storage(ref.storage);
    if (!lock)
        return std::unexpected(std::move(lock).error());
    if (ref.is_base) {
        auto all = b->list_images();
        if (!all)
            return std::unexpected(std::move(all).error());
        for (const auto& info : *all) {
            auto other = parse_volume(info.volid);
            if (other && other->base_name == ref.name && other->base_vmid == ref.owner)
                return fail(
                    Errc::bad_state,
                    fmt::format("base volume '{}' is still in use by linked clones", ref.volname));
        }
    }
    return b->free_image(ref);
}

Result<std::string> Storages::path(std::string_view volid, std::optional<std::string_view> snap) {
    auto at = locate(volid);
    if (!at)
        return std::unexpected(std::move(at).error());
    auto& ref = at->ref;
    Backend* b = at->backend;
    if (auto ok = b->activate_volume(ref, snap); !ok)
        return std::unexpected(std::move(ok).error());
    return b->path(ref, snap);
}

Result<std::vector<VolumeInfo>> Storages::list(std::string_view storeid, std::optional<Vmid> vmid) {
    auto b = backend(storeid);
    if (!b)
        return std::unexpected(std::move(b).error());
    return (*b)->list_images(vmid);
}

Result<VolumeSize> Storages::size(std::string_view volid) {
    auto at = locate(volid);
    if (!at)
        return std::unexpected(std::move(at).error());
    return at->backend->volume_size(at->ref);
}

Result<void> Storages::resize(std::string_view volid, std::uint64_t new_size_bytes) {
    auto at = locate(volid);
    if (!at)
        return std::unexpected(std::move(at).error());
    return at->backend->resize(at->ref, new_size_bytes);
}

Result<void> Storages::snapshot(std::string_view volid, std::string_view snap) {
    auto at = locate(volid);
    if (!at)
        return std::unexpected(std::move(at).error());
    return at->backend->snapshot(at->ref, snap);
}

Result<void> Storages::rollback(std::string_view volid, std::string_view snap) {
    auto at = locate(volid);
    if (!at)
        return std::unexpected(std::move(at).error());
    return at->backend->rollback(at->ref, snap);
}

Result<void> Storages::delete_snapshot(std::string_view volid, std::string_view snap) {
    auto at = locate(volid);
    if (!at)
        return std::unexpected(std::move(at).error());
    return at->backend->delete_snapshot(at->ref, snap);
}

Result<std::string> Storages::clone(std::string_view volid, Vmid new_vmid,
                                    std::optional<std::string_view> snap) {
    auto at = locate(volid);
    if (!at)
        return std::unexpected(std::move(at).error());
    auto& ref = at->ref;
    Backend* b = at->backend;
    auto lock = lock_storage(ref.storage);
    if (!lock)
        return std::unexpected(std::move(lock).error());
    auto name = b->clone_image(ref, new_vmid, snap);
    if (!name)
        return std::unexpected(std::move(name).error());
    return fmt::format("{}:{}", ref.storage, *name);
}

Result<std::string> Storages::create_base(std::string_view volid) {
    auto at = locate(volid);
    if (!at)
        return std::unexpected(std::move(at).error());
    auto& ref = at->ref;
    Backend* b = at->backend;
    auto lock = lock_storage(ref.storage);
    if (!lock)
        return std::unexpected(std::move(lock).error());
    auto name = b->create_base(ref);
    if (!name)
        return std::unexpected(std::move(name).error());
    return fmt::format("{}:{}", ref.storage, *name);
}

bool Storages::has_feature(Feature feature, std::string_view volid,
                           std::optional<std::string_view> snap) const {
    auto ref = parse_volume(volid);
    if (!ref)
        return false;
    if (auto it = m_active.find(ref->storage); it != m_active.end())
        return it->second->has_feature(feature, *ref, snap);
    auto e = entry(ref->storage);
    if (!e)
        return false;
    auto made =
        make_backend(**e, (*e)->path().empty() ? std::string() : m_host.host_path((*e)->path()));
    return made && (*made)->has_feature(feature, *ref, snap);
}

Result<std::string> alloc_ct_disk(Storages& storages, Vmid vmid, std::string_view storeid,
                                  std::uint64_t size_kib, std::uint32_t root_uid,
                                  std::uint32_t root_gid) {
    auto e = storages.entry(storeid);
    if (!e)
        return std::unexpected(std::move(e).error());
    if (!(*e)->has_content("rootdir"))
        return fail(Errc::unsupported,
                    fmt::format("content type 'rootdir' is not available or configured on "
                                "storage '{}'",
                                storeid),
                    {.context = storages.host().storage_cfg_path()});
    const bool raw = size_kib > 0;
    auto volid =
        storages.alloc(storeid, vmid, raw ? VolumeFormat::raw : VolumeFormat::subvol, size_kib);
    if (!volid)
        return std::unexpected(std::move(volid).error());
    auto finish = [&]() -> Result<void> {
        auto path = storages.path(*volid);
        if (!path)
            return std::unexpected(std::move(path).error());
        if (raw) {
            // pve-container's mkfs: the image file itself, no loop device.
            auto made =
                internal::run_command({"mkfs.ext4", "-O", "mmp", "-E",
                                       fmt::format("root_owner={}:{}", root_uid, root_gid), *path});
            if (!made)
                return std::unexpected(std::move(made).error());
            return {};
        }
        if (::lchown(path->c_str(), root_uid, root_gid) != 0)
            return std::unexpected(io_error("chown", *path, errno));
        return {};
    };
    if (auto ok = finish(); !ok) {
        (void)storages.free(*volid);
        return std::unexpected(std::move(ok).error());
    }
    return *volid;
}

} // namespace pct::storage
