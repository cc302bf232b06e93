// SPDX-License-Identifier: AGPL-3.0-or-later
// Internals shared by the runtime's source files.
#pragma once

#include "helpers.hpp"
#include "lxc_handle.hpp"

#include <pct/model/settings.hpp>
#include <pct/runtime/container.hpp>
#include <pct/runtime/locks.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace pct::runtime {

struct Container::Impl {
    storage::Host host;
    Vmid vmid;
    std::string name; ///< liblxc's container name: the CTID in decimal
    detail::LxcHandle handle;
    /// `<lxcpath>/<CTID>/config` as it was just before `handle` read it (nullopt: absent).
    std::optional<detail::FileStamp> handle_config{};
    std::chrono::steady_clock::time_point handle_opened{};

    /// The liblxc handle, (re)opened when needed. `Errc::lxc` if liblxc cannot allocate one.
    Result<lxc_container*> lxc();
    /// Drops the handle so the next use re-reads `<lxcpath>/<CTID>/config`.
    void reload() {
        handle.reset();
        handle_config.reset();
    }
    /// Drops the handle unless it was opened moments ago from the config file that is there
    /// now (same inode, size, mtime and ctime). liblxc parses the config with its includes
    /// when opening a handle, a few hundred microseconds that `open()` + `start()` would
    /// otherwise pay twice; an older handle is re-read, so include files changed since (a
    /// package upgrade) are seen as a fresh `lxc-start` would.
    void reload_if_changed();

    struct RunningOp;
    /// The start of stop, shutdown and suspend: takes the config lock, refuses a container that
    /// is not running ("CT N not running") and a config `lock` that blocks `op` (unless
    /// `skiplock`).
    Result<RunningOp> begin_running_op(LockedOp op, bool skiplock = false);
    /// `Container::shutdown` under the lock rule of `op` (`reboot` lets `mounted` pass).
    Result<void> shutdown(const Container& self, const ShutdownOptions& options, LockedOp op);
};

namespace detail {

[[nodiscard]] State parse_state(const char* text) noexcept;
[[nodiscard]] bool is_live(State s) noexcept;

/// The typed main section; errors carry `context` = the config path.
[[nodiscard]] Result<ContainerSettings> settings_of(const ContainerConfig& config,
                                                    const std::string& path);

/// The host directory of the container's rootfs volume (see storage::Host's volume rule).
[[nodiscard]] Result<std::string> rootfs_dir(const storage::Host& host, Vmid vmid,
                                             const ContainerSettings& settings);

/// Waits for a state with liblxc's `wait()`; true when reached.
bool wait_state(lxc_container* c, const char* state, std::chrono::milliseconds timeout);

/// After a stop or failed start: removes leftover cgroup dirs of the CTID.
void cleanup_cgroups(Vmid vmid);

} // namespace detail
} // namespace pct::runtime
