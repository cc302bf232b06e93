// SPDX-License-Identifier: AGPL-3.0-or-later
#include "ct_guard.hpp"
#include "ct_env.hpp"
#include "temp_dir.hpp"

#include <pct/runtime/container.hpp>

#include <csignal>
#include <filesystem>
#include <sstream>
#include <thread>
#include <unistd.h>

namespace pct::test {

namespace fs = std::filesystem;

namespace {

void kill_cgroup_tree(const std::string& dir) {
    std::error_code ec;
    if (!fs::exists(dir, ec))
        return;
    std::vector<std::string> dirs;
    for (auto it = fs::recursive_directory_iterator(dir, ec);
         it != fs::recursive_directory_iterator(); it.increment(ec))
        if (it->is_directory(ec))
            dirs.push_back(it->path().string());
    dirs.push_back(dir);
    for (const auto& d : dirs) {
        std::istringstream procs(read_text(d + "/cgroup.procs"));
        int pid;
        while (procs >> pid)
            ::kill(pid, SIGKILL);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    // deepest first
    for (auto it = dirs.rbegin(); it != dirs.rend(); ++it)
        ::rmdir(it->c_str());
}

} // namespace

void CtGuard::clean(const storage::Host& host, Vmid id) {
    if (auto ct = runtime::Container::open(host, id)) {
        if (ct->running()) {
            runtime::StopOptions so;
            so.skiplock = true;
            (void)ct->stop(so);
        }
        runtime::DestroyOptions d;
        d.force = true;
        (void)ct->destroy(d);
    }
    std::string sid = std::to_string(id.value);
    std::error_code ec;
    for (auto& h : fs::directory_iterator("/sys/fs/cgroup", ec)) {
        std::string root = h.path().string();
        kill_cgroup_tree(root + "/lxc/" + sid);
        kill_cgroup_tree(root + "/lxc.monitor/" + sid);
        std::error_code ec2;
        for (auto& e : fs::directory_iterator(root, ec2)) {
            std::string n = e.path().filename().string();
            if (n == "lxc.monitor." + sid || n.starts_with("lxc.monitor." + sid + "-") ||
                n == "lxc.payload." + sid || n.starts_with("lxc.payload." + sid + "-"))
                kill_cgroup_tree(e.path().string());
        }
    }
    for (auto& n : fs::directory_iterator("/sys/class/net", ec)) {
        std::string name = n.path().filename().string();
        if (name.starts_with("veth" + sid + "i"))
            (void)sh("ip link del " + name + " 2>/dev/null");
    }
    fs::remove_all(host.ct_dir(id), ec);
    fs::remove(host.config_path(id), ec);
}

CtGuard::~CtGuard() {
    for (Vmid id : m_ids)
        clean(m_host, id);
}

} // namespace pct::test
