// SPDX-License-Identifier: AGPL-3.0-or-later
/// @file
/// Creating a container from a template tarball (`pct create`), as Proxmox's create_vm.
///
/// Steps (storage spec §3.6): validate the CTID and every option (`pct::validate::value`),
/// take the config lock (held to the end), refuse an existing CT (unless `force` and it is
/// stopped: then it is destroyed first), write the config with `lock: create`, then
///  1. create_disks: every allocation request of `rootfs` and `mp0`..`mp255` (key order) is
///     allocated with `storage::alloc_ct_disk` (a size > 0: a raw image with
///     `mkfs.ext4 -O mmp -E root_owner=UID:GID`; 0: a subvol owned by the CT's root) and the
///     key rewritten to the volume id with `size=` (`local:8` ->
///     `local:100/vm-100-disk-0.raw,size=8G`, `local:0` -> `...subvol-100-disk-0.subvol,size=0T`);
///     the config is rewritten after each, so a killed create names what it made;
///  2. mount_all: rootfs and every mount point (volumes, bind mounts, devices) mounted
///     read-write at `<ct_dir>/rootfs` in the caller's mount namespace;
///  3. the template unpacked there with Proxmox's tar flags (`.tar`, `.tar.gz`/`.tgz`,
///     `.tar.xz`, `.tar.zst`, `.tar.bz2`, `.tar.lzo`; `./dev/*` excluded), inside the id map
///     for an unprivileged CT (tar refuses `../` members, strips absolute names, never writes
///     through a symlink it made: nothing is written outside the rootfs);
///  4. the config with `arch`, the post-create setup (distribution detected; root password,
///     ssh keys, new SSH host keys, machine-id reset), the detected `ostype`;
///  5. umount_all, Proxmox's defaults (`hostname` `CT<CTID>`, `memory` 512, `swap` 512), the
///     final config without the lock; `start` then starts it.
/// A failure unmounts, frees every volume it allocated, removes the folders and the config it
/// made, and reads "unable to create CT <vmid> - ERR". A create killed half-way leaves a
/// `lock: create` config naming its volumes (and its mounts): `Container::destroy` removes
/// all of it.
///
/// Volume requests (Proxmox's forms): `STORAGE:SIZE_GiB` (sizes truncated to whole MiB, so
/// `local:0.0001` is a subvol), a bare size `N` meaning `<storage>:N`; no rootfs and no mpN is
/// `<storage>:4`; mpN without rootfs is refused ("mount points configured, but 'rootfs' not
/// set - aborting"). An existing volume id or a host path is used as given (a rootfs directory
/// must be empty: never for an unprivileged CT, with `force` for a privileged one). `unusedN`
/// options are ignored, as Proxmox does.
///
/// Unprivileged by default: without an `unprivileged` option the container gets
/// `unprivileged: 1` (current Proxmox's default; the value is always written). Its template is
/// unpacked by `lxc-usernsexec -m ... -- tar` in its id map (the `lxc.idmap` entries, else
/// `u/g 0 100000 65536`): files owned by uid 0 in the template belong to 100000 on the host.
/// Needs `lxc-usernsexec` (package `lxc`) and, where `newuidmap` is installed (`uidmap`), the
/// map delegated to root in `/etc/subuid` and `/etc/subgid` (`root:100000:65536`).
/// `description` becomes the `#` comment lines of the config; `netN` without `hwaddr` get a
/// random `BC:24:11` address (all of them with `unique`) so the MAC stays stable.
#pragma once

#include <pct/error.hpp>
#include <pct/model/config.hpp>
#include <pct/runtime/container.hpp>
#include <pct/runtime/progress.hpp>
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
    /// SHA-512 crypt hash (`$6$`) in `/etc/shadow`; a value already in crypt form (`$1$`,
    /// `$2a$`, `$5$`, `$6$`) is kept. Absent: root's password is locked (`*`).
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
    /// Hears the template's extraction (phase "extract", archive bytes read of its size).
    ProgressFn progress;
};

/// The rule for the config keys `create` takes (`CreateOptions::options`, `pct create
/// --KEY`): every key of the schema that the API may set (not `parent`, `snaptime`), except
/// those whose value only create itself may decide: `lock` (the state of the config while it
/// is made) and `unusedN` (a new container has no unused volumes; create ignores them, as
/// Proxmox). Indexed keys count in the schema's ranges: `net0`..`net31`, `mp0`..`mp255`,
/// `dev0`..`dev255`.
[[nodiscard]] bool settable_at_create(std::string_view key) noexcept;

/// Creates the container and returns it, stopped unless `options.start`. Errors before the
/// work begins: `Errc::invalid_argument` (CTID, option values, a key not
/// `settable_at_create`, a malformed rootfs or mpN volume: "unable to parse directory volume
/// name 'X'" for `local:abc`; mpN without rootfs), `Errc::unsupported` (a pool),
/// `Errc::already_exists` ("CT N already exists"), `Errc::not_found` (template, storage).
/// Afterwards "unable to create CT N - ..." with the failed step's code: `Errc::io`
/// (allocation, mkfs, mounting, unpacking: tar's error output), `Errc::unsupported` (a
/// storage type or distribution libpct does not handle), the setup's errors.
[[nodiscard]] Result<Container> create(const storage::Host& host, Vmid vmid,
                                       const CreateOptions& options);

} // namespace pct::runtime
