// SPDX-License-Identifier: AGPL-3.0-or-later
#include "ct_setup.hpp"
#include "impl.hpp"

#include <pct/lxcconf.hpp>
#include <pct/storage/atomic_file.hpp>
#include <pct/validate.hpp>

#include <fmt/format.h>

#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <mutex>
#include <poll.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace pct::runtime {

using detail::make_error;

namespace {

// Waits for a child with a deadline: pidfd + poll where the kernel has it, else polling.
// Returns the wait status, or nullopt on timeout (the child is then killed and reaped).
std::optional<int> wait_child(pid_t pid, std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
    for (;;) {
        int status = 0;
        pid_t r = ::waitpid(pid, &status, WNOHANG);
        if (r == pid) {
            if (pidfd >= 0)
                ::close(pidfd);
            return status;
        }
        if (r < 0 && errno != EINTR) {
            if (pidfd >= 0)
                ::close(pidfd);
            return std::nullopt;
        }
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, &status, 0);
            if (pidfd >= 0)
                ::close(pidfd);
            return std::nullopt;
        }
        if (pidfd >= 0) {
            pollfd p{pidfd, POLLIN, 0};
            ::poll(&p, 1, static_cast<int>(left.count()));
        } else {
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
    }
}

// Forks of one process serialise in the kernel anyway (the parent's address space is locked
// while it is copied); queueing them here instead keeps the kernel lock from also stalling
// the page faults of this process's other threads, which in parallel starts are preparing
// their own containers meanwhile.
std::mutex fork_mutex;

// liblxc's start() moves its calling process into the monitor cgroup (host notes §11.1);
// calling it from a child that exits right away keeps the library user's cgroups intact.
Result<void> start_in_child(lxc_container* c, std::chrono::milliseconds timeout) {
    pid_t pid = -1;
    {
        std::lock_guard lock(fork_mutex);
        pid = ::fork();
    }
    if (pid < 0)
        return std::unexpected(storage::io_error("fork for start of", c->name, errno));
    if (pid == 0) {
        int devnull = ::open("/dev/null", O_RDWR);
        if (devnull >= 0) {
            ::dup2(devnull, 0);
            ::dup2(devnull, 1);
            ::dup2(devnull, 2);
        }
        c->want_daemonize(c, true);
        c->want_close_all_fds(c, true);
        bool ok = c->start(c, 0, nullptr);
        ::_exit(ok ? 0 : 1);
    }
    auto status = wait_child(pid, timeout);
    if (!status)
        return std::unexpected(make_error(Errc::lxc, "liblxc's start did not return in time"));
    if (!WIFEXITED(*status) || WEXITSTATUS(*status) != 0)
        return std::unexpected(make_error(Errc::lxc, ""));
    return {};
}

} // namespace

Result<StartReport> Container::start(const StartOptions& options) {
    auto& host = m_impl->host;
    Vmid vmid = m_impl->vmid;
    std::string conf_path = host.config_path(vmid);
    auto lock = host.lock(vmid);
    if (!lock)
        return std::unexpected(std::move(lock).error());
    if (running())
        return std::unexpected(
            make_error(Errc::bad_state, fmt::format("CT {} already running", vmid.value)));
    auto parsed = host.read_config(vmid);
    if (!parsed)
        return std::unexpected(std::move(parsed).error());
    ContainerConfig config = std::move(parsed->config);
    if (auto t = config.main.get("template"); t && *t == "1")
        return std::unexpected(
            make_error(Errc::bad_state, "you can't start a CT if it's a template", conf_path));
    if (!options.skiplock)
        if (auto ok = detail::check_lock(config, true); !ok)
            return std::unexpected(std::move(ok).error());

    if (detail::apply_pending(config))
        if (auto ok = host.write_config(*lock, config); !ok)
            return std::unexpected(std::move(ok).error());

    // Only what is about to run: snapshots keep the values they were taken with.
    ContainerConfig running_config;
    running_config.main = config.main;
    if (auto problems = validate::config(running_config); !problems.empty()) {
        Error e = std::move(problems.front());
        if (e.context.empty())
            e.context = conf_path;
        return std::unexpected(std::move(e));
    }
    auto settings = detail::settings_of(config, conf_path);
    if (!settings)
        return std::unexpected(std::move(settings).error());
    auto rootfs = detail::rootfs_dir(host, vmid, *settings);
    if (!rootfs)
        return std::unexpected(std::move(rootfs).error());
    struct stat st {};
    if (::stat(rootfs->c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
        Error e =
            make_error(Errc::not_found,
                       fmt::format("rootfs directory '{}' does not exist", *rootfs), conf_path);
        e.key = "rootfs";
        return std::unexpected(std::move(e));
    }

    auto facts = lxcconf::detect_host_for(config, host.lxcpath());
    if (!facts)
        return std::unexpected(std::move(facts).error());
    lxcconf::GenerateOptions gen_options;
    gen_options.profile = lxcconf::Profile::native;
    gen_options.vmid = vmid.value;
    auto generated = lxcconf::generate(config, *facts, gen_options);
    if (!generated) {
        Error e = std::move(generated).error();
        if (e.context.empty())
            e.context = conf_path;
        return std::unexpected(std::move(e));
    }

    StartReport report;
    report.warnings = generated->warnings;
    report.log_file = detail::log_path(host, vmid);
    bool debug = settings->debug.value_or(false);
    std::string text = detail::set_lxc_key(generated->config, "lxc.rootfs.path", *rootfs);
    text = detail::set_lxc_key(text, "lxc.log.file", report.log_file);
    text = detail::set_lxc_key(text, "lxc.log.level", debug ? "DEBUG" : options.log_level);

    std::string ct_dir = host.ct_dir(vmid);
    if (::stat(ct_dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
        if (auto ok = storage::make_dirs(ct_dir); !ok)
            return std::unexpected(std::move(ok).error());
    // Derived from the Proxmox config and regenerated at every start: no fsync, and no
    // rewrite when the previous start left the same text.
    for (const auto& file : generated->files)
        if (auto ok = detail::write_derived_file(file.path, file.content, 0644); !ok)
            return std::unexpected(std::move(ok).error());
    if (auto ok = detail::write_derived_file(ct_dir + "/config", text, 0644); !ok)
        return std::unexpected(std::move(ok).error());
    if (auto ok = detail::setup_ct_files(*rootfs, *settings, vmid, report.warnings); !ok)
        return std::unexpected(std::move(ok).error());

    // A new section of the log per start, so the error text below is about this attempt only.
    detail::begin_log_section(report.log_file, vmid);

    m_impl->reload_if_changed();
    auto c = m_impl->lxc();
    if (!c)
        return std::unexpected(std::move(c).error());
    auto started = start_in_child(*c, options.timeout);
    bool ok = started && detail::wait_state(*c, "RUNNING", options.timeout) && running();
    if (ok)
        return report;

    // Leave nothing half-started behind.
    std::string reason = detail::log_errors(report.log_file);
    if (!started && !started.error().message.empty())
        reason = reason.empty() ? started.error().message : started.error().message + "; " + reason;
    if ((*c)->is_running(*c)) {
        (*c)->stop(*c);
        detail::wait_state(*c, "STOPPED", std::chrono::seconds(10));
    }
    detail::cleanup_cgroups(vmid);
    std::string message = fmt::format("startup for container '{}' failed", vmid.value);
    if (!reason.empty())
        message += ": " + reason;
    return std::unexpected(make_error(Errc::lxc, std::move(message), report.log_file));
}

} // namespace pct::runtime
