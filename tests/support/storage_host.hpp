// SPDX-License-Identifier: AGPL-3.0-or-later
// Test fixture: a temporary Proxmox host root with a storage.cfg (removed with the fixture,
// also when a check fails). Link `pct_test_storage`.
#pragma once

#include <pct/storage/host.hpp>

#include "temp_dir.hpp"

#include <string>

namespace pct::test {

/// A host root `R` in a fresh temp dir whose `R/etc/pve/storage.cfg` is `storage_cfg`.
/// Storage paths in the text are host paths (`/srv/x` lives at `R/srv/x`).
class StorageHost {
  public:
    explicit StorageHost(const std::string& storage_cfg, const std::string& prefix = "pct-stor");
    [[nodiscard]] const storage::Host& host() const { return m_host; }
    [[nodiscard]] const std::string& root() const { return m_dir.path(); }
    /// `R` + `absolute`.
    [[nodiscard]] std::string path(const std::string& absolute) const {
        return m_host.host_path(absolute);
    }
    /// Replaces storage.cfg.
    void write_cfg(const std::string& storage_cfg) const;

  private:
    TempDir m_dir;
    storage::Host m_host;
};

} // namespace pct::test
