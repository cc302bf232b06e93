// SPDX-License-Identifier: AGPL-3.0-or-later
// `pct unlock VMID` (pve-container src/PVE/CLI/pct.pm: unlock): removes whatever `lock` the
// config has, silently as Proxmox does; "no lock found trying to remove any lock" without one.
#include "commands.hpp"

#include <pct/runtime/locks.hpp>
#include <pct/storage/host.hpp>

#include <memory>

namespace pct::cli {

void register_lock_commands(CLI::App& app, const Globals& globals, int& exit_code) {
    const Globals* g = &globals;
    int* rc = &exit_code;
    auto vmid = std::make_shared<std::uint64_t>(0);
    auto* cmd = app.add_subcommand("unlock", "Unlock the VM.");
    cmd->add_option("vmid", *vmid, "The (unique) ID of the VM")->required();
    cmd->callback([=] {
        auto id = storage::Host::check_vmid(*vmid);
        if (!id) {
            *rc = report(id.error());
            return;
        }
        auto removed = runtime::unlock(storage::Host(g->root), *id);
        *rc = removed ? 0 : report(removed.error());
    });
}

} // namespace pct::cli
