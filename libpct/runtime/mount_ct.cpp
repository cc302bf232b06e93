// SPDX-License-Identifier: AGPL-3.0-or-later
// Container::mount() / unmount(): `pct mount` and `pct unmount` (pve-container src/PVE/CLI/pct.pm:
// mount, unmount; spec storage.md §4.9).
#include "impl.hpp"
#include "mount.hpp"

#include <pct/storage/config_document.hpp>

#include <fmt/format.h>

namespace pct::runtime {

Result<MountReport> Container::mount() {
    auto& host = m_impl->host;
    Vmid vmid = m_impl->vmid;
    std::string conf_path = host.config_path(vmid);
    auto lock = host.lock(vmid);
    if (!lock)
        return std::unexpected(std::move(lock).error());
    auto parsed = host.read_config(vmid);
    if (!parsed)
        return std::unexpected(std::move(parsed).error());
    ContainerConfig config = std::move(parsed->config);
    if (auto ok = check_lock(config, LockedOp::mount); !ok) {
        Error e = std::move(ok).error();
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
    config.main.options["lock"] = "mounted";
    if (auto ok = host.write_config(*lock, config); !ok)
        return std::unexpected(std::move(ok).error());

    MountReport report;
    detail::MountAllOptions options;
    options.id_map = std::move(*id_map); // owner of created target directories
    auto path = detail::mount_all(host, vmid, *settings, options, report.warnings);
    if (!path)
        return std::unexpected(std::move(path).error());
    report.path = std::move(*path);
    return report;
}

Result<void> Container::unmount() {
    auto& host = m_impl->host;
    Vmid vmid = m_impl->vmid;
    std::string conf_path = host.config_path(vmid);
    auto lock = host.lock(vmid);
    if (!lock)
        return std::unexpected(std::move(lock).error());
    auto parsed = host.read_config(vmid);
    if (!parsed)
        return std::unexpected(std::move(parsed).error());
    ContainerConfig config = std::move(parsed->config);
    auto settings = detail::settings_of(config, conf_path);
    if (!settings)
        return std::unexpected(std::move(settings).error());
    std::vector<std::string> warnings;
    if (auto ok = detail::umount_all(host, vmid, *settings, false, warnings); !ok)
        return std::unexpected(std::move(ok).error());
    auto current = config.main.get("lock");
    if (!current)
        return fail(Errc::bad_state, "no lock found trying to remove 'mounted' lock",
                    {.context = conf_path, .key = "lock"});
    if (*current != "mounted")
        return fail(Errc::bad_state,
                    fmt::format("found lock '{}' trying to remove 'mounted' lock", *current),
                    {.context = conf_path, .key = "lock"});
    config.main.options.erase("lock");
    return host.write_config(*lock, config);
}

} // namespace pct::runtime
