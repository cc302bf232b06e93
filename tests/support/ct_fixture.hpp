// SPDX-License-Identifier: AGPL-3.0-or-later
// A throw-away Proxmox host under /tmp for container tests, with helpers to create busybox
// containers on it and wait for their boot.
#pragma once

#include "ct_guard.hpp"
#include "temp_dir.hpp"

#include <pct/runtime/container.hpp>
#include <pct/runtime/create.hpp>

#include <chrono>
#include <map>
#include <memory>
#include <string>

namespace pct::test {

class CtHost {
  public:
    CtHost() : m_dir("pct-rt"), m_host(m_dir.path()), m_guard(m_host, {}) {}
    [[nodiscard]] const storage::Host& host() const { return m_host; }
    [[nodiscard]] const std::string& root() const { return m_dir.path(); }

    /// Creates a busybox CT (ostype debian, rootfs `local:0` (a subvol) unless given) and
    /// registers it for cleanup.
    /// Throws std::runtime_error with libpct's message when create fails.
    runtime::Container create(Vmid id, std::map<std::string, std::string> options = {});
    /// Registers a CTID for cleanup without creating it.
    void guard(Vmid id) { m_guard.add(id); }

  private:
    TempDir m_dir; // destroyed last: the guard still needs the tree
    storage::Host m_host;
    CtGuard m_guard;
};

/// Waits until the busybox init's rcS has finished (/run/rcS.done inside); false on timeout.
bool wait_boot(const runtime::Container& ct,
               std::chrono::milliseconds timeout = std::chrono::seconds(10));

/// Polls `pred` every 20 ms until it holds or `timeout` passes.
template <class Pred> bool eventually(Pred pred, std::chrono::milliseconds timeout) {
    auto end = std::chrono::steady_clock::now() + timeout;
    while (!pred()) {
        if (std::chrono::steady_clock::now() > end)
            return false;
        ::usleep(20000);
    }
    return true;
}

} // namespace pct::test
