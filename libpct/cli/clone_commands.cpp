// SPDX-License-Identifier: AGPL-3.0-or-later
// `pct template|clone` (storage.md §7.5-7.7) with Proxmox's arguments: the clone's progress
// lines on stdout, the copies' progress on stderr (none with --quiet), a failure prints Proxmox's
// message and exits 255.
#include "bool_option.hpp"
#include "commands.hpp"
#include "progress_line.hpp"

#include <pct/runtime/clone.hpp>
#include <pct/storage/host.hpp>

#include <iostream>
#include <memory>

namespace pct::cli {

namespace {

struct CloneArgs {
    std::uint64_t vmid = 0;
    std::uint64_t newid = 0;
    std::string storage;
    std::string hostname;
    std::string description;
    std::string snapname;
    std::uint64_t bwlimit = 0;
    bool quiet = false;
};

std::optional<std::string> optional_text(const std::string& s) {
    return s.empty() ? std::nullopt : std::optional<std::string>(s);
}

} // namespace

void register_clone_commands(CLI::App& app, const Globals& globals, int& exit_code) {
    const Globals* g = &globals;
    int* rc = &exit_code;
    {
        auto id = std::make_shared<std::uint64_t>(0);
        auto* cmd = app.add_subcommand("template", "Create a Template.");
        cmd->add_option("vmid", *id, "The (unique) ID of the VM")->required();
        cmd->callback([=] {
            auto vmid = storage::Host::check_vmid(*id);
            if (!vmid) {
                *rc = report(vmid.error());
                return;
            }
            auto r = runtime::make_template(storage::Host(g->root), *vmid);
            *rc = r ? 0 : report(r.error());
        });
    }
    {
        auto a = std::make_shared<CloneArgs>();
        auto full = std::make_shared<BoolOpt>();
        auto* cmd = app.add_subcommand("clone", "Create a container clone/copy");
        cmd->add_option("vmid", a->vmid, "The (unique) ID of the VM")->required();
        cmd->add_option("newid", a->newid, "VMID for the clone.")->required();
        add_bool(cmd, "--full", *full,
                 "Create a full copy of all disks. This is always done when you clone a normal "
                 "CT. For CT templates, we try to create a linked clone by default.");
        cmd->add_option("--storage", a->storage, "Target storage for full clone.");
        cmd->add_option("--hostname", a->hostname, "Set a hostname for the new CT.");
        cmd->add_option("--description", a->description, "Description for the new CT.");
        cmd->add_option("--snapname", a->snapname, "The name of the snapshot.");
        cmd->add_option("--bwlimit", a->bwlimit, "Override I/O bandwidth limit (in KiB/s).");
        add_quiet_option(cmd, a->quiet);
        cmd->callback([=] {
            auto vmid = storage::Host::check_vmid(a->vmid);
            auto newid = storage::Host::check_vmid(a->newid);
            if (!vmid || !newid) {
                *rc = report(!vmid ? vmid.error() : newid.error());
                return;
            }
            runtime::CloneOptions o;
            if (full->opt->count() > 0)
                o.full = full->value();
            o.storage = optional_text(a->storage);
            o.hostname = optional_text(a->hostname);
            o.description = optional_text(a->description);
            o.snapname = optional_text(a->snapname);
            o.bwlimit_kib = a->bwlimit;
            o.progress = progress_printer(a->quiet);
            auto r = runtime::clone(storage::Host(g->root), *vmid, *newid, o);
            if (!r) {
                *rc = report(r.error());
                return;
            }
            for (const auto& line : r->messages)
                std::cout << line << '\n';
            *rc = 0;
        });
    }
}

} // namespace pct::cli
