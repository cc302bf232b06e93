// SPDX-License-Identifier: AGPL-3.0-or-later
// `pct mount|unmount`: a container's rootfs and mount points mounted under
// `<root>/var/lib/lxc/<CTID>/rootfs` on the host (with the `mounted` lock), and back, with
// Proxmox's output and messages.
#include "commands.hpp"

#include <pct/runtime/container.hpp>
#include <pct/storage/host.hpp>

#include <iostream>
#include <memory>
#include <optional>

namespace pct::cli {

namespace {

std::optional<runtime::Container> open_for(const Globals& g, std::uint64_t id, int& exit_code) {
    auto vmid = storage::Host::check_vmid(id);
    if (!vmid) {
        exit_code = report(vmid.error());
        return std::nullopt;
    }
    auto ct = runtime::Container::open(storage::Host(g.root), *vmid);
    if (!ct) {
        exit_code = report(ct.error());
        return std::nullopt;
    }
    return std::move(*ct);
}

} // namespace

void register_mount_commands(CLI::App& app, const Globals& globals, int& exit_code) {
    const Globals* g = &globals;
    int* rc = &exit_code;
    {
        auto vmid = std::make_shared<std::uint64_t>(0);
        auto* cmd = app.add_subcommand(
            "mount", "Mount the container's filesystem on the host. This will hold a lock on the "
                     "container and is meant for emergency maintenance only as it will prevent "
                     "further operations on the container other than start and stop.");
        cmd->add_option("vmid", *vmid, "The (unique) ID of the VM")->required();
        cmd->callback([=] {
            auto ct = open_for(*g, *vmid, *rc);
            if (!ct)
                return;
            auto mounted = ct->mount();
            if (!mounted) {
                // Proxmox's mount_all warns before it dies (everything is unmounted again).
                if (mounted.error().code != Errc::bad_state || mounted.error().key != "lock")
                    std::cerr << "mounting container failed\n";
                *rc = report(mounted.error());
                return;
            }
            for (const auto& w : mounted->warnings)
                std::cerr << "WARN: " << w << '\n';
            std::cout << "mounted CT " << ct->vmid().value << " in '" << mounted->path << "'\n";
            *rc = 0;
        });
    }
    {
        auto vmid = std::make_shared<std::uint64_t>(0);
        auto* cmd = app.add_subcommand("unmount", "Unmount the container's filesystem.");
        cmd->add_option("vmid", *vmid, "The (unique) ID of the VM")->required();
        cmd->callback([=] {
            auto ct = open_for(*g, *vmid, *rc);
            if (!ct)
                return;
            auto ok = ct->unmount();
            *rc = ok ? 0 : report(ok.error());
        });
    }
}

} // namespace pct::cli
