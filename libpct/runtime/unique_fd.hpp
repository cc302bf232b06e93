// SPDX-License-Identifier: AGPL-3.0-or-later
// An owned file descriptor, closed when it goes out of scope (exec's pipes, the pty proxy).
#pragma once

#include <unistd.h>
#include <utility>

namespace pct::runtime::detail {

class UniqueFd {
  public:
    explicit UniqueFd(int fd = -1) noexcept : m_fd(fd) {}
    UniqueFd(UniqueFd&& other) noexcept : m_fd(std::exchange(other.m_fd, -1)) {}
    UniqueFd& operator=(UniqueFd&& other) noexcept {
        if (this != &other)
            reset(std::exchange(other.m_fd, -1));
        return *this;
    }
    UniqueFd(const UniqueFd&) = delete;
    UniqueFd& operator=(const UniqueFd&) = delete;
    ~UniqueFd() { reset(); }

    void reset(int fd = -1) noexcept {
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = fd;
    }
    [[nodiscard]] int get() const noexcept { return m_fd; }

  private:
    int m_fd;
};

} // namespace pct::runtime::detail
