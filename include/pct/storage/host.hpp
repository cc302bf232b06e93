// SPDX-License-Identifier: AGPL-3.0-or-later
/// @file
/// The Proxmox host layout under one root directory, and the container config files in it.
///
/// With root `R` (default "/"; the CLI's `--root` or `$PCT_ROOT`):
///
/// | what                         | path                                   |
/// | ---------------------------- | -------------------------------------- |
/// | container config             | `R/etc/pve/lxc/<CTID>.conf`            |
/// | storage definitions          | `R/etc/pve/storage.cfg` (optional)     |
/// | lxcpath (liblxc's directory) | `R/var/lib/lxc`, one `<CTID>/` each    |
/// | config lock files            | `R/run/lock/lxc/pve-config-<CTID>.lock`|
///
/// Paths *inside* configs (storage `path`, a bind-mounted rootfs `/srv/ct`) are host paths and
/// are resolved under `R` too, so a whole test host can live in a temporary directory.
///
/// Volume rule (documented contract, used for `rootfs`):
///  - an absolute path `/P` is a directory on the host: `R/P`;
///  - `STORAGE:VMID/NAME` on a `dir` storage with path `S` is `R/S/images/VMID/NAME`;
///    `STORAGE:NAME` (no `/`) is `R/S/images/<CTID>/NAME`; `NAME` must be a directory volume
///    (Proxmox's `subvol-<CTID>-disk-<N>.subvol`; raw images need loop mounts and are
///    refused with `Errc::unsupported`);
///  - `STORAGE:vztmpl/FILE` (templates) is `R/S/template/cache/FILE`;
///  - any other storage type is `Errc::unsupported`.
///
/// Threading: a `Host` is an immutable value (it only holds the root); copies may be used from
/// any thread. Serialising changes to one container across threads and processes is the job
/// of `lock()`.
#pragma once

#include <pct/error.hpp>
#include <pct/model/config.hpp>
#include <pct/parse/config.hpp>
#include <pct/storage/lock.hpp>
#include <pct/storage/storage_cfg.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace pct::storage {

/// Proxmox's default config lock timeout (`lock_config`: 10 s).
inline constexpr std::chrono::milliseconds default_lock_timeout{10000};

/// Proof of holding a container's config lock; released on destruction. Obtained from
/// `Host::lock()`; every config write takes one.
class ConfigLock {
  public:
    [[nodiscard]] Vmid vmid() const noexcept { return m_vmid; }
    /// The lock file path (`R/run/lock/lxc/pve-config-<CTID>.lock`).
    [[nodiscard]] const std::string& path() const noexcept { return m_lock.path(); }
    /// False after `release()`.
    [[nodiscard]] bool held() const noexcept { return m_lock.held(); }
    void release() noexcept { m_lock.release(); }
    /// See `FileLock::fd()`.
    [[nodiscard]] int fd() const noexcept { return m_lock.fd(); }

  private:
    friend class Host;
    ConfigLock(Vmid vmid, FileLock lock) : m_vmid(vmid), m_lock(std::move(lock)) {}
    Vmid m_vmid;
    FileLock m_lock;
};

/// A Proxmox host layout rooted at a directory.
class Host {
  public:
    /// `root` must be an absolute path; trailing slashes are dropped ("/" stays "/").
    explicit Host(std::string root = "/");

    [[nodiscard]] const std::string& root() const noexcept { return m_root; }
    /// `R` + `absolute` ("/etc" under root "/tmp/h" is "/tmp/h/etc").
    [[nodiscard]] std::string host_path(std::string_view absolute) const;
    [[nodiscard]] std::string config_dir() const;           ///< `R/etc/pve/lxc`
    [[nodiscard]] std::string config_path(Vmid vmid) const; ///< `R/etc/pve/lxc/<CTID>.conf`
    [[nodiscard]] std::string storage_cfg_path() const;     ///< `R/etc/pve/storage.cfg`
    [[nodiscard]] std::string lxcpath() const;              ///< `R/var/lib/lxc`
    [[nodiscard]] std::string ct_dir(Vmid vmid) const;      ///< `R/var/lib/lxc/<CTID>`
    [[nodiscard]] std::string lock_dir() const;             ///< `R/run/lock/lxc`
    [[nodiscard]] std::string lock_path(Vmid vmid) const;

    /// A CTID is valid from 100 to 999999999 (`Errc::invalid_argument` otherwise).
    [[nodiscard]] static Result<Vmid> check_vmid(std::uint64_t id);

    /// Takes the container's config lock (creating the lock directory), waiting up to
    /// `timeout`. `Errc::bad_state` "can't lock file '...' - got timeout" when held elsewhere.
    [[nodiscard]] Result<ConfigLock>
    lock(Vmid vmid, std::chrono::milliseconds timeout = default_lock_timeout) const;

    /// True when `<CTID>.conf` exists.
    [[nodiscard]] bool exists(Vmid vmid) const;
    /// Every CTID with a config file, ascending. An absent config directory is an empty list;
    /// files not named `<digits>.conf` are ignored. `Errc::io` if the directory is unreadable.
    [[nodiscard]] Result<std::vector<Vmid>> list() const;

    /// Reads and parses (lenient, as Proxmox's `load_config`) the config.
    /// `Errc::not_found` "Configuration file 'PATH' does not exist" when missing.
    [[nodiscard]] Result<parse::ParsedConfig> read_config(Vmid vmid) const;
    /// Renders and atomically replaces the config of the locked container (0640).
    /// `Errc::invalid_argument` when the config cannot be rendered, `Errc::io` on write errors.
    [[nodiscard]] Result<void> write_config(const ConfigLock& lock,
                                            const ContainerConfig& config) const;
    /// Like `write_config`, but refuses (`Errc::already_exists`, "CT N already exists") when a
    /// config file exists; creates `R/etc/pve/lxc` as needed.
    [[nodiscard]] Result<void> create_config(const ConfigLock& lock,
                                             const ContainerConfig& config) const;
    /// Deletes the config file of the locked container. `Errc::not_found` if it is missing.
    [[nodiscard]] Result<void> remove_config(const ConfigLock& lock) const;

    /// The storage definitions (parse of storage.cfg, or just the implied `local` when the
    /// file is absent).
    [[nodiscard]] Result<std::vector<StorageEntry>> storages() const;
    /// One storage by id. `Errc::not_found` "storage 'ID' does not exist".
    [[nodiscard]] Result<StorageEntry> storage(std::string_view id) const;

    /// The host directory of a container volume (see the volume rule above). Does not check
    /// that it exists. Errors: `Errc::invalid_argument` (malformed id, `..` components),
    /// `Errc::not_found` (unknown storage), `Errc::unsupported` (non-dir storage, raw image).
    [[nodiscard]] Result<std::string> volume_path(Vmid vmid, std::string_view volume) const;
    /// The file of a template: `STORAGE:vztmpl/FILE`, or a path given by the caller (used
    /// as is, not under `R`: it names a file of the caller, not of the host layout).
    [[nodiscard]] Result<std::string> template_path(std::string_view ostemplate) const;
    /// The volume id `STORAGE:<CTID>/subvol-<CTID>-disk-<N>.subvol` with the lowest N that has
    /// no directory yet on the `dir` storage, without creating anything: `create` records it
    /// in the config before making it, so a killed create leaves no volume its config does
    /// not name. Stable while the caller holds the container's lock.
    [[nodiscard]] Result<std::string> next_subvol(Vmid vmid, std::string_view storage) const;
    /// Creates a new directory volume `STORAGE:<CTID>/subvol-<CTID>-disk-<N>.subvol` with the
    /// lowest free N on a `dir` storage (mode 0755) and returns its volume id.
    [[nodiscard]] Result<std::string> allocate_subvol(Vmid vmid, std::string_view storage) const;
    /// Removes a directory volume recursively (for a storage volume; a host-path volume is
    /// left alone, as Proxmox never deletes bind mounts). Missing is not an error.
    [[nodiscard]] Result<void> free_volume(Vmid vmid, std::string_view volume) const;

  private:
    std::string m_root;
};

} // namespace pct::storage
