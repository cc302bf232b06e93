// SPDX-License-Identifier: AGPL-3.0-or-later
// What a create or destroy may leave on the host, for the create suites: the config, the
// images folder, the lxc folder, mounts and loop devices under the test's host root.
#pragma once

#include "ct_fixture.hpp"
#include "shell.hpp"
#include "temp_dir.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

namespace pct::test {

// What a create or destroy of `id` may have left under the host root: each item says what.
inline std::vector<std::string> create_leftovers(const CtHost& env, Vmid id) {
    std::vector<std::string> left;
    if (env.host().exists(id))
        left.push_back("config " + env.host().config_path(id));
    for (const std::string& dir :
         {fmt::format("{}/var/lib/vz/images/{}", env.root(), id.value), env.host().ct_dir(id)})
        if (std::filesystem::exists(dir))
            left.push_back("folder " + dir);
    std::string mounts = test::read_text("/proc/self/mountinfo");
    std::istringstream lines(mounts);
    for (std::string line; std::getline(lines, line);)
        if (line.find(env.root()) != std::string::npos)
            left.push_back("mount " + line);
    auto loops = sh("losetup -a -l -n -O NAME,BACK-FILE 2>/dev/null");
    std::istringstream loop_lines(loops.out);
    for (std::string line; std::getline(loop_lines, line);)
        if (line.find(env.root()) != std::string::npos)
            left.push_back("loop " + line);
    return left;
}

inline std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& i : items)
        out += i + "\n";
    return out;
}

} // namespace pct::test
