// SPDX-License-Identifier: AGPL-3.0-or-later
// Mount points as Proxmox mounts them (spec storage.md §4; pve-container src/PVE/LXC.pm:
// walk_tree_nofollow, __mountpoint_mount, bindmount, mount_all, umount_all): the no-follow
// walk, bind mounts with their verification, device mounts, raw images through an
// auto-clearing loop device, subvols through a bind mount, the mount option filter, and the
// id-map checks of per-mount `idmap`.
//
// This is the detail API the rest of the runtime calls: `start` (in the private mount
// namespace of the prestart helper), `Container::mount()`/`unmount()` and `create` (mount_all
// before extraction, umount_all after). Messages are Proxmox's (§8).
#pragma once

#include "id_map.hpp"
#include "unique_fd.hpp"

#include <pct/error.hpp>
#include <pct/model/properties.hpp>
#include <pct/model/settings.hpp>
#include <pct/storage/host.hpp>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <sys/stat.h>
#include <vector>

namespace pct::runtime::detail {

/// A directory reached by the no-follow walk: its fd, its parent's fd and its last component
/// (both unset for the start directory itself), and its path as text.
struct WalkedDir {
    UniqueFd fd;
    UniqueFd parent;
    std::string last;
    std::string path;
};

/// Proxmox's walk_tree_nofollow (§4.2): opens `start` (`failed to open start directory START:
/// ERR`), then each non-empty component of `subdir` with O_NOFOLLOW|O_DIRECTORY. A symlink or
/// a non-directory anywhere: `symlink encountered at: PATH` (Errc::permission_denied). A
/// missing component: `cannot open directory PATH: ERR` (Errc::not_found) unless `create`,
/// then made 0755 and, with `owner`, chowned to it (`failed to create path: PATH: ERR`).
[[nodiscard]] Result<WalkedDir> walk_nofollow(const std::string& start, std::string_view subdir,
                                              bool create, std::optional<Owner> owner = {});

/// The options of §4.3 for one mount: the allowed `mountoptions` (rw: discard, lazytime,
/// noatime, nodev, noexec, nosuid; ro or snapshot: nodev, noexec, nosuid), then `acl` for
/// `acl=1` (`acl=0` adds nothing, as in Proxmox).
[[nodiscard]] std::vector<std::string> mount_options(const MountPoint& mp, bool read_only);

/// Test hook of the bind mount (tests only; never set in production): called with the source
/// path after the source was opened (`opened`), after the mount (`mounted`) and after the
/// read-only remount (`remounted`), so a test can swap directories in between as Proxmox's
/// bindmount_test.pl does.
enum class BindPhase { opened, mounted, remounted };
using BindTestHook = void (*)(BindPhase phase, const std::string& source, void* arg);
void set_bind_test_hook(BindTestHook hook, void* arg) noexcept;

/// Proxmox's bindmount (§4.4): walks `source` from `/` without following symlinks, bind-mounts
/// it on `target`, remounts read-only for `ro`, then verifies that the target (re-opened from
/// its parent, or by path for the rootfs) is the directory that was opened
/// (`detected mount path change at: SRC`) and, for `ro`, that it refuses writes
/// (`failed to mark bind mount read only` / `read-only check failed: ERR`). Anything mounted
/// is unmounted again on failure.
[[nodiscard]] Result<void> bind_mount(const std::string& source, const WalkedDir& target, bool ro,
                                      const std::vector<std::string>& options);

/// What a mount point's volume is on this host.
struct VolumeSource {
    enum class Kind { bind, device, raw, subvol };
    Kind kind = Kind::bind;
    std::string path;    ///< host path (bind source, device node, image file, subvol dir)
    std::string storage; ///< storage id for a storage volume, else ""
    bool rootdir = true; ///< the storage's content allows `rootdir`
};

/// Classifies and resolves `mp.volume` (§4.4): `/dev/...` a device, another absolute path a
/// bind mount, `STORE:NAME` a volume of a dir storage (`.raw` a raw image, else a subvol).
[[nodiscard]] Result<VolumeSource> resolve_volume(const storage::Host& host, Vmid vmid,
                                                  const MountPoint& mp);

/// Attaches `image` to a free loop device with LO_FLAGS_AUTOCLEAR (read-only for `ro`), or
/// returns the loop device already bound to it (Proxmox reuses it, §4.4). The returned fd
/// keeps a new device attached until the caller has mounted it; closing it afterwards leaves
/// the device to be freed by the last unmount. `failed to setup loop device for P`.
struct LoopDevice {
    std::string device; ///< /dev/loopN
    UniqueFd fd; ///< open while the caller mounts, so the device cannot be autocleared before
};
[[nodiscard]] Result<LoopDevice> attach_loop(const std::string& image, bool ro);

/// The loop devices bound to `image` now (its device and inode, in any mount namespace).
[[nodiscard]] std::vector<std::string> loops_of(const std::string& image);

/// Mounts one mount point `key` (`rootfs` or `mpN`) on the walked `target` (§4.4). `ro_off`
/// forces a writable mount (mount_all's ignore_ro).
[[nodiscard]] Result<void> mount_volume(const storage::Host& host, Vmid vmid,
                                        const std::string& key, const MountPoint& mp,
                                        const WalkedDir& target, bool ro_off,
                                        std::vector<std::string>& warnings);

/// Mounts snapshot `snap` of the storage volume of mount point `key` read-only on `target`
/// (vzdump's snapshot mode): a raw image through a loop device `ro,noload`, a subvol snapshot
/// (btrfs: the read-only `NAME@SNAP` subvolume) bound read-only. `Errc::invalid_argument`
/// "unknown snapshot path for 'V'" for a bind or device mount point.
[[nodiscard]] Result<void> mount_snapshot(const storage::Host& host, Vmid vmid,
                                          const std::string& key, const MountPoint& mp,
                                          std::string_view snap, const WalkedDir& target);
/// `keepattrs` (§4.5): the target directory's owner and mode (`before`, its stat before the
/// mount) copied onto the mount's root.
[[nodiscard]] Result<void> keep_attrs(const WalkedDir& target, const struct stat& before);

/// The staging directory `<lxcpath>/.pve-staged-mounts/<key>` of a mount that is prepared before
/// it is moved into place (Proxmox's get_staging_tempfs): a tmpfs mounted there first, only
/// ever in a private mount namespace (the prestart helper's, a hot-plug thread's).
[[nodiscard]] Result<std::string> staging_dir(const storage::Host& host, const std::string& key);

/// How mount_all mounts.
struct MountAllOptions {
    bool ignore_ro = false; ///< mount everything writable (Proxmox's ignore_ro)
    /// Start semantics (§4.5), only in the prestart helper's private mount namespace (it
    /// forks): per-mount `idmap` applied (the volume is mounted on a staging directory, cloned
    /// with open_tree and id-mapped with mount_setattr before it is moved into place) and
    /// `keepattrs` honoured. Off for `pct mount` and create, as in Proxmox.
    bool at_start = false;
    /// The container's id map (owner of created target directories; idmap resolution).
    IdMap id_map;
};

/// The mount points of `settings` in Proxmox's order: rootfs, mp0 .. mp255.
struct KeyedMountPoint {
    std::string key;
    MountPoint mp;
};
[[nodiscard]] std::vector<KeyedMountPoint> mount_points_in_order(const ContainerSettings& settings);

/// `<ct_dir>/rootfs`: where the container's volumes are mounted (`lxc.rootfs.path`).
[[nodiscard]] std::string rootfs_mount_path(const storage::Host& host, Vmid vmid);

/// Proxmox's mount_all (§4.9): makes `<ct_dir>/rootfs`, mounts rootfs then mp0..mp255 (key
/// order) under it, in the calling process's mount namespace. On failure: warning
/// `mounting container failed`, everything mounted so far unmounted, the error returned.
/// Returns the rootfs mount path.
[[nodiscard]] Result<std::string> mount_all(const storage::Host& host, Vmid vmid,
                                            const ContainerSettings& settings,
                                            const MountAllOptions& options,
                                            std::vector<std::string>& warnings);

/// Proxmox's umount_all (§4.8): in reverse key order, unmounts every mount point path under
/// `<ct_dir>/rootfs` that is a mount (with everything below it). With `noerr` failures are
/// warnings and the result is false; otherwise the first failure is returned.
[[nodiscard]] Result<bool> umount_all(const storage::Host& host, Vmid vmid,
                                      const ContainerSettings& settings, bool noerr,
                                      std::vector<std::string>& warnings);

/// Unmounts every mount at or below `path` in the caller's mount namespace, deepest first
/// (what `pct mount` or a killed create left under `<ct_dir>/rootfs`). `Errc::io`
/// "unable to umount 'P': ERR" for the first that cannot be unmounted. `destroy` calls it
/// before it removes `<ct_dir>`, so that removing the tree never walks into a volume or a
/// bind-mounted host directory.
[[nodiscard]] Result<void> umount_below(const std::string& path);

/// Proxmox's validate_id_maps (§4.7, idmap-test.pm): refuses overlapping container or host
/// ranges per type, in O(n log n): `invalid map entry 'T C H N': container uid X is also
/// mapped by entry 'T C H N'` (host/gid likewise), Errc::invalid_argument, key `lxc.idmap`.
[[nodiscard]] Result<void> validate_id_maps(std::span<const IdMapEntry> entries);

/// The disk id -> host id map a mount point's `idmap` applies (§4.7): with `passthrough` the
/// CT's own map; else, per CT map chunk, CT ids covered by an `idmap` entry map the entry's
/// disk ids to the chunk's host ids, the rest identity on the host ids.
[[nodiscard]] std::vector<IdMapEntry> resolve_mount_idmap(const MountPoint& mp,
                                                          std::span<const IdMapEntry> ct_map);

/// A user namespace whose uid/gid maps are `map` (ct -> host), for mount_setattr's
/// MOUNT_ATTR_IDMAP. Forks a short-lived child: only for single-threaded callers (the prestart
/// helper).
[[nodiscard]] Result<UniqueFd> user_namespace_for(std::span<const IdMapEntry> map);

} // namespace pct::runtime::detail
