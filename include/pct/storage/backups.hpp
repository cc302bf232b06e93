// SPDX-License-Identifier: AGPL-3.0-or-later
/// @file
/// The storage-side rules of vzdump backup files (spec vzdump-format.md §1, §5, §6.2):
/// archive names, compression extensions, the `.dat` temp name, and what pve-storage's
/// `archive_info` recognises as a backup.
///
/// Times are the node's **local** time, as Proxmox's (`localtime`/`timelocal` under the
/// process's `TZ`).
///
/// Threading: pure functions over values (they read the process's time zone).
#pragma once

#include <pct/error.hpp>
#include <pct/model/config.hpp>

#include <cstdint>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>

namespace pct::storage {

/// `vzdump-lxc-<CTID>-YYYY_MM_DD-HH_MM_SS` of the task start `start` in local time (§1.1).
[[nodiscard]] std::string backup_basename(Vmid vmid, std::time_t start);

/// The compressors vzdump writes container archives with (§5).
enum class BackupCompression { none, gzip, lzo, zstd };

/// ".tar", ".tar.gz", ".tar.lzo" or ".tar.zst".
[[nodiscard]] std::string_view backup_extension(BackupCompression compression) noexcept;

/// vzdump's `--compress` values: "0" (none), "1" and "lzo" (lzop), "gzip", "zstd".
/// `Errc::invalid_argument` "value 'X' does not have a value in the enumeration '0, 1, gzip,
/// lzo, zstd'" (key `compress`) for anything else.
[[nodiscard]] Result<BackupCompression> parse_compression(std::string_view value);

/// The name an archive is written under until it is complete: `final_name` with its last
/// extension replaced by `.dat` (`x.tar.zst` -> `x.tar.dat`, `x.tar` -> `x.dat`), §1.1.
[[nodiscard]] std::string temp_archive_name(std::string_view final_name);

/// What pve-storage's `archive_info` learns from a backup file name.
struct BackupFileInfo {
    std::string filename; ///< the base name (directories dropped)
    std::string type;     ///< `lxc`, `qemu` or `openvz`
    /// The CTID of a standard name; 0 for other names (see `archive_info`).
    std::uint64_t vmid = 0;
    std::optional<std::time_t> ctime; ///< from a standard name (local time), else nullopt
    bool is_std_name = false;
    std::string format;      ///< `tar` or `vma` (`.tgz` is `tar`)
    std::string compression; ///< `gz`, `lzo`, `zst`, `bz2`, or "" for none
    /// `<basename>.log` of a standard name, else "".
    std::string log_filename;
    /// `<filename>.notes` of a standard name, else "".
    std::string notes_filename;
    /// `<filename>.protected` (protection applies to any backup file).
    std::string protected_filename;
    friend bool operator==(const BackupFileInfo&, const BackupFileInfo&) = default;
};

/// pve-storage's `archive_info` (§1.1): a file name (a directory part is ignored) is a backup
/// when it matches `vzdump-(lxc|openvz|qemu)-.+\.(tgz|(tar|vma)(\.(gz|lzo|zst|bz2))?)`; it is
/// a *standard* name when it is `vzdump-<type>-<vmid>-YYYY_MM_DD-HH_MM_SS.<ext>` with vmid
/// 100..999999999 (`[1-9][0-9]{2,8}`). nullopt for anything else (`.xz`, `.tar.zstd`, ...).
[[nodiscard]] std::optional<BackupFileInfo> archive_info(std::string_view filename);

} // namespace pct::storage
