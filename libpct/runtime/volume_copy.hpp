// SPDX-License-Identifier: AGPL-3.0-or-later
// Proxmox's copy_volume (storage.md §6.2, §7.7; pve-container src/PVE/LXC.pm copy_volume):
// the one copy of a container volume to a new volume, shared by `move-volume` to another
// storage and by full clones.
#pragma once

#include "id_map.hpp"

#include <pct/error.hpp>
#include <pct/model/properties.hpp>
#include <pct/runtime/progress.hpp>
#include <pct/storage/host.hpp>
#include <pct/storage/storages.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pct::runtime::detail {

/// What to copy where.
struct VolumeCopy {
    std::string volid;               ///< the source volume (`STORE:NAME`)
    std::optional<std::string> snap; ///< copy this snapshot of it instead of its current state
    Vmid vmid;                       ///< owner of the new volume; `<ct_dir>` holds the mounts
    std::string target_storage;      ///< where the new volume is allocated
    Owner root;                      ///< host ids of the CT's root (`root_owner`)
    std::uint64_t bwlimit_kib = 0;   ///< rsync `--bwlimit` (0 = unlimited)
    ProgressFn progress{};           ///< phase "copy": bytes rsync has sent (empty: none)
};

/// Allocates a volume for `copy.vmid` on `copy.target_storage` as alloc_disk does (by the
/// source's size: raw + mkfs.ext4, a subvol for 0), then copies the source's file tree into it
/// with rsync (reporting its progress to `copy.progress`), both mounted (the source read-only) in a
/// private mount namespace under
/// `<ct_dir>/.copy-volume-{2,1}`. Returns the new volume id; on failure the new volume is freed
/// again. Errors: `Errc::unsupported` "cannot mount subvol snapshots for storage type 'T'" for a
/// subvol snapshot, those of `Storages` and `alloc_ct_disk`, and rsync's failure (`Errc::io`).
/// Holds no config lock: callers protect the source with a `lock:` property.
[[nodiscard]] Result<std::string> copy_volume(const storage::Host& host,
                                              storage::Storages& storages, const VolumeCopy& copy);

/// Proxmox's copy_volume refusal for a mount point that is no storage volume: "cannot copy
/// volumes of type T" (`Errc::invalid_argument`, key `key`).
[[nodiscard]] Error not_copyable(const MountPoint& mp, std::string_view key);

} // namespace pct::runtime::detail
