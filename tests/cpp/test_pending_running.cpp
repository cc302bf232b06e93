// SPDX-License-Identifier: AGPL-3.0-or-later
// The pending engine on real running containers: fast-plug keys live at once, a key that needs
// a restart pending with its reason (a forced deletion kept as `!KEY`), `pct pending` showing
// both, the next start applying them; and every `--dry-run` plan compared with what the real
// change then does.
#include "bridge.hpp"
#include "ct_env.hpp"
#include "ct_fixture.hpp"
#include "shell.hpp"

#include <pct/parse/config.hpp>
#include <pct/runtime/pending.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <filesystem>
#include <sstream>
#include <sys/stat.h>

using namespace pct;
using pct::test::CtHost;
using runtime::ChangeEffect;
using runtime::ConfigChange;

namespace {

ContainerConfig read_config(const storage::Host& host, Vmid id) {
    auto parsed = host.read_config(id);
    REQUIRE_MESSAGE(parsed, (parsed ? "" : parsed.error().message));
    return parsed->config;
}

// The plan of `change`, then the change itself: both reports must agree key by key (effect
// and reason; the values too unless a MAC is generated).
runtime::ChangeReport plan_and_apply(const storage::Host& host, Vmid id,
                                     const ConfigChange& change) {
    auto plan = runtime::plan_config_change(host, id, change);
    REQUIRE_MESSAGE(plan, (plan ? "" : plan.error().message));
    auto done = runtime::update_config(host, id, change);
    REQUIRE_MESSAGE(done, (done ? "" : done.error().message));
    REQUIRE(plan->keys.size() == done->keys.size());
    for (std::size_t i = 0; i < plan->keys.size(); ++i) {
        INFO("key ", done->keys[i].key);
        CHECK(plan->keys[i].key == done->keys[i].key);
        CHECK(plan->keys[i].action == done->keys[i].action);
        CHECK(runtime::effect_name(plan->keys[i].effect) ==
              runtime::effect_name(done->keys[i].effect));
        CHECK(plan->keys[i].reason == done->keys[i].reason);
    }
    return *done;
}

const runtime::KeyChange& key_of(const runtime::ChangeReport& r, std::string_view key) {
    for (const auto& k : r.keys)
        if (k.key == key)
            return k;
    FAIL("no report entry for ", key);
    throw std::logic_error("unreachable");
}

runtime::ExecResult run(runtime::Container& ct, const std::string& script) {
    runtime::ExecOptions o;
    o.argv = {"sh", "-c", script};
    auto r = ct.exec(o);
    REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().message));
    return *r;
}

// The CT's memory limit as the host's cgroup has it (v1 `memory.limit_in_bytes` of the limit
// cgroup, the parent of liblxc's inner `ns`; v2 `memory.max`); "" when not found.
std::string memory_limit(int pid) {
    std::istringstream in(pct::test::read_text(fmt::format("/proc/{}/cgroup", pid)));
    std::string line;
    while (std::getline(in, line)) {
        auto a = line.find(':'), b = line.find(':', a + 1);
        std::string ctrls = "," + line.substr(a + 1, b - a - 1) + ",";
        std::string path = line.substr(b + 1);
        if (path.ends_with("/ns"))
            path.resize(path.size() - 3);
        std::string file;
        if (ctrls.find(",memory,") != std::string::npos)
            file = "/sys/fs/cgroup/memory" + path + "/memory.limit_in_bytes";
        else if (ctrls == ",," && std::filesystem::exists("/sys/fs/cgroup/cgroup.controllers"))
            file = "/sys/fs/cgroup" + path + "/memory.max";
        else
            continue;
        std::string t = pct::test::read_text(file);
        return t.substr(0, t.find('\n'));
    }
    return {};
}

// cgroup v1's memory+swap limit of the CT, "" without one.
std::string memsw_limit(int pid) {
    std::istringstream in(pct::test::read_text(fmt::format("/proc/{}/cgroup", pid)));
    std::string line;
    while (std::getline(in, line)) {
        auto a = line.find(':'), b = line.find(':', a + 1);
        if (("," + line.substr(a + 1, b - a - 1) + ",").find(",memory,") == std::string::npos)
            continue;
        std::string path = line.substr(b + 1);
        if (path.ends_with("/ns"))
            path.resize(path.size() - 3);
        std::string file = "/sys/fs/cgroup/memory" + path + "/memory.memsw.limit_in_bytes";
        if (!std::filesystem::exists(file))
            return {};
        std::string t = pct::test::read_text(file);
        return t.substr(0, t.find('\n'));
    }
    return {};
}

std::string master_of(const std::string& dev) {
    std::error_code ec;
    auto target = std::filesystem::read_symlink("/sys/class/net/" + dev + "/master", ec);
    return ec ? std::string() : target.filename().string();
}

} // namespace

TEST_CASE("pending running: fast-plug keys live and restart keys pending until the next start") {
    if (pct::test::skip_containers("pending running"))
        return;
    CtHost env;
    Vmid id = pct::test::unique_vmid(94);
    auto ct = env.create(id, {{"hostname", "before"}, {"cmode", "tty"}, {"tty", "3"}});
    auto started = ct.start();
    REQUIRE_MESSAGE(started, (started ? "" : to_string(started.error())));
    REQUIRE(ct.running());

    ConfigChange change;
    change.set = {{"hostname", "after"}, {"cmode", "console"}, {"onboot", "1"}};
    change.deletes = {"!tty"};
    auto r = plan_and_apply(env.host(), id, change);
    CHECK(key_of(r, "hostname").effect == ChangeEffect::live);
    CHECK(key_of(r, "onboot").effect == ChangeEffect::live);
    CHECK(key_of(r, "cmode").effect == ChangeEffect::pending);
    CHECK(key_of(r, "cmode").reason == "needs a restart");
    CHECK(key_of(r, "tty").effect == ChangeEffect::pending);
    CHECK(key_of(r, "tty").reason == "needs a restart");

    ContainerConfig conf = read_config(env.host(), id);
    CHECK(conf.main.get("hostname") == "after");
    CHECK(conf.main.get("onboot") == "1");
    CHECK(conf.main.get("cmode") == "tty");
    CHECK(conf.pending.get("cmode") == "console");
    CHECK(conf.pending.get("delete") == "!tty");
    std::string shown = runtime::format_pending(runtime::pending_entries(conf));
    CHECK(shown.find("cur cmode: tty\nnew cmode: console\n") != std::string::npos);
    CHECK(shown.find("del tty: 3\n") != std::string::npos);

    // Setting a pending key back to its current value drops the pending entry (cleanup).
    auto back = plan_and_apply(env.host(), id, {.set = {{"cmode", "tty"}}});
    CHECK(key_of(back, "cmode").effect == ChangeEffect::unchanged);
    CHECK_FALSE(read_config(env.host(), id).pending.get("cmode"));
    REQUIRE(plan_and_apply(env.host(), id, {.set = {{"cmode", "console"}}}).keys.size() == 1);

    // The next start applies what was pending: deletions, then values.
    REQUIRE(ct.stop());
    auto again = ct.start();
    REQUIRE_MESSAGE(again, (again ? "" : to_string(again.error())));
    conf = read_config(env.host(), id);
    CHECK(conf.pending.empty());
    CHECK(conf.main.get("cmode") == "console");
    CHECK_FALSE(conf.main.get("tty"));
    CHECK(conf.main.get("hostname") == "after");
    REQUIRE(ct.stop());
}

TEST_CASE("pending running: dry-run plans match what happens to memory net1 and a restart key") {
    if (pct::test::skip_containers("pending running"))
        return;
    pct::test::TestBridge br;
    CtHost env;
    Vmid id = pct::test::unique_vmid(95);
    auto ct = env.create(
        id, {{"memory", "128"},
             {"swap", "64"},
             {"net0", fmt::format("name=eth0,bridge={},ip={}2/24", br.name(), br.prefix())}});
    auto started = ct.start();
    REQUIRE_MESSAGE(started, (started ? "" : to_string(started.error())));
    REQUIRE(pct::test::wait_boot(ct));
    REQUIRE(memory_limit(ct.init_pid()) == "134217728");

    const std::string net1 = fmt::format("name=eth1,bridge={},hwaddr=BC:24:11:5E:00:02,ip={}52/24",
                                         br.name(), br.prefix());
    // The CLI's plan first: one line per key, sets sorted; nothing written.
    const std::string before = pct::test::read_text(env.host().config_path(id));
    auto dry = pct::test::sh(fmt::format("{{ '{}' --root '{}' set {} --dry-run --memory 256 "
                                         "--swap 128 --net1 '{}' --cmode console 2>/dev/null; }}",
                                         PCT_CLI, env.root(), id.value, net1));
    CHECK(dry.status == 0);
    CHECK(dry.out == "cmode: pending (needs a restart)\nmemory: live\nnet1: live\nswap: live\n");
    CHECK(pct::test::read_text(env.host().config_path(id)) == before);

    // The same change for real: the plan of the API agrees key by key, and it happens.
    auto r = plan_and_apply(
        env.host(), id,
        {.set = {{"memory", "256"}, {"swap", "128"}, {"net1", net1}, {"cmode", "console"}}});
    CHECK(key_of(r, "memory").effect == ChangeEffect::live);
    CHECK(key_of(r, "net1").effect == ChangeEffect::live);
    CHECK(key_of(r, "cmode").effect == ChangeEffect::pending);
    CHECK(key_of(r, "swap").effect == ChangeEffect::live);
    CHECK(memory_limit(ct.init_pid()) == "268435456"); // in the cgroup at once
    // memory and swap together: swap's hot-plug sees the new memory (v1: memsw = both).
    if (std::string memsw = memsw_limit(ct.init_pid()); !memsw.empty())
        CHECK(memsw == "402653184");
    CHECK(master_of(fmt::format("veth{}i1", id.value)) == br.name());
    CHECK(run(ct, "cat /sys/class/net/eth1/address").out == "bc:24:11:5e:00:02\n");
    ContainerConfig conf = read_config(env.host(), id);
    CHECK(conf.main.get("memory") == "256");
    CHECK(conf.main.get("net1") == net1 + ",type=veth");
    CHECK(conf.pending.get("cmode") == "console");
    CHECK(conf.main.get("cmode") != std::optional<std::string_view>("console"));

    // A new bind mp goes live too (the plan said so), visible inside at once.
    // (A bind source is a host path below the host root, removed with it.)
    const std::string shared = env.host().host_path("/srv/pending-bind");
    std::filesystem::create_directories(shared);
    ::chmod(shared.c_str(), 0755);
    pct::test::write_text(shared + "/hello", "hi\n");
    auto mp = plan_and_apply(env.host(), id, {.set = {{"mp0", "/srv/pending-bind,mp=/mnt/b"}}});
    CHECK(key_of(mp, "mp0").effect == ChangeEffect::live);
    CHECK(run(ct, "cat /mnt/b/hello").out == "hi\n");

    // `cores` is fast-plug: in the config at once, and the CT's CPUs follow where the host
    // has a cpuset controller (libpct has no pvestatd to rebalance later).
    auto cores = plan_and_apply(env.host(), id, {.set = {{"cores", "1"}}});
    CHECK(key_of(cores, "cores").effect == ChangeEffect::live);
    if (std::filesystem::exists("/sys/fs/cgroup/cpuset/cpuset.cpus") &&
        pct::test::read_text("/sys/fs/cgroup/cpuset/cpuset.cpus") != "0\n")
        CHECK(run(ct, "nproc").out == "1\n");

    // A change the host refuses live stays pending with the refusal as its reason, in the plan
    // and in the real run alike (a MAC change of a live interface).
    auto mac =
        plan_and_apply(env.host(), id,
                       {.set = {{"net1", fmt::format("name=eth1,bridge={},hwaddr=BC:24:11:5E:00:03",
                                                     br.name())}}});
    CHECK(key_of(mac, "net1").effect == ChangeEffect::pending);
    CHECK_FALSE(key_of(mac, "net1").reason.empty());
    CHECK(run(ct, "cat /sys/class/net/eth1/address").out == "bc:24:11:5e:00:02\n");

    // The next start applies what was pending.
    REQUIRE(ct.stop());
    auto again = ct.start();
    REQUIRE_MESSAGE(again, (again ? "" : to_string(again.error())));
    REQUIRE(pct::test::wait_boot(ct));
    conf = read_config(env.host(), id);
    CHECK(conf.pending.empty());
    CHECK(conf.main.get("cmode") == "console");
    CHECK(conf.main.get("net1") ==
          fmt::format("name=eth1,bridge={},hwaddr=BC:24:11:5E:00:03,type=veth", br.name()));
    CHECK(memory_limit(ct.init_pid()) == "268435456");
    CHECK(run(ct, "cat /sys/class/net/eth1/address").out == "bc:24:11:5e:00:03\n");
    REQUIRE(ct.stop());
}
