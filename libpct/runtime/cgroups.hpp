// SPDX-License-Identifier: AGPL-3.0-or-later
// Finding and reading a container's cgroups on v1, hybrid and v2 hosts, and removing the empty
// cgroup directories liblxc leaves behind after failed starts.
#pragma once

#include <pct/model/config.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace pct::runtime::detail {

struct CgroupMounts {
    std::map<std::string, std::string> v1; ///< controller (also `name=systemd`) -> mount point
    std::string unified;                   ///< the cgroup2 mount, "" when none
};

/// Parsed from /proc/self/mountinfo.
[[nodiscard]] CgroupMounts read_cgroup_mounts();

/// The cgroup directory of `pid` for a v1 `controller` (or the v2 one for controller ""),
/// with a trailing `/<strip_inner>` component removed (liblxc's `dir.container.inner`).
[[nodiscard]] std::optional<std::string> pid_cgroup_dir(const CgroupMounts& mounts, int pid,
                                                        std::string_view controller,
                                                        std::string_view strip_inner);

/// Bytes read and written, as Proxmox's get_io_stats sums them.
struct IoBytes {
    std::uint64_t read = 0;
    std::uint64_t write = 0;
};
/// From v1's `blkio.throttle.io_service_bytes_recursive`: the `MAJ:MIN Read|Write N` lines
/// (`Total`, `Sync`, `Async`, ... are not counted).
[[nodiscard]] IoBytes v1_io_bytes(std::string_view text);
/// From v2's `io.stat`: `rbytes=` and `wbytes=` of every device line.
[[nodiscard]] IoBytes v2_io_bytes(std::string_view text);

[[nodiscard]] std::optional<std::string> read_text_file(const std::string& path);
[[nodiscard]] std::optional<std::uint64_t> read_u64_file(const std::string& path);

/// rmdir()s (never rm -r: a cgroup in use is never touched) the directories liblxc may leave
/// for `vmid` in every hierarchy: `lxc.monitor/<id>`, `lxc/<id>/ns`, `lxc/<id>`,
/// `lxc.monitor.<id>[-N]`, `lxc.payload.<id>[-N]`, `lxc.pivot`. Returns how many were removed.
int remove_leftover_cgroups(const CgroupMounts& mounts, Vmid vmid);

} // namespace pct::runtime::detail
