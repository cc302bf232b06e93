// SPDX-License-Identifier: AGPL-3.0-or-later
// pct-bench-runtime [ROUNDS]: start -> RUNNING, exec `true`, and 20 parallel starts, each
// measured through libpct and through the raw liblxc C API on the same containers in the same
// run; prints medians and the libpct/raw ratio.
//
// What each side does:
//  - start: libpct = Container::start() (config lock, read + validate the Proxmox config,
//    generate the LXC config, write it and the in-CT files, start in a forked child, wait
//    RUNNING); raw = lxc_container_new() on the already written config + start() in a forked
//    child (liblxc moves its caller into the monitor cgroup otherwise) + wait("RUNNING").
//  - exec: libpct = Container::exec({"true"}) (pipes drained, status); raw = attach() with
//    lxc_attach_run_command and stdio on /dev/null + waitpid().
//  - parallel: 20 threads each starting its own container (libpct) vs 20 forked children
//    each calling start() (raw).
// Stops between rounds are not timed (the lxcfs post-stop hook of common.conf costs 0.5 s).
#include <pct/runtime/container.hpp>
#include <pct/runtime/create.hpp>
#include <pct/storage/host.hpp>

#include <lxc/lxccontainer.h>

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <functional>
#include <iostream>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace pct;
using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

namespace {

double ms_since(Clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

[[noreturn]] void die(const std::string& what) {
    std::cerr << "pct-bench-runtime: " << what << '\n';
    std::exit(1);
}

bool raw_start(const std::string& name, const std::string& lxcpath) {
    pid_t pid = ::fork();
    if (pid == 0) {
        lxc_container* c = lxc_container_new(name.c_str(), lxcpath.c_str());
        if (!c)
            ::_exit(2);
        int devnull = ::open("/dev/null", O_RDWR);
        ::dup2(devnull, 1);
        ::dup2(devnull, 2);
        c->want_daemonize(c, true);
        c->want_close_all_fds(c, true);
        bool ok = c->start(c, 0, nullptr);
        ::_exit(ok ? 0 : 1);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return false;
    lxc_container* c = lxc_container_new(name.c_str(), lxcpath.c_str());
    bool ok = c && c->wait(c, "RUNNING", 10);
    if (c)
        lxc_container_put(c);
    return ok;
}

bool raw_exec_true(lxc_container* c) {
    lxc_attach_options_t opts = LXC_ATTACH_OPTIONS_DEFAULT;
    int devnull = ::open("/dev/null", O_RDWR | O_CLOEXEC);
    opts.stdin_fd = opts.stdout_fd = opts.stderr_fd = devnull;
    opts.initial_cwd = const_cast<char*>("/");
    char prog[] = "true";
    char* argv[] = {prog, nullptr};
    lxc_attach_command_t cmd{prog, argv};
    pid_t pid = -1;
    int rc = c->attach(c, lxc_attach_run_command, &cmd, &opts, &pid);
    ::close(devnull);
    if (rc < 0)
        return false;
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

void stop_all(const storage::Host& host, const std::vector<Vmid>& ids) {
    std::vector<std::thread> t;
    for (Vmid id : ids)
        t.emplace_back([&host, id] {
            if (auto ct = runtime::Container::open(host, id); ct && ct->running())
                (void)ct->stop();
        });
    for (auto& th : t)
        th.join();
}

} // namespace

int main(int argc, char** argv) {
    int rounds = argc > 1 ? std::max(1, std::atoi(argv[1])) : 10;
    std::signal(SIGPIPE, SIG_IGN); // `| head` must not skip the cleanup of the test host
    if (::geteuid() != 0)
        die("needs root (real containers)");
    char tmpl[] = "/tmp/pct-bench-runtime-XXXXXX";
    if (!::mkdtemp(tmpl))
        die("mkdtemp failed");
    std::string root = tmpl;
    std::string script = std::string(PCT_SOURCE_DIR) + "/scripts/mk-busybox-template";
    if (std::system(fmt::format("sh '{}' '{}/tpl' >/dev/null", script, root).c_str()) != 0)
        die("building the busybox template failed");
    std::string tpl = root + "/tpl/busybox-test_1.35_amd64.tar.zst";

    storage::Host host(root + "/host");
    constexpr unsigned n_par = 20;
    std::vector<Vmid> ids;
    std::uint32_t base = 800000000u + static_cast<std::uint32_t>(::getpid() % 90000) * 100u;
    for (unsigned i = 0; i < n_par; ++i)
        ids.push_back(Vmid{base + i});
    auto cleanup = [&] {
        stop_all(host, ids);
        for (Vmid id : ids)
            if (auto ct = runtime::Container::open(host, id)) {
                runtime::DestroyOptions d;
                d.force = true;
                (void)ct->destroy(d);
            }
        fs::remove_all(root);
    };
    for (Vmid id : ids) {
        runtime::CreateOptions co;
        co.ostemplate = tpl;
        co.options = {{"ostype", "debian"}, {"memory", "64"}};
        if (auto r = runtime::create(host, id, co); !r) {
            cleanup();
            die("create: " + r.error().message);
        }
    }
    std::string name0 = std::to_string(ids[0].value);
    std::cout << fmt::format("pct-bench-runtime: {} rounds, busybox CTs, liblxc {}\n", rounds,
                             lxc_get_version());

    // start -> RUNNING
    std::vector<double> pct_start, raw_start_ms;
    auto ct0 = runtime::Container::open(host, ids[0]).value();
    for (int r = 0; r < rounds; ++r) {
        auto t0 = Clock::now();
        auto s = ct0.start();
        pct_start.push_back(ms_since(t0));
        if (!s) {
            cleanup();
            die("start: " + s.error().message);
        }
        (void)ct0.stop();
        t0 = Clock::now();
        bool ok = raw_start(name0, host.lxcpath());
        raw_start_ms.push_back(ms_since(t0));
        if (!ok) {
            cleanup();
            die("raw start failed");
        }
        (void)ct0.stop();
    }

    // exec `true`
    (void)ct0.start();
    std::vector<double> pct_exec, raw_exec;
    lxc_container* raw = lxc_container_new(name0.c_str(), host.lxcpath().c_str());
    runtime::ExecOptions eo;
    eo.argv = {"true"};
    for (int r = 0; r < rounds * 5; ++r) {
        auto t0 = Clock::now();
        auto e = ct0.exec(eo);
        pct_exec.push_back(ms_since(t0));
        if (!e || e->exit_code != 0) {
            cleanup();
            die("exec failed");
        }
        t0 = Clock::now();
        if (!raw_exec_true(raw)) {
            cleanup();
            die("raw exec failed");
        }
        raw_exec.push_back(ms_since(t0));
    }
    lxc_container_put(raw);
    (void)ct0.stop();

    // 20 parallel starts
    std::vector<double> pct_par, raw_par;
    for (int r = 0; r < std::max(1, rounds / 3); ++r) {
        std::vector<std::thread> threads;
        std::atomic<unsigned> ok{0};
        auto t0 = Clock::now();
        for (Vmid id : ids)
            threads.emplace_back([&, id] {
                auto ct = runtime::Container::open(host, id);
                if (ct && ct->start())
                    ++ok;
            });
        for (auto& t : threads)
            t.join();
        pct_par.push_back(ms_since(t0));
        stop_all(host, ids);
        if (ok != n_par) {
            cleanup();
            die(fmt::format("parallel start: {}/{} ok", ok.load(), n_par));
        }
        std::vector<pid_t> kids;
        t0 = Clock::now();
        for (Vmid id : ids) {
            pid_t pid = ::fork();
            if (pid == 0)
                ::_exit(raw_start(std::to_string(id.value), host.lxcpath()) ? 0 : 1);
            kids.push_back(pid);
        }
        unsigned raw_ok = 0;
        for (pid_t pid : kids) {
            int status = 0;
            ::waitpid(pid, &status, 0);
            raw_ok += WIFEXITED(status) && WEXITSTATUS(status) == 0;
        }
        raw_par.push_back(ms_since(t0));
        stop_all(host, ids);
        if (raw_ok != n_par) {
            cleanup();
            die(fmt::format("raw parallel start: {}/{} ok", raw_ok, n_par));
        }
    }

    auto row = [](const char* what, const std::vector<double>& p, const std::vector<double>& r) {
        std::cout << fmt::format(
            "{:<28} libpct {:8.2f} ms   raw liblxc {:8.2f} ms   ratio {:.2f}\n", what, median(p),
            median(r), median(p) / median(r));
    };
    row("start -> RUNNING (median)", pct_start, raw_start_ms);
    row("exec `true` (median)", pct_exec, raw_exec);
    row("20 parallel starts (median)", pct_par, raw_par);
    cleanup();
    return 0;
}
