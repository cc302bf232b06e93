// SPDX-License-Identifier: AGPL-3.0-or-later
// Private to lxcconf (and its tests): host detection under a root prefix, so the detection
// logic can be exercised on a fake /sys tree.
#pragma once

#include <pct/lxcconf.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pct::lxcconf::detail {

/// detect_host() reading `<root>/sys/...` and `<root>/run/...` instead of `/sys` and `/run`.
[[nodiscard]] Result<HostFacts> detect_host_at(const std::string& root, const std::string& lxcpath);

/// What detect_host_for() looks at for a config.
struct HostNeeds {
    /// The bridges named by netN; nullopt: every bridge of the host.
    std::optional<std::vector<std::string>> bridges;
    bool cpuset = false; ///< the CPUs containers may use (for `cores`)
};

/// The bridges of the main section's netN and whether it sets `cores`.
[[nodiscard]] HostNeeds host_needs(const ContainerConfig& config);

/// The facts fixed at boot: lxc version, cgroup layout and controllers, swap accounting,
/// AppArmor (`bridge_mtu`, `cpuset`, `syscalld_socket` left empty).
[[nodiscard]] Result<HostFacts> detect_boot_facts_at(const std::string& root,
                                                     const std::string& lxcpath);

/// Fills the facts that can change while the host runs: the `needs.cpuset` cpuset (nullopt
/// otherwise), the `needs.bridges` and their MTU (by ioctl when `root` is empty, which needs
/// no RTNL lock; else from `<root>/sys/class/net/<br>/mtu`), the pve-lxc-syscalld socket.
void detect_live_facts_at(const std::string& root, HostFacts& facts, const HostNeeds& needs);

/// detect_host_for() under a root prefix, without the per-process cache.
[[nodiscard]] Result<HostFacts> detect_host_for_at(const std::string& root,
                                                   const ContainerConfig& config,
                                                   const std::string& lxcpath);

/// A kernel CPU list (`0-3,8`, as in cpuset.cpus or /sys/devices/system/cpu/online).
[[nodiscard]] std::optional<std::vector<unsigned>> parse_cpu_list(std::string_view text);

/// "major.minor" of the lxc headers libpct was built against.
[[nodiscard]] std::string built_lxc_version();

} // namespace pct::lxcconf::detail
