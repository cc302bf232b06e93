// SPDX-License-Identifier: AGPL-3.0-or-later
/// @file
/// Whole-file reads and crash-safe whole-file writes.
///
/// A write goes to a temporary file in the same directory, is fsync()ed, renamed over the
/// target and the directory is fsync()ed: a reader sees either the old or the new content,
/// never a mix, and after a crash the rename is durable. Callers serialise writers of one
/// file themselves (for container configs: `storage::Host::lock`).
///
/// Threading: free functions without shared state.
#pragma once

#include <pct/error.hpp>

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <sys/types.h>

namespace pct::storage {

/// The largest file `read_file` reads: 64 MiB. Proxmox's cluster file system (pmxcfs), where
/// container configs live, refuses any file above 1 MiB, so a real config is far below it;
/// the cap stops a wrong path (a log, an image) from taking the memory of the machine.
inline constexpr std::size_t max_file_size = std::size_t{64} << 20;

/// Reads a whole regular file of at most `max_file_size` bytes; every reader of config files
/// (C++, C ABI, pypct, the CLI) goes through it. The name is looked at (O_PATH, fstat())
/// before it is opened, and opened (without blocking and without becoming the controlling
/// terminal) only when it is a regular file, so a FIFO, a device or `/dev/zero` is refused at
/// once, never opened: opening a device node can have effects of its own (a watchdog's).
/// `mode`, when given, receives the file's permission bits.
///
/// Errors (`context` = path): `Errc::not_found` when it does not exist;
/// `Errc::invalid_argument` when it is not a regular file (a directory, FIFO, device, socket)
/// or is larger than `max_file_size` (the message names the path, the size and the cap);
/// `Errc::io` (with errno) for any other failure.
[[nodiscard]] Result<std::string> read_file(const std::string& path, mode_t* mode = nullptr);

/// How much a write must survive.
enum class Durability {
    crash_safe, ///< fsync the file and its directory: the new content survives a power cut
    atomic_only ///< temp + rename only: readers never see a partial file; for derived files
                ///< that are regenerated anyway (the LXC config, rewritten at every start)
};

/// A temp file older than this is swept even when its writer's pid is still in use (the pid
/// may have been reused).
inline constexpr std::chrono::minutes stale_temp_age{15};

/// Removes the temp files that killed writers left beside `path`: `.NAME.tmp.<pid>.XXXXXX`
/// whose writer pid no longer exists, or older than `stale_temp_age`. Every
/// `write_file_atomic` runs it first, so a SIGKILLed save leaves its temp file only until
/// the next write of that file. Best effort: never fails.
void sweep_temp_files(const std::string& path);

/// Replaces `path` atomically with `content` and permission bits `mode` (umask not applied).
/// The temp file is `.NAME.tmp.<pid>.XXXXXX` beside `path`; leftovers of killed writers are
/// swept first (`sweep_temp_files`). The parent directory must exist. `Errc::io` with errno and
/// `context` = path on failure; the temporary file is removed on every error path.
[[nodiscard]] Result<void> write_file_atomic(const std::string& path, std::string_view content,
                                             mode_t mode = 0640,
                                             Durability durability = Durability::crash_safe);

/// `mkdir -p` with `mode` for the directories it creates. `Errc::io` on failure (including a
/// path component that exists and is not a directory).
[[nodiscard]] Result<void> make_dirs(const std::string& path, mode_t mode = 0755);

/// An `Errc::io` error for the current `errno`: "WHAT 'PATH' failed: strerror".
[[nodiscard]] Error io_error(std::string_view what, const std::string& path, int err);

} // namespace pct::storage
