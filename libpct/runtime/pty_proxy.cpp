// SPDX-License-Identifier: AGPL-3.0-or-later
#include "pty_proxy.hpp"

#include <pct/storage/atomic_file.hpp>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <iterator>
#include <poll.h>
#include <string>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <termios.h>
#include <unistd.h>

namespace pct::runtime::detail {

namespace {

// Keys read from the caller's terminal that the pty has not taken yet; reading stops at this
// much until the command reads, so a paste into a busy command cannot grow memory.
constexpr std::size_t max_pending_input = 64 * 1024;
// Reads of the pty per wake-up, so that a command writing without pause cannot starve the
// other descriptors (and, after the command's end, a background writer cannot hold us).
constexpr int reads_per_turn = 64;

// The terminal whose modes and window size the pty takes: stdin's, else stdout's, else
// stderr's.
int model_terminal(StdioFds io, TtyPlan plan) {
    return plan.in ? io.in : plan.out ? io.out : io.err;
}

// Where the pty's output goes: stdout's terminal, else stderr's, else stdin's (a terminal is
// normally open for reading and writing; when it is not, the echo is dropped).
int output_terminal(StdioFds io, TtyPlan plan) {
    return plan.out ? io.out : plan.err ? io.err : io.in;
}

// Writes all of `data` to the caller's terminal, also when another program left its open file
// description non-blocking.
bool write_all(int fd, const char* data, std::size_t size) {
    while (size > 0) {
        ssize_t n = ::write(fd, data, size);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN) {
                pollfd ready{fd, POLLOUT, 0};
                if (::poll(&ready, 1, -1) >= 0 || errno == EINTR)
                    continue;
            }
            return false;
        }
        data += n;
        size -= static_cast<std::size_t>(n);
    }
    return true;
}

void copy_window_size(int from, int to) {
    winsize size{};
    if (::ioctl(from, TIOCGWINSZ, &size) == 0)
        ::ioctl(to, TIOCSWINSZ, &size);
}

// Raw mode on the caller's terminal while the command reads it: every key, Ctrl-C and Ctrl-D
// included, goes to the pty, whose own line discipline (the command's terminal modes) acts on
// it. The caller's modes come back when this goes out of scope.
class RawMode {
  public:
    explicit RawMode(int fd) {
        if (fd < 0 || ::tcgetattr(fd, &m_saved) != 0)
            return;
        termios raw = m_saved;
        ::cfmakeraw(&raw);
        if (::tcsetattr(fd, TCSADRAIN, &raw) == 0)
            m_fd = fd;
    }
    RawMode(const RawMode&) = delete;
    RawMode& operator=(const RawMode&) = delete;
    ~RawMode() {
        if (m_fd >= 0)
            ::tcsetattr(m_fd, TCSADRAIN, &m_saved);
    }

  private:
    int m_fd = -1;
    termios m_saved{};
};

constexpr int relayed_signals[] = {SIGWINCH, SIGINT, SIGTERM, SIGQUIT, SIGHUP};

// The self-pipe of the signal handlers. Signal dispositions are process-wide and a handler
// can reach nothing but globals, so this is the module's one piece of global state: created
// once and never closed (a handler still running in another thread after the dispositions
// were restored must not write into a descriptor number that was reused meanwhile).
struct RelayPipe {
    int read_fd = -1;
    int write_fd = -1;
    RelayPipe() {
        int p[2];
        if (::pipe2(p, O_CLOEXEC | O_NONBLOCK) == 0) {
            read_fd = p[0];
            write_fd = p[1];
        }
    }
};
const RelayPipe& relay_pipe() {
    static const RelayPipe pipe;
    return pipe;
}
std::atomic<bool> g_relay_taken{false};
std::atomic<int> g_relay_write_fd{-1};

void on_relayed_signal(int sig) {
    int saved = errno;
    auto byte = static_cast<unsigned char>(sig);
    (void)!::write(g_relay_write_fd.load(std::memory_order_relaxed), &byte, 1);
    errno = saved;
}

// The handlers of `relayed_signals` for one proxy, the previous ones restored at the end.
class SignalRelay {
  public:
    SignalRelay() {
        const RelayPipe& pipe = relay_pipe();
        if (pipe.read_fd < 0 || g_relay_taken.exchange(true))
            return;
        m_fd = pipe.read_fd;
        while (next() != 0) { // what a late handler of an earlier proxy left
        }
        g_relay_write_fd.store(pipe.write_fd);
        struct sigaction action {};
        action.sa_handler = on_relayed_signal;
        sigemptyset(&action.sa_mask);
        action.sa_flags = SA_RESTART;
        for (std::size_t i = 0; i < std::size(relayed_signals); ++i)
            ::sigaction(relayed_signals[i], &action, &m_old[i]);
    }
    SignalRelay(const SignalRelay&) = delete;
    SignalRelay& operator=(const SignalRelay&) = delete;
    ~SignalRelay() {
        if (m_fd < 0)
            return;
        for (std::size_t i = 0; i < std::size(relayed_signals); ++i)
            ::sigaction(relayed_signals[i], &m_old[i], nullptr);
        g_relay_taken.store(false);
    }

    /// The descriptor to poll, -1 when another proxy holds the handlers.
    [[nodiscard]] int fd() const noexcept { return m_fd; }
    /// The next signal received, 0 when none is pending.
    int next() const noexcept {
        unsigned char byte = 0;
        return m_fd >= 0 && ::read(m_fd, &byte, 1) == 1 ? byte : 0;
    }

  private:
    int m_fd = -1;
    struct sigaction m_old[std::size(relayed_signals)]{};
};

} // namespace

TtyPlan tty_plan(int in, int out, int err) noexcept {
    auto tty = [](int fd) { return fd >= 0 && ::isatty(fd) == 1; };
    return {tty(in), tty(out), tty(err)};
}

Result<PtyProxy> PtyProxy::open(StdioFds io, TtyPlan plan) {
    UniqueFd master(::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC));
    if (master.get() < 0)
        return std::unexpected(
            storage::io_error("opening a pseudo-terminal at", "/dev/ptmx", errno));
    if (::grantpt(master.get()) != 0 || ::unlockpt(master.get()) != 0)
        return std::unexpected(
            storage::io_error("unlocking a pseudo-terminal of", "/dev/ptmx", errno));
    // TIOCGPTPEER opens the slave of this very master, with no path a racing process could
    // swap.
    UniqueFd slave(::ioctl(master.get(), TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC));
    if (slave.get() < 0)
        return std::unexpected(
            storage::io_error("opening the slave of a pseudo-terminal of", "/dev/ptmx", errno));
    int model = model_terminal(io, plan);
    termios modes{};
    if (::tcgetattr(model, &modes) == 0) {
        // The caller's terminal stays in its modes when the command does not read it (raw
        // mode is for keys): then it does the output processing (\n to \r\n) as when the
        // command wrote to it directly, and the pty passes output on untouched.
        if (!plan.in)
            modes.c_oflag &= ~static_cast<tcflag_t>(OPOST);
        ::tcsetattr(slave.get(), TCSANOW, &modes);
    }
    copy_window_size(model, master.get());
    return PtyProxy(io, plan, std::move(master), std::move(slave));
}

StdioFds PtyProxy::command_fds() const noexcept {
    int pty = m_slave.get();
    return {m_plan.in ? pty : m_io.in, m_plan.out ? pty : m_io.out, m_plan.err ? pty : m_io.err};
}

void PtyProxy::relay(pid_t pid) {
    const int master = m_master.get();
    const int model = model_terminal(m_io, m_plan);
    const int output = output_terminal(m_io, m_plan);
    UniqueFd pidfd(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));
    SignalRelay signals;
    RawMode raw(m_plan.in ? m_io.in : -1);
    ::fcntl(master, F_SETFL, ::fcntl(master, F_GETFL) | O_NONBLOCK);

    bool reading = m_plan.in; // the caller's terminal, for the command's stdin
    bool writing = true;      // to the caller's terminal, until it fails
    bool pty_open = true;     // until every process inside has closed the slave
    std::string pending;      // keys for the pty
    char buf[16384];
    // Copies what the pty has to the caller's terminal; false once the pty is closed inside.
    auto forward_output = [&] {
        for (int turn = 0; turn < reads_per_turn; ++turn) {
            ssize_t n = ::read(master, buf, sizeof buf);
            if (n > 0) {
                if (writing && !write_all(output, buf, static_cast<std::size_t>(n)))
                    writing = false;
                continue;
            }
            if (n < 0 && errno == EINTR)
                continue;
            return n < 0 && errno == EAGAIN;
        }
        return true;
    };

    for (;;) {
        if (!pty_open && pidfd.get() < 0)
            return; // nothing more to learn: the caller's waitpid() waits for the end
        pollfd fds[4];
        nfds_t n = 0;
        int i_pty = -1, i_in = -1, i_sig = -1, i_pid = -1;
        if (pty_open) {
            i_pty = static_cast<int>(n);
            fds[n++] = {master, static_cast<short>(POLLIN | (pending.empty() ? 0 : POLLOUT)), 0};
        }
        if (reading && pending.size() < max_pending_input) {
            i_in = static_cast<int>(n);
            fds[n++] = {m_io.in, POLLIN, 0};
        }
        if (signals.fd() >= 0) {
            i_sig = static_cast<int>(n);
            fds[n++] = {signals.fd(), POLLIN, 0};
        }
        if (pidfd.get() >= 0) {
            i_pid = static_cast<int>(n);
            fds[n++] = {pidfd.get(), POLLIN, 0};
        }
        if (::poll(fds, n, -1) < 0) {
            if (errno == EINTR)
                continue;
            return;
        }
        if (i_sig >= 0 && fds[i_sig].revents != 0) {
            while (int sig = signals.next()) {
                if (sig == SIGWINCH)
                    copy_window_size(model, master);
                else
                    ::kill(pid, sig); // a child not reaped yet: the pid cannot have been reused
            }
        }
        if (i_pty >= 0 && (fds[i_pty].revents & POLLOUT) != 0) {
            ssize_t w = ::write(master, pending.data(), pending.size());
            if (w > 0)
                pending.erase(0, static_cast<std::size_t>(w));
            else if (w < 0 && errno != EAGAIN && errno != EINTR)
                pending.clear();
        }
        if (i_pty >= 0 && (fds[i_pty].revents & (POLLIN | POLLHUP | POLLERR)) != 0)
            pty_open = forward_output();
        if (i_in >= 0 && fds[i_in].revents != 0) {
            ssize_t r = ::read(m_io.in, buf, sizeof buf);
            if (r > 0) {
                pending.append(buf, static_cast<std::size_t>(r));
            } else if (r == 0 || (errno != EINTR && errno != EAGAIN)) {
                // The caller's terminal hung up: so does the command's, as a terminal would.
                reading = false;
                ::kill(pid, SIGHUP);
            }
        }
        if (i_pid >= 0 && fds[i_pid].revents != 0) {
            // What the command wrote before its end is in the pty now (a read waits for the
            // kernel's buffer work); what descendants write later is theirs to lose.
            if (pty_open)
                forward_output();
            return;
        }
    }
}

void relay_signals(pid_t pid) {
    UniqueFd pidfd(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));
    SignalRelay signals;
    if (pidfd.get() < 0 || signals.fd() < 0)
        return; // the caller's waitpid() waits for the end all the same
    for (;;) {
        pollfd fds[2] = {{signals.fd(), POLLIN, 0}, {pidfd.get(), POLLIN, 0}};
        if (::poll(fds, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            return;
        }
        while (int sig = signals.next())
            if (sig != SIGWINCH)
                ::kill(pid, sig); // a child not reaped yet: the pid cannot have been reused
        if (fds[1].revents != 0)
            return;
    }
}

} // namespace pct::runtime::detail
