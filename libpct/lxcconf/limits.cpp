// SPDX-License-Identifier: AGPL-3.0-or-later
// Steps 14, 15 and 21: memory, CPU and cpuset limits, for cgroup v2 (Proxmox today) and the
// v1 controllers of v1/hybrid hosts (Proxmox's historical branch, native profile only).
#include "generate_impl.hpp"

#include <algorithm>
#include <cstdlib>
#include <random>

namespace pct::lxcconf::detail {

namespace {

constexpr std::uint64_t mib = 1024 * 1024;

Status emit_memory(Context& ctx) {
    auto memory = uint_option(ctx.conf, "memory");
    if (!memory)
        return std::unexpected(std::move(memory).error());
    auto swap = uint_option(ctx.conf, "swap");
    if (!swap)
        return std::unexpected(std::move(swap).error());
    std::uint64_t m = memory->value_or(0) ? **memory : 512; // `memory || 512`
    std::uint64_t s = swap->value_or(0);                    // `swap // 0`: unset is 0 here

    bool v2 = ctx.host.cgroup == CgroupMode::v2;
    if (!ctx.native() && !v2)
        return {}; // current Proxmox writes only cgroup2 limits
    if (!ctx.has_controller("memory")) {
        if (ctx.native())
            ctx.warn("memory: the limit cannot be enforced: no memory cgroup controller on this "
                     "host");
        return {};
    }
    bool swap_limit = !ctx.native() || ctx.host.swap_accounting;
    if (!swap_limit && ctx.conf.get("swap") && s > 0)
        ctx.warn("swap: the limit cannot be enforced: this host has no swap accounting");

    if (v2) {
        // High at ~99.2% of max, but at most 128 MiB below it for large CTs.
        std::uint64_t high = m >= 16 * 1024 ? (m - 128) * mib : m * 1024 * 1016;
        ctx.emit("lxc.cgroup2.memory.max", std::to_string(m * mib));
        ctx.emit("lxc.cgroup2.memory.high", std::to_string(high));
        if (swap_limit)
            ctx.emit("lxc.cgroup2.memory.swap.max", std::to_string(s * mib));
    } else {
        ctx.emit("lxc.cgroup.memory.limit_in_bytes", std::to_string(m * mib));
        if (swap_limit)
            ctx.emit("lxc.cgroup.memory.memsw.limit_in_bytes", std::to_string((m + s) * mib));
    }
    return {};
}

Status emit_cpu(Context& ctx) {
    auto cpulimit = ctx.conf.get("cpulimit");
    auto cpuunits = uint_option(ctx.conf, "cpuunits");
    if (!cpuunits)
        return std::unexpected(std::move(cpuunits).error());

    std::optional<long long> quota;
    if (perl_true(cpulimit)) {
        std::string text(*cpulimit);
        char* end = nullptr;
        double value = std::strtod(text.c_str(), &end);
        if (end == text.c_str() || *end != '\0')
            return fail(Errc::invalid_argument, "type check ('number') failed - got '" + text + "'",
                        {.key = "cpulimit"});
        // Same double arithmetic as Perl's int(100000*$cpulimit).
        quota = static_cast<long long>(100000.0 * value);
    }

    bool v2 = ctx.host.cgroup == CgroupMode::v2;
    if (!ctx.native() && !v2)
        return {};
    if (!ctx.has_controller("cpu")) {
        if (ctx.native() && (quota || *cpuunits))
            ctx.warn("cpulimit/cpuunits: cannot be enforced: no cpu cgroup controller on this "
                     "host");
        return {};
    }

    if (v2) {
        if (quota)
            ctx.emit("lxc.cgroup2.cpu.max", std::to_string(*quota) + " 100000");
        // v2 weights stop at 10000; 0 stays 0 (Proxmox clamps only from above here).
        if (*cpuunits)
            ctx.emit("lxc.cgroup2.cpu.weight",
                     std::to_string(std::min<std::uint64_t>(**cpuunits, 10000)));
    } else {
        if (quota) {
            ctx.emit("lxc.cgroup.cpu.cfs_period_us", "100000");
            ctx.emit("lxc.cgroup.cpu.cfs_quota_us", std::to_string(*quota));
        }
        // v1 shares: default 1024, at least 2.
        std::uint64_t shares = cpuunits->value_or(1024);
        ctx.emit("lxc.cgroup.cpu.shares", std::to_string(std::max<std::uint64_t>(shares, 2)));
    }
    return {};
}

} // namespace

Status emit_limits(Context& ctx) {
    if (auto st = emit_memory(ctx); !st)
        return st;
    return emit_cpu(ctx);
}

Status emit_cpuset(Context& ctx, bool had_raw_cpuset) {
    auto cores = uint_option(ctx.conf, "cores");
    if (!cores)
        return std::unexpected(std::move(cores).error());
    if (had_raw_cpuset || !cores->value_or(0))
        return {};
    if (!ctx.host.cpuset || ctx.host.cpuset->empty()) {
        if (ctx.native())
            ctx.warn("cores: cannot be enforced: no cpuset cgroup controller on this host");
        return {};
    }

    std::vector<unsigned> cpus = *ctx.host.cpuset;
    std::sort(cpus.begin(), cpus.end());
    cpus.erase(std::unique(cpus.begin(), cpus.end()), cpus.end());
    std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(**cores, cpus.size()));
    if (ctx.native()) {
        cpus.resize(n);
    } else {
        // Proxmox drops random members until `cores` remain.
        std::mt19937 rng{std::random_device{}()};
        while (cpus.size() > n) {
            std::uniform_int_distribution<std::size_t> pick(0, cpus.size() - 1);
            cpus.erase(cpus.begin() + static_cast<std::ptrdiff_t>(pick(rng)));
        }
    }
    bool v2 = ctx.host.cgroup == CgroupMode::v2;
    ctx.emit(v2 ? "lxc.cgroup2.cpuset.cpus" : "lxc.cgroup.cpuset.cpus", cpuset_string(cpus));
    return {};
}

} // namespace pct::lxcconf::detail
