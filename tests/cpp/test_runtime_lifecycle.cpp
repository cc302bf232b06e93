// SPDX-License-Identifier: AGPL-3.0-or-later
// Real containers: create from the busybox template, start, status, exec, freeze/thaw,
// console, shutdown, stop, reboot with pending changes, destroy; nothing left behind.
#include "ct_env.hpp"
#include "ct_fixture.hpp"

#include <pct/storage/atomic_file.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <optional>
#include <poll.h>
#include <stdlib.h>
#include <thread>
#include <unistd.h>

using namespace pct;
using namespace std::chrono_literals;
using pct::test::CtHost;
namespace fs = std::filesystem;

namespace {

std::string read_until(int fd, std::string_view needle, std::chrono::milliseconds timeout) {
    std::string got;
    auto end = std::chrono::steady_clock::now() + timeout;
    while (got.find(needle) == std::string::npos && std::chrono::steady_clock::now() < end) {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, 100) <= 0)
            continue;
        char buf[512];
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n <= 0)
            break;
        got.append(buf, static_cast<std::size_t>(n));
    }
    return got;
}

// A pseudo-terminal pair standing in for the user's terminal.
struct Pty {
    int master = -1;
    int slave = -1;
    Pty() {
        master = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
        REQUIRE(master >= 0);
        REQUIRE(::grantpt(master) == 0);
        REQUIRE(::unlockpt(master) == 0);
        slave = ::open(::ptsname(master), O_RDWR | O_NOCTTY | O_CLOEXEC);
        REQUIRE(slave >= 0);
    }
    Pty(const Pty&) = delete;
    Pty& operator=(const Pty&) = delete;
    ~Pty() {
        ::close(slave);
        ::close(master);
    }
};

runtime::ExecOptions cmd(std::vector<std::string> argv) {
    runtime::ExecOptions o;
    o.argv = std::move(argv);
    return o;
}

runtime::ExecOptions cmd_in(std::vector<std::string> argv, std::string stdin_data) {
    runtime::ExecOptions o = cmd(std::move(argv));
    o.stdin_data = std::move(stdin_data);
    return o;
}

runtime::ShutdownOptions down_opts(std::chrono::seconds timeout, bool force) {
    runtime::ShutdownOptions o;
    o.timeout = timeout;
    o.force = force;
    return o;
}

} // namespace

TEST_CASE("runtime: lifecycle of a busybox container") {
    if (pct::test::skip_containers("runtime lifecycle"))
        return;
    CtHost env;
    Vmid id = pct::test::unique_vmid(1);
    auto ct = env.create(
        id, {{"hostname", "lifecycle-ct"}, {"memory", "128"}, {"searchdomain", "pct.test"}});
    const auto& host = env.host();

    // create wrote a Proxmox config with the defaults and a fresh rootfs volume
    auto conf = host.read_config(id).value().config.main.options;
    CHECK(conf.at("hostname") == "lifecycle-ct");
    CHECK(conf.at("swap") == "512");
    CHECK(conf.at("arch") == "amd64");
    CHECK(conf.at("rootfs") == "local:" + std::to_string(id.value) + "/subvol-" +
                                   std::to_string(id.value) + "-disk-0.subvol,size=0T");
    std::string rootfs = host.volume_path(id, "local:" + std::to_string(id.value) + "/subvol-" +
                                                  std::to_string(id.value) + "-disk-0.subvol")
                             .value();
    CHECK(fs::exists(rootfs + "/bin/busybox"));
    CHECK_FALSE(fs::exists(rootfs + "/dev/console")); // ./dev/* is never unpacked

    auto stopped = ct.status().value();
    CHECK(stopped.status == "stopped");
    CHECK(stopped.pid == 0);
    CHECK(stopped.maxmem == 128u * 1024 * 1024);
    CHECK(stopped.maxdisk == 0); // the fixture's subvol: size=0T

    std::string cgroups_before = pct::test::own_cgroups();
    auto t0 = std::chrono::steady_clock::now();
    auto started = ct.start();
    REQUIRE_MESSAGE(started.has_value(), (started ? "" : to_string(started.error()))
                                             << "\n"
                                             << ct.lxc_log());
    MESSAGE("start -> RUNNING took " << std::chrono::duration_cast<std::chrono::milliseconds>(
                                            std::chrono::steady_clock::now() - t0)
                                            .count()
                                     << " ms");
    CHECK(ct.state() == runtime::State::running);
    CHECK(ct.init_pid() > 0);
    // liblxc moves its caller into the monitor cgroup; libpct's forked start must not.
    CHECK(pct::test::own_cgroups() == cgroups_before);

    auto again = ct.start();
    REQUIRE_FALSE(again.has_value());
    CHECK(again.error().code == Errc::bad_state);
    CHECK(again.error().message == "CT " + std::to_string(id.value) + " already running");

    auto list = runtime::list(host).value();
    REQUIRE(list.size() == 1);
    CHECK(list[0].status == "running");
    CHECK(list[0].name == "lifecycle-ct");
    std::string table = runtime::format_list(list);
    CHECK(table.starts_with("VMID       Status     Lock         Name                \n"));
    CHECK(table.find(fmt::format("{:<10} running    {:<12} lifecycle-ct        \n", id.value,
                                 "")) != std::string::npos);

    REQUIRE(pct::test::wait_boot(ct));
    auto st = ct.status().value();
    CHECK(st.status == "running");
    CHECK(st.pid == ct.init_pid());
    CHECK(st.mem > 0);
    CHECK(st.maxdisk > 0);
    CHECK(st.disk > 0);
    CHECK(st.verbose_text().find("status: running\n") != std::string::npos);
    CHECK(st.verbose_text().find("pid: " + std::to_string(st.pid) + "\n") != std::string::npos);

    SUBCASE("exec") {
        auto hn = ct.exec(cmd({"hostname"}));
        REQUIRE(hn.has_value());
        CHECK(hn->out == "lifecycle-ct\n");
        CHECK(hn->exit_code == 0);

        // 1 MiB on stdout and 512 KiB on stderr at once: both pipes must be drained.
        auto big = ct.exec(
            cmd({"sh", "-c", "head -c 1048576 /dev/zero; head -c 524288 /dev/zero >&2; exit 3"}));
        REQUIRE(big.has_value());
        CHECK(big->out.size() == 1048576);
        CHECK(big->err.size() == 524288);
        CHECK(big->exit_code == 3);

        std::string input(300000, 'q');
        input[4242] = 'Z';
        auto echo = ct.exec(cmd_in({"cat"}, input));
        REQUIRE(echo.has_value());
        CHECK(echo->out == input);

        auto ignores_stdin = ct.exec(cmd_in({"true"}, std::string(1 << 20, 'x')));
        REQUIRE(ignores_stdin.has_value());
        CHECK(ignores_stdin->exit_code == 0);

        auto failing = ct.exec(cmd({"sh", "-c", "echo oops >&2; exit 7"}));
        REQUIRE(failing.has_value());
        CHECK(failing->exit_code == 7);
        CHECK(failing->err == "oops\n");

        auto missing = ct.exec(cmd({"/no/such/program"}));
        REQUIRE(missing.has_value());
        CHECK(missing->exit_code == 127);

        auto killed = ct.exec(cmd({"sh", "-c", "kill -9 $$"}));
        REQUIRE(killed.has_value());
        CHECK(killed->signal == 9);
        CHECK(killed->exit_code == 137);

        auto ctx_opts = cmd({"sh", "-c", "echo $FOO; pwd; id -u; id -g; echo $PATH"});
        ctx_opts.env = {"FOO=bar baz"};
        ctx_opts.cwd = "/tmp";
        ctx_opts.uid = 65534;
        ctx_opts.gid = 65534;
        auto ctx = ct.exec(ctx_opts);
        REQUIRE(ctx.has_value());
        CHECK(ctx->out == "bar "
                          "baz\n/tmp\n65534\n65534\n/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/"
                          "bin:/sbin:/bin\n");

        auto t = std::chrono::steady_clock::now();
        auto slow_opts = cmd({"sleep", "30"});
        slow_opts.timeout = 300ms;
        auto slow = ct.exec(slow_opts);
        REQUIRE_FALSE(slow.has_value());
        CHECK(slow.error().code == Errc::bad_state);
        CHECK(std::chrono::steady_clock::now() - t < 5s);

        // A background child keeping the pipes open does not keep exec waiting.
        t = std::chrono::steady_clock::now();
        auto bg = ct.exec(cmd({"sh", "-c", "sleep 20 & echo started"}));
        REQUIRE(bg.has_value());
        CHECK(bg->out == "started\n");
        CHECK(std::chrono::steady_clock::now() - t < 5s);

        auto empty = ct.exec({});
        REQUIRE_FALSE(empty.has_value());
        CHECK(empty.error().code == Errc::invalid_argument);
    }

    SUBCASE("in-container setup files") {
        auto hosts = ct.exec(cmd({"cat", "/etc/hosts"})).value();
        // The template has localhost lines: only the host's own (spec storage.md §5.6).
        CHECK(hosts.out.find("# --- BEGIN PVE ---\n127.0.1.1 lifecycle-ct.pct.test lifecycle-ct\n"
                             "# --- END PVE ---\n") != std::string::npos);
        CHECK(hosts.out.starts_with("127.0.0.1 localhost\n")); // the template's lines stay
        CHECK(ct.exec(cmd({"cat", "/etc/hostname"})).value().out == "lifecycle-ct\n");
    }

    SUBCASE("freeze and thaw") {
        REQUIRE(ct.suspend().has_value());
        CHECK(ct.state() == runtime::State::frozen);
        CHECK(ct.status().value().status == "running");
        REQUIRE(ct.resume().has_value());
        CHECK(ct.state() == runtime::State::running);
        auto twice = ct.resume();
        REQUIRE_FALSE(twice.has_value());
        CHECK(twice.error().code == Errc::bad_state);
        CHECK(ct.exec(cmd({"true"})).value().exit_code == 0);
    }

    SUBCASE("enter: a shell on the caller's terminal") {
        Pty pty;
        const char* input = "echo in-$((6*7)); exit 5\n";
        REQUIRE(::write(pty.master, input, std::strlen(input)) ==
                static_cast<ssize_t>(std::strlen(input)));
        runtime::RunOptions io;
        io.stdin_fd = io.stdout_fd = io.stderr_fd = pty.slave;
        auto code = ct.enter(io);
        REQUIRE_MESSAGE(code.has_value(), (code ? "" : code.error().message));
        CHECK(*code == 5);
        CHECK(read_until(pty.master, "in-42", 2s).find("in-42") != std::string::npos);
    }

    SUBCASE("console: interactive tty left with the escape sequence") {
        Pty pty;
        runtime::ConsoleOptions co;
        co.kind = runtime::ConsoleKind::tty;
        co.escape = "^b";
        co.stdin_fd = co.stdout_fd = co.stderr_fd = pty.slave;
        std::optional<Result<int>> result;
        std::thread console([&] { result = ct.console(co); });
        REQUIRE(::write(pty.master, "\n", 1) == 1);
        std::string got = read_until(pty.master, "login:", 5s);
        CHECK(got.find("lifecycle-ct login:") != std::string::npos);
        REQUIRE(::write(pty.master, "\x02q", 2) == 2); // Ctrl-b q
        console.join();
        REQUIRE(result.has_value());
        REQUIRE_MESSAGE(result->has_value(), (*result ? "" : result->error().message));
        CHECK(**result == 0);
        runtime::ConsoleOptions bad;
        bad.escape = "^1";
        CHECK(ct.console(bad).error().code == Errc::invalid_argument);
    }

    SUBCASE("console tty") {
        auto console = ct.console_fd(-1);
        REQUIRE(console.has_value());
        CHECK(console->tty() >= 1);
        REQUIRE(::write(console->fd(), "\n", 1) == 1);
        std::string got = read_until(console->fd(), "login:", 5s);
        CHECK(got.find("lifecycle-ct login:") != std::string::npos);
        console->close();
    }

    SUBCASE("graceful shutdown") {
        t0 = std::chrono::steady_clock::now();
        auto down = ct.shutdown(down_opts(20s, false));
        REQUIRE_MESSAGE(down.has_value(), (down ? "" : down.error().message));
        auto took = std::chrono::steady_clock::now() - t0;
        MESSAGE(
            "shutdown took " << std::chrono::duration_cast<std::chrono::milliseconds>(took).count()
                             << " ms");
        CHECK(took < 15s);
        CHECK(ct.state() == runtime::State::stopped);
        auto twice = ct.shutdown();
        REQUIRE_FALSE(twice.has_value());
        CHECK(twice.error().message == "CT " + std::to_string(id.value) + " not running");
    }

    SUBCASE("shutdown timeout: refused without force, killed with force") {
        auto refused = ct.shutdown(down_opts(1s, false));
        REQUIRE_FALSE(refused.has_value());
        CHECK(refused.error().message == "container did not stop");
        // busybox keeps halting on its own (~2 s); a forced shutdown finishes it either way.
        if (ct.running()) {
            auto forced = ct.shutdown(down_opts(1s, true));
            if (!forced)
                CHECK(forced.error().message == "CT " + std::to_string(id.value) + " not running");
        }
        CHECK(pct::test::eventually([&] { return !ct.running(); }, 10s));
    }

    SUBCASE("hard stop") {
        t0 = std::chrono::steady_clock::now();
        REQUIRE(ct.stop().has_value());
        MESSAGE("stop took " << std::chrono::duration_cast<std::chrono::milliseconds>(
                                    std::chrono::steady_clock::now() - t0)
                                    .count()
                             << " ms");
        CHECK(ct.state() == runtime::State::stopped);
        CHECK(ct.stop().error().code == Errc::bad_state);
        auto not_running = ct.exec(cmd({"true"}));
        REQUIRE_FALSE(not_running.has_value());
        CHECK(not_running.error().code == Errc::bad_state);
    }

    SUBCASE("destroy refuses a running CT unless forced") {
        auto refused = ct.destroy();
        REQUIRE_FALSE(refused.has_value());
        CHECK(refused.error().code == Errc::bad_state);
        CHECK(refused.error().message ==
              "CT " + std::to_string(id.value) + " is running - destroy failed");
        CHECK(ct.running());
    }

    // Every subcase ends here: stop what runs, then check nothing is left behind.
    if (ct.running())
        REQUIRE(ct.stop().has_value());
    CHECK(pct::test::eventually([&] { return pct::test::leftovers(id).empty(); }, 3s));
    for (const auto& l : pct::test::leftovers(id))
        MESSAGE("leftover: " << l);
    CHECK(pct::test::own_cgroups() == cgroups_before);
    REQUIRE(ct.destroy().has_value());
    CHECK_FALSE(host.exists(id));
    CHECK_FALSE(fs::exists(host.ct_dir(id)));
    CHECK_FALSE(fs::exists(rootfs));
    CHECK(runtime::list(host).value().empty());
    CHECK(pct::test::leftovers(id).empty());
}

TEST_CASE("runtime: start applies pending changes and reboot picks up new ones") {
    if (pct::test::skip_containers("runtime lifecycle"))
        return;
    CtHost env;
    Vmid id = pct::test::unique_vmid(2);
    auto ct = env.create(id, {{"hostname", "before"}, {"description", "x"}});
    const auto& host = env.host();
    {
        auto lock = host.lock(id).value();
        auto cfg = host.read_config(id).value().config;
        cfg.pending.options["hostname"] = "after";
        cfg.pending.options["delete"] = "description";
        REQUIRE(host.write_config(lock, cfg).has_value());
    }
    auto started = ct.start();
    REQUIRE_MESSAGE(started.has_value(), (started ? "" : to_string(started.error())));
    auto cfg = host.read_config(id).value().config;
    CHECK(cfg.pending.empty());
    CHECK(cfg.main.options.at("hostname") == "after");
    CHECK_FALSE(cfg.main.options.contains("description"));
    REQUIRE(pct::test::wait_boot(ct));
    CHECK(ct.exec(cmd({"hostname"})).value().out == "after\n");

    {
        auto lock = host.lock(id).value();
        auto c2 = host.read_config(id).value().config;
        c2.pending.options["hostname"] = "rebooted";
        REQUIRE(host.write_config(lock, c2).has_value());
    }
    auto rebooted = ct.reboot(down_opts(20s, false));
    REQUIRE_MESSAGE(rebooted.has_value(), (rebooted ? "" : to_string(rebooted.error())));
    REQUIRE(pct::test::wait_boot(ct));
    CHECK(ct.exec(cmd({"hostname"})).value().out == "rebooted\n");
    REQUIRE(ct.stop().has_value());
}

TEST_CASE("runtime: locked and template containers do not start") {
    if (pct::test::skip_containers("runtime lifecycle"))
        return;
    CtHost env;
    Vmid id = pct::test::unique_vmid(3);
    auto ct = env.create(id);
    const auto& host = env.host();
    auto set = [&](const char* key, const char* value) {
        auto lock = host.lock(id).value();
        auto cfg = host.read_config(id).value().config;
        if (value)
            cfg.main.options[key] = value;
        else
            cfg.main.options.erase(key);
        REQUIRE(host.write_config(lock, cfg).has_value());
    };
    set("lock", "backup");
    auto locked = ct.start();
    REQUIRE_FALSE(locked.has_value());
    CHECK(locked.error().code == Errc::bad_state);
    CHECK(locked.error().message == "CT is locked (backup)");
    auto destroy_locked = ct.destroy();
    REQUIRE_FALSE(destroy_locked.has_value());
    CHECK(destroy_locked.error().message == "CT is locked (backup)");
    set("lock", nullptr);
    set("template", "1");
    auto tpl = ct.start();
    REQUIRE_FALSE(tpl.has_value());
    CHECK(tpl.error().message == "you can't start a CT if it's a template");
    set("template", nullptr);
    set("protection", "1");
    auto prot = ct.destroy();
    REQUIRE_FALSE(prot.has_value());
    CHECK(prot.error().message ==
          "can't remove CT " + std::to_string(id.value) + " - protection mode enabled");
    set("protection", nullptr);
    CHECK_FALSE(ct.running());
    CHECK(pct::test::leftovers(id).empty());
    REQUIRE(ct.destroy().has_value());
}
