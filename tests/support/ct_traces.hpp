// SPDX-License-Identifier: AGPL-3.0-or-later
// What a container leaves on the host outside its directories, and removing it by force:
// the processes in its cgroups (monitor and payload, every v1 hierarchy and the unified one),
// the cgroup directories, its host veths and its `[lxc monitor]` processes. Shared by CtGuard
// (after a failed test) and the sweeper (after a killed test process).
#pragma once

#include <pct/model/config.hpp>

#include <string>
#include <sys/types.h>
#include <vector>

namespace pct::test {

/// Kills every process in the cgroup directories `tops` and below (thawing them first: a
/// frozen task would not die), waits until they are gone and removes the directories, deepest
/// first. All hierarchies of a CT at once: its tasks are listed in each of them.
void kill_cgroup_trees(const std::vector<std::string>& tops);

/// The cgroup directories of a CTID in every hierarchy: lxc/<id>, lxc.monitor/<id>,
/// lxc.monitor.<id>[-N], lxc.payload.<id>[-N].
[[nodiscard]] std::vector<std::string> ct_cgroup_dirs(Vmid id);

struct LxcMonitor {
    pid_t pid = 0;
    std::string lxcpath;
    Vmid id;
};
/// Every running `[lxc monitor] <lxcpath> <id>` process.
[[nodiscard]] std::vector<LxcMonitor> lxc_monitors();

/// Kills the CT's processes through its cgroups, removes the cgroups and deletes its host veths
/// (veth<id>i<N>). Its files are left to the caller.
void remove_ct_traces(Vmid id);

} // namespace pct::test
