// SPDX-License-Identifier: AGPL-3.0-or-later
// The MAC address a new or re-printed `netN` gets when it has none (create, pending apply).
#pragma once

#include <string>

namespace pct::runtime::detail {

/// A random MAC in Proxmox's default prefix `BC:24:11` (`random_ether_addr`), upper case.
[[nodiscard]] std::string random_mac();

} // namespace pct::runtime::detail
