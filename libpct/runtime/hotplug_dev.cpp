// SPDX-License-Identifier: AGPL-3.0-or-later
// A new `devN` in a running container, as the native profile passes devices at start: the
// host's node bind-mounted onto the same path inside (`lxc.mount.entry ... bind,create=file`),
// and the generator's device rules for it (`lxc.cgroup.devices.allow/deny`) written into the
// container's limit cgroup and the one its init runs in (v1 checks a cgroup's rules against
// its parent's, and a child keeps the copy it got when it was made). The node is mounted from
// a thread that entered the container's mount namespace, on a target walked from its root
// without following symlinks.
//
// Refused with the reason: a changed or deleted existing devN (the rule and the node of the
// old one would stay until a restart), the device rules of a cgroup v2 host (an eBPF program
// liblxc attaches at start), and whatever the generator refuses (a path that is no device).
#include "cgroups.hpp"
#include "helpers.hpp"
#include "hotplug_impl.hpp"
#include "impl.hpp"
#include "mount.hpp"

#include <pct/parse/properties.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <linux/mount.h>
#include <sched.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <thread>
#include <unistd.h>

namespace pct::runtime::detail {

namespace {

struct DevicePlan {
    std::string path;                                       ///< the host node, also the path inside
    std::vector<std::pair<std::string, std::string>> rules; ///< devices.allow|deny -> rule
    std::vector<std::string> dirs; ///< the cgroups to write them to, parent first
};

Result<DevicePlan> plan_device(const LiveContainer& ct, std::string_view key,
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
    auto before = generated_lines(ct, ct.config);
    if (!before)
        return std::unexpected(std::move(before).error());
    auto after = generated_lines(ct, config_with(ct, key, next));
    if (!after)
        return std::unexpected(std::move(after).error());
    auto device = parse::device(*next);
    if (!device || !device->path)
        return fail(Errc::invalid_argument, "Path has to be defined", {.key = k, .subkey = "path"});

    DevicePlan plan{*device->path, {}, {}};
    // What the new device adds to the generated text: its rules (unless another devN of the
    // same node already has them).
    LxcLines added = *after;
    for (const auto& line : *before)
        if (auto it = std::find(added.begin(), added.end(), line); it != added.end())
            added.erase(it);
    for (const auto& [lxc_key, value] : added) {
        if (lxc_key.starts_with("lxc.cgroup2.devices."))
            return fail(Errc::unsupported,
                        fmt::format("the device rules of a running CT on cgroup v2 are set at its "
                                    "start: {} is applied at the next start",
                                    key),
                        {.key = k});
        if (lxc_key == "lxc.cgroup.devices.allow" || lxc_key == "lxc.cgroup.devices.deny")
            plan.rules.emplace_back(lxc_key.substr(11), value);
    }
    if (!plan.rules.empty()) {
        auto mounts = read_cgroup_mounts();
        std::string lxc_conf = read_text_file(ct.host.ct_dir(ct.vmid) + "/config").value_or("");
        std::string inner = get_lxc_key(lxc_conf, "lxc.cgroup.dir.container.inner");
        auto limit = pid_cgroup_dir(mounts, ct.init_pid, "devices", inner);
        auto own = pid_cgroup_dir(mounts, ct.init_pid, "devices", "");
        if (!limit || !own)
            return fail(Errc::not_found,
                        fmt::format("no devices cgroup found for CT {}", ct.vmid.value),
                        {.key = k});
        plan.dirs.push_back(*limit);
        if (*own != *limit)
            plan.dirs.push_back(*own);
    }
    return plan;
}

/// On the thread: enter the container's mount namespace, make the target file where it is
/// missing (`create=file`) and move the node's bind mount onto it.
Result<void> mount_node(const UniqueFd& tree, const UniqueFd& mntns, const std::string& path,
                        std::optional<Owner> owner) {
    if (::unshare(CLONE_FS) != 0)
        return std::unexpected(errno_error("unshare", errno));
    if (::setns(mntns.get(), CLONE_NEWNS) != 0)
        return std::unexpected(errno_error("cannot enter the container's mount namespace", errno));
    auto slash = path.rfind('/');
    auto parent = walk_nofollow("/", path.substr(0, slash), true, owner);
    if (!parent)
        return std::unexpected(std::move(parent).error());
    std::string name = path.substr(slash + 1);
    int made = ::openat(parent->fd.get(), name.c_str(),
                        O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (made >= 0)
        ::close(made);
    else if (errno != EEXIST)
        return std::unexpected(errno_error(fmt::format("cannot create {}", path), errno));
    UniqueFd target(::openat(parent->fd.get(), name.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC));
    struct stat st {};
    if (target.get() < 0 || ::fstat(target.get(), &st) != 0)
        return std::unexpected(errno_error(fmt::format("cannot open {}", path), errno));
    if (S_ISLNK(st.st_mode) || S_ISDIR(st.st_mode))
        return fail(Errc::invalid_argument, "symlink encountered at: " + path, {.context = path});
    if (::syscall(SYS_move_mount, tree.get(), "", target.get(), "",
                  MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) != 0)
        return std::unexpected(errno_error(fmt::format("cannot mount {}", path), errno));
    return {};
}

} // namespace

std::optional<std::string> dev_refusal(const LiveContainer& ct, std::string_view key,
                                       std::optional<std::string_view> next) {
    auto plan = plan_device(ct, key, next);
    if (!plan)
        return plan.error().message;
    return std::nullopt;
}

Result<void> dev_hotplug(const LiveContainer& ct, std::string_view key,
                         std::optional<std::string_view> next) {
    auto plan = plan_device(ct, key, next);
    if (!plan)
        return std::unexpected(std::move(plan).error());
    auto settings = settings_of(ct.config, ct.host.config_path(ct.vmid));
    if (!settings)
        return std::unexpected(std::move(settings).error());
    auto id_map = container_id_map(ct.config.main, settings->unprivileged.value_or(false));
    if (!id_map)
        return std::unexpected(std::move(id_map).error());
    auto mntns = open_ct_namespace(ct, "mnt");
    if (!mntns)
        return std::unexpected(hotplug_error(key, std::move(mntns).error()));
    // The host's node, as the generator stat()ed it (Proxmox follows a symlink there too).
    UniqueFd tree(static_cast<int>(::syscall(SYS_open_tree, AT_FDCWD, plan->path.c_str(),
                                             OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC)));
    if (tree.get() < 0)
        return std::unexpected(hotplug_error(key, errno_error("open_tree", errno)));

    // The rules first: a node that appears is usable at once.
    for (const auto& dir : plan->dirs)
        for (const auto& [file, rule] : plan->rules)
            if (auto ok = write_value(dir + "/" + file, rule); !ok)
                return std::unexpected(hotplug_error(key, std::move(ok).error()));
    Result<void> result;
    std::thread worker([&] { result = mount_node(tree, *mntns, plan->path, id_map->chown_to()); });
    worker.join();
    if (!result)
        return std::unexpected(hotplug_error(key, std::move(result).error()));
    return {};
}

} // namespace pct::runtime::detail
