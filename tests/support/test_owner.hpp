// SPDX-License-Identifier: AGPL-3.0-or-later
// Who owns a test's leftovers: a process named by its pid AND its start time (field 22 of
// /proc/<pid>/stat), so that a pid the kernel has handed to a new process since is not taken
// for the owner. Test roots carry it in a file, test bridges in their interface alias.
#pragma once

#include <optional>
#include <string>
#include <sys/types.h>

namespace pct::test {

struct TestOwner {
    pid_t pid = 0;
    unsigned long long start_time = 0; ///< clock ticks after boot
    friend bool operator==(const TestOwner&, const TestOwner&) = default;
};

/// The owner record of a running process; nullopt when it does not exist.
[[nodiscard]] std::optional<TestOwner> owner_of(pid_t pid);

/// True while that very process runs (same pid and start time, not a zombie): a killed test
/// process waiting to be reaped can no longer clean up, so it counts as gone.
[[nodiscard]] bool owner_alive(const TestOwner& owner);

/// "<pid> <start time>", the text stored in root files and bridge aliases (after a tag).
[[nodiscard]] std::string to_text(const TestOwner& owner);
/// The inverse of to_text(); nullopt for anything else.
[[nodiscard]] std::optional<TestOwner> owner_from_text(const std::string& text);

/// The file in a test root naming the process that created it.
inline constexpr const char* owner_file_name = "pct-test-owner";

/// Writes <root>/pct-test-owner for process `pid` and makes the root searchable (0711) for
/// unprivileged containers; throws std::runtime_error when that process does not exist or the
/// root cannot be written.
void claim_root(const std::string& root, pid_t pid);
/// The owner recorded in a root; nullopt when it has no (readable) owner file.
[[nodiscard]] std::optional<TestOwner> root_owner(const std::string& root);

} // namespace pct::test
