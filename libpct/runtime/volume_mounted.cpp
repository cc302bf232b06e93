// SPDX-License-Identifier: AGPL-3.0-or-later
// `pct df` and `pct fstrim` (storage.md §6.4, §6.6, pve-container CLI/pct.pm df, fstrim): the
// container's volumes seen through /proc/<pid>/root, or mounted for the call under a lock.
#include "impl.hpp"
#include "mount.hpp"
#include "volume_common.hpp"

#include <pct/internal/command.hpp>
#include <pct/runtime/volumes.hpp>
#include <pct/storage/storages.hpp>

#include <fmt/format.h>

#include <cerrno>
#include <cstring>

#include <sys/statvfs.h>

namespace pct::runtime {

namespace {

// A stopped container's volumes mounted at `<ct_dir>/rootfs` in this mount namespace for the
// time of one operation, under config lock `lock_name` (Proxmox's `mounted`/`fstrim` locks):
// set and mounted by `begin`, unmounted and cleared by `end` (also when the operation failed).
class TemporaryMount {
  public:
    TemporaryMount(const storage::Host& host, Vmid vmid) : m_host(host), m_vmid(vmid) {}
    TemporaryMount(const TemporaryMount&) = delete;
    TemporaryMount& operator=(const TemporaryMount&) = delete;
    ~TemporaryMount() { (void)end(); }

    Result<std::string> begin(detail::LockedConfig& locked, std::string_view lock_name,
                              LockedOp op) {
        if (auto ok = check_lock(locked.doc.config(), op); !ok)
            return std::unexpected(std::move(ok).error());
        auto settings = detail::settings_of(locked.doc.config(), locked.doc.path());
        if (!settings)
            return std::unexpected(std::move(settings).error());
        m_settings = std::move(*settings);
        if (auto ok = detail::set_config_lock(locked.doc, lock_name); !ok)
            return std::unexpected(std::move(ok).error());
        if (auto ok = locked.commit(); !ok)
            return std::unexpected(std::move(ok).error());
        m_locked = &locked;
        m_lock_name = lock_name;
        auto root = detail::mount_all(m_host, m_vmid, m_settings, {}, warnings);
        if (!root)
            return std::unexpected(std::move(root).error());
        m_mounted = true;
        return root;
    }

    Result<void> end() {
        Result<void> result;
        if (m_mounted) {
            m_mounted = false;
            (void)detail::umount_all(m_host, m_vmid, m_settings, true, warnings);
        }
        if (m_locked) {
            auto* locked = std::exchange(m_locked, nullptr);
            // Proxmox's remove_lock: only the lock this operation set is removed.
            if (locked->doc.config().main.get("lock") ==
                std::optional<std::string_view>(m_lock_name)) {
                if (auto ok = detail::set_config_lock(locked->doc, std::nullopt); !ok)
                    result = std::move(ok);
                else
                    result = locked->commit();
            }
        }
        return result;
    }

    std::vector<std::string> warnings;

  private:
    const storage::Host& m_host;
    Vmid m_vmid;
    ContainerSettings m_settings;
    detail::LockedConfig* m_locked = nullptr;
    std::string m_lock_name;
    bool m_mounted = false;
};

Result<DfRow> df_row(const std::string& key, const MountPoint& mp, const std::string& root) {
    std::string path = key == "rootfs" ? "/" : mp.mp.value_or("/");
    struct statvfs st {};
    std::string at = root + "/" + path;
    if (::statvfs(at.c_str(), &st) != 0)
        return fail(Errc::io, fmt::format("statvfs '{}': {}", at, std::strerror(errno)),
                    {.key = key, .sys_errno = errno});
    DfRow row;
    row.key = key;
    row.volume = mp.volume;
    row.total = static_cast<std::uint64_t>(st.f_blocks) * st.f_frsize;
    row.used = static_cast<std::uint64_t>(st.f_blocks - st.f_bfree) * st.f_frsize;
    row.avail = static_cast<std::uint64_t>(st.f_bavail) * st.f_frsize;
    row.path = path;
    return row;
}

} // namespace

Result<std::vector<DfRow>> df(const storage::Host& host, Vmid vmid) {
    auto locked = detail::lock_config(host, vmid);
    if (!locked)
        return std::unexpected(std::move(locked).error());
    TemporaryMount mount(host, vmid);
    std::string root;
    if (int pid = detail::running_pid(host, vmid); pid > 0) {
        root = fmt::format("/proc/{}/root", pid);
    } else {
        auto at = mount.begin(*locked, "mounted", LockedOp::df);
        if (!at)
            return std::unexpected(std::move(at).error());
        root = *at;
    }
    auto settings = detail::settings_of(locked->doc.config(), locked->doc.path());
    if (!settings)
        return std::unexpected(std::move(settings).error());
    std::vector<DfRow> rows;
    for (const auto& [key, mp] : detail::mount_points_in_order(*settings)) {
        auto row = df_row(key, mp, root);
        if (!row)
            return std::unexpected(std::move(row).error());
        rows.push_back(std::move(*row));
    }
    if (auto ok = mount.end(); !ok)
        return std::unexpected(std::move(ok).error());
    return rows;
}

Result<std::vector<std::string>> fstrim(const storage::Host& host, Vmid vmid,
                                        const FstrimOptions& options) {
    auto locked = detail::lock_config(host, vmid);
    if (!locked)
        return std::unexpected(std::move(locked).error());
    TemporaryMount mount(host, vmid);
    auto root = mount.begin(*locked, "fstrim", LockedOp::fstrim);
    if (!root)
        return std::unexpected(std::move(root).error());
    auto settings = detail::settings_of(locked->doc.config(), locked->doc.path());
    if (!settings)
        return std::unexpected(std::move(settings).error());
    std::vector<std::string> lines;
    for (const auto& [key, mp] : detail::mount_points_in_order(*settings)) {
        if (key != "rootfs" && options.ignore_mountpoints)
            continue;
        if (mp.kind() == VolumeKind::bind || mp.ro.value_or(false))
            continue;
        std::string at = *root + (key == "rootfs" ? "/" : mp.mp.value_or("/"));
        // Errors of one fstrim are ignored, as in Proxmox: the others still run.
        if (auto out = internal::run_command({"fstrim", "-v", at}))
            lines.push_back(out->out);
    }
    if (auto ok = mount.end(); !ok)
        return std::unexpected(std::move(ok).error());
    return lines;
}

} // namespace pct::runtime
