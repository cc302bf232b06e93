// SPDX-License-Identifier: AGPL-3.0-or-later
#include "create_common.hpp"
#include "create_disks.hpp"
#include "mount.hpp"
#include "random_mac.hpp"

#include <pct/model/schema.hpp>
#include <pct/parse/properties.hpp>
#include <pct/render/properties.hpp>
#include <pct/runtime/create.hpp>
#include <pct/storage/storages.hpp>
#include <pct/validate.hpp>

#include "pct/internal/keys.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

namespace pct::runtime::detail {

Result<ContainerConfig> config_from_options(const std::map<std::string, std::string>& options) {
    ContainerConfig config;
    for (const auto& [key, value] : options) {
        const schema::KeyInfo* info = schema::find(key);
        if (info && info->name == "unused")
            continue; // Proxmox: "ignoring 'unusedN', cannot create/restore with unused volume"
        if (!settable_at_create(key) && info)
            return std::unexpected(
                with_key(error(Errc::invalid_argument,
                               fmt::format("option '{}' cannot be given to create", key)),
                         key));
        auto problems = validate::value(key, value);
        if (!problems.empty())
            return std::unexpected(with_key(std::move(problems.front()), key));
        if (key == "description") // kept as the `#` comment lines of the section, as Proxmox
            config.main.description = value;
        else
            config.main.options[key] = value;
    }
    return config;
}

namespace {

Result<void> check_given_volume(std::string_view key, std::string_view volume) {
    if (detail::is_volume_request(volume))
        return {};
    auto id = storage::parse_volume_id(volume);
    if (!id)
        return std::unexpected(with_key(std::move(id).error(), key));
    if (id->storage.empty())
        return {};
    if (auto ok = storage::check_dir_image_name(id->name); !ok)
        return std::unexpected(with_key(std::move(ok).error(), key));
    return {};
}

} // namespace

Result<void> check_volumes(const OptionMap& opts) {
    for (const auto& [key, value] : opts) {
        if (key != "rootfs" && !pct::detail::is_mp_key(key))
            continue;
        auto mp = key == "rootfs" ? parse::rootfs(value) : parse::mount_point(value);
        if (!mp)
            return std::unexpected(with_key(std::move(mp).error(), key));
        if (auto ok = check_given_volume(key, mp->volume); !ok)
            return ok;
    }
    return {};
}

// Every netN gets a stable MAC now, as Proxmox's create does (a new one for all with `unique`),
// and the default type `veth`.
Result<void> fill_net_defaults(OptionMap& opts, bool unique) {
    for (auto& [key, value] : opts) {
        if (!pct::detail::is_net_key(key))
            continue;
        auto net = parse::net(value);
        if (!net)
            return std::unexpected(with_key(std::move(net).error(), key));
        if (!net->hwaddr || unique)
            net->hwaddr = random_mac();
        if (!net->type)
            net->type = "veth";
        auto text = render::net(*net);
        if (!text)
            return std::unexpected(with_key(std::move(text).error(), key));
        value = *text;
    }
    return {};
}

CreateUndo::~CreateUndo() {
    if (m_dismissed)
        return;
    Vmid vmid = m_lock.vmid();
    std::vector<std::string> warnings;
    if (mounted)
        (void)umount_all(m_host, vmid, *mounted, true, warnings);
    for (auto it = volumes.rbegin(); it != volumes.rend(); ++it)
        (void)m_storages.free(*it); // as Proxmox's destroy_disks: errors only warned
    std::error_code ec;
    if (!given_dir.empty() && !given_dir_existed)
        std::filesystem::remove_all(given_dir, ec);
    if (!given_dir.empty() && given_dir_existed) {
        for (auto& entry : std::filesystem::directory_iterator(given_dir, ec))
            std::filesystem::remove_all(entry.path(), ec);
        if (given_owner)
            (void)::chown(given_dir.c_str(), given_owner->uid, given_owner->gid);
    }
    for (const auto& file : made_files)
        ::unlink(file.c_str());
    for (const auto& dir : made_dirs)
        ::rmdir(dir.c_str()); // only when empty
    if (owns_ct_dir && umount_below(rootfs_mount_path(m_host, vmid)))
        std::filesystem::remove_all(m_host.ct_dir(vmid), ec);
    if (previous)
        (void)m_host.write_config(m_lock, *previous);
    else
        (void)m_host.remove_config(m_lock);
}

std::vector<std::string> missing_dirs(const storage::Host& host, Vmid vmid, const OptionMap& opts) {
    std::vector<std::string> dirs;
    for (const auto& [key, value] : opts) {
        if (key != "rootfs" && !pct::detail::is_mp_key(key))
            continue;
        auto mp = key == "rootfs" ? parse::rootfs(value) : parse::mount_point(value);
        if (!mp || !is_volume_request(mp->volume))
            continue;
        std::string storeid = mp->volume.substr(0, mp->volume.find(':'));
        auto probe = host.volume_path(vmid, fmt::format("{}:{}/x", storeid, vmid.value));
        if (probe)
            dirs.push_back(probe->substr(0, probe->rfind('/')));
    }
    dirs.push_back(rootfs_mount_path(host, vmid));
    dirs.push_back(host.ct_dir(vmid));
    std::erase_if(dirs, [](const std::string& d) {
        struct stat st {};
        return ::lstat(d.c_str(), &st) == 0;
    });
    return dirs;
}

std::string host_arch() {
    utsname u{};
    ::uname(&u);
    std::string_view m = u.machine;
    if (m == "aarch64")
        return "arm64";
    if (m == "i686" || m == "i386")
        return "i386";
    if (m.starts_with("armv7"))
        return "armhf";
    if (m == "riscv64")
        return "riscv64";
    return "amd64";
}

void apply_create_defaults(OptionMap& opts, Vmid vmid) {
    if (!opts.contains("hostname"))
        opts["hostname"] = fmt::format("CT{}", vmid.value);
    if (!opts.contains("memory"))
        opts["memory"] = "512";
    if (!opts.contains("swap"))
        opts["swap"] = "512";
}

} // namespace pct::runtime::detail
