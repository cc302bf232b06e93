// SPDX-License-Identifier: AGPL-3.0-or-later
// Helpers shared by the lxcconf test suites.
#pragma once

#include <doctest/doctest.h>

#include <pct/lxcconf.hpp>
#include <pct/parse/config.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace lxcconf_test {

namespace fs = std::filesystem;

inline std::string data_dir() { return std::string(PCT_TEST_DATA_DIR) + "/lxcconf"; }

inline std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

inline void write_file(const fs::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
}

/// Parses config text (lenient), failing the test case on a parser error.
inline pct::ContainerConfig parse_text(const std::string& text, std::uint32_t vmid = 100) {
    pct::parse::ConfigOptions opts;
    opts.vmid = vmid;
    auto parsed = pct::parse::config(text, opts);
    REQUIRE_MESSAGE(parsed.has_value(), (parsed ? "" : parsed.error().message));
    return parsed->config;
}

inline pct::ContainerConfig load(const std::string& name, std::uint32_t vmid = 100) {
    return parse_text(read_file(data_dir() + "/" + name), vmid);
}

inline std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        out.push_back(line);
    return out;
}

inline bool has_line(const std::string& text, const std::string& line) {
    auto all = lines_of(text);
    return std::find(all.begin(), all.end(), line) != all.end();
}

/// Index of the first line equal to `line`, or -1.
inline long line_index(const std::string& text, const std::string& line) {
    auto all = lines_of(text);
    auto it = std::find(all.begin(), all.end(), line);
    return it == all.end() ? -1 : static_cast<long>(it - all.begin());
}

inline bool has_prefix_line(const std::string& text, const std::string& prefix) {
    for (const auto& l : lines_of(text))
        if (l.starts_with(prefix))
            return true;
    return false;
}

inline bool has_warning(const pct::lxcconf::Generated& g, const std::string& part) {
    return std::any_of(g.warnings.begin(), g.warnings.end(),
                       [&part](const std::string& w) { return w.find(part) != std::string::npos; });
}

/// A temporary directory, removed with everything in it when the object goes away.
class TempDir {
  public:
    TempDir() {
        std::string tmpl = (fs::temp_directory_path() / "pct-lxcconf-XXXXXX").string();
        char* made = ::mkdtemp(tmpl.data());
        REQUIRE(made != nullptr);
        m_path = made;
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(m_path, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    [[nodiscard]] const fs::path& path() const { return m_path; }

  private:
    fs::path m_path;
};

/// This kind of machine as the native profile sees it: hybrid cgroups (v1 controllers),
/// lxc 5.0, one bridge, no AppArmor, two CPUs, no pve-lxc-syscalld; lxc-templates' files.
inline pct::lxcconf::HostFacts hybrid_host() {
    pct::lxcconf::HostFacts h;
    h.lxc_version = "5.0";
    h.cgroup = pct::lxcconf::CgroupMode::hybrid;
    h.controllers = {"blkio", "cpu", "cpuacct", "cpuset", "devices", "freezer", "memory", "pids"};
    h.swap_accounting = true;
    h.bridge_mtu = {{"vmbr0", 1500}, {"jumbo0", 9000}};
    h.apparmor = false;
    h.cpuset = std::vector<unsigned>{0, 1};
    h.syscalld_socket.clear();
    // Pinned: a host with lxc-templates' <ostype>.common.conf files, whatever this one has.
    h.lxc_config_files = pct::lxcconf::HostFacts::proxmox_reference().lxc_config_files;
    return h;
}

inline pct::lxcconf::HostFacts v2_host() {
    auto h = hybrid_host();
    h.cgroup = pct::lxcconf::CgroupMode::v2;
    h.controllers = {"cpuset", "cpu", "io", "memory", "hugetlb", "pids"};
    return h;
}

inline pct::lxcconf::GenerateOptions proxmox_opts(std::uint32_t vmid = 100) {
    pct::lxcconf::GenerateOptions o;
    o.profile = pct::lxcconf::Profile::proxmox;
    o.vmid = vmid;
    return o;
}

inline pct::lxcconf::GenerateOptions native_opts(std::uint32_t vmid = 100) {
    pct::lxcconf::GenerateOptions o;
    o.profile = pct::lxcconf::Profile::native;
    o.vmid = vmid;
    return o;
}

/// Generates and requires success.
inline pct::lxcconf::Generated gen(const pct::ContainerConfig& cfg,
                                   const pct::lxcconf::HostFacts& host,
                                   const pct::lxcconf::GenerateOptions& opts) {
    auto g = pct::lxcconf::generate(cfg, host, opts);
    REQUIRE_MESSAGE(g.has_value(), (g ? "" : pct::to_string(g.error())));
    return *g;
}

/// Generates and requires failure.
inline pct::Error gen_err(const pct::ContainerConfig& cfg, const pct::lxcconf::HostFacts& host,
                          const pct::lxcconf::GenerateOptions& opts) {
    auto g = pct::lxcconf::generate(cfg, host, opts);
    REQUIRE_MESSAGE(!g.has_value(), (g ? g->config : std::string()));
    return g.error();
}

} // namespace lxcconf_test
