// SPDX-License-Identifier: AGPL-3.0-or-later
// `pct cpusets` on real containers: a running CT's row shows the CPUs the kernel lets it use
// (here: every online CPU, read from sysfs, not from what pct reads); a stopped CT has none.
#include "ct_env.hpp"
#include "ct_fixture.hpp"
#include "ct_guard.hpp"
#include "temp_dir.hpp"

#include <pct/storage/host.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <fstream>

using namespace pct;
using pct::test::sh;

TEST_CASE("cli cpusets: the running CT's row has the host's online CPUs, a stopped CT none") {
    if (pct::test::skip_containers("cli cpusets"))
        return;
    test::TempDir dir("pct-cpusets");
    Vmid running = pct::test::unique_vmid(1), stopped = pct::test::unique_vmid(2);
    test::CtGuard guard(storage::Host(dir.path()), {running, stopped});
    auto pct = [&](const std::string& args) {
        return sh(fmt::format("'{}' --root '{}' {}", PCT_CLI, dir.path(), args));
    };
    CHECK(pct("cpusets").out == "no running containers\n");
    for (Vmid id : {running, stopped}) {
        auto r = pct(fmt::format("create {} '{}' --memory 64 --ostype debian", id.value,
                                 pct::test::busybox_template()));
        REQUIRE_MESSAGE(r.status == 0, r.out);
    }
    CHECK(pct("cpusets").out == "no running containers\n");
    REQUIRE(pct(fmt::format("start {}", running.value)).status == 0);

    // "0-N" from sysfs (this suite's hosts have no holes in the online list).
    std::string online;
    std::getline(std::ifstream("/sys/devices/system/cpu/online"), online);
    unsigned last = online.find('-') == std::string::npos
                        ? static_cast<unsigned>(std::stoul(online))
                        : static_cast<unsigned>(std::stoul(online.substr(online.find('-') + 1)));
    std::string row = ": ";
    for (unsigned cpu = 0; cpu <= last; ++cpu)
        row += " " + std::to_string(cpu);
    const std::string ctid = std::to_string(running.value);
    const std::string rule(row.size() + ctid.size(), '-');
    auto r = pct("cpusets");
    CHECK(r.status == 0);
    CHECK(r.out == rule + "\n" + ctid + row + "\n" + rule + "\n");
    // --output-format: CTID -> the CPU numbers (Proxmox has no API call to copy a shape from).
    std::string cpus;
    for (unsigned cpu = 0; cpu <= last; ++cpu)
        cpus += (cpu ? "," : "") + std::to_string(cpu);
    CHECK(pct("cpusets --output-format json").out == "{\"" + ctid + "\":[" + cpus + "]}\n");
    CHECK(pct(fmt::format("stop {}", running.value)).status == 0);
    CHECK(pct("cpusets").out == "no running containers\n");
    CHECK(pct("cpusets --output-format json").out == "{}\n");
}
