// SPDX-License-Identifier: AGPL-3.0-or-later
/// @file
/// The `btrfs` storage backend (pve-storage: src/PVE/Storage/BTRFSPlugin.pm; spec storage.md
/// §1.7, §2.3, §2.7-2.9, §7.1-7.2, §7.5-7.6), through the `btrfs` command of btrfs-progs.
///
/// Layout as dir, except: a raw volume `vm-100-disk-0.raw` is a subvolume
/// `images/100/vm-100-disk-0/` holding `disk.raw` (nocow when `nocow` is set); a subvol volume
/// is a subvolume `images/100/subvol-100-disk-0.subvol`; snapshot `S` of either is the
/// read-only sibling subvolume `NAME@S`. Rollback makes a writable snapshot of `NAME@S` and
/// swaps it with `NAME` (renameat2 RENAME_EXCHANGE); a linked clone is a writable snapshot of
/// the base. The storage path must be on btrfs ("'P' is not a btrfs file system").
///
/// Threading: as `Backend`.
#pragma once

#include <pct/storage/dir_backend.hpp>

namespace pct::storage {

class BtrfsBackend : public DirBackend {
  public:
    using DirBackend::DirBackend;

    Result<void> activate_storage() override;
    Result<std::string> alloc_image(Vmid vmid, VolumeFormat format,
                                    std::optional<std::string_view> name,
                                    std::uint64_t size_kib) override;
    Result<void> free_image(const VolumeRef& volume) override;
    Result<std::string> path(const VolumeRef& volume,
                             std::optional<std::string_view> snap = {}) const override;
    Result<std::vector<VolumeInfo>> list_images(std::optional<Vmid> vmid = {}) const override;
    Result<VolumeSize> volume_size(const VolumeRef& volume) const override;
    Result<void> resize(const VolumeRef& volume, std::uint64_t new_size_bytes) override;
    Result<void> snapshot(const VolumeRef& volume, std::string_view snap) override;
    Result<void> rollback(const VolumeRef& volume, std::string_view snap) override;
    Result<void> delete_snapshot(const VolumeRef& volume, std::string_view snap) override;
    Result<std::string> clone_image(const VolumeRef& volume, Vmid new_vmid,
                                    std::optional<std::string_view> snap) override;
    Result<std::string> create_base(const VolumeRef& volume) override;
    bool has_feature(Feature feature, const VolumeRef& volume,
                     std::optional<std::string_view> snap = {}) const override;

    /// The subvolume of an image volume (`.../vm-100-disk-0` for raw, the `.subvol`
    /// directory for subvol), or of its snapshot `NAME@SNAP`.
    [[nodiscard]] Result<std::string> subvolume(const VolumeRef& volume,
                                                std::optional<std::string_view> snap = {}) const;
};

} // namespace pct::storage
