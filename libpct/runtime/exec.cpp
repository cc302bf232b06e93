// SPDX-License-Identifier: AGPL-3.0-or-later
#include "impl.hpp"
#include "pty_proxy.hpp"
#include "unique_fd.hpp"

#include <pct/storage/atomic_file.hpp>

#include <fmt/format.h>

#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <linux/close_range.h>
#include <optional>
#include <poll.h>
#include <pthread.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

namespace pct::runtime {

using detail::UniqueFd;

namespace {

constexpr const char* default_path =
    "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

// NULL-terminated char* arrays pointing into owned strings, for liblxc's C structs.
struct CStrings {
    std::vector<std::string> owned;
    std::vector<char*> ptrs;
    explicit CStrings(std::vector<std::string> v) : owned(std::move(v)) {
        for (auto& s : owned)
            ptrs.push_back(s.data());
        ptrs.push_back(nullptr);
    }
    char** get() { return ptrs.data(); }
};

std::vector<std::string> attach_env(const std::vector<std::string>& extra, bool keep_env) {
    std::vector<std::string> env;
    if (!keep_env) {
        env.emplace_back(default_path);
        env.emplace_back("TERM=linux");
    }
    for (const auto& e : extra)
        env.push_back(e);
    return env;
}

int exit_code_of(int status) {
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return 255;
}

int wait_exit(pid_t pid) {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return status;
}

bool make_pipe(UniqueFd& r, UniqueFd& w) {
    int p[2];
    if (::pipe2(p, O_CLOEXEC) != 0)
        return false;
    r.reset(p[0]);
    w.reset(p[1]);
    return true;
}

// Blocks SIGPIPE in this thread while feeding stdin, and discards a SIGPIPE raised meanwhile,
// so a command that does not read its input cannot kill the library user's process.
class SigpipeGuard {
  public:
    SigpipeGuard() {
        sigemptyset(&m_set);
        sigaddset(&m_set, SIGPIPE);
        sigset_t pending;
        sigpending(&pending);
        m_was_pending = sigismember(&pending, SIGPIPE) == 1;
        pthread_sigmask(SIG_BLOCK, &m_set, &m_old);
    }
    ~SigpipeGuard() {
        if (!m_was_pending) {
            timespec zero{0, 0};
            while (sigtimedwait(&m_set, nullptr, &zero) > 0) {
            }
        }
        pthread_sigmask(SIG_SETMASK, &m_old, nullptr);
    }

  private:
    sigset_t m_set{}, m_old{};
    bool m_was_pending = false;
};

// Keeps the caller's SIGINT and SIGQUIT dispositions across liblxc's attach, which sets both
// to SIG_IGN in the caller's process whenever stdin_fd is 0 (for lxc-attach's own use) and
// never restores them: a library user would lose Ctrl-C for good (pypct its
// KeyboardInterrupt).
class CallerSignalsKept {
  public:
    CallerSignalsKept() {
        ::sigaction(SIGINT, nullptr, &m_int);
        ::sigaction(SIGQUIT, nullptr, &m_quit);
    }
    CallerSignalsKept(const CallerSignalsKept&) = delete;
    CallerSignalsKept& operator=(const CallerSignalsKept&) = delete;
    ~CallerSignalsKept() {
        ::sigaction(SIGINT, &m_int, nullptr);
        ::sigaction(SIGQUIT, &m_quit, nullptr);
    }

  private:
    using Disposition = struct sigaction;
    Disposition m_int{}, m_quit{};
};

// liblxc's attach, with the caller's signal dispositions kept (see above).
int attach_keeping_signals(lxc_container* c, lxc_attach_exec_t function, void* payload,
                           lxc_attach_options_t* opts, pid_t* pid) {
    CallerSignalsKept kept;
    return c->attach(c, function, payload, opts, pid);
}

Result<lxc_container*> running_handle(Container::Impl& impl, bool enter_message) {
    auto c = impl.lxc();
    if (!c)
        return c;
    if (!(*c)->is_running(*c)) {
        if (enter_message)
            return fail(Errc::bad_state,
                        fmt::format("Error: container '{}' not running!", impl.vmid.value));
        return fail(Errc::bad_state, fmt::format("CT {} not running", impl.vmid.value));
    }
    return c;
}

// Marks every descriptor above stderr close-on-exec. liblxc hands the attached command all the
// descriptors the library user's process left inheritable (a terminal, a socket, a file of the
// host): only the three standard ones may reach the container. Runs in the attached child,
// single-threaded; without close_range (before Linux 5.11) it walks the descriptor table.
void close_inherited_descriptors() {
    if (::close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) == 0)
        return;
    rlimit limit{};
    int top = ::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < (1U << 20)
                  ? static_cast<int>(limit.rlim_cur)
                  : 1 << 20;
    for (int fd = 3; fd < top; ++fd)
        ::fcntl(fd, F_SETFD, FD_CLOEXEC);
}

// Takes the attached child out of the caller's session. liblxc does so (and makes the
// terminal its controlling one) only when stdin is a terminal; otherwise the command would
// stay in the caller's session, and open("/dev/tty") inside would give it the caller's
// controlling terminal, the admin's, to push keys into with TIOCSTI. After this the command
// has no controlling terminal unless liblxc gave it its own pty as one (then setsid fails
// with EPERM, being a session leader already, and that terminal stays).
void leave_caller_session() {
    if (::setsid() < 0 && ::getsid(0) != ::getpid())
        ::_exit(126); // still in the caller's session: never run the command there
}

// The functions liblxc runs inside the container: liblxc's own, after the cleanup above.
int run_command_alone(void* command) {
    leave_caller_session();
    close_inherited_descriptors();
    return lxc_attach_run_command(command);
}
int run_shell_alone(void* unused) {
    leave_caller_session();
    close_inherited_descriptors();
    return lxc_attach_run_shell(unused);
}

lxc_attach_options_t base_options(const std::string& cwd, bool keep_env, CStrings& env) {
    lxc_attach_options_t opts = LXC_ATTACH_OPTIONS_DEFAULT;
    opts.initial_cwd = const_cast<char*>(cwd.c_str());
    opts.env_policy = keep_env ? LXC_ATTACH_KEEP_ENV : LXC_ATTACH_CLEAR_ENV;
    opts.extra_env_vars = env.get();
    return opts;
}

// Runs `function` inside on the caller's descriptors of `io` and returns its exit code. Where
// one is a terminal the command gets a pty of its own in its place (see pty_proxy.hpp).
Result<int> attach_on_caller_fds(Container::Impl& impl, lxc_container* c,
                                 lxc_attach_exec_t function, void* payload, const RunOptions& io) {
    detail::StdioFds fds{io.stdin_fd, io.stdout_fd, io.stderr_fd};
    std::optional<detail::PtyProxy> pty;
    if (auto plan = detail::tty_plan(fds.in, fds.out, fds.err); plan.any()) {
        auto opened = detail::PtyProxy::open(fds, plan);
        if (!opened)
            return std::unexpected(std::move(opened).error());
        pty.emplace(std::move(*opened));
        fds = pty->command_fds();
    }
    CStrings env(attach_env(io.env, io.keep_env));
    lxc_attach_options_t opts = base_options(io.cwd, io.keep_env, env);
    opts.stdin_fd = fds.in;
    opts.stdout_fd = fds.out;
    opts.stderr_fd = fds.err;
    pid_t pid = -1;
    if (attach_keeping_signals(c, function, payload, &opts, &pid) < 0 || pid <= 0)
        return fail(Errc::lxc, fmt::format("failed to attach to CT {}", impl.vmid.value));
    if (pty) {
        pty->release_slave();
        pty->relay(pid);
    } else {
        detail::relay_signals(pid);
    }
    return exit_code_of(wait_exit(pid));
}

} // namespace

Result<ExecResult> Container::exec(const ExecOptions& options) {
    if (options.argv.empty())
        return fail(Errc::invalid_argument, "missing command");
    auto c = running_handle(*m_impl, false);
    if (!c)
        return std::unexpected(std::move(c).error());

    UniqueFd in_r, in_w, out_r, out_w, err_r, err_w;
    if (!make_pipe(in_r, in_w) || !make_pipe(out_r, out_w) || !make_pipe(err_r, err_w))
        return std::unexpected(storage::io_error("pipe for", m_impl->name, errno));

    CStrings argv(options.argv);
    CStrings env(attach_env(options.env, options.keep_env));
    lxc_attach_command_t cmd{argv.ptrs[0], argv.get()};
    lxc_attach_options_t opts = base_options(options.cwd, options.keep_env, env);
    if (options.uid)
        opts.uid = *options.uid;
    if (options.gid)
        opts.gid = *options.gid;
    opts.stdin_fd = in_r.get();
    opts.stdout_fd = out_w.get();
    opts.stderr_fd = err_w.get();

    pid_t pid = -1;
    int rc = attach_keeping_signals(*c, run_command_alone, &cmd, &opts, &pid);
    in_r.reset();
    out_w.reset();
    err_w.reset();
    if (rc < 0 || pid <= 0)
        return fail(Errc::lxc, fmt::format("failed to attach to CT {}", m_impl->vmid.value));

    SigpipeGuard sigpipe;
    ::fcntl(in_w.get(), F_SETFL, O_NONBLOCK);
    ::fcntl(out_r.get(), F_SETFL, O_NONBLOCK);
    ::fcntl(err_r.get(), F_SETFL, O_NONBLOCK);
    if (options.stdin_data.empty())
        in_w.reset();
    // The pidfd tells when the command is gone even if a background child keeps the pipes open.
    UniqueFd pidfd(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));

    ExecResult result;
    std::size_t fed = 0;
    bool exited = false, timed_out = false;
    auto deadline = options.timeout ? std::chrono::steady_clock::now() + *options.timeout
                                    : std::chrono::steady_clock::time_point::max();
    char buf[65536];
    auto drain = [&](UniqueFd& fd, std::string& sink) {
        for (;;) {
            ssize_t n = ::read(fd.get(), buf, sizeof buf);
            if (n > 0) {
                sink.append(buf, static_cast<std::size_t>(n));
                continue;
            }
            if (n == 0 || (errno != EINTR && errno != EAGAIN))
                fd.reset();
            return;
        }
    };
    while (out_r.get() >= 0 || err_r.get() >= 0) {
        pollfd fds[4];
        int n = 0;
        int i_out = -1, i_err = -1, i_in = -1, i_pid = -1;
        if (out_r.get() >= 0) {
            i_out = n;
            fds[n++] = {out_r.get(), POLLIN, 0};
        }
        if (err_r.get() >= 0) {
            i_err = n;
            fds[n++] = {err_r.get(), POLLIN, 0};
        }
        if (in_w.get() >= 0) {
            i_in = n;
            fds[n++] = {in_w.get(), POLLOUT, 0};
        }
        if (pidfd.get() >= 0 && !exited) {
            i_pid = n;
            fds[n++] = {pidfd.get(), POLLIN, 0};
        }
        int wait_ms = -1;
        if (options.timeout) {
            auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                deadline - std::chrono::steady_clock::now());
            wait_ms = static_cast<int>(std::max<std::int64_t>(left.count(), 0));
        }
        int r = ::poll(fds, static_cast<nfds_t>(n), wait_ms);
        if (r < 0 && errno == EINTR)
            continue;
        if (r == 0 && options.timeout) {
            ::kill(pid, SIGKILL);
            timed_out = true;
            break;
        }
        if (i_out >= 0 && fds[i_out].revents)
            drain(out_r, result.out);
        if (i_err >= 0 && fds[i_err].revents)
            drain(err_r, result.err);
        if (i_in >= 0 && fds[i_in].revents) {
            if (fds[i_in].revents & (POLLERR | POLLHUP)) {
                in_w.reset();
            } else {
                ssize_t w = ::write(in_w.get(), options.stdin_data.data() + fed,
                                    options.stdin_data.size() - fed);
                if (w > 0)
                    fed += static_cast<std::size_t>(w);
                else if (w < 0 && errno != EAGAIN && errno != EINTR)
                    in_w.reset(); // EPIPE: the command stopped reading
                if (fed == options.stdin_data.size())
                    in_w.reset();
            }
        }
        if (i_pid >= 0 && fds[i_pid].revents) {
            exited = true;
            // Whatever the command wrote is in the pipes now; take it and stop waiting for
            // descendants that inherited them.
            if (out_r.get() >= 0)
                drain(out_r, result.out);
            if (err_r.get() >= 0)
                drain(err_r, result.err);
            break;
        }
    }
    int status = wait_exit(pid);
    if (timed_out)
        return fail(Errc::bad_state,
                    fmt::format("command timed out after {} ms", options.timeout->count()));
    result.exit_code = exit_code_of(status);
    result.signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    return result;
}

Result<int> Container::run(const RunOptions& options) {
    if (options.argv.empty())
        return fail(Errc::invalid_argument, "missing command");
    auto c = running_handle(*m_impl, false);
    if (!c)
        return std::unexpected(std::move(c).error());
    CStrings argv(options.argv);
    lxc_attach_command_t cmd{argv.ptrs[0], argv.get()};
    return attach_on_caller_fds(*m_impl, *c, run_command_alone, &cmd, options);
}

Result<int> Container::enter(const RunOptions& io) {
    auto c = running_handle(*m_impl, true);
    if (!c)
        return std::unexpected(std::move(c).error());
    return attach_on_caller_fds(*m_impl, *c, run_shell_alone, nullptr, io);
}

Result<int> Container::console(const ConsoleOptions& options) {
    auto c = running_handle(*m_impl, false);
    if (!c)
        return std::unexpected(std::move(c).error());
    ConsoleKind kind = ConsoleKind::tty;
    if (options.kind) {
        kind = *options.kind;
    } else if (auto conf = m_impl->host.read_config(m_impl->vmid)) {
        if (auto mode = conf->config.main.get("cmode")) {
            if (*mode == "console")
                kind = ConsoleKind::console;
            else if (*mode == "shell")
                kind = ConsoleKind::shell;
        }
    }
    if (kind == ConsoleKind::shell) {
        RunOptions io;
        io.stdin_fd = options.stdin_fd;
        io.stdout_fd = options.stdout_fd;
        io.stderr_fd = options.stderr_fd;
        return enter(io);
    }
    const std::string& esc = options.escape;
    int escape = 1;
    if (esc.size() == 2 && esc[0] == '^' && esc[1] >= 'a' && esc[1] <= 'z')
        escape = esc[1] - 'a' + 1;
    else if (esc.size() == 1 && esc[0] >= 'a' && esc[0] <= 'z')
        escape = esc[0];
    else
        return fail(Errc::invalid_argument, fmt::format("invalid escape sequence '{}'", esc));
    int ttynum = kind == ConsoleKind::console ? 0 : -1;
    int rc =
        (*c)->console(*c, ttynum, options.stdin_fd, options.stdout_fd, options.stderr_fd, escape);
    if (rc != 0)
        return fail(Errc::lxc,
                    fmt::format("failed to attach to the console of CT {}", m_impl->vmid.value));
    return 0;
}

Result<ConsoleFd> Container::console_fd(int ttynum) {
    auto c = running_handle(*m_impl, false);
    if (!c)
        return std::unexpected(std::move(c).error());
    int tty = ttynum;
    int ptx = -1;
    int hold = (*c)->console_getfd(*c, &tty, &ptx);
    if (hold < 0 || ptx < 0)
        return fail(Errc::lxc, fmt::format("no free console tty in CT {}", m_impl->vmid.value));
    return ConsoleFd(tty, ptx, hold);
}

} // namespace pct::runtime
