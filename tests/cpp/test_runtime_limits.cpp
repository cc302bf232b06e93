// SPDX-License-Identifier: AGPL-3.0-or-later
// Resource limits enforced on the host's real cgroups: memory (a process allocating twice the
// limit is killed), cpulimit (a busy loop is capped, measured from the cgroup's CPU time),
// cores (one CPU inside), cpuunits (cpu weight).
#include "ct_env.hpp"
#include "ct_fixture.hpp"
#include "temp_dir.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <filesystem>
#include <sstream>
#include <thread>

using namespace pct;
using namespace std::chrono_literals;
using pct::test::CtHost;

namespace {

runtime::ExecResult run(runtime::Container& ct, const std::string& script) {
    runtime::ExecOptions o;
    o.argv = {"sh", "-c", script};
    auto r = ct.exec(o);
    REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().message));
    return *r;
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

std::string first_line(const std::string& path) {
    std::string t = pct::test::read_text(path);
    return t.substr(0, t.find('\n'));
}

} // namespace

TEST_CASE("runtime: memory limit kills a process allocating beyond it") {
    if (pct::test::skip_containers("runtime limits"))
        return;
    if (!std::filesystem::exists("/sys/fs/cgroup/memory/memory.limit_in_bytes")) {
        MESSAGE("SKIP: no cgroup v1 memory controller on this host");
        return;
    }
    CtHost env;
    Vmid id = pct::test::unique_vmid(40);
    auto ct = env.create(id, {{"memory", "64"}, {"swap", "0"}});
    auto started = ct.start();
    REQUIRE_MESSAGE(started.has_value(), (started ? "" : to_string(started.error())));
    REQUIRE(pct::test::wait_boot(ct));
    std::string mem = limit_cgroup(ct.init_pid(), "memory");
    CHECK(first_line(mem + "/memory.limit_in_bytes") == "67108864");
    CHECK(first_line(mem + "/memory.memsw.limit_in_bytes") == "67108864");

    // 16 MiB fits; 128 MiB (twice the limit) gets the process OOM-killed.
    auto small =
        run(ct, "awk 'BEGIN { s = \"x\"; while (length(s) < 16777216) s = s s; print length(s) }'");
    CHECK(small.exit_code == 0);
    CHECK(small.out == "16777216\n");
    auto big = run(
        ct, "awk 'BEGIN { s = \"x\"; while (length(s) < 134217728) s = s s; print length(s) }'");
    CHECK(big.exit_code == 137);
    CHECK(big.signal == 9);
    CHECK(big.out.empty());
    // The kernel counts the kill in the killed task's memcg (liblxc's inner `ns`).
    std::string oom = pct::test::read_text(mem + "/ns/memory.oom_control");
    auto kills = oom.find("oom_kill ");
    REQUIRE_MESSAGE(kills != std::string::npos, oom);
    CHECK_MESSAGE(std::stoull(oom.substr(kills + 9)) >= 1, oom);
    CHECK(std::stoull(first_line(mem + "/memory.max_usage_in_bytes")) <= 67108864ull);
    CHECK(ct.running()); // only the allocating process died
    auto st = ct.status().value();
    CHECK(st.maxmem == 67108864u);
    CHECK(st.mem < 67108864u);
    REQUIRE(ct.stop().has_value());
}

TEST_CASE("runtime: cpulimit 0.5 caps busy loops near half a CPU and cores 1 gives one CPU") {
    if (pct::test::skip_containers("runtime limits"))
        return;
    if (std::thread::hardware_concurrency() < 2) {
        MESSAGE("SKIP: needs at least 2 host CPUs");
        return;
    }
    CtHost env;
    Vmid id = pct::test::unique_vmid(41);
    auto ct = env.create(id, {{"cpulimit", "0.5"}, {"cpuunits", "512"}});
    auto started = ct.start();
    REQUIRE_MESSAGE(started.has_value(), (started ? "" : to_string(started.error())));
    REQUIRE(pct::test::wait_boot(ct));
    std::string cpu = limit_cgroup(ct.init_pid(), "cpu");
    CHECK(first_line(cpu + "/cpu.cfs_quota_us") == "50000");
    CHECK(first_line(cpu + "/cpu.cfs_period_us") == "100000");
    CHECK(first_line(cpu + "/cpu.shares") == "512");

    // Two busy loops could use 2 CPUs; the quota holds them at 0.5 together.
    run(ct, "for i in 1 2; do (while :; do :; done) & done; echo started");
    std::this_thread::sleep_for(300ms);
    auto t0 = std::chrono::steady_clock::now();
    auto u0 = ct.status().value().cpu_time_ns;
    std::this_thread::sleep_for(2s);
    auto u1 = ct.status().value().cpu_time_ns;
    double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    double used = static_cast<double>(u1 - u0) / 1e9 / wall;
    MESSAGE("cpulimit 0.5: busy loops used " << used << " CPUs over " << wall << " s");
    CHECK(used > 0.2); // the loops ran (the host's 2 CPUs are shared with other work)
    CHECK(used < 0.62);
    REQUIRE(ct.stop().has_value());

    Vmid one = pct::test::unique_vmid(42);
    auto single = env.create(one, {{"cores", "1"}});
    REQUIRE(single.start().has_value());
    REQUIRE(pct::test::wait_boot(single));
    CHECK(run(single, "nproc").out == "1\n");
    std::string cpus = first_line(limit_cgroup(single.init_pid(), "cpuset") + "/cpuset.cpus");
    CHECK(cpus.find_first_of(",-") == std::string::npos); // a single CPU number
    CHECK(single.status().value().cpus == 1.0);
    REQUIRE(single.stop().has_value());
}

TEST_CASE("runtime: status mem is the cgroup's memory without page cache as Proxmox reads it") {
    if (pct::test::skip_containers("runtime limits"))
        return;
    if (!std::filesystem::exists("/sys/fs/cgroup/memory/memory.limit_in_bytes")) {
        MESSAGE("SKIP: no cgroup v1 memory controller on this host");
        return;
    }
    CtHost env;
    Vmid id = pct::test::unique_vmid(42);
    auto ct = env.create(id, {{"memory", "256"}, {"tags", "web;prod"}});
    auto started = ct.start();
    REQUIRE_MESSAGE(started.has_value(), (started ? "" : to_string(started.error())));
    REQUIRE(pct::test::wait_boot(ct));
    // 48 MiB of anonymous memory held by dd (blocked on a pipe nobody reads), far more than
    // any process's share of the idle container.
    run(ct, "(dd if=/dev/zero bs=48M count=1 2>/dev/null | sleep 60) >/dev/null 2>&1 &");
    std::string mem = limit_cgroup(ct.init_pid(), "memory");
    auto cgroup_mem = [&] {
        std::istringstream stat(pct::test::read_text(mem + "/memory.stat"));
        std::string key;
        std::uint64_t value = 0, cache = 0;
        while (stat >> key >> value)
            if (key == "total_cache")
                cache = value;
        return std::stoull(first_line(mem + "/memory.usage_in_bytes")) - cache;
    };
    REQUIRE(pct::test::eventually([&] { return cgroup_mem() > 48ull << 20; }, 10s));
    auto st = ct.status().value();
    auto expected = cgroup_mem();
    MESSAGE("status mem " << st.mem << ", cgroup usage - total_cache " << expected);
    CHECK(st.mem > 48ull << 20);
    CHECK(st.mem + (2ull << 20) > expected);
    CHECK(st.mem < expected + (2ull << 20));
    auto text = st.verbose_text();
    CHECK(text.find(fmt::format("mem: {}\n", st.mem)) != std::string::npos);
    CHECK(text.find("tags: web;prod\n") != std::string::npos);
    CHECK(text.find("lock:") == std::string::npos);
    CHECK(("\n" + text).find("\ncpu:") == std::string::npos);
    CHECK(text.find("cpus: ") != std::string::npos);
    CHECK(ct.stop().has_value());
}
