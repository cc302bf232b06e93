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

/// A kernel CPU list (`0-3,8`, as in cpuset.cpus or /sys/devices/system/cpu/online).
[[nodiscard]] std::optional<std::vector<unsigned>> parse_cpu_list(std::string_view text);

/// "major.minor" of the lxc headers libpct was built against.
[[nodiscard]] std::string built_lxc_version();

} // namespace pct::lxcconf::detail
