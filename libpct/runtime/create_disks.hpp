// SPDX-License-Identifier: AGPL-3.0-or-later
// The volumes of a new container, as pve-container's create_vm and create_disks treat them
// (storage spec §3.1-3.2): the request forms (`STORAGE:SIZE_GiB`, a bare size, storage-only
// mode), then the allocation of each requested volume through `storage::alloc_ct_disk`, with
// the config rewritten to the new volume id and `size=` (the requested size).
#pragma once

#include "create_steps.hpp"
#include "id_map.hpp"

#include <pct/error.hpp>
#include <pct/model/config.hpp>
#include <pct/storage/storages.hpp>

#include <functional>
#include <string>
#include <vector>

namespace pct::runtime::detail {

/// create_vm's request rules on `opts`, in place: a bare size `N` of rootfs or mpN becomes
/// `<storage>:N`; with no rootfs and no mpN the rootfs is `<storage>:4` (storage-only mode);
/// mpN without rootfs is `Errc::invalid_argument` "mount points configured, but 'rootfs' not
/// set - aborting".
[[nodiscard]] Result<void> normalize_volume_requests(OptionMap& opts, const std::string& storage);

/// Whether `volume` is an allocation request `STORAGE:SIZE_GiB` (§3.2's regex).
[[nodiscard]] bool is_volume_request(std::string_view volume);

/// create_disks: for rootfs, mp0..mp255 (key order), each allocation request is allocated
/// (`hook` called with CreateStep::allocate first) as `alloc_ct_disk(size_kib =
/// int(GiB * 1024) * 1024, owned by root)`, its volume id appended to `allocated` at once,
/// then the key rewritten (`local:100/vm-100-disk-0.raw,size=8G`, a subvol `size=0T`) and
/// `record()` called so the config names it before the next one is made. Other values are
/// left as given. On error the caller frees `allocated` (as Proxmox's destroy_disks).
[[nodiscard]] Result<void> create_disks(storage::Storages& storages, Vmid vmid, OptionMap& opts,
                                        Owner root, const CreateStepHook& hook,
                                        const std::function<Result<void>()>& record,
                                        std::vector<std::string>& allocated);

} // namespace pct::runtime::detail
