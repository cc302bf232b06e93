// SPDX-License-Identifier: AGPL-3.0-or-later
/// @file
/// Container snapshots with Proxmox's semantics (config-format.md §8, storage.md §7.3, §7.4):
/// `pct snapshot`, `pct delsnapshot`, `pct rollback`, `pct listsnapshot`.
///
/// The config side follows pve-guest-common's `PVE::AbstractConfig` step by step
/// (`snapshot_prepare`, `snapshot_commit`, `snapshot_create`, `snapshot_delete`,
/// `snapshot_rollback`): `lock: snapshot` / `snapshot-delete` / `rollback` is written under
/// the container's config lock (flock), the flock is released while the volumes are
/// snapshotted, deleted or rolled back, and the config is finished under the flock again.
/// Every write is Proxmox's canonical rendering, so the files match Proxmox's byte for byte
/// (pve-container's snapshot suite, `tests/cpp/test_snapshot_suite.cpp`).
///
/// The storage side is `storage::Storages` (btrfs: read-only `NAME@SNAP` subvolumes); a
/// running container is frozen (liblxc's freezer) and its file systems synced while its
/// volumes are snapshotted.
///
/// A snapshot needs every `rootfs`/`mpN` to be a volume on a storage that can snapshot it:
/// `snapshot_blockers` names each one that cannot, and `snapshot_create` refuses with the
/// first of them before anything is written.
///
/// Threading: free functions; calls on different containers may run concurrently, calls on
/// one container serialise through its config lock and its `lock` property.
#pragma once

#include <pct/error.hpp>
#include <pct/model/config.hpp>
#include <pct/storage/host.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pct::runtime {

/// Options of `snapshot_create` (`pct snapshot VMID NAME [--description D]`).
struct SnapshotCreateOptions {
    std::string description; ///< the snapshot's comment ("" = none)
    bool vmstate = false; ///< save RAM: refused, containers have no vmstate (`Errc::unsupported`)
};

/// Options of `snapshot_delete` (`pct delsnapshot VMID NAME [--force]`).
struct SnapshotDeleteOptions {
    /// Volume errors become warnings and the section is removed anyway. Beyond Proxmox, it
    /// also takes over the `lock: snapshot`/`snapshot-delete` of a create or delete of this
    /// snapshot that was killed half-way (its section still has a `snapstate`), so one forced
    /// delete cleans up what such a process left (Proxmox needs `pct unlock` first).
    bool force = false;
};

/// Options of `snapshot_rollback` (`pct rollback VMID NAME [--start]`).
struct SnapshotRollbackOptions {
    bool start = false; ///< start the container after the rollback
};

/// What a snapshot operation reports besides success: Proxmox's warnings, in order (e.g.
/// "snapshot create failed: starting cleanup", a volume error under `force`).
struct SnapshotReport {
    std::vector<std::string> warnings;
    friend bool operator==(const SnapshotReport&, const SnapshotReport&) = default;
};

/// One snapshot as `pct listsnapshot` and the API's `snapshot` list show it.
struct SnapshotInfo {
    std::string name;          ///< the section name, or "current" for the running state
    std::string parent;        ///< "" = none
    std::int64_t snaptime = 0; ///< seconds since the epoch; 0 = not set (and for "current")
    std::string description;   ///< the comment ("You are here!" for "current")
    std::string snapstate;     ///< "" when complete, else "prepare"/"delete"
    bool current = false;      ///< the "current" pseudo entry (always last)
    friend bool operator==(const SnapshotInfo&, const SnapshotInfo&) = default;
};

/// A mount point that prevents snapshots, with why (storage.md §7.1, §7.3).
struct SnapshotBlocker {
    std::string key;    ///< `rootfs` or `mpN`
    std::string volume; ///< the entry's volume (a volume id, a host path or a device)
    std::string reason; ///< e.g. "bind mount", "device mount", "storage 'local' (dir) cannot
                        ///< snapshot format raw"
    friend bool operator==(const SnapshotBlocker&, const SnapshotBlocker&) = default;
};

/// Every `rootfs`/`mpN` of the main section that cannot be snapshotted, in key order (empty:
/// a snapshot is possible). Proxmox checks all of them, including `backup=0` volumes.
/// Errors: `Errc::not_found` for a missing config.
[[nodiscard]] Result<std::vector<SnapshotBlocker>> snapshot_blockers(const storage::Host& host,
                                                                     Vmid vmid);

/// The snapshot check over a config already read: what `snapshot_blockers` says for it.
[[nodiscard]] std::vector<SnapshotBlocker> snapshot_blockers(const storage::Host& host,
                                                             const ContainerConfig& config);

/// Proxmox's name rule for a snapshot (API `pve-configid`, reserved names): `^[a-z][a-z0-9_-]+$`
/// ignoring case, at most 40 characters, not `current` or `vzdump`. `Errc::invalid_argument`
/// "unable to use snapshot name 'current' (reserved name)" or "invalid format - snapshot name
/// 'N'" (key `snapname`).
[[nodiscard]] Result<void> check_snapshot_name(std::string_view name);

/// Takes snapshot `name` of every volume (`pct snapshot`). Refuses before anything is written:
/// a bad name, a `vmstate`, a blocking mount point (`Errc::unsupported` "snapshot feature is
/// not available: KEY (VOLUME): REASON", key = the mount point), a template (`Errc::bad_state`
/// "you can't take a snapshot if it's a template"), a lock (`Errc::bad_state` "CT is locked
/// (LOCK)", key `lock`), a used name (`Errc::already_exists` "snapshot name 'N' already used").
/// A running container is frozen while its volumes are snapshotted. When a volume fails, the
/// snapshots already taken are deleted again and the config is as before ("snapshot create
/// failed: starting cleanup" in the warnings) and the volume's error is returned.
[[nodiscard]] Result<SnapshotReport> snapshot_create(const storage::Host& host, Vmid vmid,
                                                     std::string_view name,
                                                     const SnapshotCreateOptions& options = {});

/// Deletes snapshot `name` (`pct delsnapshot`): `lock: snapshot-delete` and `snapstate:
/// delete`, each volume's snapshot deleted and dropped from the section, then the section
/// removed and every `parent` that named it re-linked to its own parent. A failed volume
/// leaves the lock and the state for a retry unless `force`. Errors: `Errc::not_found`
/// "snapshot 'N' does not exist", `Errc::bad_state` "CT is locked (LOCK)" / "you can't delete
/// a snapshot if vm is a template", the storage's errors.
[[nodiscard]] Result<SnapshotReport> snapshot_delete(const storage::Host& host, Vmid vmid,
                                                     std::string_view name,
                                                     const SnapshotDeleteOptions& options = {});

/// Rolls back to snapshot `name` (`pct rollback`): a running container is hard-stopped first,
/// `lock: rollback` is written, every volume of the snapshot is rolled back, then the config
/// becomes the snapshot's (current description, `unusedN` and snapshot list kept; pending
/// changes dropped; current volumes the snapshot does not use become `unusedN`; `parent:
/// NAME`). With `start`, the container is started afterwards. Errors: `Errc::not_found`
/// "snapshot 'N' does not exist", `Errc::bad_state` ("you can't rollback if vm is a
/// template", "unable to rollback to incomplete snapshot (snapstate = S)", "CT is locked
/// (LOCK)", "unable to rollback vm N: vm is running"), `Errc::unsupported` (a vmstate, a volume
/// that cannot roll back), the storage's and start's errors.
[[nodiscard]] Result<SnapshotReport> snapshot_rollback(const storage::Host& host, Vmid vmid,
                                                       std::string_view name,
                                                       const SnapshotRollbackOptions& options = {});

/// The snapshots of a config, ordered as Proxmox's `snapshot_list` API: by `snaptime`, then
/// name, and the pseudo entry `current` (parent = the main section's `parent`) last.
[[nodiscard]] std::vector<SnapshotInfo> list_snapshots(const ContainerConfig& config);

/// `list_snapshots` of a container's config. `Errc::not_found` for a missing config.
[[nodiscard]] Result<std::vector<SnapshotInfo>> list_snapshots(const storage::Host& host,
                                                               Vmid vmid);

/// `pct listsnapshot` as Proxmox's CLI prints the list (PVE::CLI::pct `listsnapshot` →
/// PVE::GuestHelpers::print_snapshot_tree): one line per snapshot, children indented under
/// their parent (`` `-> NAME``), the name padded, then the snapshot's date
/// (`YYYY-MM-DD HH:MM:SS`, local time; blank for `current`) and the first line of its
/// description. Roots are those whose parent is absent.
[[nodiscard]] std::string format_snapshot_tree(const std::vector<SnapshotInfo>& snapshots);

} // namespace pct::runtime
