// SPDX-License-Identifier: AGPL-3.0-or-later
// Steps 4-7: seccomp (with the rules.seccomp extra file), AppArmor, fuse and the /sys mount.
#include "generate_impl.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>

namespace pct::lxcconf::detail {

namespace {

bool on(const std::optional<bool>& flag) { return flag.value_or(false); }

Result<std::string> read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        int err = errno;
        Error e;
        e.code = err == ENOENT ? Errc::not_found : Errc::io;
        e.message = "error opening '" + path + "': " + std::strerror(err);
        e.context = path;
        e.sys_errno = err;
        return std::unexpected(std::move(e));
    }
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

/// Step 4 (make_seccomp_config).
Status emit_seccomp(Context& ctx) {
    const Features& f = ctx.features;
    // A configured profile wins; it comes later in the file anyway.
    if (ctx.has_raw("lxc.seccomp.profile")) {
        std::string ignored;
        for (auto [name, flag] : {std::pair{"keyctl", f.keyctl}, std::pair{"mknod", f.mknod}}) {
            if (on(flag))
                ignored += (ignored.empty() ? "" : ", ") + std::string(name);
        }
        if (!ignored.empty())
            ctx.warn("explicitly configured lxc.seccomp.profile overrides the following "
                     "settings: " + ignored);
        return {};
    }
    // Privileged containers keep the default profile of the included files.
    if (!ctx.unprivileged)
        return {};

    std::map<std::string, std::vector<std::string>> rules{
        {"keyctl", {"errno 38"}},
        // btrfs ioctls ((req & 0xff00) == 0x9400) misbehave in user namespaces.
        {"ioctl", {"errno 1 [1,0x9400,SCMP_CMP_MASKED_EQ,0xff00]"}},
        // AF_ALG sockets.
        {"socket", {"errno 97 [0,38,SCMP_CMP_EQ]"}},
    };
    if (on(f.keyctl))
        rules.erase("keyctl");

    if (on(f.mknod)) {
        std::string socket = ctx.host.syscalld_socket;
        if (socket.empty() && ctx.native()) {
            ctx.warn("features: mknod ignored: no pve-lxc-syscalld socket on this host to "
                     "handle the trapped mknod calls");
        } else {
            if (socket.empty())
                socket = HostFacts{}.syscalld_socket;
            ctx.emit("lxc.seccomp.notify.proxy", "unix:" + socket);
            ctx.emit("lxc.seccomp.notify.cookie", std::to_string(ctx.vmid));
            // (mode & S_IFMT) == S_IFCHR / S_IFBLK: only device nodes go to the daemon.
            rules["mknod"] = {"notify [1,8192,SCMP_CMP_MASKED_EQ,61440]",
                              "notify [1,24576,SCMP_CMP_MASKED_EQ,61440]"};
            rules["mknodat"] = {"notify [2,8192,SCMP_CMP_MASKED_EQ,61440]",
                                "notify [2,24576,SCMP_CMP_MASKED_EQ,61440]"};
        }
    }

    // (Proxmox's shortcut to pve-userns.seccomp applies only to a lone keyctl rule, which the
    // always-present ioctl/socket rules make unreachable.)
    std::string extra;
    for (const auto& [syscall, list] : rules)
        for (const auto& rule : list)
            extra += syscall + ' ' + rule + '\n';

    auto common = read_file(ctx.host.lxc_config_dir + "/common.seccomp");
    if (!common)
        return std::unexpected(std::move(common).error());
    std::string path = ctx.ct_dir() + "/rules.seccomp";
    ctx.out.files.push_back(ExtraFile{path, *common + extra});
    ctx.emit("lxc.seccomp.profile", path);
    return {};
}

/// Step 5 (make_apparmor_config).
void emit_apparmor(Context& ctx) {
    const Features& f = ctx.features;
    if (ctx.native() && !ctx.host.apparmor)
        return; // liblxc would ignore the keys; the features need no profile lines here.

    std::vector<std::pair<std::string, std::string>> lines{{"lxc.apparmor.profile", "generated"},
                                                           {"lxc.apparmor.raw", "allow mqueue,"}};
    std::string uses;
    auto use = [&uses](std::string_view what) {
        uses += (uses.empty() ? "" : ", ") + std::string(what);
    };
    if (on(f.fuse))
        use("features:fuse");
    if (on(f.nesting)) {
        use("features:nesting");
        lines.emplace_back("lxc.apparmor.allow_nesting", "1");
        lines.emplace_back("lxc.apparmor.raw", "allow userns,");
    } else {
        // Without these a container could e.g. chown /sys for the whole host.
        lines.emplace_back("lxc.apparmor.raw", "deny mount -> /proc/,");
        lines.emplace_back("lxc.apparmor.raw", "deny mount -> /sys/,");
    }
    if (f.mount && !f.mount->empty()) {
        use("features:mount");
        for (const auto& fs : split_list(*f.mount))
            lines.emplace_back("lxc.apparmor.raw", "mount fstype=" + fs + ',');
    }

    if (ctx.has_raw("lxc.apparmor.profile")) {
        if (!uses.empty())
            ctx.warn("explicitly configured lxc.apparmor.profile overrides the following "
                     "settings: " + uses);
        return;
    }
    for (const auto& [key, value] : lines)
        ctx.emit(key, value);
}

} // namespace

Status emit_security(Context& ctx) {
    if (auto st = emit_seccomp(ctx); !st)
        return st;
    emit_apparmor(ctx);

    // 6. Emitted even under a raw AppArmor profile, as Proxmox does.
    if (on(ctx.features.fuse)) {
        if (!ctx.native() || ctx.host.apparmor)
            ctx.emit("lxc.apparmor.raw", "mount fstype=fuse,");
        ctx.emit("lxc.mount.entry", "/dev/fuse dev/fuse none bind,create=file 0 0");
    }

    // 7. userns.conf mounts /sys rw; systemd-networkd and friends want it mixed.
    if (ctx.unprivileged && !on(ctx.features.force_rw_sys))
        ctx.emit("lxc.mount.auto", "sys:mixed");
    return {};
}

} // namespace pct::lxcconf::detail
