// SPDX-License-Identifier: AGPL-3.0-or-later
// What `create` and `restore` (Proxmox's create_vm with and without restore=1) share around
// their volumes: the undo of a failed run, the folders a run makes, the host's arch and the
// defaults written last (storage spec §3.6).
#pragma once

#include "id_map.hpp"

#include <pct/model/config.hpp>
#include <pct/model/settings.hpp>
#include <pct/storage/host.hpp>
#include <pct/storage/storages.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace pct::runtime::detail {

/// What a failed create or restore made, removed again when it returns early: the mounts,
/// every volume allocated, the `images/<CTID>/` folders it made (when empty), the files in a
/// caller's rootfs directory (or the directory when the run made it), `<ct_dir>/rootfs` and
/// `<ct_dir>` (when empty) and the `lock: create` config, or, when `previous` is set (a
/// `--force` restore whose old container still has its volumes), that old config written back.
class CreateUndo {
  public:
    CreateUndo(const storage::Host& host, const storage::ConfigLock& lock,
               storage::Storages& storages)
        : m_host(host), m_lock(lock), m_storages(storages) {}
    CreateUndo(const CreateUndo&) = delete;
    CreateUndo& operator=(const CreateUndo&) = delete;
    ~CreateUndo();
    void dismiss() { m_dismissed = true; }

    std::optional<ContainerSettings> mounted; ///< set while mount_all's mounts are up
    std::vector<std::string> volumes;
    std::vector<std::string> made_dirs; ///< innermost first
    std::string given_dir;
    bool given_dir_existed = false;
    std::optional<Owner> given_owner;
    std::optional<ContainerConfig> previous;
    /// Host files the run wrote (a restored firewall file), removed again.
    std::vector<std::string> made_files;
    /// `<ct_dir>` is the run's to remove whole (a `--force` restore once the old container's
    /// volumes are freed): removed as `destroy` removes it, only when nothing is mounted below.
    bool owns_ct_dir = false;

  private:
    const storage::Host& m_host;
    const storage::ConfigLock& m_lock;
    storage::Storages& m_storages;
    bool m_dismissed = false;
};

/// The folders a create may make on the way to its volumes and mounts, outermost last:
/// `images/<CTID>` of every storage named by an allocation request, `<ct_dir>/rootfs` and
/// `<ct_dir>`. Only those missing now are the run's to remove again.
[[nodiscard]] std::vector<std::string> missing_dirs(const storage::Host& host, Vmid vmid,
                                                    const OptionMap& opts);

/// The config of create's or restore's `options` (`pct create --KEY`): each key checked with
/// `settable_at_create` and `validate::value` (`Errc::invalid_argument` naming the key),
/// `unusedN` ignored as Proxmox does, `description` as the section's comment text.
[[nodiscard]] Result<ContainerConfig>
config_from_options(const std::map<std::string, std::string>& options);

/// The volumes of `rootfs` and `mpN` (after normalize_volume_requests) as create can use
/// them: an allocation request, a host path, or an existing container disk of a storage
/// (`local:abc`, `local:-1` and `local:1e3` are none of these and Proxmox refuses them).
[[nodiscard]] Result<void> check_volumes(const OptionMap& opts);

/// Every netN of `opts` gets a stable MAC (a new one for all with `unique`) and the default
/// type `veth`, as Proxmox's parse_lxc_network does when the config is made.
[[nodiscard]] Result<void> fill_net_defaults(OptionMap& opts, bool unique);

/// The host's architecture as Proxmox names it (`amd64`, `arm64`, `i386`, `armhf`, `riscv64`).
[[nodiscard]] std::string host_arch();

/// create_vm's last defaults: `hostname` `CT<CTID>`, `memory` 512, `swap` 512 when unset.
void apply_create_defaults(OptionMap& opts, Vmid vmid);

} // namespace pct::runtime::detail
