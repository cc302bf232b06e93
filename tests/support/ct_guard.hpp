// SPDX-License-Identifier: AGPL-3.0-or-later
// Cleanup for container tests: on destruction every listed CTID of the host is stopped and
// destroyed through libpct, and whatever remains is removed by hand (processes in its cgroups
// killed, empty cgroup directories removed, veths deleted), so a failing test leaves nothing.
// A killed test process runs no destructor: the construction therefore first sweeps what dead
// test processes left (once per process) and marks a root under /tmp as this process's.
#pragma once

#include <pct/storage/host.hpp>

#include <vector>

namespace pct::test {

class CtGuard {
  public:
    CtGuard(storage::Host host, std::vector<Vmid> ids);
    CtGuard(const CtGuard&) = delete;
    CtGuard& operator=(const CtGuard&) = delete;
    ~CtGuard();
    void add(Vmid id) { m_ids.push_back(id); }

    /// The cleanup for one CTID (also usable on its own).
    static void clean(const storage::Host& host, Vmid id);

  private:
    storage::Host m_host;
    std::vector<Vmid> m_ids;
};

} // namespace pct::test
