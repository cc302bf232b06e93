// SPDX-License-Identifier: AGPL-3.0-or-later
#include "cgroups.hpp"
#include "impl.hpp"

#include <pct/parse/properties.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <dirent.h>
#include <sstream>
#include <sys/statvfs.h>
#include <thread>
#include <unistd.h>

namespace pct::runtime {

namespace {

std::uint64_t mib(std::uint64_t n) { return n * 1024 * 1024; }

// Seconds since `pid` started (field 22 of /proc/PID/stat against /proc/uptime), as lxcfs does.
std::uint64_t uptime_of(int pid) {
    auto stat = detail::read_text_file(fmt::format("/proc/{}/stat", pid));
    auto up = detail::read_text_file("/proc/uptime");
    if (!stat || !up)
        return 0;
    auto close = stat->rfind(')');
    if (close == std::string::npos)
        return 0;
    std::istringstream fields(stat->substr(close + 2));
    std::string field;
    // after "pid (comm) ", field 3 (state) is index 0; starttime (22) is index 19
    int read = 0;
    while (read < 20 && fields >> field)
        ++read;
    if (read < 20)
        return 0;
    double start_ticks = std::strtod(field.c_str(), nullptr);
    double now = std::strtod(up->c_str(), nullptr);
    double secs = now - start_ticks / static_cast<double>(::sysconf(_SC_CLK_TCK));
    return secs > 0 ? static_cast<std::uint64_t>(secs) : 0;
}

std::uint64_t stat_value(const std::string& text, std::string_view key) {
    std::istringstream in(text);
    std::string k;
    std::uint64_t v = 0;
    while (in >> k >> v)
        if (k == key)
            return v;
    return 0;
}

} // namespace

Result<Status> Container::status() const {
    const auto& host = m_impl->host;
    Vmid vmid = m_impl->vmid;
    auto conf = host.read_config(vmid);
    if (!conf)
        return std::unexpected(std::move(conf).error());
    const Section& main = conf->config.main;
    auto opt = [&](std::string_view key) { return main.get(key); };
    auto num = [&](std::string_view key) -> std::optional<double> {
        auto v = opt(key);
        if (!v)
            return std::nullopt;
        try {
            return std::stod(std::string(*v));
        } catch (...) {
            return std::nullopt;
        }
    };

    Status s;
    s.vmid = vmid;
    s.state = state();
    s.status = status_word(s.state);
    s.name = opt("hostname") && !opt("hostname")->empty() ? std::string(*opt("hostname"))
                                                          : fmt::format("CT{}", vmid.value);
    std::erase_if(s.name, [](char c) { return c == ' ' || c == '\t' || c == '\n'; });
    s.lock = opt("lock").value_or("");
    s.tags = opt("tags").value_or("");
    s.is_template = opt("template").value_or("0") == "1";
    double host_cpus = static_cast<double>(std::max(1u, std::thread::hardware_concurrency()));
    s.cpus = num("cores").value_or(0);
    if (s.cpus == 0)
        s.cpus = num("cpulimit").value_or(0);
    if (s.cpus == 0)
        s.cpus = host_cpus;
    s.maxmem = mib(static_cast<std::uint64_t>(num("memory").value_or(512)));
    s.maxswap = mib(static_cast<std::uint64_t>(num("swap").value_or(0)));
    std::optional<MountPoint> rootfs;
    if (auto r = opt("rootfs"))
        if (auto p = parse::rootfs(*r))
            rootfs = *p;
    s.maxdisk = rootfs && rootfs->size ? *rootfs->size : 4ull * 1024 * 1024 * 1024;

    s.pid = detail::is_live(s.state) ? init_pid() : 0;
    if (s.pid <= 0)
        return s;

    s.uptime = uptime_of(s.pid);
    // Disk: the filesystem holding the container's root, seen through /proc/PID/root.
    struct statvfs vfs {};
    if (::statvfs(fmt::format("/proc/{}/root/", s.pid).c_str(), &vfs) == 0) {
        s.maxdisk = static_cast<std::uint64_t>(vfs.f_blocks) * vfs.f_frsize;
        s.disk = static_cast<std::uint64_t>(vfs.f_blocks - vfs.f_bfree) * vfs.f_frsize;
    }

    // The limit cgroup is the parent of liblxc's inner one (`lxc.cgroup.dir.container.inner`).
    std::string lxc_conf = detail::read_text_file(host.ct_dir(vmid) + "/config").value_or("");
    std::string inner = detail::get_lxc_key(lxc_conf, "lxc.cgroup.dir.container.inner");
    auto mounts = detail::read_cgroup_mounts();
    if (mounts.v1.contains("memory")) {
        if (auto dir = detail::pid_cgroup_dir(mounts, s.pid, "memory", inner)) {
            auto usage = detail::read_u64_file(*dir + "/memory.usage_in_bytes").value_or(0);
            auto stat = detail::read_text_file(*dir + "/memory.stat").value_or("");
            std::uint64_t cache = stat_value(stat, "total_cache");
            s.mem = usage > cache ? usage - cache : usage;
            if (auto memsw = detail::read_u64_file(*dir + "/memory.memsw.usage_in_bytes"))
                s.swap = *memsw > usage ? *memsw - usage : 0;
        }
    } else if (auto dir = detail::pid_cgroup_dir(mounts, s.pid, "", inner)) {
        auto usage = detail::read_u64_file(*dir + "/memory.current").value_or(0);
        auto stat = detail::read_text_file(*dir + "/memory.stat").value_or("");
        std::uint64_t file = stat_value(stat, "file");
        s.mem = usage > file ? usage - file : usage;
        s.swap = detail::read_u64_file(*dir + "/memory.swap.current").value_or(0);
    }
    if (mounts.v1.contains("cpuacct")) {
        if (auto dir = detail::pid_cgroup_dir(mounts, s.pid, "cpuacct", inner))
            s.cpu_time_ns = detail::read_u64_file(*dir + "/cpuacct.usage").value_or(0);
    } else if (auto dir = detail::pid_cgroup_dir(mounts, s.pid, "", inner)) {
        s.cpu_time_ns =
            stat_value(detail::read_text_file(*dir + "/cpu.stat").value_or(""), "usage_usec") *
            1000;
    }
    if (s.uptime > 0 && s.cpus > 0)
        s.cpu = static_cast<double>(s.cpu_time_ns) / 1e9 / static_cast<double>(s.uptime) / s.cpus;
    // I/O bytes as Proxmox's get_io_stats: the recursive v1 file (the processes sit in the
    // `ns` child of the limit cgroup, so the flat file of the limit cgroup stays at 0), or
    // v2's io.stat when the unified hierarchy has the io controller.
    detail::IoBytes io;
    if (mounts.v1.contains("blkio")) {
        if (auto dir = detail::pid_cgroup_dir(mounts, s.pid, "blkio", inner))
            io = detail::v1_io_bytes(
                detail::read_text_file(*dir + "/blkio.throttle.io_service_bytes_recursive")
                    .value_or(""));
    } else if (auto dir = detail::pid_cgroup_dir(mounts, s.pid, "", inner)) {
        io = detail::v2_io_bytes(detail::read_text_file(*dir + "/io.stat").value_or(""));
    }
    s.diskread = io.read;
    s.diskwrite = io.write;
    // Host ends of the container's veths are veth<CTID>i<N>.
    std::string prefix = fmt::format("veth{}i", vmid.value);
    if (DIR* d = ::opendir("/sys/class/net")) {
        while (dirent* e = ::readdir(d)) {
            std::string_view n = e->d_name;
            if (!n.starts_with(prefix) ||
                n.find_first_not_of("0123456789", prefix.size()) != std::string_view::npos)
                continue;
            std::string base = fmt::format("/sys/class/net/{}/statistics/", n);
            s.netout += detail::read_u64_file(base + "rx_bytes").value_or(0);
            s.netin += detail::read_u64_file(base + "tx_bytes").value_or(0);
        }
        ::closedir(d);
    }
    return s;
}

std::string Status::verbose_text() const {
    // Proxmox's `pct status --verbose` prints every defined vmstatus field but `cpu` (a single
    // call has no earlier sample to measure it against, so it left it out: fix #4765); `lock`,
    // `tags`, `template` and `pid` exist only when set.
    std::vector<std::pair<std::string, std::string>> kv = {
        {"cpus", fmt::format("{}", cpus)},
        {"disk", std::to_string(disk)},
        {"diskread", std::to_string(diskread)},
        {"diskwrite", std::to_string(diskwrite)},
        {"maxdisk", std::to_string(maxdisk)},
        {"maxmem", std::to_string(maxmem)},
        {"maxswap", std::to_string(maxswap)},
        {"mem", std::to_string(mem)},
        {"name", name},
        {"netin", std::to_string(netin)},
        {"netout", std::to_string(netout)},
        {"status", status},
        {"swap", std::to_string(swap)},
        {"type", "lxc"},
        {"uptime", std::to_string(uptime)},
        {"vmid", std::to_string(vmid.value)},
    };
    if (!lock.empty())
        kv.emplace_back("lock", lock);
    if (!tags.empty())
        kv.emplace_back("tags", tags);
    if (pid > 0)
        kv.emplace_back("pid", std::to_string(pid));
    if (is_template)
        kv.emplace_back("template", "1");
    std::sort(kv.begin(), kv.end());
    std::string out;
    for (const auto& [k, v] : kv)
        out += fmt::format("{}: {}\n", k, v);
    return out;
}

} // namespace pct::runtime
