// SPDX-License-Identifier: AGPL-3.0-or-later
// The address arithmetic of Proxmox's network setup (PVE::LXC parse_ipv4_cidr,
// PVE::Network::is_ip_in_cidr).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace pct::runtime::detail::setup {

struct Ipv4Cidr {
    std::string address;
    std::string netmask; ///< dotted, e.g. 255.255.240.0
};

/// `A.B.C.D/N` with 8 <= N <= 32 (parse_ipv4_cidr); nullopt otherwise.
[[nodiscard]] std::optional<Ipv4Cidr> parse_ipv4_cidr(std::string_view cidr);

/// `IPV6/N` with a valid address and 0 <= N <= 128: (address, prefix text).
[[nodiscard]] std::optional<std::pair<std::string, std::string>>
parse_ipv6_cidr(std::string_view cidr);

/// Whether `ip` lies in the network of `cidr` (host bits of `cidr` ignored); false when either
/// does not parse as the family (`v6`).
[[nodiscard]] bool ip_in_cidr(std::string_view ip, std::string_view cidr, bool v6);

} // namespace pct::runtime::detail::setup
