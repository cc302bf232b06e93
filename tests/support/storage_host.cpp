// SPDX-License-Identifier: AGPL-3.0-or-later
#include "storage_host.hpp"

namespace pct::test {

StorageHost::StorageHost(const std::string& storage_cfg, const std::string& prefix)
    : m_dir(prefix), m_host(m_dir.path()) {
    write_cfg(storage_cfg);
}

void StorageHost::write_cfg(const std::string& storage_cfg) const {
    write_text(m_host.storage_cfg_path(), storage_cfg);
}

} // namespace pct::test
