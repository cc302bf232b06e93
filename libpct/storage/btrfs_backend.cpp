// SPDX-License-Identifier: AGPL-3.0-or-later
// The `btrfs` storage (spec storage.md §1.7, §2.3, §2.7-2.9, §7.1-7.2, §7.5-7.6).
#include <pct/storage/atomic_file.hpp>
#include <pct/storage/btrfs_backend.hpp>

#include "fs_util.hpp"
#include "pct/internal/command.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <linux/fs.h>
#include <regex>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

namespace pct::storage {

namespace {

constexpr long btrfs_magic = 0x9123683e;

// Snapshot names: Proxmox passes them to the btrfs command as path components.
Result<void> check_snap_name(std::string_view snap) {
    static const std::regex valid(R"(^[A-Za-z0-9_][A-Za-z0-9_\-.]*$)");
    if (!std::regex_match(std::string(snap), valid) || snap.find("..") != std::string_view::npos)
        return fail(Errc::invalid_argument, fmt::format("invalid snapshot name '{}'", snap));
    return {};
}

Result<void> btrfs(std::vector<std::string> args) {
    args.insert(args.begin(), {"btrfs", "-q"});
    auto ran = internal::run_command(args);
    if (!ran)
        return std::unexpected(std::move(ran).error());
    return {};
}

// The subvolume directory name of an image name: raw drops `.raw`.
std::string subvol_name(const VolumeRef& v) {
    if (v.format == VolumeFormat::raw && v.name.ends_with(".raw"))
        return v.name.substr(0, v.name.size() - 4);
    return v.name;
}

bool is_subvolume(const std::string& path) {
    struct stat st {};
    return ::lstat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode) && st.st_ino == 256;
}

} // namespace

Result<void> BtrfsBackend::activate_storage() {
    if (auto ok = make_base_path(); !ok)
        return ok;
    if (auto ok = check_mountpoint(); !ok)
        return ok;
    struct statfs sf {};
    if (::statfs(base().c_str(), &sf) != 0 || long(sf.f_type) != btrfs_magic)
        return fail(Errc::unsupported, fmt::format("'{}' is not a btrfs file system", base()),
                    {.context = base()});
    return activate_directories();
}

Result<std::string> BtrfsBackend::subvolume(const VolumeRef& volume,
                                            std::optional<std::string_view> snap) const {
    if (volume.vtype != "images" || !volume.owner)
        return fail(Errc::invalid_argument,
                    fmt::format("volume '{}' is not an image", volume.volid()));
    if (volume.format != VolumeFormat::raw && volume.format != VolumeFormat::subvol)
        return fail(Errc::unsupported,
                    fmt::format("unsupported image format '{}'", format_name(volume.format)));
    std::string p = fmt::format("{}/{}", image_dir(*volume.owner), subvol_name(volume));
    if (snap) {
        if (auto ok = check_snap_name(*snap); !ok)
            return std::unexpected(std::move(ok).error());
        p += "@" + std::string(*snap);
    }
    return p;
}

Result<std::string> BtrfsBackend::path(const VolumeRef& volume,
                                       std::optional<std::string_view> snap) const {
    if (volume.vtype != "images")
        return DirBackend::path(volume, snap);
    auto sv = subvolume(volume, snap);
    if (!sv)
        return sv;
    return volume.format == VolumeFormat::raw ? *sv + "/disk.raw" : *sv;
}

Result<std::string> BtrfsBackend::alloc_image(Vmid vmid, VolumeFormat format,
                                              std::optional<std::string_view> name,
                                              std::uint64_t size_kib) {
    if (format != VolumeFormat::raw && format != VolumeFormat::subvol)
        return fail(Errc::unsupported, fmt::format("unsupported format '{}'", format_name(format)));
    auto new_name = new_image_name(vmid, format, name);
    if (!new_name)
        return std::unexpected(std::move(new_name).error());
    const std::string& file = *new_name;
    VolumeRef ref;
    ref.storage = id();
    ref.volname = fmt::format("{}/{}", vmid.value, file);
    ref.vtype = "images";
    ref.name = file;
    ref.owner = vmid;
    ref.format = format;
    const std::string sv = *subvolume(ref);
    struct stat st {};
    if (::lstat(sv.c_str(), &st) == 0)
        return fail(Errc::already_exists, fmt::format("disk image '{}' already exists", sv),
                    {.context = sv});
    if (format == VolumeFormat::subvol && size_kib != 0)
        return fail(Errc::invalid_argument, "btrfs quotas are currently not supported, use an "
                                            "unsized subvolume or a raw file");
    if (auto ok = btrfs({"subvolume", "create", "--", sv}); !ok)
        return std::unexpected(std::move(ok).error());
    if (format == VolumeFormat::raw) {
        const std::string raw = sv + "/disk.raw";
        auto made = [&]() -> Result<void> {
            int fd = ::open(raw.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
            if (fd < 0)
                return fail(
                    Errc::io,
                    fmt::format("failed to create raw file '{}' - {}", raw, std::strerror(errno)),
                    {.context = raw, .sys_errno = errno});
            if (entry().flag("nocow"))
                detail::set_nocow(fd);
            int rc = ::ftruncate(fd, off_t(size_kib * 1024));
            int err = errno;
            ::close(fd);
            if (rc != 0)
                return fail(
                    Errc::io,
                    fmt::format("failed to set file size for '{}' - {}", raw, std::strerror(err)),
                    {.context = raw, .sys_errno = err});
            return {};
        }();
        if (!made) {
            (void)btrfs({"subvolume", "delete", "--", sv});
            return std::unexpected(std::move(made).error());
        }
    }
    return ref.volname;
}

Result<void> BtrfsBackend::free_image(const VolumeRef& volume) {
    auto sv = subvolume(volume);
    if (!sv)
        return std::unexpected(std::move(sv).error());
    const std::string dir = image_dir(*volume.owner);
    const std::string own = subvol_name(volume);
    static const std::regex snap_re(R"(^((?:vm|base|subvol)-\d+-disk-\d+(?:\.subvol)?)@(\S+)$)");
    std::vector<std::string> args = {"subvolume", "delete", "--"};
    for (const auto& e : detail::list_dir(dir)) {
        std::smatch m;
        if (std::regex_match(e, m, snap_re) && m[1].str() == own && is_subvolume(dir + "/" + e))
            args.push_back(dir + "/" + e);
    }
    if (is_subvolume(*sv))
        args.push_back(*sv);
    if (args.size() > 3)
        if (auto ok = btrfs(args); !ok)
            return ok;
    ::rmdir(dir.c_str()); // only when empty
    return {};
}

Result<std::vector<VolumeInfo>> BtrfsBackend::list_images(std::optional<Vmid> vmid) const {
    std::vector<VolumeInfo> out;
    const std::string images = subdir("images");
    static const std::regex owner_dir(R"(^[0-9][0-9]*$)");
    static const std::regex entry_name(R"(^[^/@.]+(\.(qcow2|vmdk|subvol))?$)");
    for (const auto& owner : detail::list_dir(images)) {
        if (!std::regex_match(owner, owner_dir))
            continue;
        if (vmid && owner != std::to_string(vmid->value))
            continue;
        for (const auto& e : detail::list_dir(images + "/" + owner)) {
            std::smatch m;
            if (!std::regex_match(e, m, entry_name))
                continue;
            const std::string name = m[1].matched ? e : e + ".raw";
            auto ref = parse_dir_volname(id(), owner + "/" + name);
            if (!ref)
                continue;
            auto size = volume_size(*ref);
            if (!size)
                continue;
            out.push_back(
                VolumeInfo{ref->volid(), size->format, size->size, size->used, ref->owner});
        }
    }
    std::ranges::sort(out, {}, &VolumeInfo::volid);
    return out;
}

Result<VolumeSize> BtrfsBackend::volume_size(const VolumeRef& volume) const {
    if (volume.vtype == "images" && volume.format == VolumeFormat::subvol) {
        auto sv = subvolume(volume);
        if (!sv)
            return std::unexpected(std::move(sv).error());
        struct stat st {};
        if (::stat(sv->c_str(), &st) != 0)
            return fail(Errc::not_found, fmt::format("volume '{}' does not exist", volume.volid()),
                        {.context = *sv});
        return VolumeSize{0, VolumeFormat::subvol, 0};
    }
    auto p = path(volume);
    if (!p)
        return std::unexpected(std::move(p).error());
    return detail::file_size_info(*p, volume.volid());
}

Result<void> BtrfsBackend::resize(const VolumeRef& volume, std::uint64_t new_size_bytes) {
    if (volume.format == VolumeFormat::subvol)
        return fail(Errc::unsupported,
                    "cannot resize subvolume - btrfs quotas are currently not supported");
    if (volume.format != VolumeFormat::raw)
        return fail(Errc::unsupported, "can't resize this image format");
    auto p = path(volume);
    if (!p)
        return std::unexpected(std::move(p).error());
    return detail::grow_raw_file(*p, new_size_bytes, "off");
}

Result<void> BtrfsBackend::snapshot(const VolumeRef& volume, std::string_view snap) {
    auto sv = subvolume(volume);
    if (!sv)
        return std::unexpected(std::move(sv).error());
    auto target = subvolume(volume, snap);
    if (!target)
        return std::unexpected(std::move(target).error());
    return btrfs({"subvolume", "snapshot", "-r", "--", *sv, *target});
}

Result<void> BtrfsBackend::rollback(const VolumeRef& volume, std::string_view snap) {
    auto sv = subvolume(volume);
    if (!sv)
        return std::unexpected(std::move(sv).error());
    auto source = subvolume(volume, snap);
    if (!source)
        return std::unexpected(std::move(source).error());
    const std::string tmp = fmt::format("{}.tmp.{}", *sv, ::getpid());
    if (auto ok = btrfs({"subvolume", "snapshot", "--", *source, tmp}); !ok)
        return ok;
    if (::renameat2(AT_FDCWD, tmp.c_str(), AT_FDCWD, sv->c_str(), RENAME_EXCHANGE) != 0) {
        int err = errno;
        (void)btrfs({"subvolume", "delete", "--", tmp});
        return fail(Errc::io,
                    fmt::format("failed to rotate '{}' into place at '{}' - {}", tmp, *sv,
                                std::strerror(err)),
                    {.context = *sv, .sys_errno = err});
    }
    // tmp now holds the old state; Proxmox only warns when it cannot be removed.
    (void)btrfs({"subvolume", "delete", "--", tmp});
    return {};
}

Result<void> BtrfsBackend::delete_snapshot(const VolumeRef& volume, std::string_view snap) {
    auto target = subvolume(volume, snap);
    if (!target)
        return std::unexpected(std::move(target).error());
    return btrfs({"subvolume", "delete", "--", *target});
}

Result<std::string> BtrfsBackend::clone_image(const VolumeRef& volume, Vmid new_vmid,
                                              std::optional<std::string_view> snap) {
    auto source = subvolume(volume, snap);
    if (!source)
        return std::unexpected(std::move(source).error());
    const std::string dir = image_dir(new_vmid);
    if (auto ok = make_dirs(dir, 0740); !ok)
        return std::unexpected(std::move(ok).error());
    auto name = next_disk_name(new_vmid, volume.format);
    if (!name)
        return std::unexpected(std::move(name).error());
    VolumeRef target;
    target.storage = id();
    target.volname = fmt::format("{}/{}", new_vmid.value, *name);
    target.vtype = "images";
    target.name = *name;
    target.owner = new_vmid;
    target.format = volume.format;
    if (auto ok = btrfs({"subvolume", "snapshot", "--", *source, *subvolume(target)}); !ok)
        return std::unexpected(std::move(ok).error());
    return target.volname;
}

Result<std::string> BtrfsBackend::create_base(const VolumeRef& volume) {
    if (volume.vtype != "images")
        return fail(Errc::invalid_argument,
                    fmt::format("create_base on wrong vtype '{}'", volume.vtype));
    if (volume.is_base)
        return fail(Errc::invalid_argument, "create_base not possible with base image");
    auto sv = subvolume(volume);
    if (!sv)
        return std::unexpected(std::move(sv).error());
    if (!is_subvolume(*sv))
        return fail(Errc::not_found, fmt::format("volume '{}' does not exist", volume.volid()),
                    {.context = *sv});
    VolumeRef target = volume;
    if (volume.format == VolumeFormat::raw && volume.name.starts_with("vm-")) {
        target.name = "base-" + volume.name.substr(3);
        target.volname = fmt::format("{}/{}", volume.owner->value, target.name);
        target.is_base = true;
    }
    auto new_sv = subvolume(target);
    if (*new_sv != *sv) {
        struct stat st {};
        if (::lstat(new_sv->c_str(), &st) == 0)
            return fail(Errc::already_exists, fmt::format("file '{}' already exists", *new_sv),
                        {.context = *new_sv});
        if (::rename(sv->c_str(), new_sv->c_str()) != 0)
            return fail(
                Errc::io,
                fmt::format("rename '{}' to '{}' failed - {}", *sv, *new_sv, std::strerror(errno)),
                {.context = *sv, .sys_errno = errno});
    }
    (void)btrfs({"property", "set", *new_sv, "ro", "true"}); // only warned about by Proxmox
    return target.volname;
}

bool BtrfsBackend::has_feature(Feature feature, const VolumeRef& volume,
                               std::optional<std::string_view> snap) const {
    using enum VolumeFormat;
    using detail::FeatureKey;
    const auto key =
        snap ? FeatureKey::snap : (volume.is_base ? FeatureKey::base : FeatureKey::current);
    const auto f = volume.format;
    auto in = [&](std::initializer_list<VolumeFormat> formats) {
        return std::ranges::find(formats, f) != formats.end();
    };
    switch (feature) {
    case Feature::snapshot:
        return key != FeatureKey::base && in({qcow2, raw, subvol});
    case Feature::clone:
        return key == FeatureKey::base ? in({qcow2, raw, subvol, vmdk}) : in({raw});
    case Feature::template_:
        return key == FeatureKey::current && in({qcow2, raw, vmdk, subvol});
    case Feature::copy:
        return key == FeatureKey::snap ? in({qcow2, raw, subvol}) : in({qcow2, raw, subvol, vmdk});
    case Feature::sparseinit:
        return key != FeatureKey::snap && in({qcow2, raw, vmdk});
    case Feature::rename:
        return key == FeatureKey::current && in({qcow2, raw, vmdk});
    case Feature::replicate:
        return false;
    }
    return false;
}

} // namespace pct::storage
