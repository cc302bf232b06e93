// SPDX-License-Identifier: AGPL-3.0-or-later
// The sweeper (tests/support/sweep.hpp): what a killed test process left is removed by the
// next one, and nothing of a live one is touched.
#include "bridge.hpp"
#include "ct_env.hpp"
#include "ct_fixture.hpp"
#include "ct_traces.hpp"
#include "sweep.hpp"
#include "temp_dir.hpp"
#include "test_owner.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <algorithm>
#include <csignal>
#include <fcntl.h>
#include <filesystem>
#include <poll.h>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

using namespace pct;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

bool logged(const std::vector<std::string>& log, const std::string& line) {
    return std::find(log.begin(), log.end(), line) != log.end();
}

std::string joined(const std::vector<std::string>& lines) {
    std::string s;
    for (const auto& l : lines)
        s += l + "\n";
    return s;
}

// A child process that waits until its pipe closes; killed and reaped by the destructor, also
// when a check fails.
struct Child {
    pid_t pid = -1;
    int fd = -1; // parent's end: reads what the child reports
    ~Child() {
        if (pid > 0) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, nullptr, 0);
        }
        if (fd >= 0)
            ::close(fd);
    }
    void kill_and_reap() {
        ::kill(pid, SIGKILL);
        ::waitpid(pid, nullptr, 0);
        pid = -1;
    }
};

// Forks a child running `body(write_fd)`; the child never returns into doctest.
template <class Body> void spawn(Child& c, Body body) {
    int fds[2];
    REQUIRE(::pipe2(fds, O_CLOEXEC) == 0);
    c.pid = ::fork();
    REQUIRE(c.pid >= 0);
    if (c.pid == 0) {
        ::close(fds[0]);
        int code = body(fds[1]);
        ::_exit(code);
    }
    ::close(fds[1]);
    c.fd = fds[0];
}

// One line from the child, or "" after `timeout`.
std::string read_line(int fd, std::chrono::milliseconds timeout) {
    std::string line;
    auto end = std::chrono::steady_clock::now() + timeout;
    while (line.find('\n') == std::string::npos) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            end - std::chrono::steady_clock::now());
        pollfd p{fd, POLLIN, 0};
        if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) <= 0)
            return "";
        char buf[256];
        auto n = ::read(fd, buf, sizeof buf);
        if (n <= 0)
            return line;
        line.append(buf, static_cast<std::size_t>(n));
    }
    return line.substr(0, line.find('\n'));
}

void write_all(int fd, const std::string& s) {
    for (std::size_t done = 0; done < s.size();) {
        auto n = ::write(fd, s.data() + done, s.size() - done);
        if (n <= 0)
            return;
        done += static_cast<std::size_t>(n);
    }
}

} // namespace

TEST_CASE("sweep: roots of live owners stay and those of dead or reused pids go") {
    test::TempDir base("pct-sweep-base"); // a private /tmp: the real one is not swept here
    auto me = test::owner_of(::getpid()).value();
    Vmid shared = test::unique_vmid(91), dead_id = test::unique_vmid(92);
    auto make_root = [&](const std::string& name, const std::vector<Vmid>& ids) {
        std::string root = base.sub(name);
        fs::create_directories(root);
        for (Vmid id : ids)
            test::write_text(fmt::format("{}/etc/pve/lxc/{}.conf", root, id.value), "");
        return root;
    };

    // A process that has exited (reaped): its pid and start time no longer name anything.
    Child gone;
    spawn(gone, [](int fd) {
        write_all(fd, "up\n");
        ::pause();
        return 0;
    });
    REQUIRE(read_line(gone.fd, 10s) == "up");
    auto dead = test::owner_of(gone.pid).value();
    gone.kill_and_reap();

    std::string live = make_root("pct-rt-live", {shared});
    test::claim_root(live, ::getpid());
    std::string died = make_root("pct-rt-died", {dead_id});
    test::write_text(died + "/pct-test-owner", test::to_text(dead) + "\n");
    std::string reused = make_root("pct-rt-reused", {});
    test::write_text(reused + "/pct-test-owner",
                     test::to_text({me.pid, me.start_time + 1}) + "\n"); // our pid, not us
    std::string clash = make_root("pct-rt-clash", {shared});
    test::write_text(clash + "/pct-test-owner", test::to_text(dead) + "\n");
    std::string fresh = make_root("pct-rt-fresh", {});
    std::string old = make_root("pct-cli-old", {});
    std::string other = make_root("pct-test-other", {});
    for (const auto& dir : {old, other})
        fs::last_write_time(dir, fs::file_time_type::clock::now() - 11min);

    test::SweepOptions options;
    options.base = base.path();
    options.bridges = false;
    auto log = test::sweep_stale_test_roots(options);
    INFO(joined(log));

    CHECK(fs::exists(live));
    CHECK(fs::exists(fresh)); // no owner yet, but young: maybe being created right now
    CHECK(fs::exists(other)); // some other test's TempDir: not a container root
    CHECK_FALSE(fs::exists(died));
    CHECK_FALSE(fs::exists(reused));
    CHECK_FALSE(fs::exists(old));
    CHECK(fs::exists(clash)); // its CTID is also a live root's: left, with the root
    CHECK(logged(log, fmt::format("sweeping stale test container {} of dead pid {}", dead_id.value,
                                  dead.pid)));
    CHECK(logged(log, fmt::format("sweeping stale test root {} of dead pid {}", died, dead.pid)));
    CHECK(logged(log, fmt::format("sweeping stale test root {} of dead pid {}", reused, me.pid)));
    CHECK(logged(log, fmt::format("not sweeping test container {} of {} (dead pid {}): a live "
                                  "test uses that CTID",
                                  shared.value, clash, dead.pid)));
    CHECK(log.size() == 6); // + old root, + clash kept: nothing about the live ones
}

TEST_CASE("sweep: a SIGKILLed test process leaves no container cgroup veth bridge or root") {
    if (test::skip_containers("runtime sweep"))
        return;
    (void)test::busybox_template(); // built before the fork, by this process

    // The child does what a container test does, reports what it made and waits to be killed.
    Child owner;
    spawn(owner, [](int fd) {
        try {
            test::TestBridge br;
            test::CtHost env;
            Vmid running = test::unique_vmid(1), frozen = test::unique_vmid(2);
            for (Vmid id : {running, frozen}) {
                auto ct = env.create(
                    id, {{"memory", "64"},
                         {"net0", fmt::format("name=eth0,bridge={},ip={}{}/24", br.name(),
                                              br.prefix(), 2 + id.value % 100)}});
                auto started = ct.start();
                if (!started || !test::wait_boot(ct, 30s))
                    throw std::runtime_error("start " + std::to_string(id.value) + ": " +
                                             (started ? "no boot" : to_string(started.error())));
                // A suspended CT's tasks ignore SIGKILL until thawed.
                if (id == frozen && !ct.suspend())
                    throw std::runtime_error("suspend failed");
            }
            write_all(fd, fmt::format("{} {} {} {}\n", env.root(), br.name(), running.value,
                                      frozen.value));
            ::pause();
        } catch (const std::exception& e) {
            write_all(fd, std::string("error ") + e.what() + "\n");
        }
        return 1;
    });
    std::istringstream report(read_line(owner.fd, 120s));
    std::string root, bridge;
    std::uint32_t running = 0, frozen = 0;
    report >> root >> bridge >> running >> frozen;
    // Whatever happens below, nothing of the child stays: the guard of a normal test.
    struct Cleanup {
        std::string root, bridge;
        std::vector<Vmid> ids;
        ~Cleanup() {
            if (root.starts_with("/tmp/pct-rt-")) {
                for (Vmid id : ids)
                    test::CtGuard::clean(storage::Host(root), id);
                std::error_code ec;
                fs::remove_all(root, ec);
            }
            if (bridge.starts_with("pcttest"))
                (void)test::sh("ip link del " + bridge + " 2>/dev/null");
        }
    } cleanup{root, bridge, {Vmid{running}, Vmid{frozen}}};
    REQUIRE_MESSAGE(root.starts_with("/tmp/pct-rt-"), report.str());
    REQUIRE(frozen != 0);

    const auto dead_pid = owner.pid;
    owner.kill_and_reap();
    // The kill left it all behind: monitors, cgroups, veths, bridge, root.
    for (auto id : {running, frozen}) {
        auto left = test::leftovers(Vmid{id});
        INFO(joined(left));
        CHECK(std::ranges::any_of(left, [](auto& l) { return l.starts_with("process "); }));
        CHECK(std::ranges::any_of(left, [](auto& l) { return l.starts_with("veth "); }));
    }
    CHECK(fs::exists("/sys/class/net/" + bridge));
    CHECK(test::root_owner(root).value().pid == dead_pid);

    auto log = test::sweep_stale_test_roots();
    INFO(joined(log));
    for (auto id : {running, frozen}) {
        CHECK(logged(log,
                     fmt::format("sweeping stale test container {} of dead pid {}", id, dead_pid)));
        // The monitor's own cleanup after its container died can lag a little.
        std::vector<std::string> left;
        CHECK(test::eventually([&] { return (left = test::leftovers(Vmid{id})).empty(); }, 5s));
        INFO(joined(left));
        CHECK(left.empty());
    }
    CHECK(logged(log, fmt::format("sweeping stale test root {} of dead pid {}", root, dead_pid)));
    CHECK(
        logged(log, fmt::format("sweeping stale test bridge {} of dead pid {}", bridge, dead_pid)));
    CHECK_FALSE(fs::exists(root));
    CHECK_FALSE(fs::exists("/sys/class/net/" + bridge));
    for (const auto& m : test::lxc_monitors())
        CHECK_MESSAGE(!m.lxcpath.starts_with(root + "/"), m.pid);
}
