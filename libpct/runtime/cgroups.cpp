// SPDX-License-Identifier: AGPL-3.0-or-later
#include "cgroups.hpp"

#include <algorithm>
#include <charconv>
#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <sstream>
#include <unistd.h>
#include <vector>

namespace pct::runtime::detail {

namespace {

std::vector<std::string_view> split(std::string_view s, char sep) {
    std::vector<std::string_view> out;
    while (true) {
        auto p = s.find(sep);
        out.push_back(s.substr(0, p));
        if (p == std::string_view::npos)
            break;
        s.remove_prefix(p + 1);
    }
    return out;
}

std::uint64_t to_u64(std::string_view s) {
    std::uint64_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    return ec == std::errc() && p == s.data() + s.size() ? v : 0;
}

} // namespace

IoBytes v1_io_bytes(std::string_view text) {
    IoBytes io;
    for (auto line : split(text, '\n')) {
        auto fields = split(line, ' ');
        if (fields.size() != 3 || fields[0].find(':') == std::string_view::npos)
            continue;
        if (fields[1] == "Read")
            io.read += to_u64(fields[2]);
        else if (fields[1] == "Write")
            io.write += to_u64(fields[2]);
    }
    return io;
}

IoBytes v2_io_bytes(std::string_view text) {
    IoBytes io;
    for (auto line : split(text, '\n'))
        for (auto word : split(line, ' ')) {
            if (word.starts_with("rbytes="))
                io.read += to_u64(word.substr(7));
            else if (word.starts_with("wbytes="))
                io.write += to_u64(word.substr(7));
        }
    return io;
}

std::optional<std::string> read_text_file(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return std::nullopt;
    std::string out;
    char buf[8192];
    ssize_t n;
    while ((n = ::read(fd, buf, sizeof buf)) > 0)
        out.append(buf, static_cast<std::size_t>(n));
    ::close(fd);
    if (n < 0)
        return std::nullopt;
    return out;
}

std::optional<std::uint64_t> read_u64_file(const std::string& path) {
    auto text = read_text_file(path);
    if (!text)
        return std::nullopt;
    std::uint64_t v = 0;
    auto [p, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
    if (ec != std::errc())
        return std::nullopt;
    return v;
}

CgroupMounts read_cgroup_mounts() {
    CgroupMounts m;
    auto text = read_text_file("/proc/self/mountinfo");
    if (!text)
        return m;
    std::istringstream in(*text);
    std::string line;
    while (std::getline(in, line)) {
        // id parent maj:min root mountpoint opts [optional...] - fstype source superopts
        auto dash = line.find(" - ");
        if (dash == std::string::npos)
            continue;
        auto left = split(std::string_view(line).substr(0, dash), ' ');
        auto right = split(std::string_view(line).substr(dash + 3), ' ');
        if (left.size() < 5 || right.size() < 3)
            continue;
        std::string mountpoint(left[4]);
        if (right[0] == "cgroup2") {
            if (m.unified.empty())
                m.unified = mountpoint;
        } else if (right[0] == "cgroup") {
            for (auto opt : split(right[2], ',')) {
                static constexpr std::string_view known[] = {
                    "cpu",  "cpuacct", "cpuset",   "memory",     "devices", "freezer", "blkio",
                    "pids", "net_cls", "net_prio", "perf_event", "hugetlb", "rdma",    "misc"};
                bool ctrl = opt.starts_with("name=");
                for (auto k : known)
                    ctrl = ctrl || opt == k;
                if (ctrl && !m.v1.contains(std::string(opt)))
                    m.v1.emplace(std::string(opt), mountpoint);
            }
        }
    }
    return m;
}

std::optional<std::string> pid_cgroup_dir(const CgroupMounts& mounts, int pid,
                                          std::string_view controller,
                                          std::string_view strip_inner) {
    auto text = read_text_file(fmt::format("/proc/{}/cgroup", pid));
    if (!text)
        return std::nullopt;
    std::istringstream in(*text);
    std::string line;
    while (std::getline(in, line)) {
        auto parts = split(line, ':');
        if (parts.size() < 3)
            continue;
        std::string path(line.substr(parts[0].size() + parts[1].size() + 2));
        std::string mountpoint;
        if (controller.empty()) {
            if (!parts[1].empty() || mounts.unified.empty())
                continue;
            mountpoint = mounts.unified;
        } else {
            bool match = false;
            for (auto c : split(parts[1], ','))
                match = match || c == controller;
            if (!match)
                continue;
            auto it = mounts.v1.find(std::string(controller));
            if (it == mounts.v1.end())
                return std::nullopt;
            mountpoint = it->second;
        }
        if (!strip_inner.empty()) {
            std::string suffix = "/" + std::string(strip_inner);
            if (path.size() > suffix.size() && path.ends_with(suffix))
                path.resize(path.size() - suffix.size());
        }
        return path == "/" ? mountpoint : mountpoint + path;
    }
    return std::nullopt;
}

int remove_leftover_cgroups(const CgroupMounts& mounts, Vmid vmid) {
    std::vector<std::string> roots;
    for (const auto& [ctrl, mp] : mounts.v1)
        if (std::find(roots.begin(), roots.end(), mp) == roots.end())
            roots.push_back(mp);
    if (!mounts.unified.empty())
        roots.push_back(mounts.unified);
    int removed = 0;
    std::string id = std::to_string(vmid.value);
    auto try_rmdir = [&](const std::string& p) {
        if (::rmdir(p.c_str()) == 0)
            ++removed;
    };
    for (const auto& root : roots) {
        try_rmdir(root + "/lxc.monitor/" + id);
        try_rmdir(root + "/lxc/" + id + "/ns");
        try_rmdir(root + "/lxc/" + id);
        // liblxc's default names, with -N suffixes after collisions
        if (DIR* d = ::opendir(root.c_str())) {
            std::vector<std::string> names;
            while (dirent* e = ::readdir(d)) {
                std::string_view n = e->d_name;
                for (std::string_view prefix : {"lxc.monitor.", "lxc.payload."}) {
                    if (!n.starts_with(prefix))
                        continue;
                    auto rest = n.substr(prefix.size());
                    if (rest == id || (rest.starts_with(id + "-") &&
                                       rest.find_first_not_of("0123456789", id.size() + 1) ==
                                           std::string_view::npos))
                        names.emplace_back(n);
                }
            }
            ::closedir(d);
            for (const auto& n : names)
                try_rmdir(root + "/" + n);
        }
    }
    return removed;
}

} // namespace pct::runtime::detail
