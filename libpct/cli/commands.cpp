// SPDX-License-Identifier: AGPL-3.0-or-later
// What every subcommand shares: how a failure is printed.
#include "commands.hpp"

#include <iostream>

namespace pct::cli {

int report(const Error& e) {
    std::string msg = e.message;
    if (!e.key.empty() && msg.find(e.key) == std::string::npos)
        msg = e.key + ": " + msg;
    std::cerr << msg << '\n';
    return exit_failed;
}

} // namespace pct::cli
