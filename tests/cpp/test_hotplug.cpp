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
#include <fstream>
#include <sstream>
#include <sys/mount.h>
#include <sys/stat.h>

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
    auto rootfs = runtime::detail::hotplug_refusal(live, "rootfs", "local:1");
    REQUIRE(rootfs.has_value());
    CHECK(*rootfs == "hot-plug of 'rootfs' is not possible: applied at the next start");
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

namespace {

/// The mount points of the host (this process's namespace) at or below `dir`.
std::vector<std::string> host_mounts_under(const std::string& dir) {
    std::ifstream in("/proc/self/mountinfo");
    std::vector<std::string> out;
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream fields(line);
        std::string id, parent, dev, root, point;
        fields >> id >> parent >> dev >> root >> point;
        if (point == dir || point.starts_with(dir + "/"))
            out.push_back(point);
    }
    return out;
}

/// A tmpfs of the test's own at `path` (id-mapped mounts need one: a fresh machine's /tmp
/// can be overlayfs), lazily unmounted when the test ends, whatever happens.
struct TestTmpfs {
    std::string path;
    explicit TestTmpfs(std::string p) : path(std::move(p)) {
        fs::create_directories(path);
        REQUIRE(::mount("tmpfs", path.c_str(), "tmpfs", 0, "size=1m") == 0);
    }
    TestTmpfs(const TestTmpfs&) = delete;
    TestTmpfs& operator=(const TestTmpfs&) = delete;
    ~TestTmpfs() { ::umount2(path.c_str(), MNT_DETACH); }
};

} // namespace

TEST_CASE("hotplug: new mount points appear in the running CT only and id-mapped on request") {
    if (pct::test::skip_containers("hotplug mounts"))
        return;
    CtHost env;
    Vmid id = pct::test::unique_vmid(45);
    auto ct = env.create(id, {{"unprivileged", "1"}});
    TestTmpfs share(env.root() + "/share");
    pct::test::write_text(env.root() + "/share/f", "hello\n");
    boot(ct);
    int pid = ct.init_pid();

    // A bind mount: the host's root-owned file is nobody's inside an unprivileged CT.
    auto bound = plug(env.host(), id, pid, "mp0", "/share,mp=/mnt/hot");
    REQUIRE_MESSAGE(bound.has_value(), (bound ? "" : bound.error().message));
    record(env.host(), id, "mp0", "/share,mp=/mnt/hot");
    CHECK(run(ct, "cat /mnt/hot/f").out == "hello\n");
    CHECK(run(ct, "stat -c %u:%g /mnt/hot/f").out == "65534:65534\n");

    // idmap=passthrough: the CT's own map, so the host's root is the CT's root there.
    auto mapped = plug(env.host(), id, pid, "mp1", "/share,mp=/mnt/pass,idmap=passthrough");
    REQUIRE_MESSAGE(mapped.has_value(), (mapped ? "" : mapped.error().message));
    record(env.host(), id, "mp1", "/share,mp=/mnt/pass,idmap=passthrough");
    CHECK(run(ct, "stat -c %u:%g /mnt/pass/f").out == "0:0\n");
    CHECK(run(ct, "echo y > /mnt/pass/new; echo $?").out == "0\n");
    struct stat st {};
    REQUIRE(::stat((env.root() + "/share/new").c_str(), &st) == 0);
    CHECK(st.st_uid == 0);

    // A storage volume (a subvol of the dir storage), read-only.
    auto vol = env.host().allocate_subvol(id, "local");
    REQUIRE_MESSAGE(vol.has_value(), (vol ? "" : vol.error().message));
    std::string mp2 = *vol + ",mp=/srv/data/vol,ro=1";
    auto volume = plug(env.host(), id, pid, "mp2", mp2);
    REQUIRE_MESSAGE(volume.has_value(), (volume ? "" : volume.error().message));
    record(env.host(), id, "mp2", mp2);
    CHECK(run(ct, "grep -c ' /srv/data/vol ' /proc/mounts").out == "1\n");
    CHECK(run(ct, "touch /srv/data/vol/x 2>/dev/null; echo $?").out != "0\n");

    // Nothing of it is mounted on the host: the staging happened in a namespace of its own.
    CHECK(host_mounts_under(env.root()) == std::vector<std::string>{share.path});
    REQUIRE(ct.stop().has_value());
}

TEST_CASE("hotplug: mount points the running CT cannot take are refused and nothing is mounted") {
    if (pct::test::skip_containers("hotplug mount refusals"))
        return;
    CtHost env;
    TestTmpfs share(env.root() + "/share");
    Vmid id = pct::test::unique_vmid(46);
    auto ct = env.create(id, {{"unprivileged", "1"}, {"mp0", "/share,mp=/mnt/old"}});
    boot(ct);
    ContainerConfig config = config_of(env.host(), id);
    runtime::detail::LiveContainer live{env.host(), id, ct.init_pid(), config};
    auto refusal = [&](std::string_view key, std::optional<std::string_view> value) {
        auto why = runtime::detail::hotplug_refusal(live, key, value);
        return why.value_or("(accepted)");
    };
    CHECK(refusal("mp0", "/share,mp=/mnt/other") ==
          "changing the existing mp0 of a running CT is applied at the next start");
    CHECK(refusal("mp0", std::nullopt) ==
          "removing mp0 from a running CT is applied at the next start");
    CHECK(refusal("mp1", "local:1,mp=/mnt/new") ==
          "the new volume of mp1 is allocated and mounted at the next start");
    CHECK(refusal("mp1", "/share,mp=/mnt/new,idmap=u:0:1000:1;g:0:1000:1") ==
          "the per-mount idmap of mp1 is applied at the next start");
    CHECK(refusal("mp1", "/share,mp=/mnt/new") == "(accepted)");

    // A symlink on the way inside the CT: never followed, nothing mounted, nothing made.
    REQUIRE(run(ct, "ln -s /etc /mnt/evil; echo $?").out == "0\n");
    auto escaped = runtime::detail::hotplug(live, "mp1", "/share,mp=/mnt/evil/x");
    REQUIRE_FALSE(escaped.has_value());
    CHECK(escaped.error().code == Errc::invalid_argument);
    CHECK(escaped.error().key == "mp1");
    CHECK(escaped.error().message == "unable to hotplug mp1: symlink encountered at: /mnt/evil");
    CHECK(run(ct, "test -e /etc/x; echo $?").out == "1\n");
    CHECK(run(ct, "grep -c /etc /proc/mounts").out == "0\n");

    // A bind source that is not there: Proxmox's text, after the refusal check passed.
    auto missing = runtime::detail::hotplug(live, "mp1", "/nothere,mp=/mnt/new");
    REQUIRE_FALSE(missing.has_value());
    CHECK(missing.error().code == Errc::not_found);
    CHECK(missing.error().message ==
          fmt::format("unable to hotplug mp1: directory '{}/nothere' does not exist", env.root()));
    CHECK(host_mounts_under(env.root()) == std::vector<std::string>{share.path});
    REQUIRE(ct.stop().has_value());
}

TEST_CASE("hotplug: a new devN node appears in the running CT and its cgroup allows it") {
    if (pct::test::skip_containers("hotplug devices"))
        return;
    if (!fs::exists("/sys/fs/cgroup/devices/devices.list") || !fs::exists("/dev/loop-control")) {
        MESSAGE("SKIP: no cgroup v1 devices controller or no /dev/loop-control on this host");
        return;
    }
    CtHost env;
    Vmid id = pct::test::unique_vmid(47);
    auto ct = env.create(id, {{"unprivileged", "0"}});
    boot(ct);
    int pid = ct.init_pid();
    std::string devices = limit_cgroup(pid, "devices");
    auto allowed = [&] {
        std::string list = pct::test::read_text(devices + "/devices.list");
        return list.find("c 10:237 rw") != std::string::npos ||
               list.find("a *:* rwm") != std::string::npos;
    };
    REQUIRE_FALSE(allowed());
    CHECK(run(ct, "test -e /dev/loop-control; echo $?").out == "1\n");

    auto added = plug(env.host(), id, pid, "dev0", "/dev/loop-control");
    REQUIRE_MESSAGE(added.has_value(), (added ? "" : added.error().message));
    record(env.host(), id, "dev0", "/dev/loop-control");
    CHECK(allowed());
    CHECK(pct::test::read_text(devices + "/ns/devices.list").find("c 10:237 rw") !=
          std::string::npos);
    CHECK(run(ct, "test -c /dev/loop-control && (exec 3</dev/loop-control) && echo opened").out ==
          "opened\n");

    ContainerConfig config = config_of(env.host(), id);
    runtime::detail::LiveContainer live{env.host(), id, pid, config};
    auto refusal = [&](std::string_view key, std::optional<std::string_view> value) {
        return runtime::detail::hotplug_refusal(live, key, value).value_or("(accepted)");
    };
    CHECK(refusal("dev0", "/dev/full") ==
          "changing the existing dev0 of a running CT is applied at the next start");
    CHECK(refusal("dev0", std::nullopt) ==
          "removing dev0 from a running CT is applied at the next start");
    CHECK(refusal("dev1", "/dev/pct-no-such-device") ==
          "Device /dev/pct-no-such-device does not exist");
    CHECK(refusal("dev1", "/dev/shm") == "/dev/shm is not a device");
    auto refused = runtime::detail::hotplug(live, "dev1", "/dev/shm");
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error().code == Errc::unsupported);
    CHECK(refused.error().key == "dev1");
    REQUIRE(ct.stop().has_value());
}

TEST_CASE("hotplug: cores narrows and widens the live cpuset of the CT and of its init") {
    if (pct::test::skip_containers("hotplug cores"))
        return;
    std::string all = first_line("/sys/fs/cgroup/cpuset/cpuset.cpus");
    if (!fs::exists("/sys/fs/cgroup/cpuset/cpuset.cpus") || all == "0") {
        MESSAGE("SKIP: no cgroup v1 cpuset controller or a single CPU on this host");
        return;
    }
    CtHost env;
    Vmid id = pct::test::unique_vmid(48);
    auto ct = env.create(id);
    boot(ct);
    int pid = ct.init_pid();
    std::string cpuset = limit_cgroup(pid, "cpuset");
    REQUIRE(first_line(cpuset + "/cpuset.cpus") == all);

    auto one = plug(env.host(), id, pid, "cores", "1");
    REQUIRE_MESSAGE(one.has_value(), (one ? "" : one.error().message));
    record(env.host(), id, "cores", "1");
    CHECK(first_line(cpuset + "/cpuset.cpus") == "0");
    CHECK(first_line(cpuset + "/ns/cpuset.cpus") == "0");
    CHECK(run(ct, "nproc").out == "1\n");

    // Deleted: back to every CPU of the parent, the inner cgroup too.
    auto every = plug(env.host(), id, pid, "cores", std::nullopt);
    REQUIRE_MESSAGE(every.has_value(), (every ? "" : every.error().message));
    CHECK(first_line(cpuset + "/cpuset.cpus") == all);
    CHECK(first_line(cpuset + "/ns/cpuset.cpus") == all);
    CHECK(run(ct, "nproc").out != "1\n");
}
