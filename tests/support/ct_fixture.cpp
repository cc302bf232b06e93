// SPDX-License-Identifier: AGPL-3.0-or-later
#include "ct_fixture.hpp"
#include "ct_env.hpp"

#include <pct/error.hpp>

#include <filesystem>
#include <stdexcept>
#include <unistd.h>

namespace pct::test {

runtime::Container CtHost::create(Vmid id, std::map<std::string, std::string> options) {
    m_guard.add(id);
    if (!options.contains("ostype"))
        options["ostype"] = "debian";
    // A subvol (a folder on the host) unless the test asks for more: the suites read and plant
    // files in the rootfs from the host. create's own default is Proxmox's raw `local:4`.
    if (!options.contains("rootfs"))
        options["rootfs"] = "local:0";
    runtime::CreateOptions co;
    co.ostemplate = busybox_template();
    co.options = std::move(options);
    auto ct = runtime::create(m_host, id, co);
    if (!ct)
        throw std::runtime_error("create " + std::to_string(id.value) + ": " +
                                 to_string(ct.error()));
    return std::move(*ct);
}

bool wait_boot(const runtime::Container& ct, std::chrono::milliseconds timeout) {
    return eventually(
        [&] {
            int pid = ct.init_pid();
            return pid > 0 &&
                   std::filesystem::exists("/proc/" + std::to_string(pid) + "/root/run/rcS.done");
        },
        timeout);
}

} // namespace pct::test
