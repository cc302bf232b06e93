// SPDX-License-Identifier: AGPL-3.0-or-later
// The pure rules of the volume operations (storage.md §6, §7.8), apart from the I/O so that
// unit tests cover them whole: the resize size argument and grow-only check, what rescan
// changes in a config, which volumes destroy frees.
#pragma once

#include <pct/error.hpp>
#include <pct/model/config.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pct::runtime::detail {

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

} // namespace pct::runtime::detail
