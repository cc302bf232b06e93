// SPDX-License-Identifier: AGPL-3.0-or-later
// File-system helpers of the storage backends (private to the storage module).
#pragma once

#include <pct/error.hpp>
#include <pct/storage/backend.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace pct::storage::detail {

/// Which column of Proxmox's feature table applies (§7.1).
enum class FeatureKey { current, base, snap };

/// The host path of `value` (an absolute path of the host layout) for a storage whose
/// `storage_path` lives at `base` (= R + storage_path).
[[nodiscard]] std::string under_root(const std::string& base, std::string_view storage_path,
                                     std::string_view value);

/// True when the resolved `path` is a mount target in /proc/self/mounts.
[[nodiscard]] bool is_mount_point(const std::string& path);

/// Creates `path` (O_EXCL, mode 0640) of `size` bytes: sparse (`off`, `metadata`),
/// `posix_fallocate` (`falloc`) or written zeros (`full`).
[[nodiscard]] Result<void> create_raw_file(const std::string& path, std::uint64_t size,
                                           std::string_view preallocation);

/// Grows the file to `size` (same preallocation rules); refuses shrinking ("unable to shrink
/// disk size") and the same size ("disk is already at specified size").
[[nodiscard]] Result<void> grow_raw_file(const std::string& path, std::uint64_t size,
                                         std::string_view preallocation);

/// Sets or clears FS_IMMUTABLE_FL; best effort (Proxmox only warns).
void set_immutable(const std::string& path, bool on) noexcept;

/// Sets FS_NOCOW_FL on an open, still empty file; best effort.
void set_nocow(int fd) noexcept;

/// Size, format and used bytes of a volume file or directory (Proxmox's file_size_info): a
/// directory is a subvol of size 0; a qcow2 file reports its virtual size from its header.
/// `Errc::not_found` "volume 'VOLID' does not exist".
[[nodiscard]] Result<VolumeSize> file_size_info(const std::string& path, std::string_view volid);

/// The entry names of a directory (without `.`/`..`), sorted; empty when it cannot be read.
[[nodiscard]] std::vector<std::string> list_dir(const std::string& path);

} // namespace pct::storage::detail
