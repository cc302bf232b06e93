// SPDX-License-Identifier: AGPL-3.0-or-later
// The snapshot engine: pve-guest-common's AbstractConfig snapshot methods with pve-container's
// `__snapshot_*` hooks, over a driver for everything outside the config file (storage,
// the container, the clock). The real driver is `snapshot_driver.cpp`; the conformance suite
// drives the same engine with a simulated storage (tests/cpp/test_snapshot_suite.cpp).
#pragma once

#include <pct/error.hpp>
#include <pct/model/config.hpp>
#include <pct/model/properties.hpp>
#include <pct/storage/host.hpp>

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace pct::runtime::detail {

/// What the engine asks of the world (Proxmox's storage calls and container hooks).
class SnapshotDriver {
  public:
    virtual ~SnapshotDriver() = default;
    /// `volume_has_feature('snapshot', ...)` for one `rootfs`/`mpN` entry.
    [[nodiscard]] virtual bool can_snapshot(std::string_view key, const MountPoint& mp) = 0;
    /// `activate_storage_list` of the storages (sorted, unique) the volumes live on.
    [[nodiscard]] virtual Result<void> activate_storages(const std::vector<std::string>& ids) = 0;
    [[nodiscard]] virtual Result<void> volume_snapshot(const MountPoint& mp,
                                                       std::string_view snap) = 0;
    [[nodiscard]] virtual Result<void> volume_snapshot_delete(const MountPoint& mp,
                                                              std::string_view snap) = 0;
    [[nodiscard]] virtual Result<void> volume_rollback_is_possible(const MountPoint& mp,
                                                                   std::string_view snap) = 0;
    /// Rolls the volume back; what is only worth a warning goes to `warnings`.
    [[nodiscard]] virtual Result<void>
    volume_snapshot_rollback(const MountPoint& mp, std::string_view snap,
                             std::vector<std::string>& warnings) = 0;
    /// `check_running`.
    [[nodiscard]] virtual bool running() = 0;
    /// Freezes the running container and syncs its file systems (`__snapshot_freeze`).
    [[nodiscard]] virtual Result<void> freeze() = 0;
    /// Thaws what `freeze` froze; failures are warnings (as Proxmox's unfreeze).
    virtual void thaw(std::vector<std::string>& warnings) = 0;
    /// `vm_stop($vmid, 1)`: a hard stop. Called without the config flock held.
    [[nodiscard]] virtual Result<void> hard_stop() = 0;
    /// `time()` for `snaptime`.
    [[nodiscard]] virtual std::int64_t now() = 0;
};

/// One container's snapshot operations, each as its AbstractConfig namesake. The config is read
/// and written under the container's flock for each step (never across a volume operation);
/// every write is the canonical rendering of the changed model.
class SnapshotEngine {
  public:
    SnapshotEngine(const storage::Host& host, Vmid vmid, SnapshotDriver& driver)
        : m_host(host), m_vmid(vmid), m_driver(driver) {}

    /// `__snapshot_prepare`: checks, `lock: snapshot`, the new section with `snapstate: prepare`.
    [[nodiscard]] Result<void> prepare(std::string_view name, std::string_view comment,
                                       bool vmstate);
    /// `__snapshot_commit`: the section completed, `parent: NAME`, the lock removed.
    [[nodiscard]] Result<void> commit(std::string_view name);
    /// `snapshot_create`: prepare, freeze, volume snapshots, thaw, commit (cleanup on failure).
    [[nodiscard]] Result<void> create(std::string_view name, std::string_view comment,
                                      bool vmstate);
    /// `snapshot_delete`. `done` is create's cleanup: only those keys' volumes were snapshotted
    /// and the config holds `lock: snapshot` (Proxmox's `$drivehash`).
    [[nodiscard]] Result<void> remove(std::string_view name, bool force,
                                      const std::set<std::string>* done = nullptr);
    /// `snapshot_rollback`.
    [[nodiscard]] Result<void> rollback(std::string_view name);

    /// Proxmox's warnings so far, in order.
    [[nodiscard]] const std::vector<std::string>& warnings() const noexcept { return m_warnings; }

  private:
    template <class Step> Result<void> with_config(Step&& step);

    const storage::Host& m_host;
    Vmid m_vmid;
    SnapshotDriver& m_driver;
    std::vector<std::string> m_warnings;
};

/// The `rootfs`/`mpN` entries of a section in Proxmox's order (`foreach_volume`); entries that
/// do not parse are skipped, as `parse_volume($key, $value, 1)` does.
[[nodiscard]] std::vector<std::pair<std::string, MountPoint>> section_mounts(const Section& s);

} // namespace pct::runtime::detail
