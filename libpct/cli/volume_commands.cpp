// SPDX-License-Identifier: AGPL-3.0-or-later
// `pct resize|move-volume|rescan|df|fsck|fstrim`: the volume operations of storage.md §6 with
// Proxmox's arguments and output. Warnings go to stderr as "WARN: ..."; a failure prints
// Proxmox's message and exits 255.
#include "bool_option.hpp"
#include "commands.hpp"
#include "output_format.hpp"
#include "progress_line.hpp"

#include <pct/runtime/volumes.hpp>
#include <pct/storage/host.hpp>

#include <iostream>
#include <memory>

namespace pct::cli {

namespace {

struct Args {
    std::uint64_t vmid = 0;
    std::string disk;
    std::string size;
    std::string digest;
    std::string storage;
    std::string storage_arg; ///< the positional spelling of --storage
    std::uint64_t target_vmid = 0;
    std::uint64_t target_vmid_arg = 0; ///< the positional spelling of --target-vmid
    std::string target_volume;
    std::string target_volume_arg; ///< the positional spelling of --target-volume
    std::string target_digest;
    std::uint64_t bwlimit = 0;
    std::string device;
};

void warn_all(const std::vector<std::string>& warnings) {
    for (const auto& w : warnings)
        std::cerr << "WARN: " << w << '\n';
}

std::optional<std::string> optional_text(const std::string& s) {
    return s.empty() ? std::nullopt : std::optional<std::string>(s);
}

// Runs `op` with the checked CTID, or reports why the CTID is bad.
template <class Op> int with_vmid(std::uint64_t id, Op&& op) {
    auto vmid = storage::Host::check_vmid(id);
    if (!vmid)
        return report(vmid.error());
    return op(*vmid);
}

// `pct df` has no API call in Proxmox (pct.pm computes it locally): its table's columns as
// fields, sizes in bytes, `use` the fraction the table prints as Use%.
nlohmann::json api_df(const std::vector<runtime::DfRow>& rows) {
    nlohmann::json out = nlohmann::json::array();
    for (const runtime::DfRow& r : rows)
        out.push_back({{"mp", r.key},
                       {"volume", r.volume},
                       {"size", r.total},
                       {"used", r.used},
                       {"avail", r.avail},
                       {"use", r.total ? api_number(static_cast<double>(r.used) /
                                                    static_cast<double>(r.total))
                                       : nlohmann::json(0)},
                       {"path", r.path}});
    return out;
}

} // namespace

void register_volume_commands(CLI::App& app, const Globals& globals, int& exit_code) {
    const Globals* g = &globals;
    int* rc = &exit_code;

    {
        auto a = std::make_shared<Args>();
        auto* cmd = app.add_subcommand("resize", "Resize a container mount point.");
        cmd->add_option("vmid", a->vmid, "The (unique) ID of the VM")->required();
        cmd->add_option("disk", a->disk, "The disk you want to resize (rootfs, mp0, ...)")
            ->required();
        cmd->add_option("size", a->size,
                        "The new size. With the '+' sign the value is added to the actual size "
                        "of the volume and without it, the value is taken as an absolute one. "
                        "Shrinking disk size is not supported.")
            ->required();
        cmd->add_option("--digest", a->digest,
                        "Prevent changes if current configuration file has a different SHA1 "
                        "digest.");
        cmd->callback([=] {
            *rc = with_vmid(a->vmid, [&](Vmid vmid) {
                auto r = runtime::resize(storage::Host(g->root), vmid, a->disk, a->size,
                                         {.digest = optional_text(a->digest)});
                if (!r)
                    return report(r.error());
                warn_all(r->warnings);
                return 0;
            });
        });
    }
    {
        auto a = std::make_shared<Args>();
        auto del = std::make_shared<BoolOpt>();
        auto* cmd = app.add_subcommand(
            "move-volume", "Move a rootfs-/mp-volume to a different storage or to a different "
                           "container.");
        cmd->alias("move_volume");
        cmd->add_option("vmid", a->vmid, "The (unique) ID of the VM")->required();
        cmd->add_option("volume", a->disk, "Volume which will be moved (rootfs, mp0, ...)")
            ->required();
        // Proxmox's positionals `[<storage>] [<target-vmid>] [<target-volume>]`, each also an
        // option (pct.pm's cmddef; an empty storage word skips to the target CT).
        cmd->add_option("storage", a->storage_arg, "Target Storage.");
        cmd->add_option("target-vmid", a->target_vmid_arg, "The (unique) ID of the VM");
        cmd->add_option("target-volume", a->target_volume_arg,
                        "The config key the volume will be moved to.");
        cmd->add_option("--storage", a->storage, "Target Storage.");
        cmd->add_option("--target-vmid", a->target_vmid, "The (unique) ID of the VM");
        cmd->add_option("--target-volume", a->target_volume,
                        "The config key the volume will be moved to.");
        cmd->add_option("--digest", a->digest,
                        "Prevent changes if current configuration file "
                        "has a different SHA1 digest.");
        cmd->add_option("--target-digest", a->target_digest,
                        "Prevent changes if the current config file of the target container "
                        "has a different SHA1 digest.");
        cmd->add_option("--bwlimit", a->bwlimit, "Override I/O bandwidth limit (in KiB/s).");
        add_bool(cmd, "--delete", *del, "Delete the original volume after successful copy.");
        auto quiet = std::make_shared<bool>(false);
        add_quiet_option(cmd, *quiet);
        cmd->callback([=] {
            *rc = with_vmid(a->vmid, [&](Vmid vmid) {
                runtime::MoveVolumeOptions o;
                o.storage = optional_text(a->storage.empty() ? a->storage_arg : a->storage);
                if (std::uint64_t id = a->target_vmid ? a->target_vmid : a->target_vmid_arg) {
                    auto target = storage::Host::check_vmid(id);
                    if (!target)
                        return report(target.error());
                    o.target_vmid = *target;
                }
                o.target_volume = optional_text(a->target_volume.empty() ? a->target_volume_arg
                                                                         : a->target_volume);
                o.delete_source = del->value();
                o.digest = optional_text(a->digest);
                o.target_digest = optional_text(a->target_digest);
                o.bwlimit_kib = a->bwlimit;
                o.progress = progress_printer(*quiet);
                auto r = runtime::move_volume(storage::Host(g->root), vmid, a->disk, o);
                if (!r)
                    return report(r.error());
                warn_all(r->warnings);
                return 0;
            });
        });
    }
    {
        auto a = std::make_shared<Args>();
        auto dryrun = std::make_shared<BoolOpt>();
        auto* cmd = app.add_subcommand(
            "rescan", "Rescan all storages and update disk sizes and unused disk images.");
        cmd->add_option("--vmid", a->vmid, "The (unique) ID of the VM");
        add_bool(cmd, "--dryrun", *dryrun,
                 "Do not actually write changes out to container configs.");
        cmd->callback([=] {
            runtime::RescanOptions o;
            o.dryrun = dryrun->value();
            if (a->vmid) {
                auto vmid = storage::Host::check_vmid(a->vmid);
                if (!vmid) {
                    *rc = report(vmid.error());
                    return;
                }
                o.vmid = *vmid;
            }
            auto r = runtime::rescan(storage::Host(g->root), o);
            if (!r) {
                *rc = report(r.error());
                return;
            }
            for (const auto& line : *r)
                std::cout << line << '\n';
        });
    }
    {
        auto a = std::make_shared<Args>();
        auto format = std::make_shared<OutputFormat>(OutputFormat::text);
        auto* cmd = app.add_subcommand("df", "Get the container's current disk usage.");
        cmd->add_option("vmid", a->vmid, "The (unique) ID of the VM")->required();
        add_output_format(cmd, *format);
        cmd->callback([=] {
            *rc = with_vmid(a->vmid, [&](Vmid vmid) {
                auto r = runtime::df(storage::Host(g->root), vmid);
                if (!r)
                    return report(r.error());
                if (*format != OutputFormat::text)
                    std::cout << render_data(api_df(*r), *format);
                else
                    std::cout << runtime::format_df(*r);
                return 0;
            });
        });
    }
    {
        auto a = std::make_shared<Args>();
        auto force = std::make_shared<BoolOpt>();
        auto* cmd = app.add_subcommand("fsck", "Run a filesystem check (fsck) on a container "
                                               "volume.");
        cmd->add_option("vmid", a->vmid, "The (unique) ID of the VM")->required();
        cmd->add_option("--device", a->device, "A volume on which to run the filesystem check")
            ->check(CLI::IsMember([] {
                std::vector<std::string> keys{"rootfs"};
                for (int i = 0; i < 256; ++i)
                    keys.push_back("mp" + std::to_string(i));
                return keys;
            }()));
        add_bool(cmd, "--force", *force, "Force checking, even if the filesystem seems clean");
        cmd->callback([=] {
            *rc = with_vmid(a->vmid, [&](Vmid vmid) {
                runtime::FsckOptions o;
                if (!a->device.empty())
                    o.device = a->device;
                o.force = force->value();
                auto r = runtime::fsck(storage::Host(g->root), vmid, o);
                if (!r)
                    return report(r.error());
                std::cout << *r;
                return 0;
            });
        });
    }
    {
        auto a = std::make_shared<Args>();
        auto ignore = std::make_shared<BoolOpt>();
        auto* cmd = app.add_subcommand(
            "fstrim", "Run fstrim on a chosen CT and its mountpoints, except bind or read-only "
                      "mountpoints.");
        cmd->add_option("vmid", a->vmid, "The (unique) ID of the VM")->required();
        add_bool(cmd, "--ignore-mountpoints", *ignore,
                 "Skip all mountpoints, only do fstrim on "
                 "the container root.");
        cmd->callback([=] {
            *rc = with_vmid(a->vmid, [&](Vmid vmid) {
                auto r = runtime::fstrim(storage::Host(g->root), vmid,
                                         {.ignore_mountpoints = ignore->value()});
                if (!r)
                    return report(r.error());
                for (const auto& line : *r)
                    std::cout << line;
                return 0;
            });
        });
    }
}

} // namespace pct::cli
