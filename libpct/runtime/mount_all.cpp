// SPDX-License-Identifier: AGPL-3.0-or-later
// mount_all / umount_all (§4.8-4.9): every mount point of a container under
// `<ct_dir>/rootfs`, in key order, and back.
#include "mount.hpp"
#include "mountinfo.hpp"

#include "pct/internal/keys.hpp"

#include <pct/parse/properties.hpp>
#include <pct/storage/atomic_file.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <set>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace pct::runtime::detail {

namespace {

/// The mount points of the calling thread's mount namespace: the thread's, as a hot-plug runs
/// on a thread with a namespace of its own.
std::set<std::string> mounted_paths() {
    std::set<std::string> out;
    for (auto& m : read_mountinfo("/proc/thread-self/mountinfo"))
        out.insert(std::move(m.mount_point));
    return out;
}

std::string join_path(const std::string& root, std::string_view mp) {
    std::string joined = root + "/" + std::string(mp);
    std::string out;
    for (char c : joined) {
        if (c == '/' && !out.empty() && out.back() == '/')
            continue;
        out += c;
    }
    while (out.size() > 1 && out.back() == '/')
        out.pop_back();
    return out;
}

/// Mounts `mp` on a staging directory, clones it, id-maps the clone and moves it onto target.
Result<void> mount_idmapped(const storage::Host& host, Vmid vmid, const std::string& key,
                            const MountPoint& mp, const WalkedDir& target, bool ro_off,
                            const IdMap& id_map, std::vector<std::string>& warnings) {
    auto stage = staging_dir(host, key);
    if (!stage)
        return std::unexpected(std::move(stage).error());
    auto staged = walk_nofollow(*stage, "", false);
    if (!staged)
        return std::unexpected(std::move(staged).error());
    if (auto ok = mount_volume(host, vmid, key, mp, *staged, ro_off, warnings); !ok)
        return ok;
    UniqueFd tree(static_cast<int>(
        ::syscall(SYS_open_tree, AT_FDCWD, stage->c_str(), OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC)));
    if (tree.get() < 0)
        return fail(Errc::io,
                    fmt::format("open_tree() on mount point failed: {}", std::strerror(errno)),
                    {.context = *stage, .key = key, .sys_errno = errno});
    auto map = resolve_mount_idmap(mp, id_map.entries);
    auto ns = user_namespace_for(map);
    if (!ns) {
        Error e = std::move(ns).error();
        e.key = key;
        return std::unexpected(std::move(e));
    }
    mount_attr attr{};
    attr.attr_set = MOUNT_ATTR_IDMAP;
    attr.userns_fd = static_cast<__u64>(ns->get());
    if (::syscall(SYS_mount_setattr, tree.get(), "", AT_EMPTY_PATH, &attr, sizeof attr) != 0)
        return fail(Errc::io, fmt::format("mount_setattr: {}", std::strerror(errno)),
                    {.context = target.path, .key = key, .sys_errno = errno});
    if (::syscall(SYS_move_mount, tree.get(), "", target.fd.get(), "",
                  MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) != 0)
        return fail(Errc::io,
                    fmt::format("failed to move '{}' into container hierarchy: {}", key,
                                std::strerror(errno)),
                    {.context = target.path, .key = key, .sys_errno = errno});
    return {};
}

} // namespace

Result<void> keep_attrs(const WalkedDir& target, const struct stat& before) {
    if (target.parent.get() < 0)
        return {};
    UniqueFd root(::openat(target.parent.get(), target.last.c_str(),
                           O_RDONLY | O_NOFOLLOW | O_DIRECTORY | O_CLOEXEC));
    if (root.get() < 0 || ::fchown(root.get(), before.st_uid, before.st_gid) != 0)
        return fail(
            Errc::io,
            fmt::format("failed to propagate uid and gid to mountpoint: {}", std::strerror(errno)),
            {.context = target.path, .sys_errno = errno});
    if (::fchmod(root.get(), before.st_mode & 07777) != 0)
        return fail(
            Errc::io,
            fmt::format("failed to propagate access mode to mountpoint: {}", std::strerror(errno)),
            {.context = target.path, .sys_errno = errno});
    return {};
}

Result<std::string> staging_dir(const storage::Host& host, const std::string& key) {
    std::string base = host.lxcpath() + "/.pve-staged-mounts";
    if (auto ok = storage::make_dirs(base); !ok)
        return std::unexpected(std::move(ok).error());
    if (!mounted_paths().contains(base) &&
        ::mount("tmpfs", base.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, "size=8k,mode=755") != 0)
        return fail(Errc::io,
                    fmt::format("cannot mount the staging tmpfs: {}", std::strerror(errno)),
                    {.context = base, .sys_errno = errno});
    std::string dir = base + "/" + key;
    if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST)
        return std::unexpected(storage::io_error("mkdir", dir, errno));
    return dir;
}

std::vector<KeyedMountPoint> mount_points_in_order(const ContainerSettings& settings) {
    std::vector<KeyedMountPoint> out;
    if (settings.rootfs)
        out.push_back({"rootfs", *settings.rootfs});
    for (const auto& [index, mp] : settings.mp) // std::map: index order
        out.push_back({fmt::format("mp{}", index), mp});
    return out;
}

std::string rootfs_mount_path(const storage::Host& host, Vmid vmid) {
    return host.ct_dir(vmid) + "/rootfs";
}

Result<std::string> mount_all(const storage::Host& host, Vmid vmid,
                              const ContainerSettings& settings, const MountAllOptions& options,
                              std::vector<std::string>& warnings) {
    std::string rootdir = rootfs_mount_path(host, vmid);
    if (auto ok = storage::make_dirs(rootdir); !ok)
        return std::unexpected(std::move(ok).error());
    auto points = mount_points_in_order(settings);
    if (points.empty() || points.front().key != "rootfs")
        return fail(Errc::invalid_argument, "missing 'rootfs' configuration",
                    {.context = host.config_path(vmid), .key = "rootfs"});
    auto owner = options.id_map.chown_to();
    auto mount_one = [&](const KeyedMountPoint& point) -> Result<void> {
        std::string_view sub =
            point.key == "rootfs" ? std::string_view() : std::string_view(*point.mp.mp);
        auto target = walk_nofollow(rootdir, sub, true, owner);
        if (!target) {
            Error e = std::move(target).error();
            e.key = point.key;
            return std::unexpected(std::move(e));
        }
        struct stat before {};
        ::fstat(target->fd.get(), &before);
        bool wants_idmap = point.mp.idmap_passthrough.value_or(false) || !point.mp.idmap.empty();
        if (options.at_start && wants_idmap && options.id_map.empty())
            warnings.push_back(fmt::format(
                "'{}' - ignoring 'idmap' option unsupported by privileged container", point.key));
        Result<void> ok = options.at_start && wants_idmap && !options.id_map.empty()
                              ? mount_idmapped(host, vmid, point.key, point.mp, *target,
                                               options.ignore_ro, options.id_map, warnings)
                              : mount_volume(host, vmid, point.key, point.mp, *target,
                                             options.ignore_ro, warnings);
        if (!ok)
            return ok;
        if (options.at_start && point.mp.keepattrs.value_or(false))
            if (auto kept = keep_attrs(*target, before); !kept) {
                Error e = std::move(kept).error();
                e.key = point.key;
                return std::unexpected(std::move(e));
            }
        return {};
    };
    for (const auto& point : points) {
        if (point.key != "rootfs" && !point.mp.mp)
            continue; // an mpN without a path does not parse in Proxmox (noerr: skipped)
        if (auto ok = mount_one(point); !ok) {
            warnings.emplace_back("mounting container failed");
            (void)umount_all(host, vmid, settings, true, warnings);
            Error e = std::move(ok).error();
            if (e.context.empty())
                e.context = host.config_path(vmid);
            return std::unexpected(std::move(e));
        }
    }
    return rootdir;
}

Result<void> umount_below(const std::string& path) {
    std::vector<std::string> below;
    for (const auto& m : mounted_paths())
        if (m == path || m.starts_with(path + "/"))
            below.push_back(m);
    std::sort(below.rbegin(), below.rend()); // a child sorts after its parent
    for (const auto& m : below)
        if (::umount2(m.c_str(), UMOUNT_NOFOLLOW) != 0 && errno != EINVAL)
            return fail(Errc::io, fmt::format("unable to umount '{}': {}", m, std::strerror(errno)),
                        {.context = m, .sys_errno = errno});
    return {};
}

Result<bool> umount_all(const storage::Host& host, Vmid vmid, const ContainerSettings& settings,
                        bool noerr, std::vector<std::string>& warnings) {
    std::string rootdir = rootfs_mount_path(host, vmid);
    auto points = mount_points_in_order(settings);
    bool all_ok = true;
    for (auto it = points.rbegin(); it != points.rend(); ++it) {
        std::string path =
            it->key == "rootfs" ? rootdir : (it->mp.mp ? join_path(rootdir, *it->mp.mp) : "");
        if (path.empty())
            continue;
        // Everything mounted at or below this mount point, deepest first (`umount -d` of one
        // path in Proxmox; what a container or user stacked on it must go first).
        auto mounted = mounted_paths();
        std::vector<std::string> below;
        for (const auto& m : mounted)
            if (m == path || m.starts_with(path + "/"))
                below.push_back(m);
        std::sort(below.rbegin(), below.rend());
        for (const auto& m : below) {
            if (::umount2(m.c_str(), UMOUNT_NOFOLLOW) == 0)
                continue;
            int err = errno;
            std::string message = fmt::format("unable to umount '{}': {}", m, std::strerror(err));
            if (!noerr)
                return fail(Errc::io, std::move(message),
                            {.context = m, .key = it->key, .sys_errno = err});
            warnings.push_back(std::move(message));
            all_ok = false;
        }
    }
    return all_ok;
}

} // namespace pct::runtime::detail
