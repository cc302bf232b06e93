// SPDX-License-Identifier: AGPL-3.0-or-later
// Private to lxcconf: the state the generation steps share, and their entry points.
// Step numbers refer to spec §9 (Proxmox's update_lxc_config).
#pragma once

#include <pct/lxcconf.hpp>
#include <pct/model/properties.hpp>
#include <pct/model/split_list.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pct::lxcconf::detail {

using Status = std::expected<void, Error>;

/// Perl truthiness of a stored value: defined, not "" and not "0".
[[nodiscard]] bool perl_true(std::optional<std::string_view> value);

/// An unsigned integer option as stored (the file parser normalizes them); nullopt if absent.
[[nodiscard]] Result<std::optional<std::uint64_t>> uint_option(const Section& conf,
                                                               std::string_view key);

/// PVE::CpuSet::short_string: sorted CPUs as `0-3,8`.
[[nodiscard]] std::string cpuset_string(std::vector<unsigned> cpus);

/// `a.b.c.d/len` -> `a.b.c.d/len <broadcast>` (liblxc needs the broadcast spelled out).
[[nodiscard]] std::optional<std::string> ipv4_with_broadcast(std::string_view cidr);

/// "6.0" -> {6, 0}; unparsable parts are 0.
struct Version {
    int major = 0;
    int minor = 0;
};
[[nodiscard]] Version parse_version(std::string_view text);

/// Everything the steps share while one config is generated.
struct Context {
    Context(const Section& c, const HostFacts& h, Profile p, std::uint32_t id)
        : conf(c), host(h), profile(p), vmid(id), lxc(parse_version(h.lxc_version)),
          mac_counter(h.mac_counter) {}

    const Section& conf;
    const HostFacts& host;
    Profile profile;
    std::uint32_t vmid;
    Version lxc;
    bool unprivileged = false;
    bool custom_idmap = false;
    Features features;
    std::uint32_t mac_counter = 0;
    Generated out;
    /// Set by `emit` when a line would not be one `key = value` line; fails the generation.
    std::optional<Error> bad_line;

    [[nodiscard]] bool native() const { return profile == Profile::native; }
    /// Native profile on a v1 or hybrid host: limits go through `lxc.cgroup.*`.
    [[nodiscard]] bool native_v1() const { return native() && host.cgroup != CgroupMode::v2; }
    [[nodiscard]] bool has_controller(std::string_view name) const;
    /// A raw `lxc.*` entry with exactly this key exists.
    [[nodiscard]] bool has_raw(std::string_view key) const;
    /// `<lxcpath>/<vmid>`.
    [[nodiscard]] std::string ct_dir() const;

    /// Appends `key = value`; a key not of lxc syntax or a value with a line break sets
    /// `bad_line` instead of ever reaching the text.
    void emit(std::string_view key, std::string_view value);
    void warn(std::string text) { out.warnings.push_back(std::move(text)); }
};

/// Steps 3 (includes) for both profiles.
[[nodiscard]] Status emit_includes(Context& ctx, std::string_view ostype);
/// Steps 4-7: seccomp (+ rules.seccomp), AppArmor, fuse, `sys:mixed`.
[[nodiscard]] Status emit_security(Context& ctx);
/// Step 9: `devN` passthrough (stats each host device).
[[nodiscard]] Status emit_devices(Context& ctx);
/// Step 12's cgroup line: deny `/dev/console` (c 5:1) when the console is off.
void emit_console_deny(Context& ctx);
/// Steps 14-15: memory and CPU limits.
[[nodiscard]] Status emit_limits(Context& ctx);
/// Step 18: every `netN` in string order.
[[nodiscard]] Status emit_networks(Context& ctx);
/// Step 21: `cores` as a cpuset, unless a raw cpuset key exists.
[[nodiscard]] Status emit_cpuset(Context& ctx, bool had_raw_cpuset);

} // namespace pct::lxcconf::detail
