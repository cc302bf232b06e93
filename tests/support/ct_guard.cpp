// SPDX-License-Identifier: AGPL-3.0-or-later
#include "ct_guard.hpp"
#include "ct_traces.hpp"
#include "sweep.hpp"
#include "test_owner.hpp"

#include <pct/runtime/container.hpp>

#include <filesystem>
#include <unistd.h>

namespace pct::test {

namespace fs = std::filesystem;

CtGuard::CtGuard(storage::Host host, std::vector<Vmid> ids)
    : m_host(std::move(host)), m_ids(std::move(ids)) {
    // Before this process creates a container: what killed test processes left behind goes
    // first. Then this root is marked as ours, so that other processes' sweeps leave it alone.
    sweep_stale_test_roots_once();
    if (m_host.root().starts_with("/tmp/"))
        claim_root(m_host.root(), ::getpid());
}

void CtGuard::clean(const storage::Host& host, Vmid id) {
    if (auto ct = runtime::Container::open(host, id)) {
        if (ct->running()) {
            runtime::StopOptions so;
            so.skiplock = true;
            (void)ct->stop(so);
        }
        runtime::DestroyOptions d;
        d.force = true;
        (void)ct->destroy(d);
    }
    remove_ct_traces(id);
    std::error_code ec;
    fs::remove_all(host.ct_dir(id), ec);
    fs::remove(host.config_path(id), ec);
}

CtGuard::~CtGuard() {
    for (Vmid id : m_ids)
        clean(m_host, id);
}

} // namespace pct::test
