// SPDX-License-Identifier: AGPL-3.0-or-later
// /etc/network/interfaces as Proxmox's Debian plugin writes it (PVE::LXC::Setup::Debian
// setup_network, also used by Alpine and old Ubuntu; spec storage.md §5.7), as pure text.
#pragma once

#include <pct/error.hpp>
#include <pct/model/settings.hpp>

#include <map>
#include <optional>
#include <string>

namespace pct::runtime::detail::setup {

/// One managed interface's settings (the Perl `$net` hash).
struct IfaceNet {
    std::optional<std::string> address, netmask, cidr, gateway;
    bool needsroute = false;
    std::optional<std::string> address6, netmask6, cidr6, gateway6;
    bool needsroute6 = false;
};

/// The interfaces of `conf.net` that have a name and some address setting, by name.
/// `Errc::invalid_argument` "unable to parse ipv4 address/mask" / "unable to parse ipv6
/// address/prefix" (key netN, sub-key ip/ip6).
[[nodiscard]] Result<std::map<std::string, IfaceNet>>
interface_networks(const ContainerSettings& conf);

/// The new file for the old text `old` (nullopt: missing): managed `iface` stanzas replaced
/// (their other attribute lines kept), the rest kept, missing ones appended in name order,
/// `auto lo` stanzas prefixed when none was seen. `cidr_form`: `address A/N` instead of
/// `address` + `netmask`.
[[nodiscard]] std::string render_interfaces(const std::optional<std::string>& old,
                                            const std::map<std::string, IfaceNet>& networks,
                                            bool cidr_form);

} // namespace pct::runtime::detail::setup
