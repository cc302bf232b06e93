// SPDX-License-Identifier: AGPL-3.0-or-later
// Proxmox's copy_volume (storage.md §6.2): the new volume as alloc_disk makes it, then rsync
// between the two mounted read-only / read-write in a private mount namespace.
#include "volume_copy.hpp"
#include "rsync_progress.hpp"

#include <pct/internal/command.hpp>
#include <pct/storage/atomic_file.hpp>

#include <fmt/format.h>

#include <cerrno>
#include <string_view>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace pct::runtime::detail {

namespace {

// Copies the file tree of volume `from` (read-only) into the new volume `to`, both mounted in a
// mount namespace of their own under `<ct_dir>/.copy-volume-{2,1}` (Proxmox's places), which
// takes the mounts (and the loop devices, auto-cleared) with it when rsync is done.
// A raw snapshot is mounted `ro,noload` as Proxmox mounts snapshots (§7.2): a snapshot of a
// running CT's image has an unreplayed journal, which a read-only mount must not replay.
Result<void> copy_tree(const storage::Host& host, Vmid vmid, const std::string& from,
                       storage::VolumeFormat from_format, bool from_snapshot, const std::string& to,
                       storage::VolumeFormat to_format, std::uint64_t bwlimit_kib,
                       const ProgressFn& progress) {
    std::string dest = host.ct_dir(vmid) + "/.copy-volume-1";
    std::string src = host.ct_dir(vmid) + "/.copy-volume-2";
    // A host root fresh from a storage.cfg may have no lxcpath yet (a clone before any start).
    if (auto made = storage::make_dirs(host.ct_dir(vmid)); !made)
        return made;
    for (const auto& dir : {dest, src})
        if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST)
            return std::unexpected(storage::io_error("mkdir", dir, errno));
    const char* script =
        "set -e\n"
        "if [ \"$1\" = raw ]; then mount -o \"ro,loop$8\" \"$2\" \"$3\"; "
        "else mount --bind \"$2\" \"$3\"; mount -o remount,bind,ro \"$3\"; fi\n"
        "if [ \"$4\" = raw ]; then mount -o loop \"$5\" \"$6\"; else mount --bind \"$5\" \"$6\"; "
        "fi\n"
        "from=$3 to=$6 bwlimit=$7\n"
        "shift 8\n"
        "rsync --stats -X -A --numeric-ids -aH --whole-file --sparse --one-file-system "
        "--bwlimit=\"$bwlimit\" \"$@\" \"$from/\" \"$to\"\n";
    auto kind = [](storage::VolumeFormat f) {
        return f == storage::VolumeFormat::raw ? std::string("raw") : std::string("subvol");
    };
    std::vector<std::string> argv{"unshare", "-m", "--propagation", "slave", "--",
                                  "sh",      "-c", script,          "sh"};
    argv.insert(argv.end(), {kind(from_format), from, src, kind(to_format), to, dest,
                             std::to_string(bwlimit_kib), from_snapshot ? ",noload" : ""});
    // Without inc-recursive rsync knows the whole transfer's size before it sends, so its
    // percentage (hence the total) is right from the first report.
    if (progress)
        argv.insert(argv.end(), {"--info=progress2", "--no-inc-recursive"});
    ProgressMeter meter(progress, "copy");
    RsyncProgressFeed feed(meter);
    auto copied = internal::run_command(argv, {}, [&](std::string_view chunk) { feed(chunk); });
    if (copied)
        meter.finish();
    ::rmdir(dest.c_str());
    ::rmdir(src.c_str());
    if (!copied)
        return std::unexpected(std::move(copied).error());
    return {};
}

} // namespace

Error not_copyable(const MountPoint& mp, std::string_view key) {
    return error(Errc::invalid_argument,
                 fmt::format("cannot copy volumes of type {}",
                             mp.kind() == VolumeKind::bind ? "bind" : "device"),
                 {.key = std::string(key)});
}

Result<std::string> copy_volume(const storage::Host& host, storage::Storages& storages,
                                const VolumeCopy& copy) {
    auto source = storages.parse_volume(copy.volid);
    if (!source)
        return std::unexpected(std::move(source).error());
    if (copy.snap && source->format == storage::VolumeFormat::subvol) {
        auto entry = storages.entry(source->storage);
        return fail(Errc::unsupported,
                    fmt::format("cannot mount subvol snapshots for storage type '{}'",
                                entry ? (*entry)->type : std::string("?")));
    }
    auto size = storages.size(copy.volid);
    if (!size)
        return std::unexpected(std::move(size).error());
    auto from = storages.path(copy.volid, copy.snap);
    if (!from)
        return std::unexpected(std::move(from).error());
    auto made = storage::alloc_ct_disk(storages, copy.vmid, copy.target_storage, size->size / 1024,
                                       copy.root.uid, copy.root.gid);
    if (!made)
        return std::unexpected(std::move(made).error());
    auto filled = [&]() -> Result<void> {
        auto made_ref = storages.parse_volume(*made);
        if (!made_ref)
            return std::unexpected(std::move(made_ref).error());
        auto to = storages.path(*made);
        if (!to)
            return std::unexpected(std::move(to).error());
        return copy_tree(host, copy.vmid, *from, source->format, copy.snap.has_value(), *to,
                         made_ref->format, copy.bwlimit_kib, copy.progress);
    }();
    if (!filled) {
        (void)storages.free(*made);
        return std::unexpected(std::move(filled).error());
    }
    return *made;
}

} // namespace pct::runtime::detail
