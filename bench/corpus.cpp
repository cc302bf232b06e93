// SPDX-License-Identifier: AGPL-3.0-or-later
#include "corpus.hpp"

#include <random>

namespace pct::bench {
namespace {

struct Gen {
    std::mt19937 rng;
    unsigned pick(unsigned n) { return std::uniform_int_distribution<unsigned>(0, n - 1)(rng); }
    bool chance(unsigned percent) { return pick(100) < percent; }
};

std::string mac(Gen& g) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string m = "BC:24:11";
    for (int i = 0; i < 3; ++i) {
        m += ':';
        m += hex[g.pick(16)];
        m += hex[g.pick(16)];
    }
    return m;
}

void options(Gen& g, std::string& out, unsigned vmid, bool snapshot) {
    out += "arch: amd64\n";
    out += "cores: " + std::to_string(1 + g.pick(8)) + "\n";
    if (g.chance(40))
        out += "cpulimit: " + std::to_string(1 + g.pick(4)) + ".5\n";
    if (g.chance(30))
        out += "features: nesting=1,keyctl=1\n";
    out += "hostname: ct" + std::to_string(vmid) + "-web" + std::to_string(g.pick(90)) +
           ".example.com\n";
    out += "memory: " + std::to_string(512u << g.pick(5)) + "\n";
    for (unsigned i = 0, n = g.pick(3); i < n; ++i)
        out += "mp" + std::to_string(i) + ": local-lvm:vm-" + std::to_string(vmid) + "-disk-" +
               std::to_string(i + 1) + ",mp=/srv/data" + std::to_string(i) +
               ",backup=1,size=" + std::to_string(8 << g.pick(4)) + "G\n";
    out += "nameserver: 10.0.0.53 10.0.1.53\n";
    for (unsigned i = 0, n = 1 + g.pick(3); i < n; ++i)
        out += "net" + std::to_string(i) + ": name=eth" + std::to_string(i) + ",bridge=vmbr" +
               std::to_string(i) + ",firewall=1,gw=10." + std::to_string(i) +
               ".0.1,hwaddr=" + mac(g) + ",ip=10." + std::to_string(i) + ".0." +
               std::to_string(2 + g.pick(250)) + "/24,type=veth\n";
    out += "onboot: 1\nostype: debian\n";
    if (snapshot)
        out += "parent: before-upgrade\n";
    out += "rootfs: local-lvm:vm-" + std::to_string(vmid) +
           "-disk-0,size=" + std::to_string(4 << g.pick(4)) + "G\n";
    out += "searchdomain: example.com\nstartup: order=" + std::to_string(g.pick(10)) +
           ",up=30\nswap: 512\ntags: prod;web\nunprivileged: 1\n";
}

} // namespace

std::string realistic_config(std::uint32_t seed) {
    Gen g{std::mt19937(seed)};
    unsigned vmid = 100 + seed % 900;
    std::string out;
    out.reserve(2048);
    out += "#Web frontend, managed by the platform team%3A do not edit by hand.\n";
    out += "#Owner: ops@example.com\n";
    bool has_snapshot = g.chance(30);
    options(g, out, vmid, has_snapshot);
    if (g.chance(30))
        out += "lxc.cgroup2.devices.allow: c 10:200 rwm\n"
               "lxc.mount.entry: /dev/net dev/net none bind,create=dir\n";
    if (g.chance(20))
        out += "\n[pve:pending]\nmemory: 4096\ndelete: cpulimit\n";
    if (has_snapshot) {
        out += "\n[before-upgrade]\n#state before the dist-upgrade\n";
        options(g, out, vmid, false);
        out += "snaptime: 1700000000\n";
    }
    return out;
}

} // namespace pct::bench
