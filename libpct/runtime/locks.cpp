// SPDX-License-Identifier: AGPL-3.0-or-later
// The lock table and `pct unlock` (include/pct/runtime/locks.hpp). Each row names the place in
// Proxmox's code that decides it, so a reviewer can check the row against it.
#include "volume_common.hpp"

#include <pct/runtime/locks.hpp>
#include <pct/storage/config_document.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <ranges>

namespace pct::runtime {

namespace {

using enum LockedOp;

// `passes` lists the locks Proxmox lets through; `checked = false` rows never read the lock.
constexpr std::array<LockRule, 24> rules{{
    {start, "start", true, "mounted",
     "pve-container: src/PVE/API2/LXC/Status.pm: vm_start (skiplock: any)"},
    {stop, "stop", true, "mounted",
     "pve-container: src/PVE/API2/LXC/Status.pm: vm_stop (skiplock: any)"},
    {shutdown, "shutdown", true, "", "pve-container: src/PVE/API2/LXC/Status.pm: vm_shutdown"},
    // Proxmox stops without looking and then fails to start a CT locked with anything but
    // `mounted` (the pre-start hook), leaving it stopped: the same rule is asked first here.
    {reboot, "reboot", true, "mounted",
     "pve-container: src/PVE/LXC.pm: vm_reboot + pre-start hook"},
    {suspend, "suspend", true, "", "pve-container: src/PVE/API2/LXC/Status.pm: vm_suspend"},
    {resume, "resume", false, "", "pve-container: src/PVE/API2/LXC/Status.pm: vm_resume"},
    // Beyond Proxmox: a `create` lock seen under the config lock is a create that died half-way
    // (a live create holds the config lock until it is done); destroy is how it is cleaned up.
    {destroy, "destroy", true, "create", "pve-container: src/PVE/API2/LXC.pm: destroy_vm"},
    {mount, "mount", true, "", "pve-container: src/PVE/CLI/pct.pm: mount (set_lock mounted)"},
    {df, "df", true, "", "pve-container: src/PVE/CLI/pct.pm: df (set_lock mounted when stopped)"},
    {resize, "resize", true, "", "pve-container: src/PVE/API2/LXC.pm: resize_vm"},
    {move_volume, "move-volume", true, "", "pve-container: src/PVE/API2/LXC.pm: move_volume"},
    {rescan, "rescan", true, "", "pve-container: src/PVE/LXC.pm: rescan"},
    {fsck, "fsck", false, "", "pve-container: src/PVE/CLI/pct.pm: fsck"},
    {fstrim, "fstrim", true, "", "pve-container: src/PVE/CLI/pct.pm: fstrim (set_lock fstrim)"},
    {set, "set", true, "", "pve-container: src/PVE/API2/LXC/Config.pm: update_vm"},
    {exec, "exec", false, "", "pve-container: src/PVE/CLI/pct.pm: exec"},
    {enter, "enter", false, "", "pve-container: src/PVE/CLI/pct.pm: enter"},
    {console, "console", false, "", "pve-container: src/PVE/CLI/pct.pm: console"},
    {snapshot, "snapshot", true, "",
     "pve-guest-common: src/PVE/AbstractConfig.pm: snapshot_prepare"},
    {rollback, "rollback", true, "",
     "pve-guest-common: src/PVE/AbstractConfig.pm: snapshot_rollback"},
    {delsnapshot, "delsnapshot", true, "",
     "pve-guest-common: src/PVE/AbstractConfig.pm: snapshot_delete (set_lock snapshot-delete)"},
    {make_template, "template", true, "", "pve-container: src/PVE/API2/LXC.pm: template"},
    {clone, "clone", true, "", "pve-container: src/PVE/API2/LXC.pm: clone_vm (set_lock disk)"},
    {backup, "backup", true, "", "pve-manager: PVE/VZDump.pm: exec_backup_task (lock_vm)"},
}};

// The rows must stay in `LockedOp` order: `lock_rule` indexes by the enumerator.
constexpr bool rows_in_order() {
    for (std::size_t i = 0; i < rules.size(); ++i)
        if (static_cast<std::size_t>(rules[i].op) != i)
            return false;
    return true;
}
static_assert(rows_in_order());

bool listed(std::string_view list, std::string_view word) {
    for (auto part : std::views::split(list, ' '))
        if (std::string_view(part.begin(), part.end()) == word)
            return true;
    return false;
}

} // namespace

std::span<const LockRule> lock_rules() noexcept { return rules; }

const LockRule& lock_rule(LockedOp op) noexcept { return rules[static_cast<std::size_t>(op)]; }

std::optional<LockedOp> locked_op(std::string_view name) noexcept {
    auto it = std::ranges::find(rules, name, &LockRule::name);
    if (it == rules.end())
        return std::nullopt;
    return it->op;
}

bool lock_allows(LockedOp op, std::string_view lock) noexcept {
    const LockRule& rule = lock_rule(op);
    return lock.empty() || !rule.checked || listed(rule.passes, lock);
}

Result<void> check_lock(const ContainerConfig& config, LockedOp op, bool skiplock) {
    auto lock = config.main.get("lock");
    if (skiplock || !lock || lock_allows(op, *lock))
        return {};
    return storage::check_unlocked(config); // the one builder of "CT is locked (LOCK)"
}

Result<std::string> unlock(const storage::Host& host, Vmid vmid) {
    auto locked = detail::lock_config(host, vmid);
    if (!locked)
        return std::unexpected(std::move(locked).error());
    auto current = locked->doc.config().main.get("lock");
    if (!current)
        return fail(Errc::bad_state, "no lock found trying to remove any lock",
                    {.context = locked->doc.path(), .key = "lock"});
    std::string removed(*current);
    if (auto ok = detail::set_config_lock(locked->doc, std::nullopt); !ok)
        return std::unexpected(std::move(ok).error());
    if (auto ok = locked->commit(); !ok)
        return std::unexpected(std::move(ok).error());
    return removed;
}

} // namespace pct::runtime
