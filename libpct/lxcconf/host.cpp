// SPDX-License-Identifier: AGPL-3.0-or-later
// Host facts: the conformance reference host, and detection of the real one from /sys: all of
// it (detect_host), or what one config needs, with the boot-time part cached (detect_host_for).
#include "host_impl.hpp"
#include "pct/internal/keys.hpp"

#include <pct/parse/properties.hpp>

#include <charconv>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <net/if.h>
#include <sstream>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#if defined(PCT_LXC_VERSION)
#elif __has_include(<lxc/version.h>)
#include <lxc/version.h>
#endif

namespace pct::lxcconf {

namespace fs = std::filesystem;

HostFacts HostFacts::proxmox_reference() {
    HostFacts h;
    h.lxc_version = "6.0";
    h.cgroup = CgroupMode::v2;
    h.all_bridges_exist = true;
    h.mac_prefix = "BC:24:11";
    h.mac_counter = 0;
    h.apparmor = true;
    h.lxc_config_dir = "/usr/share/lxc/config";
    h.lxcpath = "/var/lib/lxc";
    h.cpuset = std::nullopt;
    h.syscalld_socket = "/run/pve-lxc-syscalld/socket";
    h.controllers = {"cpu", "io", "memory", "pids"};
    h.swap_accounting = true;
    std::vector<std::string> files{"common.conf", "common.seccomp", "nesting.conf",
                                   "oci.common.conf", "userns.conf"};
    for (const char* ostype : {"alpine", "archlinux", "centos", "debian", "devuan", "fedora",
                               "gentoo", "opensuse", "ubuntu"}) {
        files.push_back(std::string(ostype) + ".common.conf");
        files.push_back(std::string(ostype) + ".userns.conf");
    }
    h.lxc_config_files = std::move(files);
    return h;
}

namespace detail {

namespace {

bool exists(const std::string& path) {
    std::error_code ec;
    return fs::exists(path, ec);
}

std::optional<std::string> first_line(const std::string& path) {
    std::ifstream in(path);
    std::string line;
    if (!in || !std::getline(in, line))
        return std::nullopt;
    return line;
}

std::vector<std::string> words(const std::string& text) {
    std::istringstream in(text);
    std::vector<std::string> out;
    for (std::string w; in >> w;)
        out.push_back(w);
    return out;
}

std::optional<std::uint32_t> mtu_file(const std::string& path) {
    auto text = first_line(path);
    std::uint32_t mtu = 0;
    if (!text)
        return std::nullopt;
    auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), mtu);
    if (ec != std::errc{} || mtu == 0)
        return std::nullopt;
    return mtu;
}

/// The MTU of a network interface of this host by ioctl: unlike the sysfs attribute, which
/// takes the kernel's RTNL lock (held for milliseconds by every network namespace a
/// concurrent container start creates), SIOCGIFMTU only reads the device under RCU.
std::optional<std::uint32_t> interface_mtu(const std::string& name) {
    if (name.size() >= IFNAMSIZ)
        return std::nullopt;
    int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return std::nullopt;
    ifreq req{};
    std::memcpy(req.ifr_name, name.data(), name.size());
    int rc = ::ioctl(fd, SIOCGIFMTU, &req);
    ::close(fd);
    if (rc != 0 || req.ifr_mtu <= 0)
        return std::nullopt;
    return static_cast<std::uint32_t>(req.ifr_mtu);
}

std::optional<std::vector<unsigned>> read_cpu_list(const std::vector<std::string>& candidates) {
    for (const auto& path : candidates) {
        auto line = first_line(path);
        if (!line)
            continue;
        auto cpus = parse_cpu_list(*line);
        if (cpus && !cpus->empty())
            return cpus;
    }
    return std::nullopt;
}

/// cgroup v2 swap files exist only below the root: look at our own cgroup and its siblings.
bool v2_swap_accounting(const std::string& cg, const std::string& root) {
    if (auto self = first_line(root + "/proc/self/cgroup"); self && self->starts_with("0::")) {
        std::string own = self->substr(3);
        if (own != "/" && exists(cg + own + "/memory.swap.max"))
            return true;
    }
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(cg, ec)) {
        if (entry.is_directory(ec) && exists(entry.path().string() + "/memory.swap.max"))
            return true;
    }
    return false;
}

} // namespace

std::optional<std::vector<unsigned>> parse_cpu_list(std::string_view text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
        text.remove_suffix(1);
    std::vector<unsigned> out;
    if (text.empty())
        return out;
    auto number = [](std::string_view s) -> std::optional<unsigned> {
        unsigned v = 0;
        auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
        if (s.empty() || ec != std::errc{} || end != s.data() + s.size())
            return std::nullopt;
        return v;
    };
    while (!text.empty()) {
        auto comma = text.find(',');
        std::string_view item = text.substr(0, comma);
        auto dash = item.find('-');
        auto first = number(item.substr(0, dash));
        auto last = dash == std::string_view::npos ? first : number(item.substr(dash + 1));
        if (!first || !last || *last < *first || *last - *first > 65536)
            return std::nullopt;
        for (unsigned c = *first; c <= *last; ++c)
            out.push_back(c);
        if (comma == std::string_view::npos)
            break;
        text.remove_prefix(comma + 1);
    }
    return out;
}

std::string built_lxc_version() {
#if defined(PCT_LXC_VERSION)
    return PCT_LXC_VERSION;
#elif defined(LXC_VERSION_MAJOR) && defined(LXC_VERSION_MINOR)
    return std::to_string(LXC_VERSION_MAJOR) + '.' + std::to_string(LXC_VERSION_MINOR);
#else
    // The build requires lxc >= 5.0, so 5.0 is a safe lower bound for the keys we emit.
    return "5.0";
#endif
}

Result<HostFacts> detect_boot_facts_at(const std::string& root, const std::string& lxcpath) {
    HostFacts h;
    h.lxc_version = built_lxc_version();
    h.lxcpath = lxcpath;
    h.mac_counter = 0;
    h.all_bridges_exist = false;
    h.cpuset = std::nullopt;
    h.bridge_mtu.clear();
    h.syscalld_socket.clear();

    const std::string cg = root + "/sys/fs/cgroup";
    h.controllers.clear();
    if (auto controllers = first_line(cg + "/cgroup.controllers")) {
        h.cgroup = CgroupMode::v2;
        h.controllers = words(*controllers);
        h.swap_accounting = v2_swap_accounting(cg, root);
    } else {
        for (const char* name :
             {"blkio", "cpu", "cpuacct", "cpuset", "devices", "freezer", "memory", "pids"}) {
            if (exists(cg + '/' + name + "/cgroup.procs"))
                h.controllers.emplace_back(name);
        }
        if (h.controllers.empty()) {
            return fail(Errc::io, "no cgroup2 mount and no cgroup v1 hierarchy under " + cg,
                        {.context = cg});
        }
        h.cgroup = exists(cg + "/unified/cgroup.controllers") ? CgroupMode::hybrid : CgroupMode::v1;
        h.swap_accounting = exists(cg + "/memory/memory.memsw.limit_in_bytes");
    }

    auto enabled = first_line(root + "/sys/module/apparmor/parameters/enabled");
    h.apparmor =
        exists(root + "/sys/kernel/security/apparmor") || (enabled && enabled->starts_with("Y"));
    return h;
}

void detect_live_facts_at(const std::string& root, HostFacts& h, const HostNeeds& needs) {
    h.cpuset = std::nullopt;
    bool has_cpuset = false;
    for (const auto& c : h.controllers)
        has_cpuset = has_cpuset || c == "cpuset";
    if (needs.cpuset && has_cpuset) {
        const std::string cg = root + "/sys/fs/cgroup";
        std::vector<std::string> candidates =
            h.cgroup == CgroupMode::v2
                ? std::vector<std::string>{cg + "/lxc/cpuset.cpus.effective",
                                           cg + "/cpuset.cpus.effective"}
                : std::vector<std::string>{cg + "/cpuset/lxc/cpuset.effective_cpus",
                                           cg + "/cpuset/cpuset.effective_cpus",
                                           cg + "/cpuset/cpuset.cpus"};
        candidates.push_back(root + "/sys/devices/system/cpu/online");
        h.cpuset = read_cpu_list(candidates);
    }

    h.bridge_mtu.clear();
    const std::string net = root + "/sys/class/net/";
    if (needs.bridges) {
        for (const auto& name : *needs.bridges) {
            // A name is one directory entry; anything else cannot be a bridge.
            if (name.empty() || name == "." || name == ".." ||
                name.find('/') != std::string::npos || !exists(net + name + "/bridge"))
                continue;
            std::optional<std::uint32_t> mtu;
            if (root.empty())
                mtu = interface_mtu(name);
            if (!mtu)
                mtu = mtu_file(net + name + "/mtu");
            if (mtu)
                h.bridge_mtu[name] = *mtu;
        }
    } else {
        std::error_code ec;
        for (const auto& entry : fs::directory_iterator(net, ec)) {
            std::string dir = entry.path().string();
            if (!exists(dir + "/bridge"))
                continue;
            if (auto mtu = mtu_file(dir + "/mtu"))
                h.bridge_mtu[entry.path().filename().string()] = *mtu;
        }
    }

    if (exists(root + "/run/pve-lxc-syscalld/socket"))
        h.syscalld_socket = "/run/pve-lxc-syscalld/socket";
    else if (exists(root + "/run/pve/lxc-syscalld.sock"))
        h.syscalld_socket = "/run/pve/lxc-syscalld.sock";
    else
        h.syscalld_socket.clear();
}

HostNeeds host_needs(const ContainerConfig& config) {
    HostNeeds needs;
    needs.bridges.emplace();
    for (const auto& [key, value] : config.main.options) {
        if (key == "cores") {
            needs.cpuset = true;
            continue;
        }
        if (!pct::detail::is_net_key(key))
            continue;
        // An unparsable netN fails in generate() with its own message; it needs no bridge.
        if (auto parsed = parse::net(value); parsed && parsed->bridge && !parsed->bridge->empty())
            needs.bridges->push_back(*parsed->bridge);
    }
    return needs;
}

Result<HostFacts> detect_host_at(const std::string& root, const std::string& lxcpath) {
    auto h = detect_boot_facts_at(root, lxcpath);
    if (!h)
        return h;
    detect_live_facts_at(root, *h, HostNeeds{std::nullopt, true});
    return h;
}

Result<HostFacts> detect_host_for_at(const std::string& root, const ContainerConfig& config,
                                     const std::string& lxcpath) {
    auto h = detect_boot_facts_at(root, lxcpath);
    if (!h)
        return h;
    detect_live_facts_at(root, *h, host_needs(config));
    return h;
}

} // namespace detail

Result<HostFacts> detect_host(const std::string& lxcpath) {
    return detail::detect_host_at("", lxcpath);
}

Result<HostFacts> detect_host_for(const ContainerConfig& config, const std::string& lxcpath) {
    // The boot-time facts of this host, read once per process.
    static std::mutex mutex;
    static std::optional<HostFacts> boot;
    HostFacts h;
    {
        std::lock_guard lock(mutex);
        if (!boot) {
            auto detected = detail::detect_boot_facts_at("", lxcpath);
            if (!detected)
                return detected;
            boot = std::move(*detected);
        }
        h = *boot;
    }
    h.lxcpath = lxcpath;
    detail::detect_live_facts_at("", h, detail::host_needs(config));
    return h;
}

} // namespace pct::lxcconf
