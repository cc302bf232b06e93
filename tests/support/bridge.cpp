// SPDX-License-Identifier: AGPL-3.0-or-later
#include "bridge.hpp"
#include "ct_env.hpp"
#include "sweep.hpp"
#include "test_owner.hpp"

#include <fmt/format.h>

#include <random>
#include <stdexcept>
#include <unistd.h>

namespace pct::test {

TestBridge::TestBridge(unsigned mtu) {
    sweep_stale_test_roots_once(); // a dead test's bridge may hold the range we would pick
    std::random_device rd;
    std::string used = sh("ip -4 -o addr show").out;
    for (int attempt = 0; attempt < 50; ++attempt) {
        unsigned net = 2 + rd() % 250;
        std::string prefix = fmt::format("10.250.{}.", net);
        if (used.find(prefix) != std::string::npos)
            continue;
        std::string name = fmt::format("pcttest{:06x}", rd() & 0xffffff);
        // The alias names this process (pid and start time), for the sweeper once it is gone.
        auto owner = owner_of(::getpid());
        auto r = sh(fmt::format("ip link add {0} type bridge && ip link set {0} alias '{3} {4}' "
                                "&& ip link set {0} mtu {1} && ip addr add {2}1/24 dev {0} && "
                                "ip link set {0} up",
                                name, mtu, prefix, owner_file_name, to_text(owner.value())));
        if (r.status != 0) {
            (void)sh("ip link del " + name + " 2>/dev/null");
            throw std::runtime_error("cannot create test bridge " + name + ": " + r.out);
        }
        m_name = name;
        m_prefix = prefix;
        return;
    }
    throw std::runtime_error("no free 10.250.N.0/24 range for a test bridge");
}

TestBridge::~TestBridge() {
    if (!m_name.empty())
        (void)sh("ip link del " + m_name + " 2>/dev/null");
}

} // namespace pct::test
