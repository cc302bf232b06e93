// SPDX-License-Identifier: AGPL-3.0-or-later
/// @file
/// Advisory whole-file locks (`flock(2)`), the way Proxmox serialises every change to one
/// container (`/run/lock/lxc/pve-config-<CTID>.lock`).
///
/// A lock belongs to the open file description, so two `FileLock`s on the same path exclude
/// each other even within one process (two threads, or one thread twice: the lock is not
/// recursive, and re-locking from the holder waits until the timeout).
///
/// Threading: a `FileLock` is a move-only owner; it may be released from any thread.
#pragma once

#include <pct/error.hpp>

#include <chrono>
#include <string>

namespace pct::storage {

/// An exclusive `flock` held until destruction (or `release()`).
class FileLock {
  public:
    /// Opens (creating, mode 0644) `path` and takes the exclusive lock, retrying until
    /// `timeout` has passed. Errors: `Errc::bad_state` "can't lock file 'PATH' - got timeout"
    /// (Proxmox's text) when another holder keeps it; `Errc::io` when the file cannot be
    /// opened. The directory must exist.
    [[nodiscard]] static Result<FileLock> acquire(const std::string& path,
                                                  std::chrono::milliseconds timeout);

    FileLock(FileLock&& other) noexcept;
    FileLock& operator=(FileLock&& other) noexcept;
    FileLock(const FileLock&) = delete;
    FileLock& operator=(const FileLock&) = delete;
    ~FileLock();

    /// Drops the lock now; idempotent.
    void release() noexcept;
    /// True while the lock is held.
    [[nodiscard]] bool held() const noexcept { return m_fd >= 0; }
    /// The lock file's path.
    [[nodiscard]] const std::string& path() const noexcept { return m_path; }
    /// The descriptor that holds the lock (-1 after `release()`); close-on-exec. A child
    /// process given a copy of it shares the lock: it stays held until the child has exited
    /// too, even when this process dies first.
    [[nodiscard]] int fd() const noexcept { return m_fd; }

  private:
    FileLock(int fd, std::string path) : m_fd(fd), m_path(std::move(path)) {}
    int m_fd = -1;
    std::string m_path;
};

} // namespace pct::storage
