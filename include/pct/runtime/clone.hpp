// SPDX-License-Identifier: AGPL-3.0-or-later
/// @file
/// Templates and clones as Proxmox's `pct template` and `pct clone` make them (storage.md §7.5
/// to §7.7; pve-container API2/LXC.pm template, clone_vm; LXC.pm template_create,
/// copy_volume): a template's volumes become base volumes; a clone is a new container with
/// every `rootfs`/`mpN` volume either copied (full clone, to any storage) or linked to the
/// template's base on a storage that can (btrfs snapshots), new MACs, and the clone's
/// machine-id cleared. A clone never shares a writable volume with its source.
///
/// Locks: the config lock (flock) is held only while a config is read, checked and written.
/// A clone marks the source `lock: disk` and the new container `lock: create` for the time of
/// the copy and removes both on every way out (a lock someone else set meanwhile stays).
/// Messages and errors use Proxmox's texts (storage.md §8).
///
/// Threading: free functions over a `storage::Host` value; operations on one container
/// serialise through its config lock.
#pragma once

#include <pct/error.hpp>
#include <pct/model/config.hpp>
#include <pct/runtime/progress.hpp>
#include <pct/storage/host.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pct::runtime {

/// `pct template <vmid>` (storage.md §7.5): refuses a locked CT ("CT is locked (LOCK)"), one
/// with snapshots ("unable to create template, because CT contains snapshots"), a template
/// ("you can't convert a template to a template") and a running CT ("you can't convert a CT to
/// template if the CT is running") with `Errc::bad_state`; every `rootfs`/`mpN`, bind and
/// device mounts included, needs the storage's `template` feature ("Template feature is not
/// available for 'V'", `Errc::unsupported`, before anything changes). Then each volume becomes
/// a base volume (dir: `base-` name, read-only and immutable; btrfs: `base-` subvolume for raw,
/// read-only), its entry names the new volume id, `template: 1` is written and the LXC config
/// `<lxcpath>/<vmid>/config` removed. The config lock is held throughout (renames only). When a
/// volume fails half way, the entries of the volumes already converted are written (without
/// `template`) so the config always names what exists.
[[nodiscard]] Result<void> make_template(const storage::Host& host, Vmid vmid);

/// What `clone` does beyond the defaults.
struct CloneOptions {
    /// A full copy (true) or a linked clone (false); nullopt: Proxmox's default, linked for a
    /// template and full for any other container.
    std::optional<bool> full{};
    /// Full clone only: the target storage of every volume (default: each volume's own).
    std::optional<std::string> storage{};
    std::optional<std::string> hostname{};    ///< replaces the source's hostname
    std::optional<std::string> description{}; ///< replaces the source's description
    /// Clone the state of this snapshot (its config and its volume snapshots) instead of the
    /// current one.
    std::optional<std::string> snapname{};
    std::uint64_t bwlimit_kib = 0; ///< rsync `--bwlimit` of full copies (0 = unlimited)
    /// Full clone only: one phase "copy" per volume, the bytes rsync has sent (empty: none).
    ProgressFn progress{};
};

/// What a clone made.
struct CloneReport {
    bool full = true; ///< what `CloneOptions::full` resolved to
    /// `(key, new volume id)` in key order (rootfs, mp0, ...).
    std::vector<std::pair<std::string, std::string>> volumes;
    /// Proxmox's progress lines ("create full clone of mountpoint rootfs (V)", "create linked
    /// clone of mount point rootfs (V)") and warnings, in order.
    std::vector<std::string> messages;
};

/// `pct clone <vmid> <newid>` (storage.md §7.6, §7.7). Refusals before anything is made, with
/// Proxmox's texts: the source's lock ("CT is locked (LOCK)", key `lock`), `newid` in use
/// ("CT N already exists", `Errc::already_exists`), "parameter 'storage' not allowed for linked
/// clones", "snapshot 'S' does not exist", a bind or device mount point ("unable to clone
/// mountpoint 'mpN' (type bind)": a clone never shares a host directory with its source), a
/// linked clone of a volume whose storage cannot ("Linked clone feature for 'V' is not
/// available": always on dir; a btrfs subvol template), a full clone of a running CT without
/// `snapname` ("Full clone of a running container is only possible from a snapshot"); `unusedN`
/// volumes are not cloned. The new config is the source's (or the snapshot's) with new random
/// MACs for every `netN`, without `template`, pending changes, snapshots and their keys, with
/// `hostname`/`description` replaced when given. Failures after the new CT was created undo it
/// (new volumes freed, new config removed) and read "clone failed: ERR".
[[nodiscard]] Result<CloneReport> clone(const storage::Host& host, Vmid vmid, Vmid newid,
                                        const CloneOptions& options = {});

} // namespace pct::runtime
