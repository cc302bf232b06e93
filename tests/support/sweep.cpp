// SPDX-License-Identifier: AGPL-3.0-or-later
#include "sweep.hpp"
#include "ct_traces.hpp"
#include "shell.hpp"
#include "temp_dir.hpp"
#include "test_owner.hpp"

#include <fmt/format.h>

#include <csignal>
#include <ctime>
#include <fcntl.h>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace pct::test {

namespace fs = std::filesystem;

namespace {

struct Root {
    std::string path;
    std::optional<TestOwner> owner;
    bool stale = false;
    std::string why; ///< "dead pid N" / "unknown owner (...)", for the log lines
};

bool is_ctid(const std::string& s) {
    return !s.empty() && s.size() <= 9 && s.find_first_not_of("0123456789") == std::string::npos;
}

// The CTIDs a root knows of: its configs and its liblxc directories.
std::set<std::uint32_t> root_ctids(const std::string& root) {
    std::set<std::uint32_t> ids;
    std::error_code ec;
    for (auto& e : fs::directory_iterator(root + "/etc/pve/lxc", ec))
        if (e.path().extension() == ".conf" && is_ctid(e.path().stem().string()))
            ids.insert(static_cast<std::uint32_t>(std::stoul(e.path().stem().string())));
    for (auto& e : fs::directory_iterator(root + "/var/lib/lxc", ec))
        if (is_ctid(e.path().filename().string()))
            ids.insert(static_cast<std::uint32_t>(std::stoul(e.path().filename().string())));
    return ids;
}

// The newest mtime in the root's upper levels (configs, CT dirs, lxc.log), not inside rootfs:
// a live process of an older fixture keeps touching these.
std::time_t last_activity(const std::string& root) {
    struct stat st {};
    std::time_t newest = ::lstat(root.c_str(), &st) == 0 ? st.st_mtim.tv_sec : 0;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(root, ec);
         it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (it->path().filename() == "rootfs" || it.depth() >= 4)
            it.disable_recursion_pending();
        if (::lstat(it->path().c_str(), &st) == 0)
            newest = std::max(newest, st.st_mtim.tv_sec);
    }
    return newest;
}

Root classify(const std::string& path, const std::string& name, const SweepOptions& options) {
    Root r{path, root_owner(path), false, ""};
    if (r.owner) {
        r.stale = !owner_alive(*r.owner);
        r.why = fmt::format("dead pid {}", r.owner->pid);
        return r;
    }
    if (!name.starts_with("pct-rt-") && !name.starts_with("pct-cli-"))
        return r; // some other test's TempDir: not ours to judge
    auto idle = std::chrono::seconds(std::time(nullptr) - last_activity(path));
    r.stale = idle > options.ownerless_idle;
    r.why = fmt::format("unknown owner (no {}, idle {} min)", owner_file_name,
                        std::chrono::duration_cast<std::chrono::minutes>(idle).count());
    return r;
}

// Mount points at or below `root`: removing the tree would empty the mounted file systems.
std::vector<std::string> mounts_below(const std::string& root) {
    std::vector<std::string> found;
    std::istringstream lines(read_text("/proc/self/mountinfo"));
    std::string line;
    while (std::getline(lines, line)) {
        std::istringstream f(line);
        std::string skip, point;
        f >> skip >> skip >> skip >> skip >> point; // field 5 (octal escapes stay escaped)
        if (point == root || point.starts_with(root + "/"))
            found.push_back(point);
    }
    return found;
}

void say(std::vector<std::string>& log, std::string line) {
    std::cerr << line << '\n';
    log.push_back(std::move(line));
}

void sweep_root(const Root& r, const std::set<std::uint32_t>& live_ids,
                const std::vector<LxcMonitor>& monitors, std::vector<std::string>& log) {
    // Two processes may sweep at once (another engineer's run): whoever holds the lock does
    // it, the other leaves this root alone.
    int fd = ::open(r.path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return;
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0 || !fs::exists(r.path)) {
        ::close(fd);
        return;
    }
    std::string lxcpath = r.path + "/var/lib/lxc";
    std::set<std::uint32_t> ids = root_ctids(r.path);
    for (const auto& m : monitors)
        if (m.lxcpath == lxcpath)
            ids.insert(m.id.value);
    bool keep = false; // a CT left alone may still run from this root
    for (std::uint32_t id : ids) {
        // CTIDs come from the pid (unique_vmid): a live process may use the same number.
        // Cgroups and veths are named by CTID alone, so such a CTID is left to its user.
        bool elsewhere = live_ids.contains(id);
        for (const auto& m : monitors)
            elsewhere = elsewhere || (m.id.value == id && m.lxcpath != lxcpath);
        if (elsewhere) {
            say(log, fmt::format("not sweeping test container {} of {} ({}): a live test uses "
                                 "that CTID",
                                 id, r.path, r.why));
            keep = true;
            continue;
        }
        say(log, fmt::format("sweeping stale test container {} of {}", id, r.why));
        for (const auto& m : monitors)
            if (m.id.value == id && m.lxcpath == lxcpath)
                ::kill(m.pid, SIGKILL);
        remove_ct_traces(Vmid{id});
    }
    if (keep) {
        say(log, fmt::format("not removing stale test root {} of {}: a container was left alone",
                             r.path, r.why));
    } else if (auto mounts = mounts_below(r.path); !mounts.empty()) {
        say(log, fmt::format("not removing stale test root {} of {}: {} is mounted", r.path, r.why,
                             mounts.front()));
    } else {
        say(log, fmt::format("sweeping stale test root {} of {}", r.path, r.why));
        std::error_code ec;
        fs::remove_all(r.path, ec);
    }
    ::close(fd);
}

void sweep_bridges(std::vector<std::string>& log) {
    std::error_code ec;
    const std::string tag = std::string(owner_file_name) + " ";
    for (auto& n : fs::directory_iterator("/sys/class/net", ec)) {
        std::string name = n.path().filename().string();
        if (!name.starts_with("pcttest"))
            continue;
        // Bridges made before owners were recorded have no alias: their owner is unknown, and
        // an idle bridge cannot be told from one a live test has just made. Left alone.
        std::string alias = read_text(n.path().string() + "/ifalias");
        if (!alias.starts_with(tag))
            continue;
        auto owner = owner_from_text(alias.substr(tag.size()));
        if (!owner || owner_alive(*owner))
            continue;
        say(log, fmt::format("sweeping stale test bridge {} of dead pid {}", name, owner->pid));
        (void)sh("ip link del " + name + " 2>/dev/null");
    }
}

} // namespace

std::vector<std::string> sweep_stale_test_roots(const SweepOptions& options) {
    std::vector<std::string> log;
    std::vector<Root> roots;
    std::error_code ec;
    for (auto& e : fs::directory_iterator(options.base, ec)) {
        std::string name = e.path().filename().string();
        if (name.starts_with("pct-") && e.is_directory(ec) && !e.is_symlink(ec))
            roots.push_back(classify(e.path().string(), name, options));
    }
    std::set<std::uint32_t> live_ids;
    for (const auto& r : roots)
        if (!r.stale)
            live_ids.merge(root_ctids(r.path));
    auto monitors = lxc_monitors();
    for (const auto& r : roots)
        if (r.stale)
            sweep_root(r, live_ids, monitors, log);
    if (options.bridges)
        sweep_bridges(log);
    return log;
}

void sweep_stale_test_roots_once() {
    static std::once_flag once;
    std::call_once(once, [] {
        if (::geteuid() != 0)
            return;
        try {
            (void)sweep_stale_test_roots();
        } catch (const std::exception& e) {
            std::cerr << "sweeping stale test roots failed: " << e.what() << '\n';
        }
    });
}

} // namespace pct::test
