// SPDX-License-Identifier: AGPL-3.0-or-later
#include "ct_traces.hpp"
#include "shell.hpp"
#include "temp_dir.hpp"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <sstream>
#include <thread>
#include <unistd.h>

namespace pct::test {

namespace fs = std::filesystem;

namespace {

using namespace std::chrono_literals;

// Writes a control file if the hierarchy has it (freezer.state only exists in v1's freezer).
void write_if_present(const std::string& path, const char* value) {
    std::error_code ec;
    if (fs::exists(path, ec))
        try {
            write_text(path, value);
        } catch (const std::exception&) {
            // the cgroup vanished meanwhile: nothing left to do
        }
}

// SIGKILLs every pid listed in the directories; true when none was left.
bool kill_listed(const std::vector<std::string>& dirs) {
    bool empty = true;
    for (const auto& d : dirs) {
        std::istringstream procs(read_text(d + "/cgroup.procs"));
        int pid;
        while (procs >> pid) {
            empty = false;
            ::kill(pid, SIGKILL);
        }
    }
    return empty;
}

} // namespace

void kill_cgroup_trees(const std::vector<std::string>& tops) {
    std::vector<std::string> dirs; // each top before its subdirectories
    std::error_code ec;
    for (const auto& top : tops) {
        if (!fs::exists(top, ec))
            continue;
        dirs.push_back(top);
        for (auto it = fs::recursive_directory_iterator(top, ec);
             it != fs::recursive_directory_iterator(); it.increment(ec))
            if (it->is_directory(ec))
                dirs.push_back(it->path().string());
    }
    if (dirs.empty())
        return;
    // A suspended CT's tasks sleep in the v1 freezer, where SIGKILL does not reach them: thaw
    // before waiting on any hierarchy, since the same tasks are listed in all of them.
    for (const auto& d : dirs) {
        write_if_present(d + "/freezer.state", "THAWED");
        write_if_present(d + "/cgroup.freeze", "0");
    }
    // cgroup v2 kills a whole subtree at once, also tasks forked while we read the lists.
    for (const auto& top : tops)
        write_if_present(top + "/cgroup.kill", "1");
    // Killed tasks leave cgroup.procs only once they have exited, which takes a while on a
    // loaded host; until then rmdir fails with EBUSY. Re-kill what is still listed.
    auto end = std::chrono::steady_clock::now() + 5s;
    while (!kill_listed(dirs) && std::chrono::steady_clock::now() < end)
        std::this_thread::sleep_for(20ms);
    for (int attempt = 0; attempt < 50; ++attempt) {
        bool busy = false;
        for (auto it = dirs.rbegin(); it != dirs.rend(); ++it) // deepest first
            if (::rmdir(it->c_str()) != 0 && errno == EBUSY)
                busy = true;
        if (!busy)
            return;
        std::this_thread::sleep_for(20ms);
    }
}

std::vector<std::string> ct_cgroup_dirs(Vmid id) {
    std::vector<std::string> found;
    std::string sid = std::to_string(id.value);
    std::error_code ec;
    for (auto& h : fs::directory_iterator("/sys/fs/cgroup", ec)) {
        std::string root = h.path().string();
        for (std::string rel : {"/lxc/" + sid, "/lxc.monitor/" + sid})
            if (fs::exists(root + rel, ec))
                found.push_back(root + rel);
        std::error_code ec2;
        for (auto& e : fs::directory_iterator(root, ec2)) {
            std::string n = e.path().filename().string();
            if (n == "lxc.monitor." + sid || n.starts_with("lxc.monitor." + sid + "-") ||
                n == "lxc.payload." + sid || n.starts_with("lxc.payload." + sid + "-"))
                found.push_back(e.path().string());
        }
    }
    return found;
}

std::vector<LxcMonitor> lxc_monitors() {
    std::vector<LxcMonitor> found;
    std::error_code ec;
    for (auto& p : fs::directory_iterator("/proc", ec)) {
        std::string pid = p.path().filename().string();
        if (pid.find_first_not_of("0123456789") != std::string::npos)
            continue;
        // liblxc rewrites its argv to "[lxc monitor] <lxcpath> <name>" (NUL- or space-separated).
        std::string cmd = read_text(p.path().string() + "/cmdline");
        for (auto& c : cmd)
            if (c == '\0')
                c = ' ';
        while (!cmd.empty() && cmd.back() == ' ')
            cmd.pop_back();
        const std::string tag = "[lxc monitor] ";
        auto last = cmd.rfind(' ');
        if (!cmd.starts_with(tag) || last == std::string::npos || last < tag.size())
            continue;
        std::string name = cmd.substr(last + 1);
        if (name.empty() || name.size() > 9 ||
            name.find_first_not_of("0123456789") != std::string::npos)
            continue;
        found.push_back({std::stoi(pid), cmd.substr(tag.size(), last - tag.size()),
                         Vmid{static_cast<std::uint32_t>(std::stoull(name))}});
    }
    return found;
}

void remove_ct_traces(Vmid id) {
    kill_cgroup_trees(ct_cgroup_dirs(id));
    std::string prefix = "veth" + std::to_string(id.value) + "i";
    std::error_code ec;
    for (auto& n : fs::directory_iterator("/sys/class/net", ec)) {
        std::string name = n.path().filename().string();
        if (name.starts_with(prefix))
            (void)sh("ip link del " + name + " 2>/dev/null");
    }
}

} // namespace pct::test
