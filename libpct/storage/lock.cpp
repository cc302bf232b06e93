// SPDX-License-Identifier: AGPL-3.0-or-later
#include <pct/storage/atomic_file.hpp>
#include <pct/storage/lock.hpp>

#include <fmt/format.h>

#include <cerrno>
#include <fcntl.h>
#include <sys/file.h>
#include <thread>
#include <unistd.h>

namespace pct::storage {

Result<FileLock> FileLock::acquire(const std::string& path, std::chrono::milliseconds timeout) {
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
        return std::unexpected(io_error("open lock file", path, errno));
    auto deadline = std::chrono::steady_clock::now() + timeout;
    // Polling with LOCK_NB instead of alarm()+blocking flock: signals are process-wide and
    // would disturb other threads of a library user.
    auto pause = std::chrono::milliseconds(1);
    for (;;) {
        if (::flock(fd, LOCK_EX | LOCK_NB) == 0)
            return FileLock(fd, path);
        int err = errno;
        if (err == EINTR)
            continue;
        if (err != EWOULDBLOCK) {
            ::close(fd);
            return std::unexpected(io_error("flock", path, err));
        }
        if (std::chrono::steady_clock::now() >= deadline) {
            ::close(fd);
            return fail(Errc::bad_state, fmt::format("can't lock file '{}' - got timeout", path),
                        {.context = path});
        }
        std::this_thread::sleep_for(pause);
        if (pause < std::chrono::milliseconds(50))
            pause *= 2;
    }
}

FileLock::FileLock(FileLock&& other) noexcept
    : m_fd(std::exchange(other.m_fd, -1)), m_path(std::move(other.m_path)) {}

FileLock& FileLock::operator=(FileLock&& other) noexcept {
    if (this != &other) {
        release();
        m_fd = std::exchange(other.m_fd, -1);
        m_path = std::move(other.m_path);
    }
    return *this;
}

FileLock::~FileLock() { release(); }

void FileLock::release() noexcept {
    if (m_fd >= 0) {
        ::flock(m_fd, LOCK_UN);
        ::close(m_fd);
        m_fd = -1;
    }
}

} // namespace pct::storage
