// SPDX-License-Identifier: AGPL-3.0-or-later
/// @file
/// Creating a container from a template tarball (`pct create`).
///
/// Steps: validate the CTID and every given option (`pct::validate::value`), take the config
/// lock (held to the end), refuse an existing CT (unless `force` and it is stopped: then it is
/// destroyed first), write the config with `lock: create` and the rootfs it is about to make
/// (as Proxmox marks a create), allocate the rootfs, unpack the template into it with `tar`
/// (`.tar`, `.tar.gz`/`.tgz`, `.tar.xz`, `.tar.zst`; numeric owners; `./dev/*` excluded as in
/// Proxmox), detect the ostype when not given, fill Proxmox's defaults and write the final
/// config without the lock. A failure removes everything it made: the volume, the
/// `images/<CTID>/` folder if it made it, and the config. A create killed half-way leaves the
/// `lock: create` config, which `list` shows and `Container::destroy` removes with its volume.
///
/// Unprivileged by default: without an `unprivileged` option the container gets
/// `unprivileged: 1` (current Proxmox's default; the value is always written). An
/// unprivileged container's template is unpacked inside its id map (the `lxc.idmap` entries,
/// else `u/g 0 100000 65536`) by `lxc-usernsexec -m ... -- tar`, as Proxmox does: files owned
/// by uid 0 in the template belong to 100000 on the host, so a setuid-root file of a template
/// is not setuid root on the host, and the rootfs directory is owned by the mapped root.
/// Needs `lxc-usernsexec` (package `lxc`) and, where `newuidmap` is installed (`uidmap`),
/// the map delegated to root in `/etc/subuid` and `/etc/subgid` (`root:100000:65536`).
///
/// rootfs (Proxmox's forms):
///  - absent: a new directory volume on `storage` (Proxmox's default size 4 GiB is recorded
///    as `size=4G`; dir volumes do not enforce it);
///  - `STORAGE:SIZE_GiB` (e.g. `local:8`, `local:0.5`; a bare `8` means `<storage>:8`): a new
///    directory volume on that storage, `size=8G`;
///  - an existing container volume id (`local:100/subvol-100-disk-0.subvol`) or an absolute
///    host path: used as is (created if missing; it must be empty unless `force`).
/// `description` becomes the `#` comment lines of the config, as in Proxmox.
/// Written defaults (as Proxmox): `arch` (the host's), `ostype` (detected), `hostname`
/// `CT<CTID>`, `memory` 512, `swap` 512; `netN` without `hwaddr` get a random `BC:24:11`
/// address so the MAC stays stable across starts.
///
/// ostype detection from the unpacked tree: `/etc/debian_version` (debian, or ubuntu/devuan by
/// `/etc/os-release`), `/etc/alpine-release`, `/etc/arch-release`, `/etc/fedora-release`,
/// `/etc/centos-release` or `/etc/redhat-release` (centos), `/etc/gentoo-release`,
/// `/etc/SuSE-release` or an os-release ID `opensuse*`, `/etc/NIXOS`; anything else is
/// `unmanaged` (Proxmox refuses such templates instead).
#pragma once

#include <pct/error.hpp>
#include <pct/model/config.hpp>
#include <pct/runtime/container.hpp>
#include <pct/storage/host.hpp>

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace pct::runtime {

struct CreateOptions {
    /// The template: `STORAGE:vztmpl/FILE` or a file path of the caller.
    std::string ostemplate;
    /// Config keys as stored (`hostname`, `memory`, `net0`, `rootfs`, `ostype`, ...). Without
    /// `unprivileged`, the container is unprivileged (`"0"` asks for a privileged one).
    std::map<std::string, std::string> options;
    /// Storage for an implicit or `STORAGE:SIZE` rootfs when none is named (`--storage`).
    std::string storage = "local";
    /// Replace an existing stopped container of the same CTID.
    bool force = false;
    /// Treat tar's exit status 2 (some members could not be extracted) as success.
    bool ignore_unpack_errors = false;
    /// The root password inside the container (`--password`), stored as Proxmox does: a
    /// SHA-256 crypt hash in `/etc/shadow`; a value already in crypt form (`$5$...`) is kept.
    /// Absent: root's password is locked (`*`).
    std::optional<std::string> password;
    /// Public keys for root's `~/.ssh/authorized_keys` (`--ssh-public-keys`: the text of the
    /// file, one key per line).
    std::string ssh_public_keys;
    /// Start the container once it is made (`--start`). A failed start leaves the container
    /// made: the error says so.
    bool start = false;
    /// Give every `netN` a new random MAC, also where the options name one (`--unique`; in
    /// Proxmox a restore option, meaningful here for options copied from another container).
    bool unique = false;
    /// Proxmox's resource pool (`--pool`): libpct has no pools, so a non-empty value is refused
    /// with `Errc::unsupported` ("pools are not supported by libpct") before anything is made.
    std::string pool;
};

/// The rule for the config keys `create` takes (`CreateOptions::options`, `pct create
/// --KEY`): every key of the schema that the API may set (not `parent`, `snaptime`), except
/// those whose value only create itself may decide: `lock` (the state of the config while it
/// is made) and `unusedN` (a new container has no unused volumes; Proxmox ignores them at
/// create). Indexed keys count in the schema's ranges: `net0`..`net31`, `mp0`..`mp255`,
/// `dev0`..`dev255`.
[[nodiscard]] bool settable_at_create(std::string_view key) noexcept;

/// Creates the container and returns it, stopped. Errors: `Errc::invalid_argument` (CTID,
/// option values, a key not `settable_at_create`, a malformed rootfs or mpN volume: Proxmox's
/// "unable to parse directory volume name 'X'" for `local:abc`, `local:-1`, `local:1e3`),
/// `Errc::already_exists` ("CT N already exists"), `Errc::not_found` (template file, storage),
/// `Errc::unsupported` (storage type), `Errc::io` (unpacking: the message carries tar's error
/// output).
[[nodiscard]] Result<Container> create(const storage::Host& host, Vmid vmid,
                                       const CreateOptions& options);

} // namespace pct::runtime
