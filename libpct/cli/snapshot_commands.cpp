// SPDX-License-Identifier: AGPL-3.0-or-later
// `pct snapshot|listsnapshot|rollback|delsnapshot` (config-format.md §10): snapshots with
// Proxmox's arguments; `listsnapshot` prints Proxmox's tree. Warnings go to stderr as
// "WARN: ..."; a failure prints Proxmox's message and exits 255.
#include "bool_option.hpp"
#include "commands.hpp"
#include "output_format.hpp"

#include <pct/runtime/container.hpp>
#include <pct/runtime/snapshots.hpp>
#include <pct/storage/config_document.hpp>
#include <pct/storage/host.hpp>

#include <iostream>
#include <memory>

namespace pct::cli {

namespace {

struct Args {
    std::uint64_t vmid = 0;
    std::string snapname;
    std::string description;
    BoolOpt start;
    BoolOpt force;
    OutputFormat format = OutputFormat::text;
};

// GET /nodes/N/lxc/VMID/snapshot (pve-container's Snapshot.pm `list`): per snapshot name,
// snaptime (0 when unset), description ("" when none), parent and snapstate when set; last
// `current` with the config's digest, running 1/0 and the parent when set.
Result<nlohmann::json> api_snapshots(const storage::Host& host, Vmid vmid) {
    auto doc = storage::ConfigDocument::load(host, vmid);
    if (!doc)
        return std::unexpected(doc.error());
    nlohmann::json out = nlohmann::json::array();
    for (const runtime::SnapshotInfo& s : runtime::list_snapshots(doc->config())) {
        nlohmann::json item = {{"name", s.name}, {"description", s.description}};
        if (!s.parent.empty())
            item["parent"] = s.parent;
        if (s.current) {
            auto ct = runtime::Container::open(host, vmid);
            if (!ct)
                return std::unexpected(ct.error());
            item["digest"] = doc->base_digest();
            item["running"] = ct->state() == runtime::State::running ? 1 : 0;
        } else {
            item["snaptime"] = s.snaptime;
            if (!s.snapstate.empty())
                item["snapstate"] = s.snapstate;
        }
        out.push_back(std::move(item));
    }
    return out;
}

// Runs `op` with the checked CTID and prints the warnings of its report.
template <class Op> int run(std::uint64_t id, Op&& op) {
    auto vmid = storage::Host::check_vmid(id);
    if (!vmid)
        return report(vmid.error());
    auto r = op(*vmid);
    if (!r)
        return report(r.error());
    for (const auto& w : r->warnings)
        std::cerr << "WARN: " << w << '\n';
    return 0;
}

CLI::App* with_target(CLI::App& app, const char* name, const char* help, Args& a) {
    auto* cmd = app.add_subcommand(name, help);
    cmd->add_option("vmid", a.vmid, "The (unique) ID of the VM")->required();
    cmd->add_option("snapname", a.snapname, "The name of the snapshot.")->required();
    return cmd;
}

} // namespace

void register_snapshot_commands(CLI::App& app, const Globals& globals, int& exit_code) {
    const Globals* g = &globals;
    int* rc = &exit_code;
    {
        auto a = std::make_shared<Args>();
        auto* cmd = with_target(app, "snapshot", "Snapshot a container.", *a);
        cmd->add_option("--description", a->description, "A textual description or comment.");
        cmd->callback([=] {
            *rc = run(a->vmid, [&](Vmid vmid) {
                return runtime::snapshot_create(storage::Host(g->root), vmid, a->snapname,
                                                {.description = a->description});
            });
        });
    }
    {
        auto a = std::make_shared<Args>();
        auto* cmd = with_target(app, "delsnapshot", "Delete a LXC snapshot.", *a);
        add_bool(cmd, "--force", a->force,
                 "For removal from config file, even if removing disk snapshots fails.");
        cmd->callback([=] {
            *rc = run(a->vmid, [&](Vmid vmid) {
                return runtime::snapshot_delete(storage::Host(g->root), vmid, a->snapname,
                                                {.force = a->force.value()});
            });
        });
    }
    {
        auto a = std::make_shared<Args>();
        auto* cmd = with_target(app, "rollback", "Rollback LXC state to specified snapshot.", *a);
        add_bool(cmd, "--start", a->start,
                 "Whether the container should get started after "
                 "rolling back successfully");
        cmd->callback([=] {
            *rc = run(a->vmid, [&](Vmid vmid) {
                return runtime::snapshot_rollback(storage::Host(g->root), vmid, a->snapname,
                                                  {.start = a->start.value()});
            });
        });
    }
    {
        auto a = std::make_shared<Args>();
        auto* cmd = app.add_subcommand("listsnapshot", "List all snapshots.");
        cmd->add_option("vmid", a->vmid, "The (unique) ID of the VM")->required();
        add_output_format(cmd, a->format);
        cmd->callback([=] {
            auto vmid = storage::Host::check_vmid(a->vmid);
            if (!vmid) {
                *rc = report(vmid.error());
                return;
            }
            if (a->format != OutputFormat::text) {
                auto data = api_snapshots(storage::Host(g->root), *vmid);
                if (!data) {
                    *rc = report(data.error());
                    return;
                }
                std::cout << render_data(*data, a->format);
                *rc = 0;
                return;
            }
            auto list = runtime::list_snapshots(storage::Host(g->root), *vmid);
            if (!list) {
                *rc = report(list.error());
                return;
            }
            std::cout << runtime::format_snapshot_tree(*list);
            *rc = 0;
        });
    }
}

} // namespace pct::cli
