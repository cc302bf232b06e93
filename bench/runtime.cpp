// SPDX-License-Identifier: AGPL-3.0-or-later
// pct-bench-runtime [ROUNDS [PARALLEL_ROUNDS]]: start -> RUNNING, exec `true`, and 20 parallel
// starts, each measured through libpct and through the raw liblxc C API on the same containers
// in the same run; prints medians, spreads and the libpct/raw ratios.
//
// What each side does (same containers, same generated LXC config: the raw side starts from
// the `<lxcpath>/<CTID>/config` libpct wrote at its previous start):
//  - start: libpct = Container::start() (config lock, read the Proxmox config, apply pending,
//    validate, generate the LXC config, write it and the in-CT files when changed, start in
//    the pct-lxc-start helper spawned with posix_spawn, wait RUNNING); raw = the plain way of
//    a liblxc program that must keep its own cgroup (liblxc moves the caller of start() into
//    the monitor cgroup): lxc_container_new(), start() from a forked child, wait("RUNNING")
//    on the same handle. The raw side's fork is only safe because this benchmark's threads do
//    nothing else meanwhile; libpct's helper is what a library has to do (see the helper).
//  - exec: libpct = Container::exec({"true"}) (stdin/stdout/stderr pipes drained, status);
//    raw = attach() with lxc_attach_run_command and stdout/stderr on pipes read to EOF +
//    waitpid(), as liblxc's documentation and the host notes (section 11.3) prescribe.
//  - parallel, same process model on both sides: 20 threads of this process (libpct:
//    Container::open + start per thread; raw: the start above per thread), and 20 forked
//    children (the same per child).
// Rounds interleave the two sides and alternate which goes first, so load drift on the shared
// VM hits both; each side of a round is one sample. Besides the ratio of the medians, the
// median of the per-round ratios (libpct/raw of the same round) is printed: it is the figure
// least moved by other jobs on the machine. Stops between starts are not timed (the lxcfs
// post-stop hook of common.conf costs 0.5 s); a warm-up start of every container runs first.
#include <pct/runtime/container.hpp>
#include <pct/runtime/create.hpp>
#include <pct/storage/host.hpp>

#include <lxc/lxccontainer.h>

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <functional>
#include <iostream>
#include <poll.h>
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
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    auto n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

[[noreturn]] void die(const std::string& what) {
    std::cerr << "pct-bench-runtime: " << what << '\n';
    std::exit(1);
}

// One measured operation: paired samples of both sides, one pair per round.
struct Row {
    std::string what;
    std::vector<double> pct, raw;

    void print() const {
        std::vector<double> ratios;
        for (std::size_t i = 0; i < pct.size() && i < raw.size(); ++i)
            ratios.push_back(pct[i] / raw[i]);
        auto [pmin, pmax] = std::minmax_element(pct.begin(), pct.end());
        auto [rmin, rmax] = std::minmax_element(raw.begin(), raw.end());
        std::cout << fmt::format(
            "{:<30} n={:<4} libpct {:8.2f} ms [{:.2f}-{:.2f}]   raw {:8.2f} ms "
            "[{:.2f}-{:.2f}]   ratio {:.2f}   paired {:.2f}\n",
            what, pct.size(), median(pct), *pmin, *pmax, median(raw), *rmin, *rmax,
            median(pct) / median(raw), median(ratios));
    }
};

// Runs both sides of one round, alternating which one goes first.
void paired_round(int round, Row& row, const std::function<double()>& pct_side,
                  const std::function<double()>& raw_side) {
    if (round % 2 == 0) {
        row.pct.push_back(pct_side());
        row.raw.push_back(raw_side());
    } else {
        row.raw.push_back(raw_side());
        row.pct.push_back(pct_side());
    }
}

// What libpct does around liblxc, with nothing else: one handle, start() from a forked child
// (liblxc moves its caller into the monitor cgroup otherwise), wait("RUNNING") on the handle.
bool raw_start(const std::string& name, const std::string& lxcpath) {
    lxc_container* c = lxc_container_new(name.c_str(), lxcpath.c_str());
    if (!c)
        return false;
    pid_t pid = ::fork();
    if (pid == 0) {
        int devnull = ::open("/dev/null", O_RDWR);
        ::dup2(devnull, 0);
        ::dup2(devnull, 1);
        ::dup2(devnull, 2);
        c->want_daemonize(c, true);
        c->want_close_all_fds(c, true);
        ::_exit(c->start(c, 0, nullptr) ? 0 : 1);
    }
    int status = -1;
    while (pid > 0 && ::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    bool ok = pid > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0 && c->wait(c, "RUNNING", 10);
    lxc_container_put(c);
    return ok;
}

bool raw_exec_true(lxc_container* c) {
    int out[2], err[2];
    if (::pipe2(out, O_CLOEXEC) != 0)
        return false;
    if (::pipe2(err, O_CLOEXEC) != 0) {
        ::close(out[0]);
        ::close(out[1]);
        return false;
    }
    int devnull = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    lxc_attach_options_t opts = LXC_ATTACH_OPTIONS_DEFAULT;
    opts.stdin_fd = devnull;
    opts.stdout_fd = out[1];
    opts.stderr_fd = err[1];
    opts.initial_cwd = const_cast<char*>("/");
    char prog[] = "true";
    char* argv[] = {prog, nullptr};
    lxc_attach_command_t cmd{prog, argv};
    pid_t pid = -1;
    int rc = c->attach(c, lxc_attach_run_command, &cmd, &opts, &pid);
    ::close(devnull);
    ::close(out[1]);
    ::close(err[1]);
    std::string sink;
    char buf[4096];
    pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
    int open_fds = rc < 0 ? 0 : 2;
    while (open_fds > 0 && ::poll(fds, 2, -1) >= 0)
        for (auto& p : fds)
            if (p.fd >= 0 && p.revents) {
                ssize_t n = ::read(p.fd, buf, sizeof buf);
                if (n > 0) {
                    sink.append(buf, static_cast<std::size_t>(n));
                } else if (n == 0 || errno != EINTR) {
                    p.fd = -1;
                    --open_fds;
                }
            }
    ::close(out[0]);
    ::close(err[0]);
    if (rc < 0)
        return false;
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

bool pct_start(const storage::Host& host, Vmid id) {
    auto ct = runtime::Container::open(host, id);
    if (!ct) {
        std::cerr << "pct-bench-runtime: open: " << ct.error().message << '\n';
        return false;
    }
    auto started = ct->start();
    if (!started)
        std::cerr << "pct-bench-runtime: start: " << started.error().message << '\n';
    return started.has_value();
}

// Runs `one(i)` for every container at once, in threads of this process or in forked
// children; returns the wall time in ms, or a negative value when one of them failed.
double all_at_once(std::size_t n, bool forked, const std::function<bool(std::size_t)>& one) {
    std::atomic<unsigned> ok{0};
    auto t0 = Clock::now();
    if (forked) {
        std::vector<pid_t> kids;
        for (std::size_t i = 0; i < n; ++i) {
            pid_t pid = ::fork();
            if (pid == 0)
                ::_exit(one(i) ? 0 : 1);
            if (pid > 0)
                kids.push_back(pid);
        }
        for (pid_t pid : kids) {
            int status = 0;
            while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
            }
            ok += WIFEXITED(status) && WEXITSTATUS(status) == 0;
        }
    } else {
        std::vector<std::thread> threads;
        for (std::size_t i = 0; i < n; ++i)
            threads.emplace_back([&, i] {
                if (one(i))
                    ++ok;
            });
        for (auto& t : threads)
            t.join();
    }
    double ms = ms_since(t0);
    return ok == n ? ms : -1;
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
    int par_rounds = argc > 2 ? std::max(1, std::atoi(argv[2])) : rounds;
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
    auto fail = [&](const std::string& what) {
        cleanup();
        die(what);
    };
    for (Vmid id : ids) {
        runtime::CreateOptions co;
        co.ostemplate = tpl;
        // Privileged, as when bench/RESULTS.md's figures were taken (create's default is now
        // unprivileged, whose root would also need a searchable /tmp root).
        co.options = {{"ostype", "debian"}, {"memory", "64"}, {"unprivileged", "0"}};
        if (auto r = runtime::create(host, id, co); !r)
            fail("create: " + r.error().message);
    }
    std::string name0 = std::to_string(ids[0].value);
    std::cout << fmt::format("pct-bench-runtime: {} rounds ({} parallel), busybox CTs, liblxc {}\n",
                             rounds, par_rounds, lxc_get_version());

    // Warm-up: the first start of a CT writes its LXC config and in-CT files.
    if (all_at_once(n_par, false, [&](std::size_t i) { return pct_start(host, ids[i]); }) < 0)
        fail("warm-up start failed");
    stop_all(host, ids);

    auto ct0 = runtime::Container::open(host, ids[0]).value();
    Row start{"start -> RUNNING", {}, {}};
    for (int r = 0; r < rounds; ++r)
        paired_round(
            r, start,
            [&] {
                auto t0 = Clock::now();
                auto s = ct0.start();
                double ms = ms_since(t0);
                if (!s)
                    fail("start: " + s.error().message);
                (void)ct0.stop();
                return ms;
            },
            [&] {
                auto t0 = Clock::now();
                bool ok = raw_start(name0, host.lxcpath());
                double ms = ms_since(t0);
                if (!ok)
                    fail("raw start failed");
                (void)ct0.stop();
                return ms;
            });

    if (auto s = ct0.start(); !s)
        fail("start: " + s.error().message);
    lxc_container* raw = lxc_container_new(name0.c_str(), host.lxcpath().c_str());
    if (!raw)
        fail("lxc_container_new failed");
    runtime::ExecOptions eo;
    eo.argv = {"true"};
    Row exec{"exec `true`", {}, {}};
    for (int r = 0; r < rounds * 5; ++r)
        paired_round(
            r, exec,
            [&] {
                auto t0 = Clock::now();
                auto e = ct0.exec(eo);
                double ms = ms_since(t0);
                if (!e || e->exit_code != 0)
                    fail("exec failed");
                return ms;
            },
            [&] {
                auto t0 = Clock::now();
                bool ok = raw_exec_true(raw);
                double ms = ms_since(t0);
                if (!ok)
                    fail("raw exec failed");
                return ms;
            });
    lxc_container_put(raw);
    (void)ct0.stop();

    Row threads{fmt::format("{} parallel starts, threads", n_par), {}, {}};
    Row forked{fmt::format("{} parallel starts, processes", n_par), {}, {}};
    for (int r = 0; r < par_rounds; ++r)
        for (bool fork_mode : {false, true})
            paired_round(
                r, fork_mode ? forked : threads,
                [&] {
                    double ms = all_at_once(n_par, fork_mode,
                                            [&](std::size_t i) { return pct_start(host, ids[i]); });
                    stop_all(host, ids);
                    if (ms < 0)
                        fail("parallel libpct start failed");
                    return ms;
                },
                [&] {
                    double ms = all_at_once(n_par, fork_mode, [&](std::size_t i) {
                        return raw_start(std::to_string(ids[i].value), host.lxcpath());
                    });
                    stop_all(host, ids);
                    if (ms < 0)
                        fail("parallel raw start failed");
                    return ms;
                });

    start.print();
    exec.print();
    threads.print();
    forked.print();
    cleanup();
    return 0;
}
