// SPDX-License-Identifier: AGPL-3.0-or-later
// `pct resize` (storage.md §6.1, pve-container API2/LXC.pm resize_vm): the checks, the storage
// step, `size=` written before the file system is grown, then ext4 grown offline (stopped) or
// online through the loop device the running container has (found as Proxmox does).
#include "mount.hpp"
#include "volume_common.hpp"
#include "volume_rules.hpp"

#include <pct/internal/command.hpp>
#include <pct/runtime/volumes.hpp>
#include <pct/storage/storages.hpp>

#include <fmt/format.h>

namespace pct::runtime {

namespace {

// Grows the ext4 file system of the raw image `image` to the image's new size. Running: the
// loop device the container mounted is told the new capacity, then the file system is
// mounted once more in a private mount namespace and grown online (resize2fs needs it
// mounted); the extra mount dies with that namespace. Stopped: checked and grown on the file.
Result<void> grow_ext4(const std::string& image, bool running) {
    if (running) {
        // Loop devices are global: the one the container's private mount namespace uses is
        // listed here too (Proxmox: `losetup --associated`).
        auto loops = detail::loops_of(image);
        if (loops.empty())
            return fail(Errc::bad_state,
                        "internal error: CT running but mount point not attached to a loop device");
        const std::string& loop = loops.front();
        if (auto ok = internal::run_command({"losetup", "--set-capacity", loop}); !ok)
            return std::unexpected(std::move(ok).error());
        // The device is passed as $1, never spliced into the script.
        auto ok = internal::run_command({"unshare", "-m", "--", "sh", "-c",
                                         "mount --make-rprivate / && mount \"$1\" /tmp && "
                                         "resize2fs \"$1\"",
                                         "sh", loop});
        if (!ok)
            return std::unexpected(std::move(ok).error());
        return {};
    }
    if (auto ok = internal::run_command({"e2fsck", "-f", "-y", image}); !ok)
        return std::unexpected(std::move(ok).error());
    if (auto ok = internal::run_command({"resize2fs", image}); !ok)
        return std::unexpected(std::move(ok).error());
    return {};
}

} // namespace

Result<ResizeReport> resize(const storage::Host& host, Vmid vmid, std::string_view disk,
                            std::string_view size, const ResizeOptions& options) {
    auto request = detail::parse_size_request(size);
    if (!request)
        return std::unexpected(std::move(request).error());
    auto locked = detail::lock_config(host, vmid, options.digest);
    if (!locked)
        return std::unexpected(std::move(locked).error());
    if (auto ok = check_lock(locked->doc.config(), LockedOp::resize); !ok)
        return std::unexpected(std::move(ok).error());
    auto mp = detail::mount_entry(locked->doc.config(), disk,
                                  fmt::format("disk '{}' does not exist", disk));
    if (!mp)
        return std::unexpected(std::move(mp).error());
    if (mp->kind() != VolumeKind::volume)
        return fail(Errc::invalid_argument,
                    fmt::format("unable to parse volume ID '{}'", mp->volume),
                    {.key = std::string(disk)});

    auto storages = storage::Storages::load(host);
    if (!storages)
        return std::unexpected(std::move(storages).error());
    auto volume = storages->parse_volume(mp->volume);
    if (!volume)
        return std::unexpected(std::move(volume).error());
    if (volume->owner != vmid)
        return fail(Errc::invalid_argument,
                    fmt::format("can't resize mount point owned by another container ({})",
                                volume->owner ? volume->owner->value : 0),
                    {.key = std::string(disk)});
    auto path = storages->path(mp->volume);
    if (!path)
        return std::unexpected(std::move(path).error());
    auto current = storages->size(mp->volume);
    if (!current)
        return fail(Errc::io,
                    fmt::format("Could not determine current size of volume '{}'", mp->volume),
                    {.key = std::string(disk)});
    auto target = detail::resize_target(*request, current->size);
    if (!target)
        return std::unexpected(std::move(target).error());
    if (auto ok = storages->resize(mp->volume, *target); !ok)
        return std::unexpected(std::move(ok).error());

    // The config names the new size before the file system is grown, as in Proxmox: a failed
    // grow leaves a config that is right about the volume.
    mp->size = *target;
    if (auto ok = detail::set_mount_entry(locked->doc, disk, *mp); !ok)
        return std::unexpected(std::move(ok).error());
    if (auto ok = locked->commit(); !ok)
        return std::unexpected(std::move(ok).error());

    ResizeReport report{.new_size = *target, .warnings = {}};
    if (current->format == storage::VolumeFormat::raw) {
        bool running = detail::running_pid(host, vmid) > 0;
        if (auto ok = grow_ext4(*path, running); !ok)
            report.warnings.push_back(
                fmt::format("Failed to update the container's filesystem: {}", ok.error().message));
    }
    return report;
}

} // namespace pct::runtime
