// SPDX-License-Identifier: AGPL-3.0-or-later
// A new `mpN` in a running container (storage.md §4.10, Proxmox's mountpoint_hotplug): the
// volume is mounted on a staging directory in a private copy of the host's mount namespace
// (mount_volume: the start's own resolution, options and checks), cloned as a detached tree,
// id-mapped with the container's own user namespace for `idmap=passthrough`, then moved onto
// its target, walked without following symlinks from the root of the container's own mount
// namespace. All of it runs on a thread of its own (unshare(CLONE_NEWNS) gives it its own fs
// state, which setns into a mount namespace needs); the caller's threads never change
// namespace, and the staging mount goes with the thread's namespace.
//
// Refused with the reason (left pending): a changed or deleted existing mpN, a volume still to
// be allocated (`STORAGE:SIZE`), a per-mount id map other than `passthrough` in an
// unprivileged container (it needs a user namespace made for it, which only a fork can make).
#include "create_disks.hpp"
#include "hotplug_impl.hpp"
#include "impl.hpp"
#include "mount.hpp"

#include <pct/parse/properties.hpp>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <linux/mount.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <thread>
#include <unistd.h>

namespace pct::runtime::detail {

namespace {

/// The new mount point and what mounting it needs.
struct NewMount {
    MountPoint mp;
    IdMap id_map;
    bool passthrough = false; ///< id-mapped with the container's own user namespace
};

Result<NewMount> plan_mount(const LiveContainer& ct, std::string_view key,
                            std::optional<std::string_view> next) {
    std::string k(key);
    if (!next)
        return fail(Errc::unsupported,
                    fmt::format("removing {} from a running CT is applied at the next start", key),
                    {.key = k});
    if (ct.config.main.get(key))
        return fail(Errc::unsupported,
                    fmt::format("changing the existing {} of a running CT is applied at the next "
                                "start",
                                key),
                    {.key = k});
    auto mp = parse::mount_point(*next);
    if (!mp)
        return std::unexpected(with_key(std::move(mp).error(), k));
    if (!mp->mp)
        return fail(Errc::invalid_argument, fmt::format("{}: missing mount point path", key),
                    {.key = k, .subkey = "mp"});
    if (is_volume_request(mp->volume))
        return fail(
            Errc::unsupported,
            fmt::format("the new volume of {} is allocated and mounted at the next start", key),
            {.key = k});
    auto settings = settings_of(ct.config, ct.host.config_path(ct.vmid));
    if (!settings)
        return std::unexpected(std::move(settings).error());
    auto id_map = container_id_map(ct.config.main, settings->unprivileged.value_or(false));
    if (!id_map)
        return std::unexpected(std::move(id_map).error());
    NewMount out{std::move(*mp), std::move(*id_map)};
    if (!out.id_map.empty()) {
        if (!out.mp.idmap.empty())
            return fail(Errc::unsupported,
                        fmt::format("the per-mount idmap of {} is applied at the next start", key),
                        {.key = k, .subkey = "idmap"});
        out.passthrough = out.mp.idmap_passthrough.value_or(false);
    }
    // The source must exist now: a bind directory, a device, a storage volume.
    if (auto source = resolve_volume(ct.host, ct.vmid, out.mp); !source)
        return std::unexpected(with_key(std::move(source).error(), k));
    return out;
}

/// The thread's work: stage, clone, map, enter the container's namespace, walk, move.
Result<void> mount_into(const LiveContainer& ct, const std::string& key, const NewMount& m,
                        const UniqueFd& mntns, const UniqueFd& userns,
                        std::vector<std::string>& warnings) {
    if (::unshare(CLONE_NEWNS) != 0)
        return std::unexpected(errno_error("unshare", errno));
    // Nothing mounted here may propagate back to the host.
    if (::mount(nullptr, "/", nullptr, MS_REC | MS_SLAVE, nullptr) != 0)
        return std::unexpected(errno_error("cannot make the staging namespace a slave", errno));
    auto stage = staging_dir(ct.host, key);
    if (!stage)
        return std::unexpected(std::move(stage).error());
    auto staged = walk_nofollow(*stage, "", false);
    if (!staged)
        return std::unexpected(std::move(staged).error());
    if (auto ok = mount_volume(ct.host, ct.vmid, key, m.mp, *staged, false, warnings); !ok)
        return ok;
    UniqueFd tree(static_cast<int>(
        ::syscall(SYS_open_tree, AT_FDCWD, stage->c_str(), OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC)));
    if (tree.get() < 0)
        return std::unexpected(errno_error("open_tree() on mount point failed", errno));
    if (userns.get() >= 0) {
        mount_attr attr{};
        attr.attr_set = MOUNT_ATTR_IDMAP;
        attr.userns_fd = static_cast<__u64>(userns.get());
        if (::syscall(SYS_mount_setattr, tree.get(), "", AT_EMPTY_PATH, &attr, sizeof attr) != 0)
            return std::unexpected(errno_error("mount_setattr", errno));
    }

    if (::setns(mntns.get(), CLONE_NEWNS) != 0)
        return std::unexpected(errno_error("cannot enter the container's mount namespace", errno));
    // "/" is now the container's root: the walk cannot leave it.
    auto target = walk_nofollow("/", *m.mp.mp, true, m.id_map.chown_to());
    if (!target)
        return std::unexpected(std::move(target).error());
    struct stat before {};
    ::fstat(target->fd.get(), &before);
    if (::syscall(SYS_move_mount, tree.get(), "", target->fd.get(), "",
                  MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) != 0)
        return std::unexpected(
            errno_error(fmt::format("failed to move '{}' into container hierarchy", key), errno));
    if (m.mp.keepattrs.value_or(false))
        if (auto kept = keep_attrs(*target, before); !kept)
            return kept;
    return {};
}

} // namespace

std::optional<std::string> mount_refusal(const LiveContainer& ct, std::string_view key,
                                         std::optional<std::string_view> next) {
    auto plan = plan_mount(ct, key, next);
    if (!plan)
        return plan.error().message;
    return std::nullopt;
}

Result<void> mount_hotplug(const LiveContainer& ct, std::string_view key,
                           std::optional<std::string_view> next) {
    auto plan = plan_mount(ct, key, next);
    if (!plan)
        return std::unexpected(std::move(plan).error());
    auto mntns = open_ct_namespace(ct, "mnt");
    if (!mntns)
        return std::unexpected(hotplug_error(key, std::move(mntns).error()));
    UniqueFd userns;
    if (plan->passthrough) {
        auto ns = open_ct_namespace(ct, "user");
        if (!ns)
            return std::unexpected(hotplug_error(key, std::move(ns).error()));
        userns = std::move(*ns);
    }
    std::string k(key);
    std::vector<std::string> warnings;
    Result<void> result;
    std::thread worker([&] { result = mount_into(ct, k, *plan, *mntns, userns, warnings); });
    worker.join();
    if (!result)
        return std::unexpected(hotplug_error(key, std::move(result).error()));
    if (ct.warnings)
        ct.warnings->insert(ct.warnings->end(), warnings.begin(), warnings.end());
    return {};
}

} // namespace pct::runtime::detail
