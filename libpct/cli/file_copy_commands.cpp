// SPDX-License-Identifier: AGPL-3.0-or-later
// `pct push VMID FILE DESTINATION` and `pct pull VMID PATH DESTINATION` with `--user`,
// `--group`, `--perms` (pve-container src/PVE/CLI/pct.pm: push, pull): one file into or out of
// a running container, through runtime::push/pull (paths resolved inside the CT's root only).
#include "commands.hpp"

#include <pct/runtime/container.hpp>
#include <pct/runtime/files.hpp>
#include <pct/storage/host.hpp>

#include <memory>
#include <optional>

namespace pct::cli {

namespace {

struct CopyArgs {
    std::uint64_t vmid = 0;
    std::string from;
    std::string to;
    std::optional<std::string> user;
    std::optional<std::string> group;
    std::optional<std::string> perms;
};

void register_copy(CLI::App& app, const Globals& globals, int& exit_code, bool push) {
    const Globals* g = &globals;
    int* rc = &exit_code;
    auto a = std::make_shared<CopyArgs>();
    auto* cmd = app.add_subcommand(push ? "push" : "pull",
                                   push ? "Copy a local file to the container."
                                        : "Copy a file from the container to the local system.");
    cmd->add_option("vmid", a->vmid, "The (unique) ID of the VM")->required();
    cmd->add_option(push ? "file" : "path", a->from,
                    push ? "Path to a local file." : "Path to a file inside the container to pull.")
        ->required();
    cmd->add_option("destination", a->to,
                    push ? "Destination inside the container to write to." : "Destination")
        ->required();
    cmd->add_option("--user", a->user,
                    "Owner user name or id. When using a name it must exist inside the container.");
    cmd->add_option(
        "--group", a->group,
        "Owner group name or id. When using a name it must exist inside the container.");
    cmd->add_option(
        "--perms", a->perms,
        "File permissions to use (octal by default, prefix with '0x' for hexadecimal).");
    cmd->callback([=] {
        auto vmid = storage::Host::check_vmid(a->vmid);
        if (!vmid) {
            *rc = report(vmid.error());
            return;
        }
        runtime::FileCopyOptions o{.user = a->user, .group = a->group, .perms = std::nullopt};
        if (a->perms) {
            auto mode = runtime::parse_perms(*a->perms);
            if (!mode) {
                *rc = report(mode.error());
                return;
            }
            o.perms = *mode;
        }
        auto ct = runtime::Container::open(storage::Host(g->root), *vmid);
        if (!ct) {
            *rc = report(ct.error());
            return;
        }
        auto done =
            push ? runtime::push(*ct, a->from, a->to, o) : runtime::pull(*ct, a->from, a->to, o);
        *rc = done ? 0 : report(done.error());
    });
}

} // namespace

void register_file_copy_commands(CLI::App& app, const Globals& globals, int& exit_code) {
    register_copy(app, globals, exit_code, true);
    register_copy(app, globals, exit_code, false);
}

} // namespace pct::cli
