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
/// Host facts come in as a `HostFacts` value; besides it, `generate()` only reads
/// `HostFacts::lxc_config_dir` (which `<ostype>.common.conf` / `.userns.conf` exist, unless
/// `HostFacts::lxc_config_files` pins them; the text of `common.seccomp`) and stats the host
/// paths of `devN` passthrough devices, as Proxmox does. It writes nothing: extra files are
/// returned for the caller to write.
///
/// Threading: every function is reentrant (`detect_host_for` keeps a mutex-guarded per-process
/// cache); `HostFacts` and `Generated` are plain values.
#pragma once

#include <pct/error.hpp>
#include <pct/model/config.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace pct::lxcconf {

/// Which host the generated config is for.
///
/// The native profile follows Proxmox's steps and differs where this host needs it:
///  - limits: `lxc.cgroup.*` keys (Proxmox's historical v1 branch: memory.limit_in_bytes,
///    memsw when swap accounting exists, cpu.cfs_quota/period_us, cpu.shares, cpuset.cpus,
///    devices) on v1 and hybrid hosts, whose cgroup2 holds no usable controller (liblxc
///    silently ignores `lxc.cgroup2.*` limits there); `lxc.cgroup2.*` on v2 hosts;
///  - includes: only the `<ostype>.common.conf` / `common.conf` / userns files that exist;
///    with none, built-in `lxc.pty.max` and `lxc.mount.auto = proc:mixed sys:mixed
///    cgroup:mixed` so a minimal (busybox) container still boots;
///  - networks: no `lxcnetaddbr` hook; `lxc.net.N.link = <bridge>`, `flags = up` unless
///    `link_down`, and static `ip`/`gw`/`ip6`/`gw6` set by liblxc (`ipv4.address` carries
///    the broadcast, which liblxc would otherwise get wrong); dhcp/manual/SLAAC stay the
///    container's. `firewall=1`, `tag`, `trunks` and `rate` are refused (`Errc::unsupported`):
///    they need Proxmox's bridge hooks, and running without them would put the CT on the wrong
///    network or without its limit. A netN without a bridge is an unattached veth (warning);
///  - `env`: `lxc.environment` on lxc < 6, which does not know `lxc.environment.runtime`;
///  - AppArmor keys only when `HostFacts::apparmor`. Without AppArmor, a privileged
///    container gets `rules.seccomp` (`common.seccomp` + EPERM for mount, umount2,
///    pivot_root, open_tree, move_mount, fsopen, fsconfig, fsmount, fspick, mount_setattr)
///    and `lxc.mount.auto = proc:mixed sys:mixed`, the confinement Proxmox gets from its
///    AppArmor profile; `features: nesting`, `mount` or `fuse` (which need mounts) or a raw
///    `lxc.seccomp.profile` leave mounts allowed, with a warning;
///  - `features: mknod` only with a pve-lxc-syscalld socket (else a warning); `devN` nodes
///    are bind-mounted from the host (Proxmox's hook creates them), so their mode/uid/gid are
///    not applied (warning), and their path is written as an fstab field (`\040` = blank);
///  - warnings for limits the host cannot enforce (missing controller, swap accounting,
///    cpuset) and for raw `lxc.cgroup*` keys of the version the host does not use.
enum class Profile { proxmox, native };
enum class CgroupMode { v1, v2, hybrid }; ///< hybrid: v1 controllers + an (almost) empty cgroup2

/// Everything about the host that changes the generated text.
struct HostFacts {
    std::string lxc_version = "6.0"; ///< major.minor
    CgroupMode cgroup = CgroupMode::v2;
    std::map<std::string, std::uint32_t> bridge_mtu; ///< existing bridges and their MTU
    bool all_bridges_exist = false;                  ///< treat any bridge as existing (MTU 1500)
    std::string mac_prefix = "BC:24:11";             ///< for a missing hwaddr
    std::uint32_t mac_counter = 0; ///< proxmox profile test facts: :00:00:01, :02, ...
    bool apparmor = true;
    std::string lxc_config_dir = "/usr/share/lxc/config"; ///< where `<ostype>.common.conf` live
    std::string lxcpath = "/var/lib/lxc"; ///< `lxc.rootfs.path` and rules.seccomp go under it
    std::optional<std::vector<unsigned>> cpuset; ///< host CPUs for `cores`; nullopt = no cpuset
    /// pve-lxc-syscalld's socket for `features: mknod` (seccomp notify proxy). Empty: no such
    /// daemon on this host (native profile: mknod is then ignored with a warning; proxmox
    /// profile: Proxmox's default path is used).
    std::string syscalld_socket = "/run/pve-lxc-syscalld/socket";
    /// Resource controllers usable for limits in the host's active layout: the v1 hierarchies
    /// for `v1`/`hybrid`, the v2 `cgroup.controllers` for `v2` (where `devices` is eBPF and
    /// always there). A limit whose controller is missing is warned about, never dropped silently.
    std::vector<std::string> controllers{"cpu", "cpuset", "devices", "memory", "pids"};
    /// Swap accounting exists (`memory.memsw.*` on v1, `memory.swap.max` on v2).
    bool swap_accounting = true;
    /// The include files `lxc_config_dir` holds, by name (`common.conf`, `debian.common.conf`,
    /// `userns.conf`, ...): step 3 picks `<ostype>.common.conf` only when it is listed.
    /// nullopt (the default, and what `detect_host` gives): look in `lxc_config_dir` when
    /// generating. Pinned facts (tests, `proxmox_reference()`) list them, so that the text
    /// does not depend on whether the generating machine has lxc-templates installed.
    std::optional<std::vector<std::string>> lxc_config_files;
    /// The conformance host facts of ../shared/conformance/README.md (lxc 6.0, pure cgroup v2,
    /// every bridge with MTU 1500, MACs BC:24:11:00:00:01..., no cpuset) on a Proxmox VE host:
    /// `lxc_config_files` lists lxc's own files plus the `<ostype>.common.conf` and
    /// `<ostype>.userns.conf` that lxc-pve ships (alpine, archlinux, centos, debian, devuan,
    /// fedora, gentoo, opensuse, ubuntu). (The corpus was made with Debian's lxc package alone; its
    /// inputs of those ostypes all fail before the includes matter, so both agree on it.)
    [[nodiscard]] static HostFacts proxmox_reference();
};

/// An extra file the generator writes beside the config (e.g. `rules.seccomp`).
struct ExtraFile {
    std::string path;
    std::string content;
    friend bool operator==(const ExtraFile&, const ExtraFile&) = default;
};

struct Generated {
    std::string config; ///< `K = V` lines
    std::vector<ExtraFile> files;
    std::vector<std::string> warnings; ///< e.g. ignored features, limits this host cannot apply
};

struct GenerateOptions {
    Profile profile = Profile::native;
    std::uint32_t vmid = 100;
};

/// Generates the LXC config of the main section of `config` (pending not applied). Errors carry
/// Proxmox's message where Proxmox dies (`missing 'arch' - internal error`, bridge missing, MTU
/// above the bridge's, ...), with the key (and sub-key) at fault:
///  - `Errc::invalid_argument`: a required key is missing (`arch`, `ostype`, `rootfs`), a value
///    does not fit (MTU above the bridge's, `ip6=auto` with host-managed, a `devN` path that is
///    not a device), or a stored value is malformed (integers, property strings); a key or
///    value of the main section holds a line break (LF, CR or NUL; in `env` inside one
///    NUL-separated entry), or a raw key is not `lxc.[a-z0-9_.-]+` (a model can hold what no
///    file could: these would add lines of their own to the text); a host fact would (the
///    key is then the LXC key it went into);
///  - `Errc::not_found`: a bridge or a `devN` device that does not exist, a missing
///    `common.seccomp`;
///  - `Errc::bad_state`: the container is a template (Proxmox deletes its LXC config instead);
///  - `Errc::unsupported` (native profile): `firewall=1`, `tag`, `trunks`, `rate` on a netN.
///
/// The proxmox profile follows Proxmox in its choices that are random: a missing `hwaddr`
/// becomes `mac_prefix` + the next `mac_counter` value (Proxmox: random), and `cores` picks a
/// random subset of `cpuset` (as Proxmox). The native profile is deterministic: a missing
/// `hwaddr` is derived from the CTID and the interface index, `cores` takes the first N CPUs.
[[nodiscard]] Result<Generated> generate(const ContainerConfig& config, const HostFacts& host,
                                         const GenerateOptions& options);

/// Reads this host's facts: lxc version, cgroup layout, bridges and MTUs (/sys/class/net),
/// AppArmor (/sys/kernel/security/apparmor), cpuset, with `lxcpath` as given.
///
/// The lxc version is the one of the lxc headers libpct was built against (`<lxc/version.h>`,
/// overridable with the `PCT_LXC_VERSION` compile definition): lxcconf never links liblxc.
/// The cgroup layout: `cgroup.controllers` at /sys/fs/cgroup -> v2; v1 hierarchies plus a
/// cgroup2 at /sys/fs/cgroup/unified -> hybrid; v1 hierarchies only -> v1. Errors:
/// `Errc::io` when /sys/fs/cgroup shows none of these layouts.
[[nodiscard]] Result<HostFacts> detect_host(const std::string& lxcpath);

/// The facts `generate()` needs for `config`, read the way a container start needs them: the
/// same values `detect_host()` gives for everything the config uses, but
///  - bridges: only those the main section's netN name (`bridge_mtu` holds no other), each
///    checked at /sys/class/net/<bridge>/bridge with its MTU by ioctl(SIOCGIFMTU) (the sysfs
///    attributes of network devices take the kernel's RTNL lock, which concurrent container
///    starts hold for milliseconds while they create network namespaces);
///  - `cpuset`: read only when the config sets `cores`, its only use (nullopt otherwise);
///  - the pve-lxc-syscalld socket: looked up at every call;
///  - the facts fixed at boot (lxc version, cgroup layout and controllers, swap accounting,
///    AppArmor) come from the first successful call of the process.
/// Thread-safe. Errors as `detect_host()`.
[[nodiscard]] Result<HostFacts> detect_host_for(const ContainerConfig& config,
                                                const std::string& lxcpath);

} // namespace pct::lxcconf
