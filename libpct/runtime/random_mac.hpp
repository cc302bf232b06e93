// SPDX-License-Identifier: AGPL-3.0-or-later
// A new MAC for a container interface (create, a re-printed netN, every netN of a clone).
#pragma once

#include <string>

namespace pct::runtime::detail {

/// Proxmox's random_ether_addr with its default `mac_prefix` BC:24:11: `BC:24:11:XX:XX:XX`,
/// the last three bytes random.
[[nodiscard]] std::string random_mac();

} // namespace pct::runtime::detail
