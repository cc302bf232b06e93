// SPDX-License-Identifier: AGPL-3.0-or-later
/// @file
/// The `dir` storage backend (pve-storage: src/PVE/Storage/Plugin.pm, DirPlugin.pm): volumes
/// are files and directories under `<path>/images/<vmid>/`, templates under
/// `<path>/template/cache/`, and so on (spec storage.md §1.5, §2.3). A subvol is a plain
/// directory; a raw image is a sparse file made with `ftruncate` (or `posix_fallocate` /
/// written zeros for `preallocation falloc|full`), which is what `qemu-img create -f raw` makes:
/// libpct does not use qemu-img, so qcow2/vmdk images are recognised but not created.
///
/// Other file-system storages (`btrfs`, a third party's) derive from it to share the layout,
/// activation and naming rules.
///
/// Threading: as `Backend`.
#pragma once

#include <pct/storage/backend.hpp>

namespace pct::storage {

class DirBackend : public Backend {
  public:
    using Backend::Backend;

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
    Result<std::string> create_base(const VolumeRef& volume) override;
    bool has_feature(Feature feature, const VolumeRef& volume,
                     std::optional<std::string_view> snap = {}) const override;

    /// The absolute directory of a content type (`get_subdir`, with `content-dirs`).
    [[nodiscard]] std::string subdir(std::string_view vtype) const;
    /// `<images>/<vmid>`.
    [[nodiscard]] std::string image_dir(Vmid vmid) const;
    /// The next free `vm-|subvol-<vmid>-disk-<N>.<fmt>` (§2.5): numbers are shared by every
    /// prefix and format among `list_images(vmid)`. `Errc::bad_state` "unable to allocate an
    /// image name for VM <vmid> in storage 'ID'" when 0..1023 are taken.
    [[nodiscard]] Result<std::string> next_disk_name(Vmid vmid, VolumeFormat format) const;

  protected:
    /// The `is_mountpoint` check (§1.8): the path it names must be a mount point.
    [[nodiscard]] Result<void> check_mountpoint() const;
    /// `mkpath <path>` unless `create-base-path` (else `mkdir`) is 0.
    [[nodiscard]] Result<void> make_base_path() const;
    /// The generic part: the path must be a directory, then the content sub-directories.
    [[nodiscard]] Result<void> activate_directories() const;
    /// Checks a requested name against the format (`illegal name ... wrong extension`).
    [[nodiscard]] Result<void> check_new_name(std::string_view name, VolumeFormat format) const;
    /// The first steps of every `alloc_image` (Plugin.pm): `mkpath <images>/<vmid>` (0740),
    /// then the file name of the new image: `name`, else `next_disk_name`, checked by
    /// `check_new_name`.
    [[nodiscard]] Result<std::string> new_image_name(Vmid vmid, VolumeFormat format,
                                                     std::optional<std::string_view> name) const;
};

} // namespace pct::storage
