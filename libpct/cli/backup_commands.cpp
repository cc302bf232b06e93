// SPDX-License-Identifier: AGPL-3.0-or-later
// `pct backup CTID [...]`: vzdump's options for one container (vzdump-format.md §1-§3). The
// log lines (`INFO: ...`) go to stdout as vzdump prints them, progress to stderr; a failure
// prints the error and exits 255.
#include "bool_option.hpp"
#include "commands.hpp"
#include "progress_line.hpp"

#include <pct/runtime/backup.hpp>
#include <pct/storage/host.hpp>

#include <iostream>
#include <memory>

namespace pct::cli {

namespace {

struct BackupArgs {
    std::uint64_t vmid = 0;
    std::string storage, dumpdir, mode = "snapshot", compress = "0", notes_template, tmpdir;
    unsigned zstd = 1;
    std::vector<std::string> exclude_paths;
    std::uint64_t bwlimit = 0;
    bool quiet = false;
};

} // namespace

void register_backup_commands(CLI::App& app, const Globals& globals, int& exit_code) {
    const Globals* g = &globals;
    int* rc = &exit_code;
    auto a = std::make_shared<BackupArgs>();
    auto stdexcludes = std::make_shared<BoolOpt>();
    auto protect = std::make_shared<BoolOpt>();
    auto remove = std::make_shared<BoolOpt>();
    auto* cmd = app.add_subcommand(
        "backup", "Create a vzdump backup archive of a container (vzdump's options for one CT).");
    cmd->add_option("vmid", a->vmid, "The (unique) ID of the VM")->required();
    cmd->add_option("--storage", a->storage, "Store resulting file to this storage.");
    cmd->add_option("--dumpdir", a->dumpdir, "Store resulting files to specified directory.");
    cmd->add_option("--mode", a->mode, "Backup mode: snapshot (default), suspend or stop.");
    cmd->add_option("--compress", a->compress, "Compress dump file: 0, 1 (lzo), gzip, lzo, zstd.");
    cmd->add_option("--zstd", a->zstd,
                    "Zstd threads. N=0 uses half of the available cores (default 1).");
    cmd->add_option("--exclude-path", a->exclude_paths,
                    "Exclude certain files/directories (shell globs). Paths starting with '/' "
                    "are anchored to the container's root, other paths match relative to each "
                    "subdirectory.")
        ->take_first()
        ->allow_extra_args(false);
    add_bool(cmd, "--stdexcludes", *stdexcludes, "Exclude temporary files and logs.", true);
    cmd->add_option("--notes-template", a->notes_template,
                    "Template string for generating notes for the backup(s). Variables "
                    "{{cluster}}, {{guestname}}, {{node}}, {{vmid}}; needs --storage.");
    add_bool(cmd, "--protected", *protect,
             "If true, mark backup(s) as protected (needs --storage).");
    add_bool(cmd, "--remove", *remove,
             "Prune older backups according to the storage's prune-backups.", true);
    cmd->add_option("--tmpdir", a->tmpdir, "Store temporary files to specified directory.");
    cmd->add_option("--bwlimit", a->bwlimit, "Limit I/O bandwidth (in KiB/s).");
    add_quiet_option(cmd, a->quiet);
    cmd->callback([=] {
        auto vmid = storage::Host::check_vmid(a->vmid);
        if (!vmid) {
            *rc = report(vmid.error());
            return;
        }
        runtime::BackupOptions o;
        if (!a->storage.empty())
            o.storage = a->storage;
        if (!a->dumpdir.empty())
            o.dumpdir = a->dumpdir;
        auto mode = runtime::parse_backup_mode(a->mode);
        if (!mode) {
            *rc = report(mode.error());
            return;
        }
        o.mode = *mode;
        auto compress = storage::parse_compression(a->compress);
        if (!compress) {
            *rc = report(compress.error());
            return;
        }
        o.compress = *compress;
        o.zstd_threads = a->zstd;
        o.exclude_paths = a->exclude_paths;
        o.stdexcludes = stdexcludes->value();
        // vzdump drops --notes-template and --protected for a --dumpdir (§1.2)
        if (!a->notes_template.empty())
            o.notes_template = a->notes_template;
        o.protect = protect->value();
        o.remove = remove->value();
        if (!a->tmpdir.empty())
            o.tmpdir = a->tmpdir;
        o.bwlimit_kib = a->bwlimit;
        o.progress = progress_printer(a->quiet);
        o.log = [](std::string_view line) { std::cout << line << '\n' << std::flush; };
        auto r = runtime::backup(storage::Host(g->root), *vmid, o);
        *rc = r ? 0 : report(r.error());
    });
}

} // namespace pct::cli
