// SPDX-License-Identifier: AGPL-3.0-or-later
// Real containers on a private test bridge: veth pairs veth<CTID>i<N>, MAC, MTU, static IPv4 and
// IPv6 with gateway, link_down, traffic counters; refusals for an MTU above the bridge's, an
// unknown bridge and the features this host cannot do.
#include "bridge.hpp"
#include "ct_env.hpp"
#include "ct_fixture.hpp"
#include "temp_dir.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

using namespace pct;
using namespace std::chrono_literals;
using pct::test::CtHost;
using pct::test::TestBridge;
namespace fs = std::filesystem;

namespace {

runtime::ExecResult run(runtime::Container& ct, const std::string& script) {
    runtime::ExecOptions o;
    o.argv = {"sh", "-c", script};
    auto r = ct.exec(o);
    REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().message));
    return *r;
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

std::string master_of(const std::string& dev) {
    std::error_code ec;
    auto target = fs::read_symlink("/sys/class/net/" + dev + "/master", ec);
    return ec ? std::string() : target.filename().string();
}

} // namespace

TEST_CASE("runtime: two containers on a test bridge reach each other and the bridge") {
    if (pct::test::skip_containers("runtime network"))
        return;
    TestBridge br;
    CtHost env;
    Vmid a_id = pct::test::unique_vmid(10), b_id = pct::test::unique_vmid(11);
    std::string a_ip = br.prefix() + "2", b_ip = br.prefix() + "3";
    auto a =
        env.create(a_id, {{"hostname", "net-a"},
                          {"searchdomain", "pct.test"},
                          {"net0", fmt::format("name=eth0,bridge={},ip={}/24,gw={},"
                                               "ip6=fd00:250:{}::2/64",
                                               br.name(), a_ip, br.gateway(), a_id.value % 1000)},
                          {"net1", fmt::format("name=eth1,bridge={},mtu=1400", br.name())},
                          {"net2", fmt::format("name=eth2,bridge={},link_down=1", br.name())}});
    auto b = env.create(b_id, {{"hostname", "net-b"},
                               {"net0", fmt::format("name=eth0,bridge={},ip={}/24,gw={},"
                                                    "hwaddr=BC:24:11:AA:BB:CC",
                                                    br.name(), b_ip, br.gateway())}});
    auto sa = a.start();
    REQUIRE_MESSAGE(sa.has_value(), (sa ? "" : to_string(sa.error())));
    auto sb = b.start();
    REQUIRE_MESSAGE(sb.has_value(), (sb ? "" : to_string(sb.error())));
    REQUIRE(pct::test::wait_boot(a));
    REQUIRE(pct::test::wait_boot(b));

    // Host side: Proxmox's pair names, enslaved to the bridge.
    for (const auto& dev :
         {fmt::format("veth{}i0", a_id.value), fmt::format("veth{}i1", a_id.value),
          fmt::format("veth{}i2", a_id.value), fmt::format("veth{}i0", b_id.value)}) {
        INFO(dev);
        CHECK(fs::exists("/sys/class/net/" + dev));
        CHECK(master_of(dev) == br.name());
    }

    // Inside: MAC from the config, MTU, addresses, gateway, link state.
    auto a_conf = env.host().read_config(a_id).value().config.main.options;
    auto hw = a_conf.at("net0").substr(a_conf.at("net0").find("hwaddr=") + 7, 17);
    CHECK(run(a, "cat /sys/class/net/eth0/address").out == lower(hw) + "\n");
    CHECK(run(b, "cat /sys/class/net/eth0/address").out == "bc:24:11:aa:bb:cc\n");
    CHECK(run(a, "cat /sys/class/net/eth1/mtu").out == "1400\n");
    CHECK(run(a, "cat /sys/class/net/eth0/mtu").out == "1500\n");
    // Set by the template's busybox ifup from /etc/network/interfaces (ostype debian: the
    // setup writes them, liblxc does not).
    CHECK(run(a, "ip -4 addr show eth0").out.find("inet " + a_ip + "/24") != std::string::npos);
    CHECK(run(a, "ip -6 addr show eth0")
              .out.find(fmt::format("fd00:250:{}::2/64", a_id.value % 1000)) != std::string::npos);
    CHECK(run(a, "ip route").out.find("default via " + br.gateway()) != std::string::npos);
    CHECK(run(a, "cat /sys/class/net/eth2/operstate").out == "down\n");
    CHECK(run(a, "cat /sys/class/net/eth0/operstate").out == "up\n");
    // The busybox template's network config as Proxmox writes it for busybox ifupdown
    // (Alpine's writer, spec storage.md §5.9: address + netmask before Alpine 3.13).
    std::string ifaces = run(a, "cat /etc/network/interfaces").out;
    CHECK(ifaces.find("auto lo\niface lo inet loopback\n") != std::string::npos);
    CHECK(ifaces.find(fmt::format("auto eth0\niface eth0 inet static\n\taddress {}\n"
                                  "\tnetmask 255.255.255.0\n\tgateway {}\n\n"
                                  "iface eth0 inet6 static\n\taddress fd00:250:{}::2\n"
                                  "\tnetmask 64\n\n",
                                  a_ip, br.gateway(), a_id.value % 1000)) != std::string::npos);
    CHECK(ifaces.find("eth2") == std::string::npos);
    CHECK(run(a, "cat /etc/hosts").out.find(a_ip + " net-a.pct.test net-a\n") != std::string::npos);

    auto ping = [&](runtime::Container& from, const std::string& to) {
        return run(from, "ping -c 2 -W 2 " + to + " >/dev/null 2>&1; echo $?").out;
    };
    CHECK(ping(a, br.gateway()) == "0\n");
    CHECK(ping(a, b_ip) == "0\n");
    CHECK(ping(b, a_ip) == "0\n");
    CHECK(ping(b, br.gateway()) == "0\n");
    CHECK(pct::test::sh("busybox ping -c 1 -W 2 " + b_ip).status == 0);

    auto st = a.status().value();
    CHECK(st.netin > 0);
    CHECK(st.netout > 0);

    REQUIRE(a.stop().has_value());
    REQUIRE(b.stop().has_value());
    CHECK_FALSE(fs::exists(fmt::format("/sys/class/net/veth{}i0", a_id.value)));
    CHECK(pct::test::eventually([&] { return pct::test::leftovers(a_id).empty(); }, 3s));
    CHECK(pct::test::leftovers(b_id).empty());
}

TEST_CASE("runtime: dhcp interfaces are left to the container") {
    if (pct::test::skip_containers("runtime network"))
        return;
    TestBridge br;
    CtHost env;
    Vmid id = pct::test::unique_vmid(12);
    auto ct =
        env.create(id, {{"net0", fmt::format("name=eth0,bridge={},ip=dhcp,ip6=auto", br.name())}});
    // Only the in-CT config matters here (no DHCP server): write it through a start, then stop.
    auto started = ct.start();
    REQUIRE_MESSAGE(started.has_value(), (started ? "" : to_string(started.error())));
    std::string lxc_conf = pct::test::read_text(env.host().ct_dir(id) + "/config");
    CHECK(lxc_conf.find("lxc.net.0.ipv4.address") == std::string::npos);
    std::string volume = env.host().read_config(id).value().config.main.options.at("rootfs");
    volume.resize(volume.find(','));
    std::string rootfs = env.host().volume_path(id, volume).value();
    std::string ifaces = pct::test::read_text(rootfs + "/etc/network/interfaces");
    // busybox has no DHCPv6 client and no `auto` method: manual, as Proxmox's Alpine rule.
    CHECK(ifaces.find("auto eth0\niface eth0 inet dhcp\n\niface eth0 inet6 manual\n\n") !=
          std::string::npos);
    REQUIRE(ct.stop().has_value());
}

TEST_CASE("runtime: network refusals leave nothing behind") {
    if (pct::test::skip_containers("runtime network"))
        return;
    TestBridge br(1400);
    CtHost env;
    struct Case {
        const char* name;
        std::string net0;
        Errc code;
        const char* needle;
    };
    std::vector<Case> cases = {
        {"mtu above the bridge's", fmt::format("name=eth0,bridge={},mtu=1500", br.name()),
         Errc::invalid_argument, "MTU size '1500' is bigger than bridge MTU '1400'"},
        {"unknown bridge", "name=eth0,bridge=nosuchbr0", Errc::not_found, "nosuchbr0"},
        {"firewall", fmt::format("name=eth0,bridge={},firewall=1", br.name()), Errc::unsupported,
         "firewall"},
        {"vlan tag", fmt::format("name=eth0,bridge={},tag=5", br.name()), Errc::unsupported, "tag"},
        {"rate limit", fmt::format("name=eth0,bridge={},rate=10", br.name()), Errc::unsupported,
         "rate"},
    };
    unsigned slot = 20;
    for (const auto& c : cases) {
        INFO(std::string(c.name));
        Vmid id = pct::test::unique_vmid(slot++);
        auto ct = env.create(id, {{"net0", c.net0}});
        auto r = ct.start();
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().code == c.code);
        CHECK(r.error().key == "net0");
        CHECK_MESSAGE(r.error().message.find(c.needle) != std::string::npos, r.error().message);
        CHECK(ct.state() == runtime::State::stopped);
        CHECK(pct::test::leftovers(id).empty());
    }
    // The bridge's MTU itself is fine.
    Vmid ok_id = pct::test::unique_vmid(slot++);
    auto ok = env.create(ok_id, {{"net0", fmt::format("name=eth0,bridge={}", br.name())}});
    auto r = ok.start();
    REQUIRE_MESSAGE(r.has_value(), (r ? "" : to_string(r.error())));
    CHECK(pct::test::read_text(fmt::format("/sys/class/net/veth{}i0/mtu", ok_id.value)) ==
          "1400\n");
    REQUIRE(ok.stop().has_value());
}
