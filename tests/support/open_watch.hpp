// SPDX-License-Identifier: AGPL-3.0-or-later
// Test helper: which of some files were opened, from inotify's IN_OPEN events. Looking at a
// name (stat, an O_PATH descriptor) makes no such event; opening it does, even without a
// read. So a test can show that a device node or FIFO under a name was never opened.
#pragma once

#include <climits>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <sys/inotify.h>
#include <unistd.h>
#include <utility>
#include <vector>

namespace pct::test {

class OpenWatch {
  public:
    explicit OpenWatch(std::vector<std::string> paths) : m_fd(::inotify_init1(IN_NONBLOCK)) {
        if (m_fd < 0)
            throw std::runtime_error("inotify_init1 failed");
        for (auto& path : paths) {
            int wd = ::inotify_add_watch(m_fd, path.c_str(), IN_OPEN);
            if (wd < 0)
                throw std::runtime_error("cannot watch " + path);
            m_watched.emplace_back(wd, std::move(path));
        }
    }
    OpenWatch(const OpenWatch&) = delete;
    OpenWatch& operator=(const OpenWatch&) = delete;
    ~OpenWatch() { ::close(m_fd); }

    /// The watched paths opened since the watch began or the last call, in event order.
    std::vector<std::string> opened() {
        std::vector<std::string> out;
        alignas(inotify_event) char buf[64 * (sizeof(inotify_event) + NAME_MAX + 1)];
        for (ssize_t n; (n = ::read(m_fd, buf, sizeof buf)) > 0;) {
            for (std::size_t at = 0; at < static_cast<std::size_t>(n);) {
                const auto* event = reinterpret_cast<const inotify_event*>(buf + at);
                if (event->mask & IN_OPEN)
                    for (const auto& [wd, path] : m_watched)
                        if (wd == event->wd)
                            out.push_back(path);
                at += sizeof(inotify_event) + event->len;
            }
        }
        return out;
    }

  private:
    int m_fd;
    std::vector<std::pair<int, std::string>> m_watched;
};

} // namespace pct::test
