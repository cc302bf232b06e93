// SPDX-License-Identifier: AGPL-3.0-or-later
/// @file
/// Generating the LXC low-level config (`/var/lib/lxc/<CTID>/config`) from a container config,
/// as Proxmox's `update_lxc_config` does, for one of two host profiles:
///  - `Profile::proxmox`: exactly what Proxmox writes for the given host facts (for tools that
///    prepare configs for a PVE host);
///  - `Profile::native` (default): what really works on the host libpct runs on (cgroup v1,
///    v2 or hybrid; the lxc version's known keys; bridges without Proxmox's hook scripts; no
///    AppArmor where the kernel has none). A limit that cannot be enforced here is an error
///    or a warning, never silently dropped.
/// Pure: no I/O except through `detect_host()`.
#pragma once

#include <pct/error.hpp>
#include <pct/model/config.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace pct::lxcconf {

enum class Profile { proxmox, native };
enum class CgroupMode { v1, v2, hybrid }; ///< hybrid: v1 controllers + an (almost) empty cgroup2

/// Everything about the host that changes the generated text.
struct HostFacts {
    std::string lxc_version = "6.0";                  ///< major.minor
    CgroupMode cgroup = CgroupMode::v2;
    std::map<std::string, std::uint32_t> bridge_mtu;  ///< existing bridges and their MTU
    bool all_bridges_exist = false;                   ///< treat any bridge as existing (MTU 1500)
    std::string mac_prefix = "BC:24:11";              ///< for a missing hwaddr
    std::uint32_t mac_counter = 0;                    ///< proxmox profile test facts: :00:00:01, :02, ...
    bool apparmor = true;
    std::string lxc_config_dir = "/usr/share/lxc/config"; ///< where `<ostype>.common.conf` live
    std::string lxcpath = "/var/lib/lxc";             ///< `lxc.rootfs.path` and rules.seccomp go under it
    std::optional<std::vector<unsigned>> cpuset;      ///< host CPUs for `cores`; nullopt = no cpuset
    std::string syscalld_socket = "/run/pve-lxc-syscalld/socket";
    /// The conformance host facts of ../shared/conformance/README.md (lxc 6.0, pure cgroup v2,
    /// every bridge with MTU 1500, MACs BC:24:11:00:00:01..., no cpuset, Debian's lxc files).
    [[nodiscard]] static HostFacts proxmox_reference();
};

/// An extra file the generator writes beside the config (e.g. `rules.seccomp`).
struct ExtraFile {
    std::string path;
    std::string content;
    friend bool operator==(const ExtraFile&, const ExtraFile&) = default;
};

struct Generated {
    std::string config;              ///< `K = V` lines
    std::vector<ExtraFile> files;
    std::vector<std::string> warnings; ///< e.g. ignored features, limits this host cannot apply
};

struct GenerateOptions {
    Profile profile = Profile::native;
    std::uint32_t vmid = 100;
};

/// Generates the LXC config of the main section of `config` (pending not applied). Errors carry
/// Proxmox's message where Proxmox dies (`missing 'arch' - internal error`, bridge missing, MTU
/// above the bridge's, ...), with the key (and sub-key) at fault.
[[nodiscard]] Result<Generated> generate(const ContainerConfig& config, const HostFacts& host,
                                         const GenerateOptions& options);

/// Reads this host's facts: lxc version, cgroup layout, bridges and MTUs (/sys/class/net),
/// AppArmor (/sys/kernel/security/apparmor), cpuset, with `lxcpath` as given.
[[nodiscard]] Result<HostFacts> detect_host(const std::string& lxcpath);

} // namespace pct::lxcconf
