// SPDX-License-Identifier: AGPL-3.0-or-later
// The snapshot engine's driver on a real host: volumes through `storage::Storages` (btrfs:
// read-only `NAME@SNAP` subvolumes), the container through liblxc (freeze/thaw, hard stop)
// and its file systems synced while it is frozen (pve-container's __snapshot_freeze and
// sync_container_namespace).
#include "snapshot_driver.hpp"

#include "lxc_handle.hpp"
#include "mountinfo.hpp"
#include "raw_image.hpp"
#include "unique_fd.hpp"
#include "volume_common.hpp"

#include <pct/runtime/container.hpp>

#include <fmt/format.h>

#include <array>
#include <ctime>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace pct::runtime::detail {

namespace {

// File systems sync_container_namespace leaves alone: virtual ones, and fuse (a syncfs on a
// fuse mount whose daemon is frozen with the container would hang).
constexpr std::array<std::string_view, 10> unsynced_types = {
    "cgroup",  "cgroup2", "devtmpfs", "devpts", "fuse.lxcfs",
    "fusectl", "mqueue",  "proc",     "sysfs",  "tmpfs"};

bool synced_type(std::string_view type) {
    if (type.starts_with("fuse"))
        return false;
    for (auto t : unsynced_types)
        if (type == t)
            return false;
    return true;
}

// syncfs(2) of every file system mounted in the container, reached through its init's root
// (paths resolve inside the container, never on the host). Only directories and regular files
// are opened for it, so no device or fifo of the container is ever opened. Best effort.
void sync_container(int pid) {
    const std::string root = fmt::format("/proc/{}/root", pid);
    for (const auto& m : read_mountinfo(fmt::format("/proc/{}/mountinfo", pid))) {
        if (!synced_type(m.fstype))
            continue;
        UniqueFd path(::open((root + m.mount_point).c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC));
        struct stat st {};
        if (path.get() < 0 || ::fstat(path.get(), &st) != 0 ||
            !(S_ISDIR(st.st_mode) || S_ISREG(st.st_mode)))
            continue;
        UniqueFd fd(::open(fmt::format("/proc/self/fd/{}", path.get()).c_str(),
                           O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
        if (fd.get() >= 0)
            (void)::syncfs(fd.get());
    }
}

Error not_a_volume(std::string_view what, const MountPoint& mp) {
    return error(Errc::unsupported,
                 fmt::format("{} file/device '{}' is not possible", what, mp.volume));
}

} // namespace

HostSnapshotDriver::HostSnapshotDriver(const storage::Host& host, Vmid vmid,
                                       storage::Storages storages)
    : m_host(host), m_vmid(vmid), m_storages(std::move(storages)) {}

bool HostSnapshotDriver::can_snapshot(std::string_view, const MountPoint& mp) {
    return mp.kind() == VolumeKind::volume &&
           m_storages.has_feature(storage::Feature::snapshot, mp.volume);
}

Result<void> HostSnapshotDriver::activate_storages(const std::vector<std::string>& ids) {
    for (const auto& id : ids)
        if (auto b = m_storages.backend(id); !b)
            return std::unexpected(std::move(b).error());
    return {};
}

Result<void> HostSnapshotDriver::volume_snapshot(const MountPoint& mp, std::string_view snap) {
    if (mp.kind() != VolumeKind::volume)
        return std::unexpected(not_a_volume("snapshot", mp));
    return m_storages.snapshot(mp.volume, snap);
}

Result<void> HostSnapshotDriver::volume_snapshot_delete(const MountPoint& mp,
                                                        std::string_view snap) {
    if (mp.kind() != VolumeKind::volume)
        return std::unexpected(not_a_volume("snapshot delete", mp));
    return m_storages.delete_snapshot(mp.volume, snap);
}

Result<void> HostSnapshotDriver::volume_rollback_is_possible(const MountPoint& mp,
                                                             std::string_view snap) {
    if (mp.kind() != VolumeKind::volume)
        return std::unexpected(not_a_volume("snapshot rollback", mp));
    if (!m_storages.has_feature(storage::Feature::snapshot, mp.volume, snap))
        return fail(Errc::unsupported, "can't rollback snapshot this image format");
    return {};
}

Result<void> HostSnapshotDriver::volume_snapshot_rollback(const MountPoint& mp,
                                                          std::string_view snap,
                                                          std::vector<std::string>& warnings) {
    if (mp.kind() != VolumeKind::volume)
        return std::unexpected(not_a_volume("snapshot rollback", mp));
    if (auto ok = m_storages.rollback(mp.volume, snap); !ok)
        return ok;
    // The rolled-back image is a new file no one has open (the container is stopped, the
    // snapshot was just copied into place): its ext4 MMP block is cleared.
    if (auto cleared = clear_copied_mmp(m_storages, mp.volume); !cleared)
        warnings.push_back(cleared.error().message);
    return {};
}

bool HostSnapshotDriver::running() { return running_pid(m_host, m_vmid) > 0; }

Result<void> HostSnapshotDriver::freeze() {
    auto ct = Container::open(m_host, m_vmid);
    if (!ct)
        return std::unexpected(std::move(ct).error());
    // A container the user froze stays frozen afterwards: only our own freeze is undone.
    // liblxc's freeze itself, as Proxmox's __snapshot_freeze runs lxc-freeze: `suspend()` is
    // `pct suspend`, which refuses the `snapshot` lock this very operation holds.
    if (ct->state() != State::frozen) {
        auto handle = detail::LxcHandle::open(std::to_string(m_vmid.value), m_host.lxcpath());
        if (!handle)
            return std::unexpected(std::move(handle).error());
        if (!(*handle)->freeze(handle->get()))
            return fail(Errc::lxc, fmt::format("failed to freeze CT {}", m_vmid.value));
        m_frozen = true;
    }
    if (int pid = ct->init_pid(); pid > 0)
        sync_container(pid);
    return {};
}

void HostSnapshotDriver::thaw(std::vector<std::string>& warnings) {
    if (!m_frozen)
        return;
    m_frozen = false;
    auto ct = Container::open(m_host, m_vmid);
    if (!ct) {
        warnings.push_back(ct.error().message);
        return;
    }
    if (auto ok = ct->resume(); !ok)
        warnings.push_back(ok.error().message);
}

Result<void> HostSnapshotDriver::hard_stop() {
    auto ct = Container::open(m_host, m_vmid);
    if (!ct)
        return std::unexpected(std::move(ct).error());
    if (!ct->running())
        return {};
    // The engine checked the config's lock under the flock just before.
    return ct->stop({.skiplock = true});
}

std::int64_t HostSnapshotDriver::now() { return static_cast<std::int64_t>(std::time(nullptr)); }

} // namespace pct::runtime::detail
