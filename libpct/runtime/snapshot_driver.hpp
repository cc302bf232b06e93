// SPDX-License-Identifier: AGPL-3.0-or-later
// The snapshot engine's driver for a real host (see snapshot_driver.cpp).
#pragma once

#include "snapshot_engine.hpp"

#include <pct/storage/storages.hpp>

namespace pct::runtime::detail {

class HostSnapshotDriver final : public SnapshotDriver {
  public:
    HostSnapshotDriver(const storage::Host& host, Vmid vmid, storage::Storages storages);

    bool can_snapshot(std::string_view key, const MountPoint& mp) override;
    Result<void> activate_storages(const std::vector<std::string>& ids) override;
    Result<void> volume_snapshot(const MountPoint& mp, std::string_view snap) override;
    Result<void> volume_snapshot_delete(const MountPoint& mp, std::string_view snap) override;
    Result<void> volume_rollback_is_possible(const MountPoint& mp, std::string_view snap) override;
    Result<void> volume_snapshot_rollback(const MountPoint& mp, std::string_view snap,
                                          std::vector<std::string>& warnings) override;
    bool running() override;
    Result<void> freeze() override;
    void thaw(std::vector<std::string>& warnings) override;
    Result<void> hard_stop() override;
    std::int64_t now() override;

  private:
    const storage::Host& m_host;
    Vmid m_vmid;
    storage::Storages m_storages;
    bool m_frozen = false; ///< whether `freeze` froze the container (and `thaw` must thaw it)
};

} // namespace pct::runtime::detail
