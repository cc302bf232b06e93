// SPDX-License-Identifier: AGPL-3.0-or-later
// Changing a running container in place: the keys Proxmox hot-plugs (`cpulimit`, `cpuunits`,
// `memory`, `swap`, `netN`, new `mpN`, new `devN`; config-format §8, storage.md §4.10). The
// pending engine (pending.hpp) asks first whether a change can go live, then makes it; what
// cannot stays in `[pve:pending]` until the next start, with the reason given here.
//
// What goes live (hotplug*.cpp): the cgroup files of `memory swap cpulimit cpuunits`, as the
// generator derives them; a new, deleted or re-bridged/MTU/link_down `netN`; a new `mpN`
// (bind, device or storage volume; `idmap=passthrough`); a new `devN` on cgroup v1 hosts. The
// container's namespaces are entered only by short-lived threads of their own (never the
// caller's thread), through namespace fds proven to belong to the container's init.
//
// `cores` is fast-plug in Proxmox (its cpuset is rebalanced later by pvestatd, which libpct
// does not have); hotplug() also takes it, writing the generator's cpuset to the live cgroup,
// for a caller that wants the change in effect at once.
//
// The other fast-plug keys (`description onboot startup protection hostname hookscript tags
// lock`) are config-only and never reach this file.
#pragma once

#include <pct/error.hpp>
#include <pct/model/config.hpp>
#include <pct/storage/host.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pct::runtime::detail {

/// A running container as the hot-plug code sees it.
struct LiveContainer {
    const storage::Host& host;
    Vmid vmid;
    int init_pid = 0;              ///< host PID of the container's init (> 0)
    const ContainerConfig& config; ///< the config as on disk, before this change
    /// Where a hot-plug that succeeds with a remark puts it (e.g. a mount option the storage
    /// ignores); nullptr: dropped. Added by the hot-plug work (a trailing field, so
    /// `LiveContainer{host, vmid, pid, config}` still compiles).
    std::vector<std::string>* warnings = nullptr;
};

/// Why `key` cannot change to `next` (nullopt: the key is deleted) in the running container,
/// e.g. "hot-plug of 'rootfs' is not possible": the text `pct set --dry-run` shows beside a
/// key left pending. nullopt when `hotplug` can do it.
[[nodiscard]] std::optional<std::string> hotplug_refusal(const LiveContainer& ct,
                                                         std::string_view key,
                                                         std::optional<std::string_view> next);

/// Makes the change in the running container (live cgroup limits, a veth on its bridge, a
/// mount in its namespace). On failure the container is left as it was where that can be
/// done; the caller then keeps the key pending, with the error's message as the reason.
[[nodiscard]] Result<void> hotplug(const LiveContainer& ct, std::string_view key,
                                   std::optional<std::string_view> next);

} // namespace pct::runtime::detail
