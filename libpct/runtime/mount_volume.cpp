// SPDX-License-Identifier: AGPL-3.0-or-later
// One mount point's volume mounted (§4.4): bind (host directory or subvol), device, raw image
// through an auto-clearing loop device (LOOP_CONFIGURE).
#include "mount.hpp"

#include <pct/storage/atomic_file.hpp>
#include <pct/storage/storages.hpp>

#include <fmt/format.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <fstream>
#include <linux/loop.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

namespace pct::runtime::detail {

namespace {

/// Filesystem types mount(8) would try for a block device: ext4 first (every raw volume of
/// §3.4), then those of /proc/filesystems that need a device.
std::vector<std::string> block_fs_types() {
    std::vector<std::string> types{"ext4"};
    std::ifstream in("/proc/filesystems");
    std::string line;
    while (std::getline(in, line)) {
        if (line.starts_with("nodev"))
            continue;
        auto start = line.find_first_not_of(" \t");
        if (start == std::string::npos)
            continue;
        std::string type = line.substr(start);
        if (type != "ext4" && type != "ext3" && type != "ext2")
            types.push_back(type);
    }
    return types;
}

/// mount(2) flags and filesystem data of the §4.3 options (plus ro and quota).
struct BlockMountArgs {
    unsigned long flags = 0;
    std::string data;
};

BlockMountArgs block_args(const std::vector<std::string>& options, bool ro, bool quota) {
    BlockMountArgs out;
    auto add_data = [&](std::string_view d) {
        if (!out.data.empty())
            out.data += ',';
        out.data += d;
    };
    for (const auto& o : options) {
        if (o == "nodev")
            out.flags |= MS_NODEV;
        else if (o == "noexec")
            out.flags |= MS_NOEXEC;
        else if (o == "nosuid")
            out.flags |= MS_NOSUID;
        else if (o == "noatime")
            out.flags |= MS_NOATIME;
        else if (o == "lazytime")
            out.flags |= MS_LAZYTIME;
        else
            add_data(o); // discard, acl: the filesystem's
    }
    if (quota)
        add_data("usrjquota=aquota.user,grpjquota=aquota.group,jqfmt=vfsv0");
    if (ro)
        out.flags |= MS_RDONLY;
    return out;
}

Result<void> mount_block(const std::string& device, const WalkedDir& target,
                         const BlockMountArgs& args, bool quota) {
    std::string fd_path = fmt::format("/proc/self/fd/{}", target.fd.get());
    int err = 0;
    for (const auto& type : block_fs_types()) {
        if (::mount(device.c_str(), fd_path.c_str(), type.c_str(), args.flags,
                    args.data.empty() ? nullptr : args.data.c_str()) == 0)
            return {};
        err = errno;
        // EINVAL: not this filesystem (or bad options for it); anything else is final.
        if (err != EINVAL)
            break;
    }
    std::string message =
        fmt::format("mount of '{}' on '{}' failed: {}", device, target.path, std::strerror(err));
    if (quota)
        message += " (quota needs a kernel with CONFIG_QUOTA and CONFIG_QFMT_V2)";
    return fail(Errc::io, std::move(message), {.context = target.path, .sys_errno = err});
}

} // namespace

Result<VolumeSource> resolve_volume(const storage::Host& host, Vmid vmid, const MountPoint& mp) {
    VolumeSource out;
    switch (mp.kind()) {
    case VolumeKind::device:
        out.kind = VolumeSource::Kind::device;
        out.path = mp.volume;
        return out;
    case VolumeKind::bind: {
        auto path = host.volume_path(vmid, mp.volume);
        if (!path)
            return std::unexpected(std::move(path).error());
        out.kind = VolumeSource::Kind::bind;
        out.path = std::move(*path);
        return out;
    }
    case VolumeKind::volume:
        break;
    }
    auto storages = storage::Storages::load(host);
    if (!storages)
        return std::unexpected(std::move(storages).error());
    auto ref = storages->parse_volume(mp.volume);
    if (!ref)
        return std::unexpected(std::move(ref).error());
    out.storage = ref->storage;
    if (auto entry = storages->entry(ref->storage))
        out.rootdir = (*entry)->has_content("rootdir");
    switch (ref->format) {
    case storage::VolumeFormat::raw:
        out.kind = VolumeSource::Kind::raw;
        break;
    case storage::VolumeFormat::subvol:
        out.kind = VolumeSource::Kind::subvol;
        break;
    default:
        return fail(Errc::unsupported, fmt::format("unsupported image format '{}'",
                                                   storage::format_name(ref->format)));
    }
    auto path = storages->path(mp.volume);
    if (!path)
        return std::unexpected(std::move(path).error());
    out.path = std::move(*path);
    return out;
}

std::vector<std::string> loops_of(const std::string& image) {
    // A device is matched by the device and inode of its backing file (LOOP_GET_STATUS64),
    // not by sysfs's backing_file: that path is the one seen from the mount namespace that
    // bound the device (pct-prestart's), so an image on another filesystem than / reads
    // there as a path relative to that filesystem's mount.
    std::vector<std::string> out;
    struct stat st {};
    if (::stat(image.c_str(), &st) != 0)
        return out;
    DIR* dir = ::opendir("/sys/block");
    if (!dir)
        return out;
    while (dirent* e = ::readdir(dir)) {
        std::string name = e->d_name;
        struct stat bound {};
        if (!name.starts_with("loop") ||
            ::stat(("/sys/block/" + name + "/loop/backing_file").c_str(), &bound) != 0)
            continue;
        // Never the last opener of a bound autoclear device: its mount or its attacher holds
        // it, so closing this fd does not clear it.
        std::string device = "/dev/" + name;
        UniqueFd fd(::open(device.c_str(), O_RDONLY | O_CLOEXEC));
        loop_info64 info{};
        if (fd.get() >= 0 && ::ioctl(fd.get(), LOOP_GET_STATUS64, &info) == 0 &&
            info.lo_device == st.st_dev && info.lo_inode == st.st_ino)
            out.push_back(device);
    }
    ::closedir(dir);
    return out;
}

Result<LoopDevice> attach_loop(const std::string& image, bool ro) {
    // Proxmox reuses a device already bound to the file (a running CT's, say): two loop
    // devices over one ext4 image would corrupt it. A device whose last user just went (the
    // namespace of a container that stopped a moment ago) is running down: the kernel refuses
    // to open it (ENXIO) or reports it unbound, and it is not reused: its filesystem is already
    // unmounted, so a new device is safe. The fd held on a reused device keeps it from being
    // autocleared before the caller has mounted it.
    for (const auto& device : loops_of(image)) {
        UniqueFd held(::open(device.c_str(), (ro ? O_RDONLY : O_RDWR) | O_CLOEXEC));
        loop_info64 status{};
        if (held.get() >= 0 && ::ioctl(held.get(), LOOP_GET_STATUS64, &status) == 0)
            return LoopDevice{device, std::move(held)};
    }
    auto failed = [&](int err) {
        return fail(Errc::io, "failed to setup loop device for " + image,
                    {.context = image, .sys_errno = err});
    };
    UniqueFd file(::open(image.c_str(), (ro ? O_RDONLY : O_RDWR) | O_CLOEXEC | O_NOFOLLOW));
    if (file.get() < 0)
        return failed(errno);
    UniqueFd control(::open("/dev/loop-control", O_RDWR | O_CLOEXEC));
    if (control.get() < 0)
        return failed(errno);
    // Another process may take the free device between GET_FREE and CONFIGURE (EBUSY): retry.
    for (int attempt = 0; attempt < 32; ++attempt) {
        int n = ::ioctl(control.get(), LOOP_CTL_GET_FREE);
        if (n < 0)
            return failed(errno);
        std::string device = fmt::format("/dev/loop{}", n);
        UniqueFd loop(::open(device.c_str(), (ro ? O_RDONLY : O_RDWR) | O_CLOEXEC));
        if (loop.get() < 0)
            return failed(errno);
        loop_config config{};
        config.fd = static_cast<__u32>(file.get());
        config.info.lo_flags = LO_FLAGS_AUTOCLEAR | (ro ? LO_FLAGS_READ_ONLY : 0);
        std::strncpy(reinterpret_cast<char*>(config.info.lo_file_name), image.c_str(),
                     LO_NAME_SIZE - 1);
        if (::ioctl(loop.get(), LOOP_CONFIGURE, &config) == 0)
            return LoopDevice{std::move(device), std::move(loop)};
        if (errno != EBUSY)
            return failed(errno);
    }
    return failed(EBUSY);
}

Result<void> mount_volume(const storage::Host& host, Vmid vmid, const std::string& key,
                          const MountPoint& mp, const WalkedDir& target, bool ro_off,
                          std::vector<std::string>& warnings) {
    auto with_key = [&](Error e) {
        if (e.key.empty())
            e.key = key;
        return std::unexpected(std::move(e));
    };
    auto source = resolve_volume(host, vmid, mp);
    if (!source)
        return with_key(std::move(source).error());
    bool ro = mp.ro.value_or(false) && !ro_off;
    bool quota = mp.quota.value_or(false) && !ro;
    auto options = mount_options(mp, ro);

    switch (source->kind) {
    case VolumeSource::Kind::bind:
    case VolumeSource::Kind::subvol: {
        if (source->kind == VolumeSource::Kind::bind) {
            struct stat st {};
            if (::stat(source->path.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
                return with_key(error(Errc::not_found,
                                      fmt::format("directory '{}' does not exist", source->path),
                                      {.context = source->path}));
        }
        if (quota)
            warnings.push_back(source->kind == VolumeSource::Kind::bind
                                   ? "cannot enable quota control for bind mounts"
                                   : "cannot enable quota control for bind mounted subvolumes");
        if (auto ok = bind_mount(source->path, target, ro, options); !ok)
            return with_key(std::move(ok).error());
        return {};
    }
    case VolumeSource::Kind::device: {
        if (auto ok = mount_block(source->path, target, block_args(options, ro, quota), quota); !ok)
            return with_key(std::move(ok).error());
        return {};
    }
    case VolumeSource::Kind::raw: {
        if (!source->rootdir)
            return with_key(
                error(Errc::invalid_argument,
                      fmt::format("storage '{}' does not support containers", source->storage),
                      {.context = host.storage_cfg_path()}));
        char real[PATH_MAX];
        if (!::realpath(source->path.c_str(), real))
            return with_key(error(Errc::not_found, "failed to get device path",
                                  {.context = source->path, .sys_errno = errno}));
        auto loop = attach_loop(real, ro);
        if (!loop)
            return with_key(std::move(loop).error());
        // The device's fd closes at the end of this scope: with LO_FLAGS_AUTOCLEAR the device
        // is freed by the last unmount (or now, when the mount failed).
        if (auto ok = mount_block(loop->device, target, block_args(options, ro, quota), quota); !ok)
            return with_key(std::move(ok).error());
        return {};
    }
    }
    return {};
}

Result<void> mount_snapshot(const storage::Host& host, Vmid vmid, const std::string& key,
                            const MountPoint& mp, std::string_view snap, const WalkedDir& target) {
    auto with_key = [&](Error e) {
        if (e.key.empty())
            e.key = key;
        return std::unexpected(std::move(e));
    };
    if (mp.kind() != VolumeKind::volume)
        return with_key(error(Errc::invalid_argument,
                              fmt::format("unknown snapshot path for '{}'", mp.volume)));
    auto source = resolve_volume(host, vmid, mp);
    if (!source)
        return with_key(std::move(source).error());
    auto storages = storage::Storages::load(host);
    if (!storages)
        return with_key(std::move(storages).error());
    auto path = storages->path(mp.volume, std::string(snap));
    if (!path)
        return with_key(std::move(path).error());
    auto options = mount_options(mp, true);
    if (source->kind == VolumeSource::Kind::subvol) {
        // Proxmox mounts subvol snapshots on zfspool only; a btrfs snapshot is a read-only
        // subvolume beside the volume, bound here read-only like the volume itself.
        if (auto ok = bind_mount(*path, target, true, options); !ok)
            return with_key(std::move(ok).error());
        return {};
    }
    char real[PATH_MAX];
    if (!::realpath(path->c_str(), real))
        return with_key(error(Errc::not_found, "failed to get device path",
                              {.context = *path, .sys_errno = errno}));
    auto loop = attach_loop(real, true);
    if (!loop)
        return with_key(std::move(loop).error());
    // `ro,noload` (§4.4): the snapshot of a running CT's image has an unreplayed journal.
    auto args = block_args(options, true, false);
    args.data = args.data.empty() ? std::string("noload") : args.data + ",noload";
    if (auto ok = mount_block(loop->device, target, args, false); !ok)
        return with_key(std::move(ok).error());
    return {};
}

} // namespace pct::runtime::detail
