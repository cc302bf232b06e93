// SPDX-License-Identifier: AGPL-3.0-or-later
// Running a shell command from a test helper (kept apart from ct_env so that the sweeper tool
// can use it without the container fixtures).
#pragma once

#include <string>

namespace pct::test {

struct CommandResult {
    int status = -1; ///< exit code
    std::string out; ///< stdout + stderr
};
/// Runs `sh -c command`.
CommandResult sh(const std::string& command);

} // namespace pct::test
