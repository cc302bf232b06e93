// SPDX-License-Identifier: AGPL-3.0-or-later
// Private to the hot-plug files: one refusal/apply pair per key family, and what they share
// (the config with the change made, the LXC lines the generator derives from it).
#pragma once

#include "hotplug.hpp"
#include "unique_fd.hpp"

#include <string>
#include <utility>
#include <vector>

namespace pct::runtime::detail {

/// `ct.config` with `key` set to `next` (nullopt: deleted) in the main section.
[[nodiscard]] ContainerConfig config_with(const LiveContainer& ct, std::string_view key,
                                          std::optional<std::string_view> next);

/// The `key = value` lines the native generator makes of `config` for this host, in order:
/// the start's own derivation of cgroup limits and interfaces, so a live change applies
/// exactly what the next start would.
using LxcLines = std::vector<std::pair<std::string, std::string>>;
[[nodiscard]] Result<LxcLines> generated_lines(const LiveContainer& ct,
                                               const ContainerConfig& config);

/// `/proc/PID/ns/NS` of the container's init, proven to be that process's (a pidfd taken
/// before the open still names a live process after it) and not the caller's own namespace.
/// `Errc::bad_state` when the container's init is gone, `Errc::io` when it cannot be opened.
[[nodiscard]] Result<UniqueFd> open_ct_namespace(const LiveContainer& ct, std::string_view ns);

/// Proxmox's `unable to hotplug KEY: ERR`, with the key set.
[[nodiscard]] Error hotplug_error(std::string_view key, Error e);
/// `Errc::io` "WHAT: strerror(err)" with `sys_errno`.
[[nodiscard]] Error errno_error(std::string_view what, int err);

/// Writes `value` into the cgroup file `path` in one write(), as the kernel wants it.
/// `Errc::io` naming the file, the value and the kernel's reason.
[[nodiscard]] Result<void> write_value(const std::string& path, std::string_view value);

/// `memory`, `swap`, `cpulimit`, `cpuunits` (hotplug_cgroup.cpp).
[[nodiscard]] std::optional<std::string>
cgroup_refusal(const LiveContainer& ct, std::string_view key, std::optional<std::string_view> next);
[[nodiscard]] Result<void> cgroup_hotplug(const LiveContainer& ct, std::string_view key,
                                          std::optional<std::string_view> next);

/// `netN` (hotplug_net.cpp).
[[nodiscard]] std::optional<std::string> net_refusal(const LiveContainer& ct, std::string_view key,
                                                     std::optional<std::string_view> next);
[[nodiscard]] Result<void> net_hotplug(const LiveContainer& ct, std::string_view key,
                                       std::optional<std::string_view> next);

/// `devN` (hotplug_dev.cpp).
[[nodiscard]] std::optional<std::string> dev_refusal(const LiveContainer& ct, std::string_view key,
                                                     std::optional<std::string_view> next);
[[nodiscard]] Result<void> dev_hotplug(const LiveContainer& ct, std::string_view key,
                                       std::optional<std::string_view> next);

/// `mpN` (hotplug_mount.cpp).
[[nodiscard]] std::optional<std::string>
mount_refusal(const LiveContainer& ct, std::string_view key, std::optional<std::string_view> next);
[[nodiscard]] Result<void> mount_hotplug(const LiveContainer& ct, std::string_view key,
                                         std::optional<std::string_view> next);

} // namespace pct::runtime::detail
