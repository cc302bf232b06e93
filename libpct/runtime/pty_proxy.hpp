// SPDX-License-Identifier: AGPL-3.0-or-later
// A pseudo-terminal of its own for a command run inside on the caller's descriptors
// (`Container::run`, `enter`), as lxc-attach does: where the caller's stdin, stdout or stderr
// is a terminal, the command gets the slave of a new host pty instead, and this process
// copies between that pty and the caller's terminal. A descriptor of a host terminal never
// reaches the container, so TIOCSTI, reading the caller's later keystrokes or writing to the
// terminal after the command returned only reach this pty, which is gone with the command.
#pragma once

#include "unique_fd.hpp"

#include <pct/error.hpp>

#include <sys/types.h>

namespace pct::runtime::detail {

/// Which of the caller's three standard descriptors are terminals.
struct TtyPlan {
    bool in = false;
    bool out = false;
    bool err = false;
    [[nodiscard]] bool any() const noexcept { return in || out || err; }
    friend bool operator==(const TtyPlan&, const TtyPlan&) = default;
};

/// `isatty()` of each descriptor (a closed or negative one is no terminal).
[[nodiscard]] TtyPlan tty_plan(int in, int out, int err) noexcept;

/// The descriptors a command gets as its stdin, stdout and stderr.
struct StdioFds {
    int in = 0;
    int out = 1;
    int err = 2;
};

/// The pty between the caller's terminal and one command. Move-only; closing it hangs the pty
/// up.
class PtyProxy {
  public:
    /// A new pty from the host's `/dev/ptmx` (never the container's: its devpts is the
    /// container's to shape) with the modes and window size of the caller's terminal, for the
    /// caller's descriptors `io` of which `plan` tells the terminals (`plan.any()` must hold).
    /// `Errc::io` when no pty can be had.
    [[nodiscard]] static Result<PtyProxy> open(StdioFds io, TtyPlan plan);

    /// What the command gets: the pty's slave in place of each terminal, the caller's
    /// descriptor where it is none (pipes and files pass through).
    [[nodiscard]] StdioFds command_fds() const noexcept;

    /// Closes this process' copy of the slave once the command holds its own, so that the pty
    /// reports the end (EIO) when the last process inside has closed it.
    void release_slave() noexcept { m_slave.reset(); }

    /// Copies between the caller's terminal and the pty until the process `pid` (the attached
    /// command, a child of this process, left for the caller to reap) has ended.
    /// Meanwhile: the caller's terminal is in raw mode when the command reads it (so Ctrl-C,
    /// Ctrl-D and Ctrl-Z reach the command's terminal as keys), restored on every way out;
    /// its window size follows SIGWINCH; SIGINT, SIGTERM, SIGQUIT and SIGHUP sent to this
    /// process are sent on to the command; a hangup of the caller's terminal sends SIGHUP.
    /// Signal dispositions belong to the process: the handlers are installed for the duration
    /// (the previous ones restored after) by one proxy at a time; a proxy running while
    /// another one holds them forwards no signals.
    void relay(pid_t pid);

  private:
    PtyProxy(StdioFds io, TtyPlan plan, UniqueFd master, UniqueFd slave)
        : m_io(io), m_plan(plan), m_master(std::move(master)), m_slave(std::move(slave)) {}

    StdioFds m_io;
    TtyPlan m_plan;
    UniqueFd m_master;
    UniqueFd m_slave;
};

/// For a command without a terminal of ours: SIGINT, SIGTERM, SIGQUIT and SIGHUP sent to this
/// process are sent on to the process `pid` (a child of this process, left for the caller to
/// reap) until it has ended, with the handlers of `PtyProxy::relay`. The command has a
/// session of its own (exec.cpp), so Ctrl-C at the caller's terminal reaches it only so.
void relay_signals(pid_t pid);

} // namespace pct::runtime::detail
