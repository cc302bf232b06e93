// SPDX-License-Identifier: AGPL-3.0-or-later
// hotplug.hpp on real running busybox containers: each change is checked where it lands (the
// limit cgroup's files, the host's bridge and the container's network namespace, the
// container's mount table), and each family has a refusal checked with its reason.
#include "bridge.hpp"
#include "ct_env.hpp"
#include "ct_fixture.hpp"
#include "hotplug.hpp"
#include "temp_dir.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <filesystem>
#include <sstream>

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

/// The config on disk, as the pending engine hands it to hotplug.
ContainerConfig config_of(const storage::Host& host, Vmid id) {
    auto parsed = host.read_config(id);
    REQUIRE_MESSAGE(parsed.has_value(), (parsed ? "" : parsed.error().message));
    return parsed->config;
}

/// Starts `ct` and waits for its boot.
void boot(runtime::Container& ct) {
    auto started = ct.start();
    REQUIRE_MESSAGE(started.has_value(), (started ? "" : to_string(started.error())));
    REQUIRE(pct::test::wait_boot(ct));
}

/// What the pending engine does: ask, then make the change.
Result<void> plug(const storage::Host& host, Vmid id, int pid, std::string_view key,
                  std::optional<std::string_view> next) {
    ContainerConfig config = config_of(host, id);
    runtime::detail::LiveContainer live{host, id, pid, config};
    if (auto why = runtime::detail::hotplug_refusal(live, key, next))
        return fail(Errc::unsupported, *why, {.key = std::string(key)});
    return runtime::detail::hotplug(live, key, next);
}

/// Writes `key: value` into the config the way the pending engine does after a live change.
void record(const storage::Host& host, Vmid id, const std::string& key,
            std::optional<std::string> value) {
    auto lock = host.lock(id);
    REQUIRE(lock.has_value());
    ContainerConfig config = config_of(host, id);
    if (value)
        config.main.options.insert_or_assign(key, *value);
    else
        config.main.options.erase(key);
    REQUIRE(host.write_config(*lock, config).has_value());
}

// The host directory of `controller` holding the CT's limits (parent of liblxc's inner `ns`).
std::string limit_cgroup(int pid, const std::string& controller) {
    std::istringstream in(pct::test::read_text(fmt::format("/proc/{}/cgroup", pid)));
    std::string line;
    while (std::getline(in, line)) {
        auto a = line.find(':'), b = line.find(':', a + 1);
        std::string ctrls = "," + line.substr(a + 1, b - a - 1) + ",";
        if (ctrls.find("," + controller + ",") == std::string::npos)
            continue;
        std::string path = line.substr(b + 1);
        if (path.ends_with("/ns"))
            path.resize(path.size() - 3);
        return "/sys/fs/cgroup/" + controller + path;
    }
    return {};
}

std::string master_of(const std::string& dev) {
    std::error_code ec;
    auto target = fs::read_symlink("/sys/class/net/" + dev + "/master", ec);
    return ec ? std::string() : target.filename().string();
}

std::string first_line(const std::string& path) {
    std::string t = pct::test::read_text(path);
    return t.substr(0, t.find('\n'));
}

} // namespace

TEST_CASE("hotplug: memory swap cpulimit and cpuunits reach the live cgroup at once") {
    if (pct::test::skip_containers("hotplug cgroups"))
        return;
    if (!fs::exists("/sys/fs/cgroup/memory/memory.limit_in_bytes")) {
        MESSAGE("SKIP: no cgroup v1 memory controller on this host");
        return;
    }
    CtHost env;
    Vmid id = pct::test::unique_vmid(41);
    auto ct = env.create(id, {{"memory", "128"}, {"swap", "64"}});
    boot(ct);
    int pid = ct.init_pid();
    std::string mem = limit_cgroup(pid, "memory");
    std::string cpu = limit_cgroup(pid, "cpu");
    REQUIRE(first_line(mem + "/memory.limit_in_bytes") == "134217728");
    REQUIRE(first_line(mem + "/memory.memsw.limit_in_bytes") == "201326592");

    // Raised: memsw must go first (v1 keeps memsw >= memory at every moment).
    auto raised = plug(env.host(), id, pid, "memory", "512");
    REQUIRE_MESSAGE(raised.has_value(), (raised ? "" : raised.error().message));
    CHECK(first_line(mem + "/memory.limit_in_bytes") == "536870912");
    CHECK(first_line(mem + "/memory.memsw.limit_in_bytes") == "603979776");
    record(env.host(), id, "memory", "512");

    // Lowered: memory first.
    auto lowered = plug(env.host(), id, pid, "memory", "96");
    REQUIRE_MESSAGE(lowered.has_value(), (lowered ? "" : lowered.error().message));
    CHECK(first_line(mem + "/memory.limit_in_bytes") == "100663296");
    CHECK(first_line(mem + "/memory.memsw.limit_in_bytes") == "167772160");
    record(env.host(), id, "memory", "96");

    // swap deleted: memsw = memory (`swap // 0`).
    auto no_swap = plug(env.host(), id, pid, "swap", std::nullopt);
    REQUIRE_MESSAGE(no_swap.has_value(), (no_swap ? "" : no_swap.error().message));
    CHECK(first_line(mem + "/memory.memsw.limit_in_bytes") == "100663296");
    record(env.host(), id, "swap", std::nullopt);

    auto limited = plug(env.host(), id, pid, "cpulimit", "0.5");
    REQUIRE_MESSAGE(limited.has_value(), (limited ? "" : limited.error().message));
    CHECK(first_line(cpu + "/cpu.cfs_quota_us") == "50000");
    CHECK(first_line(cpu + "/cpu.cfs_period_us") == "100000");
    record(env.host(), id, "cpulimit", "0.5");
    // Deleted: back to no quota.
    auto unlimited = plug(env.host(), id, pid, "cpulimit", std::nullopt);
    REQUIRE_MESSAGE(unlimited.has_value(), (unlimited ? "" : unlimited.error().message));
    CHECK(first_line(cpu + "/cpu.cfs_quota_us") == "-1");
    record(env.host(), id, "cpulimit", std::nullopt);

    auto units = plug(env.host(), id, pid, "cpuunits", "512");
    REQUIRE_MESSAGE(units.has_value(), (units ? "" : units.error().message));
    CHECK(first_line(cpu + "/cpu.shares") == "512");
    record(env.host(), id, "cpuunits", "512");
    auto units_default = plug(env.host(), id, pid, "cpuunits", std::nullopt);
    REQUIRE(units_default.has_value());
    CHECK(first_line(cpu + "/cpu.shares") == "1024");
}

TEST_CASE("hotplug: a refused limit leaves the cgroup as it was") {
    if (pct::test::skip_containers("hotplug cgroup refusals"))
        return;
    if (!fs::exists("/sys/fs/cgroup/memory/memory.limit_in_bytes")) {
        MESSAGE("SKIP: no cgroup v1 memory controller on this host");
        return;
    }
    CtHost env;
    Vmid id = pct::test::unique_vmid(42);
    auto ct = env.create(id, {{"memory", "128"}, {"swap", "0"}});
    boot(ct);
    int pid = ct.init_pid();
    std::string mem = limit_cgroup(pid, "memory");

    // A value the generator refuses: the reason is its type check, nothing is written.
    ContainerConfig config = config_of(env.host(), id);
    runtime::detail::LiveContainer live{env.host(), id, pid, config};
    auto why = runtime::detail::hotplug_refusal(live, "cpulimit", "fast");
    REQUIRE(why.has_value());
    CHECK(*why == "type check ('number') failed - got 'fast'");
    auto refused = runtime::detail::hotplug(live, "cpulimit", "fast");
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error().code == Errc::unsupported);
    CHECK(refused.error().key == "cpulimit");

    // Below what the container uses: cgroup v1 refuses the memory limit (EBUSY), written first
    // as it is lowered; both limits stay as they were.
    run(ct, "mkdir -p /dev/shm && mount -t tmpfs tmpfs /dev/shm 2>/dev/null; "
            "dd if=/dev/zero of=/dev/shm/fill bs=1M count=40 2>/dev/null; true");
    auto used = std::stoull(first_line(mem + "/memory.usage_in_bytes"));
    if (used > 20u * 1024 * 1024) {
        auto tight = runtime::detail::hotplug(live, "memory", "8");
        CHECK_FALSE(tight.has_value());
        if (!tight) {
            CHECK(tight.error().code == Errc::io);
            CHECK(tight.error().key == "memory");
        }
        CHECK(first_line(mem + "/memory.limit_in_bytes") == "134217728");
        CHECK(first_line(mem + "/memory.memsw.limit_in_bytes") == "134217728");
    } else {
        MESSAGE("the container uses only " << used << " bytes: the EBUSY path is not reached");
    }

    // Keys that only a restart applies.
    auto arch = runtime::detail::hotplug_refusal(live, "arch", "i386");
    REQUIRE(arch.has_value());
    CHECK(*arch == "hot-plug of 'arch' is not possible: applied at the next start");
    auto dev = runtime::detail::hotplug_refusal(live, "dev0", "/dev/null");
    REQUIRE(dev.has_value());
    CHECK(dev->starts_with("hot-plug of 'dev0' is not supported"));
}

TEST_CASE("hotplug: a new net1 goes live on its bridge then changes bridge mtu and link and goes") {
    if (pct::test::skip_containers("hotplug network"))
        return;
    TestBridge br, other;
    CtHost env;
    Vmid id = pct::test::unique_vmid(43);
    auto ct = env.create(
        id, {{"net0", fmt::format("name=eth0,bridge={},ip={}2/24", br.name(), br.prefix())}});
    boot(ct);
    int pid = ct.init_pid();
    std::string veth = fmt::format("veth{}i1", id.value);
    std::string net1 = fmt::format(
        "name=eth1,bridge={},hwaddr=BC:24:11:5E:00:01,ip={}51/24,mtu=1400", br.name(), br.prefix());

    auto added = plug(env.host(), id, pid, "net1", net1);
    REQUIRE_MESSAGE(added.has_value(), (added ? "" : added.error().message));
    record(env.host(), id, "net1", net1);
    CHECK(master_of(veth) == br.name());
    CHECK(first_line("/sys/class/net/" + veth + "/mtu") == "1400");
    CHECK(run(ct, "cat /sys/class/net/eth1/address").out == "bc:24:11:5e:00:01\n");
    CHECK(run(ct, "cat /sys/class/net/eth1/mtu").out == "1400\n");
    CHECK(run(ct, "cat /sys/class/net/eth1/operstate").out == "up\n");
    CHECK(run(ct, "ip -4 addr show eth1").out.find("inet " + br.prefix() + "51/24") !=
          std::string::npos);
    // Traffic through the new interface: the bridge answers on it.
    CHECK(run(ct, "ping -c 1 -W 2 -I eth1 " + br.gateway() + " >/dev/null 2>&1; echo $?").out ==
          "0\n");

    // Live changes of the existing interface: bridge, MTU, then link_down.
    std::string moved =
        fmt::format("name=eth1,bridge={},hwaddr=BC:24:11:5E:00:01,ip={}51/24,mtu=1300",
                    other.name(), br.prefix());
    auto rebridged = plug(env.host(), id, pid, "net1", moved);
    REQUIRE_MESSAGE(rebridged.has_value(), (rebridged ? "" : rebridged.error().message));
    record(env.host(), id, "net1", moved);
    CHECK(master_of(veth) == other.name());
    CHECK(first_line("/sys/class/net/" + veth + "/mtu") == "1300");
    CHECK(run(ct, "cat /sys/class/net/eth1/mtu").out == "1300\n");
    std::string down = moved + ",link_down=1";
    auto downed = plug(env.host(), id, pid, "net1", down);
    REQUIRE_MESSAGE(downed.has_value(), (downed ? "" : downed.error().message));
    record(env.host(), id, "net1", down);
    CHECK(run(ct, "cat /sys/class/net/eth1/operstate").out == "down\n");

    // Deleted: both ends gone.
    auto removed = plug(env.host(), id, pid, "net1", std::nullopt);
    REQUIRE_MESSAGE(removed.has_value(), (removed ? "" : removed.error().message));
    record(env.host(), id, "net1", std::nullopt);
    CHECK_FALSE(fs::exists("/sys/class/net/" + veth));
    CHECK(run(ct, "test -e /sys/class/net/eth1; echo $?").out == "1\n");
    CHECK(run(ct, "cat /sys/class/net/eth0/operstate").out == "up\n");
}

TEST_CASE("hotplug: netN changes the running CT cannot take are refused with the reason") {
    if (pct::test::skip_containers("hotplug network refusals"))
        return;
    TestBridge br;
    CtHost env;
    Vmid id = pct::test::unique_vmid(44);
    std::string net0 = fmt::format("name=eth0,bridge={},hwaddr=BC:24:11:5E:00:02", br.name());
    auto ct = env.create(id, {{"net0", net0}});
    boot(ct);
    ContainerConfig config = config_of(env.host(), id);
    runtime::detail::LiveContainer live{env.host(), id, ct.init_pid(), config};
    auto refusal = [&](std::string_view key, std::string_view value) {
        auto why = runtime::detail::hotplug_refusal(live, key, value);
        return why.value_or("(accepted)");
    };

    CHECK(refusal("net0", fmt::format("name=eth9,bridge={},hwaddr=BC:24:11:5E:00:02", br.name())) ==
          "changing name of a running CT's net0 is applied at the next start");
    CHECK(refusal("net0",
                  fmt::format("name=eth0,bridge={},hwaddr=BC:24:11:5E:00:03,ip=dhcp", br.name())) ==
          "changing hwaddr, ip of a running CT's net0 is applied at the next start");
    // The MAC compares case-insensitively: only the bridge-side change remains, which is live.
    CHECK(refusal("net0", fmt::format("name=eth0,bridge={},hwaddr=bc:24:11:5e:00:02,mtu=1400",
                                      br.name())) == "(accepted)");
    CHECK(refusal("net1", fmt::format("name=eth1,bridge={},firewall=1", br.name())) ==
          "net1: firewall: the Proxmox firewall bridge is not available on this host");
    CHECK(refusal("net1", "name=eth1,bridge=pctnosuchbr0") ==
          "bridge 'pctnosuchbr0' does not exist");
    CHECK(refusal("net1", fmt::format("name=eth1,bridge={},mtu=9000", br.name())) ==
          "net1: MTU size '9000' is bigger than bridge MTU '1500'");

    // The name is taken inside: the kernel refuses and nothing is left on the host.
    auto clash = runtime::detail::hotplug(
        live, "net1", fmt::format("name=eth0,bridge={},hwaddr=BC:24:11:5E:00:04", br.name()));
    REQUIRE_FALSE(clash.has_value());
    CHECK(clash.error().code == Errc::io);
    CHECK(clash.error().key == "net1");
    CHECK(clash.error().message.starts_with("unable to hotplug net1: "));
    CHECK_FALSE(fs::exists(fmt::format("/sys/class/net/veth{}i1", id.value)));
    CHECK(run(ct, "cat /sys/class/net/eth0/address").out == "bc:24:11:5e:00:02\n");

    // A changed refused key is refused by hotplug() too, with the same text.
    auto renamed = runtime::detail::hotplug(
        live, "net0", fmt::format("name=eth9,bridge={},hwaddr=BC:24:11:5E:00:02", br.name()));
    REQUIRE_FALSE(renamed.has_value());
    CHECK(renamed.error().code == Errc::unsupported);
    CHECK(run(ct, "test -e /sys/class/net/eth0; echo $?").out == "0\n");
}
