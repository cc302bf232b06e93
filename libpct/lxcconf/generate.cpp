// SPDX-License-Identifier: AGPL-3.0-or-later
// generate(): the steps of Proxmox's update_lxc_config in their order (spec §9), with the
// native profile's deviations where this host needs them.
#include "generate_impl.hpp"

#include <pct/parse/properties.hpp>

#include <algorithm>
#include <filesystem>

namespace pct::lxcconf {

namespace detail {

bool Context::has_controller(std::string_view name) const {
    return std::find(host.controllers.begin(), host.controllers.end(), name) !=
           host.controllers.end();
}

bool Context::has_raw(std::string_view key) const {
    return std::any_of(conf.lxc.begin(), conf.lxc.end(),
                       [key](const LxcEntry& e) { return e.key == key; });
}

std::string Context::ct_dir() const {
    std::string dir = host.lxcpath;
    while (dir.size() > 1 && dir.back() == '/')
        dir.pop_back();
    return dir + '/' + std::to_string(vmid);
}

void Context::emit(std::string_view key, std::string_view value) {
    out.config.append(key);
    out.config += " = ";
    out.config.append(value);
    out.config += '\n';
}

Status emit_includes(Context& ctx, std::string_view ostype) {
    namespace fs = std::filesystem;
    std::string dir = ctx.host.lxc_config_dir;
    auto is_file = [](const std::string& path) {
        std::error_code ec;
        return fs::is_regular_file(path, ec);
    };
    auto pick = [&](std::string_view suffix) -> std::optional<std::string> {
        std::string specific = dir + '/' + std::string(ostype) + '.' + std::string(suffix);
        if (is_file(specific))
            return specific;
        std::string generic = dir + '/' + std::string(suffix);
        // Proxmox includes the generic file without checking; the native profile only includes
        // what the host really has (liblxc refuses to start on a missing include).
        if (!ctx.native() || is_file(generic))
            return generic;
        return std::nullopt;
    };

    if (auto common = pick("common.conf")) {
        ctx.emit("lxc.include", *common);
    } else {
        // What common.conf would have given a minimal (busybox) container to boot with.
        ctx.warn("no common.conf in " + dir + ": using built-in defaults (pty.max, mount.auto)");
        ctx.emit("lxc.pty.max", "1024");
        ctx.emit("lxc.mount.auto", "proc:mixed sys:mixed cgroup:mixed");
    }
    if (ctx.unprivileged) {
        if (auto userns = pick("userns.conf"))
            ctx.emit("lxc.include", *userns);
        else
            ctx.warn("no userns.conf in " + dir +
                     ": the unprivileged container keeps common.conf's device rules");
    }
    return {};
}

} // namespace detail

namespace {

using detail::Context;
using detail::fail_at;
using detail::perl_true;
using detail::Status;

/// Steps 1-13: everything before the resource limits.
Status emit_head(Context& ctx) {
    const Section& conf = ctx.conf;

    // 1. Keep Proxmox's cgroup layout (limits on lxc/<id>, init in lxc/<id>/ns).
    if (ctx.lxc.major >= 4) {
        ctx.emit("lxc.cgroup.relative", "0");
        ctx.emit("lxc.cgroup.dir.monitor", "lxc.monitor/" + std::to_string(ctx.vmid));
        ctx.emit("lxc.cgroup.dir.container", "lxc/" + std::to_string(ctx.vmid));
        ctx.emit("lxc.cgroup.dir.container.inner", "ns");
    }

    // 2.
    auto arch = conf.get("arch");
    if (!perl_true(arch))
        return fail_at(Errc::invalid_argument, "missing 'arch' - internal error", "arch");
    ctx.emit("lxc.arch", *arch);

    // 3.
    ctx.custom_idmap = ctx.has_raw("lxc.idmap");
    ctx.unprivileged = perl_true(conf.get("unprivileged")) || ctx.custom_idmap;
    auto ostype = conf.get("ostype");
    if (!perl_true(ostype))
        return fail_at(Errc::invalid_argument, "missing 'ostype' - internal error", "ostype");
    if (auto st = detail::emit_includes(ctx, *ostype); !st)
        return st;

    // 4-7.
    if (auto features = conf.get("features"); features && !features->empty()) {
        auto parsed = parse::features(*features);
        if (!parsed)
            return std::unexpected(with_key(std::move(parsed).error(), "features"));
        ctx.features = std::move(*parsed);
    }
    if (auto st = detail::emit_security(ctx); !st)
        return st;

    // 8. A custom init still needs a /dev/shm (normally the distribution's init mounts it).
    auto entrypoint = conf.get("entrypoint");
    if (entrypoint && *entrypoint != "/sbin/init")
        ctx.emit("lxc.mount.entry", "shm dev/shm tmpfs rw,nosuid,nodev,create=dir 0 0");

    // 9.
    if (auto st = detail::emit_devices(ctx); !st)
        return st;

    // 10. Keeps loop-device mounts out of the container's reach (Proxmox: DO NOT REMOVE).
    ctx.emit("lxc.monitor.unshare", "1");

    // 11.
    if (ctx.unprivileged && !ctx.custom_idmap) {
        ctx.emit("lxc.idmap", "u 0 100000 65536");
        ctx.emit("lxc.idmap", "g 0 100000 65536");
    }

    // 12. has_dev_console: only an explicit false turns it off.
    if (auto console = conf.get("console"); console && !perl_true(console)) {
        ctx.emit("lxc.console.path", "none");
        detail::emit_console_deny(ctx);
    }

    // 13.
    auto tty = detail::uint_option(conf, "tty");
    if (!tty)
        return std::unexpected(std::move(tty).error());
    ctx.emit("lxc.tty.max", std::to_string(tty->value_or(2)));
    ctx.emit("lxc.environment", "TERM=linux");
    auto hostname = conf.get("hostname");
    ctx.emit("lxc.uts.name", perl_true(hostname) ? std::string(*hostname)
                                                 : "CT" + std::to_string(ctx.vmid));
    return {};
}

/// Steps 16-21: rootfs, init, networks, env, raw entries, cpuset.
Status emit_tail(Context& ctx) {
    const Section& conf = ctx.conf;

    // 16. The volume itself is mounted by whoever starts the CT; it must still parse.
    auto rootfs = conf.get("rootfs");
    if (!rootfs)
        return fail_at(Errc::invalid_argument, "missing 'rootfs' configuration", "rootfs");
    if (auto parsed = parse::rootfs(*rootfs); !parsed)
        return std::unexpected(with_key(std::move(parsed).error(), "rootfs"));
    ctx.emit("lxc.rootfs.path", ctx.ct_dir() + "/rootfs");

    // 17.
    if (auto entrypoint = conf.get("entrypoint"))
        ctx.emit("lxc.init.cmd", *entrypoint);

    // 18.
    if (auto st = detail::emit_networks(ctx); !st)
        return st;

    // 19. lxc < 6 has no lxc.environment.runtime and refuses the whole config with it.
    if (auto env = conf.get("env")) {
        std::string_view key = ctx.native() && ctx.lxc.major < 6 ? "lxc.environment"
                                                                 : "lxc.environment.runtime";
        std::string_view rest = *env;
        while (!rest.empty()) {
            auto nul = rest.find('\0');
            std::string_view item = rest.substr(0, nul);
            if (!item.empty())
                ctx.emit(key, item);
            if (nul == std::string_view::npos)
                break;
            rest.remove_prefix(nul + 1);
        }
    }

    // 20.
    bool had_cpuset = false;
    for (const LxcEntry& entry : conf.lxc) {
        if (entry.key == "lxc.cgroup.cpuset.cpus" || entry.key == "lxc.cgroup2.cpuset.cpus")
            had_cpuset = true;
        if (ctx.native()) {
            bool v2_key = entry.key.starts_with("lxc.cgroup2.");
            bool v1_key = entry.key.starts_with("lxc.cgroup.") &&
                          !entry.key.starts_with("lxc.cgroup.dir.") &&
                          entry.key != "lxc.cgroup.relative";
            if (v2_key && ctx.host.cgroup != CgroupMode::v2)
                ctx.warn(entry.key + ": liblxc ignores cgroup2 limits on this host's cgroup v1 "
                                     "controllers; use the lxc.cgroup.* key");
            else if (v1_key && ctx.host.cgroup == CgroupMode::v2)
                ctx.warn(entry.key + ": this host has no cgroup v1 controllers; use the "
                                     "lxc.cgroup2.* key");
        }
        ctx.emit(entry.key, entry.value);
    }

    // 21.
    return detail::emit_cpuset(ctx, had_cpuset);
}

} // namespace

Result<Generated> generate(const ContainerConfig& config, const HostFacts& host,
                           const GenerateOptions& options) {
    const Section& conf = config.main;
    if (perl_true(conf.get("template")))
        return fail_at(Errc::bad_state,
                       "CT " + std::to_string(options.vmid) +
                           " is a template: it has no LXC config (Proxmox deletes it)",
                       "template");

    Context ctx(conf, host, options.profile, options.vmid);

    if (auto st = emit_head(ctx); !st)
        return std::unexpected(std::move(st).error());
    if (auto st = detail::emit_limits(ctx); !st)
        return std::unexpected(std::move(st).error());
    if (auto st = emit_tail(ctx); !st)
        return std::unexpected(std::move(st).error());
    return std::move(ctx.out);
}

} // namespace pct::lxcconf
