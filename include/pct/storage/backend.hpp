// SPDX-License-Identifier: AGPL-3.0-or-later
/// @file
/// The storage backend interface: what one storage type (`dir`, `btrfs`, a third party's)
/// does with volumes, after Proxmox's storage plugins (pve-storage: src/PVE/Storage/Plugin.pm).
///
/// A backend object serves ONE storage of storage.cfg (its `StorageEntry` and its base path
/// already resolved under the host root). `Storages` (storages.hpp) creates it through the
/// factory registered for the entry's type, activates it once per operation and calls it under
/// the storage lock where Proxmox does (alloc, free, clone, create_base). Volume names
/// (`volname`) are the part of a volume id after `STORAGE:`, e.g. `100/vm-100-disk-0.raw`.
///
/// **Adding a storage type**: derive from `Backend` (or from `DirBackend`, dir_backend.hpp,
/// for a file-system storage that lays volumes out as `dir` does), implement the pure virtual
/// members, and call `register_backend("mytype", factory)` once before loading storages.
/// Members with a default refuse with Proxmox's text or do what the `dir` plugin does.
///
/// Errors: Proxmox's texts (spec storage.md §8) with `Errc::invalid_argument` (bad names),
/// `Errc::not_found` (missing volume), `Errc::already_exists`, `Errc::unsupported` (the type
/// or format cannot do it), `Errc::bad_state`, `Errc::io` (errno) and `Errc::internal`.
///
/// Threading: a backend is used by one thread at a time; `register_backend` and the factory
/// lookup are thread-safe.
#pragma once

#include <pct/error.hpp>
#include <pct/model/config.hpp>
#include <pct/storage/storage_cfg.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pct::storage {

/// Image formats of dir/btrfs storages. Containers use raw (ext4 in a file) and subvol (a
/// directory); qcow2/vmdk are VM formats, recognised in names only.
enum class VolumeFormat { raw, subvol, qcow2, vmdk };

/// `raw`, `subvol`, `qcow2`, `vmdk`.
[[nodiscard]] std::string_view format_name(VolumeFormat format) noexcept;
/// The format of a name, nullopt for anything else.
[[nodiscard]] std::optional<VolumeFormat> format_from_name(std::string_view name) noexcept;

/// Storage features of a volume (Proxmox's `volume_has_feature`, spec §7.1).
enum class Feature { snapshot, clone, template_, copy, sparseinit, rename, replicate };

/// `snapshot`, `clone`, `template`, `copy`, `sparseinit`, `rename`, `replicate`.
[[nodiscard]] std::string_view feature_name(Feature feature) noexcept;
/// The feature of a name, nullopt for anything else.
[[nodiscard]] std::optional<Feature> feature_from_name(std::string_view name) noexcept;

/// A parsed volume id (Proxmox's `parse_volname`, spec §2.2).
struct VolumeRef {
    std::string storage;           ///< storage id
    std::string volname;           ///< everything after `STORAGE:`
    std::string vtype;             ///< `images`, `iso`, `vztmpl`, `backup`, `snippets`, `import`
    std::string name;              ///< the volume's own file name (`vm-100-disk-0.raw`)
    std::optional<Vmid> owner;     ///< the owning guest (`images`, and backups of a guest)
    std::string base_name;         ///< linked clone (dir/qcow2 form): the base's name
    std::optional<Vmid> base_vmid; ///< linked clone: the base's owner
    bool is_base = false;          ///< `base-` name (a template volume)
    VolumeFormat format = VolumeFormat::raw;

    /// `STORAGE:VOLNAME`.
    [[nodiscard]] std::string volid() const { return storage + ":" + volname; }
    friend bool operator==(const VolumeRef&, const VolumeRef&) = default;
};

/// Proxmox's `parse_volname` of the file-system plugins (§2.2) for storage `storage`:
/// linked clone `BASEVMID/BASENAME/VMID/NAME`, `VMID/NAME`, `iso/`, `vztmpl/`, `backup/`,
/// `snippets/`, `import/`. `Errc::invalid_argument` with Proxmox's texts ("unable to parse
/// directory volume name 'X'", "unable to parse volume filename 'X'", "'X' is a snapshot
/// filename, not a volume!").
[[nodiscard]] Result<VolumeRef> parse_dir_volname(std::string_view storage,
                                                  std::string_view volname);

/// One listed image (spec §2.7).
struct VolumeInfo {
    std::string volid;
    VolumeFormat format = VolumeFormat::raw;
    std::uint64_t size = 0; ///< bytes (virtual size); 0 for subvols
    std::uint64_t used = 0; ///< bytes allocated on disk; 0 for subvols
    std::optional<Vmid> owner;
    friend bool operator==(const VolumeInfo&, const VolumeInfo&) = default;
};

/// Proxmox's `volume_size_info`: size (0 for subvols), format, used bytes.
struct VolumeSize {
    std::uint64_t size = 0;
    VolumeFormat format = VolumeFormat::raw;
    std::uint64_t used = 0;
    friend bool operator==(const VolumeSize&, const VolumeSize&) = default;
};

/// One storage of one type. See the file comment.
class Backend {
  public:
    /// `entry` is the storage's definition, `base` its `path` resolved under the host root
    /// ("" for a storage without a path).
    Backend(StorageEntry entry, std::string base);
    Backend(const Backend&) = delete;
    Backend& operator=(const Backend&) = delete;
    virtual ~Backend();

    [[nodiscard]] const StorageEntry& entry() const noexcept { return m_entry; }
    [[nodiscard]] const std::string& id() const noexcept { return m_entry.name; }
    /// The storage's base directory on this host (`R` + `path`).
    [[nodiscard]] const std::string& base() const noexcept { return m_base; }

    /// Makes the storage usable (mount checks, directories). Called once per operation.
    [[nodiscard]] virtual Result<void> activate_storage() = 0;
    /// Parses a volume name of this storage (default: the dir rules of §2.2).
    [[nodiscard]] virtual Result<VolumeRef> parse_volname(std::string_view volname) const;
    /// Allocates a new image of the guest `vmid` and returns its volume name. `name` nullopt
    /// picks the next free `vm-|subvol-<vmid>-disk-<N>.<fmt>` (§2.5). Called under the
    /// storage lock.
    [[nodiscard]] virtual Result<std::string> alloc_image(Vmid vmid, VolumeFormat format,
                                                          std::optional<std::string_view> name,
                                                          std::uint64_t size_kib) = 0;
    /// Removes an image (and, where the type keeps them beside it, its snapshots). A missing
    /// image is not an error (Proxmox only warns). Called under the storage lock.
    [[nodiscard]] virtual Result<void> free_image(const VolumeRef& volume) = 0;
    /// The host path of a volume (or of its snapshot `snap`).
    [[nodiscard]] virtual Result<std::string>
    path(const VolumeRef& volume, std::optional<std::string_view> snap = {}) const = 0;
    /// Makes a volume usable; default: its path must exist ("volume 'ID:VOLNAME' does not
    /// exist", `Errc::not_found`).
    [[nodiscard]] virtual Result<void> activate_volume(const VolumeRef& volume,
                                                       std::optional<std::string_view> snap = {});
    /// Undoes `activate_volume`; default: nothing.
    [[nodiscard]] virtual Result<void> deactivate_volume(const VolumeRef& volume,
                                                         std::optional<std::string_view> snap = {});
    /// The images of guest `vmid` (all guests when nullopt), sorted by volume id.
    [[nodiscard]] virtual Result<std::vector<VolumeInfo>>
    list_images(std::optional<Vmid> vmid = {}) const = 0;
    [[nodiscard]] virtual Result<VolumeSize> volume_size(const VolumeRef& volume) const = 0;
    /// Grows a volume to `new_size_bytes` (default: "can't resize this image format").
    [[nodiscard]] virtual Result<void> resize(const VolumeRef& volume,
                                              std::uint64_t new_size_bytes);
    /// Default: "can't snapshot this image format" (`Errc::unsupported`).
    [[nodiscard]] virtual Result<void> snapshot(const VolumeRef& volume, std::string_view snap);
    /// Default: "can't rollback snapshot this image format".
    [[nodiscard]] virtual Result<void> rollback(const VolumeRef& volume, std::string_view snap);
    /// Default: "can't delete snapshot for this image format".
    [[nodiscard]] virtual Result<void> delete_snapshot(const VolumeRef& volume,
                                                       std::string_view snap);
    /// A linked clone of `volume` (or of its snapshot) for guest `new_vmid`; returns the new
    /// volume name. Called under the storage lock. Default: `Errc::unsupported`.
    [[nodiscard]] virtual Result<std::string> clone_image(const VolumeRef& volume, Vmid new_vmid,
                                                          std::optional<std::string_view> snap);
    /// Turns a volume into a template (base) volume; returns its (maybe new) volume name.
    /// Called under the storage lock. Default: `Errc::unsupported`.
    [[nodiscard]] virtual Result<std::string> create_base(const VolumeRef& volume);
    /// Proxmox's feature table for this type (§7.1), for container callers (target formats
    /// raw and subvol).
    [[nodiscard]] virtual bool has_feature(Feature feature, const VolumeRef& volume,
                                           std::optional<std::string_view> snap = {}) const = 0;

  private:
    StorageEntry m_entry;
    std::string m_base;
};

/// Makes the backend of one storage: `entry` its definition, `base` its path under the host
/// root. May refuse (e.g. a missing option) with an `Error`.
using BackendFactory =
    std::function<Result<std::unique_ptr<Backend>>(const StorageEntry& entry, std::string base)>;

/// Registers (or replaces) the backend of storage type `type`. `dir` and `btrfs` are built in.
void register_backend(std::string type, BackendFactory factory);

/// Makes the backend for `entry` (`base` as for `BackendFactory`). `Errc::unsupported`
/// "storage type 'T' is not supported by this build" when no backend is registered.
[[nodiscard]] Result<std::unique_ptr<Backend>> make_backend(const StorageEntry& entry,
                                                            std::string base);

} // namespace pct::storage
