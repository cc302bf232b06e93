// SPDX-License-Identifier: AGPL-3.0-or-later
/// @file
/// Running containers for real through liblxc: the lifecycle (start, stop, shutdown, reboot,
/// suspend/resume as freeze/thaw, destroy), status, command execution, an interactive shell
/// and the console, for containers laid out by `storage::Host`.
///
/// What `start()` does, in order (the steps of Proxmox's `vm_start`):
///  1. takes the config lock, refuses a running CT, a template, or a locked config;
///  2. applies pending changes (pending values become main values, `delete`d keys go) and
///     writes the config back when that changed it;
///  3. validates the config (`pct::validate::config`) and resolves the rootfs volume;
///  4. generates the LXC config with `lxcconf::generate` (native profile, facts of this host)
///     into `<lxcpath>/<CTID>/config` plus its extra files, with `lxc.log.file` =
///     `<lxcpath>/<CTID>/lxc.log`, and writes the in-CT files Proxmox's setup writes
///     (`/etc/hostname`, the `/etc/hosts` PVE block, `/etc/network/interfaces` for
///     Debian-like ostypes; nothing for `unmanaged`), never following symlinks out of the rootfs;
///  5. calls liblxc's `start()` in the `pct-lxc-start` helper program (liblxc forks the
///     container's monitor from its caller, which must not be a multi-threaded library user's
///     process; the caller's cgroups also stay as they were), and waits for RUNNING.
/// A failed start leaves nothing behind: the container is stopped, leftover monitor/payload
/// cgroups are removed, and the error (`Errc::lxc`) carries the ERROR lines of liblxc's log.
///
/// Commands inside (`exec`, `run`, `enter`, the shell `console`) get only their three standard
/// descriptors from the caller's process, never one it left inheritable, and never a host
/// terminal: where the caller's descriptor is a terminal, the command gets a pseudo-terminal of
/// its own, which this process connects to the caller's terminal (as lxc-attach does). A
/// command that pushes keys into its terminal (TIOCSTI), or keeps it open to read or write it
/// later, reaches only that pty, which is hung up when the command ends.
///
/// Threading: a `Container` is used by one thread at a time (it owns one liblxc handle).
/// Different `Container` objects, also for the same CTID, may be used from different threads
/// and processes; changes to one CT are serialised by the config lock.
#pragma once

#include <pct/error.hpp>
#include <pct/model/config.hpp>
#include <pct/storage/host.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace pct::runtime {

/// liblxc's container states.
enum class State { stopped, starting, running, stopping, aborting, freezing, frozen, thawed };

/// liblxc's name of a state ("STOPPED", "RUNNING", "FROZEN", ...).
[[nodiscard]] const char* to_string(State state) noexcept;

/// Proxmox's status word: "running" for every state with a live init (also frozen),
/// else "stopped".
[[nodiscard]] const char* status_word(State state) noexcept;

struct StartOptions {
    bool skiplock = false; ///< start although the config has a `lock` (root only in PVE)
    /// liblxc log level for lxc.log: TRACE, DEBUG, INFO, NOTICE, WARN, ERROR, CRIT, ALERT or
    /// FATAL (any case; anything else is `Errc::invalid_argument`); `debug: 1` forces DEBUG.
    std::string log_level = "WARN";
    std::chrono::milliseconds timeout{30000}; ///< for liblxc's start and reaching RUNNING
};

/// What a successful start reports besides success.
struct StartReport {
    std::vector<std::string> warnings; ///< from the generator (limits this host cannot apply, ...)
    /// liblxc's log; each start appends its part after a `libpct - start of container` line
    /// (`Container::lxc_log()` returns the last part). Emptied when above 1 MiB.
    std::string log_file;
};

/// What `Container::mount()` did.
struct MountReport {
    std::string path;                  ///< where the rootfs is mounted: `<lxcpath>/<CTID>/rootfs`
    std::vector<std::string> warnings; ///< Proxmox's mount warnings (quota on a bind mount, ...)
};

struct StopOptions {
    bool skiplock = false;
    std::chrono::milliseconds timeout{30000}; ///< for reaching STOPPED after the kill
};

struct ShutdownOptions {
    std::chrono::seconds timeout{60}; ///< Proxmox's default
    bool force = false;               ///< `forceStop`: hard stop after the timeout
    bool skiplock = false; ///< ignore the config's `lock` (an operation that holds it: backup)
};

struct DestroyOptions {
    bool force = false; ///< stop a running container first
    bool purge = false; ///< accepted for CLI compatibility (no HA/replication/backup jobs here)
};

/// A command to run inside the container, with captured output (`Container::exec`).
struct ExecOptions {
    std::vector<std::string> argv; ///< argv[0] is looked up in the container's PATH
    std::vector<std::string> env;  ///< extra `NAME=value` entries
    bool keep_env = false;         ///< keep the caller's environment (default: a clean one
                                   ///< with PATH, TERM=linux and container=lxc)
    std::string cwd = "/";         ///< working directory inside the container
    std::optional<std::uint32_t> uid;
    std::optional<std::uint32_t> gid;
    std::string stdin_data; ///< fed to the command's stdin, then EOF
    /// Kill the command (SIGKILL) after this long; `Errc::bad_state` "command timed out" then.
    std::optional<std::chrono::milliseconds> timeout;
};

/// Result of a finished command. Output of any size is captured whole.
struct ExecResult {
    int exit_code = 0; ///< WEXITSTATUS, or 128 + signal number when killed by a signal
    int signal = 0;    ///< the terminating signal, 0 if it exited
    std::string out;
    std::string err;
};

/// A command on the caller's own file descriptors (`pct exec`): nothing is captured. Pipes and
/// files pass to the command as they are; in place of each descriptor that is a terminal the
/// command gets a new pseudo-terminal (a host pty, so `tty` inside finds no name for it) with
/// the modes and window size of the caller's terminal. While the command runs, `run`/`enter`
/// copy between the two, the caller's terminal is in raw mode when it is the command's stdin
/// (keys such as Ctrl-C and Ctrl-D act on the command's terminal; the modes are restored on
/// every way out), SIGWINCH passes the new window size on, and SIGINT, SIGTERM, SIGQUIT and
/// SIGHUP sent to this process are sent on to the command (handlers installed for the
/// duration, the previous ones restored after; one such command per process at a time
/// forwards signals). When the caller's terminal hangs up, the command gets SIGHUP.
struct RunOptions {
    std::vector<std::string> argv;
    std::vector<std::string> env;
    bool keep_env = false;
    std::string cwd = "/";
    int stdin_fd = 0;
    int stdout_fd = 1;
    int stderr_fd = 2;
};

enum class ConsoleKind { tty, console, shell }; ///< Proxmox's `cmode`

struct ConsoleOptions {
    /// nullopt: the config's `cmode` (default tty).
    std::optional<ConsoleKind> kind;
    /// Escape prefix: "^a" (Ctrl-a, default) .. "^z", or a single letter used literally.
    std::string escape = "^a";
    int stdin_fd = 0;
    int stdout_fd = 1;
    int stderr_fd = 2;
};

/// An open console terminal (from `Container::console_fd`): the pty master of a container
/// tty plus liblxc's reservation of that tty. Move-only; closing (or destroying) it frees the
/// tty for the next user.
class ConsoleFd {
  public:
    ConsoleFd() = default;
    ConsoleFd(int tty, int ptx_fd, int hold_fd) : m_tty(tty), m_fd(ptx_fd), m_hold(hold_fd) {}
    ConsoleFd(ConsoleFd&& other) noexcept;
    ConsoleFd& operator=(ConsoleFd&& other) noexcept;
    ConsoleFd(const ConsoleFd&) = delete;
    ConsoleFd& operator=(const ConsoleFd&) = delete;
    ~ConsoleFd();

    /// The tty number that was allocated (0 = /dev/console).
    [[nodiscard]] int tty() const noexcept { return m_tty; }
    /// The pty master: read the container's output from it, write input to it.
    [[nodiscard]] int fd() const noexcept { return m_fd; }
    /// Closes both descriptors; idempotent.
    void close() noexcept;

  private:
    int m_tty = -1;
    int m_fd = -1;
    int m_hold = -1;
};

/// A snapshot of a container's state and resource use (Proxmox's `vmstatus` fields).
struct Status {
    Vmid vmid;
    State state = State::stopped;
    std::string status; ///< "running" / "stopped"
    std::string name;   ///< hostname or "CT<CTID>"
    std::string lock;   ///< config `lock`, "" when none
    std::string tags;   ///< config `tags`, "" when none
    bool is_template = false;
    int pid = 0;              ///< host PID of init, 0 when stopped
    std::uint64_t uptime = 0; ///< seconds since init started
    double cpus = 0;          ///< usable CPUs: cores, else cpulimit, else host CPUs
    /// Average CPU use since start, as a fraction of `cpus` (not in `verbose_text()`: Proxmox's
    /// `pct status` prints no cpu, having no earlier sample in a single call).
    double cpu = 0;
    std::uint64_t cpu_time_ns = 0; ///< cgroup CPU time (cpuacct.usage / cpu.stat usage_usec)
    /// Memory use of the container's cgroup without page cache, bytes, as Proxmox's
    /// get_memory_stat: v1 `memory.usage_in_bytes` - `total_cache` of `memory.stat`, v2
    /// `memory.current` - `file`.
    std::uint64_t mem = 0;
    std::uint64_t maxmem = 0; ///< memory limit from the config, bytes (default 512 MiB)
    std::uint64_t swap = 0;   ///< swap use, bytes
    std::uint64_t maxswap = 0;
    std::uint64_t disk = 0;     ///< used bytes of the rootfs' filesystem
    std::uint64_t maxdisk = 0;  ///< its size (stopped: rootfs `size`, default 4 GiB)
    std::uint64_t diskread = 0; ///< bytes read (v1 blkio recursive counters, v2 io.stat)
    std::uint64_t diskwrite = 0;
    std::uint64_t netin = 0;  ///< bytes sent into the CT over its veths
    std::uint64_t netout = 0; ///< bytes sent by the CT

    /// `key: value` lines sorted by key, as `pct status --verbose` prints them: no `cpu`; `lock`,
    /// `tags`, `pid` and `template` only when set.
    [[nodiscard]] std::string verbose_text() const;
};

/// One row of `pct list`.
struct ListEntry {
    Vmid vmid;
    State state = State::stopped;
    std::string status; ///< "running" / "stopped"
    std::string lock;
    std::string name;
};

/// A container of a host, by CTID.
class Container {
  public:
    /// Opens the container `vmid` of `host`. `Errc::not_found` ("Configuration file '...' does
    /// not exist") when it has no config; `Errc::invalid_argument` for a CTID out of range;
    /// `Errc::lxc` if liblxc cannot make a handle.
    [[nodiscard]] static Result<Container> open(const storage::Host& host, Vmid vmid);

    Container(Container&&) noexcept;
    Container& operator=(Container&&) noexcept;
    Container(const Container&) = delete;
    Container& operator=(const Container&) = delete;
    ~Container();

    [[nodiscard]] Vmid vmid() const noexcept;
    [[nodiscard]] const storage::Host& host() const noexcept;

    /// The current state as liblxc reports it (STOPPED when liblxc knows nothing).
    [[nodiscard]] State state() const;
    /// True for every state with a live init.
    [[nodiscard]] bool running() const;
    /// Host PID of init, 0 when not running.
    [[nodiscard]] int init_pid() const;

    /// Starts the container (see the file comment): the hookscript's pre-start phase, then
    /// rootfs and mp0..mp255 mounted in a private mount namespace the container inherits
    /// (nothing stays mounted on the host; libpct/runtime/prestart.hpp), the per-start setup
    /// on the mounted rootfs, liblxc's start, the post-start phase. Errors: `Errc::bad_state`
    /// ("CT N already running", "CT is locked (LOCK)", "you can't start a CT if it's a
    /// template", lock timeout, "hookscript error for N on pre-start: ..."),
    /// `Errc::invalid_argument` (validation, generator, log level, "symlink encountered at:
    /// P"), `Errc::not_found` (a volume, a bind source, bridge), `Errc::unsupported` (a storage
    /// type or image format this build cannot mount), `Errc::io` (mount and loop failures,
    /// "detected mount path change at: P"), `Errc::lxc` (liblxc refused; message "startup for
    /// container 'N' failed: <liblxc's reasons>"). Mount errors name the key (`rootfs`, `mpN`).
    [[nodiscard]] Result<StartReport> start(const StartOptions& options = {});
    /// Kills the container at once (SIGKILL to init) and waits for STOPPED.
    /// `Errc::bad_state` "CT N not running" when stopped, or when locked without `skiplock`.
    [[nodiscard]] Result<void> stop(const StopOptions& options = {});
    /// Asks init to shut down (SIGPWR, or what the config's `lxc.signal.halt` says) and waits
    /// up to `timeout`; then kills it when `force`, else fails (`Errc::bad_state` "container
    /// did not stop"). `Errc::bad_state` "CT N not running" when stopped.
    [[nodiscard]] Result<void> shutdown(const ShutdownOptions& options = {});
    /// `shutdown(options)` followed by `start()` (which applies pending changes), as Proxmox.
    [[nodiscard]] Result<StartReport> reboot(const ShutdownOptions& options = {});
    /// Freezes every process of the container (cgroup freezer). `Errc::bad_state` when not
    /// running; `Errc::lxc` when liblxc fails.
    [[nodiscard]] Result<void> suspend();
    /// Thaws a frozen container. `Errc::bad_state` when it is not frozen.
    [[nodiscard]] Result<void> resume();

    /// State and resource use. Never fails for a stopped container; `Errc::not_found` when the
    /// config is gone.
    [[nodiscard]] Result<Status> status() const;

    /// Runs a command inside and captures stdout/stderr whole (both pipes are drained while
    /// stdin is fed, so any output size works). `Errc::bad_state` when not running,
    /// `Errc::invalid_argument` for an empty argv, `Errc::lxc` when attaching fails. A command
    /// that cannot be executed inside reports exit code 127 (shell convention), not an error.
    [[nodiscard]] Result<ExecResult> exec(const ExecOptions& options);
    /// Runs a command inside on the given descriptors (a terminal among them through a pty of
    /// its own, see `RunOptions`) and returns its exit code (128+signal when killed). Errors
    /// as `exec`, and `Errc::io` when no pseudo-terminal can be allocated.
    [[nodiscard]] Result<int> run(const RunOptions& options);
    /// An interactive login shell (`pct enter`) on the given descriptors, as `run`; returns
    /// its exit code. `Errc::bad_state` "Error: container 'N' not running!" when stopped.
    [[nodiscard]] Result<int> enter(const RunOptions& io);
    /// The interactive console (`pct console`) per `cmode`: tty = a free getty tty, console =
    /// /dev/console, shell = `enter`. Returns when the user types the escape prefix and `q`.
    /// `Errc::bad_state` when not running.
    [[nodiscard]] Result<int> console(const ConsoleOptions& options = {});
    /// Allocates a console terminal for programs (`ttynum` -1 = any free tty, 0 = /dev/console).
    [[nodiscard]] Result<ConsoleFd> console_fd(int ttynum = -1);

    /// Removes the container: every storage volume of `rootfs`, `mpN` and `unusedN` (also in
    /// `[pve:pending]`) that the container owns (storage.md §7.8: never a bind
    /// source, a device or another CT's volume), `<lxcpath>/<CTID>/`, then the config.
    /// `Errc::bad_state` when running without `force` ("CT N is running - destroy failed"),
    /// protected ("can't remove CT N - protection mode enabled") or locked ("CT is locked"),
    /// except by `lock: create`: that is a create killed half-way, removed with its volumes.
    [[nodiscard]] Result<void> destroy(const DestroyOptions& options = {});

    /// The text of liblxc's log of the last start ("" when none).
    [[nodiscard]] std::string lxc_log() const;

    /// `pct mount`: under the config lock, sets `lock: mounted` (refused with `Errc::bad_state`
    /// "CT is locked (LOCK)" when a lock is set) and mounts rootfs then mp0..mp255 (key order,
    /// `ro` respected, no per-mount idmap, as Proxmox's mount_all) under
    /// `<lxcpath>/<CTID>/rootfs` in the caller's mount namespace (the host's). No running
    /// check, as in Proxmox. When mounting fails nothing stays mounted, the warning
    /// "mounting container failed" is part of the error's story, and the `mounted` lock stays
    /// (as in Proxmox; `unmount()` removes it). Errors: Proxmox's mount messages (§8 of the
    /// storage spec) with the key (`rootfs`, `mpN`).
    [[nodiscard]] Result<MountReport> mount();
    /// `pct unmount`: unmounts every mount point under `<lxcpath>/<CTID>/rootfs` (reverse key
    /// order; errors abort), then removes exactly the `mounted` lock: `Errc::bad_state` "no lock
    /// found trying to remove 'mounted' lock" / "found lock 'X' trying to remove 'mounted' lock".
    [[nodiscard]] Result<void> unmount();

    struct Impl;

  private:
    explicit Container(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

/// Every container with a config file, ascending by CTID, with its state (`pct list`).
[[nodiscard]] Result<std::vector<ListEntry>> list(const storage::Host& host);

/// The `pct list` table (empty string when there are no containers, as Proxmox prints nothing).
[[nodiscard]] std::string format_list(const std::vector<ListEntry>& entries);

} // namespace pct::runtime
