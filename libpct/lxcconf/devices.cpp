// SPDX-License-Identifier: AGPL-3.0-or-later
// Step 9 (devN passthrough) and the console's device rule of step 12.
#include "generate_impl.hpp"

#include <pct/parse/properties.hpp>

#include <cerrno>
#include <charconv>
#include <map>
#include <sys/stat.h>
#include <sys/sysmacros.h>

namespace pct::lxcconf::detail {

namespace {

struct DeviceNode {
    char type = 'c'; ///< 'b' or 'c'
    unsigned major = 0;
    unsigned minor = 0;
};

/// PVE::LXC::Tools::get_device_mode_and_rdev, with its messages.
Result<DeviceNode> stat_device(const std::string& key, const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        int err = errno;
        auto e = err == ENOENT ? fail(Errc::not_found, "Device " + path + " does not exist",
                                      {.key = key, .subkey = "path"})
                               : fail(Errc::io, "Error accessing device " + path,
                                      {.key = key, .subkey = "path"});
        e.error().sys_errno = err;
        e.error().context = path;
        return e;
    }
    if (!S_ISBLK(st.st_mode) && !S_ISCHR(st.st_mode))
        return fail(Errc::invalid_argument, path + " is not a device",
                    {.key = key, .subkey = "path"});
    return DeviceNode{S_ISBLK(st.st_mode) ? 'b' : 'c', ::major(st.st_rdev), ::minor(st.st_rdev)};
}

/// The cgroup key family for device rules, or "" when this host has no device controller.
std::string device_key_prefix(const Context& ctx) {
    if (ctx.native_v1())
        return ctx.has_controller("devices") ? "lxc.cgroup.devices." : "";
    if (ctx.host.cgroup == CgroupMode::v2)
        return "lxc.cgroup2.devices.";
    return ctx.native() ? "" : "lxc.cgroup2.devices.";
}

/// A path as a field of an fstab line (`lxc.mount.entry` is read with getmntent): blanks,
/// tabs and backslashes become octal escapes, which getmntent decodes (`/dev/my disk` ->
/// `/dev/my\040disk`); unescaped, a blank would split the path into two fields.
std::string fstab_field(std::string_view path) {
    std::string out;
    out.reserve(path.size());
    for (char c : path) {
        switch (c) {
        case ' ':
            out += "\\040";
            break;
        case '\t':
            out += "\\011";
            break;
        case '\\':
            out += "\\134";
            break;
        default:
            out += c;
        }
    }
    return out;
}

} // namespace

Status emit_devices(Context& ctx) {
    // Proxmox walks them in hash order; index order is one of those orders and reproducible.
    std::map<unsigned, std::string> keys;
    for (const auto& [key, value] : ctx.conf.options) {
        if (key.size() <= 3 || !key.starts_with("dev"))
            continue;
        unsigned index = 0;
        auto [end, ec] = std::from_chars(key.data() + 3, key.data() + key.size(), index);
        if (ec == std::errc{} && end == key.data() + key.size())
            keys.emplace(index, key);
    }

    std::string prefix = device_key_prefix(ctx);
    for (const auto& [index, key] : keys) {
        auto dev = parse::device(*ctx.conf.get(key));
        if (!dev)
            return std::unexpected(with_key(std::move(dev).error(), key));
        if (!dev->path)
            return fail(Errc::invalid_argument, "Path has to be defined",
                        {.key = key, .subkey = "path"});
        auto node = stat_device(key, *dev->path);
        if (!node)
            return std::unexpected(std::move(node).error());

        bool deny_write = dev->deny_write.value_or(false);
        std::string id = std::string(1, node->type) + ' ' + std::to_string(node->major) + ':' +
                         std::to_string(node->minor);
        if (!prefix.empty()) {
            ctx.emit(prefix + "allow", id + (deny_write ? " r" : " rw"));
            if (deny_write)
                ctx.emit(prefix + "deny", id + " w");
        } else if (deny_write) {
            ctx.warn(key + ": deny-write cannot be enforced: this host has no device cgroup "
                           "controller");
        }

        if (ctx.native()) {
            // Proxmox's autodev hook creates the node; without hooks, bind-mount the host's.
            std::string target = *dev->path;
            while (!target.empty() && target.front() == '/')
                target.erase(0, 1);
            ctx.emit("lxc.mount.entry", fstab_field(*dev->path) + ' ' + fstab_field(target) +
                                            " none bind,create=file 0 0");
            if (dev->mode || dev->uid || dev->gid)
                ctx.warn(key + ": mode/uid/gid are not applied by the native profile: the "
                               "bind-mounted host node keeps its own owner and mode");
        }
    }
    return {};
}

void emit_console_deny(Context& ctx) {
    std::string prefix = device_key_prefix(ctx);
    if (ctx.native() ? !prefix.empty() : ctx.host.cgroup == CgroupMode::v2)
        ctx.emit(prefix + "deny", "c 5:1 rwm");
}

} // namespace pct::lxcconf::detail
