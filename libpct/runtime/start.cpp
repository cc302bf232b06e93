// SPDX-License-Identifier: AGPL-3.0-or-later
#include "hookscript.hpp"
#include "id_map.hpp"
#include "impl.hpp"
#include "mount.hpp"
#include "pending_rules.hpp"
#include "start_helper.hpp"

#include <pct/lxcconf.hpp>
#include <pct/storage/atomic_file.hpp>
#include <pct/storage/config_document.hpp>
#include <pct/validate.hpp>

#include <fmt/format.h>

#include <cctype>
#include <sys/stat.h>

namespace pct::runtime {

namespace {

// liblxc's log levels (lxc_log_priority_to_int); anything else would reach `lxc.log.level`.
Result<std::string> checked_log_level(std::string_view level) {
    std::string upper(level);
    for (char& ch : upper)
        ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    for (std::string_view known :
         {"TRACE", "DEBUG", "INFO", "NOTICE", "WARN", "ERROR", "CRIT", "ALERT", "FATAL"})
        if (upper == known)
            return upper;
    return fail(Errc::invalid_argument,
                fmt::format("unknown log level '{}' (expected TRACE, DEBUG, INFO, NOTICE, "
                            "WARN, ERROR, CRIT, ALERT or FATAL)",
                            level),
                {.key = "log_level"});
}

} // namespace

Result<StartReport> Container::start(const StartOptions& options) {
    auto& host = m_impl->host;
    Vmid vmid = m_impl->vmid;
    std::string conf_path = host.config_path(vmid);
    // The caller's log level becomes the `lxc.log.level` line: only liblxc's names pass.
    auto log_level = checked_log_level(options.log_level);
    if (!log_level)
        return std::unexpected(std::move(log_level).error());
    auto lock = host.lock(vmid);
    if (!lock)
        return std::unexpected(std::move(lock).error());
    if (running())
        return fail(Errc::bad_state, fmt::format("CT {} already running", vmid.value));
    auto parsed = host.read_config(vmid);
    if (!parsed)
        return std::unexpected(std::move(parsed).error());
    ContainerConfig config = std::move(parsed->config);
    if (auto t = config.main.get("template"); t && *t == "1")
        return fail(Errc::bad_state, "you can't start a CT if it's a template",
                    {.context = conf_path});
    if (auto ok = check_lock(config, LockedOp::start, options.skiplock); !ok)
        return std::unexpected(std::move(ok).error());

    // Proxmox's vm_start: every pending change enters the main section first (pending.hpp).
    std::vector<std::string> apply_warnings;
    auto applied = detail::apply_all_pending(host, vmid, config, apply_warnings);
    if (!applied)
        return std::unexpected(std::move(applied).error());
    if (*applied)
        if (auto ok = host.write_config(*lock, config); !ok)
            return std::unexpected(std::move(ok).error());

    // Only what is about to run: snapshots keep the values they were taken with.
    ContainerConfig running_config;
    running_config.main = config.main;
    if (auto problems = validate::config(running_config); !problems.empty()) {
        Error e = std::move(problems.front());
        if (e.context.empty())
            e.context = conf_path;
        return std::unexpected(std::move(e));
    }
    auto settings = detail::settings_of(config, conf_path);
    if (!settings)
        return std::unexpected(std::move(settings).error());
    auto id_map = detail::container_id_map(config.main, settings->unprivileged.value_or(false));
    if (!id_map) {
        Error e = std::move(id_map).error();
        e.context = conf_path;
        return std::unexpected(std::move(e));
    }
    if (!settings->rootfs)
        return fail(Errc::invalid_argument, "missing 'rootfs' configuration",
                    {.context = conf_path, .key = "rootfs"});
    // The volumes are mounted here by pct-prestart, in the mount namespace liblxc inherits
    // (prestart.hpp), as Proxmox's `lxc.rootfs.path`.
    std::string rootfs = detail::rootfs_mount_path(host, vmid);

    auto facts = lxcconf::detect_host_for(config, host.lxcpath());
    if (!facts)
        return std::unexpected(std::move(facts).error());
    lxcconf::GenerateOptions gen_options;
    gen_options.profile = lxcconf::Profile::native;
    gen_options.vmid = vmid.value;
    auto generated = lxcconf::generate(config, *facts, gen_options);
    if (!generated) {
        Error e = std::move(generated).error();
        if (e.context.empty())
            e.context = conf_path;
        return std::unexpected(std::move(e));
    }

    StartReport report;
    report.warnings = std::move(apply_warnings);
    report.warnings.insert(report.warnings.end(), generated->warnings.begin(),
                           generated->warnings.end());
    // Proxmox's vm_start only warns about overlapping maps (liblxc refuses them itself).
    if (auto ok = detail::validate_id_maps(id_map->entries); !ok)
        report.warnings.push_back("lxc.idmap: " + ok.error().message);
    report.log_file = detail::log_path(host, vmid);
    bool debug = settings->debug.value_or(false);
    std::string text = detail::set_lxc_key(generated->config, "lxc.rootfs.path", rootfs);
    text = detail::set_lxc_key(text, "lxc.log.file", report.log_file);
    text = detail::set_lxc_key(text, "lxc.log.level", debug ? "DEBUG" : *log_level);

    std::string ct_dir = host.ct_dir(vmid);
    struct stat st {};
    if (::stat(ct_dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
        if (auto ok = storage::make_dirs(ct_dir); !ok)
            return std::unexpected(std::move(ok).error());
    // Derived from the Proxmox config and regenerated at every start: no fsync, and no
    // rewrite when the previous start left the same text.
    for (const auto& file : generated->files)
        if (auto ok = detail::write_derived_file(file.path, file.content, 0644); !ok)
            return std::unexpected(std::move(ok).error());
    if (auto ok = detail::write_derived_file(ct_dir + "/config", text, 0644); !ok)
        return std::unexpected(std::move(ok).error());

    // Proxmox's vm_start: a failing pre-start hook aborts before anything is mounted.
    if (auto ok = detail::run_hookscript(host, vmid, config.main, "pre-start"); !ok)
        return std::unexpected(std::move(ok).error());

    // A new section of the log per start, so the error text below is about this attempt only.
    detail::begin_log_section(report.log_file, vmid);

    m_impl->reload_if_changed();
    auto c = m_impl->lxc();
    if (!c)
        return std::unexpected(std::move(c).error());
    // The per-start distro setup runs in pct-prestart, on the mounted rootfs.
    auto started = detail::start_through_helper(
        m_impl->name, host.lxcpath(), options.timeout,
        {.host_root = host.root(), .vmid = vmid, .warnings = &report.warnings});
    bool ok = started && detail::wait_state(*c, "RUNNING", options.timeout) && running();
    if (ok) {
        if (auto hook = detail::run_hookscript(host, vmid, config.main, "post-start"); !hook)
            report.warnings.push_back(std::move(hook).error().message);
        return report;
    }
    // A mount or setup failure of pct-prestart: nothing was started, and its mounts went
    // with its namespace.
    if (!started && started.error().code != Errc::lxc) {
        detail::cleanup_cgroups(vmid);
        return std::unexpected(std::move(started).error());
    }

    // Leave nothing half-started behind.
    std::string reason = detail::log_errors(report.log_file);
    if (!started && !started.error().message.empty())
        reason = reason.empty() ? started.error().message : started.error().message + "; " + reason;
    if ((*c)->is_running(*c)) {
        (*c)->stop(*c);
        detail::wait_state(*c, "STOPPED", std::chrono::seconds(10));
    }
    detail::cleanup_cgroups(vmid);
    std::string message = fmt::format("startup for container '{}' failed", vmid.value);
    if (!reason.empty())
        message += ": " + reason;
    return fail(Errc::lxc, std::move(message), {.context = report.log_file});
}

} // namespace pct::runtime
