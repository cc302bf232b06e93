// SPDX-License-Identifier: AGPL-3.0-or-later
// is_valid_lxc_conf_key of PVE::LXC::Config (spec §5.4), checks in Proxmox's order.
#include <pct/parse/lxc_keys.hpp>

#include "../model/bytes_impl.hpp"

#include <algorithm>
#include <array>

namespace pct::parse {
namespace {

using sv = std::string_view;

// Sorted for binary search.
constexpr std::array<sv, 63> k_valid = {
    "lxc.apparmor.allow_incomplete",
    "lxc.apparmor.allow_nesting",
    "lxc.apparmor.profile",
    "lxc.apparmor.raw",
    "lxc.arch",
    "lxc.autodev",
    "lxc.cap.drop",
    "lxc.cap.keep",
    "lxc.console.logfile",
    "lxc.console.path",
    "lxc.devtty.dir",
    "lxc.environment",
    "lxc.environment.hooks",
    "lxc.environment.runtime",
    "lxc.group",
    "lxc.hook.autodev",
    "lxc.hook.clone",
    "lxc.hook.destroy",
    "lxc.hook.mount",
    "lxc.hook.post-stop",
    "lxc.hook.pre-mount",
    "lxc.hook.pre-start",
    "lxc.hook.start",
    "lxc.hook.stop",
    "lxc.hook.version",
    "lxc.idmap",
    "lxc.include",
    "lxc.init.cmd",
    "lxc.init.cwd",
    "lxc.init.gid",
    "lxc.init.groups",
    "lxc.init.uid",
    "lxc.kmsg",
    "lxc.log.file",
    "lxc.log.level",
    "lxc.mount.auto",
    "lxc.mount.entry",
    "lxc.mount.fstab",
    "lxc.pty.max",
    "lxc.rootfs.mount",
    "lxc.rootfs.options",
    "lxc.rootfs.path",
    "lxc.seccomp.notify.cookie",
    "lxc.seccomp.notify.proxy",
    "lxc.seccomp.profile",
    "lxc.selinux.context",
    "lxc.signal.halt",
    "lxc.signal.reboot",
    "lxc.signal.stop",
    "lxc.start.auto",
    "lxc.start.delay",
    "lxc.start.order",
    "lxc.sysctl.fs.mqueue",
    "lxc.sysctl.kernel.msgmax",
    "lxc.sysctl.kernel.msgmnb",
    "lxc.sysctl.kernel.msgmni",
    "lxc.sysctl.kernel.sem",
    "lxc.sysctl.kernel.shm_rmid_forced",
    "lxc.sysctl.kernel.shmall",
    "lxc.sysctl.kernel.shmmax",
    "lxc.sysctl.kernel.shmmni",
    "lxc.tty.max",
    "lxc.uts.name",
};

struct Renamed {
    sv old_name;
    sv new_name;
};

// The lxc-2 names removed with lxc 3.0, sorted by old name.
constexpr std::array<Renamed, 29> k_renamed = {{
    {"lxc.aa_allow_incomplete", "lxc.apparmor.allow_incomplete"},
    {"lxc.aa_profile", "lxc.apparmor.profile"},
    {"lxc.console", "lxc.console.path"},
    {"lxc.devttydir", "lxc.tty.dir"},
    {"lxc.haltsignal", "lxc.signal.halt"},
    {"lxc.id_map", "lxc.idmap"},
    {"lxc.init_cmd", "lxc.init.cmd"},
    {"lxc.logfile", "lxc.log.file"},
    {"lxc.loglevel", "lxc.log.level"},
    {"lxc.mount", "lxc.mount.fstab"},
    {"lxc.network.flags", "lxc.net.INDEX.flags"},
    {"lxc.network.hwaddr", "lxc.net.INDEX.hwaddr"},
    {"lxc.network.ipv4", "lxc.net.INDEX.ipv4.address"},
    {"lxc.network.ipv4.gateway", "lxc.net.INDEX.ipv4.gateway"},
    {"lxc.network.ipv6", "lxc.net.INDEX.ipv6.address"},
    {"lxc.network.ipv6.gateway", "lxc.net.INDEX.ipv6.gateway"},
    {"lxc.network.link", "lxc.net.INDEX.link"},
    {"lxc.network.mtu", "lxc.net.INDEX.mtu"},
    {"lxc.network.name", "lxc.net.INDEX.name"},
    {"lxc.network.script.down", "lxc.net.INDEX.script.down"},
    {"lxc.network.script.up", "lxc.net.INDEX.script.up"},
    {"lxc.network.type", "lxc.net.INDEX.type"},
    {"lxc.pts", "lxc.pty.max"},
    {"lxc.rebootsignal", "lxc.signal.reboot"},
    {"lxc.se_context", "lxc.selinux.context"},
    {"lxc.seccomp", "lxc.seccomp.profile"},
    {"lxc.stopsignal", "lxc.signal.stop"},
    {"lxc.tty", "lxc.tty.max"},
    {"lxc.utsname", "lxc.uts.name"},
}};

consteval bool sorted() {
    for (std::size_t i = 1; i < k_valid.size(); ++i)
        if (!(k_valid[i - 1] < k_valid[i]))
            return false;
    for (std::size_t i = 1; i < k_renamed.size(); ++i)
        if (!(k_renamed[i - 1].old_name < k_renamed[i].old_name))
            return false;
    return true;
}
static_assert(sorted());

LxcKeyCheck verdict(LxcKeyVerdict v, std::string message = {}) {
    return LxcKeyCheck{v, std::move(message)};
}

} // namespace

LxcKeyCheck check_lxc_key(std::string_view key) {
    auto k = [&] { return std::string(key); }; // only messages need the key as a string
    if (pct::detail::has_prefix(key, "lxc.limit."))
        return verdict(LxcKeyVerdict::deprecated,
                       k() + ": lxc.limit.* was renamed to lxc.prlimit.*");
    auto renamed = std::lower_bound(k_renamed.begin(), k_renamed.end(), key,
                                    [](const Renamed& r, sv name) { return r.old_name < name; });
    if (renamed != k_renamed.end() && renamed->old_name == key)
        return verdict(LxcKeyVerdict::deprecated,
                       k() + " is deprecated and was renamed to " + std::string(renamed->new_name));
    if (std::binary_search(k_valid.begin(), k_valid.end(), key)) {
        if (key == "lxc.rootfs.path")
            return verdict(LxcKeyVerdict::rejected, "lxc.rootfs.path is auto generated from rootfs");
        if (key == "lxc.rootfs.options")
            return verdict(LxcKeyVerdict::rejected,
                           "lxc.rootfs.options is not supported, please use mount point options "
                           "in the \"rootfs\" key");
        return verdict(LxcKeyVerdict::accepted);
    }
    if (pct::detail::has_prefix(key, "lxc.cgroup."))
        return verdict(LxcKeyVerdict::deprecated,
                       k() + " is deprecated, this will be a hard error in the future!");
    if (pct::detail::has_prefix(key, "lxc.cgroup2.") ||
        pct::detail::has_prefix(key, "lxc.prlimit.") || pct::detail::has_prefix(key, "lxc.net."))
        return verdict(LxcKeyVerdict::accepted);
    return verdict(LxcKeyVerdict::invalid);
}

} // namespace pct::parse
