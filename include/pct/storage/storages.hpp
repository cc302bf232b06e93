// SPDX-License-Identifier: AGPL-3.0-or-later
/// @file
/// The storages of one host for one operation: storage.cfg parsed once, each used storage's
/// backend made and activated once (Proxmox's per-call activation cache), and the volume
/// operations of pve-storage's `PVE::Storage` (spec storage.md §1.8, §2, §7) on volume ids.
///
/// Paths are under the host root `R` (see `Host`): a storage with `path /x` lives at `R/x`.
///
/// Locking: `alloc`, `free`, `clone` and `create_base` run under the storage lock, a `flock` of
/// `R/var/lock/pve-manager/pve-storage-<ID>` (Proxmox's local storage lock), so that choosing
/// a free disk name and creating it is atomic among libpct and Proxmox processes.
///
/// New files and directories get at most mode 0640/0740 as under Proxmox's `umask 0037`
/// (set by explicit modes: the process umask is process-wide state a library must not touch).
///
/// Threading: one `Storages` is used by one thread at a time (it caches backends).
#pragma once

#include <pct/error.hpp>
#include <pct/model/config.hpp>
#include <pct/storage/backend.hpp>
#include <pct/storage/host.hpp>
#include <pct/storage/lock.hpp>
#include <pct/storage/storage_cfg.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pct::storage {

/// How long the storage lock is waited for (Proxmox's `lock_file` default: 10 s).
inline constexpr std::chrono::milliseconds storage_lock_timeout{10000};

/// See the file comment.
class Storages {
  public:
    /// Reads `R/etc/pve/storage.cfg` (a missing file is just the built-in `local`).
    /// Errors: `Errc::io` when the file cannot be read.
    [[nodiscard]] static Result<Storages> load(const Host& host);
    /// Over an already parsed config.
    [[nodiscard]] static Storages from_config(const Host& host, StorageConfig config);

    Storages(Storages&&) noexcept;
    Storages& operator=(Storages&&) noexcept;
    Storages(const Storages&) = delete;
    Storages& operator=(const Storages&) = delete;
    ~Storages();

    [[nodiscard]] const Host& host() const noexcept { return m_host; }
    [[nodiscard]] const StorageConfig& config() const noexcept { return m_config; }

    /// The definition of a storage. `Errc::invalid_argument` "no storage ID specified";
    /// `Errc::not_found` "storage 'ID' does not exist".
    [[nodiscard]] Result<const StorageEntry*> entry(std::string_view storeid) const;
    /// The activated backend of an enabled storage (made and activated on first use).
    /// Errors: those of `entry`; `Errc::bad_state` "storage 'ID' is disabled" / "storage 'ID'
    /// is not available on node 'N'"; `Errc::unsupported` "storage type 'T' is not supported
    /// by this build"; the backend's activation errors.
    [[nodiscard]] Result<Backend*> backend(std::string_view storeid);

    /// Parses `STORAGE:VOLNAME` (§2.1, §2.2) with the storage's rules; the storage must exist
    /// and be supported (it is not activated). `Errc::invalid_argument` "unable to parse
    /// volume ID 'X'" and the volname texts of `check_dir_image_name`.
    [[nodiscard]] Result<VolumeRef> parse_volume(std::string_view volid) const;

    /// Allocates an image of `vmid` in `format` (`size_kib` 0 for a subvol) with the next free
    /// name, under the storage lock; returns its volume id. Proxmox's `vdisk_alloc`.
    [[nodiscard]] Result<std::string> alloc(std::string_view storeid, Vmid vmid,
                                            VolumeFormat format, std::uint64_t size_kib);
    /// Like `alloc` with a given `name` (`vm-100-disk-7.raw`): `Errc::already_exists` "disk
    /// image 'P' already exists", `Errc::invalid_argument` for a wrong extension.
    [[nodiscard]] Result<std::string> alloc_named(std::string_view storeid, Vmid vmid,
                                                  VolumeFormat format, std::string_view name,
                                                  std::uint64_t size_kib);
    /// Frees an image and its snapshots, under the storage lock (Proxmox's `vdisk_free`).
    /// `Errc::bad_state` "base volume 'VOLNAME' is still in use by linked clones".
    [[nodiscard]] Result<void> free(std::string_view volid);
    /// The host path of a volume (or its snapshot); activates the storage and the volume.
    [[nodiscard]] Result<std::string> path(std::string_view volid,
                                           std::optional<std::string_view> snap = {});
    /// The images on a storage, of one guest or all.
    [[nodiscard]] Result<std::vector<VolumeInfo>> list(std::string_view storeid,
                                                       std::optional<Vmid> vmid = {});
    [[nodiscard]] Result<VolumeSize> size(std::string_view volid);
    /// Grows a raw volume (the file, not the file system in it). `Errc::invalid_argument`
    /// "unable to shrink disk size" / "disk is already at specified size".
    [[nodiscard]] Result<void> resize(std::string_view volid, std::uint64_t new_size_bytes);
    [[nodiscard]] Result<void> snapshot(std::string_view volid, std::string_view snap);
    [[nodiscard]] Result<void> rollback(std::string_view volid, std::string_view snap);
    [[nodiscard]] Result<void> delete_snapshot(std::string_view volid, std::string_view snap);
    /// A linked clone of `volid` (or of its snapshot) for `new_vmid` on the same storage,
    /// under the storage lock; returns the new volume id.
    [[nodiscard]] Result<std::string> clone(std::string_view volid, Vmid new_vmid,
                                            std::optional<std::string_view> snap = {});
    /// Makes a volume a template volume under the storage lock; returns the new volume id.
    [[nodiscard]] Result<std::string> create_base(std::string_view volid);
    /// Proxmox's `volume_has_feature` for container callers (§7.1). A volume that cannot be
    /// parsed, or on a storage that is unknown or unsupported, has no feature.
    [[nodiscard]] bool has_feature(Feature feature, std::string_view volid,
                                   std::optional<std::string_view> snap = {}) const;

    /// The storage lock file: `R/var/lock/pve-manager/pve-storage-<ID>`.
    [[nodiscard]] std::string lock_path(std::string_view storeid) const;

  private:
    Storages(Host host, StorageConfig config);
    /// A volume id parsed, with its storage's backend (activated).
    struct Located {
        Backend* backend;
        VolumeRef ref;
    };
    Result<Located> locate(std::string_view volid);
    /// Proxmox's storage lock (`lock_path`), taken around what allocates or frees names.
    Result<FileLock> lock_storage(std::string_view storeid) const;
    Result<std::string> alloc_image(std::string_view storeid, Vmid vmid, VolumeFormat format,
                                    std::optional<std::string_view> name, std::uint64_t size_kib);
    Host m_host;
    StorageConfig m_config;
    std::map<std::string, std::unique_ptr<Backend>, std::less<>> m_active;
};

/// Allocates a container volume as pve-container's `alloc_disk` (spec §3.3-3.5) on a storage
/// with `rootdir` content and a `path`: `size_kib` > 0 gives a raw image formatted with
/// `mkfs.ext4 -O mmp -E root_owner=UID:GID <file>` (freed again when mkfs fails), 0 a subvol
/// chowned to `root_uid:root_gid`. Returns the volume id. Errors: `Errc::unsupported`
/// "content type 'rootdir' is not available or configured on storage 'ID'", those of
/// `Storages::alloc`, and "command 'mkfs.ext4 ...' failed: ..." (`Errc::io`).
[[nodiscard]] Result<std::string> alloc_ct_disk(Storages& storages, Vmid vmid,
                                                std::string_view storeid, std::uint64_t size_kib,
                                                std::uint32_t root_uid, std::uint32_t root_gid);

} // namespace pct::storage
