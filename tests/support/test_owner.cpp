// SPDX-License-Identifier: AGPL-3.0-or-later
#include "test_owner.hpp"
#include "temp_dir.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <sstream>
#include <stdexcept>
#include <sys/stat.h>

namespace pct::test {

namespace {

struct ProcStat {
    char state = '?';
    unsigned long long start_time = 0;
};

std::optional<ProcStat> proc_stat(pid_t pid) {
    std::string stat = read_text(fmt::format("/proc/{}/stat", pid));
    // comm (field 2) may hold spaces and parentheses: the fields after it follow the last ')'.
    auto close = stat.rfind(')');
    if (close == std::string::npos)
        return std::nullopt;
    std::istringstream rest(stat.substr(close + 1));
    ProcStat s;
    rest >> s.state; // field 3
    std::string skip;
    for (int field = 4; field < 22; ++field)
        rest >> skip;
    if (!(rest >> s.start_time))
        return std::nullopt;
    return s;
}

} // namespace

std::optional<TestOwner> owner_of(pid_t pid) {
    auto s = proc_stat(pid);
    if (!s)
        return std::nullopt;
    return TestOwner{pid, s->start_time};
}

bool owner_alive(const TestOwner& owner) {
    if (owner.pid <= 0)
        return false;
    auto s = proc_stat(owner.pid);
    return s && s->start_time == owner.start_time && s->state != 'Z' && s->state != 'X';
}

std::string to_text(const TestOwner& owner) {
    return fmt::format("{} {}", owner.pid, owner.start_time);
}

std::optional<TestOwner> owner_from_text(const std::string& text) {
    std::istringstream in(text);
    long long pid = 0;
    unsigned long long start = 0;
    std::string extra;
    if (!(in >> pid >> start) || pid <= 0 || (in >> extra))
        return std::nullopt;
    return TestOwner{static_cast<pid_t>(pid), start};
}

void claim_root(const std::string& root, pid_t pid) {
    auto owner = owner_of(pid);
    if (!owner)
        throw std::runtime_error(fmt::format("claim {}: no process {}", root, pid));
    // Written in place: the sweeper treats a root without a readable record as fresh for
    // minutes, so a half-written file is no danger.
    write_text(root + "/" + owner_file_name, to_text(*owner) + "\n");
    // A test root is a container host: searchable by everyone like /var/lib/vz on a real host,
    // so the mapped root of an unprivileged container (uid 100000) reaches its rootfs
    // (mkdtemp makes it 0700, which liblxc's start refuses: "Could not access ...").
    if (::chmod(root.c_str(), 0711) != 0)
        throw std::runtime_error(fmt::format("claim {}: chmod failed", root));
}

std::optional<TestOwner> root_owner(const std::string& root) {
    return owner_from_text(read_text(root + "/" + owner_file_name));
}

} // namespace pct::test
