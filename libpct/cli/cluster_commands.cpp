// SPDX-License-Identifier: AGPL-3.0-or-later
// `pct migrate` and `pct remote-migrate`: accepted with Proxmox's arguments so that a script
// written for Proxmox parses, then refused in one line: moving a CT to another node needs a
// Proxmox VE cluster (pmxcfs, the node's API and its storage), and libpct manages one host.
#include "bool_option.hpp"
#include "commands.hpp"

#include <pct/storage/host.hpp>

#include <iostream>
#include <memory>

namespace pct::cli {

namespace {

struct MigrateArgs {
    std::uint64_t vmid = 0;
    std::string target;          ///< migrate: node; remote-migrate: target-vmid or endpoint
    std::string target_endpoint; ///< remote-migrate only
    BoolOpt online, restart, remove;
    std::uint64_t timeout = 180;
    std::string target_storage, target_bridge;
    std::uint64_t bwlimit = 0;
};

void add_common(CLI::App* cmd, MigrateArgs& a) {
    add_bool(cmd, "--online", a.online, "Use online/live migration.");
    add_bool(cmd, "--restart", a.restart, "Use restart migration");
    cmd->add_option("--timeout", a.timeout, "Timeout in seconds for shutdown for restart migration")
        ->default_str("180");
    cmd->add_option("--bwlimit", a.bwlimit, "Override I/O bandwidth limit (in KiB/s).");
}

// The refusal, after the arguments were read as Proxmox reads them (a bad CTID says so first).
int refuse(const MigrateArgs& a, const std::string& why) {
    auto id = storage::Host::check_vmid(a.vmid);
    if (!id)
        return report(id.error());
    std::cerr << why << '\n';
    return exit_failed;
}

} // namespace

void register_cluster_commands(CLI::App& app, int& exit_code) {
    int* rc = &exit_code;
    {
        auto a = std::make_shared<MigrateArgs>();
        auto* cmd = app.add_subcommand(
            "migrate", "Migrate the container to another node. Creates a new migration task.");
        cmd->add_option("vmid", a->vmid, "The (unique) ID of the VM.")->required();
        cmd->add_option("target", a->target, "Target node.")->required();
        add_common(cmd, *a);
        cmd->add_option("--target-storage", a->target_storage,
                        "Mapping from source to target storages.");
        cmd->callback([=] {
            *rc = refuse(*a, "no such cluster node '" + a->target +
                                 "': pct migrate needs a Proxmox VE cluster, and libpct "
                                 "manages a single host");
        });
    }
    {
        auto a = std::make_shared<MigrateArgs>();
        auto* cmd = app.add_subcommand("remote-migrate",
                                       "Migrate container to a remote cluster. Creates a new "
                                       "migration task. EXPERIMENTAL feature!");
        cmd->add_option("vmid", a->vmid, "The (unique) ID of the VM.")->required();
        // Proxmox's `<vmid> [<target-vmid>] <target-endpoint>`: with two words the second is
        // the endpoint (the callback moves it), so both are optional for the parser.
        cmd->add_option("target-vmid", a->target, "The (unique) ID of the VM.");
        cmd->add_option("target-endpoint", a->target_endpoint, "Remote target endpoint");
        add_common(cmd, *a);
        add_bool(cmd, "--delete", a->remove,
                 "Delete the original CT and related data after successful migration.");
        cmd->add_option("--target-storage", a->target_storage,
                        "Mapping from source to target storages.")
            ->required();
        cmd->add_option("--target-bridge", a->target_bridge,
                        "Mapping from source to target bridges.")
            ->required();
        cmd->callback([=] {
            if (a->target_endpoint.empty() && a->target.empty()) {
                std::cerr << "400 not enough arguments\n"
                          << "pct remote-migrate <vmid> [<target-vmid>] <target-endpoint> "
                             "[OPTIONS]\n";
                *rc = exit_failed;
                return;
            }
            *rc = refuse(*a, "pct remote-migrate needs a Proxmox VE cluster at both ends (its "
                             "API and pmxcfs), and libpct manages a single host");
        });
    }
}

} // namespace pct::cli
