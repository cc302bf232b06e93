// SPDX-License-Identifier: AGPL-3.0-or-later
// What the runtime does to a raw image that is a copy of another one taken while it was in use
// (a rolled-back snapshot, a linked clone of a running container or of its snapshot).
#pragma once

#include <pct/error.hpp>
#include <pct/storage/storages.hpp>

#include <string_view>

namespace pct::runtime::detail {

/// A raw image snapshotted while its container ran holds the active multi-mount protection
/// block of its ext4 (`mkfs.ext4 -O mmp`): mounting the copy would first wait out MMP's check
/// interval (twice 10 s and more), longer than a start may take. For a new image no one has
/// open, the block is cleared (`tune2fs -f -E clear_mmp`). Nothing for a subvol. Errors: the
/// volume's path, and tune2fs's failure (`Errc::io`; callers warn).
[[nodiscard]] Result<void> clear_copied_mmp(storage::Storages& storages, std::string_view volid);

} // namespace pct::runtime::detail
