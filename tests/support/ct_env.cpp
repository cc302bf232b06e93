// SPDX-License-Identifier: AGPL-3.0-or-later
#include "ct_env.hpp"
#include "ct_traces.hpp"
#include "temp_dir.hpp"

#include <fcntl.h>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <stdexcept>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace pct::test {

namespace fs = std::filesystem;

std::optional<std::string> container_skip_reason() {
    if (::geteuid() != 0)
        return std::string("not running as root (real containers need root)");
    if (!fs::exists("/sys/fs/cgroup"))
        return std::string("no /sys/fs/cgroup on this host");
    for (const char* tool : {"busybox", "tar", "zstd", "ip"})
        if (sh(std::string("command -v ") + tool + " >/dev/null").status != 0)
            return std::string(tool) + " is not installed";
    if (sh("ldconfig -p | grep -q liblxc.so").status != 0)
        return std::string("liblxc is not installed");
    return std::nullopt;
}

bool skip_containers(const char* suite) {
    static std::once_flag once;
    static std::optional<std::string> reason;
    std::call_once(once, [] { reason = container_skip_reason(); });
    if (reason) {
        static std::once_flag printed;
        std::call_once(printed, [&] { std::cout << "SKIP " << suite << ": " << *reason << "\n"; });
        return true;
    }
    return false;
}

Vmid unique_vmid(unsigned slot) {
    return Vmid{900000000u + static_cast<std::uint32_t>(::getpid() % 90000) * 100u + slot % 100u};
}

const std::string& busybox_template() {
    static std::once_flag once;
    static std::string path;
    std::call_once(once, [] {
        std::string dir = std::string(PCT_BINARY_DIR) + "/test-templates";
        fs::create_directories(dir);
        std::string tpl = dir + "/busybox-test_1.35_amd64.tar.zst";
        int lock = ::open((dir + "/.lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (lock < 0)
            throw std::runtime_error("cannot open template lock in " + dir);
        ::flock(lock, LOCK_EX);
        struct stat st {};
        bool fresh = ::stat(tpl.c_str(), &st) == 0 && st.st_size > 0;
        std::string script = std::string(PCT_SOURCE_DIR) + "/scripts/mk-busybox-template";
        struct stat sst {};
        if (fresh && ::stat(script.c_str(), &sst) == 0 && sst.st_mtime > st.st_mtime)
            fresh = false; // the recipe changed
        if (!fresh) {
            auto r = sh("sh '" + script + "' '" + dir + "' >/dev/null");
            if (r.status != 0) {
                ::close(lock);
                throw std::runtime_error("mk-busybox-template failed: " + r.out);
            }
        }
        ::close(lock);
        path = tpl;
    });
    return path;
}

std::vector<std::string> leftovers(Vmid vmid) {
    std::vector<std::string> found = ct_cgroup_dirs(vmid);
    for (const auto& m : lxc_monitors())
        if (m.id == vmid)
            found.push_back("process " + std::to_string(m.pid) + ": [lxc monitor] " + m.lxcpath +
                            " " + std::to_string(m.id.value));
    std::string prefix = "veth" + std::to_string(vmid.value) + "i";
    std::error_code ec;
    for (auto& n : fs::directory_iterator("/sys/class/net", ec)) {
        std::string name = n.path().filename().string();
        if (name.starts_with(prefix))
            found.push_back("veth " + name);
    }
    return found;
}

std::string own_cgroups() { return read_text("/proc/self/cgroup"); }

} // namespace pct::test
