// SPDX-License-Identifier: AGPL-3.0-or-later
// The sweeper: what test processes that were killed (ctest's TIMEOUT sends SIGKILL) or crashed
// left behind, since their CtGuard destructors never ran. A test root (/tmp/pct-*) belongs to
// the process named in its pct-test-owner file (test_owner.hpp); once that process is gone,
// its containers are killed through their cgroups, the cgroups, veths and the root removed.
// Test bridges carry their owner in their alias and go the same way. A root whose owner is
// alive is never touched, so concurrent test runs are safe.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace pct::test {

struct SweepOptions {
    /// Where test roots are made (TempDir, the C and Python fixtures).
    std::string base = "/tmp";
    /// A container root (pct-rt-*, pct-cli-*) without an owner file is swept once nothing in
    /// it has changed for this long: made by an older fixture, or mid-creation when younger.
    std::chrono::seconds ownerless_idle = std::chrono::minutes(10);
    /// Also delete test bridges whose owner is gone.
    bool bridges = true;
};

/// Sweeps now; prints one line per swept item to stderr and returns those lines.
std::vector<std::string> sweep_stale_test_roots(const SweepOptions& options = {});

/// sweep_stale_test_roots() once per process, and only as root (nothing else could remove
/// what a root test process left). Never throws: a failed sweep is reported, not fatal.
void sweep_stale_test_roots_once();

} // namespace pct::test
