// SPDX-License-Identifier: AGPL-3.0-or-later
/// @file
/// Volume operations on a container, as Proxmox's `pct` does them (storage.md §6, §7.8):
/// `resize`, `move_volume`, `rescan`, `df`, `fsck`, `fstrim`, and the rule of which volumes
/// `destroy` frees.
///
/// Every config change is made under the container's config lock with the digest checked
/// (`storage::ConfigDocument`): a caller's `digest` (Proxmox's API parameter) is compared with
/// the file before anything is done, and the file read under the lock is the one written back.
/// Messages and errors use Proxmox's texts (storage.md §8).
///
/// Threading: free functions over a `storage::Host` value; operations on one container
/// serialise through its config lock.
#pragma once

#include <pct/error.hpp>
#include <pct/model/config.hpp>
#include <pct/storage/host.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pct::runtime {

// ---- pure rules (no I/O) ----

/// A `pct resize` size argument: `\+?\d+(\.\d+)?[KMGT]?`; without a unit the number is bytes.
struct SizeRequest {
    bool relative = false; ///< leading `+`: grow by `bytes`
    double bytes = 0;
    friend bool operator==(const SizeRequest&, const SizeRequest&) = default;
};

/// Parses a size argument. `Errc::invalid_argument`, key `size`, "value does not match the
/// regex pattern" (Proxmox's parameter check) for anything else.
[[nodiscard]] Result<SizeRequest> parse_size_request(std::string_view text);

/// The new size in bytes for a volume of `current` bytes (`int(relative ? cur + req : req)`).
/// `Errc::invalid_argument` "unable to shrink disk size" / "disk is already at specified size".
[[nodiscard]] Result<std::uint64_t> resize_target(const SizeRequest& request,
                                                  std::uint64_t current);

/// One row of `pct df`.
struct DfRow {
    std::string key;                              ///< `rootfs`, `mp0`, ...
    std::string volume;                           ///< the volume string of the entry
    std::uint64_t total = 0, used = 0, avail = 0; ///< bytes (statvfs: blocks, blocks-bfree, bavail)
    std::string path; ///< the mount point inside the CT (`/` for rootfs)
    friend bool operator==(const DfRow&, const DfRow&) = default;
};

/// A size as `pct df` prints it: bare below 1024, else one decimal and K/M/G/T ("" from
/// 1024 T on, as Proxmox's helper returns nothing there).
[[nodiscard]] std::string df_size(std::uint64_t bytes);

/// The `pct df` table: header `MP Volume Size Used Avail Use% Path`, MP and Volume
/// left-aligned, the numbers right-aligned, each column as wide as its widest cell. `Use%` is
/// Proxmox's `sprintf('%.1f', used/total)` (a fraction, not a percentage).
[[nodiscard]] std::string format_df(const std::vector<DfRow>& rows);

/// A volume a storage lists for a container (`vdisk_list` with `rootdir` content).
struct ListedVolume {
    std::string volid;      ///< `STORAGE:VOLNAME`
    Vmid owner;             ///< the vmid the storage lists it under
    std::uint64_t size = 0; ///< bytes; 0 for subvols
    std::string path;       ///< its path on the host (real path; aliases compare equal)
    friend bool operator==(const ListedVolume&, const ListedVolume&) = default;
};

/// One change `rescan` makes to a config.
struct RescanChange {
    enum class Kind { add_unused, update_size };
    Kind kind = Kind::add_unused;
    std::string key; ///< the `unusedN` added, or the `rootfs`/`mpN` whose size changes
    std::string volid;
    std::uint64_t size = 0; ///< the new size (update_size)
    /// Proxmox's line: "CT <vmid>: add unreferenced volume 'V' as 'unusedN' to config." /
    /// "CT <vmid>: updated volume size of 'V' in config."
    std::string message;
    friend bool operator==(const RescanChange&, const RescanChange&) = default;
};

/// The host path of a volume id as a config names it ("" when it has none: bind, device,
/// unknown storage). Used to compare volumes by real path.
using VolumePathFn = std::function<std::string(std::string_view volid)>;

/// What `rescan` changes in one container's main section (storage.md §6.3): each listed
/// volume of `vmid` not referenced by `rootfs`/`mpN` and whose path no `unusedN` or in-use
/// volume has becomes the lowest free `unusedN`; each `rootfs`/`mpN` whose listed size differs
/// from its `size` gets the listed size. `Errc::invalid_argument` "Too many unused volumes -
/// please delete them first." when no `unusedN` (0..255) is free.
[[nodiscard]] Result<std::vector<RescanChange>> plan_rescan(const ContainerConfig& config,
                                                            Vmid vmid,
                                                            const std::vector<ListedVolume>& listed,
                                                            const VolumePathFn& path_of);

/// The owner vmid of a storage volume id (nullopt: not a storage volume, e.g. a bind source
/// or a device, or a volume id no storage can parse).
using VolumeOwnerFn = std::function<std::optional<Vmid>(std::string_view volid)>;

/// Which volumes `destroy` frees (storage.md §7.8): every storage volume of `rootfs`, `mpN`
/// and `unusedN`, in the main section and the pending one, each once, in key order, only
/// when its owner is `vmid`. Others are reported in `warnings` ("ignore deletion of 'V', CT
/// <vmid> isn't the owner!"); bind and device mount points are never listed.
struct DestroyPlan {
    std::vector<std::string> free;
    std::vector<std::string> warnings;
    friend bool operator==(const DestroyPlan&, const DestroyPlan&) = default;
};
[[nodiscard]] DestroyPlan plan_destroy_volumes(const ContainerConfig& config, Vmid vmid,
                                               const VolumeOwnerFn& owner_of);

} // namespace pct::runtime
