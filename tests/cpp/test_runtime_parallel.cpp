// SPDX-License-Identifier: AGPL-3.0-or-later
// Twenty containers started in parallel from twenty threads of one process (each with its own
// Container): all reach RUNNING, the process's cgroups stay put, each runs commands while the
// others do (not under ASan, see below), all stop cleanly, nothing is left behind.
#include "ct_env.hpp"
#include "ct_fixture.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <thread>

using namespace pct;
using namespace std::chrono_literals;
using pct::test::CtHost;

TEST_CASE("runtime: 20 containers start and stop in parallel") {
    if (pct::test::skip_containers("runtime parallel"))
        return;
    constexpr unsigned count = 20;
    CtHost env;
    std::vector<Vmid> ids;
    for (unsigned i = 0; i < count; ++i) {
        ids.push_back(pct::test::unique_vmid(50 + i));
        (void)env.create(
            ids.back(), {{"memory", "64"}, {"hostname", "par" + std::to_string(ids.back().value)}});
    }
    std::string cgroups_before = pct::test::own_cgroups();

    auto in_parallel = [&](auto op) {
        std::atomic<unsigned> ok{0};
        std::vector<std::string> errors(count);
        std::vector<std::thread> threads;
        auto t0 = std::chrono::steady_clock::now();
        for (unsigned i = 0; i < count; ++i)
            threads.emplace_back([&, i] {
                auto ct = runtime::Container::open(env.host(), ids[i]);
                if (!ct) {
                    errors[i] = ct.error().message;
                    return;
                }
                if (auto r = op(*ct); !r.empty())
                    errors[i] = r;
                else
                    ++ok;
            });
        for (auto& t : threads)
            t.join();
        for (const auto& e : errors)
            if (!e.empty())
                MESSAGE(e);
        return std::pair{ok.load(), std::chrono::steady_clock::now() - t0};
    };

    auto [started, start_time] = in_parallel([](runtime::Container& ct) -> std::string {
        auto r = ct.start();
        return r ? "" : to_string(r.error());
    });
    MESSAGE("20 parallel starts: "
            << std::chrono::duration_cast<std::chrono::milliseconds>(start_time).count() << " ms");
    CHECK(started == count);
    unsigned running = 0;
    for (Vmid id : ids)
        running +=
            runtime::Container::open(env.host(), id).value().state() == runtime::State::running;
    CHECK(running == count);
    CHECK(pct::test::own_cgroups() == cgroups_before);
    auto listed = runtime::list(env.host()).value();
    CHECK(listed.size() == count);
    CHECK(std::all_of(listed.begin(), listed.end(),
                      [](const auto& e) { return e.status == "running"; }));

    // Each thread runs commands in its own container while the others do the same: every
    // command gets its own container's hostname and its exit status. Not under ASan: there,
    // about one run in three on a fresh machine had one of the 100 attaches hang for good
    // (no output, no exit within 30 s), also with the threads' whole bodies serialized, so that no
    // other thread allocated while liblxc's attach forked this process. The cause is not
    // found; the plain build has never shown it, and the ASan build runs attach in the other
    // runtime tests.
#if !defined(__SANITIZE_ADDRESS__)
    auto [execs_ok, exec_time] = in_parallel([&](runtime::Container& ct) -> std::string {
        for (int round = 0; round < 5; ++round) {
            runtime::ExecOptions o;
            o.argv = {"sh", "-c", "hostname; exit 7"};
            o.timeout = 30s;
            auto r = ct.exec(o);
            if (!r)
                return to_string(r.error());
            std::string want = "par" + std::to_string(ct.vmid().value) + "\n";
            if (r->out != want || r->exit_code != 7)
                return "exec in CT " + std::to_string(ct.vmid().value) + " gave '" + r->out +
                       "' status " + std::to_string(r->exit_code);
        }
        return "";
    });
    MESSAGE("20 x 5 parallel execs: "
            << std::chrono::duration_cast<std::chrono::milliseconds>(exec_time).count() << " ms");
    CHECK(execs_ok == count);
#endif

    auto [stopped, stop_time] = in_parallel([](runtime::Container& ct) -> std::string {
        auto r = ct.stop();
        return r ? "" : to_string(r.error());
    });
    MESSAGE("20 parallel stops: "
            << std::chrono::duration_cast<std::chrono::milliseconds>(stop_time).count() << " ms");
    CHECK(stopped == count);
    for (Vmid id : ids) {
        CHECK(runtime::Container::open(env.host(), id).value().state() == runtime::State::stopped);
        CHECK(pct::test::eventually([&] { return pct::test::leftovers(id).empty(); }, 3s));
    }
    CHECK(pct::test::own_cgroups() == cgroups_before);
}
