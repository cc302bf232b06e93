// SPDX-License-Identifier: AGPL-3.0-or-later
/// @file
/// Volume operations on a container, as Proxmox's `pct` does them (storage.md §6, §7.8):
/// `resize`, `move_volume`, `rescan`, `df`, `fsck`, `fstrim`. (Which volumes
/// `Container::destroy` frees follows the same owner rule, storage.md §7.8.)
///
/// Every config change is made under the container's config lock with the digest checked
/// (`storage::ConfigDocument`): a caller's `digest` (Proxmox's API parameter) is compared with
/// the file before anything is done, and the file read under the lock is the one written back.
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
#include <string_view>
#include <vector>

namespace pct::runtime {

// ---- the df table ----

/// One row of `pct df`.
struct DfRow {
    std::string key;                              ///< `rootfs`, `mp0`, ...
    std::string volume;                           ///< the volume string of the entry
    std::uint64_t total = 0, used = 0, avail = 0; ///< bytes (statvfs: blocks, blocks-bfree, bavail)
    std::string path; ///< the mount point inside the CT (`/` for rootfs)
    friend bool operator==(const DfRow&, const DfRow&) = default;
};

/// A size as `pct df` prints it: bare below 1024, else one decimal and K/M/G/T ("" from
/// 1024 T on, as Proxmox's helper returns nothing there).
[[nodiscard]] std::string df_size(std::uint64_t bytes);

/// The `pct df` table: header `MP Volume Size Used Avail Use% Path`, MP and Volume
/// left-aligned, the numbers right-aligned, each column as wide as its widest cell. `Use%` is
/// Proxmox's `sprintf('%.1f', used/total)` (a fraction, not a percentage).
[[nodiscard]] std::string format_df(const std::vector<DfRow>& rows);

// ---- operations ----

struct ResizeOptions {
    /// Proxmox's `digest`: refuse with `Errc::digest_mismatch` unless the config still has it.
    std::optional<std::string> digest;
};

struct ResizeReport {
    std::uint64_t new_size = 0;        ///< bytes, as written into the entry's `size`
    std::vector<std::string> warnings; ///< "Failed to update the container's filesystem: ERR"
};

/// `pct resize <vmid> <disk> <size>` (storage.md §6.1): grows the volume of `rootfs`/`mpN`,
/// writes `size=` and grows its ext4 filesystem (stopped: e2fsck + resize2fs on the image;
/// running: the loop device the container has is found, its capacity updated and the
/// filesystem grown online). Filesystem failures are only warnings, as in Proxmox.
[[nodiscard]] Result<ResizeReport> resize(const storage::Host& host, Vmid vmid,
                                          std::string_view disk, std::string_view size,
                                          const ResizeOptions& options = {});

struct MoveVolumeOptions {
    std::optional<std::string> storage{};       ///< target storage (move to another storage)
    std::optional<Vmid> target_vmid{};          ///< or: reassign to this container
    std::optional<std::string> target_volume{}; ///< its key (`mpN`/`unusedN`), default the source's
    bool delete_source = false;                 ///< `--delete`: free the source instead of unusedN
    std::optional<std::string> digest{};        ///< of the source CT's config
    std::optional<std::string> target_digest{}; ///< of the target CT's config
    std::uint64_t bwlimit_kib = 0;              ///< rsync `--bwlimit` (0 = unlimited)
    /// Phase "copy": to another storage, the bytes rsync has sent; to another container, one
    /// final report of the image copied (a reflink or sparse `cp` reports nothing on the way).
    ProgressFn progress{};
};

struct MoveVolumeReport {
    std::string new_volume; ///< the volume id now in the entry
    std::string unused_key; ///< where the old one went ("" when freed)
    std::vector<std::string> warnings;
};

/// `pct move-volume` (storage.md §6.2): with `storage`, to a new volume on that storage (refused
/// while the CT runs); with `target_vmid`, to container `target_vmid` under the key
/// `target_volume` (default the same key; Proxmox's refusals: rootfs, templates, snapshots, a
/// key in use, a running source for an attached volume, a storage or format that cannot
/// rename, i.e. subvols and bind mounts). Proxmox renames the image; here it is copied to a
/// new image of the target on the same storage (sparse, a reflink where the file system can)
/// and the source freed when both configs name the result.
[[nodiscard]] Result<MoveVolumeReport> move_volume(const storage::Host& host, Vmid vmid,
                                                   std::string_view volume_key,
                                                   const MoveVolumeOptions& options);

struct RescanOptions {
    std::optional<Vmid> vmid; ///< one container, else every one
    bool dryrun = false;      ///< compute and report, write nothing
};

/// `pct rescan`: the messages Proxmox prints, in order (first "rescan volumes...").
[[nodiscard]] Result<std::vector<std::string>> rescan(const storage::Host& host,
                                                      const RescanOptions& options = {});

/// `pct df <vmid>`: one row per `rootfs`/`mpN` (running: seen through `/proc/<pid>/root`;
/// stopped: mounted with `lock: mounted` for the time of the call).
[[nodiscard]] Result<std::vector<DfRow>> df(const storage::Host& host, Vmid vmid);

struct FsckOptions {
    std::string device = "rootfs"; ///< `rootfs` or `mpN`
    bool force = false;            ///< `-f`
};

/// `pct fsck <vmid>`: `fsck -a -l [-f]` on the raw image or block device of a stopped CT.
/// Returns fsck's output.
[[nodiscard]] Result<std::string> fsck(const storage::Host& host, Vmid vmid,
                                       const FsckOptions& options = {});

struct FstrimOptions {
    bool ignore_mountpoints = false; ///< only the rootfs
};

/// `pct fstrim <vmid>`: `fstrim -v` on each writable, non-bind mount point, under
/// `lock: fstrim`. Returns fstrim's output lines (errors of one fstrim are ignored).
[[nodiscard]] Result<std::vector<std::string>> fstrim(const storage::Host& host, Vmid vmid,
                                                      const FstrimOptions& options = {});

} // namespace pct::runtime
