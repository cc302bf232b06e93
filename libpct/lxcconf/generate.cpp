// SPDX-License-Identifier: AGPL-3.0-or-later
// generate(): the steps of Proxmox's update_lxc_config in their order (spec §9), with the
// native profile's deviations where this host needs them.
#include "generate_impl.hpp"

#include <pct/model/one_line.hpp>
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
    // The inputs were checked (check_one_line_inputs); what is left are host facts (lxcpath,
    // lxc_config_dir, a bridge name) and bugs. The first bad line fails the generation.
    if (!is_lxc_key_syntax(key) || has_line_break(value)) {
        if (!bad_line)
            bad_line = error(Errc::invalid_argument,
                             "generated LXC line '" + std::string(key) +
                                 "' would not be one key = value line (a host fact or a "
                                 "value holds a line break)",
                             {.key = key});
        return;
    }
    out.config.append(key);
    out.config += " = ";
    out.config.append(value);
    out.config += '\n';
}

Status emit_includes(Context& ctx, std::string_view ostype) {
    namespace fs = std::filesystem;
    std::string dir = ctx.host.lxc_config_dir;
    // The pinned list when the caller gave one, else the directory itself.
    auto has_file = [&](const std::string& name) {
        if (const auto& pinned = ctx.host.lxc_config_files)
            return std::find(pinned->begin(), pinned->end(), name) != pinned->end();
        std::error_code ec;
        return fs::is_regular_file(dir + '/' + name, ec);
    };
    auto pick = [&](std::string_view suffix) -> std::optional<std::string> {
        std::string specific = std::string(ostype) + '.' + std::string(suffix);
        if (has_file(specific))
            return dir + '/' + specific;
        // Proxmox includes the generic file without checking; the native profile only includes
        // what the host really has (liblxc refuses to start on a missing include).
        if (!ctx.native() || has_file(std::string(suffix)))
            return dir + '/' + std::string(suffix);
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
using detail::perl_true;
using detail::Status;

/// Every key and value of the section the LXC text is made from stays on one line: a line
/// break would add a key of the model's choosing (e.g. `lxc.apparmor.profile = unconfined`)
/// after the generated ones. `env` is a NUL-separated list (its NULs separate lines of
/// their own); raw entries also need a key of lxc syntax, as they are written verbatim.
Status check_one_line_inputs(const Section& conf) {
    for (const auto& [key, value] : conf.options) {
        if (has_line_break(key))
            return fail(Errc::invalid_argument, "a config key must not contain a line break",
                        {.key = key});
        std::string_view rest = value;
        bool is_env = key == "env";
        while (true) {
            auto end = is_env ? rest.find('\0') : std::string_view::npos;
            if (auto ok = check_one_line(key, rest.substr(0, end)); !ok)
                return ok;
            if (end == std::string_view::npos)
                break;
            rest.remove_prefix(end + 1);
        }
    }
    for (const LxcEntry& entry : conf.lxc) {
        if (!is_lxc_key_syntax(entry.key))
            return fail(Errc::invalid_argument,
                        "invalid raw lxc key '" + entry.key + "' (expected lxc.[a-z0-9_.-]+)",
                        {.key = entry.key});
        if (auto ok = check_one_line(entry.key, entry.value); !ok)
            return ok;
    }
    return {};
}

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
        return fail(Errc::invalid_argument, "missing 'arch' - internal error", {.key = "arch"});
    ctx.emit("lxc.arch", *arch);

    // 3.
    ctx.custom_idmap = ctx.has_raw("lxc.idmap");
    ctx.unprivileged = perl_true(conf.get("unprivileged")) || ctx.custom_idmap;
    auto ostype = conf.get("ostype");
    if (!perl_true(ostype))
        return fail(Errc::invalid_argument, "missing 'ostype' - internal error", {.key = "ostype"});
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
    ctx.emit("lxc.uts.name",
             perl_true(hostname) ? std::string(*hostname) : "CT" + std::to_string(ctx.vmid));
    return {};
}

/// Steps 16-21: rootfs, init, networks, env, raw entries, cpuset.
Status emit_tail(Context& ctx) {
    const Section& conf = ctx.conf;

    // 16. The volume itself is mounted by whoever starts the CT; it must still parse.
    auto rootfs = conf.get("rootfs");
    if (!rootfs)
        return fail(Errc::invalid_argument, "missing 'rootfs' configuration", {.key = "rootfs"});
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
        std::string_view key =
            ctx.native() && ctx.lxc.major < 6 ? "lxc.environment" : "lxc.environment.runtime";
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
        return fail(Errc::bad_state,
                    "CT " + std::to_string(options.vmid) +
                        " is a template: it has no LXC config (Proxmox deletes it)",
                    {.key = "template"});

    if (auto st = check_one_line_inputs(conf); !st)
        return std::unexpected(std::move(st).error());
    Context ctx(conf, host, options.profile, options.vmid);

    if (auto st = emit_head(ctx); !st)
        return std::unexpected(std::move(st).error());
    if (auto st = detail::emit_limits(ctx); !st)
        return std::unexpected(std::move(st).error());
    if (auto st = emit_tail(ctx); !st)
        return std::unexpected(std::move(st).error());
    if (ctx.bad_line)
        return std::unexpected(std::move(*ctx.bad_line));
    return std::move(ctx.out);
}

} // namespace pct::lxcconf
