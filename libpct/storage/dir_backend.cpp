// SPDX-License-Identifier: AGPL-3.0-or-later
// The `dir` storage (spec storage.md §1.6, §1.8, §2.3-2.9, §7.1, §7.5).
#include <pct/storage/atomic_file.hpp>
#include <pct/storage/dir_backend.hpp>

#include "fs_util.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sys/stat.h>
#include <unistd.h>

namespace pct::storage {

namespace {

// pve-storage: Plugin.pm `$vtype_subdirs`.
std::string default_subdir(std::string_view vtype) {
    if (vtype == "images")
        return "images";
    if (vtype == "rootdir")
        return "private";
    if (vtype == "vztmpl")
        return "template/cache";
    if (vtype == "iso")
        return "template/iso";
    if (vtype == "backup")
        return "dump";
    if (vtype == "snippets")
        return "snippets";
    if (vtype == "import")
        return "import";
    return {};
}

} // namespace

std::string DirBackend::subdir(std::string_view vtype) const {
    // content-dirs: `vtype=relpath,...` replaces the default sub-directory.
    if (auto dirs = entry().option("content-dirs")) {
        std::string_view rest = *dirs;
        while (!rest.empty()) {
            auto comma = rest.find(',');
            std::string_view item = rest.substr(0, comma);
            rest.remove_prefix(comma == std::string_view::npos ? rest.size() : comma + 1);
            auto eq = item.find('=');
            if (eq != std::string_view::npos && item.substr(0, eq) == vtype) {
                std::string_view rel = item.substr(eq + 1);
                while (rel.starts_with('/'))
                    rel.remove_prefix(1);
                return base() + "/" + std::string(rel);
            }
        }
    }
    return base() + "/" + default_subdir(vtype);
}

std::string DirBackend::image_dir(Vmid vmid) const {
    return fmt::format("{}/{}", subdir("images"), vmid.value);
}

Result<void> DirBackend::check_mountpoint() const {
    auto value = entry().option("is_mountpoint");
    if (!value)
        return {};
    std::string v;
    std::ranges::transform(*value, std::back_inserter(v),
                           [](char c) { return char(std::tolower(c)); });
    std::string mp;
    if (v == "1" || v == "on" || v == "yes" || v == "true")
        mp = base();
    else if (v == "0" || v == "off" || v == "no" || v == "false")
        return {};
    else
        mp = detail::under_root(base(), entry().path(), *value);
    if (!detail::is_mount_point(mp))
        return fail(Errc::bad_state,
                    fmt::format("unable to activate storage '{}' - directory is expected to be a "
                                "mount point but is not mounted: '{}'",
                                id(), mp),
                    {.context = mp});
    return {};
}

Result<void> DirBackend::make_base_path() const {
    bool create = entry().flag("create-base-path", entry().flag("mkdir", true));
    if (!create)
        return {};
    return make_dirs(base(), 0755);
}

Result<void> DirBackend::activate_directories() const {
    struct stat st {};
    if (::stat(base().c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
        return fail(Errc::not_found,
                    fmt::format("unable to activate storage '{}' - directory '{}' does not exist "
                                "or is unreachable",
                                id(), base()),
                    {.context = base()});
    std::set<std::string> vtypes = entry().content();
    if (vtypes.contains("rootdir"))
        vtypes.insert("backup"); // Proxmox also makes dump/ for rootdir content
    bool create = entry().flag("create-subdirs", entry().flag("mkdir", true));
    std::map<std::string, std::string> seen;
    for (const auto& vtype : vtypes) {
        std::string dir = subdir(vtype);
        if (create) {
            if (auto ok = make_dirs(dir, 0755); !ok) {
                int err = ok.error().sys_errno;
                std::string msg =
                    fmt::format("failed to create content directory '{}' for content '{}' - {}",
                                dir, vtype, std::strerror(err));
                if (err == EACCES || err == EROFS)
                    msg += " - ensure that you have read and write access to your storage!";
                return fail(Errc::io, msg, {.context = dir, .sys_errno = err});
            }
        }
        if (seen.contains(dir))
            return fail(Errc::invalid_argument,
                        fmt::format("storage '{}' uses directory {} for multiple content types",
                                    id(), dir));
        seen.emplace(dir, vtype);
    }
    return {};
}

Result<void> DirBackend::activate_storage() {
    if (auto ok = check_mountpoint(); !ok)
        return ok;
    if (auto ok = make_base_path(); !ok)
        return ok;
    return activate_directories();
}

Result<std::string> DirBackend::next_disk_name(Vmid vmid, VolumeFormat format) const {
    auto images = list_images(vmid);
    if (!images)
        return std::unexpected(std::move(images).error());
    const std::regex number(fmt::format(R"((vm|base|subvol|basevol)-{}-disk-(\d+))", vmid.value));
    std::set<unsigned long> taken;
    for (const auto& info : *images) {
        std::smatch m;
        if (std::regex_search(info.volid, m, number))
            taken.insert(std::stoul(m[2].str().substr(0, 9)));
    }
    const std::string_view prefix = format == VolumeFormat::subvol ? "subvol" : "vm";
    for (unsigned i = 0; i < 1024; ++i)
        if (!taken.contains(i))
            return fmt::format("{}-{}-disk-{}.{}", prefix, vmid.value, i, format_name(format));
    return fail(Errc::bad_state,
                fmt::format("unable to allocate an image name for VM {} in storage '{}'",
                            vmid.value, id()));
}

Result<void> DirBackend::check_new_name(std::string_view name, VolumeFormat format) const {
    auto dot = name.rfind('.');
    std::string_view ext =
        dot == std::string_view::npos ? std::string_view() : name.substr(dot + 1);
    if (ext != format_name(format))
        return fail(Errc::invalid_argument,
                    fmt::format("illegal name '{}' - wrong extension for format ('{} != '{}')",
                                name, ext, format_name(format)));
    if (name.find('/') != std::string_view::npos)
        return fail(Errc::invalid_argument,
                    fmt::format("unable to parse volume filename '{}'", name));
    auto parsed = parse_dir_volname(id(), fmt::format("1/{}", name));
    if (!parsed)
        return std::unexpected(std::move(parsed).error());
    return {};
}

Result<std::string> DirBackend::new_image_name(Vmid vmid, VolumeFormat format,
                                               std::optional<std::string_view> name) const {
    if (auto ok = make_dirs(image_dir(vmid), 0740); !ok)
        return std::unexpected(std::move(ok).error());
    std::string file;
    if (name) {
        file = std::string(*name);
    } else {
        auto next = next_disk_name(vmid, format);
        if (!next)
            return std::unexpected(std::move(next).error());
        file = std::move(*next);
    }
    if (auto ok = check_new_name(file, format); !ok)
        return std::unexpected(std::move(ok).error());
    return file;
}

Result<std::string> DirBackend::alloc_image(Vmid vmid, VolumeFormat format,
                                            std::optional<std::string_view> name,
                                            std::uint64_t size_kib) {
    const std::string dir = image_dir(vmid);
    auto new_name = new_image_name(vmid, format, name);
    if (!new_name)
        return std::unexpected(std::move(new_name).error());
    const std::string& file = *new_name;
    const std::string target = dir + "/" + file;
    struct stat st {};
    if (::lstat(target.c_str(), &st) == 0)
        return fail(Errc::already_exists, fmt::format("disk image '{}' already exists", target),
                    {.context = target});
    switch (format) {
    case VolumeFormat::subvol:
        if (size_kib != 0)
            return fail(Errc::invalid_argument, "storage does not support subvol quotas");
        if (::mkdir(target.c_str(), 0755) != 0 || ::chmod(target.c_str(), 0755) != 0)
            return fail(
                Errc::io,
                fmt::format("unable to create subvol '{}' - {}", target, std::strerror(errno)),
                {.context = target, .sys_errno = errno});
        break;
    case VolumeFormat::raw:
        if (auto ok = detail::create_raw_file(target, size_kib * 1024,
                                              entry().option("preallocation").value_or("off"));
            !ok) {
            ::unlink(target.c_str());
            ::rmdir(dir.c_str());
            return fail(ok.error().code, "unable to create image: " + ok.error().message,
                        {.context = target, .sys_errno = ok.error().sys_errno});
        }
        break;
    case VolumeFormat::qcow2:
    case VolumeFormat::vmdk:
        return fail(Errc::unsupported,
                    fmt::format("unable to create image: format '{}' needs qemu-img, which this "
                                "build does not use",
                                format_name(format)));
    }
    return fmt::format("{}/{}", vmid.value, file);
}

Result<void> DirBackend::free_image(const VolumeRef& volume) {
    auto p = path(volume);
    if (!p)
        return std::unexpected(std::move(p).error());
    // A template volume is immutable (create_base); Proxmox clears that for `base-` names
    // only, which leaves subvol templates behind: libpct clears it for every volume.
    detail::set_immutable(*p, false);
    struct stat st {};
    if (::lstat(p->c_str(), &st) != 0) {
        if (errno != ENOENT)
            return std::unexpected(io_error("stat", *p, errno));
    } else if (S_ISDIR(st.st_mode)) {
        std::error_code ec;
        std::filesystem::remove_all(*p, ec);
        if (ec)
            return fail(Errc::io, fmt::format("unable to remove '{}' - {}", *p, ec.message()),
                        {.context = *p, .sys_errno = ec.value()});
    } else if (::unlink(p->c_str()) != 0 && errno != ENOENT) {
        return fail(Errc::io, fmt::format("unlink '{}' failed - {}", *p, std::strerror(errno)),
                    {.context = *p, .sys_errno = errno});
    }
    if (volume.owner)
        ::rmdir(image_dir(*volume.owner).c_str()); // only when empty
    return {};
}

Result<std::string> DirBackend::path(const VolumeRef& volume,
                                     std::optional<std::string_view> snap) const {
    if (snap && volume.format != VolumeFormat::qcow2)
        return fail(Errc::unsupported, "can't snapshot this image format");
    if (snap)
        return fail(Errc::unsupported,
                    "qcow2 snapshots need qemu-img, which this build does not use");
    if (volume.vtype == "images") {
        if (!volume.owner)
            return fail(Errc::invalid_argument,
                        fmt::format("unable to parse directory volume name '{}'", volume.volname));
        return fmt::format("{}/{}", image_dir(*volume.owner), volume.name);
    }
    if (default_subdir(volume.vtype).empty())
        return fail(Errc::invalid_argument, fmt::format("unknown vtype '{}'", volume.vtype));
    return fmt::format("{}/{}", subdir(volume.vtype), volume.name);
}

Result<VolumeSize> DirBackend::volume_size(const VolumeRef& volume) const {
    auto p = path(volume);
    if (!p)
        return std::unexpected(std::move(p).error());
    return detail::file_size_info(*p, volume.volid());
}

Result<std::vector<VolumeInfo>> DirBackend::list_images(std::optional<Vmid> vmid) const {
    std::vector<VolumeInfo> out;
    const std::string images = subdir("images");
    static const std::regex owner_dir(R"(^[0-9][0-9]*$)");
    static const std::regex image_name(R"(^[^/]+\.(qcow2|raw|subvol|vmdk)$)");
    for (const auto& owner : detail::list_dir(images)) {
        if (!std::regex_match(owner, owner_dir))
            continue;
        if (vmid && owner != std::to_string(vmid->value))
            continue;
        for (const auto& name : detail::list_dir(images + "/" + owner)) {
            if (!std::regex_match(name, image_name))
                continue;
            auto ref = parse_dir_volname(id(), owner + "/" + name);
            if (!ref)
                continue;
            auto size = detail::file_size_info(images + "/" + owner + "/" + name, ref->volid());
            if (!size)
                continue;
            out.push_back(
                VolumeInfo{ref->volid(), size->format, size->size, size->used, ref->owner});
        }
    }
    std::ranges::sort(out, {}, &VolumeInfo::volid);
    return out;
}

Result<void> DirBackend::resize(const VolumeRef& volume, std::uint64_t new_size_bytes) {
    if (volume.format != VolumeFormat::raw)
        return fail(Errc::unsupported, "can't resize this image format");
    auto p = path(volume);
    if (!p)
        return std::unexpected(std::move(p).error());
    return detail::grow_raw_file(*p, new_size_bytes,
                                 entry().option("preallocation").value_or("off"));
}

Result<std::string> DirBackend::create_base(const VolumeRef& volume) {
    if (volume.vtype != "images")
        return fail(Errc::invalid_argument,
                    fmt::format("create_base on wrong vtype '{}'", volume.vtype));
    if (volume.is_base)
        return fail(Errc::invalid_argument, "create_base not possible with base image");
    auto old_path = path(volume);
    if (!old_path)
        return std::unexpected(std::move(old_path).error());
    if (!volume_size(volume))
        return fail(Errc::not_found, fmt::format("file_size_info on '{}' failed", volume.volid()));
    std::string name = volume.name;
    if (name.starts_with("vm-"))
        name = "base-" + name.substr(3);
    VolumeRef target = volume;
    target.name = name;
    target.volname = fmt::format("{}/{}", volume.owner->value, name);
    target.is_base = name.starts_with("base-");
    auto new_path = path(target);
    if (!new_path)
        return std::unexpected(std::move(new_path).error());
    if (*new_path != *old_path) {
        struct stat st {};
        if (::lstat(new_path->c_str(), &st) == 0)
            return fail(Errc::already_exists, fmt::format("file '{}' already exists", *new_path),
                        {.context = *new_path});
        if (::rename(old_path->c_str(), new_path->c_str()) != 0)
            return fail(Errc::io,
                        fmt::format("rename '{}' to '{}' failed - {}", *old_path, *new_path,
                                    std::strerror(errno)),
                        {.context = *old_path, .sys_errno = errno});
    }
    ::chmod(new_path->c_str(), 0444);
    detail::set_immutable(*new_path, true); // only warned about by Proxmox
    return target.volname;
}

bool DirBackend::has_feature(Feature feature, const VolumeRef& volume,
                             std::optional<std::string_view> snap) const {
    using enum VolumeFormat;
    const auto key =
        snap ? detail::FeatureKey::snap
             : (volume.is_base ? detail::FeatureKey::base : detail::FeatureKey::current);
    const auto f = volume.format;
    auto in = [&](std::initializer_list<VolumeFormat> formats) {
        return std::ranges::find(formats, f) != formats.end();
    };
    switch (feature) {
    case Feature::snapshot:
        return key != detail::FeatureKey::base && in({qcow2});
    case Feature::clone:
        return false; // dir linked clones are qcow2, never a container target format
    case Feature::template_:
        return key == detail::FeatureKey::current && in({qcow2, raw, vmdk, subvol});
    case Feature::copy:
        return key == detail::FeatureKey::snap ? in({qcow2}) : in({qcow2, raw, vmdk});
    case Feature::sparseinit:
        return key != detail::FeatureKey::snap && in({qcow2, raw, vmdk});
    case Feature::rename:
        return key == detail::FeatureKey::current && in({qcow2, raw, vmdk});
    case Feature::replicate:
        return false;
    }
    return false;
}

} // namespace pct::storage
