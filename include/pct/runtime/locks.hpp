// SPDX-License-Identifier: AGPL-3.0-or-later
/// @file
/// The `lock` property (config-format.md §8, storage.md §8): which lock blocks which
/// operation, in one table, and `pct unlock`.
///
/// Proxmox refuses an operation on a locked container with "CT is locked (LOCK)"
/// (pve-guest-common AbstractConfig::check_lock) at each operation's own call site; a few
/// let a lock pass (`start` and `stop` with `mounted`) and a few never look at it (`exec`,
/// `enter`, `fsck`). Here those call sites are rows of `lock_rules()`, and every operation of
/// the runtime asks `check_lock` with its row, so the answer to "may I X while the CT is
/// locked Y" is in one place (`lock_allows`) and the same for the C ABI, pypct and the CLI.
///
/// Threading: free functions over values; `unlock` serialises through the config lock.
#pragma once

#include <pct/error.hpp>
#include <pct/model/config.hpp>
#include <pct/storage/host.hpp>

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace pct::runtime {

/// The operations that look at the `lock` property, named as the `pct` command is.
enum class LockedOp {
    start,
    stop,
    shutdown,
    reboot,
    suspend,
    resume,
    destroy,
    mount,
    df,
    resize,
    move_volume,
    rescan,
    fsck,
    fstrim,
    set,
    exec,
    enter,
    console,
    snapshot,
    rollback,
    delsnapshot,
    make_template,
    clone,
    backup, ///< vzdump: `set_lock backup`, any other lock refuses
};

/// One row of the lock table.
struct LockRule {
    LockedOp op;
    std::string_view name;   ///< the `pct` command (`move-volume`, `template`, ...)
    bool checked;            ///< false: the lock is not looked at (Proxmox does not either)
    std::string_view passes; ///< locks that do not refuse, space separated ("" = none)
    std::string_view source; ///< where Proxmox decides it (repository: file: function)
};

/// Every row, in `LockedOp` order.
[[nodiscard]] std::span<const LockRule> lock_rules() noexcept;

/// The row of `op`.
[[nodiscard]] const LockRule& lock_rule(LockedOp op) noexcept;

/// The operation a `pct` command name (`LockRule::name`) stands for; nullopt when none.
[[nodiscard]] std::optional<LockedOp> locked_op(std::string_view name) noexcept;

/// Whether `op` may run on a container whose config has `lock: LOCK` (`lock` empty: no lock).
[[nodiscard]] bool lock_allows(LockedOp op, std::string_view lock) noexcept;

/// Proxmox's `check_lock` for `op`: `Errc::bad_state` "CT is locked (LOCK)" with key `lock`
/// unless `lock_allows(op, LOCK)` or `skiplock` (Proxmox's root-only `--skiplock` of start and
/// stop).
[[nodiscard]] Result<void> check_lock(const ContainerConfig& config, LockedOp op,
                                      bool skiplock = false);

/// `pct unlock VMID` (Proxmox's `remove_lock` without a name): removes the config's `lock`,
/// whatever it is, under the config lock. Returns the lock removed. `Errc::bad_state` "no lock
/// found trying to remove any lock" (key `lock`) when there is none; `Errc::not_found` when the
/// CT has no config.
[[nodiscard]] Result<std::string> unlock(const storage::Host& host, Vmid vmid);

} // namespace pct::runtime
