// SPDX-License-Identifier: AGPL-3.0-or-later
#include "ct_guard.hpp"
#include "ct_traces.hpp"

#include <pct/runtime/container.hpp>

#include <filesystem>

namespace pct::test {

namespace fs = std::filesystem;

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
