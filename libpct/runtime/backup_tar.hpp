// SPDX-License-Identifier: AGPL-3.0-or-later
// The archive step of a backup (vzdump-format.md §2.1, §2.7, §5): Proxmox's tar argument list
// and compressor strings, and the pipeline tar | this process | compressor > file.
#pragma once

#include "id_map.hpp"

#include <pct/error.hpp>
#include <pct/runtime/progress.hpp>
#include <pct/storage/backups.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace pct::runtime::detail {

/// What tar archives.
/// The directories are given as tar sees them: tar starts in the backup's temp dir (see
/// `write_archive`), so they are "." and "mnt" (or "." again in suspend mode) and the CT's
/// mapped root never needs to traverse the folders above the temp dir (a 0700 dump dir).
struct BackupTarPlan {
    std::string tmpdir = ".";  ///< holds etc/vzdump/pct.conf and etc/vzdump/pct.fw
    std::string snapdir = "."; ///< the directory the sources are relative to (after `tmpdir`)
    /// "./" and "./<mp>" for each included mount point (stop, snapshot), "." (suspend).
    std::vector<std::string> sources;
    std::vector<std::string> excludes; ///< the user's patterns, then the standard ones (§2.7)
    IdMap map;                         ///< the CT's id map (tar runs inside it)
};

/// The three standard excludes of `stdexcludes` (§2.7), in Proxmox's order.
[[nodiscard]] std::vector<std::string> standard_excludes();

/// Proxmox's tar command (§2.1), with `lxc-usernsexec` first for a mapped CT: relative
/// patterns after `--no-anchored` (with `lost+found` first for a mapped CT), absolute ones as
/// `./PATTERN` after `--anchored`.
[[nodiscard]] std::vector<std::string> backup_tar_command(const BackupTarPlan& plan);

/// Proxmox's compressor (§5): none -> {}, lzo -> `lzop`, gzip -> `gzip --rsyncable`, zstd ->
/// `zstd --threads=N` (0: half the cores, at least 1).
[[nodiscard]] std::vector<std::string> compressor_command(storage::BackupCompression compression,
                                                          unsigned zstd_threads);

/// What the pipeline reported.
struct ArchiveWritten {
    std::uint64_t tar_bytes = 0;     ///< bytes tar wrote (before compression)
    std::vector<std::string> output; ///< tar's and the compressor's stderr lines
};

/// Runs `tar | [compressor] > out_fd`, tar started in the directory `tar_cwd` (an fd), with this
/// process between the two (progress phase
/// "backup" over tar's bytes, `bwlimit_kib` KiB/s). Every descriptor of the pipeline is
/// close-on-exec except the ones handed to each program, so if this process dies tar gets
/// EPIPE and stops. Fails (`Errc::io`, with the output) when either exits non-zero, as
/// Proxmox's `set -o pipefail` does.
[[nodiscard]] Result<ArchiveWritten>
write_archive(const std::vector<std::string>& tar, const std::vector<std::string>& compressor,
              int tar_cwd, int out_fd, std::uint64_t bwlimit_kib, const ProgressFn& progress);

/// Runs `fn` on a new thread that has its own mount namespace (a slave of the caller's):
/// whatever `fn` mounts, and the programs it starts, are seen by no one else, and the mounts
/// vanish with the thread and its children.
[[nodiscard]] Result<void> in_private_mounts(const std::function<Result<void>()>& fn);

} // namespace pct::runtime::detail
