// SPDX-License-Identifier: AGPL-3.0-or-later
#include "shell.hpp"

#include <array>
#include <cstdio>
#include <sys/wait.h>

namespace pct::test {

CommandResult sh(const std::string& command) {
    CommandResult r;
    std::string full = command + " 2>&1";
    FILE* p = ::popen(full.c_str(), "r");
    if (!p)
        return r;
    std::array<char, 4096> buf{};
    std::size_t n;
    while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0)
        r.out.append(buf.data(), n);
    int status = ::pclose(p);
    r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

} // namespace pct::test
