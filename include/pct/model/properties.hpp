// SPDX-License-Identifier: AGPL-3.0-or-later
/// @file
/// Typed values of the property-string options: `netN`, `rootfs`/`mpN`, `unusedN`, `devN`,
/// `features` and `startup`. Absent sub-keys are `std::nullopt` (absent is not the default).
/// `pct::parse::*` builds them from text with Proxmox's rules and `pct::render::*` prints them
/// in Proxmox's order; for every value `parse(render(x)) == x`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pct {

/// A decimal number kept exactly as written (`cpulimit: 1.50` stays "1.50").
struct Number {
    std::string text;
    /// The numeric value (Proxmox's number syntax, a leading '+' allowed); NaN if not a number.
    [[nodiscard]] double value() const;
    friend bool operator==(const Number&, const Number&) = default;
};

/// `netN`: a veth interface on a bridge (15 sub-keys).
struct NetInterface {
    std::string name; ///< required: interface name inside the CT
    std::optional<std::string> bridge;
    std::optional<bool> firewall;
    std::optional<std::string> gw;
    std::optional<std::string> gw6;
    std::optional<bool> host_managed; ///< `host-managed`
    std::optional<std::string> hwaddr;
    std::optional<std::string> ip;  ///< `dhcp`, `manual` or IPv4/CIDR
    std::optional<std::string> ip6; ///< `auto`, `dhcp`, `manual` or IPv6/CIDR
    std::optional<bool> link_down;
    std::optional<std::uint32_t> mtu;
    std::optional<Number> rate;
    std::optional<std::uint32_t> tag;
    std::optional<std::string> trunks; ///< `;`-separated VLAN ids, verbatim
    std::optional<std::string> type;   ///< only `veth`
    friend bool operator==(const NetInterface&, const NetInterface&) = default;
};

/// What a mount point's volume string denotes.
enum class VolumeKind {
    volume, ///< `STORAGE:VOLNAME` (or the allocation form `STORAGE:SIZE_GiB`)
    bind,   ///< an absolute host path
    device, ///< a `/dev/...` block device
};

/// One `u|g:CT:HOST:COUNT` entry of a per-mount idmap.
struct IdMapEntry {
    char kind = 'u'; ///< 'u' or 'g'
    std::uint64_t ct = 0;
    std::uint64_t host = 0;
    std::uint64_t count = 0;
    friend bool operator==(const IdMapEntry&, const IdMapEntry&) = default;
};

/// `rootfs` and `mpN` (rootfs has no `mp`, `backup`, `keepattrs`).
struct MountPoint {
    std::string volume;                ///< default key
    std::optional<std::string> mp;     ///< path inside the CT (required for mpN)
    std::optional<std::uint64_t> size; ///< bytes (`size=8G` -> 8589934592)
    std::optional<bool> acl;
    std::optional<bool> backup;
    std::optional<bool> keepattrs;
    std::optional<std::string> mountoptions; ///< `opt;opt`, verbatim
    std::optional<bool> idmap_passthrough;   ///< `idmap=passthrough`
    std::vector<IdMapEntry> idmap;           ///< parsed `idmap=u:0:1000:1;...`
    std::optional<bool> quota;
    std::optional<bool> replicate;
    std::optional<bool> ro;
    std::optional<bool> shared;

    /// volume / bind / device, derived from `volume` as Proxmox does.
    [[nodiscard]] VolumeKind kind() const;
    friend bool operator==(const MountPoint&, const MountPoint&) = default;
};

/// `unusedN`: a volume no longer attached.
struct UnusedVolume {
    std::string volume;
    friend bool operator==(const UnusedVolume&, const UnusedVolume&) = default;
};

/// `devN`: a host device passed through.
struct Device {
    std::optional<std::string> path; ///< default key; required in practice (`/dev/...`)
    std::optional<std::string> mode; ///< `0[0-7]{3}`
    std::optional<std::uint64_t> uid;
    std::optional<std::uint64_t> gid;
    std::optional<bool> deny_write; ///< `deny-write`
    friend bool operator==(const Device&, const Device&) = default;
};

/// `features`.
struct Features {
    std::optional<bool> force_rw_sys;
    std::optional<bool> fuse;
    std::optional<bool> keyctl;
    std::optional<bool> mknod;
    std::optional<std::string> mount; ///< fs types, `;`-separated, verbatim
    std::optional<bool> nesting;
    friend bool operator==(const Features&, const Features&) = default;
};

/// `startup`: `[order=]N,up=N,down=N`.
struct StartupOrder {
    std::optional<std::uint64_t> order;
    std::optional<std::uint64_t> up;
    std::optional<std::uint64_t> down;
    friend bool operator==(const StartupOrder&, const StartupOrder&) = default;
};

} // namespace pct
