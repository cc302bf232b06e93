// SPDX-License-Identifier: AGPL-3.0-or-later
// Step 18: veth interfaces. Proxmox attaches them with its lxcnetaddbr script; the native
// profile lets liblxc do it (link, flags, addresses) since this host has no Proxmox hooks.
#include "generate_impl.hpp"
#include "pct/internal/keys.hpp"

#include <pct/parse/properties.hpp>

#include <cctype>
#include <cstdio>

namespace pct::lxcconf::detail {

namespace {

std::string mac_from_counter(const std::string& prefix, std::uint32_t n) {
    char buf[16];
    std::snprintf(buf, sizeof buf, ":%02X:%02X:%02X", (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff);
    std::string upper = prefix; // Proxmox upper-cases the datacenter's prefix
    for (char& c : upper)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return upper + buf;
}

/// Stable per CT and interface, so a restart keeps the MAC (FNV-1a of "vmid/index").
std::string mac_from_identity(const std::string& prefix, std::uint32_t vmid,
                              std::string_view index) {
    std::uint32_t h = 2166136261u;
    std::string id = std::to_string(vmid) + '/' + std::string(index);
    for (unsigned char c : id) {
        h ^= c;
        h *= 16777619u;
    }
    return mac_from_counter(prefix, h & 0xffffff);
}

/// PVE::Network::read_bridge_mtu under the host facts.
Result<std::uint32_t> bridge_mtu(const Context& ctx, const std::string& key,
                                 const std::string& bridge) {
    if (!bridge.empty()) {
        if (auto it = ctx.host.bridge_mtu.find(bridge); it != ctx.host.bridge_mtu.end())
            return it->second;
        if (ctx.host.all_bridges_exist)
            return 1500u;
    }
    return fail(Errc::not_found, "bridge '" + bridge + "' does not exist",
                {.key = key, .subkey = "bridge"});
}

Status refuse_unsupported(const std::string& key, const NetInterface& net) {
    auto refuse = [&key](std::string subkey, std::string why) {
        return fail(Errc::unsupported, key + ": " + subkey + ": " + why,
                    {.key = key, .subkey = subkey});
    };
    if (net.firewall.value_or(false))
        return refuse("firewall", "the Proxmox firewall bridge is not available on this host");
    if (net.tag)
        return refuse("tag", "VLAN tagging needs Proxmox's bridge hooks and 802.1q support, "
                             "which this host lacks");
    if (net.trunks)
        return refuse("trunks", "VLAN trunks need Proxmox's bridge hooks and 802.1q support, "
                                "which this host lacks");
    if (net.rate)
        return refuse("rate", "rate limiting is applied by Proxmox's hooks, which this host "
                              "lacks");
    return {};
}

bool static_address(const std::optional<std::string>& ip) {
    return ip && *ip != "dhcp" && *ip != "manual" && *ip != "auto";
}

Status emit_proxmox_addresses(Context& ctx, const std::string& key, const std::string& pfx,
                              const NetInterface& net) {
    if (!net.host_managed.value_or(false) || net.link_down.value_or(false))
        return {};
    if (net.ip6 && *net.ip6 == "auto")
        return fail(Errc::invalid_argument, key + ": SLAAC is not supported with host-managed",
                    {.key = key, .subkey = "ip6"});
    if (static_address(net.ip))
        ctx.emit(pfx + "ipv4.address", *net.ip);
    if (net.gw)
        ctx.emit(pfx + "ipv4.gateway", *net.gw);
    if (static_address(net.ip6))
        ctx.emit(pfx + "ipv6.address", *net.ip6);
    if (net.gw6)
        ctx.emit(pfx + "ipv6.gateway", *net.gw6);
    ctx.emit(pfx + "flags", "up");
    return {};
}

// The ostypes whose network files libpct's in-container setup writes as Proxmox does
// (runtime/setup): their own ifupdown or networkd configures the static addresses.
bool setup_configures_addresses(const Context& ctx) {
    auto ostype = ctx.conf.get("ostype");
    return ostype && (*ostype == "debian" || *ostype == "devuan" || *ostype == "ubuntu" ||
                      *ostype == "alpine");
}

Status emit_native_addresses(Context& ctx, const std::string& key, const std::string& pfx,
                             const NetInterface& net) {
    if (!net.link_down.value_or(false))
        ctx.emit(pfx + "flags", "up");
    // Where the in-container setup writes the static addresses (inet static, networkd), the
    // distribution sets them at boot, as on Proxmox: set by liblxc too, ifupdown's
    // `ip addr add` would fail with "File exists" and fail networking.service. Other ostypes
    // (unmanaged, ...) and host-managed interfaces get them from liblxc; dhcp/manual/SLAAC
    // stay the container's business.
    if (setup_configures_addresses(ctx) && !net.host_managed.value_or(false))
        return {};
    if (static_address(net.ip)) {
        auto with_brd = ipv4_with_broadcast(*net.ip);
        if (!with_brd)
            return fail(Errc::invalid_argument,
                        key + ": unable to parse ipv4 address/mask '" + *net.ip + "'",
                        {.key = key, .subkey = "ip"});
        ctx.emit(pfx + "ipv4.address", *with_brd);
        if (net.gw)
            ctx.emit(pfx + "ipv4.gateway", *net.gw);
    }
    if (static_address(net.ip6)) {
        ctx.emit(pfx + "ipv6.address", *net.ip6);
        if (net.gw6)
            ctx.emit(pfx + "ipv6.gateway", *net.gw6);
    }
    return {};
}

} // namespace

Status emit_networks(Context& ctx) {
    // `sort keys %$conf`: byte order, so net10 comes before net2 (the map is already sorted).
    for (const auto& [key, value] : ctx.conf.options) {
        if (!pct::detail::is_net_key(key))
            continue;
        std::string_view index = std::string_view(key).substr(3);

        auto parsed = parse::net(value);
        if (!parsed)
            return std::unexpected(with_key(std::move(parsed).error(), key));
        NetInterface& net = *parsed;
        if (ctx.native()) {
            if (auto st = refuse_unsupported(key, net); !st)
                return st;
        }

        std::string pfx = "lxc.net." + std::string(index) + '.';
        ctx.emit(pfx + "type", "veth");
        ctx.emit(pfx + "veth.pair", "veth" + std::to_string(ctx.vmid) + 'i' + std::string(index));
        std::string hwaddr;
        if (net.hwaddr && !net.hwaddr->empty())
            hwaddr = *net.hwaddr;
        else if (ctx.native())
            hwaddr = mac_from_identity(ctx.host.mac_prefix, ctx.vmid, index);
        else
            hwaddr = mac_from_counter(ctx.host.mac_prefix, ++ctx.mac_counter);
        ctx.emit(pfx + "hwaddr", hwaddr);
        if (!net.name.empty())
            ctx.emit(pfx + "name", net.name);

        std::uint32_t mtu = net.mtu.value_or(0); // 0: none given (`mtu || bridge MTU`)
        if (ctx.native() && !net.bridge) {
            ctx.warn(key + ": no bridge: the host end veth" + std::to_string(ctx.vmid) + 'i' +
                     std::string(index) + " stays unattached");
        } else {
            auto bmtu = bridge_mtu(ctx, key, net.bridge.value_or(""));
            if (!bmtu)
                return std::unexpected(std::move(bmtu).error());
            if (mtu > *bmtu)
                return fail(Errc::invalid_argument,
                            key + ": MTU size '" + std::to_string(mtu) +
                                "' is bigger than bridge MTU '" + std::to_string(*bmtu) + "'",
                            {.key = key, .subkey = "mtu"});
            if (mtu == 0)
                mtu = *bmtu;
            if (ctx.native())
                ctx.emit(pfx + "link", *net.bridge);
        }
        if (mtu != 0)
            ctx.emit(pfx + "mtu", std::to_string(mtu));

        if (ctx.native()) {
            if (auto st = emit_native_addresses(ctx, key, pfx, net); !st)
                return st;
        } else {
            // Since lxc 4 Proxmox attaches the veth with its own up-script.
            if (ctx.lxc.major >= 4)
                ctx.emit(pfx + "script.up", "/usr/share/lxc/lxcnetaddbr");
            if (auto st = emit_proxmox_addresses(ctx, key, pfx, net); !st)
                return st;
        }
    }
    return {};
}

} // namespace pct::lxcconf::detail
