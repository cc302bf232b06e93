// SPDX-License-Identifier: AGPL-3.0-or-later
// Steps 4-7: seccomp (with the rules.seccomp extra file), AppArmor, fuse and the /sys mount.
#include "generate_impl.hpp"

#include <array>
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
        return fail(err == ENOENT ? Errc::not_found : Errc::io,
                    "error opening '" + path + "': " + std::strerror(err),
                    {.context = path, .sys_errno = err});
    }
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

/// `<ct_dir>/rules.seccomp` = liblxc's default policy (`common.seccomp`, which the included
/// common.conf would have loaded) followed by `extra`, and the key that loads it instead.
Status write_rules(Context& ctx, const std::string& extra) {
    auto common = read_file(ctx.host.lxc_config_dir + "/common.seccomp");
    if (!common)
        return std::unexpected(std::move(common).error());
    std::string path = ctx.ct_dir() + "/rules.seccomp";
    ctx.out.files.push_back(ExtraFile{path, *common + extra});
    ctx.emit("lxc.seccomp.profile", path);
    return {};
}

/// Every syscall that mounts, unmounts or moves a filesystem (the old mount API and the new
/// fd-based one), denied with EPERM where nothing else confines a privileged container.
constexpr std::array<std::string_view, 10> k_mount_syscalls{
    "mount",  "umount2",  "pivot_root", "open_tree", "move_mount",
    "fsopen", "fsconfig", "fsmount",    "fspick",    "mount_setattr"};

/// The native profile's guard where Proxmox relies on AppArmor: a privileged container on a
/// host without AppArmor. Its root holds CAP_SYS_ADMIN in the host's user namespace, so
/// `mount -t proc proc /mnt` would give it a writable /proc/sys (kernel.core_pattern runs a
/// program as host root); Proxmox's profile denies such mounts (`deny mount -> /proc/,`).
bool confine_mounts(const Context& ctx) {
    return ctx.native() && !ctx.host.apparmor && !ctx.unprivileged;
}

/// The features that ask for mounts inside the container, as the config spells them.
std::string mount_requests(const Features& f) {
    std::string asks;
    auto ask = [&asks](std::string what) { asks += (asks.empty() ? "" : ", ") + std::move(what); };
    if (on(f.nesting))
        ask("nesting=1");
    if (f.mount && !f.mount->empty())
        ask("mount=" + *f.mount);
    if (on(f.fuse))
        ask("fuse=1");
    return asks;
}

/// Step 4 (make_seccomp_config).
Status emit_seccomp(Context& ctx) {
    const Features& f = ctx.features;
    bool confine = confine_mounts(ctx);
    // A configured profile wins; it comes later in the file anyway.
    if (ctx.has_raw("lxc.seccomp.profile")) {
        if (confine)
            ctx.warn("explicitly configured lxc.seccomp.profile replaces the mount denial of a "
                     "privileged container on a host without AppArmor: its root can mount "
                     "proc and sysfs and change host-wide kernel settings");
        std::string ignored;
        for (auto [name, flag] : {std::pair{"keyctl", f.keyctl}, std::pair{"mknod", f.mknod}}) {
            if (on(flag))
                ignored += (ignored.empty() ? "" : ", ") + std::string(name);
        }
        if (!ignored.empty())
            ctx.warn("explicitly configured lxc.seccomp.profile overrides the following "
                     "settings: " +
                     ignored);
        return {};
    }
    // Privileged containers keep the default profile of the included files, unless nothing
    // else keeps their root from mounting.
    if (!ctx.unprivileged) {
        if (!confine)
            return {};
        if (auto asks = mount_requests(f); !asks.empty()) {
            ctx.warn("CT " + std::to_string(ctx.vmid) +
                     " is privileged on a host without AppArmor, and features: " + asks +
                     " allows it to mount: its root can mount proc or sysfs and change "
                     "host-wide kernel settings (kernel.core_pattern, ...). Make it "
                     "unprivileged (unprivileged: 1) or drop the feature to have mounts denied");
            return {};
        }
        std::string extra;
        for (std::string_view syscall : k_mount_syscalls)
            extra += std::string(syscall) + " errno 1\n";
        return write_rules(ctx, extra);
    }

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
    return write_rules(ctx, extra);
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
                     "settings: " +
                     uses);
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
    // /proc/sys, /proc/sysrq-trigger and /sys read-only whatever the includes say: with mounts
    // denied, a privileged root cannot make them writable again.
    if (confine_mounts(ctx)) {
        ctx.emit("lxc.mount.auto", "proc:mixed sys:mixed");
        // A raw line comes later in the file and liblxc mounts before it loads seccomp.
        if (ctx.has_raw("lxc.mount.auto"))
            ctx.warn("explicitly configured lxc.mount.auto comes after the read-only proc and "
                     "sys of a privileged container on a host without AppArmor: with proc:rw or "
                     "sys:rw its root can change host-wide kernel settings");
    }
    return {};
}

} // namespace pct::lxcconf::detail
