// SPDX-License-Identifier: AGPL-3.0-or-later
// /proc/PID/mountinfo read into (mount point, file system type) pairs.
#pragma once

#include <string>
#include <vector>

namespace pct::runtime::detail {

struct MountInfoEntry {
    std::string mount_point; ///< fifth field, octal escapes (`\040`) decoded
    std::string fstype;      ///< the first field after ` - `
};

/// The mounts listed in `path` (e.g. "/proc/self/mountinfo"), in file order; an unreadable
/// file is an empty list.
[[nodiscard]] std::vector<MountInfoEntry> read_mountinfo(const std::string& path);

} // namespace pct::runtime::detail
