// SPDX-License-Identifier: AGPL-3.0-or-later
// `pct fsck` (storage.md §6.5, pve-container CLI/pct.pm fsck): on the raw image or block
// device of a stopped container.
#include "volume_common.hpp"

#include <pct/internal/command.hpp>
#include <pct/runtime/volumes.hpp>
#include <pct/storage/storages.hpp>

#include <fmt/format.h>

#include <cerrno>
#include <cstring>

#include <sys/stat.h>

namespace pct::runtime {

Result<std::string> fsck(const storage::Host& host, Vmid vmid, const FsckOptions& options) {
    auto locked = detail::lock_config(host, vmid);
    if (!locked)
        return std::unexpected(std::move(locked).error());
    auto mp = detail::mount_entry(
        locked->doc.config(), options.device,
        fmt::format("cannot run command on non-existing mount point {}", options.device));
    if (!mp)
        return std::unexpected(std::move(mp).error());
    if (detail::running_pid(host, vmid) > 0)
        return fail(Errc::bad_state, "cannot run fsck when container is running");

    std::string path;
    std::optional<storage::Storages> storages;
    if (mp->kind() == VolumeKind::volume) {
        auto loaded = storage::Storages::load(host);
        if (!loaded)
            return std::unexpected(std::move(loaded).error());
        storages.emplace(std::move(*loaded));
        auto volume = storages->parse_volume(mp->volume);
        if (!volume)
            return std::unexpected(std::move(volume).error());
        if (volume->format != storage::VolumeFormat::raw)
            return fail(Errc::unsupported,
                        fmt::format("unable to run fsck for '{}' (format == {})", mp->volume,
                                    storage::format_name(volume->format)),
                        {.key = options.device});
        auto p = storages->path(mp->volume);
        if (!p)
            return std::unexpected(std::move(p).error());
        path = std::move(*p);
    } else {
        // A host path of the config, under the host root like every path in it.
        path = host.host_path(mp->volume);
        struct stat st {};
        if (::stat(path.c_str(), &st) != 0 || !S_ISBLK(st.st_mode))
            return fail(Errc::invalid_argument,
                        fmt::format("path '{}' does not point to a block device", mp->volume),
                        {.key = options.device});
    }
    std::vector<std::string> argv{"fsck", "-a", "-l"};
    if (options.force)
        argv.emplace_back("-f");
    argv.push_back(path);
    auto out = internal::run_command(argv);
    if (!out)
        return std::unexpected(std::move(out).error());
    return out->out + out->err;
}

} // namespace pct::runtime
